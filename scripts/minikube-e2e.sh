#!/usr/bin/env bash
# The whole deployment path on Minikube, as a user runs it, with the publisher's own verbs:
#   minikube start (Calico, so NetworkPolicies are enforced; metrics-server for the autoscaler)
#   -> Publisher build (into Minikube) -> Publisher apply (dry run on the server, watched rollouts, a recorded release)
#   -> through the frontend: register, add a task, a chat turn -> delete postgres-0, the task survives
#   -> a pod without the frontend's labels cannot reach the backend; one with them can
#   -> edit a frontend file, build, apply: only the frontend rolls, and it serves the change
#   -> backup, delete the task, restore: the task is back -> rollback: the edit is gone, nothing else rolled
#   -> load the frontend until the backend's HPA scales above 1 replica
#   -> Publisher destroy: the database volume stays, and a new apply finds the task again -> destroy --purge.
# Every check fails when the command behind it fails. Needs minikube, kubectl, docker (the driver), curl, jq and the
# .NET SDK. Not run by CI here (no Minikube on these machines): .github/workflows/minikube-e2e.yml runs it on GitHub.
# Usage: scripts/minikube-e2e.sh   (MINIKUBE_PROFILE, default phase4-e2e; KEEP_CLUSTER=1 keeps it afterwards)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

profile="${MINIKUBE_PROFILE:-phase4-e2e}"
port="${E2E_PORT:-18080}"
base="http://127.0.0.1:$port"
work="$(mktemp -d)"
forward_pid=""
marker="Frontend/public/e2e-marker.txt"

# shellcheck source=scripts/minikube/e2e-lib.sh
source scripts/minikube/e2e-lib.sh
publisher() { dotnet run --project Publisher -- "$@" --kube-context "$profile"; }
k() { kubectl --context "$profile" -n phase4 "$@"; }

cleanup() {
  local status=$?
  if [[ -n "$forward_pid" ]]; then kill "$forward_pid" 2> /dev/null || true; fi
  rm -f "$marker"
  if ((status != 0)); then
    k get pods,hpa,pvc,secrets -o wide || true
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
  eventually 60 curl -fsS --max-time 5 -o /dev/null "$base/health" || fail "the frontend never answered /health"
}

jar="$work/cookies.txt"

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
user_id="$(api POST /api/auth/login "$credentials" | jq -er .user_id)"
title="E2E task $RANDOM"
api POST "/api/$user_id/tasks" "{\"title\":\"$title\"}" > /dev/null
reply="$(api POST "/api/$user_id/chat" '{"message":"Show my tasks"}')"
jq -e '.response | length > 0' <<< "$reply" > /dev/null || fail "the chat gave no response: $reply"
printf 'chat: %s\n' "$(jq -r .response <<< "$reply" | head -c 200)"

step "delete the Postgres pod: the StatefulSet recreates it on the same volume"
old_uid="$(k get pod postgres-0 -o jsonpath='{.metadata.uid}')"
k delete pod postgres-0 --wait=true
# The StatefulSet recreates postgres-0 under the same name: wait for a pod with another uid before waiting for Ready.
recreated() { local uid; uid="$(k get pod postgres-0 --ignore-not-found -o jsonpath='{.metadata.uid}')" && [[ -n "$uid" && "$uid" != "$old_uid" ]]; }
eventually 120 recreated || fail "postgres-0 was not recreated"
k wait pod/postgres-0 --for=condition=Ready --timeout=3m
eventually 120 has_task || fail "the task is gone after postgres-0 was replaced"

step "NetworkPolicies: only the frontend's pods reach the backend"
k apply -f scripts/minikube/policy-probe.yaml
k wait pod/policy-probe-as-frontend --for=jsonpath='{.status.phase}'=Succeeded --timeout=90s || fail "a pod with the frontend's labels could not reach the backend"
k wait pod/policy-probe --for=jsonpath='{.status.phase}'=Succeeded --timeout=90s || fail "a pod without the frontend's labels reached the backend: $(k logs policy-probe)"
k delete -f scripts/minikube/policy-probe.yaml --wait=true

step "edit a source, build, apply: only the frontend rolls, and it serves the change"
before="$(pod_uids)"
stamp="e2e-$RANDOM-$RANDOM"
printf '%s\n' "$stamp" > "$marker"
publisher build
publisher apply
after="$(pod_uids)"
rolled_exactly "$before" "$after" "frontend"
forward
[[ "$(curl -fsS --max-time 10 "$base/e2e-marker.txt")" == "$stamp" ]] || fail "the frontend does not serve the edited file"
rm -f "$marker"

step "backup, delete the task, restore: the task is back"
publisher backup --output "$work/tasksdb.dump"
api DELETE "/api/$user_id/tasks/$(task_id)" > /dev/null
lacks_task || fail "the task was not deleted"
publisher restore "$work/tasksdb.dump" --yes
forward
eventually 60 has_task || fail "the task is not back after restore"
[[ "$(k get hpa backend -o jsonpath='{.status.currentReplicas}')" -ge 1 ]] || fail "the backend has no replicas after restore"

step "rollback: the previous release again, the edit gone, only the frontend rolled"
before="$(pod_uids)"
publisher rollback
after="$(pod_uids)"
rolled_exactly "$before" "$after" "frontend"
forward
code="$(curl -sS --max-time 10 -o /dev/null -w '%{http_code}' "$base/e2e-marker.txt")"
[[ "$code" != 200 ]] || fail "the rolled-back frontend still serves the edited file"
eventually 60 has_task || fail "the task is gone after the rollback"

step "load the frontend until the backend's autoscaler adds a replica"
cookie="$(awk 'NF == 7 && ($1 !~ /^#/ || $1 ~ /^#HttpOnly_/) { printf "%s=%s; ", $6, $7 }' "$jar")"
(umask 077 && printf 'COOKIE=%s\nURL=http://frontend:8080/api/%s/tasks\n' "$cookie" "$user_id" > "$work/load.env")
k create secret generic load-generator --from-env-file="$work/load.env"
k apply -f scripts/minikube/load-generator.yaml
k wait pod/load-generator --for=condition=Ready --timeout=2m
scaled() { local replicas; replicas="$(k get hpa backend -o jsonpath='{.status.currentReplicas}')" && [[ "$replicas" -gt 1 ]]; }
eventually 420 scaled || fail "the backend did not scale above 1 replica (HPA: $(k get hpa backend --no-headers))"
printf 'backend replicas: %s\n' "$(k get hpa backend -o jsonpath='{.status.currentReplicas}')"
k delete -f scripts/minikube/load-generator.yaml --wait=false
k delete secret load-generator

step "destroy keeps the database volume; a new apply finds the task again"
publisher destroy
[[ "$(k get pvc postgres-data-postgres-0 -o name)" == persistentvolumeclaim/postgres-data-postgres-0 ]] || fail "destroy deleted the database volume"
left="$(k get statefulset,deployment -o name)"
[[ -z "$left" ]] || fail "destroy left workloads behind: $left"
publisher apply
forward
rm -f "$jar"
api POST /api/auth/login "$credentials" > /dev/null
eventually 120 has_task || fail "the task is gone after destroy and apply"

step "destroy --purge deletes the namespace with the volume"
publisher destroy --purge
namespace="$(kubectl --context "$profile" get namespace phase4 --ignore-not-found -o name)"
[[ -z "$namespace" ]] || fail "the namespace is still there"

printf '\nMINIKUBE END-TO-END PASSED\n'
