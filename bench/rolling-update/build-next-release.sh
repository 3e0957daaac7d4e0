#!/usr/bin/env bash
# Builds the "next release" for the rolling-update proof: Backend.Api from a copy of this checkout's sources with one
# additive EF Core migration added (ProbeMigration.cs beside this script, id 29991231000000_RollingUpdateProbe). The
# checkout is not changed and no git history is needed: the copy is the working tree's tracked and new, not ignored,
# files (`git ls-files`), so uncommitted edits are built too. Prints the folder holding the built Backend.Api.dll.
#   bench/rolling-update/build-next-release.sh CONFIGURATION OUTPUT-DIR     (CONFIGURATION: Debug or Release)
set -euo pipefail
configuration=$1
output=$2
repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
sources=$output/src
mkdir -p "$sources"

git -C "$repo_root" ls-files -z --cached --others --exclude-standard |
  while IFS= read -r -d '' file; do if [[ -e $repo_root/$file ]]; then printf '%s\0' "$file"; fi; done |
  tar -C "$repo_root" --null -T - -cf - | tar -C "$sources" -xf -
cp "$repo_root/bench/rolling-update/ProbeMigration.cs" "$sources/Domain/Data/Migrations/29991231000000_RollingUpdateProbe.cs"

# No OpenAPI document (its generator starts the app at build time, and the copy's document is of no use) and no
# analyzers (the checkout's own build runs them on the same sources; skipping them saves a fifth of the compile time).
# The output goes to a log file, so build servers that outlive the build hold no pipe of the caller's.
dotnet build "$sources/Backend.Api" -c "$configuration" -p:OpenApiGenerateDocuments=false -p:RunAnalyzers=false -nologo \
  > "$output/build.log" 2>&1 || { tail -n 30 "$output/build.log" >&2; exit 1; }
echo "$sources/Backend.Api/bin/$configuration/net10.0"
