-- PATCH .../complete on the seeded tasks in turn, each thread starting at a different task, so concurrent
-- connections rarely update the same row at once.
dofile(os.getenv("BENCH_DIR") .. "/common.lua")
wrk.method = "PATCH"

local task_ids = {}
for id in string.gmatch(os.getenv("BENCH_TASK_IDS"), "%d+") do
  task_ids[#task_ids + 1] = id
end
local next_index = nil

function request()
  next_index = ((next_index or thread_number * 37) % #task_ids) + 1
  return wrk.format(nil, "/api/" .. user_id .. "/tasks/" .. task_ids[next_index] .. "/complete")
end
