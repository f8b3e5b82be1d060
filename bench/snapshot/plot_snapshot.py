#!/usr/bin/python3
"""plot_snapshot.py OUT.png RUN.txt...

Plots the output of ecosim_bench_snapshot (one file per run: a schema-3 and/or schema-2 series
of bytes and ms per snapshot against tick): megabytes per snapshot (schema 3: the snapshot and,
dashed, its segment) and milliseconds per snapshot, before (schema 2) and after (schema 3).
Run with /usr/bin/python3 (Debian's python3-numpy and python3-matplotlib)."""
import sys

import numpy as np


def read(path):
    rows, creatures = [], None
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("# creatures"):
                creatures = int(line.split()[2])
            if line[:1].isdigit():
                rows.append([float(x) for x in line.split()])
    return creatures, np.array(rows)


def main():
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    out, runs = sys.argv[1], sys.argv[2:]
    fig, (ax_b, ax_t) = plt.subplots(1, 2, figsize=(12, 4.5))
    colours = {}
    for path in runs:
        n, r = read(path)
        c = colours.setdefault(n, f"C{len(colours)}")
        label = f"{n:,} creatures"
        tick = r[:, 0]
        if r[:, 2].any():  # schema 3 measured
            ax_b.plot(tick, r[:, 2] / 1e6, "-", color=c, label=f"after (schema 3) snapshot, {label}")
            ax_b.plot(tick[1:], r[1:, 3] / 1e6, ":", color=c, label=f"after: its segment, {label}")
            ax_t.plot(tick, r[:, 4], "-", color=c, label=f"after (schema 3), {label}")
        if r[:, 5].any():  # schema 2 measured
            ax_b.plot(tick, r[:, 5] / 1e6, "--", color=c, label=f"before (schema 2), {label}")
            ax_t.plot(tick, r[:, 6], "--", color=c, label=f"before (schema 2), {label}")
    ax_b.set_xlabel("tick")
    ax_b.set_ylabel("MB written per snapshot")
    ax_b.set_yscale("log")
    ax_b.set_title("snapshot bytes")
    ax_t.set_xlabel("tick")
    ax_t.set_ylabel("ms per snapshot (durable, median of 3; shared disk: noisy)")
    ax_t.set_yscale("log")
    ax_t.set_title("snapshot write time")
    for ax in (ax_b, ax_t):
        ax.grid(True, which="both", alpha=0.3)
        ax.legend(fontsize=7)
    fig.suptitle("ecosim snapshot every 100 ticks: logs copied into every snapshot (schema 2) "
                 "vs written once as segments (schema 3)", fontsize=10)
    fig.tight_layout()
    fig.savefig(out, dpi=110)


if __name__ == "__main__":
    main()
