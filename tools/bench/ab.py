#!/usr/bin/env python3
"""Interleaved A/B of two builds of one Google Benchmark program.

    tools/bench/ab.py A_BINARY B_BINARY [--rounds N] [--filter REGEX] [--min-time S]
                      [--time cpu|real] [--stat median|min]

Runs A and B in turn, N rounds (default 5; the order alternates each round so a
slow spell of the machine hits both), and prints per benchmark the median time
(CPU, or wall with --time real) of each side, B/A, and the noise: the spread
(max/min - 1) of A's own rounds and of B's, the run-to-run variation of one
binary on this machine.  A difference smaller than the noise is no difference.  The concurrent benchmarks
report wall time: compare them with --time real.

--stat min compares each side's fastest round instead of its median.  On a
shared host whose neighbours only ever slow a run down (the noise is one-sided:
a round is never faster than the code allows), the minimum is the steadier
estimate, and its noise is how far the second-fastest round lies above the
fastest (how reproducible the minimum is).
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
    ap.add_argument("--stat", choices=("median", "min"), default="median")
    args = ap.parse_args()
    if args.stat == "min" and args.rounds < 2:
        ap.error("--stat min needs --rounds 2 or more (its noise is the second-fastest round)")
    sides = {"a": [], "b": []}
    for r in range(args.rounds):
        order = ("a", "b") if r % 2 == 0 else ("b", "a")
        for s in order:
            sides[s].append(run(getattr(args, s), args.filter, args.min_time, f"{args.time}_time"))
        print(f"round {r + 1}/{args.rounds} done", file=sys.stderr)
    names = [n for n in sides["a"][0] if all(n in x for x in sides["a"] + sides["b"])]
    print(f"| benchmark ({args.stat} of {args.rounds}) | A ns | B ns | B/A | noise A | noise B |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    ratios, noises = [], []
    for n in names:
        a = [x[n] for x in sides["a"]]
        b = [x[n] for x in sides["b"]]
        pick = min if args.stat == "min" else statistics.median
        ma, mb = pick(a), pick(b)
        if args.stat == "min":
            na, nb = sorted(a)[1] / min(a) - 1, sorted(b)[1] / min(b) - 1
        else:
            na, nb = max(a) / min(a) - 1, max(b) / min(b) - 1
        ratios.append(mb / ma)
        noises += [na, nb]
        print(f"| {n} | {ma:.3g} | {mb:.3g} | {mb / ma:.3f} | {na:.0%} | {nb:.0%} |")
    gm = statistics.geometric_mean(ratios)
    print(f"\ngeometric mean B/A over {len(ratios)} benchmarks: {gm:.3f}; "
          f"median noise (one binary, "
          f"{'second-fastest/fastest' if args.stat == 'min' else 'max/min'} - 1 "
          f"over {args.rounds} rounds): "
          f"{statistics.median(noises):.1%}")


if __name__ == "__main__":
    main()
