-- Load across many accounts for the connection-budget, scale-out, limits and soak scripts. LOAD_SCENARIO: "list" (GET an
-- account's task list from the backend), "session-list" (the same through the frontend, the token as its session
-- cookie), "session-create" (a create through the frontend), "create" (POST a task; the id of every 201 goes to LOAD_ACKNOWLEDGED.<thread>)
-- or "mcp" (a tools/call list_tasks to the MCP server with the account's MCP token). LOAD_ACCOUNTS is a file of
-- "user_id token mcp_token" lines; each request picks the next account. The result is one line:
-- LOAD_RESULT requests 2xx 429 503 other-5xx other non-2xx, answers 429/503 without Retry-After, socket errors,
-- then p50 p99 max latency in ms (of every answer: wrk keeps one histogram).
local accounts = {}
for line in io.lines(os.getenv("LOAD_ACCOUNTS")) do
  local user, token, mcp = line:match("^(%S+) (%S+) (%S+)$")
  accounts[#accounts + 1] = { user = user, token = token, mcp = mcp }
end
local scenario = os.getenv("LOAD_SCENARIO")
-- LOAD_DELAY_MS paces each connection (a steady mix rather than as fast as possible).
local delay_ms = tonumber(os.getenv("LOAD_DELAY_MS") or "0")
if delay_ms > 0 then
  function delay()
    return delay_ms
  end
end
local threads = {}
local counter = 0

function setup(thread)
  threads[#threads + 1] = thread
  thread:set("thread_number", #threads)
end

function init()
  ok, too_many, unavailable, server_error, other, no_retry_after = 0, 0, 0, 0, 0, 0
  statuses = {}
  next_account = thread_number * 7
  if scenario == "create" or scenario == "session-create" then
    acknowledged = io.open(os.getenv("LOAD_ACKNOWLEDGED") .. "." .. thread_number, "w")
  end
end

function request()
  next_account = next_account % #accounts + 1
  local account = accounts[next_account]
  if scenario == "list" then
    return wrk.format("GET", "/api/" .. account.user .. "/tasks?status=all&limit=20",
      { ["Authorization"] = "Bearer " .. account.token, ["Accept"] = "application/json" })
  elseif scenario == "session-list" then
    return wrk.format("GET", "/api/" .. account.user .. "/tasks?status=all&limit=20",
      { ["Cookie"] = "phase4_session=" .. account.token, ["Accept"] = "application/json" })
  elseif scenario == "session-create" then
    counter = counter + 1
    return wrk.format("POST", "/api/" .. account.user .. "/tasks",
      { ["Cookie"] = "phase4_session=" .. account.token, ["Content-Type"] = "application/json" },
      string.format('{"title":"load %d-%d"}', thread_number, counter))
  elseif scenario == "create" then
    counter = counter + 1
    return wrk.format("POST", "/api/" .. account.user .. "/tasks",
      { ["Authorization"] = "Bearer " .. account.token, ["Content-Type"] = "application/json" },
      string.format('{"title":"load %d-%d"}', thread_number, counter))
  else
    counter = counter + 1
    return wrk.format("POST", "/mcp",
      { ["Authorization"] = "Bearer " .. account.mcp, ["Content-Type"] = "application/json",
        ["Accept"] = "application/json, text/event-stream", ["MCP-Protocol-Version"] = "2025-06-18" },
      string.format('{"jsonrpc":"2.0","id":%d,"method":"tools/call","params":{"name":"list_tasks","arguments":{"status":"all"}}}', counter))
  end
end

function response(status, headers, body)
  if status >= 200 and status < 300 then
    ok = ok + 1
    if status == 201 and acknowledged then
      acknowledged:write(body:match('^{"id":(%d+)') or "unparsed", "\n")
      acknowledged:flush()
    end
    return
  end
  statuses[status] = (statuses[status] or 0) + 1
  if status == 429 then too_many = too_many + 1
  elseif status == 503 then unavailable = unavailable + 1
  elseif status >= 500 then server_error = server_error + 1
  else other = other + 1 end
  local text = {}
  for code, count in pairs(statuses) do text[#text + 1] = code .. ":" .. count end
  status_text = table.concat(text, ",")
  if (status == 429 or status == 503) and not (headers["Retry-After"] or headers["retry-after"]) then
    no_retry_after = no_retry_after + 1
  end
end

function done(summary, latency, requests)
  local totals = { 0, 0, 0, 0, 0, 0 }
  for _, thread in ipairs(threads) do
    for i, name in ipairs({ "ok", "too_many", "unavailable", "server_error", "other", "no_retry_after" }) do
      totals[i] = totals[i] + thread:get(name)
    end
  end
  local by_status = {}
  for _, thread in ipairs(threads) do
    -- Each thread's tally of answers other than 2xx, as "status:count" text (tables do not cross threads).
    for status, count in string.gmatch(thread:get("status_text") or "", "(%d+):(%d+)") do
      by_status[status] = (by_status[status] or 0) + tonumber(count)
    end
  end
  local listed = {}
  for status, count in pairs(by_status) do listed[#listed + 1] = status .. ":" .. count end
  table.sort(listed)
  io.write("LOAD_STATUSES " .. (#listed > 0 and table.concat(listed, ",") or "none") .. "\n")
  local errors = summary.errors
  io.write(string.format("LOAD_RESULT %d %d %d %d %d %d %d %d %.1f %.1f %.1f\n", summary.requests,
    totals[1], totals[2], totals[3], totals[4], totals[5], totals[6],
    errors.connect + errors.read + errors.write + errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
