#!/usr/bin/env bash
# PostgreSQL is stopped while Backend.Api takes writes: /health must go unready, writes must fail fast with 503 (not
# hang), the process must survive, and after the database returns service must recover (target under 10 s).
#   bench/fault-db-outage.sh     (FAULT_OUTAGE_SECONDS=5 to change how long the database stays down)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
outage_seconds=${FAULT_OUTAGE_SECONDS:-5}
fast_seconds=${FAULT_FAST_SECONDS:-5}

init_postgres && start_postgres && create_database
build_release Backend.Api
run_migrator
port=$(free_port); url=http://127.0.0.1:$port
start_backend backend "$port"
wait_ready "$url" 90 || fail "backend not ready: $(tail -n 20 "$work/backend.log")"
sign_in "$url"
read -r status _ < <(create_task "$url" before-outage)
[[ $status == 201 ]] || fail "a write before the outage answered $status"

stop_postgres
log "PostgreSQL stopped"
unready=no
for _ in $(seq 1 50); do
  code=$(curl -s -o /dev/null -m 5 -w '%{http_code}' "$url/health" || true)
  [[ $code == 503 ]] && { unready=yes; break; }
  sleep 0.2
done
statuses=() slowest=0
for i in 1 2 3 4 5; do
  read -r status seconds < <(create_task "$url" "during-outage-$i")
  statuses+=("$status")
  slowest=$(awk -v a="$slowest" -v b="$seconds" 'BEGIN { print (b > a) ? b : a }')
done
sleep "$outage_seconds"
start_postgres
back=$(now)
log "PostgreSQL started again"
recovered=
while [[ -z $recovered ]] && awk -v s="$(seconds_since "$back")" 'BEGIN { exit !(s < 60) }'; do
  read -r status _ < <(create_task "$url" after-outage)
  if [[ $status == 201 ]]; then recovered=$(seconds_since "$back"); else sleep 0.2; fi
done
alive=yes; kill -0 "$backend_pid" 2> /dev/null || alive=no

printf 'db-outage: health_unready=%s outage_write_statuses=%s slowest_outage_write_s=%s recovery_s=%s process_alive=%s\n' \
  "$unready" "${statuses[*]}" "$slowest" "${recovered:-none}" "$alive"
[[ $unready == yes ]] || fail "/health never went unready"
for status in "${statuses[@]}"; do [[ $status == 503 ]] || fail "a write during the outage answered $status, not 503"; done
awk -v s="$slowest" -v limit="$fast_seconds" 'BEGIN { exit !(s < limit) }' || fail "outage writes took ${slowest}s (limit ${fast_seconds}s)"
[[ -n $recovered ]] || fail "no recovery within 60 s"
[[ $alive == yes ]] || fail "the backend process died"
awk -v s="$recovered" 'BEGIN { exit !(s < 10) }' || log "recovery took ${recovered}s: over the 10 s target"
log "PASS"
