-- wrk script for bench/hostile_readers.py: GET the home page, with a random query string
-- when the first script argument is "random", and count the answers by status.
local threads = {}
local next_id = 0

function setup(thread)
  next_id = next_id + 1
  thread:set("id", next_id)
  table.insert(threads, thread)
end

function init(args)
  random_query = args[1] == "random"
  math.randomseed(os.time() * 100 + id)
  statuses = {}
end

function request()
  if random_query then
    return wrk.format("GET", string.format("/?utm_source=%d&x=%d", math.random(1, 1000000000), math.random(1, 1000000000)))
  end
  return wrk.format("GET", "/")
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local total = {}
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("statuses")) do
      total[status] = (total[status] or 0) + n
    end
  end
  for status, n in pairs(total) do
    io.write(string.format("status %d %d\n", status, n))
  end
end
