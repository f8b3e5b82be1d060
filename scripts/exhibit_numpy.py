#!/usr/bin/python3
"""numpy's side of the colsnap persistence exhibit (issue 5).

Run with Debian's /usr/bin/python3 (it has numpy). Two modes:

  --serve   used by build/bin/colsnap-exhibit: loads the columns once, then answers one JSON
            request per stdin line with one JSON line on stdout, so that numpy's ways are
            interleaved run by run with the C++ ones:
              {"op": "write", "way": "pickle"|"savez"|"savez_compressed", "path": P}
                  -> {"ok": true, "ms": write time, "cpu_ms": process CPU time, "bytes": file size}
              {"op": "read", "kind": "pickle"|"npz", "path": P, "again": bool}
                  -> {"ok": true, "ms": read time, "cpu_ms": process CPU time,
                      "ms_again": the same read repeated at once}
              {"op": "check", "kind": "pickle"|"npz", "path": P}
                  -> {"ok": true, "equal": bool, "detail": "..."}  (every column, dtype and values)
              {"op": "quit"}
  default   standalone: runs the three numpy ways itself, interleaved, --runs times, and prints
            one JSON document with the medians (and checks any --check FILE.npz against the data).

Columns come from --source (raw columns back to back, as colsnap-exhibit writes them) described
by --manifest '[{"name": ..., "descr": "<f4", "count": N}, ...]'; without --source the script
makes its own (seeded) columns of the exhibit's schema with --n rows.

What is timed: write = open + pickle.dump / np.savez / np.savez_compressed + close (no fsync);
read = open + pickle.load, or np.load + every member materialised as an array (zipfile checks
each member's CRC-32 as it reads it).
"""
import argparse
import json
import os
import pickle
import platform
import statistics
import sys
import time

import numpy as np

SCHEMA = [("pos_x", "<f4"), ("pos_y", "<f4"), ("vel_x", "<f4"), ("vel_y", "<f4"),
          ("energy", "<f4"), ("birth_t", "<f8"), ("id", "<u4"), ("gen", "<u4")]


def load_source(source, manifest):
    """The columns, read from the raw file colsnap-exhibit wrote (no copy of any value)."""
    columns = {}
    offset = 0
    with open(source, "rb") as f:
        blob = f.read()
    for spec in manifest:
        dt = np.dtype(spec["descr"])
        count = int(spec["count"])
        columns[spec["name"]] = np.frombuffer(blob, dtype=dt, count=count, offset=offset).copy()
        offset += count * dt.itemsize
    if offset != len(blob):
        raise ValueError(f"{source}: {len(blob)} bytes, manifest says {offset}")
    return columns


def make_columns(n, seed=20240605):
    """Standalone data with the exhibit's schema (not the same values as the C++ generator)."""
    rng = np.random.default_rng(seed)
    return {
        "pos_x": (1000 * rng.random(n)).astype("<f4"),
        "pos_y": (1000 * rng.random(n)).astype("<f4"),
        "vel_x": (2 * rng.random(n) - 1).astype("<f4"),
        "vel_y": (2 * rng.random(n) - 1).astype("<f4"),
        "energy": (100 * rng.random(n)).astype("<f4"),
        "birth_t": rng.integers(0, 100000, n).astype("<f8") * 0.1,
        "id": np.arange(n, dtype="<u4"),
        "gen": rng.integers(0, 16, n).astype("<u4"),
    }


def ms_since(t0):
    return (time.perf_counter_ns() - t0) / 1e6


def write(way, columns, path):
    c0 = time.process_time_ns()
    t0 = time.perf_counter_ns()
    if way == "pickle":
        with open(path, "wb") as f:
            pickle.dump(columns, f)
    elif way == "savez":
        np.savez(path, **columns)
    elif way == "savez_compressed":
        np.savez_compressed(path, **columns)
    else:
        raise ValueError(f"unknown way {way!r}")
    ms = ms_since(t0)
    cpu = (time.process_time_ns() - c0) / 1e6
    return {"ms": ms, "cpu_ms": cpu, "bytes": os.path.getsize(path)}


