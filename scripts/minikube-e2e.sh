#!/usr/bin/env bash
# The whole deployment path on Minikube, as a user runs it, with the publisher's own verbs:
#   minikube start (Calico, so NetworkPolicies are enforced; metrics-server for the autoscaler)
#   -> Publisher build (into Minikube: the kube context is a Minikube one) -> Publisher apply (waits for every rollout)
#   -> through the frontend: register, add a task, a chat turn -> delete postgres-0, the task survives
#   -> load the frontend until the backend's HPA scales above 1 replica
#   -> Publisher destroy: the database volume stays, and a new apply finds the task again -> destroy --purge.
# Needs minikube, kubectl, docker (the driver), curl, jq and the .NET SDK. Not run by CI here (no Minikube on these
# machines): .github/workflows/minikube-e2e.yml runs it on a GitHub runner.
# Usage: scripts/minikube-e2e.sh   (MINIKUBE_PROFILE, default phase4-e2e; KEEP_CLUSTER=1 keeps it afterwards)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

profile="${MINIKUBE_PROFILE:-phase4-e2e}"
port="${E2E_PORT:-18080}"
base="http://127.0.0.1:$port"
work="$(mktemp -d)"
forward_pid=""

step() { printf '\n== %s (%s)\n' "$1" "$(date +%T)"; }
fail() { printf 'FAILED: %s\n' "$*" >&2; exit 1; }
publisher() { dotnet run --project Publisher -- "$@" --kube-context "$profile"; }
k() { kubectl --context "$profile" -n phase4 "$@"; }
# Polls "$@" every 2 s for up to $1 seconds.
eventually() { local seconds=$1; shift; for _ in $(seq $((seconds / 2))); do "$@" && return 0; sleep 2; done; "$@"; }

cleanup() {
  local status=$?
  if [[ -n "$forward_pid" ]]; then kill "$forward_pid" 2> /dev/null || true; fi
  if ((status != 0)); then
    k get pods,hpa,pvc -o wide || true
    k describe pods 2>&1 | tail -n 80 || true
  fi
  [[ "${KEEP_CLUSTER:-0}" == 1 ]] || minikube delete -p "$profile" > /dev/null 2>&1 || true
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT

# The frontend through kubectl port-forward (portable: `minikube service --url` keeps running with the Docker driver
# on macOS and Windows). Restarted whenever it is needed, since it ends with the pod it forwards to.
forward() {
  if [[ -n "$forward_pid" ]]; then kill "$forward_pid" 2> /dev/null || true; fi
  k port-forward svc/frontend "$port:8080" > "$work/port-forward.log" 2>&1 &
  forward_pid=$!
  eventually 60 curl -fsS -o /dev/null "$base/health" || fail "the frontend never answered /health"
}

jar="$work/cookies.txt"
api() { # method path [json body]: prints the body, fails on an HTTP error
  local args=(-fsS -b "$jar" -c "$jar" -X "$1" -H 'Accept: application/json' "$base$2")
  [[ $# -gt 2 ]] && args+=(-H 'Content-Type: application/json' --data "$3")
  curl "${args[@]}"
}
has_task() { api GET "/api/$user_id/tasks" 2> /dev/null | jq -e --arg title "$title" 'any(.[]?; .title == $title) or any(.items[]?; .title == $title)' > /dev/null; }

step "minikube start"
minikube start -p "$profile" --cni=calico --addons=metrics-server --memory="${MINIKUBE_MEMORY:-6g}" --cpus="${MINIKUBE_CPUS:-2}" --wait=all

step "build into Minikube and apply"
publisher build
publisher apply
k get pods

step "register, add a task and chat through the frontend"
forward
email="e2e-$(date +%s)-$RANDOM@example.com"
credentials="{\"email\":\"$email\",\"password\":\"E2e-test-passw0rd\"}"
eventually 120 api POST /api/auth/register "$credentials" > /dev/null || fail "registration kept failing"
user_id="$(api POST /api/auth/login "$credentials" | jq -r .user_id)"
title="E2E task $RANDOM"
api POST "/api/$user_id/tasks" "{\"title\":\"$title\"}" > /dev/null
reply="$(api POST "/api/$user_id/chat" '{"message":"Show my tasks"}')"
jq -e '.response | length > 0' <<< "$reply" > /dev/null || fail "the chat gave no response: $reply"
printf 'chat: %s\n' "$(jq -r .response <<< "$reply" | head -c 200)"

step "delete the Postgres pod: the StatefulSet recreates it on the same volume"
k delete pod postgres-0 --wait=true
k wait pod/postgres-0 --for=condition=Ready --timeout=3m
eventually 120 has_task || fail "the task is gone after postgres-0 was replaced"

step "load the frontend until the backend's autoscaler adds a replica"
cookie="$(awk 'NF == 7 && ($1 !~ /^#/ || $1 ~ /^#HttpOnly_/) { printf "%s=%s; ", $6, $7 }' "$jar")"
# shellcheck disable=SC2016 # $COOKIE and $URL expand in the pod's shell
k run load --image=busybox:1.37 --restart=Never --env="COOKIE=$cookie" --env="URL=http://frontend:8080/api/$user_id/tasks" \
  --command -- sh -c 'for i in $(seq 24); do (while true; do wget -q -O /dev/null --header "Cookie: $COOKIE" "$URL"; done) & done; wait'
backend_replicas() { k get hpa backend -o jsonpath='{.status.currentReplicas}'; }
eventually 420 sh -c "[ \"\$(kubectl --context '$profile' -n phase4 get hpa backend -o jsonpath='{.status.currentReplicas}')\" -gt 1 ]" \
  || fail "the backend did not scale above 1 replica (HPA: $(k get hpa backend --no-headers))"
printf 'backend replicas: %s\n' "$(backend_replicas)"
k delete pod load --wait=false

step "destroy keeps the database volume; a new apply finds the task again"
publisher destroy
k get pvc postgres-data-postgres-0 > /dev/null || fail "destroy deleted the database volume"
[[ -z "$(k get statefulset,deployment -o name)" ]] || fail "destroy left workloads behind"
publisher apply
forward
rm -f "$jar"
api POST /api/auth/login "$credentials" > /dev/null
eventually 120 has_task || fail "the task is gone after destroy and apply"

step "destroy --purge deletes the namespace with the volume"
publisher destroy --purge
! kubectl --context "$profile" get namespace phase4 > /dev/null 2>&1 || fail "the namespace is still there"

printf '\nMINIKUBE END-TO-END PASSED\n'
