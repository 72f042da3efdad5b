-- wrk script for bench/newsroom.py: readers asking for addresses drawn from the mix file given after "--"
-- (one "weight path" line each), and counting how each answer was served: Varnish's X-Cache, the app's
-- X-Page-Cache and the status. Prints "served EDGE APP STATUS N" lines and "newsroom NAME VALUE" lines.
--
-- Each request is also timed here, so that the latency can be broken down by how it was served and by page
-- kind: it carries an X-Bench-Id that bench/run's servers echo (bench/timed_wsgi.py for gunicorn, a few lines
-- of VCL for Varnish), with the time the app took (X-Bench-App-Ms), and through Varnish how Varnish served it
-- (X-Bench-Handling: hit, grace, miss, pass) and the time it held it before delivering (X-Bench-Varnish-Ms).
-- wrk's own latency (from just after request() to just after response()) stays what "newsroom p50/p99" print;
-- this clock is read in the same two places. Prints "latency CLASS KIND BUCKET N" (a histogram, BUCKET in ms),
-- "inside CLASS KIND fast|slow n|total|varnish|app SUM" (where the time went) and "seconds S all|slow N".
local ffi = require("ffi")
ffi.cdef([[
typedef struct { long tv_sec; long tv_nsec; } newsroom_timespec;
int clock_gettime(int clock, newsroom_timespec *now);
]])
local CLOCK_MONOTONIC = 1
local SLOW_MS = 50
local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("id", #threads)
end

local clock = ffi.new("newsroom_timespec")

local function now_ms()
  ffi.C.clock_gettime(CLOCK_MONOTONIC, clock)
  return tonumber(clock.tv_sec) * 1000 + tonumber(clock.tv_nsec) / 1e6
end

local function kind_of(path)
  if path == "/" then
    return "home"
  elseif path:match("^/[^/]+/$") then
    return "section"
  end
  return "story"
end

function init(args)
  heads, kinds, cumulative = {}, {}, {}
  local total = 0
  for line in io.lines(args[1]) do
    local weight, path = line:match("^(%S+)%s+(%S+)$")
    total = total + tonumber(weight)
    -- The request without its closing blank line, which request() adds after the X-Bench-Id.
    table.insert(heads, (wrk.format("GET", path):gsub("\r\n$", "")))
    table.insert(kinds, kind_of(path))
    table.insert(cumulative, total)
  end
  math.randomseed(id * 7919 + os.time())
  served, latency, inside, seconds = {}, {}, {}, {}
  asked, sent, started = {}, 0, now_ms()
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
  sent = sent + 1
  local name = id .. "-" .. sent
  asked[name] = { now_ms(), kinds[low] }
  return heads[low] .. "X-Bench-Id: " .. name .. "\r\n\r\n"
end

local function bucket(ms)
  if ms < 10 then
    return math.floor(ms * 10) / 10
  elseif ms < 1000 then
    return math.floor(ms)
  end
  return math.floor(ms / 10) * 10
end

-- Tables that done() reads from the threads are flat (wrk copies nested ones badly): "key" -> number.
local function count(into, key, n)
  into[key] = (into[key] or 0) + n
end

function response(status, headers, body)
  local key = (headers["X-Cache"] or "-") .. " " .. (headers["X-Page-Cache"] or "-") .. " " .. status
  served[key] = (served[key] or 0) + 1
  local name = headers["X-Bench-Id"]
  local request = name and asked[name]
  if not request then
    return
  end
  asked[name] = nil
  local now = now_ms()
  local took = now - request[1]
  local handling = headers["X-Bench-Handling"]
  local class, app
  if handling == "hit" or handling == "grace" then
    -- The app's headers of a Varnish hit are those of the copy it stored.
    class, app = "varnish-" .. handling, 0
  else
    class = (handling and ("varnish-" .. handling .. ",") or "") .. "app-" .. (headers["X-Page-Cache"] or "none")
    app = tonumber(headers["X-Bench-App-Ms"]) or 0
  end
  local varnish = math.max((tonumber(headers["X-Bench-Varnish-Ms"]) or 0) - app, 0)
  if status ~= 200 then
    class = class .. "," .. status
  end
  local group = class .. " " .. request[2]
  count(latency, group .. " " .. bucket(took), 1)
  local speed = group .. (took > SLOW_MS and " slow" or " fast")
  count(inside, speed .. " n", 1)
  count(inside, speed .. " total", took)
  count(inside, speed .. " varnish", varnish)
  count(inside, speed .. " app", app)
  local second = math.floor((now - started) / 1000)
  count(seconds, second .. " all", 1)
  count(seconds, second .. " slow", took > SLOW_MS and 1 or 0)
end

function done(summary, latency_, requests)
  for _, thread in ipairs(threads) do
    for _, name in ipairs({ "served", "latency", "inside", "seconds" }) do
      for key, n in pairs(thread:get(name)) do
        io.write(string.format("%s %s %s\n", name, key, n))
      end
    end
  end
  local errors = summary.errors
  io.write(string.format("newsroom requests %d\n", summary.requests))
  io.write(string.format("newsroom errors %d\n", errors.connect + errors.read + errors.write + errors.status + errors.timeout))
  for _, p in ipairs({50, 90, 99, 99.9}) do
    io.write(string.format("newsroom p%s %.3f\n", p, latency_:percentile(p) / 1000))
  end
  io.write(string.format("newsroom max %.3f\n", latency_.max / 1000))
  io.write(string.format("newsroom mean %.3f\n", latency_.mean / 1000))
end
