"""numpy's ways of growing an .npy by K rows, timed (run by colsnap_bench_append).

usage: numpy_append.py DIR K REPEATS N [N ...]
For each N: np.save an array of N '<f8' rows, then REPEATS times grow it by K rows with
  rewrite:      np.save(path, np.concatenate([np.load(path), new]))   (not crash-safe: np.save
                truncates the file it rewrites)
  open_memmap:  np.lib.format.open_memmap(tmp, 'w+', shape=(n + K,)), copy the old rows from
                np.load(path, mmap_mode='r') and the new ones, flush, os.replace(tmp, path)
Prints one line per (N, method): "numpy METHOD N MEDIAN_MS MIN_MS" (wall clock, ms per append).
"""
import os
import statistics
import sys
import time

import numpy as np


def rewrite(path, new):
    np.save(path, np.concatenate([np.load(path), new]))


def open_memmap(path, new):
    old = np.load(path, mmap_mode="r")
    tmp = path + ".tmp.npy"
    shape = (old.shape[0] + new.shape[0],)
    m = np.lib.format.open_memmap(tmp, mode="w+", dtype=old.dtype, shape=shape)
    m[: old.shape[0]] = old
    m[old.shape[0]:] = new
    m.flush()
    del m, old
    os.replace(tmp, path)


def main():
    d, k, repeats = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    new = np.arange(k, dtype="<f8")
    for n in map(int, sys.argv[4:]):
        for name, grow in (("rewrite", rewrite), ("open_memmap", open_memmap)):
            path = os.path.join(d, f"numpy_{name}_{n}.npy")
            np.save(path, np.arange(n, dtype="<f8"))
            times = []
            for _ in range(repeats):
                t0 = time.perf_counter()
                grow(path, new)
                times.append((time.perf_counter() - t0) * 1e3)
            assert np.load(path, mmap_mode="r").shape == (n + repeats * k,)
            os.remove(path)
            print(f"numpy {name} {n} {statistics.median(times):.4f} {min(times):.4f}", flush=True)


main()
