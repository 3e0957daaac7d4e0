# Replicas of the backend and the MCP server behind HAProxy standing in for their Kubernetes Services, for the
# connection-budget, scale-out and soak scripts (source it after lib.sh). HAProxy forwards TCP like kube-proxy and
# health-checks /health like a readiness probe (the reasoning is in rolling-update/haproxy.cfg); each Service has six
# endpoint slots (five replicas at the autoscaler's maximum and a rollout's surge pod), driven through the admin socket.
#   cluster_start [backend] [mcpserver]   HAProxy with a Service per name; sets service_url[NAME]
#   pod_start SERVICE SLOT [VAR=VALUE...]  a replica of SERVICE pointed to by SLOT (not in rotation until pod_join)
#   pod_join SLOT / pod_leave SLOT / pod_kill SLOT
# Pods run where in_pod_of[SERVICE] says (a network namespace in bench/soak.sh; here by default) and reach PostgreSQL,
# HAProxy and each other at the addresses in address_of.
# shellcheck shell=bash

declare -A service_url=() service_port=() pod_pid=() pod_port=() pod_service=() pod_settings=() address_of=()
address_of[lb]=127.0.0.1
address_of[backend]=127.0.0.1
address_of[mcpserver]=127.0.0.1
address_of[frontend]=127.0.0.1
in_lb=()
declare -A in_pod_of=()
cluster_slots=6
cluster_drain=${CLUSTER_DRAIN:-00:00:00}

cluster_tools() {
  PATH=$PATH:/usr/sbin # where Debian puts haproxy
  local tool
  for tool in haproxy wrk; do
    command -v "$tool" > /dev/null && continue
    [[ $(id -u) == 0 ]] || fail "$tool is missing: apt-get install $tool"
    log "Installing $tool..."
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$tool" > "$work/apt-$tool.log" 2>&1 ||
      fail "apt-get install $tool: $(tail -n 5 "$work/apt-$tool.log")"
  done
}

# The signing key's public half, for the MCP server; both keys are lib.sh's.
public_key=$(openssl pkey -pubout <<< "$signing_key")

cluster_start() {
  cluster_tools
  lb_admin_port=$(free_port)
  local config=$work/haproxy.cfg service slot
  {
    printf 'global\n    stats socket "ipv4@%s:%s" level admin\n    maxconn 4000\n' "${address_of[lb]}" "$lb_admin_port"
    printf 'defaults\n    mode tcp\n    retries 0\n    timeout connect 2s\n    timeout client 120s\n    timeout server 120s\n'
    for service in "$@"; do
      service_port[$service]=$(free_port)
      service_url[$service]=http://${address_of[lb]}:${service_port[$service]}
      printf 'frontend %s\n    bind "%s:%s"\n    default_backend %s-pods\n' "$service" "${address_of[lb]}" "${service_port[$service]}" "$service"
      printf 'backend %s-pods\n    balance roundrobin\n    option httpchk GET /health\n    http-check expect status 200\n' "$service"
      printf '    default-server check inter 1s fall 3 rise 1 disabled\n'
      for slot in $(seq 1 "$cluster_slots"); do printf '    server %s%s 127.0.0.1:9\n' "$service" "$slot"; done
    done
  } > "$config"
  "${in_lb[@]}" haproxy -db -f "$config" > "$work/haproxy.log" 2>&1 &
  started_pids+=("$!")
  disown "$!"
  for _ in $(seq 1 50); do lb "show info" > /dev/null 2>&1 && return; sleep 0.1; done
  fail "HAProxy did not start: $(cat "$work/haproxy.log")"
}

# lb COMMAND: one command on HAProxy's admin socket.
lb() {
  # shellcheck disable=SC2016 # expanded by the inner shell
  "${in_lb[@]}" bash -c 'exec 3<> "/dev/tcp/$1/$2" && printf "%s\n" "$3" >&3 && cat <&3' lb "${address_of[lb]}" "$lb_admin_port" "$1"
}

# lb_status SLOT: UP, DOWN, MAINT...
lb_status() {
  local service=${pod_service[$1]}
  lb "show stat" | awk -F, -v backend="$service-pods" -v slot="$1" '$1 == backend && $2 == slot { print $18 }'
}

