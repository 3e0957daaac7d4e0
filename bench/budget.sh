# The connection budget as the publisher computes it (Publisher/Kubernetes/ConnectionBudget.cs, docs/database.md):
# each pod's pool is PostgreSQL's max_connections less the reserve (superuser-reserved slots, the migrator, a backup,
# an operator's psql), divided by every pod that may connect at once (each service's most replicas plus its rollout's
# surge pod), rounded down, and at least 2.
# shellcheck shell=bash

# budget_pool MAX_CONNECTIONS RESERVED PODS: prints the pool per pod; fails when it is under 2.
budget_pool() {
  local pool=$((($1 - $2) / $3))
  ((pool >= 2)) || return 1
  echo "$pool"
}

# manifest_budget: "max_connections reserved pool" as the committed manifests (aspirate-output/) set them.
manifest_budget() {
  local output=${BUDGET_OUTPUT:-$repo_root/aspirate-output} max reserved pool
  max=$(grep -o 'max_connections=[0-9]*' "$output/postgres/workload.yaml" | cut -d= -f2)
  reserved=$(sed -n 's/.*"database_reserved_connections": *\([0-9]*\).*/\1/p' "$output/publisher-state.json")
  pool=$(grep -o 'Database__MaxPoolSize=[0-9]*' "$output/backend/kustomization.yaml" | cut -d= -f2)
  [[ -n $max && -n $reserved && -n $pool ]] || fail "$output does not state the connection budget (max_connections, reserve, Database__MaxPoolSize)"
  echo "$max $reserved $pool"
}
