#!/usr/bin/env bash
# Zero-downtime rolling updates, proven. Two Backend.Api replicas behind HAProxy standing in for a Kubernetes Service
# (rolling-update/haproxy.cfg), under read and write load from wrk, are replaced one after the other as a Deployment
# with maxSurge 1 / maxUnavailable 0 replaces them: first onto the same build (a restart), then onto the next release
# (rolling-update/build-next-release.sh: this build plus one additive migration), whose migrator runs while the current
# build keeps serving and before which the next release stays unready. Each pod terminates as the kubelet ends it: out
# of the Service's endpoints shortly after termination starts, SIGTERM after the preStop sleep, drain, exit within the
# grace period. Prints the requests, failed requests (non-2xx and socket errors), acknowledged writes and how many of
# them are stored; exits non-zero on any failed request or lost write.
#   bench/rolling-update.sh    ROLLING_READERS=4 ROLLING_WRITERS=4 (wrk connections), ROLLING_PRESTOP=5
#                              ROLLING_DRAIN=5 ROLLING_GRACE=30 (seconds, as deployed), ROLLING_ENDPOINT_LAG=1.5
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
readers=${ROLLING_READERS:-4}
writers=${ROLLING_WRITERS:-4}
prestop=${ROLLING_PRESTOP:-5}
drain=${ROLLING_DRAIN:-5}
grace=${ROLLING_GRACE:-30}
# How long after termination starts the endpoint is gone from the Service (endpoint propagation, seconds).
endpoint_lag=${ROLLING_ENDPOINT_LAG:-1.5}

PATH=$PATH:/usr/sbin # where Debian puts haproxy
for tool in haproxy wrk; do
  command -v "$tool" > /dev/null && continue
  [[ $(id -u) == 0 ]] || fail "$tool is missing: apt-get install $tool"
  log "Installing $tool..."
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$tool" > "$work/apt-$tool.log" 2>&1 ||
    fail "apt-get install $tool: $(tail -n 5 "$work/apt-$tool.log")"
done

init_postgres && start_postgres && create_database
build_release Backend.Api
current_build=$repo_root/Backend.Api/bin/Release/net10.0
log "Building the next release (this build plus an additive migration)..."
next_build=$("$bench_dir/rolling-update/build-next-release.sh" Release "$work/next-release") || fail "the next release did not build"
run_migrator "$current_build"

# The Service: HAProxy with three endpoint slots, driven through its admin socket.
lb_port=$(free_port)
lb_admin_port=$(free_port)
ROLLING_LB_PORT=$lb_port ROLLING_LB_ADMIN_PORT=$lb_admin_port \
  haproxy -db -f "$bench_dir/rolling-update/haproxy.cfg" > "$work/haproxy.log" 2>&1 &
started_pids+=("$!")
disown "$!"
service_url=http://127.0.0.1:$lb_port
lb() { (exec 3<> "/dev/tcp/127.0.0.1/$lb_admin_port" && printf '%s\n' "$1" >&3 && cat <&3); }
lb_status() { lb "show stat" | awk -F, -v slot="$1" '$1 == "pods" && $2 == slot { print $18 }'; }
for _ in $(seq 1 50); do lb "show info" > /dev/null 2>&1 && break; sleep 0.1; done

declare -A pod_pid pod_port
# start_pod SLOT BUILD: a pod of BUILD, pointed to by SLOT but not in rotation until ready.
start_pod() {
  local slot=$1 port
  port=$(free_port)
  (
    cd "$2"
    ASPNETCORE_ENVIRONMENT=Production ConnectionStrings__tasksdb="$backend_connection_string" Jwt__SigningKey="$signing_key" \
      Shutdown__DrainDelay="$(printf '00:00:%02d' "$drain")" Logging__LogLevel__Default=Warning Quotas__TasksPerUser=100000000 \
      exec dotnet Backend.Api.dll --urls "http://127.0.0.1:$port"
  ) >> "$work/pod-$slot.log" 2>&1 &
  started_pids+=("$!")
  pod_pid[$slot]=$! pod_port[$slot]=$port
  disown "$!" # ended on purpose (or at exit): no job-status noise
  lb "set server pods/$slot addr 127.0.0.1 port $port" > /dev/null
}

# add_when_ready SLOT: the readiness probe passes, then the endpoint joins the Service (and HAProxy reports it UP).
add_when_ready() {
  wait_ready "http://127.0.0.1:${pod_port[$1]}" 90 || fail "pod $1 not ready: $(tail -n 20 "$work/pod-$1.log")"
  lb "set server pods/$1 state ready" > /dev/null
  for _ in $(seq 1 50); do [[ $(lb_status "$1") == UP ]] && return; sleep 0.1; done
  fail "HAProxy does not report $1 UP: $(lb_status "$1")"
}

