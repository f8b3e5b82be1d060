#!/usr/bin/env bash
# ecosim-mpi's errors: a bad option, a rank count the world has no strips for, --snapshot-every
# without --out, an --out it cannot create or write in, an --out that is another directory on
# one rank, a snapshot to resume that is missing, a directory or not a snapshot, and a target
# tick before the snapshot's each end every rank with a non-zero status and one ecosim-mpi line
# on stderr (rank 0's; mpirun adds its own notice), within a timeout; --help prints once.
# Usage: ecosim_mpi_errors.sh ECOSIM_MPI
set -uo pipefail
bin=$1
dir=$(mktemp -d); trap 'rm -rf "$dir"' EXIT
fail=0
# expect NP WANT_RC PATTERN ARGS...: exit status WANT_RC, one ecosim-mpi line on stderr matching PATTERN
expect() {
  local np=$1 want=$2 pattern=$3; shift 3
  timeout 60 mpirun --oversubscribe --allow-run-as-root -np "$np" "$bin" "$@" >"$dir/out" 2>"$dir/err"
  local rc=$?
  local lines; lines=$(grep -c '^ecosim-mpi:' "$dir/err")
  if [ "$rc" -eq 124 ]; then echo "FAIL ($*): hung"; fail=1; return; fi
  if [ "$rc" -ne "$want" ] || [ "$lines" -ne 1 ] || ! grep -q "^ecosim-mpi: .*$pattern" "$dir/err"; then
    echo "FAIL ($* at $np ranks): exit $rc (want $want), $lines error lines:"; cat "$dir/err"; fail=1; return
  fi
  echo "ok: $* at $np ranks: exit $rc: $(grep '^ecosim-mpi:' "$dir/err")"
}
expect 3 2 "--creatures" run --creatures 0 --ticks 5
expect 2 2 "unknown command" walk --ticks 5
expect 4 2 "--snapshot-every requires --out" run --creatures 1000 --ticks 5 --snapshot-every 2
expect 4 1 "ranks" run --creatures 50 --ticks 5   # a 1-block-row world has no strip for rank 1
echo "not a directory" >"$dir/file"
expect 3 1 "--out $dir/file/snaps: cannot create" run --creatures 1000 --ticks 5 --out "$dir/file/snaps"
expect 2 1 "none.npz.*No such file" resume "$dir/none.npz" --ticks 5
expect 3 1 "file: .*too small for a zip" resume "$dir/file" --ticks 5
expect 2 1 "$dir: .*" resume "$dir" --ticks 5
expect 2 1 "--out /proc: cannot create a file in it" run --creatures 1000 --ticks 5 --out /proc
# rank 1 runs in another working directory, so the relative --out is another directory there
mkdir -p "$dir/wa" "$dir/wb"
timeout 60 mpirun --oversubscribe --allow-run-as-root -np 1 -wdir "$dir/wa" "$bin" run --creatures 1000 --ticks 5 --out snaps : \
  -np 1 -wdir "$dir/wb" "$bin" run --creatures 1000 --ticks 5 --out snaps >"$dir/out" 2>"$dir/err"
rc=$?
if [ "$rc" -ne 1 ] || [ "$(grep -c '^ecosim-mpi:' "$dir/err")" -ne 1 ] ||
   ! grep -q '^ecosim-mpi: error: --out snaps: rank 1 does not see the directory rank 0 made' "$dir/err"; then
  echo "FAIL (--out another directory on rank 1): exit $rc:"; cat "$dir/err"; fail=1
else echo "ok: --out another directory on rank 1: exit 1: $(grep '^ecosim-mpi:' "$dir/err")"; fi
[ -z "$(ls -A "$dir/wa/snaps")" ] || { echo "FAIL: files left in rank 0's --out: $(ls -A "$dir/wa/snaps")"; fail=1; }
timeout 60 mpirun --oversubscribe --allow-run-as-root -np 2 "$bin" run --creatures 1000 --ticks 4 --out "$dir/snaps" -q >/dev/null 2>&1 ||
  { echo "FAIL: a 2-rank run with --out"; fail=1; }
expect 2 2 "before the snapshot's tick 4" resume "$dir/snaps/tick_000004.npz" --ticks 3
timeout 60 mpirun --oversubscribe --allow-run-as-root -np 3 "$bin" --help >"$dir/out" 2>"$dir/err"
rc=$?
if [ "$rc" -ne 0 ] || [ "$(grep -c '^Usage' "$dir/out")" -ne 1 ]; then
  echo "FAIL: --help at 3 ranks: exit $rc, printed:"; cat "$dir/out" "$dir/err"; fail=1
else echo "ok: --help at 3 ranks printed once"; fi
[ "$fail" -eq 0 ] && echo PASS
exit "$fail"
