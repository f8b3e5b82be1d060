#!/usr/bin/env bash
# A rank SIGKILLed during a collective snapshot: mpirun ends the job (bounded by a timeout: a hang
# fails), DIR/snap.npz is still the previous snapshot byte for byte, and the next collective
# snapshot sweeps the dead run's temp file and commits.  Usage: kill_test.sh BIN NP PHASE VICTIM
set -uo pipefail
bin=$1 np=$2 phase=$3 victim=$4
dir=$(mktemp -d); trap 'rm -rf "$dir"' EXIT
run() { timeout 60 mpirun --oversubscribe --allow-run-as-root -np "$np" "$@"; }
run "$bin" write "$dir" "$phase" "$victim" >"$dir/.log" 2>&1; rc=$?
if [ "$rc" -eq 124 ]; then cat "$dir/.log"; echo "FAIL: the killed run hung (timeout)"; exit 1; fi
if [ "$rc" -eq 0 ] || [ "$rc" -eq 3 ]; then cat "$dir/.log"; echo "FAIL: rank $victim was not killed (exit $rc)"; exit 1; fi
rm -f "$dir/.log"
echo "killed run: mpirun exit $rc"
# The previous snapshot is intact; the dead run's temp file may be left beside it (never at snap.npz).
"$bin" check "$dir" 1 "$np" temps-ok || { echo "FAIL: the previous snapshot was damaged"; exit 1; }
# mpirun can return while a killed rank is still a zombie (its pid alive to kill -0, so the sweep
# would keep its temp): wait, bounded, until the pids named in the temp names are reaped.
for t in "$dir"/.snap.npz.colsnap-tmp.*; do
  [ -e "$t" ] || continue
  pid=${t##*colsnap-tmp.}; pid=${pid%%.*}
  for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
done
run "$bin" again "$dir" || { echo "FAIL: the next snapshot failed"; exit 1; }
"$bin" check "$dir" 2 "$np" || { echo "FAIL: the next snapshot is not seed 2's, or a temp is left"; exit 1; }
echo "PASS: previous snapshot intact after the kill at $phase of rank $victim of $np; the next one committed and swept the temp"
