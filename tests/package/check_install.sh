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
# The MPI component, when this build has it: a consumer of find_package(colsnap COMPONENTS mpi).
if [ -f "$work/prefix/lib/cmake/colsnap/colsnapMpiTargets.cmake" ] ||
   ls "$work"/prefix/lib*/cmake/colsnap/colsnapMpiTargets.cmake >/dev/null 2>&1; then
  cmake -S "$source_dir/tests/package/mpi_consumer" -B "$work/mpi_build" -G Ninja \
        -DCMAKE_PREFIX_PATH="$work/prefix" >/dev/null
  cmake --build "$work/mpi_build" >/dev/null
  timeout 60 mpirun --oversubscribe --allow-run-as-root -np 2 "$work/mpi_build/mpi_consumer" "$work/mpi.npz"
  test -s "$work/mpi.npz"
  echo "find_package(colsnap COMPONENTS mpi) consumer built and ran on 2 ranks"
else
  # Without the component, asking for it must fail the configure.
  if cmake -S "$source_dir/tests/package/mpi_consumer" -B "$work/mpi_build" -G Ninja \
        -DCMAKE_PREFIX_PATH="$work/prefix" >/dev/null 2>&1; then
    echo "find_package(colsnap COMPONENTS mpi) succeeded in a build without MPI"; exit 1
  fi
  echo "colsnap::mpi not built (no MPI): find_package(colsnap COMPONENTS mpi) fails, as it should"
fi
