-- wrk script of the bench (bench/load-worker.js runs `wrk -s bench/wrk-rotate.lua <url> -- <spec file>`).
-- The spec file, written by load-worker.js, is one setting per line:
--   method, path, header name ('' for none, ':path' to rotate the path), body kind ('', 'signin' or
--   'signup'), password, run tag, fixed headers (name TAB value TAB …, '' for none),
--   then one value per line (cookie header values, JWTs, paths or sign-in e-mails).
-- Each request takes the next value round-robin, so consecutive requests use different sessions.
-- Reads are formatted once in init(), so request() costs wrk a table lookup; sign-up formats a new
-- unique e-mail per request. done() prints one line of JSON that load-worker.js parses.

local requests_by_index = {}
local settings = {}
local values = {}
local counter = 0
-- thread_number: a global that setup() gives each thread (thread:set)

local function json_string(s)
  return '"' .. s:gsub('[%c"\\]', function(c) return string.format('\\u%04x', c:byte()) end) .. '"'
end

local threads_created = 0
function setup(thread)
  threads_created = threads_created + 1
  thread:set('thread_number', threads_created)
end

function init(args)
  local file = assert(io.open(args[1], 'r'))
  local lines = {}
  for line in file:lines() do lines[#lines + 1] = line end
  file:close()
  settings = { method = lines[1], path = lines[2], header = lines[3], body = lines[4], password = lines[5], tag = lines[6] }
  local fixed = {}
  for part in (lines[7] or ''):gmatch('[^\t]+') do fixed[#fixed + 1] = part end
  for i = 8, #lines do values[#values + 1] = lines[i] end
  -- Threads start at different offsets, so that with several threads they do not move in step.
  counter = ((thread_number or 1) - 1) * 7919
  if settings.body == '' then
    for i, value in ipairs(values) do
      local headers = {}
      for j = 1, #fixed - 1, 2 do headers[fixed[j]] = fixed[j + 1] end
      local path = settings.path
      if settings.header == ':path' then path = value elseif settings.header ~= '' then headers[settings.header] = value end
      requests_by_index[i] = wrk.format(settings.method, path, headers)
    end
  end
end

function request()
  counter = counter + 1
  if settings.body == '' then
    return requests_by_index[(counter % #requests_by_index) + 1]
  end
  local headers = { ['content-type'] = 'application/json' }
  local body
  if settings.body == 'signin' then
    body = '{"email":' .. json_string(values[(counter % #values) + 1]) .. ',"password":' .. json_string(settings.password) .. '}'
  else
    local email = string.format('signup-%s-%d-%d@bench.example.com', settings.tag, thread_number or 1, counter)
    body = '{"userId":"unique()","email":"' .. email .. '","password":' .. json_string(settings.password) .. '}'
  end
  return wrk.format(settings.method, settings.path, headers, body)
end

function done(summary, latency, _requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_RESULT {"requests":%d,"durationUs":%d,"bytes":%d,"connectErrors":%d,"readErrors":%d,"writeErrors":%d,"statusErrors":%d,"timeouts":%d,' ..
    '"p50Us":%.1f,"p90Us":%.1f,"p99Us":%.1f,"maxUs":%.1f,"meanUs":%.1f}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean))
end