# pod_start SERVICE SLOT [VAR=VALUE...]: SLOT is SERVICE plus a number (backend1...); extra settings for this pod.
pod_start() {
  local service=$1 slot=$2 port dll settings prefix
  shift 2
  read -ra prefix <<< "${in_pod_of[$service]:-}"
  port=$(free_port)
  case $service in
    backend)
      dll=Backend.Api
      settings=(ConnectionStrings__tasksdb="$backend_connection_string" Jwt__SigningKey="$signing_key" AI__Provider=builtin
        Quotas__TasksPerUser=100000000 RateLimits__SignUp__Burst=100000 RateLimits__SignIn__Burst=100000)
      [[ -n ${service_url[mcpserver]:-} ]] && settings+=(services__mcpserver__http__0="${service_url[mcpserver]}")
      ;;
    mcpserver)
      dll=McpServer
      settings=(ConnectionStrings__tasksdb="$mcp_connection_string" Jwt__PublicKey="$public_key")
      ;;
    *) fail "pod_start: unknown service $service" ;;
  esac
  (
    cd "${build_of[$service]:-$repo_root/$dll/bin/${BENCH_CONFIGURATION:-Release}/net10.0}" || exit
    exec env ASPNETCORE_ENVIRONMENT=Production Shutdown__DrainDelay="$cluster_drain" Logging__LogLevel__Default=Warning \
      "${settings[@]}" "$@" "${prefix[@]}" dotnet "$dll.dll" --urls "http://${address_of[$service]}:$port"
  ) >> "$work/pod-$slot.log" 2>&1 &
  started_pids+=("$!")
  pod_pid[$slot]=$! pod_port[$slot]=$port pod_service[$slot]=$service
  pod_settings[$slot]=$( (($# == 0)) || printf '%q ' "$@")
  disown "$!"
  [[ -z ${lb_admin_port:-} ]] || lb "set server $service-pods/$slot addr ${address_of[$service]} port $port" > /dev/null
}
declare -A build_of=()

# frontend_start SLOT BACKEND_URL MCP_URL: the Node frontend (built into Frontend/dist first when it is not).
frontend_start() {
  local slot=$1 port prefix
  read -ra prefix <<< "${in_pod_of[frontend]:-}"
  if [[ ! -f $repo_root/Frontend/dist/index.html ]]; then
    log "Building the frontend (npm ci, npm run build)..."
    (cd "$repo_root/Frontend" && npm ci --no-audit --no-fund && npm run build) > "$work/frontend-build.log" 2>&1 ||
      fail "the frontend did not build: $(tail -n 20 "$work/frontend-build.log")"
  fi
  port=$(free_port)
  (
    cd "$repo_root/Frontend" || exit
    exec env NODE_ENV=production HOST="${address_of[frontend]}" PORT="$port" BACKEND_URL="$2" MCP_URL="$3" SHUTDOWN_DRAIN_DELAY_MS=0 \
      "${prefix[@]}" node server/index.js
  ) >> "$work/pod-$slot.log" 2>&1 &
  started_pids+=("$!")
  pod_pid[$slot]=$! pod_port[$slot]=$port pod_service[$slot]=frontend
  disown "$!"
}

# pod_url SLOT: the pod's own address (what a readiness probe calls).
pod_url() { echo "http://${address_of[${pod_service[$1]}]}:${pod_port[$1]}"; }

# pod_ready SLOT SECONDS: polls the pod's /health until 200 (from where HAProxy runs: the probe's vantage point).
pod_ready() {
  local deadline=$(($(date +%s) + $2))
  while (($(date +%s) < deadline)); do
    "${in_lb[@]}" curl -fsS -o /dev/null -m 2 "$(pod_url "$1")/health" 2> /dev/null && return 0
    kill -0 "${pod_pid[$1]}" 2> /dev/null || return 1
    sleep 0.2
  done
  return 1
}

# pod_join SLOT: once ready, the endpoint joins its Service and HAProxy reports it UP. A pod whose random port was
# taken meanwhile (by another process on this machine) is started again on another.
pod_join() {
  local attempt
  for attempt in 1 2 3; do
    pod_ready "$1" 120 && break
    grep -q 'address already in use' "$work/pod-$1.log" && ((attempt < 3)) || fail "pod $1 not ready: $(tail -n 20 "$work/pod-$1.log")"
    log "  $1: its port was taken; starting it on another"
    eval "pod_start ${pod_service[$1]} $1 ${pod_settings[$1]}"
  done
  lb "set server ${pod_service[$1]}-pods/$1 state ready" > /dev/null
  for _ in $(seq 1 50); do [[ $(lb_status "$1") == UP ]] && return; sleep 0.1; done
  fail "HAProxy does not report $1 UP: $(lb_status "$1")"
}

pod_leave() { lb "set server ${pod_service[$1]}-pods/$1 state maint" > /dev/null; }

pod_kill() { kill -KILL "${pod_pid[$1]}" 2> /dev/null || true; }

# pod_rss_mb SLOT: the pod's resident set.
pod_rss_mb() { awk '/^VmRSS/ { printf "%d", $2 / 1024 }' "/proc/${pod_pid[$1]}/status" 2> /dev/null || echo 0; }

# sign_in_many URL COUNT FILE: registers COUNT accounts and writes "user_id token mcp_token" per line to FILE.
sign_in_many() {
  local url=$1 count=$2 file=$3 i
  : > "$file"
  for i in $(seq 1 "$count"); do
    sign_in "$url"
    printf '%s %s %s\n' "$user_id" "$token" \
      "$("${in_client[@]}" curl -fsS -X POST -H "Authorization: Bearer $token" "$url/api/auth/mcp-token" | json_field access_token)" >> "$file"
    [[ $i == 1 ]] && first_token=$token first_user_id=$user_id
  done
  token=$first_token user_id=$first_user_id
}

# percentile P: the P-th percentile of the numbers on stdin.
percentile() { sort -n | awk -v p="$1" '{ v[NR] = $1 } END { if (NR == 0) { print 0; exit } i = int(NR * p / 100 + 0.999); if (i < 1) i = 1; print v[i] }'; }
