#!/usr/bin/env bash
# Creates the local PostgreSQL data directory and the app's database on first use; later runs find PG_VERSION and
# leave it alone.
# Usage: init-data-directory.sh BIN_DIR DATA_DIR DATABASE
set -euo pipefail
bin_dir=$1
data_dir=$2
database=$3

if [[ -s $data_dir/PG_VERSION ]]; then
  echo "PostgreSQL data directory $data_dir is ready."
  exit 0
fi

mkdir -p "$data_dir"
run_as_server_user=()
if [[ $(id -u) == 0 ]]; then
  # The server refuses to run as root: the postgres account owns the data and must reach it through every parent.
  chown postgres: "$data_dir"
  chmod 700 "$data_dir"
  run_as_server_user=(runuser -u postgres --)
  if ! "${run_as_server_user[@]}" test -w "$data_dir"; then
    echo "The postgres user cannot reach $data_dir: every parent directory needs o+x, or set Postgres:DataDirectory." >&2
    exit 1
  fi
fi

# Trust authentication is acceptable only because the server listens on 127.0.0.1 alone (local development).
"${run_as_server_user[@]}" "$bin_dir/initdb" -D "$data_dir" -U postgres -A trust -E UTF8 --no-instructions

# The database exists before anything connects, as AddDatabase makes it in container mode: the migrator's existence
# check would otherwise make the server log a FATAL "database does not exist" on every fresh start. Single-user mode
# runs without a server or a socket; its prompts go to /dev/null, errors still reach stderr.
echo "CREATE DATABASE \"$database\";" |
  "${run_as_server_user[@]}" "$bin_dir/postgres" --single -D "$data_dir" -c log_checkpoints=off postgres >/dev/null
