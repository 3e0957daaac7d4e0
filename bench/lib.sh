# Shared by the fault scripts: a private PostgreSQL, Release builds of our services started as real processes, a
# signed-in user, and cleanup of everything started. Source it; it sets `work` (a temporary folder) and traps EXIT.
# shellcheck shell=bash

bench_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo_root=$(dirname "$bench_dir")
work=$(mktemp -d -t phase4-fault.XXXXXX)
chmod 755 "$work"
started_pids=()
as_server_user=()
[[ $(id -u) == 0 ]] && as_server_user=(runuser -u postgres --)

log() { printf '%s\n' "$*" >&2; }
fail() { log "FAIL: $*"; exit 1; }
now() { date +%s.%N; }
seconds_since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }'; }

pg_bin=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2> /dev/null | sort -V | tail -n 1)}
[[ -x $pg_bin/pg_ctl ]] || fail "no PostgreSQL server binaries: set PG_BIN."

# Scripts add their own clean-up (network namespaces, cgroups) here; it runs first, on every exit.
cleanup_hooks=()
cleanup() {
  local pid hook
  for pid in "${started_pids[@]}"; do kill -KILL "$pid" 2> /dev/null || true; done
  [[ -f $work/pgdata/postmaster.pid ]] && "${as_server_user[@]}" "$pg_bin/pg_ctl" -D "$work/pgdata" -m immediate -w stop > /dev/null 2>&1
  for hook in "${cleanup_hooks[@]}"; do "$hook" || true; done
  # BENCH_KEEP_LOGS=DIR keeps every log of the run (the services', PostgreSQL's, wrk's) for a look afterwards.
  if [[ -n ${BENCH_KEEP_LOGS:-} ]]; then
    mkdir -p "$BENCH_KEEP_LOGS" && find "$work" -name '*.log' -o -name '*.txt' | while read -r file; do cp "$file" "$BENCH_KEEP_LOGS/"; done
  fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# free_port: a port nothing listens on, below the kernel's ephemeral range: a port some client socket holds as its
# local end refuses a listener too, and under load (wrk, HAProxy's checks, connection pools) there are thousands.
ephemeral_low=$(awk '{ print $1 }' /proc/sys/net/ipv4/ip_local_port_range 2> /dev/null || echo 32768)
free_port() {
  local port
  while :; do
    port=$((10000 + RANDOM % (ephemeral_low - 10000)))
    if ! (exec 3<> "/dev/tcp/127.0.0.1/$port") 2> /dev/null; then echo "$port"; return; fi
  done
}

pg_port=$(free_port)
# Where the server listens and how many connections it accepts (the manifests' figure in the connection-budget
# scripts); in_db runs a command where the server runs (a network namespace in bench/partitions.sh and bench/soak.sh).
pg_host=127.0.0.1
pg_max_connections=${PG_MAX_CONNECTIONS:-200}
in_db=()

init_postgres() {
  mkdir "$work/pgdata"
  [[ $(id -u) == 0 ]] && chown postgres: "$work/pgdata"
  "${as_server_user[@]}" "$pg_bin/initdb" -D "$work/pgdata" -U postgres -A trust -E UTF8 --no-instructions > "$work/initdb.log" 2>&1 ||
    fail "initdb: $(cat "$work/initdb.log")"
}

start_postgres() {
  "${in_db[@]}" "${as_server_user[@]}" "$pg_bin/pg_ctl" -D "$work/pgdata" -l "$work/pgdata/server.log" -w -t 30 \
    -o "-p $pg_port -c listen_addresses=$pg_host -c unix_socket_directories= -c max_connections=$pg_max_connections" start > /dev/null ||
    fail "PostgreSQL did not start: $(tail -n 20 "$work/pgdata/server.log")"
}

stop_postgres() { "${as_server_user[@]}" "$pg_bin/pg_ctl" -D "$work/pgdata" -m fast -w stop > /dev/null; }

create_database() { "${in_db[@]}" "$pg_bin/createdb" -h "$pg_host" -p "$pg_port" -U postgres tasksdb; }

sql() { "${in_db[@]}" "$pg_bin/psql" -h "$pg_host" -p "$pg_port" -U postgres -d tasksdb -tAc "$1"; }

# The runtime roles, which the migrator creates (the server trusts local connections, but the migrator only creates a
# role it is given a password for). Neither is a superuser, so neither may use PostgreSQL's superuser-reserved slots.
backend_role_password=$(openssl rand -hex 16)
mcp_role_password=$(openssl rand -hex 16)
# set_database_host HOST: the connection strings for a server at HOST (127.0.0.1 unless the script moved it).
set_database_host() {
  pg_host=$1
  connection_string="Host=$pg_host;Port=$pg_port;Username=postgres;Database=tasksdb;Timeout=3;Command Timeout=10"
  backend_connection_string="Host=$pg_host;Port=$pg_port;Username=phase4_backend;Password=$backend_role_password;Database=tasksdb;Timeout=3;Command Timeout=10"
  mcp_connection_string="Host=$pg_host;Port=$pg_port;Username=phase4_mcp;Password=$mcp_role_password;Database=tasksdb;Timeout=3;Command Timeout=10"
}
set_database_host 127.0.0.1

# run_migrator [BUILD_DIR]: `Backend.Api migrate` (default: the Release build) as the owner: applies the schema and
# creates the runtime roles; the backend only serves once it has run.
run_migrator() {
  local build=${1:-$repo_root/Backend.Api/bin/${BENCH_CONFIGURATION:-Release}/net10.0}
  (
    cd "$build"
    DOTNET_ENVIRONMENT=Production ConnectionStrings__tasksdb="$connection_string" \
      Database__Roles__Backend__Password="$backend_role_password" Database__Roles__Mcp__Password="$mcp_role_password" \
      exec "${in_db[@]}" dotnet Backend.Api.dll migrate
  ) >> "$work/migrator.log" 2>&1 || fail "the migrator failed: $(tail -n 20 "$work/migrator.log")"
}

# build_release PROJECT: builds it (BENCH_CONFIGURATION, default Release); BENCH_NO_BUILD=1 runs the build there is
# (the test suite's Debug build, in CI).
build_release() {
  [[ ${BENCH_NO_BUILD:-} == 1 ]] && return
  log "Building $1 (${BENCH_CONFIGURATION:-Release})..."
  dotnet build "$repo_root/$1" -c "${BENCH_CONFIGURATION:-Release}" -v quiet -nologo > "$work/build-$1.log" 2>&1 || fail "build: $(tail -n 20 "$work/build-$1.log")"
}

signing_key=$(openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 2> /dev/null)

# start_backend NAME PORT: starts Backend.Api in the background; its pid goes into started_pids and NAME_pid.
start_backend() {
  local name=$1 port=$2
  (
    cd "$repo_root/Backend.Api/bin/Release/net10.0"
    ASPNETCORE_ENVIRONMENT=Production ConnectionStrings__tasksdb="$connection_string" Jwt__SigningKey="$signing_key" \
      Shutdown__DrainDelay=00:00:00 Logging__LogLevel__Default=Warning Quotas__TasksPerUser=100000000 \
      exec dotnet Backend.Api.dll --urls "http://127.0.0.1:$port"
  ) > "$work/$name.log" 2>&1 &
  started_pids+=("$!")
  printf -v "${name}_pid" '%s' "$!"
  disown "$!" # killed on purpose (or at exit): no job-status noise

}

# wait_ready URL SECONDS: polls URL/health until 200; returns non-zero on time-out.
wait_ready() {
  local deadline=$(($(date +%s) + $2))
  while (($(date +%s) < deadline)); do
    curl -fsS -o /dev/null -m 2 "$1/health" 2> /dev/null && return 0
    sleep 0.2
  done
  return 1
}

json_field() { sed -n "s/.*\"$1\":\"\{0,1\}\([^\",}]*\).*/\1/p"; }

# in_client runs the script's own requests where its clients are (a network namespace in bench/soak.sh).
in_client=()

# sign_in URL: registers a fresh user and sets token and user_id.
sign_in() {
  local credentials="{\"email\":\"fault-$RANDOM$RANDOM@example.com\",\"password\":\"fault-password-$RANDOM\"}" login
  "${in_client[@]}" curl -fsS -o /dev/null -H 'Content-Type: application/json' -d "$credentials" "$1/api/auth/register" || fail "register failed"
  login=$("${in_client[@]}" curl -fsS -H 'Content-Type: application/json' -d "$credentials" "$1/api/auth/login") || fail "login failed"
  token=$(json_field access_token <<< "$login")
  user_id=$(json_field user_id <<< "$login")
}

# create_task URL TITLE: prints "STATUS SECONDS" for one create.
create_task() {
  curl -sS -o /dev/null -m 30 -w '%{http_code} %{time_total}\n' -H "Authorization: Bearer $token" \
    -H 'Content-Type: application/json' -d "{\"title\":\"$2\"}" "$1/api/$user_id/tasks" 2> /dev/null || echo "000 0"
}
