#!/usr/bin/python3
"""check_npz_members.py FORMAT.md SNAPSHOT.npz [SEGMENT.npz...]

numpy's view of an ecosim snapshot and its log segments (root first): every member listed in
docs/FORMAT.md's member table ("## Members"; for a segment "## Segment members") is present with
the documented dtype and number of dimensions, no other member exists, no member needs pickle,
the tables hold together (equal column lengths), and the logs, joined from the segments, hold
the snapshot's row counts and the counts in the population log.
Exit 0 when all holds, 1 otherwise (with one line per problem)."""
import re
import sys

import numpy as np

ROW = re.compile(r"^\|\s*`([a-z_0-9]+/[a-z_0-9]+)`\s*\|\s*`([<>|][a-z][0-9]+)`\s*\|\s*([^|]*)\|")


def documented(path, section):
    members = {}
    inside = False
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("## "):
                inside = line.strip() == "## " + section
            m = ROW.match(line) if inside else None
            if not m:
                continue
            shape = m.group(3)
            ndim = 0 if "()" in shape else (2 if ", 4" in shape else 1)
            members[m.group(1)] = (m.group(2), ndim)
    return members


def check_members(doc, path, z, problems):
    files = set(z.files)
    for name, (dtype, ndim) in doc.items():
        if name not in files:
            problems.append(f"{path}: {name}: missing")
            continue
        a = z[name]
        if a.dtype.str != dtype:
            problems.append(f"{path}: {name}: dtype {a.dtype.str}, documented {dtype}")
        if a.ndim != ndim:
            problems.append(f"{path}: {name}: ndim {a.ndim}, documented {ndim}")
    for name in sorted(files - set(doc)):
        problems.append(f"{path}: {name}: not documented")
    tables = {}
    for name in files:
        table = name.split("/")[0]
        if table in ("meta", "config", "segment"):
            continue
        tables.setdefault(table, set()).add(len(z[name]))
    for table, lengths in tables.items():
        if len(lengths) != 1:
            problems.append(f"{path}: table {table}: unequal column lengths {sorted(lengths)}")


def main():
    snapshot_doc = documented(sys.argv[1], "Members")
    segment_doc = documented(sys.argv[1], "Segment members")
    problems = []
    logs = {}
    for seg in sys.argv[3:]:
        with np.load(seg, allow_pickle=False) as z:
            check_members(segment_doc, seg, z, problems)
            for name in z.files:
                if name.split("/")[0] in ("eaten", "born", "dead", "population"):
                    logs.setdefault(name, []).append(z[name])
    logs = {name: np.concatenate(parts) for name, parts in logs.items()}
    with np.load(sys.argv[2], allow_pickle=False) as z:
        check_members(snapshot_doc, sys.argv[2], z, problems)
        if not problems:
            for log in ("eaten", "born", "dead", "population"):
                if len(logs[log + "/t"]) != int(z[f"meta/{log}_rows"]):
                    problems.append(f"{log}: {len(logs[log + '/t'])} rows in the segments, "
                                    f"meta/{log}_rows {int(z[f'meta/{log}_rows'])}")
            if int(logs["population/creatures"][-1]) != len(z["creature/id"]):
                problems.append("population/creatures[-1] != len(creature/id)")
            if int(logs["population/food"][-1]) != len(z["food/id"]):
                problems.append("population/food[-1] != len(food/id)")
            if int(logs["population/tick"][-1]) != int(z["meta/tick"]):
                problems.append("population/tick[-1] != meta/tick")
    for p in problems:
        print(f"check_npz_members: {p}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
