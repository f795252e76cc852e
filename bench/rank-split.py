#!/usr/bin/env python3
"""Mean rank of each method over the rank-grid points of a bench run that lie in [lo, hi] epochs.

Same grid and tie rule as the bench's mean rank (20 log-spaced budget points from budget/100 to budget, ties share
the average rank), restricted to a range, e.g. to split the ranking at the end of the freeze-thaw warm-up
(docs/benchmarks.md). Usage: bench/rank-split.py <curves.csv> <lo> <hi> [budget, default 200]
"""
import collections
import csv
import math
import sys


def main():
    path, lo, hi = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
    budget = float(sys.argv[4]) if len(sys.argv) > 4 else 200.0
    curves = collections.defaultdict(list)
    with open(path) as f:
        for r in csv.DictReader(f):
            curves[(r['method'], int(r['seed']))].append((float(r['epochs']), float(r['normalized_regret'])))
    g0 = max(1.0, budget / 100)
    grid = [g for g in (g0 * (budget / g0) ** (i / 19) for i in range(20)) if lo <= g <= hi]
    methods = sorted({m for m, _ in curves})
    seeds = sorted({s for _, s in curves})

    def regret_at(method, seed, point):
        regret = math.inf  # nothing trained yet
        for epochs, value in curves[(method, seed)]:
            if epochs <= point + 1e-9:
                regret = value
        return regret

    total = collections.defaultdict(float)
    for seed in seeds:
        for point in grid:
            values = [(regret_at(m, seed, point), m) for m in methods]
            ordered = sorted(v for v, _ in values)
            for v, m in values:
                first = ordered.index(v)
                last = len(ordered) - 1 - ordered[::-1].index(v)
                total[m] += (first + last) / 2 + 1
    for m in sorted(methods, key=lambda name: total[name]):
        print(f"{m:16s} {total[m] / len(seeds) / len(grid):.2f}")
    print("grid points", [round(g, 1) for g in grid])


if __name__ == '__main__':
    main()
