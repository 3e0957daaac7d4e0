# Sourced by the scripts in .ci/containers/: podman configured entirely under a work folder, so CI never edits
# /etc/containers or /var/lib/containers. The work folder (default .ci/containers/.cache, git-ignored and kept out of
# every build context by .dockerignore) also caches the debootstrapped Debian, so reruns are fast.
# shellcheck shell=bash

CONTAINERS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$CONTAINERS_DIR/../.." && pwd)"
WORK_DIR="${PHASE4_CONTAINERS_WORK:-$CONTAINERS_DIR/.cache}"
PODMAN_SOCKET="$WORK_DIR/podman.sock"

# Names of the local-only images. The stand-ins carry EXACTLY the names the project's Dockerfiles use in FROM.
MINBASE_IMAGE="localhost/phase4-ci/debian-minbase:bookworm"
SDK_IMAGE="mcr.microsoft.com/dotnet/sdk:10.0"
ASPNET_IMAGE="mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled-extra"
NODE_IMAGE="docker.io/library/node:22-bookworm-slim"
POSTGRES_IMAGE="docker.io/library/postgres:18.3"

# Exit status for "this machine cannot do it" (no Debian mirror, no network from containers), which smoke.sh
# reports as a visible skip; every other failure is a real one.
CANNOT_HERE=75

log() { printf '[containers] %s\n' "$*" >&2; }

# Writes podman's configuration under $WORK_DIR and exports the variables that point podman at it.
configure_podman() {
  mkdir -p "$WORK_DIR/storage" "$WORK_DIR/run" "$WORK_DIR/networks" "$WORK_DIR/tmp"
  # This VM allows nofile 20000 / nproc 32768 at most and runs hybrid cgroups that crun rejects: runc it is.
  # No systemd here: cgroupfs and file events (health checks only progress when triggered, see smoke.sh).
  cat > "$WORK_DIR/containers.conf" <<EOF
[containers]
default_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]

[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
image_copy_tmp_dir = "$WORK_DIR/tmp"

[network]
# netavark + aardvark-dns: compose services find each other by name (CNI without the dnsname plugin cannot).
network_backend = "netavark"
network_config_dir = "$WORK_DIR/networks"
EOF
  cat > "$WORK_DIR/storage.conf" <<EOF
[storage]
driver = "overlay"
graphroot = "$WORK_DIR/storage"
runroot = "$WORK_DIR/run"
EOF
  # Fully qualified names only, and nothing is ever pulled: every image is built here.
  cat > "$WORK_DIR/registries.conf" <<EOF
unqualified-search-registries = []
short-name-mode = "enforcing"
EOF
  export CONTAINERS_CONF="$WORK_DIR/containers.conf"
  export CONTAINERS_STORAGE_CONF="$WORK_DIR/storage.conf"
  export CONTAINERS_REGISTRIES_CONF="$WORK_DIR/registries.conf"
  export TMPDIR="$WORK_DIR/tmp"
}

# True when podman can actually run a container here (installed, and the kernel/VM lets it).
podman_works() {
  command -v podman > /dev/null && podman info > /dev/null 2>&1
}

image_exists() { podman image exists "$1"; }

# Seconds since the epoch, for phase timings.
now() { date +%s; }
