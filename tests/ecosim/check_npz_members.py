#!/usr/bin/python3
"""check_npz_members.py FORMAT.md SNAPSHOT.npz

numpy's view of an ecosim snapshot: every member listed in docs/FORMAT.md's member table is
present with the documented dtype and number of dimensions, no other member exists, no member
needs pickle, and the tables hold together (equal column lengths, counts in the population log).
Exit 0 when all holds, 1 otherwise (with one line per problem)."""
import re
import sys

import numpy as np

ROW = re.compile(r"^\|\s*`([a-z_0-9]+/[a-z_0-9]+)`\s*\|\s*`([<>|][a-z][0-9]+)`\s*\|\s*([^|]*)\|")


def documented(path):
    members = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            m = ROW.match(line)
            if not m:
                continue
            shape = m.group(3)
            ndim = 0 if "()" in shape else (2 if ", 4" in shape else 1)
            members[m.group(1)] = (m.group(2), ndim)
    return members


def main():
    doc = documented(sys.argv[1])
    problems = []
    with np.load(sys.argv[2], allow_pickle=False) as z:
        files = set(z.files)
        for name, (dtype, ndim) in doc.items():
            if name not in files:
                problems.append(f"{name}: missing")
                continue
            a = z[name]
            if a.dtype.str != dtype:
                problems.append(f"{name}: dtype {a.dtype.str}, documented {dtype}")
            if a.ndim != ndim:
                problems.append(f"{name}: ndim {a.ndim}, documented {ndim}")
        for name in sorted(files - set(doc)):
            problems.append(f"{name}: not documented")
        tables = {}
        for name in files:
            table = name.split("/")[0]
            if table in ("meta", "config"):
                continue
            tables.setdefault(table, set()).add(len(z[name]))
        for table, lengths in tables.items():
            if len(lengths) != 1:
                problems.append(f"table {table}: unequal column lengths {sorted(lengths)}")
        if not problems:
            if int(z["population/creatures"][-1]) != len(z["creature/id"]):
                problems.append("population/creatures[-1] != len(creature/id)")
            if int(z["population/food"][-1]) != len(z["food/id"]):
                problems.append("population/food[-1] != len(food/id)")
            if int(z["population/tick"][-1]) != int(z["meta/tick"]):
                problems.append("population/tick[-1] != meta/tick")
    for p in problems:
        print(f"check_npz_members: {sys.argv[2]}: {p}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
