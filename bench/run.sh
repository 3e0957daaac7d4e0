#!/usr/bin/env bash
# Benchmarks Backend.Api (Release, Production settings) on a private PostgreSQL with wrk: list, create and toggle at
# each connection count, then prints requests/s, p50, p99 and error counts. Everything it starts is stopped on exit.
#
#   bench/run.sh                      # 10 s per run at 4 and 32 connections, 200 seeded tasks
#   BENCH_DURATION=30s BENCH_CONNECTIONS="8 64" BENCH_SEED_TASKS=1000 bench/run.sh
#
# Needs: dotnet (the SDK in global.json), PostgreSQL server binaries (/usr/lib/postgresql/*/bin or PG_BIN), wrk,
# curl and openssl. As root the server runs as the postgres user.
set -euo pipefail

duration=${BENCH_DURATION:-10s}
connection_counts=${BENCH_CONNECTIONS:-"4 32"}
seed_tasks=${BENCH_SEED_TASKS:-200}
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
  if [[ -n $backend_pid ]] && kill -0 "$backend_pid" 2> /dev/null; then
    kill -TERM "$backend_pid" 2> /dev/null || true
    wait "$backend_pid" 2> /dev/null || true
  fi
  if [[ -f $work/pgdata/postmaster.pid ]]; then
    "${as_server_user[@]}" "$pg_bin/pg_ctl" -D "$work/pgdata" -m fast -w stop > /dev/null 2>&1 || true
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
  -o "-p $pg_port -c listen_addresses=127.0.0.1 -c unix_socket_directories= -c max_connections=200" start > /dev/null ||
  fail "PostgreSQL did not start: $(tail -n 20 "$work/pgdata/server.log")"
"$pg_bin/createdb" -h 127.0.0.1 -p "$pg_port" -U postgres tasksdb

# 2. The backend in Release, as it would run in production.
log "Building Backend.Api (Release)..."
dotnet build "$repo_root/Backend.Api" -c Release -v quiet -nologo > "$work/build.log" 2>&1 || fail "build failed: $(tail -n 20 "$work/build.log")"
api_port=$(free_port)
base_url=http://127.0.0.1:$api_port
signing_key=$(openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 2> /dev/null)
log "Starting Backend.Api on $base_url..."
(
  cd "$repo_root/Backend.Api/bin/Release/net10.0"
  ASPNETCORE_ENVIRONMENT=Production \
    ConnectionStrings__tasksdb="Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=tasksdb" \
    Jwt__SigningKey="$signing_key" \
    Logging__LogLevel__Default=Warning \
    exec dotnet Backend.Api.dll --urls "$base_url"
) > "$work/backend.log" 2>&1 &
backend_pid=$!

for _ in $(seq 1 120); do
  curl -fsS -o /dev/null "$base_url/health" 2> /dev/null && break
  kill -0 "$backend_pid" 2> /dev/null || fail "the backend exited: $(tail -n 30 "$work/backend.log")"
  sleep 0.5
done
curl -fsS -o /dev/null "$base_url/health" || fail "the backend is not healthy after 60 s: $(tail -n 30 "$work/backend.log")"

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

# 4. wrk: every scenario at every connection count.
results=()
for scenario in list create toggle; do
  for connections in $connection_counts; do
    threads=$((connections < wrk_threads ? connections : wrk_threads))
    log "wrk: $scenario, $connections connections, $duration..."
    output=$(wrk -t "$threads" -c "$connections" -d "$duration" -s "$bench_dir/$scenario.lua" "$base_url") || fail "wrk failed: $output"
    read -r rps p50 p99 non2xx socket_errors < <(sed -n 's/^BENCH_RESULT //p' <<< "$output") ||
      fail "no result line from wrk: $output"
    results+=("$scenario $connections $rps $p50 $p99 $non2xx $socket_errors")
  done
done

kill -0 "$backend_pid" 2> /dev/null || fail "the backend died during the run: $(tail -n 30 "$work/backend.log")"

printf '\nBackend.Api (Release, Production) on PostgreSQL %s, %s per run, %s wrk threads, %s seeded tasks\n' \
  "$("$pg_bin/postgres" --version | awk '{print $3}')" "$duration" "$wrk_threads" "$seed_tasks"
printf '%-8s %11s %12s %9s %9s %8s %13s\n' scenario connections requests/s "p50 ms" "p99 ms" non-2xx socket-errors
for row in "${results[@]}"; do
  # shellcheck disable=SC2086 # the row is space-separated on purpose
  printf '%-8s %11s %12s %9s %9s %8s %13s\n' $row
done
