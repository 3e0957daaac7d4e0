#!/usr/bin/env bash
# A soak with faults (SC-005, compressed). The whole app runs as it is deployed, each part in a network namespace of
# its own (bench/netns.sh): two backend and two MCP server replicas behind HAProxy (their Services, in a namespace of
# their own), PostgreSQL, the frontend. For SOAK_DURATION a steady mix runs through the frontend (task lists, creates,
# chat turns that add tasks through the MCP server), a probe asks the public path for a task list every second, and
# faults come on a schedule, evenly spaced: a backend replica SIGKILLed (its replacement started at once), PostgreSQL
# restarted, the MCP server stopped for a while (both replicas) and started again, a rolling update of the backend
# (maxSurge 1, maxUnavailable 0), and a partition (the backend's path to PostgreSQL black-holed for a while).
# Prints availability (the share of probes answered 2xx, overall and outside the disruptive faults until they
# recovered: a replica killed, PostgreSQL restarted, the partition; the rolling update and the MCP server's absence
# must cost the public path nothing), failed probes and requests by cause, the seconds until the probe succeeded again after each fault,
# acknowledged writes and how many are stored (every one must be), and memory growth per service (each pod's resident
# set from ready to the end, per minute). Fails on a lost write, a fault not recovered within 30 s (SC-008), or
# availability outside the disruptive faults under SOAK_MIN_AVAILABILITY percent. Needs root (network namespaces).
#   bench/soak.sh    SOAK_DURATION=1800 (seconds) SOAK_MIN_AVAILABILITY=99.9 SOAK_FAULTS="replica-kill postgres-restart
#                    mcp-stop rolling-update partition" SOAK_OUTAGE=8 (seconds the MCP server and the partition last)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
source "$(dirname "${BASH_SOURCE[0]}")/cluster.sh"
source "$(dirname "${BASH_SOURCE[0]}")/netns.sh"
source "$(dirname "${BASH_SOURCE[0]}")/budget.sh"
duration=${SOAK_DURATION:-1800}
min_availability=${SOAK_MIN_AVAILABILITY:-99.9}
faults=${SOAK_FAULTS:-"replica-kill postgres-restart mcp-stop rolling-update partition"}
outage=${SOAK_OUTAGE:-8}
recovery_limit=30

net_up postgres backend mcpserver lb frontend client
in_db=(ip netns exec "$(net_namespace postgres)")
set_database_host "$(net_addr postgres)"
for pod in backend mcpserver frontend lb; do
  address_of[$pod]=$(net_addr "$pod")
  in_pod_of[$pod]="ip netns exec $(net_namespace "$pod")"
done
in_lb=(ip netns exec "$(net_namespace lb)")
in_client=(ip netns exec "$(net_namespace client)")
client() { in_pod client "$@"; }
cluster_drain=00:00:02

read -r pg_max_connections _ pool < <(manifest_budget)
init_postgres
echo "host all all 10.24.0.0/16 trust" >> "$work/pgdata/pg_hba.conf"
start_postgres && create_database
build_release Backend.Api
build_release McpServer
run_migrator
pods=("Database__MaxPoolSize=$pool")
cluster_start backend mcpserver
declare -A joined_at=() joined_rss=()
join() { # SLOT: joins the Service and records when, and its resident set then
  pod_join "$1"
  joined_at[$1]=$(now) joined_rss[$1]=$(pod_rss_mb "$1")
}
for slot in mcpserver1 mcpserver2; do pod_start mcpserver "$slot" "${pods[@]}"; done
for slot in backend1 backend2; do pod_start backend "$slot" "${pods[@]}"; done
for slot in mcpserver1 mcpserver2 backend1 backend2; do join "$slot"; done
frontend_start web "${service_url[backend]}" "${service_url[mcpserver]}"
pod_ready web 120 || fail "the frontend is not ready: $(tail -n 20 "$work/pod-web.log")"
frontend_url=$(pod_url web)
joined_at[web]=$(now) joined_rss[web]=$(pod_rss_mb web)

