-- wrk script for bench/hostile_readers.py: GET the home page plainly ("plain"), with a random
-- query string on every request ("random"), or half the threads each way at once ("split"),
-- and count the answers by kind of request and status.
local threads = {}
local next_id = 0

function setup(thread)
  next_id = next_id + 1
  thread:set("id", next_id)
  table.insert(threads, thread)
end

function init(args)
  if args[1] == "split" then
    kind = (id % 2 == 0) and "random" or "plain"
  else
    kind = args[1]
  end
  math.randomseed(os.time() * 100 + id)
  statuses = {}
end

function request()
  if kind == "random" then
    return wrk.format("GET", string.format("/?utm_source=%d&x=%d", math.random(1, 1000000000), math.random(1, 1000000000)))
  end
  return wrk.format("GET", "/")
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("statuses")) do
      io.write(string.format("status %s %d %d\n", thread:get("kind"), status, n))
    end
  end
end
