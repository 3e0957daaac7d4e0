#!/usr/bin/env bash
# Two Backend.Api replicas share one PostgreSQL under write load; one is SIGKILLed mid-run. Passes when every create
# acknowledged with 201 is in the database and the surviving replica keeps answering 201 after the kill.
#   bench/fault-replica-kill.sh        (FAULT_WRITERS=4 FAULT_SECONDS=6 to change the load)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
writers=${FAULT_WRITERS:-4}
load_seconds=${FAULT_SECONDS:-6}

init_postgres && start_postgres && create_database
build_release Backend.Api
run_migrator
port_a=$(free_port); port_b=$(free_port)
start_backend replica_a "$port_a"; start_backend replica_b "$port_b"
wait_ready "http://127.0.0.1:$port_a" 90 || fail "replica A not ready: $(tail -n 20 "$work/replica_a.log")"
wait_ready "http://127.0.0.1:$port_b" 90 || fail "replica B not ready: $(tail -n 20 "$work/replica_b.log")"
sign_in "http://127.0.0.1:$port_a"

# Each writer alternates replicas and records "replica title status" per create.
writer() {
  local n=0 end=$(($(date +%s) + load_seconds + 4)) port replica status
  while (($(date +%s) < end)); do
    n=$((n + 1))
    if ((n % 2)); then port=$port_a replica=A; else port=$port_b replica=B; fi
    read -r status _ < <(create_task "http://127.0.0.1:$port" "w$1-$n")
    echo "$replica w$1-$n $status $(date +%s.%N)"
  done > "$work/writer-$1.txt"
}
for w in $(seq 1 "$writers"); do writer "$w" & done
sleep "$load_seconds"
kill_time=$(now)
kill -KILL "$replica_a_pid"
log "SIGKILLed replica A after ${load_seconds}s of load"
wait $(jobs -p | grep -v -F -x -e "$replica_b_pid" -e "$replica_a_pid") 2> /dev/null || true

cat "$work"/writer-*.txt > "$work/all.txt"
acknowledged=$(awk '$3 == 201' "$work/all.txt" | wc -l)
b_after_kill=$(awk -v t="$kill_time" '$1 == "B" && $3 == 201 && $4 > t' "$work/all.txt" | wc -l)
b_failed_after=$(awk -v t="$kill_time" '$1 == "B" && $3 != 201 && $4 > t' "$work/all.txt" | wc -l)
stored=$(sql "SELECT count(*) FROM tasks WHERE user_id = '$user_id'")
missing=0
while read -r title; do
  [[ $(sql "SELECT count(*) FROM tasks WHERE user_id = '$user_id' AND title = '$title'") == 1 ]] || missing=$((missing + 1))
done < <(awk '$3 == 201 { print $2 }' "$work/all.txt")

printf 'replica-kill: acknowledged=%s stored=%s missing=%s survivor_201_after_kill=%s survivor_failures_after_kill=%s\n' \
  "$acknowledged" "$stored" "$missing" "$b_after_kill" "$b_failed_after"
((acknowledged > 0)) || fail "no write was acknowledged"
((missing == 0)) || fail "$missing acknowledged writes are not in the database"
((b_after_kill > 0)) || fail "the surviving replica acknowledged nothing after the kill"
((b_failed_after == 0)) || fail "the surviving replica failed $b_failed_after writes after the kill"
log "PASS"