def load(kind, path):
    if kind == "pickle":
        with open(path, "rb") as f:
            return pickle.load(f)
    if kind == "npz":
        with np.load(path) as data:
            return {k: data[k] for k in data.files}
    raise ValueError(f"unknown kind {kind!r}")


def read(kind, path):
    c0 = time.process_time_ns()
    t0 = time.perf_counter_ns()
    got = load(kind, path)
    ms = ms_since(t0)
    cpu = (time.process_time_ns() - c0) / 1e6
    del got
    return {"ms": ms, "cpu_ms": cpu}


def check(kind, path, columns):
    got = load(kind, path)
    problems = []
    if sorted(got) != sorted(columns):
        problems.append(f"members {sorted(got)} != {sorted(columns)}")
    for name, want in columns.items():
        have = got.get(name)
        if have is None:
            continue
        if have.dtype != want.dtype or have.shape != want.shape:
            problems.append(f"{name}: {have.dtype}{have.shape} != {want.dtype}{want.shape}")
        elif not np.array_equal(have, want):
            problems.append(f"{name}: values differ")
    return {"equal": not problems, "detail": "; ".join(problems)}


def hello():
    return {"ok": True, "ready": True, "python": platform.python_version(),
            "numpy": np.__version__, "executable": sys.executable}


def serve(columns):
    out = sys.stdout
    out.write(json.dumps(hello()) + "\n")
    out.flush()
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        try:
            req = json.loads(line)
            op = req.get("op")
            if op == "quit":
                break
            if op == "write":
                ans = write(req["way"], columns, req["path"])
            elif op == "read":
                ans = read(req["kind"], req["path"])
                if req.get("again"):  # the same read at once: the allocator recycles warm memory
                    ans["ms_again"] = read(req["kind"], req["path"])["ms"]
            elif op == "check":
                ans = check(req["kind"], req["path"], columns)
            else:
                raise ValueError(f"unknown op {op!r}")
            ans["ok"] = True
        except Exception as e:  # report to the C++ side instead of dying
            ans = {"ok": False, "error": f"{type(e).__name__}: {e}"}
        out.write(json.dumps(ans) + "\n")
        out.flush()


def standalone(columns, args):
    ways = [("pickle", "pickle", "np_pickle_columns.pkl"),
            ("savez", "npz", "np_savez.npz"),
            ("savez_compressed", "npz", "np_savez_compressed.npz")]
    os.makedirs(args.dir, exist_ok=True)
    results = {w: {"write_ms": [], "read_ms": [], "bytes": 0} for w, _, _ in ways}
    for run in range(args.runs + 1):  # run 0 warms up and is not counted
        for way, kind, name in ways:
            path = os.path.join(args.dir, name)
            w = write(way, columns, path)
            r = read(kind, path)
            if run:
                results[way]["write_ms"].append(w["ms"])
                results[way]["read_ms"].append(r["ms"])
            results[way]["bytes"] = w["bytes"]
    doc = hello()
    doc["rows"] = int(len(next(iter(columns.values()))))
    doc["runs"] = args.runs
    doc["ways"] = {w: {"bytes": v["bytes"], "write_ms": statistics.median(v["write_ms"]),
                       "read_ms": statistics.median(v["read_ms"])} for w, v in results.items()}
    doc["checks"] = {p: check("npz", p, columns) for p in args.check}
    print(json.dumps(doc, indent=2))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--serve", action="store_true")
    ap.add_argument("--source", help="raw columns back to back (as colsnap-exhibit writes them)")
    ap.add_argument("--manifest", help="JSON list of {name, descr, count} describing --source")
    ap.add_argument("--n", type=int, default=1_000_000, help="rows when there is no --source")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--dir", default="/tmp/colsnap-exhibit")
    ap.add_argument("--check", action="append", default=[], help="an .npz to compare with the data")
    args = ap.parse_args()
    if args.source:
        manifest = json.loads(args.manifest) if args.manifest else \
            [{"name": n, "descr": d, "count": args.n} for n, d in SCHEMA]
        columns = load_source(args.source, manifest)
    else:
        columns = make_columns(args.n)
    if args.serve:
        serve(columns)
    else:
        standalone(columns, args)


if __name__ == "__main__":
    main()
