# shellcheck shell=bash disable=SC2154 # the variables below are the sourcing script's
# Helpers shared by scripts/minikube-e2e.sh and scripts/minikube-helm-e2e.sh. They read, when called, what each script
# sets: $base (the frontend's forwarded address), $jar (the cookie file), $user_id, $title and k (its kubectl).

step() { printf '\n== %s (%s)\n' "$1" "$(date +%T)"; }
fail() { printf 'FAILED: %s\n' "$*" >&2; exit 1; }
# Polls "$@" every 2 s for up to $1 seconds.
eventually() { local seconds=$1; shift; for _ in $(seq $((seconds / 2))); do "$@" && return 0; sleep 2; done; "$@"; }

api() { # method path [json body]: prints the body, fails on an HTTP error
  local args=(-fsS --max-time 30 -b "$jar" -c "$jar" -X "$1" -H 'Accept: application/json' "$base$2")
  [[ $# -gt 2 ]] && args+=(-H 'Content-Type: application/json' --data "$3")
  curl "${args[@]}"
}
# Fails unless the task list, read without error, has the task.
has_task() {
  local tasks
  tasks="$(api GET "/api/$user_id/tasks")" || return 1
  jq -e --arg title "$title" 'any(.[]?; .title == $title) or any(.items[]?; .title == $title)' > /dev/null <<< "$tasks"
}
# Fails unless the task list, read without error, lacks the task.
lacks_task() {
  local tasks status=0
  tasks="$(api GET "/api/$user_id/tasks")"
  jq -e --arg title "$title" 'any(.[]?; .title == $title) or any(.items[]?; .title == $title)' > /dev/null <<< "$tasks" || status=$?
  ((status == 1))
}
task_id() { api GET "/api/$user_id/tasks" | jq -r --arg title "$title" '[(.items? // .)[] | select(.title == $title)][0].id'; }
# "name uid" of every pod of the app, sorted: which pods exist (a rolled workload has new uids).
pod_uids() { k get pods -l app.kubernetes.io/part-of=phase4 -o jsonpath='{range .items[*]}{.metadata.labels.app\.kubernetes\.io/name} {.metadata.uid}{"\n"}{end}' | sort; }
uids_of() { grep "^$1 " <<< "$2" | cut -d' ' -f2; }
# Fails unless exactly the workloads named in $3 (space-separated) got new pods between snapshots $1 and $2.
rolled_exactly() {
  local before=$1 after=$2 expected=" $3 " name
  for name in backend mcpserver frontend postgres; do
    local new
    new="$(comm -13 <(uids_of "$name" "$before" | sort) <(uids_of "$name" "$after" | sort))"
    if [[ "$expected" == *" $name "* ]]; then
      [[ -n "$new" ]] || fail "$name did not roll"
    else
      [[ -z "$new" ]] || fail "$name rolled although nothing it reads changed"
    fi
  done
}
