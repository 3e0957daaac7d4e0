#!/usr/bin/env bash
# Network partitions, both kinds. PostgreSQL, the backend, the MCP server and the frontend each run in a network
# namespace of their own (bench/netns.sh: veth links to a router namespace, as pods on a pod network), and so do the
# script's clients. Each link below is cut twice, refused (every packet answered with a TCP reset) and black-holed
# (every packet dropped: only time-outs end a call), while requests run; then it heals. For each cut it measures:
#   - requests that depend on the link fail within their documented bound (several at once; the service's /alive
#     keeps answering within a second meanwhile, so no thread pool or connection pool is exhausted);
#   - requests that do not depend on it keep succeeding;
#   - readiness reports the cut where it should (the backend and the MCP server are unready without their database;
#     nothing else changes readiness: a backend without the MCP server still serves tasks, a frontend without the
#     backend still serves the app) and is ready again after the heal;
#   - after the heal every path serves again within PARTITION_HEAL_LIMIT seconds, and every acknowledged write is stored.
# Prints one line per cut and exits non-zero on any failed check. Needs root (network namespaces, nftables; both
# installed with apt when missing).
#   bench/partitions.sh     PARTITION_LINKS="backend-postgres mcpserver-postgres backend-mcpserver frontend-backend"
#                           PARTITION_MODES="refused dropped" PARTITION_HEAL_LIMIT=10 PARTITION_PARALLEL=8
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
source "$(dirname "${BASH_SOURCE[0]}")/cluster.sh"
source "$(dirname "${BASH_SOURCE[0]}")/netns.sh"
links=${PARTITION_LINKS:-"backend-postgres mcpserver-postgres backend-mcpserver frontend-backend"}
modes=${PARTITION_MODES:-"refused dropped"}
heal_limit=${PARTITION_HEAL_LIMIT:-10}
parallel=${PARTITION_PARALLEL:-8}

# The documented bounds, in seconds, of a request whose path is cut (docs/kubernetes.md, "Bounds when a path is cut"):
# a database call fails after its connect time-out (3 s) or, when its command was already on the wire, after the
# command time-out (10 s) and Npgsql's cancel request, which connects afresh (3 s more), never retried after a
# time-out; the frontend's API_TIMEOUT_MS (20 s); a chat turn's Mcp:ConnectTimeout (3 s) or Mcp:Timeout (30 s).
bound_backend=15
bound_mcp=15
bound_frontend=21
bound_chat=31

net_up postgres backend mcpserver frontend client
in_db=(ip netns exec "$(net_namespace postgres)")
set_database_host "$(net_addr postgres)"
for pod in backend mcpserver frontend; do
  address_of[$pod]=$(net_addr "$pod")
  in_pod_of[$pod]="ip netns exec $(net_namespace "$pod")"
done
# The probes and the clients run in the client namespace (kubelet's and users' vantage point: not across the cuts).
in_lb=(ip netns exec "$(net_namespace client)")
client() { in_pod client "$@"; }

init_postgres
# The pods reach the server over the pod network (trusted, like its loopback: a private test server).
echo "host all all 10.24.0.0/16 trust" >> "$work/pgdata/pg_hba.conf"
start_postgres && create_database
build_release Backend.Api
build_release McpServer
run_migrator
pod_start mcpserver mcp
mcp_url=$(pod_url mcp)
pod_start backend api services__mcpserver__http__0="$mcp_url"
backend_url=$(pod_url api)
pod_ready mcp 120 || fail "the MCP server is not ready: $(tail -n 20 "$work/pod-mcp.log")"
pod_ready api 120 || fail "the backend is not ready: $(tail -n 20 "$work/pod-api.log")"
frontend_start web "$backend_url" "$mcp_url"
frontend_url=$(pod_url web)
pod_ready web 120 || fail "the frontend is not ready: $(tail -n 20 "$work/pod-web.log")"

