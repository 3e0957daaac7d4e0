#!/usr/bin/env bash
# The connection budget under saturation. Backend and MCP server replicas at the autoscalers' maximum (5 and 5) behind
# HAProxy (their Services) share one PostgreSQL with the manifests' max_connections, and wrk drives them well past
# saturation across many accounts: a few hundred connections of task lists on the backend, more on the MCP server's
# list_tasks. Run twice, the same way: first with each process's pool at Npgsql's default (100, what the services did
# before the publisher set Database__MaxPoolSize), then with the pool size the manifests set. Prints, per run, the
# answers by status, 429/503 answers lacking Retry-After, latency, PostgreSQL's "too many clients" refusals (53300),
# the most connections PostgreSQL held, and whether the reserve (migrator, backup, an operator's psql) could still
# connect under load. Fails unless the budgeted run had no 53300, no 500 and no 5xx other than 503, Retry-After on
# every 429/503, the reserve connecting, and p99 under SATURATION_P99_LIMIT_MS.
#   bench/saturation.sh    SATURATION_BACKENDS=5 SATURATION_MCP=5 SATURATION_CONNECTIONS=300 SATURATION_MCP_CONNECTIONS=100
#                          SATURATION_ACCOUNTS=40 SATURATION_DURATION=20s SATURATION_WARMUP=15s SATURATION_P99_LIMIT_MS=5000
#                          SATURATION_MAX_CONNECTIONS (default: the manifests'; set it to scale the run down, the pool
#                          then follows the publisher's formula) SATURATION_RUNS="default budget"
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
source "$(dirname "${BASH_SOURCE[0]}")/cluster.sh"
source "$(dirname "${BASH_SOURCE[0]}")/budget.sh"
backends=${SATURATION_BACKENDS:-5}
mcps=${SATURATION_MCP:-5}
connections=${SATURATION_CONNECTIONS:-300}
mcp_connections=${SATURATION_MCP_CONNECTIONS:-100}
accounts=${SATURATION_ACCOUNTS:-40}
duration=${SATURATION_DURATION:-20s}
warmup=${SATURATION_WARMUP:-15s}
p99_limit_ms=${SATURATION_P99_LIMIT_MS:-5000}
runs=${SATURATION_RUNS:-"default budget"}

read -r manifest_max manifest_reserved manifest_pool < <(manifest_budget)
pg_max_connections=${SATURATION_MAX_CONNECTIONS:-$manifest_max}
pool=$(budget_pool "$pg_max_connections" "$manifest_reserved" "$((backends + 1 + mcps + 1))") ||
  fail "$backends backend and $mcps MCP replicas (plus a surge pod each) do not fit max_connections=$pg_max_connections with $manifest_reserved reserved"
if [[ -z ${SATURATION_MAX_CONNECTIONS:-} && $backends == 5 && $mcps == 5 && $pool != "$manifest_pool" ]]; then
  fail "the formula gives a pool of $pool but the manifests set $manifest_pool: regenerate aspirate-output"
fi
log "Budget: max_connections=$pg_max_connections, $manifest_reserved reserved, $((backends + 1)) backend + $((mcps + 1)) MCP pods at most: pool $pool per pod"

init_postgres && start_postgres && create_database
build_release Backend.Api
build_release McpServer
run_migrator
cluster_start backend mcpserver
pod_start backend backend1
pod_join backend1
sign_in_many "${service_url[backend]}" "$accounts" "$work/accounts.txt"
log "Seeding 10 tasks for each of $accounts accounts..."
while read -r user account_token _; do
  for i in $(seq 1 10); do
    curl -fsS -o /dev/null -H "Authorization: Bearer $account_token" -H 'Content-Type: application/json' \
      -d "{\"title\":\"seeded $i\"}" "${service_url[backend]}/api/$user/tasks" || fail "seeding failed"
  done
done < "$work/accounts.txt"
pod_leave backend1
pod_kill backend1
sql 'ANALYZE' > /dev/null

declare -A summary=() outcome=()
refusals() { grep -c 'too many clients already' "$work/pgdata/server.log" || true; }
server_errors() { cat "$work"/pod-*.log 2> /dev/null | grep -c -E '^fail: |"LogLevel":"Error"' || true; }

