#!/usr/bin/env python3
"""Interleaved A/B of two builds of one Google Benchmark program.

    tools/bench/ab.py A_BINARY B_BINARY [--rounds N] [--filter REGEX] [--min-time S]
                      [--time cpu|real]

Runs A and B in turn, N rounds (default 5; the order alternates each round so a
slow spell of the machine hits both), and prints per benchmark the median time
(CPU, or wall with --time real) of each side, B/A, and the noise: the spread
(max/min - 1) of A's own rounds and of B's, the run-to-run variation of one
binary on this machine.  A difference smaller than the noise is no difference.  The concurrent benchmarks
report wall time: compare them with --time real.
"""
import argparse
import json
import statistics
import subprocess
import sys


def run(binary, flt, min_time, key):
    out = subprocess.run(
        [binary, f"--benchmark_filter={flt}", f"--benchmark_min_time={min_time}",
         "--benchmark_format=json"], check=True, capture_output=True, text=True).stdout
    res = {}
    for b in json.loads(out)["benchmarks"]:
        if b.get("run_type", "iteration") == "iteration":
            res[b["name"]] = b[key]
    return res


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("a")
    ap.add_argument("b")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--filter", default=".")
    ap.add_argument("--min-time", default="0.1")
    ap.add_argument("--time", choices=("cpu", "real"), default="cpu")
    args = ap.parse_args()
    sides = {"a": [], "b": []}
    for r in range(args.rounds):
        order = ("a", "b") if r % 2 == 0 else ("b", "a")
        for s in order:
            sides[s].append(run(getattr(args, s), args.filter, args.min_time, f"{args.time}_time"))
        print(f"round {r + 1}/{args.rounds} done", file=sys.stderr)
    names = [n for n in sides["a"][0] if all(n in x for x in sides["a"] + sides["b"])]
    print("| benchmark | A ns | B ns | B/A | noise A | noise B |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    ratios, noises = [], []
    for n in names:
        a = [x[n] for x in sides["a"]]
        b = [x[n] for x in sides["b"]]
        ma, mb = statistics.median(a), statistics.median(b)
        na, nb = max(a) / min(a) - 1, max(b) / min(b) - 1
        ratios.append(mb / ma)
        noises += [na, nb]
        print(f"| {n} | {ma:.3g} | {mb:.3g} | {mb / ma:.3f} | {na:.0%} | {nb:.0%} |")
    gm = statistics.geometric_mean(ratios)
    print(f"\ngeometric mean B/A over {len(ratios)} benchmarks: {gm:.3f}; "
          f"median noise (one binary, max/min - 1 over {args.rounds} rounds): "
          f"{statistics.median(noises):.1%}")


if __name__ == "__main__":
    main()
