#!/usr/bin/env bash
# Scale-out under load (SC-004) and several replicas lost at once (SC-008), with backend replicas behind HAProxy
# standing in for their Service (bench/cluster.sh) on one PostgreSQL with the manifests' connection budget.
#   1. Scale-out: from one replica under a steady load of task lists and creates across many accounts, replicas are
#      added one at a time as the autoscaler's scale-up adds pods, each joining the Service once ready; prints the
#      time until all five are ready (target < 2 min) and the latency distribution of the load meanwhile (p99 and
#      max < 2 s).
#   2. Four of five replicas SIGKILLed at once, then both of two: replacements start at once (as the ReplicaSet
#      creates them); a probe through the Service every 0.1 s measures how long requests fail, how fast each failed
#      one was answered (the proxy must answer, not hang), and when requests succeed again (target < 30 s).
# Every create acknowledged with 201 must be stored. Exits non-zero when a target is missed.
#   bench/scale-out.sh     SCALE_CONNECTIONS=32 SCALE_WRITERS=4 SCALE_ACCOUNTS=20 SCALE_STEP_PAUSE=3
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
source "$(dirname "${BASH_SOURCE[0]}")/cluster.sh"
source "$(dirname "${BASH_SOURCE[0]}")/budget.sh"
connections=${SCALE_CONNECTIONS:-32}
writers=${SCALE_WRITERS:-4}
accounts=${SCALE_ACCOUNTS:-20}
step_pause=${SCALE_STEP_PAUSE:-3}

read -r pg_max_connections _ pool < <(manifest_budget)
init_postgres && start_postgres && create_database
build_release Backend.Api
run_migrator
cluster_start backend
pods=("Database__MaxPoolSize=$pool")
pod_start backend backend1 "${pods[@]}"
pod_join backend1
sign_in_many "${service_url[backend]}" "$accounts" "$work/accounts.txt"
sql 'ANALYZE' > /dev/null

# load SCENARIO CONNECTIONS NAME: wrk through the Service until stopped (SIGINT makes it print its result).
declare -A load_pid=()
load() {
  LOAD_ACCOUNTS=$work/accounts.txt LOAD_SCENARIO=$1 LOAD_ACKNOWLEDGED=$work/acknowledged-$3 \
    wrk -t1 -c"$2" -d1h --timeout 10s -s "$bench_dir/cluster/load.lua" "${service_url[backend]}" > "$work/wrk-$3.txt" 2>&1 &
  load_pid[$3]=$!
  started_pids+=("$!")
}
# stop_load NAME: stops that wrk (in this shell: a subshell cannot wait for it) and sets load_result to its result.
stop_load() {
  kill -INT "${load_pid[$1]}"
  wait "${load_pid[$1]}" || true
  load_result=$(sed -n 's/^LOAD_RESULT //p' "$work/wrk-$1.txt")
  [[ -n $load_result ]] || fail "wrk $1 printed no result: $(cat "$work/wrk-$1.txt")"
}

# probe NAME: one request through the Service every 0.1 s: "epoch-seconds status time".
declare -A probe_pid=()
probe() {
  local user probe_token
  read -r user probe_token _ < "$work/accounts.txt"
  while :; do
    printf '%s %s\n' "$(now)" \
      "$(curl -s -o /dev/null -m 10 -w '%{http_code} %{time_total}' -H "Authorization: Bearer $probe_token" "${service_url[backend]}/api/$user/tasks?limit=5" 2> /dev/null || echo '000 0')"
    sleep 0.1
  done > "$work/probe-$1.txt" &
  probe_pid[$1]=$!
  started_pids+=("$!")
}
stop_probe() { kill "${probe_pid[$1]}" 2> /dev/null; wait "${probe_pid[$1]}" 2> /dev/null || true; }

# 1. Scale-out.
log "Scale-out: load on one replica, then four more added one at a time"
load list "$connections" scale
load create "$writers" writes
sleep 10
scale_started=$(now)
ready_after=()
for n in 2 3 4 5; do
  pod_start backend "backend$n" "${pods[@]}"
  pod_join "backend$n"
  ready_after+=("$(seconds_since "$scale_started")")
  sleep "$step_pause"
done
all_ready=${ready_after[-1]}
sleep 5
stop_load scale
read -r scale_requests scale_ok _ scale_unavailable scale_5xx scale_other _ scale_socket _ scale_p99 scale_max <<< "$load_result"
printf 'scale-out 1->5: replicas ready after %s s (all five after %s s; target < 120 s); load %s requests: %s 2xx, %s 503, %s other 5xx, %s other, %s socket errors; p99 %s ms, max %s ms (target < 2000 ms)\n' \
  "${ready_after[*]}" "$all_ready" "$scale_requests" "$scale_ok" "$scale_unavailable" "$scale_5xx" "$scale_other" "$scale_socket" "$scale_p99" "$scale_max"

