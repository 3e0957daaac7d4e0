-- POST a new task; titles differ per thread and request so each insert is distinct.
dofile(os.getenv("BENCH_DIR") .. "/common.lua")
wrk.method = "POST"
wrk.path = "/api/" .. user_id .. "/tasks"
wrk.headers["Content-Type"] = "application/json"

local counter = 0

function request()
  counter = counter + 1
  local body = string.format('{"title":"bench task %d-%d","description":"created by wrk"}', thread_number, counter)
  return wrk.format(nil, nil, nil, body)
end
