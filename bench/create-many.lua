-- POST a new task as one of many accounts in turn (BENCH_ACCOUNTS: "user_id:token" separated by spaces), so the
-- creates measure the service rather than one account's queue on its own row.
dofile(os.getenv("BENCH_DIR") .. "/common.lua")

local accounts = {}
for user, token in string.gmatch(os.getenv("BENCH_ACCOUNTS"), "([^:%s]+):([^%s]+)") do
  accounts[#accounts + 1] = { path = "/api/" .. user .. "/tasks", token = token }
end

local counter = 0

function request()
  counter = counter + 1
  -- Each thread starts at another account, so the threads' connections spread over all of them.
  local account = accounts[(counter + (thread_number or 1) * 7) % #accounts + 1]
  local body = string.format('{"title":"bench task %d-%d","description":"created by wrk"}', thread_number, counter)
  return wrk.format("POST", account.path, {
    ["Authorization"] = "Bearer " .. account.token,
    ["Accept"] = "application/json",
    ["Content-Type"] = "application/json",
  }, body)
end
