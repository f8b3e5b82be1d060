#!/usr/bin/env bash
# Weak scaling of ecosim-mpi: PER_RANK creatures per rank at R = 1..MAX_RANKS ranks, TICKS ticks,
# RUNS runs each; prints ms/tick (rank 0's wall clock over the ticks, world creation left out)
# as the median over the runs, with min and max, and the efficiency t(1) / t(R). Ranks past the
# machine's cores are oversubscribed (--oversubscribe): read those rows as such.
#   bench/mpi/ecosim_weak.sh [BUILD_DIR] [PER_RANK] [TICKS] [RUNS] [MAX_RANKS]
set -euo pipefail
build=${1:-build/release}; per_rank=${2:-250000}; ticks=${3:-100}; runs=${4:-3}; max=${5:-4}
bin=$build/bin/ecosim-mpi
[ -x "$bin" ] || { echo "ecosim_weak.sh: $bin not built (cmake --build --preset release --target ecosim_mpi_cli)" >&2; exit 1; }
echo "ecosim-mpi weak scaling: $per_rank creatures per rank, $ticks ticks, median of $runs runs; $(nproc) cores"
printf '%5s %10s %12s %12s %12s %10s\n' ranks creatures "ms/tick" min max efficiency
base=
for np in $(seq 1 "$max"); do
  n=$((per_rank * np))
  times=()
  for _ in $(seq "$runs"); do
    line=$(timeout 900 mpirun --oversubscribe --allow-run-as-root -np "$np" "$bin" run \
             --creatures "$n" --ticks "$ticks" 2>&1 >/dev/null | grep 'ms/tick' | tail -1)
    times+=("$(sed -n 's/.* \([0-9.]*\) ms\/tick.*/\1/p' <<<"$line")")
  done
  read -r med lo hi < <(printf '%s\n' "${times[@]}" | sort -g |
    awk '{v[NR]=$1} END {m = NR % 2 ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2; print m, v[1], v[NR]}')
  [ -n "$base" ] || base=$med
  printf '%5d %10d %12.2f %12.2f %12.2f %10.2f\n' "$np" "$n" "$med" "$lo" "$hi" \
    "$(awk -v a="$base" -v b="$med" 'BEGIN {print a / b}')"
done
