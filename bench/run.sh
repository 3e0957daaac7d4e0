#!/usr/bin/env bash
# Benchmarks Backend.Api (published for linux-x64 as it ships: Release, ReadyToRun, Production settings) on a private
# PostgreSQL with wrk: list, create and toggle at each connection count and a raw baseline (bench/Baseline: same SQL,
# plain Npgsql, no auth, published the same way) for the list, once with Npgsql's defaults and once with the backend's
# statement preparation, then prints requests/s, p50, p99, error counts, both list/baseline ratios, the backend's RSS, start-to-ready times beside the baseline's, and the shipped garbage collector
# configuration beside Server GC. Beside those: creates spread over many accounts, builtin chat turns one at a time
# and from several users at once, the first chat turn after a fresh start of the backend and the MCP server, the MCP
# server's and the frontend's start-to-ready, and the SQL statements each kind of request runs (PostgreSQL's
# log_statement, counted per service by application name). Everything it starts is stopped on exit.
#
#   bench/run.sh                      # 10 s per run at 4 and 32 connections, 200 seeded tasks, 20 s warm-up
#   BENCH_DURATION=30s BENCH_CONNECTIONS="8 64" BENCH_SEED_TASKS=1000 BENCH_WARMUP=30s bench/run.sh
#
# Needs: dotnet (the SDK in global.json), PostgreSQL server binaries (/usr/lib/postgresql/*/bin or PG_BIN), wrk,
# curl and openssl. As root the server runs as the postgres user.
set -euo pipefail

duration=${BENCH_DURATION:-10s}
warmup=${BENCH_WARMUP:-20s}
connection_counts=${BENCH_CONNECTIONS:-"4 32"}
seed_tasks=${BENCH_SEED_TASKS:-200}
chat_turns=${BENCH_CHAT_TURNS:-40}
chat_users=${BENCH_CHAT_USERS:-4}
create_accounts=${BENCH_CREATE_ACCOUNTS:-32}
wrk_threads=${BENCH_THREADS:-2}

bench_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo_root=$(dirname "$bench_dir")

log() { printf '%s\n' "$*" >&2; }
fail() { log "bench: $*"; exit 1; }

ensure_wrk() {
  command -v wrk > /dev/null && return
  if [[ $(id -u) == 0 ]] && command -v apt-get > /dev/null; then
    log "Installing wrk..."
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends wrk > /dev/null ||
      { apt-get update > /dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends wrk > /dev/null; }
  else
    fail "wrk is missing: install it (sudo apt-get install wrk) and run again."
  fi
}

