#!/usr/bin/python3
"""What numpy sees in each archive of a directory (the reference side of zip_views_test.cpp).

  zip_views.py DIR OUT.tsv

For every DIR/*.npz (sorted by name), opens it with np.load (CPython's zipfile underneath) and
writes one line per key of NpzFile.files, in order, tab-separated:
  file  key_hex  zip_name_hex  kind  content_hex  array
key_hex / zip_name_hex: the UTF-8 of numpy's key and of the zip member z[key] reads (numpy's
lookup: a zip name first, then KEY.npy); kind: "array" (z[key] is an ndarray), "bytes" (numpy
returned the member's bytes), or "error" (z[key] raised, even with allow_pickle=True);
content_hex: the member's whole content as zipfile reads it (CRC checked), "-" when that raised;
array: "dtype.str|shape|sha256 of tobytes('A')" for arrays that are not object arrays, else "-".
An archive numpy cannot open at all is one line: file  !  -  refused  -  reason.
"""
import hashlib
import os
import sys

import numpy as np


def hx(s):
    return s.encode("utf-8", "surrogateescape").hex()


def describe(z, key):
    zip_name = key if key in z._files else key + ".npy"  # NpzFile.__getitem__
    try:
        content = z.zip.read(zip_name).hex()
    except Exception:  # noqa: BLE001 - any refusal is an outcome to compare
        content = "-"
    try:
        v = z[key]
    except Exception:  # noqa: BLE001
        return zip_name, "error", content, "-"
    if isinstance(v, np.ndarray):
        summary = "-"
        if not v.dtype.hasobject:
            summary = "%s|%s|%s" % (v.dtype.str, ",".join(map(str, v.shape)),
                                    hashlib.sha256(v.tobytes("A")).hexdigest())
        return zip_name, "array", content, summary
    return zip_name, "bytes", content, "-"


def main():
    d, out = sys.argv[1], sys.argv[2]
    lines = []
    for f in sorted(os.listdir(d)):
        if not f.endswith(".npz"):
            continue
        try:
            z = np.load(os.path.join(d, f), allow_pickle=True)
            keys = list(z.files)
        except Exception as e:  # noqa: BLE001
            lines.append("\t".join([f, "!", "-", "refused", "-", type(e).__name__]))
            continue
        with z:
            for key in keys:
                zip_name, kind, content, summary = describe(z, key)
                lines.append("\t".join([f, hx(key), hx(zip_name), kind, content, summary]))
    with open(out, "w", encoding="utf-8") as fh:
        fh.write("".join(line + "\n" for line in lines))


if __name__ == "__main__":
    main()