# Accounts: the load's and the probe's; their tokens are what the frontend keeps in its session cookie.
sign_in_many "${service_url[backend]}" 10 "$work/accounts.txt"
read -r probe_user probe_token _ < "$work/accounts.txt"

# The steady mix, paced (not as fast as possible): lists, creates, and a chat turn every few seconds.
declare -A load_pid=()
load() { # SCENARIO CONNECTIONS DELAY-MS
  # A simple command in the background: its pid is wrk's own (through ip netns exec), so SIGINT reaches it.
  LOAD_ACCOUNTS=$work/accounts.txt LOAD_SCENARIO=$1 LOAD_DELAY_MS=$3 LOAD_ACKNOWLEDGED=$work/acknowledged \
    "${in_client[@]}" wrk -t1 -c"$2" -d"$((duration + 60))s" --timeout 30s -s "$bench_dir/cluster/load.lua" "$frontend_url" > "$work/wrk-$1.txt" 2>&1 &
  load_pid[$1]=$!
  started_pids+=("$!")
}
load session-list 4 50
load session-create 2 100
chat_loop() {
  local n=0 user chat_token
  while :; do
    n=$((n + 1))
    read -r user chat_token _ < <(sed -n "$((n % 10 + 1))p" "$work/accounts.txt")
    client curl -s -o /dev/null -m 60 -w '%{http_code}\n' -b "phase4_session=$chat_token" -H 'Content-Type: application/json' \
      -d "{\"message\":\"Add a task to buy soak item $n\"}" "$frontend_url/api/$user/chat" 2> /dev/null || echo 000
    sleep 2
  done > "$work/chat.txt"
}
chat_loop &
chat_pid=$!
started_pids+=("$chat_pid")
# One probe a second, each on its own (a slow answer does not delay the next): "start status seconds" per line.
probe_once() {
  local at=$1
  printf '%s %s\n' "$at" "$(client curl -s -o /dev/null -m 10 -w '%{http_code} %{time_total}' -b "phase4_session=$probe_token" \
    "$frontend_url/api/$probe_user/tasks?limit=5" 2> /dev/null || echo '000 10')" >> "$work/probe.txt"
}
probe_loop() {
  while :; do
    probe_once "$(now)" &
    sleep 1
  done
}
probe_loop &
probe_pid=$!
started_pids+=("$probe_pid")
started=$(now)
log "Soak: ${duration}s of load, faults: $faults"

# The faults. Each records "name start end" (end: when the fault's own action was over).
fault_replica_kill() {
  pod_kill backend1
  pod_start backend backend1 "${pods[@]}"
  join backend1
}
fault_postgres_restart() {
  "${in_db[@]}" "${as_server_user[@]}" "$pg_bin/pg_ctl" -D "$work/pgdata" -m fast -w restart \
    -o "-p $pg_port -c listen_addresses=$pg_host -c unix_socket_directories= -c max_connections=$pg_max_connections" > /dev/null ||
    fail "PostgreSQL did not restart: $(tail -n 20 "$work/pgdata/server.log")"
}
fault_mcp_stop() {
  local slot
  for slot in mcpserver1 mcpserver2; do kill -TERM "${pod_pid[$slot]}"; done
  sleep "$outage"
  for slot in mcpserver1 mcpserver2; do pod_start mcpserver "$slot" "${pods[@]}"; done
  for slot in mcpserver1 mcpserver2; do join "$slot"; done
}
# As a Deployment with maxSurge 1 and maxUnavailable 0 replaces each pod: the new one joins once ready, then the old
# one leaves the endpoints, gets SIGTERM after its preStop and drains (bench/rolling-update.sh has the full timings).
fault_rolling_update() {
  local old new
  for old in backend1 backend2; do
    new=backend3
    [[ $old == backend2 ]] && new=backend4
    pod_start backend "$new" "${pods[@]}"
    join "$new"
    pod_leave "$old"
    sleep 1.5
    kill -TERM "${pod_pid[$old]}"
  done
  sleep 3
}
fault_partition() {
  net_cut backend postgres dropped
  sleep "$outage"
  net_heal
}

