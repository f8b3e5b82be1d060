#!/usr/bin/env bash
# bench/mpi: collective write bandwidth at 1, 2 and 4 ranks (oversubscribed past the cores).
#   bench/mpi/run.sh [BUILD_DIR] [DIR] [ROWS] [ROUNDS]
set -euo pipefail
build=${1:-build/release}; dir=${2:-$(mktemp -d -p "${TMPDIR:-/var/tmp}")}; rows=${3:-1000000}; rounds=${4:-9}
for np in 1 2 4; do
  timeout 600 mpirun --oversubscribe --allow-run-as-root -np "$np" \
    "$build/bin/colsnap_bench_mpi" "$dir" "$rows" "$rounds"
  echo
done
