-- Shared by the scenario scripts: the bearer token and user id come from run.sh through the environment, and every
-- run ends with one machine-readable line that run.sh turns into a table row.
token = os.getenv("BENCH_TOKEN")
user_id = os.getenv("BENCH_USER_ID")
wrk.headers["Authorization"] = "Bearer " .. token
wrk.headers["Accept"] = "application/json"

-- Numbers each thread (wrk runs setup in the main state, then sets the global in the thread's own state).
local threads_created = 0
function setup(thread)
  threads_created = threads_created + 1
  thread:set("thread_number", threads_created)
end

function done(summary, latency, requests)
  local seconds = summary.duration / 1000000
  local socket_errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format("BENCH_RESULT %.0f %.2f %.2f %d %d\n",
    summary.requests / seconds,
    latency:percentile(50) / 1000,
    latency:percentile(99) / 1000,
    summary.errors.status,
    socket_errors))
end
