-- The load of bench/rolling-update.sh: one of the benchmark's scenarios (ROLLING_SCENARIO: list or create) with a tally
-- of every answer that is not 2xx and, for creates, the id of every task acknowledged with 201, one per line in
-- ROLLING_ACKNOWLEDGED.<thread>, so the script can check that each is stored. The result is one line:
-- ROLLING_RESULT <answered requests> <non-2xx answers> <socket errors: connect, read, write and time-outs>.
dofile(os.getenv("BENCH_DIR") .. "/" .. os.getenv("ROLLING_SCENARIO") .. ".lua")

local threads = {}
local number_thread = setup
function setup(thread)
  number_thread(thread)
  threads[#threads + 1] = thread
end

function init()
  non_2xx = 0
  acknowledged = io.open(os.getenv("ROLLING_ACKNOWLEDGED") .. "." .. thread_number, "w")
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    non_2xx = non_2xx + 1
  elseif status == 201 then
    acknowledged:write(body:match('^{"id":(%d+)') or "unparsed", "\n")
    acknowledged:flush()
  end
end

function done(summary)
  local failed = 0
  for _, thread in ipairs(threads) do
    failed = failed + thread:get("non_2xx")
  end
  local errors = summary.errors
  io.write(string.format("ROLLING_RESULT %d %d %d\n", summary.requests, failed,
    errors.connect + errors.read + errors.write + errors.timeout))
end
