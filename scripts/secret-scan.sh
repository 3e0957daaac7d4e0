#!/usr/bin/env bash
# The secret scanner: secretlint (recommended rules, versions locked in tools/secretlint) over every tracked file.
# Fails when it finds a secret. It first proves it still works: a private key generated now, in a scratch folder,
# must be reported, so a broken install or configuration cannot pass silently. Findings are printed masked.
set -euo pipefail

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
tools=$repo_root/tools/secretlint
config=$tools/.secretlintrc.json
secretlint=$tools/node_modules/.bin/secretlint

# npm ci only when the lock file changed since the last install.
if [[ ! -x $secretlint || $tools/package-lock.json -nt $tools/node_modules/.package-lock.json ]]; then
  (cd "$tools" && npm ci --no-audit --no-fund --silent)
fi

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
node -e "
  const { generateKeyPairSync } = require('node:crypto');
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  process.stdout.write(privateKey.export({ type: 'pkcs8', format: 'pem' }));
" > "$scratch/planted.pem"
# secretlint exits 1 for findings and 2 for its own errors: only 1 proves detection.
planted_status=0
(cd "$scratch" && "$secretlint" --secretlintrc "$config" --maskSecrets planted.pem > "$scratch/planted.log" 2>&1) || planted_status=$?
if ((planted_status != 1)) || ! grep -q 'secretlint-rule-privatekey' "$scratch/planted.log"; then
  cat "$scratch/planted.log" >&2
  echo "secret scan: the self-check failed (exit $planted_status): a planted private key was not reported." >&2
  exit 1
fi

# Tracked files that exist in the work tree (a deletion not yet committed has nothing to scan).
cd "$repo_root"
git ls-files -z | while IFS= read -r -d '' file; do [[ -f $file ]] && printf '%s\0' "$file"; done > "$scratch/files"
count=$(tr -cd '\0' < "$scratch/files" | wc -c)
if ! xargs -0 "$secretlint" --secretlintrc "$config" --maskSecrets < "$scratch/files"; then
  echo "secret scan: secretlint reported a secret in a tracked file (above). Remove it from the repository and rotate it." >&2
  exit 1
fi
echo "secret scan: $count tracked files, no secret found (self-check: a planted private key was reported)."
