#!/usr/bin/env bash
# The Helm chart on Minikube, where only a cluster can prove it: helm install with no secret values (the chart
# generates them) -> a task through the frontend -> helm upgrade with a new setting: the generated secrets are found
# again by lookup (not regenerated), only the pods whose settings changed roll -> helm uninstall keeps the database
# volume and the generated secrets -> a new install opens the same database and finds the task.
# Needs minikube, kubectl, helm, docker, curl, jq and the .NET SDK; .github/workflows/minikube-e2e.yml runs it.
# Usage: scripts/minikube-helm-e2e.sh   (MINIKUBE_PROFILE, default phase4-helm; KEEP_CLUSTER=1 keeps it afterwards)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

profile="${MINIKUBE_PROFILE:-phase4-helm}"
port="${E2E_PORT:-18081}"
base="http://127.0.0.1:$port"
work="$(mktemp -d)"
forward_pid=""
tag=helm-e2e

step() { printf '\n== %s (%s)\n' "$1" "$(date +%T)"; }
fail() { printf 'FAILED: %s\n' "$*" >&2; exit 1; }
k() { kubectl --context "$profile" -n phase4 "$@"; }
chart() { helm --kube-context "$profile" -n phase4 "$@"; }
eventually() { local seconds=$1; shift; for _ in $(seq $((seconds / 2))); do "$@" && return 0; sleep 2; done; "$@"; }

cleanup() {
  local status=$?
  if [[ -n "$forward_pid" ]]; then kill "$forward_pid" 2> /dev/null || true; fi
  ((status == 0)) || k get pods,pvc,secrets -o wide || true
  [[ "${KEEP_CLUSTER:-0}" == 1 ]] || minikube delete -p "$profile" > /dev/null 2>&1 || true
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT

forward() {
  if [[ -n "$forward_pid" ]]; then kill "$forward_pid" 2> /dev/null || true; fi
  k port-forward svc/phase4-frontend "$port:8080" > "$work/port-forward.log" 2>&1 &
  forward_pid=$!
  eventually 60 curl -fsS -o /dev/null "$base/health" || fail "the frontend never answered /health"
}

jar="$work/cookies.txt"
api() {
  local args=(-fsS -b "$jar" -c "$jar" -X "$1" -H 'Accept: application/json' "$base$2")
  [[ $# -gt 2 ]] && args+=(-H 'Content-Type: application/json' --data "$3")
  curl "${args[@]}"
}
has_task() { api GET "/api/$user_id/tasks" 2> /dev/null | jq -e --arg title "$title" 'any(.[]?; .title == $title) or any(.items[]?; .title == $title)' > /dev/null; }
stored_password() { k get secret phase4-generated-secrets -o jsonpath='{.data.postgres-password}'; }
pod_uid() { k get pod "$1" -o jsonpath='{.metadata.uid}'; }

step "minikube start, images built into it"
minikube start -p "$profile" --cni=calico --addons=metrics-server --memory="${MINIKUBE_MEMORY:-6g}" --cpus="${MINIKUBE_CPUS:-2}" --wait=all
dotnet run --project Publisher -- build --kube-context "$profile" --tag "$tag"

step "helm install with generated secrets"
chart install phase4 aspirate-output/Chart --create-namespace --set imageTag="$tag" --wait --timeout 10m
forward
credentials="{\"email\":\"helm-$RANDOM@example.com\",\"password\":\"Helm-e2e-passw0rd\"}"
eventually 120 api POST /api/auth/register "$credentials" > /dev/null || fail "registration kept failing"
user_id="$(api POST /api/auth/login "$credentials" | jq -r .user_id)"
title="Helm task $RANDOM"
api POST "/api/$user_id/tasks" "{\"title\":\"$title\"}" > /dev/null
password="$(stored_password)"
postgres_uid="$(pod_uid phase4-postgres-0)"

step "helm upgrade with a new setting keeps the secrets and rolls only the pods that read it"
mcp_before="$(k get pods -l app.kubernetes.io/name=mcpserver -o name)"
chart upgrade phase4 aspirate-output/Chart --reuse-values --set-string mcpserver.settings.Logging__LogLevel__Default=Debug --wait --timeout 10m
[[ "$(stored_password)" == "$password" ]] || fail "helm upgrade generated a new database password"
[[ "$(pod_uid phase4-postgres-0)" == "$postgres_uid" ]] || fail "helm upgrade restarted Postgres"
eventually 120 sh -c "[ \"\$(kubectl --context '$profile' -n phase4 get pods -l app.kubernetes.io/name=mcpserver -o name)\" != '$mcp_before' ]" \
  || fail "the MCP server's pods did not roll for their new setting"
forward
eventually 60 has_task || fail "the task is gone after the upgrade"

step "helm uninstall keeps the volume and the generated secrets; a new install finds the task"
chart uninstall phase4 --wait
k get pvc postgres-data-phase4-postgres-0 > /dev/null || fail "the database volume is gone"
[[ "$(stored_password)" == "$password" ]] || fail "the generated secrets are gone"
chart install phase4 aspirate-output/Chart --set imageTag="$tag" --wait --timeout 10m
forward
rm -f "$jar"
eventually 60 api POST /api/auth/login "$credentials" > /dev/null || fail "cannot sign in after reinstalling"
eventually 60 has_task || fail "the task is gone after reinstalling"

printf '\nHELM END-TO-END PASSED\n'
