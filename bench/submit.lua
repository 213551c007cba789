-- wrk script for the contest benchmarks (bench/_wrk.py runs it; see bench/README.md).
--
-- Arguments (after "--"): mode ("noop" or "submit"), path (the no-op path, or the submit prefix
-- that the attempt token and "/" follow), tokens file (one attempt token a line, "-" for none),
-- body file (the JSON body with the 36 characters "00000000-0000-4000-8000-000000000000" where
-- each request puts a fresh idempotency key), rate per thread (requests/s; 0 = as fast as the
-- connections go), thread count.
--
-- Each submission takes the next unused attempt token of its thread (threads take disjoint
-- slices of the file) and a new random key; a thread that runs out of tokens counts it in
-- "exhausted" (the run is then invalid: the harness makes enough tokens and checks). With a
-- rate, each thread paces its sends on a schedule (delay() waits for the next slot), so the
-- offered rate is fixed while connections are free; the harness compares the achieved rate.
-- done() prints one line "JSON {...}" with the counts, errors by kind and latency percentiles.

local ffi = require("ffi")
ffi.cdef [[
typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
int clock_gettime(int clk, bench_timespec *tp);
]]
local ts = ffi.new("bench_timespec")
local function now_ms()
  ffi.C.clock_gettime(1, ts) -- CLOCK_MONOTONIC
  return tonumber(ts.tv_sec) * 1000 + tonumber(ts.tv_nsec) / 1e6
end

local threads = {}
local thread_count = 0
local PLACEHOLDER = "00000000-0000-4000-8000-000000000000"

function setup(thread)
  thread_count = thread_count + 1
  thread:set("id", thread_count)
  table.insert(threads, thread)
end

function init(args)
  mode, path = args[1], args[2]
  local tokens_path, body_path = args[3], args[4]
  local rate = tonumber(args[5])
  local nthreads = tonumber(args[6])
  tokens = {}
  if tokens_path ~= "-" then
    local i = 0
    for line in io.lines(tokens_path) do
      if i % nthreads == id - 1 then
        tokens[#tokens + 1] = line
      end
      i = i + 1
    end
  end
  local f = assert(io.open(body_path, "rb"))
  local body = f:read("*a")
  f:close()
  local at = string.find(body, PLACEHOLDER, 1, true)
  if at then
    head, tail = string.sub(body, 1, at - 1), string.sub(body, at + #PLACEHOLDER)
  else
    head, tail = body, nil
  end
  headers = { ["Content-Type"] = "application/json" }
  used, exhausted = 0, 0
  interval = rate > 0 and 1000 / rate or 0
  next_slot = nil
  math.randomseed(id * 7919 + os.time())
end

local function key()
  local r = math.random
  return string.format("%04x%04x-%04x-4%03x-%04x-%04x%04x%04x", r(0, 65535), r(0, 65535),
    r(0, 65535), r(0, 4095), 32768 + r(0, 16383), r(0, 65535), r(0, 65535), r(0, 65535))
end

function delay()
  if interval == 0 then
    return 0
  end
  local now = now_ms()
  if next_slot == nil or next_slot < now - 1000 then
    next_slot = now -- first send, or more than a second behind: do not burst to catch up
  end
  local wait = next_slot - now
  next_slot = next_slot + interval
  return wait > 0 and wait or 0
end

function request()
  local body = tail and (head .. key() .. tail) or head
  if mode == "noop" then
    return wrk.format("POST", path, headers, body)
  end
  used = used + 1
  local token = tokens[used]
  if token == nil then
    exhausted = exhausted + 1
    token = tokens[#tokens] or "00000000-0000-0000-0000-000000000000"
  end
  return wrk.format("POST", path .. token .. "/", headers, body)
end

function done(summary, latency, requests)
  local used_total, exhausted_total = 0, 0
  for _, t in ipairs(threads) do
    used_total = used_total + (t:get("used") or 0)
    exhausted_total = exhausted_total + (t:get("exhausted") or 0)
  end
  local e = summary.errors
  io.write(string.format(
    'JSON {"requests": %d, "duration_us": %d, "bytes": %d, "connect": %d, "read": %d, ' ..
    '"write": %d, "timeout": %d, "status": %d, "tokens_used": %d, "exhausted": %d, ' ..
    '"p50_us": %d, "p90_us": %d, "p99_us": %d, "p999_us": %d, "max_us": %d, "mean_us": %.1f}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.timeout,
    e.status, used_total, exhausted_total, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency:percentile(99.9), latency.max, latency.mean))
end
