#!/usr/bin/python3
"""plot_population.py SNAPSHOT.npz [-o population.png]

Plots an ecosim world's population log (creatures and food per tick) from a snapshot. The .npz
file is the whole interface: numpy reads population/tick, population/t, population/creatures,
population/food and a few config/ values; nothing is imported from ecosim. `ecosim plot` checks
the snapshot first (the members, the series' lengths), so this script does not. Prints the
min/max of both series, which are the numbers the population bounds are stated in.

Run with /usr/bin/python3 (Debian's python3-numpy and python3-matplotlib). Installed with ecosim
(share/colsnap/), which runs it for `ecosim plot`. Any failure is one line on stderr, exit 1."""
import argparse
import sys

import numpy as np


def plot(args):
    try:
        import matplotlib
    except ImportError:
        raise RuntimeError("matplotlib is not installed (Debian: python3-matplotlib)") from None
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    # `ecosim plot` has checked the snapshot (every member below, non-empty series of one length).
    with np.load(args.snapshot, allow_pickle=False) as z:
        tick = z["population/tick"]
        t_s = z["population/t"] / 1e6
        creatures = z["population/creatures"]
        food = z["population/food"]
        n0 = int(z["config/initial_creatures"])
        seed = int(z["config/seed"])
        side = float(z["config/world_size"])
        births, deaths = len(z["born/t"]), len(z["dead/t"])

    fig, ax = plt.subplots(figsize=(9, 4.8), dpi=110)
    ax.plot(t_s, creatures, label="creatures", color="tab:blue", lw=1.4)
    ax.plot(t_s, food, label="food", color="tab:green", lw=1.4)
    ax.axhline(n0, color="tab:blue", lw=0.6, ls=":", label=f"initial creatures ({n0:,})")
    ax.set_xlabel(f"simulated time (s) — tick 0 … {int(tick[-1]):,} at 30 Hz")
    ax.set_ylabel("rows")
    ax.set_ylim(0, max(int(creatures.max()), int(food.max())) * 1.15)
    ax.grid(alpha=0.3)
    ax.legend(loc="lower right")
    ax.set_title(f"ecosim: {n0:,} creatures at start, world {side:,.0f} × {side:,.0f}, seed {seed}\n"
                 f"creatures {int(creatures.min()):,} … {int(creatures.max()):,}, "
                 f"food {int(food.min()):,} … {int(food.max()):,}; "
                 f"{births:,} fissions, {deaths:,} starvations", fontsize=10)
    fig.tight_layout()
    try:
        fig.savefig(args.output)
    except (OSError, ValueError) as e:  # unwritable directory, format matplotlib cannot write
        raise RuntimeError(f"{args.output}: cannot write the plot: {e}") from None
    print(f"ticks 0..{int(tick[-1])}: creatures min {int(creatures.min())} max {int(creatures.max())}, "
          f"food min {int(food.min())} max {int(food.max())} -> {args.output}")
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("snapshot")
    ap.add_argument("-o", "--output", default="population.png")
    args = ap.parse_args()
    try:
        return plot(args)
    except Exception as e:  # one line, never a traceback
        msg = " ".join(str(e).split()) or type(e).__name__
        print(f"plot_population.py: {msg}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