pg_bin_dir() {
  if [[ -n ${PG_BIN:-} ]]; then echo "$PG_BIN"; return; fi
  local newest
  newest=$(ls -d /usr/lib/postgresql/*/bin 2> /dev/null | sort -V | tail -n 1)
  [[ -n $newest ]] || fail "no PostgreSQL server under /usr/lib/postgresql: install postgresql or set PG_BIN."
  echo "$newest"
}

free_port() {
  local port
  while :; do
    port=$((20000 + RANDOM % 40000))
    if ! (exec 3<> "/dev/tcp/127.0.0.1/$port") 2> /dev/null; then echo "$port"; return; fi
  done
}

for tool in curl openssl dotnet; do
  command -v "$tool" > /dev/null || fail "$tool is missing."
done
ensure_wrk
pg_bin=$(pg_bin_dir)

work=$(mktemp -d -t phase4-bench.XXXXXX)
chmod 755 "$work"
backend_pid=
as_server_user=()
[[ $(id -u) == 0 ]] && as_server_user=(runuser -u postgres --)

cleanup() {
  [[ -n ${mcp_pid:-} ]] && kill -TERM "$mcp_pid" 2> /dev/null && wait "$mcp_pid" 2> /dev/null
  [[ -n ${frontend_pid:-} ]] && kill -TERM "$frontend_pid" 2> /dev/null && wait "$frontend_pid" 2> /dev/null
  [[ -n ${baseline_pid:-} ]] && kill -TERM "$baseline_pid" 2> /dev/null && wait "$baseline_pid" 2> /dev/null
  [[ -n ${prepared_baseline_pid:-} ]] && kill -TERM "$prepared_baseline_pid" 2> /dev/null && wait "$prepared_baseline_pid" 2> /dev/null
  if [[ -n $backend_pid ]] && kill -0 "$backend_pid" 2> /dev/null; then
    kill -TERM "$backend_pid" 2> /dev/null || true
    wait "$backend_pid" 2> /dev/null || true
  fi
  if [[ -f $work/pgdata/postmaster.pid ]]; then
    "${as_server_user[@]}" "$pg_bin/pg_ctl" -D "$work/pgdata" -m fast -w stop > /dev/null 2>&1 || true
  fi
  # BENCH_KEEP_LOGS=DIR keeps the services' and PostgreSQL's logs for a look afterwards.
  if [[ -n ${BENCH_KEEP_LOGS:-} ]]; then
    mkdir -p "$BENCH_KEEP_LOGS" && cp "$work"/*.log "$work/pgdata/server.log" "$BENCH_KEEP_LOGS/" 2> /dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# 1. A private PostgreSQL with default durability settings, reachable on loopback only.
pg_port=$(free_port)
log "Starting PostgreSQL ($pg_bin) on 127.0.0.1:$pg_port..."
mkdir "$work/pgdata"
[[ $(id -u) == 0 ]] && chown postgres: "$work/pgdata"
"${as_server_user[@]}" "$pg_bin/initdb" -D "$work/pgdata" -U postgres -A trust -E UTF8 --no-instructions > "$work/initdb.log" 2>&1 ||
  fail "initdb failed: $(cat "$work/initdb.log")"
"${as_server_user[@]}" "$pg_bin/pg_ctl" -D "$work/pgdata" -l "$work/pgdata/server.log" -w -t 30 \
  -o "-p $pg_port -c listen_addresses=127.0.0.1 -c unix_socket_directories= -c max_connections=200 -c log_line_prefix=%a:" start > /dev/null ||
  fail "PostgreSQL did not start: $(tail -n 20 "$work/pgdata/server.log")"
"$pg_bin/createdb" -h 127.0.0.1 -p "$pg_port" -U postgres tasksdb

# 2. The backend published as it ships (ReadyToRun for linux-x64, see Backend.Api.csproj).
publish() { # PROJECT-DIR OUTPUT-DIR
  log "Publishing $(basename "$1") (Release, linux-x64, ReadyToRun)..."
  dotnet publish "$1" -c Release -r linux-x64 --self-contained false -p:UseAppHost=false -o "$2" -v quiet -nologo \
    > "$work/publish-$(basename "$1").log" 2>&1 || fail "publish failed: $(tail -n 20 "$work/publish-$(basename "$1").log")"
}
publish "$repo_root/Backend.Api" "$work/backend"
api_port=$(free_port)
base_url=http://127.0.0.1:$api_port
signing_key=$(openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 2> /dev/null)
connection_string="Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=tasksdb"

# The MCP server published the way its image is (McpServer/Dockerfile).
publish "$repo_root/McpServer" "$work/mcpserver"
mcp_url=http://127.0.0.1:$(free_port)
public_key=$(openssl pkey -pubout <<< "$signing_key" 2> /dev/null)

now() { date +%s.%N; }
seconds_since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }'; }

# wait_ready URL PID LOG: polls URL/health until 200 (fails after 60 s or if PID exits), every 20 ms: start-to-ready
# is compared with a baseline that is ready in about 0.3 s, which a coarser poll would blur.
wait_ready() {
  for _ in $(seq 1 3000); do
    curl -fsS -o /dev/null "$1/health" 2> /dev/null && return
    kill -0 "$2" 2> /dev/null || fail "the process exited: $(tail -n 30 "$3")"
    sleep 0.02
  done
  fail "$1 is not healthy after 60 s: $(tail -n 30 "$3")"
}

# start_backend [VAR=VALUE...]: extra environment, e.g. another garbage collector configuration.
start_backend() {
  (
    cd "$work/backend"
    exec env "$@" ASPNETCORE_ENVIRONMENT=Production \
      ConnectionStrings__tasksdb="$connection_string;Application Name=phase4-backend" \
      Jwt__SigningKey="$signing_key" \
      services__mcpserver__http__0="$mcp_url" \
      Logging__LogLevel__Default=Warning Shutdown__DrainDelay=00:00:00 \
      Quotas__TasksPerUser=100000000 Quotas__ChatTurnsPerHour=100000000 Quotas__ConversationsPerUser=100000000 \
      RateLimits__SignUp__Burst=100000 RateLimits__SignIn__Burst=100000 \
      dotnet Backend.Api.dll --urls "$base_url"
  ) >> "$work/backend.log" 2>&1 &
  backend_pid=$!
}

# The schema is applied by its own step before any backend serves (Backend.Api/Database/MigrationCommand.cs).
log "Migrating the database (Backend.Api migrate)..."
started=$(now)
(cd "$work/backend" && DOTNET_ENVIRONMENT=Production ConnectionStrings__tasksdb="$connection_string" exec dotnet Backend.Api.dll migrate) \
  > "$work/migrator.log" 2>&1 || fail "the migrator failed: $(tail -n 20 "$work/migrator.log")"
migrator_s=$(seconds_since "$started")

log "Starting Backend.Api on $base_url..."
started=$(now)
start_backend
wait_ready "$base_url" "$backend_pid" "$work/backend.log"
backend_first_ready_s=$(seconds_since "$started")

# The MCP server, which the chat agent calls; it reports ready once the schema is current.
start_mcp() {
  (
    cd "$work/mcpserver"
    ASPNETCORE_ENVIRONMENT=Production ConnectionStrings__tasksdb="$connection_string;Application Name=phase4-mcp" \
      Jwt__PublicKey="$public_key" Quotas__TasksPerUser=100000000 Shutdown__DrainDelay=00:00:00 RateLimits__ToolCalls__Burst=100000000 \
      Logging__LogLevel__Default=Warning exec dotnet McpServer.dll --urls "$mcp_url"
  ) >> "$work/mcp.log" 2>&1 &
  mcp_pid=$!
}
stop_mcp() { kill -TERM "$mcp_pid" && wait "$mcp_pid" 2> /dev/null || true; }
start_mcp
wait_ready "$mcp_url" "$mcp_pid" "$work/mcp.log"

# The yardstick: a minimal ASP.NET Core app doing the list SQL with plain Npgsql, no auth (bench/Baseline).
publish "$bench_dir/Baseline" "$work/baseline"
baseline_url=http://127.0.0.1:$(free_port)
start_baseline() {
  (
    cd "$work/baseline"
    ConnectionStrings__tasksdb="$connection_string" exec dotnet Baseline.dll --urls "$baseline_url"
  ) >> "$work/baseline.log" 2>&1 &
  baseline_pid=$!
}
start_baseline
wait_ready "$baseline_url" "$baseline_pid" "$work/baseline.log"
# The same baseline with the server-side statement preparation the backend ships with (Max Auto Prepare, see
# Backend.Api/Database/DatabaseSetup.cs): the like-for-like yardstick, printed beside the plain one.
prepared_baseline_url=http://127.0.0.1:$(free_port)
(
  cd "$work/baseline"
  ConnectionStrings__tasksdb="$connection_string;Max Auto Prepare=20" exec dotnet Baseline.dll --urls "$prepared_baseline_url"
) >> "$work/baseline-prepared.log" 2>&1 &
prepared_baseline_pid=$!
wait_ready "$prepared_baseline_url" "$prepared_baseline_pid" "$work/baseline-prepared.log"

# 3. One user with seeded tasks.
json_field() { sed -n "s/.*\"$1\":\"\{0,1\}\([^\",}]*\).*/\1/p"; }
email="bench-$RANDOM$RANDOM@example.com"
password="bench-password-$RANDOM$RANDOM"
credentials="{\"email\":\"$email\",\"password\":\"$password\"}"
curl -fsS -o /dev/null -H 'Content-Type: application/json' -d "$credentials" "$base_url/api/auth/register" || fail "register failed"
login=$(curl -fsS -H 'Content-Type: application/json' -d "$credentials" "$base_url/api/auth/login") || fail "login failed"
export BENCH_TOKEN BENCH_USER_ID BENCH_TASK_IDS BENCH_DIR=$bench_dir
BENCH_TOKEN=$(json_field access_token <<< "$login")
BENCH_USER_ID=$(json_field user_id <<< "$login")
[[ -n $BENCH_TOKEN && -n $BENCH_USER_ID ]] || fail "unexpected login answer: $login"

log "Seeding $seed_tasks tasks..."
task_ids=()
for i in $(seq 1 "$seed_tasks"); do
  created=$(curl -fsS -H "Authorization: Bearer $BENCH_TOKEN" -H 'Content-Type: application/json' \
    -d "{\"title\":\"seeded task $i\",\"description\":\"benchmark seed\"}" "$base_url/api/$BENCH_USER_ID/tasks") || fail "seeding failed"
  task_ids+=("$(json_field id <<< "$created")")
done
BENCH_TASK_IDS=${task_ids[*]}

# More accounts: BENCH_CREATE_ACCOUNTS for creates spread over many accounts, BENCH_CHAT_USERS for chat turns from
# several users at once. Each prints as "user_id:token".
register_account() { # PREFIX
  local body="{\"email\":\"$1-$RANDOM$RANDOM@example.com\",\"password\":\"bench-password-$RANDOM$RANDOM\"}" answer
  curl -fsS -o /dev/null -H 'Content-Type: application/json' -d "$body" "$base_url/api/auth/register" || fail "register failed"
  answer=$(curl -fsS -H 'Content-Type: application/json' -d "$body" "$base_url/api/auth/login") || fail "login failed"
  printf '%s:%s\n' "$(json_field user_id <<< "$answer")" "$(json_field access_token <<< "$answer")"
}
log "Registering $create_accounts accounts for spread creates and $chat_users chat users..."
export BENCH_ACCOUNTS
BENCH_ACCOUNTS=$(for _ in $(seq 1 "$create_accounts"); do register_account bench-spread; done | tr '\n' ' ')
mapfile -t chat_accounts < <(for _ in $(seq 1 "$chat_users"); do register_account bench-chat; done)
# Planner statistics for the seeded rows now, as a database in service has them, rather than whenever autovacuum's
# next round happens to land during the measurements.
"$pg_bin/psql" -h 127.0.0.1 -p "$pg_port" -U postgres -d tasksdb -qc 'ANALYZE' || fail "ANALYZE failed"

# 4. wrk: every scenario at every connection count, then the baseline's list.
run_wrk() { # NAME URL SCRIPT CONNECTIONS
  local threads=$(($4 < wrk_threads ? $4 : wrk_threads)) output rps p50 p99 non2xx socket_errors
  log "wrk: $1, $4 connections, $duration..."
  output=$(wrk -t "$threads" -c "$4" -d "$duration" -s "$bench_dir/$3.lua" "$2") || fail "wrk failed: $output"
  read -r rps p50 p99 non2xx socket_errors < <(sed -n 's/^BENCH_RESULT //p' <<< "$output") ||
    fail "no result line from wrk: $output"
  results+=("$1 $4 $rps $p50 $p99 $non2xx $socket_errors")
  eval "rps_${1//-/_}_$4=$rps"
}
results=()
# Warm-up, not recorded: under load the runtime recompiles the hot ReadyToRun code with profile-guided optimisation,
# which takes the backend (far more code than the baseline) 15-20 s; measured before that, the figures describe the
# warm-up rather than the service (docs/benchmarks.md). Both get the same warm-up.
warm_up() { # URL
  log "wrk: warm-up of $1, $warmup..."
  wrk -t "$wrk_threads" -c 4 -d "$warmup" -s "$bench_dir/list.lua" "$1" > /dev/null || fail "wrk warm-up failed"
}
warm_up "$base_url"
warm_up "$baseline_url"
warm_up "$prepared_baseline_url"
# The lists first, backend and baseline back to back, so both read the same 200 seeded rows of the same user under
# much the same machine load (the create scenarios grow the table). BENCH_LIST_ROUNDS rounds of that, each giving its
# own ratios: the machine's speed drifts between runs seconds apart by more than the gap measured, so the figure
# reported is the median round's, with every round's printed beside it.
list_rounds=${BENCH_LIST_ROUNDS:-3}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
for round in $(seq 1 "$list_rounds"); do
  for connections in $connection_counts; do
    run_wrk list "$base_url" list "$connections"
    run_wrk baseline-list "$baseline_url" list "$connections"
    run_wrk prepared-baseline-list "$prepared_baseline_url" list "$connections"
    list_var=rps_list_$connections baseline_var=rps_baseline_list_$connections prepared_var=rps_prepared_baseline_list_$connections
    eval "plain_ratios_$connections+=(\"$(ratio "${!list_var}" "${!baseline_var}")\")"
    eval "prepared_ratios_$connections+=(\"$(ratio "${!list_var}" "${!prepared_var}")\")"
  done
done
for scenario in create create-many toggle; do
  for connections in $connection_counts; do
    run_wrk "$scenario" "$base_url" "$scenario" "$connections"
  done
done

# 4b. Latency of a tool-using builtin chat turn and of a direct MCP tool call, one request at a time, as the client
# sees it on loopback (so close to the server-side time).
percentiles() { # reads seconds, one per line; prints "p50 p99" in ms
  sort -n | awk '{ v[NR] = $1 } END { i50 = int(NR * 0.50 + 0.5); i99 = int(NR * 0.99 + 0.5); if (i50 < 1) i50 = 1; if (i99 < 1) i99 = 1;
    printf "%.1f %.1f\n", v[i50] * 1000, v[i99] * 1000 }'
}
chat_turn() { # USER_ID TOKEN TEXT: prints the turn's time in seconds, or "failed STATUS" (counted, not fatal)
  local answer
  answer=$(curl -sS -o /dev/null -w '%{http_code} %{time_total}' -H "Authorization: Bearer $2" -H 'Content-Type: application/json' \
    -d "{\"message\":\"Add a task to buy $3\"}" "$base_url/api/$1/chat") || answer="000 0"
  if [[ $answer == 200\ * ]]; then echo "${answer#* }"; else echo "failed ${answer%% *}"; fi
}
failed_turns() { grep -c '^failed' || true; }
log "Chat: $chat_turns builtin turns that call add_task through the MCP server..."
chat_times=$(for i in $(seq 1 "$chat_turns"); do chat_turn "$BENCH_USER_ID" "$BENCH_TOKEN" "bench item $i"; done)
read -r chat_p50 chat_p99 < <(grep -v '^failed' <<< "$chat_times" | percentiles)
chat_failed=$(failed_turns <<< "$chat_times")
log "Chat: $chat_users users at once, $chat_turns turns each..."
chat_started=$(now)
chat_pids=()
for account in "${chat_accounts[@]}"; do
  (for i in $(seq 1 "$chat_turns"); do chat_turn "${account%%:*}" "${account#*:}" "shared item $i"; done > "$work/chat-${account%%:*}.txt") &
  chat_pids+=("$!")
done
wait "${chat_pids[@]}"
chat_many_s=$(seconds_since "$chat_started")
read -r chat_many_p50 chat_many_p99 < <(cat "$work"/chat-*.txt | grep -v '^failed' | percentiles)
chat_many_failed=$(cat "$work"/chat-*.txt | failed_turns)
chat_many_rate=$(awk -v n="$((chat_users * chat_turns))" -v s="$chat_many_s" 'BEGIN { printf "%.1f", n / s }')
mcp_token=$(curl -fsS -X POST -H "Authorization: Bearer $BENCH_TOKEN" "$base_url/api/auth/mcp-token" | json_field access_token)
[[ -n $mcp_token ]] || fail "no MCP token"
log "MCP: $chat_turns direct list_tasks calls over Streamable HTTP..."
mcp_times=$(for i in $(seq 1 "$chat_turns"); do
  curl -fsS -o /dev/null -w '%{time_total}\n' -H "Authorization: Bearer $mcp_token" -H 'Content-Type: application/json' \
    -H 'Accept: application/json, text/event-stream' -H 'MCP-Protocol-Version: 2025-06-18' \
    -d "{\"jsonrpc\":\"2.0\",\"id\":$i,\"method\":\"tools/call\",\"params\":{\"name\":\"list_tasks\",\"arguments\":{\"status\":\"pending\"}}}" \
    "$mcp_url/mcp" || fail "MCP call failed"
done)
read -r mcp_p50 mcp_p99 < <(percentiles <<< "$mcp_times")

# 4c. SQL statements per request of each kind, per service: PostgreSQL logs every statement while the requests run one
# at a time (log_statement = all, only now: it would slow the load runs), each line prefixed with the connection's
# application name. A batch sent as one simple query (Npgsql's connection reset) logs as one line, so counts one.
psql_admin() { "$pg_bin/psql" -h 127.0.0.1 -p "$pg_port" -U postgres -d tasksdb -qAtc "$1" > /dev/null; }
count_statements() { # KIND REQUESTS COMMAND...: runs COMMAND, which makes REQUESTS requests of KIND
  local kind=$1 requests=$2 from
  shift 2
  psql_admin "ALTER SYSTEM SET log_statement = 'all'" && psql_admin "SELECT pg_reload_conf()" && sleep 1
  from=$(wc -l < "$work/pgdata/server.log")
  "$@" > /dev/null
  sleep 1
  psql_admin "ALTER SYSTEM RESET log_statement" && psql_admin "SELECT pg_reload_conf()"
  statement_rows+=("$kind $(tail -n "+$((from + 1))" "$work/pgdata/server.log" | awk -v n="$requests" '
    /LOG:  (statement|execute [^:]*): / { if ($0 ~ /^phase4-backend:/) backend++; else if ($0 ~ /^phase4-mcp:/) mcp++ }
    END { printf "%.1f %.1f", backend / n, mcp / n }')")
}
repeat_curl() { # TIMES CURL-ARGS...
  local times=$1
  shift
  for _ in $(seq 1 "$times"); do curl -fsS -o /dev/null "$@" || log "bench: a counted request failed: ${*: -1}"; done
}
statement_rows=()
auth=(-H "Authorization: Bearer $BENCH_TOKEN")
count_statements list 20 repeat_curl 20 "${auth[@]}" "$base_url/api/$BENCH_USER_ID/tasks?status=all&limit=50"
count_statements create 20 repeat_curl 20 "${auth[@]}" -H 'Content-Type: application/json' -d '{"title":"counted"}' "$base_url/api/$BENCH_USER_ID/tasks"
count_statements toggle 20 repeat_curl 20 "${auth[@]}" -X PATCH "$base_url/api/$BENCH_USER_ID/tasks/${task_ids[0]}/complete"
count_statements "chat-turn" 10 repeat_curl 10 "${auth[@]}" -H 'Content-Type: application/json' \
  -d '{"message":"Add a task to buy counted things"}' "$base_url/api/$BENCH_USER_ID/chat"
count_statements "mcp-list_tasks" 10 repeat_curl 10 -H "Authorization: Bearer $mcp_token" -H 'Content-Type: application/json' \
  -H 'Accept: application/json, text/event-stream' -H 'MCP-Protocol-Version: 2025-06-18' \
  -d '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"list_tasks","arguments":{"status":"pending"}}}' "$mcp_url/mcp"

kill -0 "$backend_pid" 2> /dev/null || fail "the backend died during the run: $(tail -n 30 "$work/backend.log")"
rss_kb=$(awk '/^VmRSS/ { print $2 }' "/proc/$backend_pid/status")
peak_rss_kb=$(awk '/^VmHWM/ { print $2 }' "/proc/$backend_pid/status")
# Where a resident set is: mapped files (assemblies and native libraries: code), the runtime's double-mapped memory
# for generated code and stubs (W^X, memfd:doublemapper), and anonymous memory (GC heap, native allocations).
rss_parts() { # PID
  awk '/^[0-9a-f]+-[0-9a-f]+ / { name = $6 }
    /^Rss:/ { total += $2; if (name ~ /doublemapper/) generated += $2; else if (name ~ /^\//) files += $2; else anonymous += $2 }
    END { printf "%d MB: mapped files %d MB, runtime-generated code and stubs %d MB, anonymous %d MB",
      total / 1024, files / 1024, generated / 1024, anonymous / 1024 }' "/proc/$1/smaps"
}
backend_rss_parts=$(rss_parts "$backend_pid")
baseline_rss_parts=$(rss_parts "$baseline_pid")
mcp_rss_parts=$(rss_parts "$mcp_pid")

stop_backend() { kill -TERM "$backend_pid" && wait "$backend_pid" 2> /dev/null || true; }
stop_baseline() { kill -TERM "$baseline_pid" && wait "$baseline_pid" 2> /dev/null || true; }
median() { sort -n | awk '{ v[NR] = $1 } END { printf "%.2f", NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# 5. Start-to-ready on the now-current schema (the usual restart), alternating backend and baseline so both see much
# the same machine load; the medians of several starts make the ratio.
restarts=${BENCH_RESTARTS:-5}
stop_backend
stop_baseline
kill -TERM "$prepared_baseline_pid" && wait "$prepared_baseline_pid" 2> /dev/null || true
prepared_baseline_pid=
stop_mcp
# The frontend's Node server with its production dependencies (from the npm registry, once per run), serving an empty
# static folder: its start-to-ready is the server's, not the React build's. Left out when npm is missing.
frontend_url=http://127.0.0.1:$(free_port)
frontend_ready=
if command -v npm > /dev/null; then
  mkdir -p "$work/frontend/static" && cp -r "$repo_root/Frontend/server" "$repo_root/Frontend/package.json" "$repo_root/Frontend/package-lock.json" "$work/frontend/"
  echo '<!doctype html><title>bench</title>' > "$work/frontend/static/index.html"
  (cd "$work/frontend" && npm ci --omit=dev --ignore-scripts --no-audit --no-fund) > "$work/frontend-install.log" 2>&1 && frontend_ready=1 ||
    log "bench: npm ci of the frontend failed, its start is not measured: $(tail -n 5 "$work/frontend-install.log")"
fi
start_frontend() {
  (
    cd "$work/frontend"
    NODE_ENV=production PORT=${frontend_url##*:} HOST=127.0.0.1 BACKEND_URL=$base_url MCP_URL=$mcp_url STATIC_DIR=$work/frontend/static \
      SHUTDOWN_DRAIN_DELAY_MS=0 exec node server/index.js
  ) >> "$work/frontend.log" 2>&1 &
  frontend_pid=$!
}
# Each round: a fresh MCP server, then a fresh backend (each timed to ready), then the first chat turn they serve,
# then the baseline and the frontend.
backend_starts=() baseline_starts=() mcp_starts=() first_turns=() frontend_starts=()
for round in $(seq 1 "$restarts"); do
  started=$(now); start_mcp; wait_ready "$mcp_url" "$mcp_pid" "$work/mcp.log"
  mcp_starts+=("$(seconds_since "$started")")
  started=$(now); start_backend; wait_ready "$base_url" "$backend_pid" "$work/backend.log"
  backend_starts+=("$(seconds_since "$started")")
  first_turns+=("$(chat_turn "$BENCH_USER_ID" "$BENCH_TOKEN" "first item $round")")
  stop_backend; stop_mcp
  started=$(now); start_baseline; wait_ready "$baseline_url" "$baseline_pid" "$work/baseline.log"
  baseline_starts+=("$(seconds_since "$started")"); stop_baseline
  if [[ -n $frontend_ready ]]; then
    started=$(now); start_frontend; wait_ready "$frontend_url" "$frontend_pid" "$work/frontend.log"
    frontend_starts+=("$(seconds_since "$started")")
    kill -TERM "$frontend_pid" && wait "$frontend_pid" 2> /dev/null || true
  fi
done
frontend_pid=
backend_restart_ready_s=$(printf '%s\n' "${backend_starts[@]}" | median)
baseline_ready_s=$(printf '%s\n' "${baseline_starts[@]}" | median)
mcp_ready_s=$(printf '%s\n' "${mcp_starts[@]}" | median)
first_turns_failed=$(printf '%s\n' "${first_turns[@]}" | failed_turns)
first_turn_ms=$(printf '%s\n' "${first_turns[@]}" | grep -v '^failed' | median | awk '{ printf "%.1f", $1 * 1000 }')

# 6. The garbage collector: the shipped configuration (Server GC with dynamic adaptation; see Backend.Api.csproj)
# beside workstation non-concurrent GC, each on a fresh process doing the same list and create runs.
gc_compare() { # NAME [VAR=VALUE...]
  local name=$1
  shift
  start_backend "$@"
  wait_ready "$base_url" "$backend_pid" "$work/backend.log"
  run_wrk "gc-$name-list" "$base_url" list "$gc_connections"
  run_wrk "gc-$name-create" "$base_url" create "$gc_connections"
  gc_rows+=("$name $(awk '/^VmRSS/ { printf "%d", $2 / 1024 }' "/proc/$backend_pid/status") $(awk '/^VmHWM/ { printf "%d", $2 / 1024 }' "/proc/$backend_pid/status")")
  stop_backend
}
gc_connections=$(tr ' ' '\n' <<< "$connection_counts" | sort -n | tail -n 1)
gc_rows=()
gc_compare shipped
gc_compare workstation DOTNET_gcServer=0 DOTNET_gcConcurrent=0

printf '\nBackend.Api (Release, Production) on PostgreSQL %s, %s per run after a %s warm-up, %s wrk threads, %s seeded tasks\n' \
  "$("$pg_bin/postgres" --version | awk '{print $3}')" "$duration" "$warmup" "$wrk_threads" "$seed_tasks"
printf '%-22s %11s %12s %9s %9s %8s %13s\n' scenario connections requests/s "p50 ms" "p99 ms" non-2xx socket-errors
for row in "${results[@]}"; do
  # shellcheck disable=SC2086 # the row is space-separated on purpose
  printf '%-22s %11s %12s %9s %9s %8s %13s\n' $row
done
printf '\n'
for connections in $connection_counts; do
  plain_var="plain_ratios_${connections}[*]" prepared_var="prepared_ratios_${connections}[*]"
  printf 'list / baseline throughput at %s connections, median of %s rounds: %s (target >= 0.8; rounds: %s); like for like, against the baseline with the same statement preparation: %s (target >= 0.9; rounds: %s)\n' \
    "$connections" "$list_rounds" "$(tr ' ' '\n' <<< "${!plain_var}" | median)" "${!plain_var}" \
    "$(tr ' ' '\n' <<< "${!prepared_var}" | median)" "${!prepared_var}"
done
printf 'backend RSS at the end of the run: %d MB (peak %d MB; target < 150 MB)\n' $((rss_kb / 1024)) $((peak_rss_kb / 1024))
printf '  backend %s\n  baseline (list load only) %s\n  MCP server (the chat turns and MCP calls only) %s\n' \
  "$backend_rss_parts" "$baseline_rss_parts" "$mcp_rss_parts"
printf 'start to /health ready: backend %ss first start (after the migrator, which took %ss); restart median of %s: backend %ss, baseline %ss, ratio %s (target <= 1.25)\n' \
  "$backend_first_ready_s" "$migrator_s" "$restarts" "$backend_restart_ready_s" "$baseline_ready_s" \
  "$(awk -v a="$backend_restart_ready_s" -v b="$baseline_ready_s" 'BEGIN { printf "%.2f", a / b }')"
printf '  backend starts: %s s; baseline starts: %s s\n' "${backend_starts[*]}" "${baseline_starts[*]}"
printf '  MCP server starts: %s s (median %s s, %s of the baseline)\n' "${mcp_starts[*]}" "$mcp_ready_s" \
  "$(awk -v a="$mcp_ready_s" -v b="$baseline_ready_s" 'BEGIN { printf "%.2f", a / b }')"
if [[ ${#frontend_starts[@]} -gt 0 ]]; then
  printf '  frontend (Node server) starts: %s s (median %s s)\n' "${frontend_starts[*]}" "$(printf '%s\n' "${frontend_starts[@]}" | median)"
fi
printf 'builtin chat turn (add_task via MCP), %s sequential turns: p50 %s ms, p99 %s ms, %s failed\n' "$chat_turns" "$chat_p50" "$chat_p99" "$chat_failed"
printf 'first chat turn after a fresh start of the MCP server and the backend, median of %s: %s ms (%s of the p50 above; target <= 5; %s failed); each: %s s\n' \
  "$restarts" "$first_turn_ms" "$(awk -v a="$first_turn_ms" -v b="$chat_p50" 'BEGIN { printf "%.1f", a / b }')" "$first_turns_failed" "${first_turns[*]}"
printf 'builtin chat turns from %s users at once, %s each: p50 %s ms, p99 %s ms, %s turns/s, %s failed\n' \
  "$chat_users" "$chat_turns" "$chat_many_p50" "$chat_many_p99" "$chat_many_rate" "$chat_many_failed"
printf 'SQL statements per request (one at a time; PostgreSQL log_statement):\n'
for row in "${statement_rows[@]}"; do
  read -r kind backend_count mcp_count <<< "$row"
  printf '  %-16s backend %5s  MCP server %5s  total %5s\n' "$kind" "$backend_count" "$mcp_count" \
    "$(awk -v a="$backend_count" -v b="$mcp_count" 'BEGIN { printf "%.1f", a + b }')"
done
for connections in $connection_counts; do
  create_var=rps_create_$connections spread_var=rps_create_many_$connections
  printf 'creates at %s connections: one account %s/s, %s accounts %s/s\n' "$connections" "${!create_var}" "$create_accounts" "${!spread_var}"
done
printf 'direct MCP tools/call list_tasks (%s seeded tasks), %s sequential calls: p50 %s ms, p99 %s ms\n' \
  "$seed_tasks" "$chat_turns" "$mcp_p50" "$mcp_p99"
for row in "${gc_rows[@]}"; do
  read -r name rss peak <<< "$row"
  list_var=rps_gc_${name}_list_$gc_connections create_var=rps_gc_${name}_create_$gc_connections
  printf 'GC %-11s (%s connections): list %s requests/s, create %s requests/s, RSS after %s MB (peak %s MB)\n' \
    "$name" "$gc_connections" "${!list_var}" "${!create_var}" "$rss" "$peak"
done
