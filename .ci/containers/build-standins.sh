#!/usr/bin/env bash
# Builds the CI STAND-IN base images (local only, never pushed) under the names the project's Dockerfiles use, so
# those Dockerfiles build unchanged on a machine with no registry and no Docker engine:
#   localhost/phase4-ci/debian-minbase:bookworm   debootstrapped Debian (cached in the work folder)
#   mcr.microsoft.com/dotnet/sdk:10.0              minbase + the host's .NET SDK + the host's CA bundle
#   mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled-extra  no shell, host runtimes and libraries, user app 1654
#   docker.io/library/node:22-bookworm-slim        minbase + the host's node/npm + CA bundle for npm
#   docker.io/library/postgres:18.3                Debian's PostgreSQL 15 with an official-style entrypoint
# Images that already exist are kept; --rebuild rebuilds them. Needs root, podman, debootstrap and a Debian bookworm
# host (the runtime stand-in copies the host's libraries).
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

rebuild=false
[[ "${1:-}" == --rebuild ]] && rebuild=true

configure_podman
host_dotnet="$(dirname "$(readlink -f "$(command -v dotnet)")")"
host_node="$(readlink -f "$(command -v node)")"
host_npm="$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")"
host_ca=/etc/ssl/certs/ca-certificates.crt
host_mounts=(-v "$host_ca:/opt/host/ca-certificates.crt:ro")

wanted() { $rebuild || ! image_exists "$1"; }

build_minbase() {
  local rootfs="$WORK_DIR/minbase"
  if [[ ! -x "$rootfs/bin/bash" ]]; then
    log "debootstrap Debian bookworm minbase into $rootfs (cached for next time)"
    rm -rf "$rootfs.tmp"
    debootstrap --variant=minbase bookworm "$rootfs.tmp" "${DEBIAN_MIRROR:-http://deb.debian.org/debian}" > "$WORK_DIR/debootstrap.log"
    mv "$rootfs.tmp" "$rootfs"
  fi
  tar -C "$rootfs" -c . | podman import --change 'CMD ["bash"]' - "$MINBASE_IMAGE" > /dev/null
}

# The chiseled-like runtime's root filesystem: only what `dotnet app.dll` needs, copied from the host.
assemble_aspnet_rootfs() {
  local rootfs="$1" lib=/usr/lib/x86_64-linux-gnu
  rm -rf "$rootfs"
  mkdir -p "$rootfs"/{etc/ssl/certs,usr/bin,usr/lib64,usr/share/dotnet/host,usr/share/dotnet/shared,home/app,app,tmp}
  mkdir -p "$rootfs$lib"
  ln -s usr/lib "$rootfs/lib"
  ln -s usr/lib64 "$rootfs/lib64"
  ln -s ../lib/x86_64-linux-gnu/ld-linux-x86-64.so.2 "$rootfs/usr/lib64/ld-linux-x86-64.so.2"
  chmod 1777 "$rootfs/tmp"
  for so in ld-linux-x86-64.so.2 libc.so.6 libm.so.6 libdl.so.2 libpthread.so.0 librt.so.1 libgcc_s.so.1 \
    libstdc++.so.6 libssl.so.3 libcrypto.so.3 libz.so.1 libicuuc.so.72 libicui18n.so.72 libicudata.so.72; do
    cp -L "$lib/$so" "$rootfs$lib/$so"
  done
  cp "$host_dotnet/dotnet" "$rootfs/usr/share/dotnet/"
  cp -a "$host_dotnet/host/fxr" "$rootfs/usr/share/dotnet/host/"
  cp -a "$host_dotnet/shared/Microsoft.NETCore.App" "$host_dotnet/shared/Microsoft.AspNetCore.App" "$rootfs/usr/share/dotnet/shared/"
  ln -s ../share/dotnet/dotnet "$rootfs/usr/bin/dotnet"
  cp "$host_ca" "$rootfs/etc/ssl/certs/ca-certificates.crt"
  mkdir -p "$rootfs/usr/share"
  cp -a /usr/share/zoneinfo "$rootfs/usr/share/"
  printf 'root:x:0:0:root:/root:/usr/sbin/nologin\napp:x:1654:1654:app:/home/app:/usr/sbin/nologin\n' > "$rootfs/etc/passwd"
  printf 'root:x:0:\napp:x:1654:\n' > "$rootfs/etc/group"
  chown 1654:1654 "$rootfs/home/app"
}

build() { # name context [extra podman build arguments...]
  local name="$1" context="$2"
  shift 2
  podman build --pull=never --quiet -t "$name" "$@" "$context" > /dev/null
}

started=$(now)
if wanted "$MINBASE_IMAGE"; then
  log "minbase"
  if [[ ! -x "$WORK_DIR/minbase/bin/bash" ]] \
    && ! curl -fsS -o /dev/null --max-time 20 "${DEBIAN_MIRROR:-http://deb.debian.org/debian}/dists/bookworm/Release"; then
    log "the Debian mirror ${DEBIAN_MIRROR:-http://deb.debian.org/debian} does not answer: cannot debootstrap"
    exit "$CANNOT_HERE"
  fi
  build_minbase
fi
# The project's builds restore from the registries inside containers on podman's default network.
if ! resolved=$(podman run --rm "$MINBASE_IMAGE" getent hosts api.nuget.org registry.npmjs.org 2>&1); then
  log "containers on podman's default network cannot resolve api.nuget.org and registry.npmjs.org: $(tail -n 1 <<< "$resolved")"
  exit "$CANNOT_HERE"
fi
if wanted "$SDK_IMAGE"; then
  log "sdk stand-in from $host_dotnet"
  build "$SDK_IMAGE" "$CONTAINERS_DIR/standins/sdk" "${host_mounts[@]}" -v "$host_dotnet:/opt/host/dotnet:ro"
fi
if wanted "$ASPNET_IMAGE"; then
  log "aspnet (chiseled-like) stand-in"
  context="$WORK_DIR/aspnet-context"
  mkdir -p "$context"
  cp "$CONTAINERS_DIR/standins/aspnet/Containerfile" "$context/"
  assemble_aspnet_rootfs "$context/rootfs"
  build "$ASPNET_IMAGE" "$context"
fi
if wanted "$NODE_IMAGE"; then
  log "node stand-in from $host_node ($("$host_node" --version))"
  build "$NODE_IMAGE" "$CONTAINERS_DIR/standins/node" "${host_mounts[@]}" \
    -v "$host_node:/opt/host/node:ro" -v "$host_npm:/opt/host/npm:ro"
fi
if wanted "$POSTGRES_IMAGE"; then
  log "postgres stand-in"
  build "$POSTGRES_IMAGE" "$CONTAINERS_DIR/standins/postgres"
fi
log "stand-in images ready in $(( $(now) - started )) s"
