-- wrk script for bench/newsroom.py: readers asking for addresses drawn from the mix file given after "--"
-- (one "weight path" line each), and counting how each answer was served: Varnish's X-Cache, the app's
-- X-Page-Cache and the status. Prints "served EDGE APP STATUS N" lines and "newsroom NAME VALUE" lines.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("id", #threads)
end

function init(args)
  requests, cumulative = {}, {}
  local total = 0
  for line in io.lines(args[1]) do
    local weight, path = line:match("^(%S+)%s+(%S+)$")
    total = total + tonumber(weight)
    table.insert(requests, wrk.format("GET", path))
    table.insert(cumulative, total)
  end
  math.randomseed(id * 7919 + os.time())
  served = {}
end

function request()
  local x = math.random() * cumulative[#cumulative]
  local low, high = 1, #cumulative
  while low < high do
    local middle = math.floor((low + high) / 2)
    if cumulative[middle] < x then
      low = middle + 1
    else
      high = middle
    end
  end
  return requests[low]
end

function response(status, headers, body)
  local key = (headers["X-Cache"] or "-") .. " " .. (headers["X-Page-Cache"] or "-") .. " " .. status
  served[key] = (served[key] or 0) + 1
end

function done(summary, latency, requests)
  for _, thread in ipairs(threads) do
    for key, n in pairs(thread:get("served")) do
      io.write(string.format("served %s %d\n", key, n))
    end
  end
  local errors = summary.errors
  io.write(string.format("newsroom requests %d\n", summary.requests))
  io.write(string.format("newsroom errors %d\n", errors.connect + errors.read + errors.write + errors.status + errors.timeout))
  for _, p in ipairs({50, 90, 99, 99.9}) do
    io.write(string.format("newsroom p%s %.3f\n", p, latency:percentile(p) / 1000))
  end
  io.write(string.format("newsroom max %.3f\n", latency.max / 1000))
end
