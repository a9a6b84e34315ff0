-- wrk script of `make bench`: sends prepared raw HTTP requests and reports
-- a JSON summary.
--
--   wrk … -s bench/wrk.lua URL -- POOL_FILE THREADS
--
-- POOL_FILE holds the requests as "<length>\n<bytes>" records. Each thread
-- takes every THREADS-th record and sends them in turn, so that requests
-- which must differ (a new webhook delivery, a PDF not rendered yet) are
-- each sent once; a thread that runs out starts again and says so.
-- Responses outside 2xx are counted, by status.

local threads = {}

function setup(thread)
  thread:set("thread_index", #threads)
  table.insert(threads, thread)
end

function init(args)
  local file = assert(io.open(args[1], "rb"))
  local data = file:read("*a")
  file:close()
  local thread_count = tonumber(args[2])
  pool = {}
  local position, index = 1, 0
  while position <= #data do
    local newline = data:find("\n", position, true)
    local length = tonumber(data:sub(position, newline - 1))
    if index % thread_count == thread_index then
      pool[#pool + 1] = data:sub(newline + 1, newline + length)
    end
    index = index + 1
    position = newline + length + 1
  end
  if #pool == 0 then
    -- Fewer requests than threads (a single prepared request): every
    -- thread sends all of them.
    position = 1
    while position <= #data do
      local newline = data:find("\n", position, true)
      local length = tonumber(data:sub(position, newline - 1))
      pool[#pool + 1] = data:sub(newline + 1, newline + length)
      position = newline + length + 1
    end
  end
  pool_size = #pool
  sent = 0
  wrapped = 0
  non_2xx = 0
  statuses = {}
end

function request()
  sent = sent + 1
  if sent > pool_size then
    sent = 1
    wrapped = wrapped + 1
  end
  return pool[sent]
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    non_2xx = non_2xx + 1
    statuses[status] = (statuses[status] or 0) + 1
  end
end

function done(summary, latency, requests)
  local non, wraps, pooled = 0, 0, 0
  local by_status = {}
  for _, thread in ipairs(threads) do
    non = non + thread:get("non_2xx")
    wraps = wraps + thread:get("wrapped")
    pooled = pooled + thread:get("pool_size")
    for status, count in pairs(thread:get("statuses")) do
      by_status[status] = (by_status[status] or 0) + count
    end
  end
  local parts = {}
  for status, count in pairs(by_status) do
    parts[#parts + 1] = string.format('"%d": %d', status, count)
  end
  local errors = summary.errors
  io.write("BENCH-JSON ")
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "bytes": %d, "non_2xx": %d, "statuses": {%s}, ' ..
    '"errors": {"connect": %d, "read": %d, "write": %d, "timeout": %d}, ' ..
    '"latency_us": {"p50": %d, "p95": %d, "p99": %d, "max": %d, "mean": %.1f}, ' ..
    '"pool": %d, "pool_wrapped": %d}\n',
    summary.requests, summary.duration, summary.bytes, non, table.concat(parts, ", "),
    errors.connect, errors.read, errors.write, errors.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max,
    latency.mean, pooled, wraps))
end