# One account, signed in at the backend (a bearer token, an MCP token) and at the frontend (its session cookie).
credentials="{\"email\":\"partition-$RANDOM$RANDOM@example.com\",\"password\":\"partition-password-$RANDOM\"}"
client curl -fsS -o /dev/null -H 'Content-Type: application/json' -d "$credentials" "$backend_url/api/auth/register" || fail "register failed"
login=$(client curl -fsS -H 'Content-Type: application/json' -d "$credentials" "$backend_url/api/auth/login") || fail "login failed"
token=$(json_field access_token <<< "$login") user_id=$(json_field user_id <<< "$login")
mcp_token=$(client curl -fsS -X POST -H "Authorization: Bearer $token" "$backend_url/api/auth/mcp-token" | json_field access_token)
client curl -fsS -o /dev/null -c "$work/cookies" -H 'Content-Type: application/json' -d "$credentials" "$frontend_url/api/auth/login" ||
  fail "sign-in through the frontend failed"
: > "$work/acknowledged"

# Each operation prints "STATUS SECONDS" (000 when no answer came within 60 s); creates record acknowledged ids.
timed() { # BODY-FILE CURL-ARGS...
  local body=$1
  shift
  client curl -sS -o "$body" -m 60 -w '%{http_code} %{time_total}\n' "$@" 2> /dev/null || echo "000 60"
}
acknowledge() { # BODY-FILE: echoes "STATUS SECONDS" from stdin, records the id of a 201
  local status seconds
  read -r status seconds
  # (sed keeps a body's missing final newline: the id is echoed, so each gets a line.)
  if [[ $status == 201 ]]; then echo "$(json_field id < "$1" | head -n 1)" >> "$work/acknowledged"; fi
  echo "$status $seconds"
}
# A file of its own per request: operations run in parallel subshells, which share $RANDOM's sequence.
new_body() { mktemp -p "$work" body.XXXXXX; }
op_list_backend() { timed "$(new_body)" -H "Authorization: Bearer $token" "$backend_url/api/$user_id/tasks?status=all"; }
op_create_backend() {
  local body
  body=$(new_body)
  timed "$body" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' -d '{"title":"partition"}' "$backend_url/api/$user_id/tasks" | acknowledge "$body"
}
op_list_frontend() { timed "$(new_body)" -b "$work/cookies" "$frontend_url/api/$user_id/tasks?status=all"; }
op_create_frontend() {
  local body
  body=$(new_body)
  timed "$body" -b "$work/cookies" -H 'Content-Type: application/json' -d '{"title":"partition via frontend"}' "$frontend_url/api/$user_id/tasks" | acknowledge "$body"
}
op_static() { timed "$(new_body)" "$frontend_url/"; }
op_chat() { timed "$(new_body)" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' -d '{"message":"What is pending?"}' "$backend_url/api/$user_id/chat"; }
# A tools/call answers 200 with "isError":true when the tool failed: reported as 599 here.
op_mcp() {
  local status seconds body
  body=$(new_body)
  read -r status seconds < <(timed "$body" -H "Authorization: Bearer $mcp_token" -H 'Content-Type: application/json' \
    -H 'Accept: application/json, text/event-stream' -H 'MCP-Protocol-Version: 2025-06-18' \
    -d '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"list_tasks","arguments":{"status":"all"}}}' "$mcp_url/mcp")
  if [[ $status == 200 ]] && grep -q '"isError":true' "$body"; then status=599; fi
  echo "$status $seconds"
}
health() { client curl -s -o /dev/null -m 5 -w '%{http_code}' "$1/health" 2> /dev/null || true; }
alive_seconds() { client curl -s -o /dev/null -m 10 -w '%{time_total}' "$1/alive" 2> /dev/null || echo 10; }

# For each link: the pods it joins, the operations that depend on it (with their bound), those that do not, and the
# readiness each service must report during the cut.
declare -A link_pods=(
  [backend-postgres]="backend postgres" [mcpserver-postgres]="mcpserver postgres"
  [backend-mcpserver]="backend mcpserver" [frontend-backend]="frontend backend")
declare -A link_dependent=(
  [backend-postgres]="list_backend:$bound_backend create_backend:$bound_backend list_frontend:$bound_frontend"
  [mcpserver-postgres]="mcp:$bound_mcp"
  [backend-mcpserver]="chat:$bound_chat"
  [frontend-backend]="list_frontend:$bound_frontend create_frontend:$bound_frontend")
# Operations that cross the cut link but may still answer (a chat turn whose tool failed says so in its reply): they
# must end within their bound, whatever they answer.
declare -A link_bounded=([mcpserver-postgres]="chat:$bound_chat")
declare -A link_independent=(
  [backend-postgres]="mcp static"
  [mcpserver-postgres]="list_frontend create_frontend static"
  [backend-mcpserver]="list_frontend create_frontend mcp static"
  [frontend-backend]="static list_backend create_backend mcp")
declare -A link_unready=([backend-postgres]=backend [mcpserver-postgres]=mcpserver [backend-mcpserver]="" [frontend-backend]="")
declare -A link_watched=([backend-postgres]=api [mcpserver-postgres]=mcp [backend-mcpserver]=api [frontend-backend]=web)
declare -A service_slot=([backend]=api [mcpserver]=mcp [frontend]=web)

failures=()
check() { # CONDITION-EXIT-STATUS MESSAGE
  (($1 == 0)) || failures+=("$2")
}

# The whole app answers before the first cut.
for op in list_backend create_backend list_frontend create_frontend static chat mcp; do
  read -r status _ < <("op_$op")
  [[ $status == 2* ]] || fail "before any cut, $op answered $status"
done

for link in $links; do
  for mode in $modes; do
    [[ -n ${link_pods[$link]:-} ]] || fail "unknown link $link (one of ${!link_pods[*]})"
    read -r a b <<< "${link_pods[$link]}"
    name="$link/$mode"
    net_cut "$a" "$b" "$mode"
    cut_at=$(now)
    # Dependent requests, PARTITION_PARALLEL at once per operation, in the background.
    rm -f "$work"/dependent.*
    for entry in ${link_dependent[$link]} ${link_bounded[$link]:-}; do
      op=${entry%%:*}
      for i in $(seq 1 "$parallel"); do ("op_$op" > "$work/dependent.$op.$i") & done
    done
    # Meanwhile: the watched service stays alive, readiness is what it should be, independent requests succeed.
    watched_url=$(pod_url "${link_watched[$link]}")
    slowest_alive=0 unready_seen=no
    # A readiness probe takes a pod out after 3 failures in a row (the manifests' failureThreshold): so does this check.
    declare -A probe_failures=([backend]=0 [mcpserver]=0 [frontend]=0)
    for _ in 1 2 3 4 5 6; do
      seconds=$(alive_seconds "$watched_url")
      slowest_alive=$(awk -v a="$slowest_alive" -v b="$seconds" 'BEGIN { print (b > a) ? b : a }')
      for service in backend mcpserver frontend; do
        code=$(health "$(pod_url "${service_slot[$service]}")")
        if [[ $service == "${link_unready[$link]}" ]]; then
          [[ $code == 503 ]] && unready_seen=yes
        elif [[ $code != 200 ]]; then
          probe_failures[$service]=$((probe_failures[$service] + 1))
          log "  $name: $service answered ${code:-nothing within 5 s} to a readiness probe"
          ((probe_failures[$service] < 3)) || failures+=("$name: $service failed 3 readiness probes in a row during the cut (expected ready)")
        else
          probe_failures[$service]=0
        fi
      done
      sleep 1
    done
    independent=()
    for op in ${link_independent[$link]}; do
      read -r status seconds < <("op_$op")
      independent+=("$op=$status")
      [[ $status == 2* ]] || failures+=("$name: $op, which does not use the cut link, answered $status after ${seconds}s")
    done
    [[ -z ${link_unready[$link]} || $unready_seen == yes ]] || failures+=("$name: ${link_unready[$link]} never reported unready")
    awk -v s="$slowest_alive" 'BEGIN { exit !(s < 1) }' || failures+=("$name: /alive of ${link_watched[$link]} took ${slowest_alive}s during the cut")
    wait
    dependent=()
    for entry in ${link_dependent[$link]} ${link_bounded[$link]:-}; do
      op=${entry%%:*} bound=${entry#*:}
      worst=0 statuses=()
      for file in "$work"/dependent."$op".*; do
        read -r status seconds < "$file"
        statuses+=("$status")
        worst=$(awk -v a="$worst" -v b="$seconds" 'BEGIN { print (b > a) ? b : a }')
        if [[ $status == 2* && " ${link_dependent[$link]} " == *" $entry "* ]]; then
          failures+=("$name: $op answered $status across the cut link")
        fi
      done
      dependent+=("$op=$(printf '%s\n' "${statuses[@]}" | sort | uniq -c | awk '{ printf "%s%sx%s", sep, $1, $2; sep = "," }')/max${worst}s(bound ${bound}s)")
      awk -v s="$worst" -v b="$bound" 'BEGIN { exit !(s <= b) }' || failures+=("$name: $op took ${worst}s, over its ${bound}s bound")
    done

    net_heal
    healed_at=$(now)
    # Every path serves again, and readiness is back, within the limit.
    recovered=
    while awk -v s="$(seconds_since "$healed_at")" -v l="$heal_limit" 'BEGIN { exit !(s < l + 20) }'; do
      all=yes
      for op in list_backend list_frontend static mcp chat; do
        read -r status _ < <("op_$op")
        [[ $status == 200 ]] || { all=no; break; }
      done
      for service in backend mcpserver frontend; do
        [[ $(health "$(pod_url "${service_slot[$service]}")") == 200 ]] || all=no
      done
      if [[ $all == yes ]]; then recovered=$(seconds_since "$healed_at"); break; fi
      sleep 0.5
    done
    read -r status _ < <(op_create_backend)
    [[ $status == 201 ]] || failures+=("$name: a write after the heal answered $status")
    if [[ -z $recovered ]]; then
      failures+=("$name: not every path served again within $((heal_limit + 20))s of the heal")
    else
      awk -v s="$recovered" -v l="$heal_limit" 'BEGIN { exit !(s <= l) }' || failures+=("$name: serving again took ${recovered}s (limit ${heal_limit}s)")
    fi
    printf 'partition %-28s cut %5.1fs  dependent: %s  independent: %s  unready: %s  slowest /alive %ss  recovered after %ss\n' \
      "$name" "$(awk -v a="$cut_at" -v b="$healed_at" 'BEGIN { print b - a }')" "${dependent[*]}" "${independent[*]}" \
      "${link_unready[$link]:-none}=$unready_seen" "$slowest_alive" "${recovered:-never}"
  done
done

acknowledged=$(grep -c . "$work/acknowledged" || true)
stored=$("${in_db[@]}" "$pg_bin/psql" -h "$pg_host" -p "$pg_port" -U postgres -d tasksdb -tAq -v ON_ERROR_STOP=1 \
  -c "CREATE TEMP TABLE acknowledged (id integer)" -c "\\copy acknowledged FROM '$work/acknowledged'" \
  -c "SELECT count(*) FROM acknowledged JOIN tasks USING (id) WHERE tasks.user_id = '$user_id'" 2>&1 | tail -n 1) ||
  fail "could not count the stored writes: $stored"
printf 'partitions: acknowledged_writes=%s stored=%s\n' "$acknowledged" "$stored"
((stored == acknowledged)) || failures+=("$((acknowledged - stored)) acknowledged writes are not stored")
if ((${#failures[@]} > 0)); then
  printf 'FAIL: %s\n' "${failures[@]}" >&2
  exit 1
fi
log "PASS"
