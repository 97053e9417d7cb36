-- wrk script: send the requests of a file in turn, each thread taking every n-th line from an offset, and
-- stop once the file is used up, so that no request repeats within a run.
-- wrk still waits out its duration after every thread stopped, so the throughput of a run that used up its
-- requests early is worked out from the mean latency (see load.parse_pool).
-- Arguments: file, offset (0-based), how many lines at most, the number of wrk threads.
-- A line is a path, then optional headers, separated by tabs ("Name: value").

local created = 0
local threads = {}

function setup(thread)
   thread:set("id", created)
   created = created + 1
   table.insert(threads, thread)
end

function init(args)
   local file, offset, limit = args[1], tonumber(args[2]), tonumber(args[3])
   step = tonumber(args[4])
   local lines = {}
   for line in io.lines(file) do
      local fields = {}
      for part in line:gmatch("[^\t]+") do
         table.insert(fields, part)
      end
      local headers = {}
      for index = 2, #fields do
         local name, value = fields[index]:match("^([^:]+):%s*(.*)$")
         headers[name] = value
      end
      table.insert(lines, wrk.format("GET", fields[1], headers))
   end
   requests = lines
   position = offset + id
   last = math.min(#lines, offset + limit)
   pending = 0
   hits = 0
   for index = position, last - 1, step do
      pending = pending + 1
   end
end

function request()
   local index = position
   position = position + step
   -- Past the end (only while the last answers of this thread are in flight): wrap around.
   return requests[(index % #requests) + 1]
end

function response(status, headers, body)
   if headers["X-Cache"] == "hit" or headers["x-cache"] == "hit" then
      hits = hits + 1
   end
   pending = pending - 1
   if pending <= 0 then
      wrk.thread:stop()
   end
end

function done(summary, latency, requests)
   local hits = 0
   for _, thread in ipairs(threads) do
      hits = hits + thread:get("hits")
   end
   io.write(string.format(
      "POOL hits=%d requests=%d duration_us=%d mean_us=%d p50_us=%d p99_us=%d status_errors=%d socket_errors=%d\n",
      hits, summary.requests, summary.duration, latency.mean, latency:percentile(50), latency:percentile(99),
      summary.errors.status, summary.errors.connect + summary.errors.read + summary.errors.write
         + summary.errors.timeout))
end
