#!/usr/bin/python3
"""Bar chart of the persistence exhibit: write and read time of every way (log scale), from the
JSON that `colsnap-exhibit --json` (or --json-out FILE) produces.

    build/exhibit/bin/colsnap-exhibit --json-out /tmp/exhibit.json
    /usr/bin/python3 scripts/plot_exhibit.py /tmp/exhibit.json -o docs/exhibit.png
"""
import argparse
import json

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def median(entry, what):
    part = entry.get(what)
    return part["median_ms"] if part else None


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("json", help="output of colsnap-exhibit --json")
    ap.add_argument("-o", "--output", default="docs/exhibit.png")
    args = ap.parse_args()
    with open(args.json) as f:
        doc = json.load(f)

    ways = doc["ways"]
    labels, writes, reads, sizes = [], [], [], []
    for w in ways:
        labels.append(w["label"])
        writes.append(median(w, "write"))
        reads.append(median(w, "read"))
        sizes.append(w["file_bytes"] / 2**20 if w["file_bytes"] else None)
    if doc.get("construction"):
        i = next((k for k, w in enumerate(ways) if w["key"] == "aos_json"), None)
        if i is not None:
            labels.insert(i + 1, "  + construction tax (columns -> objects)")
            writes.insert(i + 1, doc["construction"]["median_ms"])
            reads.insert(i + 1, None)
            sizes.insert(i + 1, None)

    n = len(labels)
    fig, ax = plt.subplots(figsize=(11, 0.42 * n + 2.2))
    ys = list(range(n))
    h = 0.38
    colour = {"write": "#c8553d", "read": "#2d7dd2"}
    for series, values, off in (("write", writes, -h / 2), ("read", reads, h / 2)):
        pts = [(y + off, v) for y, v in zip(ys, values) if v is not None]
        ax.barh([p[0] for p in pts], [p[1] for p in pts], height=h, color=colour[series],
                label=f"{series} (ms, median)")
        for y, v in pts:
            ax.text(v * 1.08, y, f"{v:,.1f}" if v >= 1 else f"{v:.2f}", va="center", fontsize=7)
    for y, mb in zip(ys, sizes):
        if mb is not None:
            ax.text(0.0, y, f"{mb:.1f} MiB ", transform=ax.get_yaxis_transform(), ha="right", va="center",
                    fontsize=7, color="#555")
    ax.set_yticks(ys)
    ax.set_yticklabels(labels, fontsize=8)
    ax.tick_params(axis="y", pad=52)
    ax.invert_yaxis()
    ax.set_xscale("log")
    ax.set_xlabel("milliseconds (log scale; lower is better)")
    cfg, m = doc["config"], doc["machine"]
    npv = doc.get("numpy") or {}
    ax.set_title(f"Persisting {cfg['rows']:,} creatures x 8 columns ({cfg['data_bytes'] / 2**20:.1f} MiB): "
                 f"median of {cfg['runs']} runs\n{m['cores']} cores, {m['cpu']}, {m['kernel']}"
                 + (f"; numpy {npv.get('numpy')}" if npv.get("numpy") else "")
                 + (f"; load average {m['load_before'].split()[0]}" if m.get("load_before") else ""), fontsize=9)
    ax.grid(axis="x", which="both", alpha=0.25)
    ax.legend(loc="lower right", fontsize=8)
    fig.tight_layout()
    fig.savefig(args.output, dpi=110)
    print(f"plot_exhibit: wrote {args.output}")


if __name__ == "__main__":
    main()