# 2. Replicas lost at once, replacements started at once; returns "failed slowest-failed recovered ready".
lose() { # NAME SLOT...
  local name=$1 slot killed_at
  shift
  load list "$connections" "$name"
  sleep 3
  probe "$name"
  sleep 2
  killed_at=$(now)
  for slot in "$@"; do pod_kill "$slot"; done
  # The ReplicaSet creates a pod for each at once; each joins the Service once ready.
  for slot in "$@"; do pod_start backend "$slot" "${pods[@]}"; done
  for slot in "$@"; do pod_join "$slot"; done
  local ready
  ready=$(seconds_since "$killed_at")
  sleep 5
  stop_probe "$name"
  stop_load "$name"
  # Probe lines after the kill: failures, the slowest failed answer, and how long after the kill the last one failed.
  local failed slowest recovered
  read -r failed slowest recovered < <(awk -v killed="$killed_at" '
    $1 >= killed && $2 !~ /^2/ { failed++; if ($3 > slowest) slowest = $3; last = $1 + $3 }
    END { printf "%d %.2f %.2f\n", failed, slowest, (failed ? last - killed : 0) }' "$work/probe-$name.txt")
  local requests ok unavailable server_errors socket_errors p99 max
  read -r requests ok _ unavailable server_errors _ _ socket_errors _ p99 max <<< "$load_result"
  printf 'lose %-12s %s of %s replicas SIGKILLed: %s probes failed, slowest failed answer %s s; requests failed until %s s after the kill; replacements ready after %s s; load: %s requests, %s 2xx, %s 503, %s other 5xx, %s socket errors (connections the killed pods held), p99 %s ms, max %s ms\n' \
    "$name" "$#" "$total" "$failed" "$slowest" "$recovered" "$ready" "$requests" "$ok" "$unavailable" "$server_errors" "$socket_errors" "$p99" "$max"
  results+=("$name $failed $slowest $recovered $ready")
}
results=()
total=5
lose four-of-five backend2 backend3 backend4 backend5
for slot in backend3 backend4 backend5; do pod_leave "$slot"; sleep 1.5; kill -TERM "${pod_pid[$slot]}"; done
sleep 2
total=2
lose both-of-two backend1 backend2

stop_load writes
read -r written _ <<< "$load_result"
cat "$work"/acknowledged-writes.* > "$work/acknowledged.txt"
acknowledged=$(grep -c '^[0-9]' "$work/acknowledged.txt" || true)
stored=$("$pg_bin/psql" -h 127.0.0.1 -p "$pg_port" -U postgres -d tasksdb -tAq -v ON_ERROR_STOP=1 \
  -c "CREATE TEMP TABLE acknowledged (id integer)" -c "\\copy acknowledged FROM '$work/acknowledged.txt'" \
  -c "SELECT count(*) FROM acknowledged JOIN tasks USING (id)")
printf 'writes throughout: %s answered, %s acknowledged, %s stored\n' "$written" "$acknowledged" "$stored"

failures=()
awk -v s="$all_ready" 'BEGIN { exit !(s < 120) }' || failures+=("five replicas took ${all_ready}s (target 120 s)")
awk -v p="$scale_p99" -v m="$scale_max" 'BEGIN { exit !(p < 2000 && m < 2000) }' || failures+=("latency during the scale-out: p99 ${scale_p99} ms, max ${scale_max} ms (target < 2000 ms)")
((scale_5xx == 0 && scale_socket == 0)) || failures+=("the scale-out saw $scale_5xx 5xx other than 503 and $scale_socket socket errors")
for result in "${results[@]}"; do
  read -r name failed slowest recovered ready <<< "$result"
  awk -v s="$slowest" 'BEGIN { exit !(s < 5) }' || failures+=("$name: a failed request took ${slowest}s to be answered (the proxy hung)")
  awk -v r="$recovered" 'BEGIN { exit !(r < 30) }' || failures+=("$name: requests failed for ${recovered}s (target 30 s)")
done
((acknowledged > 0 && stored == acknowledged)) || failures+=("$((acknowledged - stored)) of $acknowledged acknowledged writes are not stored")
if ((${#failures[@]} > 0)); then
  printf 'FAIL: %s\n' "${failures[@]}" >&2
  exit 1
fi
log "PASS"