# run NAME [VAR=VALUE...]: the whole saturation with these settings on every pod.
run() {
  local name=$1 slot n started_refusals started_errors peak=0 count sampler reserve=ok
  shift
  log "Run '$name': starting $backends backend and $mcps MCP replicas..."
  for n in $(seq 1 "$backends"); do pod_start backend "backend$n" "$@"; done
  for n in $(seq 1 "$mcps"); do pod_start mcpserver "mcpserver$n" "$@"; done
  for n in $(seq 1 "$backends"); do pod_join "backend$n"; done
  for n in $(seq 1 "$mcps"); do pod_join "mcpserver$n"; done
  # Warm-up, not measured: the runtime compiles the hot paths under load in the first seconds (docs/benchmarks.md).
  log "Run '$name': warm-up, $warmup..."
  LOAD_ACCOUNTS=$work/accounts.txt LOAD_SCENARIO=list wrk -t1 -c20 -d"$warmup" -s "$bench_dir/cluster/load.lua" "${service_url[backend]}" > /dev/null 2>&1 &
  LOAD_ACCOUNTS=$work/accounts.txt LOAD_SCENARIO=mcp wrk -t1 -c20 -d"$warmup" -s "$bench_dir/cluster/load.lua" "${service_url[mcpserver]}" > /dev/null 2>&1
  wait
  started_refusals=$(refusals) started_errors=$(server_errors)
  # Connections PostgreSQL holds, sampled twice a second by the superuser (who keeps reserved slots).
  (while :; do sql "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend'" 2> /dev/null || true; sleep 0.5; done) > "$work/connections-$name.txt" &
  sampler=$!
  log "Run '$name': wrk, $connections connections on the backend and $mcp_connections on the MCP server, $duration..."
  LOAD_ACCOUNTS=$work/accounts.txt LOAD_SCENARIO=list wrk -t2 -c"$connections" -d"$duration" --timeout 30s \
    -s "$bench_dir/cluster/load.lua" "${service_url[backend]}" > "$work/wrk-$name-list.txt" 2>&1 &
  local list_wrk=$!
  LOAD_ACCOUNTS=$work/accounts.txt LOAD_SCENARIO=mcp wrk -t1 -c"$mcp_connections" -d"$duration" --timeout 30s \
    -s "$bench_dir/cluster/load.lua" "${service_url[mcpserver]}" > "$work/wrk-$name-mcp.txt" 2>&1 &
  local mcp_wrk=$!
  # Halfway, the reserve: the migrator's two connections, a backup's and an operator's two, as the owner.
  sleep "$(($(tr -dc 0-9 <<< "$duration") / 2))"
  for _ in 1 2 3 4 5; do
    "${in_db[@]}" "$pg_bin/psql" -h "$pg_host" -p "$pg_port" -U postgres -d tasksdb -tAc 'SELECT pg_sleep(2)' > /dev/null 2>> "$work/reserve-$name.txt" &
  done
  wait "$list_wrk" "$mcp_wrk" || true
  for job in $(jobs -p); do [[ $job == "$sampler" ]] || wait "$job" 2> /dev/null || reserve=refused; done
  [[ -s $work/reserve-$name.txt ]] && reserve=refused
  kill "$sampler" 2> /dev/null; wait "$sampler" 2> /dev/null || true
  count=$(sort -n "$work/connections-$name.txt" | tail -n 1)
  peak=${count:-0}
  for slot in "${!pod_service[@]}"; do pod_leave "$slot"; pod_kill "$slot"; done
  sleep 1

  local result totals=(0 0 0 0 0 0 0 0) i line p99s=() maxes=()
  for result in list mcp; do
    line=$(grep '^LOAD_RESULT' "$work/wrk-$name-$result.txt") || fail "wrk printed no result: $(cat "$work/wrk-$name-$result.txt")"
    read -r -a fields <<< "${line#LOAD_RESULT }"
    for i in 0 1 2 3 4 5 6 7; do totals[i]=$((totals[i] + fields[i])); done
    p99s+=("${fields[9]}") maxes+=("${fields[10]}")
    summary[$result]=$(printf '%s requests/%s: %s 2xx, %s 429, %s 503, %s other 5xx, %s other; p50 %s ms, p99 %s ms, max %s ms' \
      "${fields[0]}" "$duration" "${fields[1]}" "${fields[2]}" "${fields[3]}" "${fields[4]}" "${fields[5]}" "${fields[8]}" "${fields[9]}" "${fields[10]}")
  done
  local refused=$(($(refusals) - started_refusals)) errors=$(($(server_errors) - started_errors))
  printf '\nrun %s (%s)\n  backend list: %s\n  MCP list_tasks: %s\n' "$name" "${*:-pool at Npgsql default 100}" "${summary[list]}" "${summary[mcp]}"
  printf '  PostgreSQL 53300 refusals=%s peak_connections=%s of %s; 429/503 without Retry-After=%s; socket errors=%s; error-level log lines=%s; reserve (5 owner connections under load)=%s\n' \
    "$refused" "$peak" "$pg_max_connections" "${totals[6]}" "${totals[7]}" "$errors" "$reserve"
  outcome[$name]="$refused ${totals[4]} ${totals[6]} $reserve $(printf '%s\n' "${p99s[@]}" | sort -n | tail -n 1) ${totals[1]} $errors"
}

for name in $runs; do
  case $name in
    default) run default ;;
    budget) run budget "Database__MaxPoolSize=$pool" ;;
    *) fail "SATURATION_RUNS: default or budget, not $name" ;;
  esac
done

if [[ " $runs " == *" budget "* ]]; then
  read -r refused server_5xx no_retry reserve p99 served _ <<< "${outcome[budget]}"
  ((served > 0)) || fail "the budgeted run served nothing"
  ((refused == 0)) || fail "PostgreSQL refused $refused connections (53300) with the budget"
  ((server_5xx == 0)) || fail "$server_5xx answers were 5xx other than 503 with the budget"
  ((no_retry == 0)) || fail "$no_retry 429/503 answers had no Retry-After"
  [[ $reserve == ok ]] || fail "the reserve could not connect under load: $(cat "$work/reserve-budget.txt")"
  awk -v p="$p99" -v limit="$p99_limit_ms" 'BEGIN { exit !(p < limit) }' || fail "p99 ${p99} ms is over ${p99_limit_ms} ms"
fi
log "PASS"
