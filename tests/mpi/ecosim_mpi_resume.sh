#!/usr/bin/env bash
# ecosim-mpi's snapshots: a run at NP ranks writes DIR/tick_NNNNNN.npz every K ticks and at its
# last tick; resuming its mid-run snapshot at 1..4 ranks, and in the single-process
# `ecosim resume`, prints the unpaused single-process run's final canonical hash, and the
# snapshot of the last tick has that canonical hash too (`ecosim hash`). Every mpirun is bounded
# by a timeout: a hang fails.  Usage: ecosim_mpi_resume.sh ECOSIM_MPI ECOSIM NP
set -uo pipefail
mpi=$1 ecosim=$2 np=$3 n=5000 seed=7 mid=150 end=260
dir=$(mktemp -d); trap 'rm -rf "$dir"' EXIT
run_mpi() { local r=$1; shift; timeout 120 mpirun --oversubscribe --allow-run-as-root -np "$r" "$mpi" "$@"; }
final_canonical() { sed -n 's/^final tick '"$end"' .*canonical \([0-9a-f]\{32\}\)$/\1/p'; }
want=$("$ecosim" run --creatures $n --seed $seed --ticks $end -q | final_canonical)
[ -n "$want" ] || { echo "FAIL: no final canonical hash from ecosim run"; exit 1; }
if ! run_mpi "$np" run --creatures $n --seed $seed --ticks $end --snapshot-every $mid --out "$dir/snaps" -q >"$dir/out"; then
  cat "$dir/out"; echo "FAIL: ecosim-mpi run at $np ranks"; exit 1
fi
snap() { printf '%s/snaps/tick_%06d.npz' "$dir" "$1"; }
for t in 0 $mid $end; do
  grep -qF "snapshot tick $t -> $(snap $t)" "$dir/out" && [ -f "$(snap $t)" ] ||
    { cat "$dir/out"; echo "FAIL: no snapshot line or file for tick $t"; exit 1; }
done
got=$(final_canonical <"$dir/out")
[ "$got" = "$want" ] || { echo "FAIL: the run at $np ranks ends at $got, one process at $want"; exit 1; }
last=$("$ecosim" hash "$(snap $end)" | sed -n 's/.*  canonical \([0-9a-f]\{32\}\)$/\1/p')
[ "$last" = "$want" ] || { echo "FAIL: the last snapshot's canonical hash is $last, want $want"; exit 1; }
fail=0
for r in 1 2 3 4; do
  got=$(run_mpi "$r" resume "$(snap $mid)" --ticks $end -q | final_canonical)
  if [ "$got" = "$want" ]; then echo "ok: written at $np ranks, resumed at $r: $got"
  else echo "FAIL: written at $np ranks, resumed at $r ranks: '$got', want $want"; fail=1; fi
done
got=$("$ecosim" resume "$(snap $mid)" --ticks $end -q | final_canonical)
if [ "$got" = "$want" ]; then echo "ok: written at $np ranks, resumed by ecosim: $got"
else echo "FAIL: written at $np ranks, resumed by ecosim: '$got', want $want"; fail=1; fi
[ "$fail" -eq 0 ] && echo "PASS: $n creatures, snapshot of tick $mid from $np ranks resumes to tick $end's canonical hash at 1..4 ranks and in one process"
exit "$fail"
