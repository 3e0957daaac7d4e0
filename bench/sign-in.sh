#!/usr/bin/env bash
# The cost of one password check as the backend ships it (ASP.NET Core Identity's PBKDF2-HMAC-SHA512 with
# PasswordHashing.Iterations) and the anonymous hashing pool it sizes (RateLimits:AnonymousConcurrency and
# AnonymousQueue, docs/security.md). Sign-ins with the right password, on a backend whose sign-in limits are out of
# the way: one at a time (a check runs on one core, so this is its CPU time; /alive beside it is the HTTP overhead),
# then as many in parallel as wrk keeps busy (checks per second on all cores; lower when other work shares them).
#   bench/sign-in.sh          # SIGNIN_REQUESTS=20 SIGNIN_DURATION=10s
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

requests=${SIGNIN_REQUESTS:-20}
duration=${SIGNIN_DURATION:-10s}
cores=$(nproc)

init_postgres && start_postgres && create_database
build_release Backend.Api
run_migrator "$repo_root/Backend.Api/bin/Release/net10.0"
port=$(free_port); url=http://127.0.0.1:$port
export RateLimits__SignIn__Burst=1000000 RateLimits__AnonymousConcurrency=256 RateLimits__AnonymousQueue=10000
start_backend backend "$port"
wait_ready "$url" 90 || fail "backend not ready: $(tail -n 20 "$work/backend.log")"

credentials="{\"email\":\"bench-$RANDOM$RANDOM@example.com\",\"password\":\"bench sign-in passphrase $RANDOM\"}"
curl -fsS -o /dev/null -H 'Content-Type: application/json' -d "$credentials" "$url/api/auth/register" || fail "register failed"

# median_ms CURL_ARGS...: the median of $requests timings, in milliseconds.
median_ms() {
  local n
  for ((n = 0; n < requests; n++)); do
    curl -fsS -o /dev/null -w '%{time_total}\n' "$@" || fail "request failed: $*"
  done | sort -n | awk '{ t[NR] = $1 } END { printf "%.1f", 1000 * t[int((NR + 1) / 2)] }'
}

login=(-H 'Content-Type: application/json' -d "$credentials" "$url/api/auth/login")
median_ms "${login[@]}" > /dev/null # warm-up
one_sign_in=$(median_ms "${login[@]}")
one_probe=$(median_ms "$url/alive")

cat > "$work/sign-in.lua" <<LUA
wrk.method = "POST"
wrk.body = '$credentials'
wrk.headers["Content-Type"] = "application/json"
function done(summary, latency, requests)
  io.write(string.format("SIGNIN_RESULT %.1f %d\n", summary.requests / (summary.duration / 1000000), summary.errors.status))
end
LUA
read -r _ per_second errors < <(wrk -t 2 -c $((cores * 2)) -d "$duration" -s "$work/sign-in.lua" "$url/api/auth/login" | grep '^SIGNIN_RESULT')
((errors == 0)) || fail "$errors sign-ins were refused or failed"

check_ms=$(awk -v s="$one_sign_in" -v p="$one_probe" 'BEGIN { printf "%.0f", s - p }')
queue_per_core=$(awk -v ms="$check_ms" 'BEGIN { printf "%d", 5000 / ms }')
printf '%-52s %s\n' \
  "cores" "$cores" \
  "one sign-in, one at a time (median)" "$one_sign_in ms" \
  "one /alive, one at a time (median)" "$one_probe ms" \
  "one password check (the difference)" "$check_ms ms" \
  "sign-ins per second, $((cores * 2)) in parallel" "$per_second" \
  "hashing pool: checks in progress" "$cores (one per core: more only adds latency)" \
  "hashing pool: waiting, per core, for at most 5 s" "$queue_per_core"
