#!/usr/bin/env bash
# The ecosim tool on a snapshot written by 2 ranks (ecosim_snapshot_test's first test, at tick 290
# of the 3000-creature world of seed 7): `ecosim hash` gives another world hash than the
# single-process run's snapshot of tick 290 (the rows are in the shards' order) and the same
# canonical hash; `ecosim resume` of it prints, at tick 340, the unpaused run's canonical hash.
# Usage: ecosim_snapshot_cli.sh ECOSIM_SNAPSHOT_MPI_TESTS ECOSIM
set -euo pipefail
tests=$1 ecosim=$2
dir=$(mktemp -d); trap 'rm -rf "$dir"' EXIT
ECOSIM_SNAPSHOT_KEEP="$dir/sharded" timeout 60 mpirun --oversubscribe --allow-run-as-root -np 2 \
  "$tests" --gtest_filter='EcosimSnapshotTest.ShardsSave*' >"$dir/log" 2>&1 || { cat "$dir/log"; exit 1; }
"$ecosim" run --creatures 3000 --seed 7 --ticks 340 --snapshot-every 290 --out "$dir/single" -q >"$dir/run.txt"
hash_of() { "$ecosim" hash "$1" | cut -d' ' -f1; }
canonical_of() { "$ecosim" hash "$1" | sed -n 's/^.*  canonical \([0-9a-f]\{32\}\)$/\1/p'; }
a=$dir/sharded/tick_290.npz b=$dir/single/tick_000290.npz
echo "2 ranks:        $("$ecosim" hash "$a")"
echo "single process: $("$ecosim" hash "$b")"
[ "$(hash_of "$a")" != "$(hash_of "$b")" ] || { echo "FAIL: the same world hash: the rows are not permuted"; exit 1; }
[ -n "$(canonical_of "$a")" ] && [ "$(canonical_of "$a")" = "$(canonical_of "$b")" ] || { echo "FAIL: canonical hashes differ"; exit 1; }
final_canonical() { sed -n 's/^final tick 340 .* hash [0-9a-f]* canonical \([0-9a-f]\{32\}\)$/\1/p'; }
want=$(final_canonical <"$dir/run.txt")
got=$("$ecosim" resume "$a" --ticks 340 -q | final_canonical)
echo "tick 340: unpaused canonical $want, resumed from the 2-rank snapshot $got"
[ -n "$want" ] && [ "$got" = "$want" ] || { echo "FAIL: the resumed run's canonical hash differs"; exit 1; }
echo "PASS"
