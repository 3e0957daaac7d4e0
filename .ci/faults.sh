#!/usr/bin/env bash
# CI's short forms of the fault scripts (run by .ci/run after the test suite, as root, on the suite's Debug build):
# bench/partitions.sh on the black-holed cuts of the MCP server's and the frontend's paths (the hard case: only
# time-outs end a call; they hold the database calls' and the frontend's bounds), and bench/soak.sh for 150 s, one
# of each fault. The soak gates on what must hold on any machine: no acknowledged write lost, every fault recovered
# within 30 s; with faults 25 s apart on cold Debug builds its availability is only held to 80% (on a busy machine a
# rolling update's cold pods answered some first requests after the 10 s request time-out). The full forms, held to
# 99.9%: bench/partitions.sh (four links, both kinds) and bench/soak.sh (30 minutes), on Release builds.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export BENCH_CONFIGURATION=Debug BENCH_NO_BUILD=1
PARTITION_LINKS="mcpserver-postgres frontend-backend" PARTITION_MODES=dropped bench/partitions.sh
SOAK_DURATION=150 SOAK_MIN_AVAILABILITY=80 bench/soak.sh
