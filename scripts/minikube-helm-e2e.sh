#!/usr/bin/env bash
# The Helm route on Minikube, where only a cluster can prove it: Publisher apply --chart (helm upgrade --install, the
# chart generating its secrets) -> a task through the frontend -> helm upgrade with unchanged values: no pod restarts
# -> a new setting: only the pods that read it roll, the generated secrets are found again (lookup)
# -> NetworkPolicies deny a pod without the frontend's labels -> backup, delete the task, restore --chart: it is back
# -> rollback --chart (helm rollback) -> destroy --chart (helm uninstall) keeps the volume and the generated secrets
# -> a new apply --chart opens the same database and finds the task.
# Every check fails when the command behind it fails. Needs minikube, kubectl, helm, docker, curl, jq and the .NET
# SDK; .github/workflows/minikube-e2e.yml runs it.
# Usage: scripts/minikube-helm-e2e.sh   (MINIKUBE_PROFILE, default phase4-helm; KEEP_CLUSTER=1 keeps it afterwards)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

profile="${MINIKUBE_PROFILE:-phase4-helm}"
port="${E2E_PORT:-18081}"
base="http://127.0.0.1:$port"
work="$(mktemp -d)"
forward_pid=""

# shellcheck source=scripts/minikube/e2e-lib.sh
source scripts/minikube/e2e-lib.sh
publisher() { dotnet run --project Publisher -- "$@" --chart --kube-context "$profile"; }
k() { kubectl --context "$profile" -n phase4 "$@"; }
chart() { helm --kube-context "$profile" -n phase4 "$@"; }

cleanup() {
  local status=$?
  if [[ -n "$forward_pid" ]]; then kill "$forward_pid" 2> /dev/null || true; fi
  if ((status != 0)); then
    k get pods,pvc,secrets -o wide || true
    chart history phase4 || true
  fi
  [[ "${KEEP_CLUSTER:-0}" == 1 ]] || minikube delete -p "$profile" > /dev/null 2>&1 || true
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT

forward() {
  if [[ -n "$forward_pid" ]]; then kill "$forward_pid" 2> /dev/null || true; fi
  k port-forward svc/phase4-frontend "$port:8080" > "$work/port-forward.log" 2>&1 &
  forward_pid=$!
  eventually 60 curl -fsS --max-time 5 -o /dev/null "$base/health" || fail "the frontend never answered /health"
}

jar="$work/cookies.txt"
stored_password() { k get secret phase4-generated-secrets -o jsonpath='{.data.postgres-password}'; }
# helm upgrade of the installed release with its values, plus "$@" (helm upgrade --help: --reuse-values).
upgrade() { chart upgrade phase4 aspirate-output/Chart --reuse-values --wait --timeout 10m "$@"; }

step "minikube start, images built into it"
minikube start -p "$profile" --cni=calico --addons=metrics-server --memory="${MINIKUBE_MEMORY:-6g}" --cpus="${MINIKUBE_CPUS:-2}" --wait=all
dotnet run --project Publisher -- build --kube-context "$profile"

step "apply --chart: helm upgrade --install with generated secrets"
publisher apply
[[ "$(chart status phase4 -o json | jq -r .info.status)" == deployed ]] || fail "the release is not deployed"
forward
credentials="{\"email\":\"helm-$RANDOM@example.com\",\"password\":\"Helm-e2e-passw0rd\"}"
eventually 120 api POST /api/auth/register "$credentials" > /dev/null || fail "registration kept failing"
user_id="$(api POST /api/auth/login "$credentials" | jq -er .user_id)"
title="Helm task $RANDOM"
api POST "/api/$user_id/tasks" "{\"title\":\"$title\"}" > /dev/null
password="$(stored_password)"
[[ -n "$password" ]] || fail "no generated secrets"

step "helm upgrade with unchanged values restarts no pod"
before="$(pod_uids)"
upgrade
after="$(pod_uids)"
rolled_exactly "$before" "$after" ""
[[ "$(stored_password)" == "$password" ]] || fail "helm upgrade generated a new database password"

step "a new setting rolls only the pods that read it and keeps the secrets"
before="$(pod_uids)"
upgrade --set-string mcpserver.settings.Logging__LogLevel__Default=Debug
after="$(pod_uids)"
rolled_exactly "$before" "$after" "mcpserver"
[[ "$(stored_password)" == "$password" ]] || fail "helm upgrade generated a new database password"
forward
eventually 60 has_task || fail "the task is gone after the upgrade"

step "NetworkPolicies: only the frontend's pods reach the backend"
sed 's/value: backend$/value: phase4-backend/' scripts/minikube/policy-probe.yaml > "$work/policy-probe.yaml"
k apply -f "$work/policy-probe.yaml"
k wait pod/policy-probe-as-frontend --for=jsonpath='{.status.phase}'=Succeeded --timeout=90s || fail "a pod with the frontend's labels could not reach the backend"
k wait pod/policy-probe --for=jsonpath='{.status.phase}'=Succeeded --timeout=90s || fail "a pod without the frontend's labels reached the backend"
k delete -f "$work/policy-probe.yaml" --wait=true

step "backup, delete the task, restore --chart: the task is back"
publisher backup --output "$work/tasksdb.dump"
api DELETE "/api/$user_id/tasks/$(task_id)" > /dev/null
lacks_task || fail "the task was not deleted"
publisher restore "$work/tasksdb.dump" --yes
forward
eventually 60 has_task || fail "the task is not back after restore"

step "rollback --chart returns to the previous revision's settings"
revision="$(chart status phase4 -o json | jq -r .version)"
publisher rollback
[[ "$(chart status phase4 -o json | jq -r .version)" -gt "$revision" ]] || fail "helm rollback made no new revision"
level="$(k get configmap phase4-mcpserver-env -o jsonpath='{.data.Logging__LogLevel__Default}')"
[[ "$level" == Information ]] || fail "the rolled-back setting is $level"

step "destroy --chart keeps the volume and the generated secrets; a new apply finds the task"
publisher destroy
[[ "$(k get pvc postgres-data-phase4-postgres-0 -o name)" == persistentvolumeclaim/postgres-data-phase4-postgres-0 ]] || fail "the database volume is gone"
[[ "$(stored_password)" == "$password" ]] || fail "the generated secrets are gone"
left="$(k get statefulset,deployment,job -o name)"
[[ -z "$left" ]] || fail "helm uninstall left objects behind: $left"
publisher apply
forward
rm -f "$jar"
eventually 60 api POST /api/auth/login "$credentials" > /dev/null || fail "cannot sign in after reinstalling"
eventually 60 has_task || fail "the task is gone after reinstalling"

printf '\nHELM END-TO-END PASSED\n'