read -ra fault_list <<< "$faults"
interval=$((duration / (${#fault_list[@]} + 1)))
: > "$work/faults.txt"
for i in "${!fault_list[@]}"; do
  fault=${fault_list[$i]}
  until awk -v s="$(seconds_since "$started")" -v t="$(((i + 1) * interval))" 'BEGIN { exit !(s >= t) }'; do sleep 1; done
  log "  $(seconds_since "$started")s: $fault"
  fault_start=$(now)
  "fault_${fault//-/_}"
  printf '%s %s %s\n' "$fault" "$fault_start" "$(now)" >> "$work/faults.txt"
done
until awk -v s="$(seconds_since "$started")" -v t="$duration" 'BEGIN { exit !(s >= t) }'; do sleep 1; done
ended=$(now)

kill "$probe_pid" "$chat_pid" 2> /dev/null || true
wait "$probe_pid" "$chat_pid" 2> /dev/null || true
sleep 10 # the last probes' answers
sort -n "$work/probe.txt" -o "$work/probe.txt"
declare -A wrk_result=()
for scenario in session-list session-create; do
  kill -INT "${load_pid[$scenario]}" 2> /dev/null || true
  wait "${load_pid[$scenario]}" 2> /dev/null || true
  wrk_result[$scenario]=$(sed -n 's/^LOAD_RESULT //p' "$work/wrk-$scenario.txt")
done

# Availability and recovery, from the probe.
# Faults that take requests down by design until the system recovers (a pod gone before its endpoint, the database
# away); the others (a rolling update, the MCP server away: the public path does not use it) must cost nothing.
database_faults=" replica-kill postgres-restart partition "
read -r probes answered outside_total outside_answered < <(awk -v faults="$work/faults.txt" -v dbf="$database_faults" -v limit="$recovery_limit" '
  BEGIN { while ((getline line < faults) > 0) { split(line, f, " "); n++; name[n] = f[1]; from[n] = f[2]; to[n] = f[3] } }
  { total++; ok = ($2 ~ /^2/); answered += ok; inside = 0
    for (i = 1; i <= n; i++) if (index(dbf, " " name[i] " ") && $1 >= from[i] && $1 <= to[i] + limit) inside = 1
    if (!inside) { outside++; outside_ok += ok } }
  END { print total, answered, outside, outside_ok }' "$work/probe.txt")
availability=$(awk -v a="$answered" -v t="$probes" 'BEGIN { printf "%.2f", t ? 100 * a / t : 0 }')
outside_availability=$(awk -v a="$outside_answered" -v t="$outside_total" 'BEGIN { printf "%.2f", t ? 100 * a / t : 0 }')
failed_by_cause=$(awk '$2 !~ /^2/ { count[$2]++ } END { for (c in count) { printf "%s%sx%s", sep, count[c], (c == "000" ? "no-answer" : c); sep = " " } }' "$work/probe.txt")
failures=()
printf '\nsoak: %ss, faults every %ss: %s\n' "$(awk -v a="$started" -v b="$ended" 'BEGIN { printf "%.0f", b - a }')" "$interval" "$faults"
printf '  probe of the public path every second: %s of %s answered (availability %s%%; outside the disruptive faults %s%% of %s)\n' \
  "$answered" "$probes" "$availability" "$outside_availability" "$outside_total"
printf '  failed probes by cause: %s\n' "${failed_by_cause:-none}"
# Each fault's window: from its start to the next fault's start, or to the end.
awk '{ print $2 }' "$work/faults.txt" | tail -n +2 > "$work/fault-ends.txt"
echo "$ended" >> "$work/fault-ends.txt"
while read -r fault from to <&3 && read -r window_end <&4; do
  read -r failed recovered < <(awk -v from="$from" -v until="$window_end" '
    $1 >= from && $1 < until { if ($2 !~ /^2/) { failed++; if ($1 + $3 > last) last = $1 + $3 } }
    END { printf "%d %.1f\n", failed, failed ? last - from : 0 }' "$work/probe.txt")
  printf '  %-17s took %5.1fs; %s probes failed; the public path answered again %ss after it began\n' \
    "$fault" "$(awk -v a="$from" -v b="$to" 'BEGIN { print b - a }')" "$failed" "$recovered"
  awk -v r="$recovered" -v a="$from" -v b="$to" -v l="$recovery_limit" 'BEGIN { exit !(r <= (b - a) + l) }' ||
    failures+=("$fault: the public path failed until ${recovered}s after it began (limit: ${recovery_limit}s after the fault)")
done 3< "$work/faults.txt" 4< "$work/fault-ends.txt"
for scenario in session-list session-create; do
  read -r requests ok too_many unavailable server_errors other _ socket_errors p50 p99 max <<< "${wrk_result[$scenario]}"
  printf '  %-15s %s requests: %s 2xx, %s 429, %s 503, %s other 5xx, %s other, %s socket errors; p50 %s ms, p99 %s ms, max %s ms; by status: %s\n' \
    "$scenario" "$requests" "$ok" "$too_many" "$unavailable" "$server_errors" "$other" "$socket_errors" "$p50" "$p99" "$max" \
    "$(sed -n 's/^LOAD_STATUSES //p' "$work/wrk-$scenario.txt")"
done
printf '  chat turns: %s\n' "$(sort "$work/chat.txt" | uniq -c | awk '{ printf "%s%sx%s", sep, $1, $2; sep = " " }')"

# A 201 whose body held no id would be "unparsed": counted, and then missing from the database.
cat "$work"/acknowledged.* > "$work/acknowledged.all" 2> /dev/null || : > "$work/acknowledged.all"
grep -x '[0-9]*' "$work/acknowledged.all" > "$work/acknowledged.txt" || true
acknowledged=$(grep -c . "$work/acknowledged.all" || true)
stored=$("${in_db[@]}" "$pg_bin/psql" -h "$pg_host" -p "$pg_port" -U postgres -d tasksdb -tAq -v ON_ERROR_STOP=1 \
  -c "CREATE TEMP TABLE acknowledged (id integer)" -c "\\copy acknowledged FROM '$work/acknowledged.txt'" \
  -c "SELECT count(*) FROM acknowledged JOIN tasks USING (id)" 2>&1) || fail "could not count the stored writes: $stored"
printf '  acknowledged writes %s, stored %s, lost %s\n' "$acknowledged" "$stored" "$((acknowledged - stored))"
((acknowledged > 0 && stored == acknowledged)) || failures+=("$((acknowledged - stored)) of $acknowledged acknowledged writes are lost")

printf '  memory (resident set from ready to the end):'
for slot in "${!joined_at[@]}"; do
  kill -0 "${pod_pid[$slot]}" 2> /dev/null || continue
  printf ' %s %s->%s MB over %.0f min (%+.1f MB/min);' "$slot" "${joined_rss[$slot]}" "$(pod_rss_mb "$slot")" \
    "$(awk -v a="${joined_at[$slot]}" -v b="$ended" 'BEGIN { print (b - a) / 60 }')" \
    "$(awk -v r0="${joined_rss[$slot]}" -v r1="$(pod_rss_mb "$slot")" -v a="${joined_at[$slot]}" -v b="$ended" 'BEGIN { m = (b - a) / 60; print (m > 0 ? (r1 - r0) / m : 0) }')"
done
printf '\n'
awk -v a="$outside_availability" -v m="$min_availability" 'BEGIN { exit !(a >= m) }' ||
  failures+=("availability outside the disruptive faults ${outside_availability}% is under ${min_availability}%")
if ((${#failures[@]} > 0)); then
  printf 'FAIL: %s\n' "${failures[@]}" >&2
  exit 1
fi
log "PASS"
