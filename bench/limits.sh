#!/usr/bin/env bash
# Memory and CPU limits as the pods have them. The backend, the MCP server and the Node frontend run under the
# resources their manifests set (aspirate-output/<name>/workload.yaml): the memory limit as a cgroup v1 memory limit,
# the CPU request as cpu.shares (what the kubelet gives a container: 1024 per core), a CPU limit, when a manifest sets
# one, as a CFS quota. Each of its own cgroup (p24-<pid>-<name>, removed on exit). The same load runs twice, first
# under the cgroups, then without them: task lists through the frontend and list_tasks on the MCP server across many
# accounts at a few hundred connections, with the hostile corpus (EndToEnd.Tests/Hostile/corpus.jsonl) replayed
# meanwhile. Prints, per run, throughput and latency, each service's peak memory (and the cgroup's OOM-kill count),
# and what each runtime says it sees (the .NET GC's heap limit, V8's heap limit). Fails on an OOM kill, a process
# that died, a runtime that does not size itself from the limit, or a 5xx other than 503.
#   bench/limits.sh    LIMITS_CONNECTIONS=200 LIMITS_MCP_CONNECTIONS=60 LIMITS_DURATION=20s LIMITS_ACCOUNTS=40
#                      LIMITS_CPU_QUOTA (cores; default: the manifests', none) LIMITS_HOSTILE_ROUNDS=2
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
source "$(dirname "${BASH_SOURCE[0]}")/cluster.sh"
source "$(dirname "${BASH_SOURCE[0]}")/budget.sh"
connections=${LIMITS_CONNECTIONS:-200}
mcp_connections=${LIMITS_MCP_CONNECTIONS:-60}
duration=${LIMITS_DURATION:-20s}
accounts=${LIMITS_ACCOUNTS:-40}
hostile_rounds=${LIMITS_HOSTILE_ROUNDS:-2}
[[ $(id -u) == 0 ]] || fail "cgroups need root"
cgroup_root=/sys/fs/cgroup
[[ -w $cgroup_root/memory && -w $cgroup_root/cpu ]] || fail "no writable cgroup v1 memory and cpu controllers under $cgroup_root"

# resources NAME: "memory-limit-bytes cpu-request-millicores cpu-limit-millicores" from the manifest (0: none).
to_bytes() { awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /Gi$/) n *= 1073741824; else if (v ~ /Mi$/) n *= 1048576; else if (v ~ /Ki$/) n *= 1024; printf "%d", n }'; }
to_millicores() { awk -v v="${1:-0}" 'BEGIN { if (v ~ /m$/) printf "%d", v + 0; else printf "%d", v * 1000 }'; }
resources() {
  local file=$repo_root/aspirate-output/$1/workload.yaml memory cpu_request cpu_limit
  memory=$(awk '/limits:/ { l = 1 } l && /memory:/ { gsub(/"/, "", $2); print $2; exit }' "$file")
  cpu_request=$(awk '/requests:/ { r = 1 } r && /cpu:/ { gsub(/"/, "", $2); print $2; exit }' "$file")
  cpu_limit=$(awk '/limits:/ { l = 1 } l && /cpu:/ { gsub(/"/, "", $2); print $2; exit }' "$file")
  [[ -n $memory && -n $cpu_request ]] || fail "$file sets no memory limit or CPU request"
  echo "$(to_bytes "$memory") $(to_millicores "$cpu_request") $(to_millicores "${cpu_limit:-0}")"
}

# cgroup_create NAME: the pod's memory and cpu cgroups, as its manifest sets them.
declare -A cgroup_of=() limit_of=()
cgroup_create() {
  local name=$1 group="p24-$$-$1" memory request limit
  read -r memory request limit < <(resources "$1")
  [[ -n ${LIMITS_CPU_QUOTA:-} ]] && limit=$(to_millicores "$LIMITS_CPU_QUOTA")
  mkdir "$cgroup_root/memory/$group" "$cgroup_root/cpu/$group"
  cgroups_made+=("$group")
  echo "$memory" > "$cgroup_root/memory/$group/memory.limit_in_bytes"
  # No swap here; were there any, the limit would cover it too, as a container's does.
  [[ -f $cgroup_root/memory/$group/memory.memsw.limit_in_bytes ]] && echo "$memory" > "$cgroup_root/memory/$group/memory.memsw.limit_in_bytes" 2> /dev/null || true
  echo $((request * 1024 / 1000)) > "$cgroup_root/cpu/$group/cpu.shares"
  if ((limit > 0)); then
    echo 100000 > "$cgroup_root/cpu/$group/cpu.cfs_period_us"
    echo $((limit * 100)) > "$cgroup_root/cpu/$group/cpu.cfs_quota_us"
  fi
  cgroup_of[$name]=$group limit_of[$name]=$memory
  log "  $name: memory limit $((memory / 1048576)) MiB, cpu.shares $((request * 1024 / 1000)), CPU quota $( ((limit > 0)) && echo "${limit}m" || echo none)"
}
cgroups_made=()
cgroup_remove() {
  local group
  for group in "${cgroups_made[@]}"; do rmdir "$cgroup_root/memory/$group" "$cgroup_root/cpu/$group" 2> /dev/null || true; done
}
cleanup_hooks+=(cgroup_remove)
# What a container runtime does: the process joins its cgroups, then becomes the service.
cat > "$work/cgexec" << 'SCRIPT'
#!/usr/bin/env bash
echo $$ > "/sys/fs/cgroup/memory/$1/cgroup.procs"
echo $$ > "/sys/fs/cgroup/cpu/$1/cgroup.procs"
shift
exec "$@"
SCRIPT
chmod +x "$work/cgexec"

