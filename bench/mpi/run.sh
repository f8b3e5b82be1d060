#!/usr/bin/env bash
# bench/mpi: collective write bandwidth at 1, 2 and 4 ranks (oversubscribed past the cores).
#   bench/mpi/run.sh [BUILD_DIR] [DIR] [ROWS] [ROUNDS] [sync]   (sync: every file made durable)
set -euo pipefail
build=${1:-build/release}; dir=${2:-$(mktemp -d -p "${TMPDIR:-/var/tmp}")}; rows=${3:-1000000}; rounds=${4:-9}; sync=${5:-}
# --bind-to none: colsnap::mpi hashes its slices on a helper thread while MPI-IO writes; Open MPI
# binds a rank to one core by default (at 1 and 2 ranks here), which would serialise the two.
# raw MPI-IO and HDF5 are single-threaded, so it changes nothing for them.
for np in 1 2 4; do
  timeout 600 mpirun --oversubscribe --allow-run-as-root --bind-to none -np "$np" \
    "$build/bin/colsnap_bench_mpi" "$dir" "$rows" "$rounds" $sync
  echo
done
