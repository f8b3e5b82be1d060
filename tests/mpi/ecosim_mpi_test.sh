#!/usr/bin/env bash
# ecosim-mpi at NP ranks prints the single-process world's canonical hashes: every H ticks and at
# the end, the same lines as ecosim_mpi_reference (ecosim::step on one world); at NP > 1 creatures
# crossed strip edges and eat claims were sent across them. Bounded by a timeout: a hang fails.
# Usage: ecosim_mpi_test.sh ECOSIM_MPI REFERENCE NP [CREATURES TICKS H SEED]
set -uo pipefail
bin=$1 ref=$2 np=$3 n=${4:-20000} ticks=${5:-300} every=${6:-50} seed=${7:-7}
dir=$(mktemp -d); trap 'rm -rf "$dir"' EXIT
"$ref" "$n" "$ticks" "$every" "$seed" >"$dir/expected" || { echo "FAIL: the reference failed"; exit 1; }
timeout 120 mpirun --oversubscribe --allow-run-as-root -np "$np" \
  "$bin" run --creatures "$n" --ticks "$ticks" --hash-every "$every" --seed "$seed" --edge-traffic -q \
  >"$dir/out" 2>"$dir/err"
rc=$?
if [ "$rc" -ne 0 ]; then cat "$dir/out" "$dir/err"; echo "FAIL: ecosim-mpi at $np ranks exited $rc"; exit 1; fi
grep -E '^(final )?tick ' "$dir/out" >"$dir/got"
if ! diff "$dir/expected" "$dir/got"; then echo "FAIL: the canonical hashes at $np ranks differ from one process's (< one process, > ecosim-mpi)"; exit 1; fi
lines=$(wc -l <"$dir/got")
[ "$lines" -eq $((ticks / every)) ] || { echo "FAIL: $lines hash lines, expected $((ticks / every))"; exit 1; }
read -r migrants claims < <(sed -n 's/^edges .*migrants \([0-9]*\) band_claims \([0-9]*\).*/\1 \2/p' "$dir/out")
[ -n "${migrants:-}" ] || { cat "$dir/out"; echo "FAIL: no edges line"; exit 1; }
if [ "$np" -gt 1 ] && { [ "$migrants" -eq 0 ] || [ "$claims" -eq 0 ]; }; then
  echo "FAIL: no edge traffic at $np ranks (migrants $migrants, band claims $claims)"; exit 1
fi
if [ "$np" -eq 1 ] && { [ "$migrants" -ne 0 ] || [ "$claims" -ne 0 ]; }; then
  echo "FAIL: edge traffic at one rank (migrants $migrants, band claims $claims)"; exit 1
fi
echo "PASS: $np ranks, $n creatures x $ticks ticks: $lines canonical hashes equal to one process's; migrants $migrants, band claims $claims"
