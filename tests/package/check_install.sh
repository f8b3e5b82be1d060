#!/usr/bin/env bash
# Installs colsnap from the build tree into a temp prefix, then builds examples/ as an outside
# project with find_package(colsnap) and runs it: the installed package must be usable as is.
set -euo pipefail
build_dir=$1; source_dir=$2
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
cmake --install "$build_dir" --prefix "$work/prefix" >/dev/null
cmake -S "$source_dir/examples" -B "$work/build" -G Ninja -DCMAKE_PREFIX_PATH="$work/prefix" >/dev/null
cmake --build "$work/build" >/dev/null
"$work/build/write_world" "$work" 1000
test -s "$work/world.npz" && test -s "$work/world_deflate.npz"
echo "find_package(colsnap) consumer built and ran"
