#!/usr/bin/env bash
# cli_resume.sh ECOSIM WORKDIR [COLSNAP]: snapshot at S, resume in a fresh process, same hash at T.
#   S = 0 and S = 60 (of T = 120); also `ecosim hash` == `colsnap hash` of the same file (when
#   the colsnap tool is built) and the final snapshot's hash == the printed final hash; the
#   canonical hash printed beside the world hash (final and --hash-every lines, `ecosim hash`)
#   is the same in the run, the resumed runs and the snapshot.
set -euo pipefail
ecosim=$1 work=$2 colsnap=${3:-}
rm -rf "$work" && mkdir -p "$work"
final_hash() { sed -n 's/^final tick .* hash \([0-9a-f]*\) canonical [0-9a-f]*$/\1/p'; }
final_canonical() { sed -n 's/^final tick .* hash [0-9a-f]* canonical \([0-9a-f]\{32\}\)$/\1/p'; }

"$ecosim" run --creatures 5000 --ticks 120 --seed 9 --snapshot-every 60 --out "$work/a" -q >"$work/run.txt"
unpaused=$(final_hash <"$work/run.txt") canonical=$(final_canonical <"$work/run.txt")
[ -n "$unpaused" ] && [ -n "$canonical" ] || { echo "no final hashes from run:"; cat "$work/run.txt"; exit 1; }
# the tick-60 snapshot is one whose pending events include fission (checked with numpy when
# available): resuming it must re-create the same freshly issued and recycled ids
if /usr/bin/python3 -c 'import numpy' 2>/dev/null; then
  /usr/bin/python3 -c 'import numpy as np, sys; z = np.load(sys.argv[1]); k = z["pending_event/kind"]; print("tick 60 pending events:", len(k), "of which fission:", int((k == 1).sum())); sys.exit(0 if (k == 1).any() else 1)' "$work/a/tick_000060.npz"
fi
for s in 000000 000060; do
  "$ecosim" resume "$work/a/tick_$s.npz" --ticks 120 -q >"$work/resume.txt"
  resumed=$(final_hash <"$work/resume.txt") resumed_c=$(final_canonical <"$work/resume.txt")
  echo "unpaused $unpaused canonical $canonical  resumed from tick $s $resumed canonical $resumed_c"
  [ "$resumed" = "$unpaused" ] || { echo "MISMATCH resuming from tick $s"; exit 1; }
  [ "$resumed_c" = "$canonical" ] || { echo "canonical MISMATCH resuming from tick $s"; exit 1; }
done
file_hash=$("$ecosim" hash "$work/a/tick_000120.npz" | cut -d' ' -f1)
[ "$file_hash" = "$unpaused" ] || { echo "ecosim hash of the final snapshot $file_hash != $unpaused"; exit 1; }
file_canonical=$("$ecosim" hash "$work/a/tick_000120.npz" | sed -n 's/^.*  canonical \([0-9a-f]\{32\}\)$/\1/p')
[ "$file_canonical" = "$canonical" ] || { echo "ecosim hash's canonical of the final snapshot '$file_canonical' != $canonical"; exit 1; }
# --hash-every lines carry both hashes too, the same in the run and the resumed run
"$ecosim" run --creatures 5000 --ticks 120 --seed 9 --hash-every 30 -q | grep '^tick 90 ' >"$work/h1.txt"
"$ecosim" resume "$work/a/tick_000060.npz" --ticks 120 --hash-every 30 -q | grep '^tick 90 ' >"$work/h2.txt"
grep -Eq '^tick 90 creatures [0-9]+ food [0-9]+ hash [0-9a-f]{32} canonical [0-9a-f]{32}$' "$work/h1.txt" || { echo "tick line:"; cat "$work/h1.txt"; exit 1; }
cmp "$work/h1.txt" "$work/h2.txt"
if [ -n "$colsnap" ] && [ -x "$colsnap" ]; then
  c=$("$colsnap" hash "$work/a/tick_000060.npz" | cut -d' ' -f1)
  e=$("$ecosim" hash "$work/a/tick_000060.npz" | cut -d' ' -f1)
  echo "colsnap hash $c  ecosim hash $e"
  [ "$c" = "$e" ] || { echo "colsnap hash != ecosim hash"; exit 1; }
fi
# two runs with the same seed write byte-identical snapshots
"$ecosim" run --creatures 5000 --ticks 60 --seed 9 --snapshot-every 60 --out "$work/b" -q >/dev/null
cmp "$work/a/tick_000060.npz" "$work/b/tick_000060.npz"
echo "ok"
