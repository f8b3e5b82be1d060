#!/usr/bin/env bash
# cli_exit_codes.sh ECOSIM WORKDIR DATADIR: 0 ok, 1 error (with a message), 2 usage.
set -uo pipefail
ecosim=$1 work=$2 data=$3
rm -rf "$work" && mkdir -p "$work"
fail=0
expect() { # expect CODE DESCRIPTION -- ARGS...
  local want=$1 what=$2; shift 3
  "$ecosim" "$@" >"$work/out" 2>"$work/err"; local got=$?
  if [ "$got" != "$want" ]; then
    echo "FAIL $what: exit $got, want $want"; cat "$work/err"; fail=1
  elif [ "$want" != 0 ] && ! [ -s "$work/err" ]; then
    echo "FAIL $what: exit $got but no message on stderr"; fail=1
  else echo "ok   $what (exit $got)"; fi
}
expect 0 "--help" -- --help
expect 0 "run --help" -- run --help
expect 2 "no command" --
expect 2 "unknown command" -- frobnicate
expect 2 "run without --ticks" -- run --creatures 10
expect 2 "run with a bad number" -- run --creatures ten --ticks 3
expect 2 "--snapshot-every without --out" -- run --creatures 100 --ticks 3 --snapshot-every 1
expect 0 "small run" -- run --creatures 100 --ticks 3 --out "$work/s" -q
expect 0 "hash" -- hash "$work/s/tick_000003.npz"
expect 0 "hash of the schema-1 fixture" -- hash "$data/world_v1.npz"
expect 2 "resume to an earlier tick" -- resume "$work/s/tick_000003.npz" --ticks 2
expect 1 "hash of a missing file" -- hash "$work/nope.npz"
printf 'not a zip' >"$work/junk.npz"
expect 1 "resume from junk" -- resume "$work/junk.npz" --ticks 5
grep -q "junk.npz" "$work/err" || { echo "FAIL error message does not name the file"; fail=1; }
exit $fail