init_postgres && start_postgres && create_database
build_release Backend.Api
build_release McpServer
run_migrator
read -r _ _ pool < <(manifest_budget)
cgroup_create backend
cgroup_create mcpserver
cgroup_create frontend
log_runtime=(Logging__LogLevel__Microsoft.Extensions.Hosting.RuntimeResources=Information)

peak_mb() { # SLOT: the process's peak resident set
  awk '/^VmHWM/ { printf "%d", $2 / 1024 }' "/proc/${pod_pid[$1]}/status" 2> /dev/null || echo 0
}

# run NAME limited|unlimited
run() {
  local name=$1 mode=$2 service
  for service in backend mcpserver frontend; do
    in_pod_of[$service]=""
    [[ $mode == limited ]] && in_pod_of[$service]="$work/cgexec ${cgroup_of[$service]}"
  done
  log "Run '$name': starting the services ($mode)..."
  pod_start mcpserver "mcp-$name" "Database__MaxPoolSize=$pool" "${log_runtime[@]}"
  pod_start backend "api-$name" "Database__MaxPoolSize=$pool" services__mcpserver__http__0="$(pod_url "mcp-$name")" "${log_runtime[@]}"
  pod_ready "mcp-$name" 120 || fail "the MCP server is not ready: $(tail -n 20 "$work/pod-mcp-$name.log")"
  pod_ready "api-$name" 120 || fail "the backend is not ready: $(tail -n 20 "$work/pod-api-$name.log")"
  frontend_start "web-$name" "$(pod_url "api-$name")" "$(pod_url "mcp-$name")"
  pod_ready "web-$name" 120 || fail "the frontend is not ready: $(tail -n 20 "$work/pod-web-$name.log")"
  [[ -s $work/accounts.txt ]] || sign_in_many "$(pod_url "api-$name")" "$accounts" "$work/accounts.txt"
  log "Run '$name': warm-up, then $duration of load with the hostile corpus replayed..."
  LOAD_ACCOUNTS=$work/accounts.txt LOAD_SCENARIO=session-list wrk -t1 -c16 -d10s -s "$bench_dir/cluster/load.lua" "$(pod_url "web-$name")" > /dev/null 2>&1
  python3 "$bench_dir/cluster/hostile.py" "$repo_root/EndToEnd.Tests/Hostile/corpus.jsonl" "$(pod_url "api-$name")" "$(pod_url "mcp-$name")" \
    "$work/accounts.txt" "$hostile_rounds" > "$work/hostile-$name.txt" 2>&1 &
  local hostile=$!
  LOAD_ACCOUNTS=$work/accounts.txt LOAD_SCENARIO=session-list wrk -t2 -c"$connections" -d"$duration" --timeout 30s \
    -s "$bench_dir/cluster/load.lua" "$(pod_url "web-$name")" > "$work/wrk-$name-web.txt" 2>&1 &
  local web=$!
  LOAD_ACCOUNTS=$work/accounts.txt LOAD_SCENARIO=mcp wrk -t1 -c"$mcp_connections" -d"$duration" --timeout 30s \
    -s "$bench_dir/cluster/load.lua" "$(pod_url "mcp-$name")" > "$work/wrk-$name-mcp.txt" 2>&1
  wait "$web" || true
  wait "$hostile" || true

  local line fields slot ooms memory_line runtime_line
  printf '\nrun %s (%s)\n' "$name" "$mode"
  for line in web mcp; do
    read -r -a fields <<< "$(sed -n 's/^LOAD_RESULT //p' "$work/wrk-$name-$line.txt")"
    ((${#fields[@]} > 0)) || fail "wrk printed no result: $(cat "$work/wrk-$name-$line.txt")"
    printf '  %-20s %s requests/%s: %s 2xx, %s 429, %s 503, %s other 5xx; p50 %s ms, p99 %s ms, max %s ms\n' \
      "$([[ $line == web ]] && echo 'lists via frontend' || echo 'MCP list_tasks')" "${fields[0]}" "$duration" \
      "${fields[1]}" "${fields[2]}" "${fields[3]}" "${fields[4]}" "${fields[8]}" "${fields[9]}" "${fields[10]}"
    server_errors=$((server_errors + fields[4]))
    p99[$name-$line]=${fields[9]}
  done
  read -r _ hostile_ok hostile_4xx hostile_503 hostile_5xx hostile_errors < "$work/hostile-$name.txt" || true
  printf '  hostile corpus x%s: %s 2xx, %s 4xx, %s 503, %s other 5xx, %s unsent\n' "$hostile_rounds" "${hostile_ok:-?}" "${hostile_4xx:-?}" "${hostile_503:-?}" "${hostile_5xx:-?}" "${hostile_errors:-?}"
  server_errors=$((server_errors + ${hostile_5xx:-0}))
  for slot in "api-$name" "mcp-$name" "web-$name"; do
    service=${pod_service[$slot]}
    memory_line="peak RSS $(peak_mb "$slot") MB"
    if [[ $mode == limited ]]; then
      ooms=$(awk '/^oom_kill / { print $2 }' "$cgroup_root/memory/${cgroup_of[$service]}/memory.oom_control")
      memory_line+=", cgroup peak $(($(cat "$cgroup_root/memory/${cgroup_of[$service]}/memory.max_usage_in_bytes") / 1048576)) of $((limit_of[$service] / 1048576)) MiB, OOM kills ${ooms:-0}"
      ((${ooms:-0} == 0)) || failures+=("$service was OOM-killed under its limit")
    fi
    if [[ $service == frontend ]]; then
      runtime_line=$(grep -o '"heapLimitMb":[0-9]*,"memoryLimitMb":[0-9a-z]*' "$work/pod-$slot.log" | tail -n 1)
    else
      runtime_line=$(grep -o 'Runtime resources: .*' "$work/pod-$slot.log" | tail -n 1)
    fi
    kill -0 "${pod_pid[$slot]}" 2> /dev/null || failures+=("$service died in run $name")
    printf '  %-10s %s; runtime: %s\n' "$service" "$memory_line" "${runtime_line:-not logged}"
    runtime[$name-$service]=$runtime_line
  done
  for slot in "web-$name" "api-$name" "mcp-$name"; do kill -TERM "${pod_pid[$slot]}" 2> /dev/null || true; done
  sleep 2
}

failures=()
server_errors=0
declare -A p99=() runtime=()
# Limited first: a cgroup is charged for the file pages (assemblies, libraries) its processes read first, so the
# limited run pays for them rather than finding them already charged to the unlimited one. (Files other processes on
# the machine read before, such as the shared .NET runtime, stay charged to them: the cgroup's peak is a lower bound,
# the resident set an upper one. In a container the image's files are its own.)
run limited limited
run unlimited unlimited

# The runtimes sized themselves from the limits: .NET's GC heap limit is 75% of the memory limit, V8's heap below it.
for service in backend mcpserver; do
  heap=$(sed -n 's/.*GC heap limit \([0-9]*\) MB.*/\1/p' <<< "${runtime[limited-$service]}")
  limit=$((limit_of[$service] / 1048576))
  [[ -n $heap ]] && ((heap <= limit)) || failures+=("$service's runtime did not size its heap from the ${limit} MiB limit (heap limit ${heap:-unknown} MB)")
done
heap=$(sed -n 's/.*"heapLimitMb":\([0-9]*\).*/\1/p' <<< "${runtime[limited-frontend]}")
[[ -n $heap ]] && ((heap < limit_of[frontend] / 1048576)) || failures+=("the frontend's V8 heap limit (${heap:-unknown} MB) is not below its memory limit")
((server_errors == 0)) || failures+=("$server_errors answers were 5xx other than 503")
printf '\np99 limited / unlimited: lists via frontend %s, MCP list_tasks %s\n' \
  "$(awk -v a="${p99[limited-web]}" -v b="${p99[unlimited-web]}" 'BEGIN { printf "%.2f", a / b }')" \
  "$(awk -v a="${p99[limited-mcp]}" -v b="${p99[unlimited-mcp]}" 'BEGIN { printf "%.2f", a / b }')"
if ((${#failures[@]} > 0)); then
  printf 'FAIL: %s\n' "${failures[@]}" >&2
  exit 1
fi
log "PASS"
