"""Checks a log written by append_writer as numpy sees it: np.load must succeed, the dtype be
'<u8', the shape (R, 4), and row i equal append_value(i, j) (append_rows.hpp). Prints R.
Exit 1 with one line naming the file and the first wrong row otherwise."""
import sys

import numpy as np

path = sys.argv[1]
try:
    a = np.load(path, mmap_mode="r")
except Exception as e:  # numpy's own refusal, whatever its type
    sys.exit(f"{path}: numpy cannot load it: {e}")
if a.dtype.str != "<u8" or a.ndim != 2 or a.shape[1] != 4:
    sys.exit(f"{path}: dtype {a.dtype.str} shape {a.shape}, expected <u8 (R, 4)")
x = np.arange(a.shape[0] * 4, dtype=np.uint64)
want = (x ^ (x * np.uint64(0x9E3779B97F4A7C15))).reshape(-1, 4)
bad = np.nonzero((np.asarray(a) != want).any(axis=1))[0]
if bad.size:
    sys.exit(f"{path}: row {bad[0]} of {a.shape[0]} is not what was appended: {a[bad[0]].tolist()}")
print(a.shape[0])