# terminate SLOT: the kubelet's termination: the endpoint goes ENDPOINT_LAG into the preStop sleep, SIGTERM after it,
# then the pod drains and must exit within the grace period.
terminate() {
  local slot=$1 pid=${pod_pid[$1]} started
  started=$(now)
  sleep "$endpoint_lag"
  lb "set server pods/$slot state maint" > /dev/null
  sleep "$(awk -v a="$prestop" -v b="$endpoint_lag" 'BEGIN { print a - b }')"
  kill -TERM "$pid"
  for _ in $(seq 1 $(((grace - prestop) * 10))); do kill -0 "$pid" 2> /dev/null || break; sleep 0.1; done
  kill -0 "$pid" 2> /dev/null && fail "pod $slot did not exit within the ${grace}s grace period"
  log "  $slot terminated in $(seconds_since "$started")s"
}

# replace OLD NEW BUILD: the surge pod NEW of BUILD becomes ready and joins, then OLD terminates.
replace() {
  start_pod "$2" "$3"
  add_when_ready "$2"
  terminate "$1"
}

start_pod slot1 "$current_build"
start_pod slot2 "$current_build"
add_when_ready slot1
add_when_ready slot2
sign_in "$service_url"

# Read and write load through the Service until the rollout is done (wrk prints its summary on SIGINT).
load() { # SCENARIO CONNECTIONS
  BENCH_DIR=$bench_dir BENCH_TOKEN=$token BENCH_USER_ID=$user_id ROLLING_SCENARIO=$1 ROLLING_ACKNOWLEDGED=$work/acknowledged \
    wrk -t1 -c"$2" -d1h --timeout 20s -s "$bench_dir/rolling-update/load.lua" "$service_url" > "$work/wrk-$1.txt" 2>&1 &
  wrk_pids+=("$!")
  started_pids+=("$!")
}
wrk_pids=()
load list "$readers"
load create "$writers"
load_started=$(now)
sleep 3

log "Rollout 1: a restart onto the same build"
replace slot1 slot3 "$current_build"
replace slot2 slot1 "$current_build"

log "Rollout 2: onto the next release, its migrator running while the current build serves"
start_pod slot2 "$next_build"
for _ in $(seq 1 300); do
  readiness=$(curl -s -o /dev/null -m 2 -w '%{http_code}' "http://127.0.0.1:${pod_port[slot2]}/health" || true)
  [[ $readiness == 000 ]] || break
  sleep 0.2
done
[[ $readiness == 503 ]] || fail "the next release answered $readiness, not 503, to its readiness probe before its migration"
migrated=$(now)
run_migrator "$next_build"
log "  the next release's migrator ran in $(seconds_since "$migrated")s"
[[ $(sql "SELECT count(*) FROM \"__EFMigrationsHistory\" WHERE migration_id = '29991231000000_RollingUpdateProbe'") == 1 ]] ||
  fail "the next release's migration is not applied"
sleep 2
[[ $(lb_status slot3) == UP && $(lb_status slot1) == UP ]] || fail "the current build left the Service on the new schema"
add_when_ready slot2
terminate slot3
replace slot1 slot3 "$next_build"
sleep 3

kill -INT "${wrk_pids[@]}"
for pid in "${wrk_pids[@]}"; do wait "$pid" || true; done
load_seconds=$(seconds_since "$load_started")

requests=0 failed=0
declare -A tally
for scenario in list create; do
  read -r _ answered non_2xx socket_errors < <(grep '^ROLLING_RESULT' "$work/wrk-$scenario.txt") ||
    fail "wrk $scenario printed no result: $(cat "$work/wrk-$scenario.txt")"
  requests=$((requests + answered))
  failed=$((failed + non_2xx + socket_errors))
  tally[$scenario]="$answered requests, $non_2xx non-2xx, $socket_errors socket errors"
  # wrk's own breakdown, printed when there are any: "Socket errors: connect 0, read 1, write 0, timeout 0".
  socket_line=$(grep -o 'Socket errors:.*' "$work/wrk-$scenario.txt" || true)
  [[ -z $socket_line ]] || tally[$scenario]+=" ($socket_line)"
done
cat "$work"/acknowledged.* > "$work/acknowledged.txt"
acknowledged=$(wc -l < "$work/acknowledged.txt")
stored=$("$pg_bin/psql" -h 127.0.0.1 -p "$pg_port" -U postgres -d tasksdb -tAq -v ON_ERROR_STOP=1 \
  -c "CREATE TEMP TABLE acknowledged (id integer)" \
  -c "\\copy acknowledged FROM '$work/acknowledged.txt'" \
  -c "SELECT count(*) FROM acknowledged JOIN tasks USING (id) WHERE tasks.user_id = '$user_id'")

printf 'rolling-update: %s s of load, 4 pods replaced (2 onto the next release, after its migration)\n' "$load_seconds"
printf '  reads:  %s\n  writes: %s\n' "${tally[list]}" "${tally[create]}"
printf 'requests=%s failed=%s acknowledged_writes=%s stored=%s\n' "$requests" "$failed" "$acknowledged" "$stored"
((requests > 0 && acknowledged > 0)) || fail "no load reached the Service"
((failed == 0)) || fail "$failed requests failed during the rollout"
((stored == acknowledged)) || fail "$((acknowledged - stored)) acknowledged writes are not stored"
log "PASS"
