#!/usr/bin/env python3
"""Merges Google Benchmark JSON and `go test -bench` output into
results.json, results.md (ratios to gomap) and bench.svg (gnuplot).

Usage: merge.py OUTDIR --gbench a.json [b.json ...] --go single.txt [sync.txt ...]
           [--machine TEXT] [--flags TEXT]

ratio = peer ns / gomap ns, so > 1 means gomap is faster (for bytes_per_entry:
peer bytes / gomap bytes, > 1 means gomap uses less memory).
"""
import argparse
import json
import math
import os
import re
import shutil
import statistics
import subprocess
import sys

SINGLE_IMPLS = ["gomap", "gomap_nodetect", "go_map", "std_unordered_map",
                "absl_flat_hash_map", "boost_unordered_flat_map"]
CONC_IMPLS = ["gomap_syncmap", "gomap_sharded", "gomap_shared_mutex", "gomap_mutex",
              "go_sync_map", "go_rwmutex_map", "tbb_concurrent_hash_map", "libcuckoo"]
SHORT = {"gomap": "gomap", "gomap_nodetect": "gomap nodetect", "go_map": "Go map",
         "std_unordered_map": "std::unordered_map", "absl_flat_hash_map": "absl flat",
         "boost_unordered_flat_map": "boost flat", "gomap_syncmap": "SyncMap",
         "gomap_sharded": "ShardedMap", "gomap_shared_mutex": "Map+shared_mutex",
         "gomap_mutex": "Map+mutex", "go_sync_map": "Go sync.Map",
         "go_rwmutex_map": "Go RWMutexMap", "tbb_concurrent_hash_map": "TBB chm",
         "libcuckoo": "libcuckoo"}
MEMORY = {"bytes_per_entry", "conc_bytes_per_entry"}
# Table order: BENCHMARKS.md's, then Go's benchmark files' (unknown names last).
ORDER = ["insert", "insert_hint", "lookup_hit", "lookup_miss", "iterate", "churn",
         "str16_lookup_hit", "str64_lookup_hit", "mixed_80_10_10", "clear_reuse",
         "bytes_per_entry", "MegMap", "MegOneMap", "MegEqMap", "MegEmptyMap", "SmallStrMap",
         "MapStringKeysEight_16", "MapStringKeysEight_32", "MapStringKeysEight_64",
         "MapStringKeysEight_1M", "SameLengthMap", "BigKeyMap", "BigValMap", "SmallKeyMap",
         "NewEmptyMap", "NewSmallMap", "MapIter", "MapIterEmpty",
         "LoadMostlyHits", "LoadMostlyMisses", "LoadOrStoreBalanced", "LoadOrStoreUnique",
         "LoadOrStoreCollision", "LoadAndDeleteBalanced", "LoadAndDeleteUnique",
         "LoadAndDeleteCollision", "DeleteCollision", "Range", "AdversarialAlloc",
         "AdversarialDelete", "SwapCollision", "SwapMostlyHits", "SwapMostlyMisses",
         "CompareAndSwapCollision", "CompareAndSwapNoExistingKey", "CompareAndSwapValueNotEqual",
         "CompareAndSwapMostlyHits", "CompareAndSwapMostlyMisses", "CompareAndDeleteCollision",
         "CompareAndDeleteMostlyHits", "CompareAndDeleteMostlyMisses", "mixed_50_50",
         "mixed_90_10", "mixed_99_1", "mixed_90_10_zipf", "conc_bytes_per_entry"]


# The workloads of BENCHMARKS.md's single-threaded table (the rest are Go's ports).
TABLE = set(ORDER[:ORDER.index("bytes_per_entry")])


def sort_rows(rows):
    """Rows in table order: workload (ORDER), then n, then threads."""
    rank = {w: i for i, w in enumerate(ORDER)}
    return sorted(rows, key=lambda r: (rank.get(r["workload"], len(ORDER)), r["workload"], r["n"],
                                       r["threads"]))


def parse_gbench(path):
    with open(path) as f:
        data = json.load(f)
    rows = []
    for b in data.get("benchmarks", []):
        if b.get("run_type", "iteration") != "iteration" or b.get("error_occurred"):
            continue
        parts = b["name"].split("/")
        if len(parts) < 3:
            continue
        workload, impl, n = parts[0], parts[1], int(parts[2])
        row = {"workload": workload, "impl": impl, "threads": int(b.get("threads", 1)),
               "n": n, "ns_per_op": None, "bytes_per_entry": None}
        if workload in MEMORY:
            row["bytes_per_entry"] = b.get("bytes_per_entry")
        elif b.get("items_per_second"):
            row["ns_per_op"] = 1e9 / b["items_per_second"]
        rows.append(row)
    return rows


GO_LINE = re.compile(r"^Benchmark\w+/(\S+?)(?:-(\d+))?\s+(\d+)\s+(.*)$")


def parse_go(path):
    rows = []
    with open(path) as f:
        for line in f:
            m = GO_LINE.match(line.strip())
            if not m:
                continue
            parts = m.group(1).split("/")
            if len(parts) != 3:
                continue
            workload, impl, n = parts[0], parts[1], int(parts[2])
            metrics = {}
            toks = m.group(4).split()
            for v, unit in zip(toks[0::2], toks[1::2]):
                try:
                    metrics[unit] = float(v)
                except ValueError:
                    pass
            row = {"workload": workload, "impl": impl, "threads": int(m.group(2) or 1),
                   "n": n, "ns_per_op": None, "bytes_per_entry": None}
            if workload in MEMORY:
                row["bytes_per_entry"] = metrics.get("B/entry")
            else:
                row["ns_per_op"] = metrics.get("cpu-ns/op", metrics.get("ns/elem", metrics.get("ns/op")))
            rows.append(row)
    return rows


def median_of_rounds(rows):
    """One row per (workload, impl, n, threads): the median of its rounds.

    tools/bench/run runs every side several times in turn, so a slow spell of a
    shared machine lands on one round of each column instead of on one column.
    """
    groups = {}
    for r in rows:
        groups.setdefault((r["workload"], r["impl"], r["n"], r["threads"]), []).append(r)
    out = []
    for rs in groups.values():
        row = dict(rs[0])
        for metric in ("ns_per_op", "bytes_per_entry"):
            xs = [r[metric] for r in rs if r[metric] is not None]
            row[metric] = statistics.median(xs) if xs else None
        row["rounds"] = len(rs)
        out.append(row)
    return out


def fmt_ns(x):
    if x is None:
        return "–"
    if x >= 1e6:
        return f"{x / 1e6:.2f} ms"
    if x >= 1e3:
        return f"{x / 1e3:.1f} µs"
    if x >= 100:
        return f"{x:.0f}"
    if x >= 10:
        return f"{x:.1f}"
    return f"{x:.2f}"


def geomean(xs):
    xs = [x for x in xs if x and x > 0]
    return math.exp(sum(math.log(x) for x in xs) / len(xs)) if xs else None


def table(rows, impls, base, key_of, metric="ns_per_op", title_col="workload", core=None):
    """Markdown table: one line per key, ns per impl with (ratio to base).
    core: optional predicate on keys for a second geometric mean (the spec's table)."""
    keys = []
    cell = {}
    for r in rows:
        k = key_of(r)
        if r[metric] is None:
            continue
        if k not in keys:
            keys.append(k)
        cell[(k, r["impl"])] = r[metric]
    present = [i for i in impls if any((k, i) in cell for k in keys)]
    if not present:
        return "", {}
    out = ["| " + title_col + " | " + " | ".join(SHORT.get(i, i) for i in present) + " |",
           "| --- |" + " ---: |" * len(present)]
    ratios = {i: [] for i in present}
    core_ratios = {i: [] for i in present}
    for k in keys:
        b = cell.get((k, base))
        line = []
        for i in present:
            v = cell.get((k, i))
            s = fmt_ns(v) if metric == "ns_per_op" else ("–" if v is None else f"{v:.1f}")
            if v is not None and b and i != base:
                ratios[i].append(v / b)
                if core and core(k):
                    core_ratios[i].append(v / b)
                s += f" ({v / b:.2f}×)"
            line.append(s)
        out.append(f"| {k} | " + " | ".join(line) + " |")
    if metric == "ns_per_op":
        gm = []
        for i in present:
            g = geomean(ratios[i]) if i != base else None
            gm.append("**baseline**" if i == base and base in present else
                      ("–" if g is None else f"**{g:.2f}×**"))
        out.append("| geometric mean of ratios | " + " | ".join(gm) + " |")
        if core:
            gm = []
            for i in present:
                g = geomean(core_ratios[i]) if i != base else None
                gm.append("**baseline**" if i == base else ("–" if g is None else f"**{g:.2f}×**"))
            out.append("| geometric mean, BENCHMARKS.md table only | " + " | ".join(gm) + " |")
    return "\n".join(out) + "\n", ratios


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("outdir")
    ap.add_argument("--gbench", nargs="*", default=[])
    ap.add_argument("--go", nargs="*", default=[])
    ap.add_argument("--machine", default="")
    ap.add_argument("--flags", default="")
    ap.add_argument("--mode", default="")
    a = ap.parse_args()

    rows = []
    for p in a.gbench:
        if os.path.exists(p):
            rows += parse_gbench(p)
    for p in a.go:
        if os.path.exists(p):
            rows += parse_go(p)
    rows = sort_rows(median_of_rounds(rows))
    os.makedirs(a.outdir, exist_ok=True)
    with open(os.path.join(a.outdir, "results.json"), "w") as f:
        json.dump(rows, f, indent=1)

    single = [r for r in rows if r["impl"] in SINGLE_IMPLS]
    conc = [r for r in rows if r["impl"] in CONC_IMPLS]
    have_gomap = any(r["impl"] == "gomap" for r in single)

    md = ["# gomap benchmark results", ""]
    if a.mode:
        md.append(f"Mode: {a.mode}.  ")
    if a.machine:
        md.append(f"Machine: {a.machine}.  ")
    if a.flags:
        md.append(f"Flags: {a.flags}.  ")
    md += ["", "Each cell: ns per operation (per element for whole-pass workloads), and in",
           "parentheses the ratio to the baseline column: ratio = peer ns / gomap ns, so",
           "**> 1 means gomap is faster**.  Memory rows: bytes per entry, ratio = peer / gomap.", ""]

    md += ["## Single-threaded (`Map`, baseline `gomap` with detection on)", ""]
    if not have_gomap:
        md += ["(gomap rows missing: <gomap/map.hpp> was not built; no ratios.)", ""]
    wl_key = lambda r: f"{r['workload']} ({r['n']})" if r["workload"] not in MEMORY else \
        f"{r['workload']} ({r['n']})"
    t, single_ratios = table([r for r in single if r["workload"] not in MEMORY], SINGLE_IMPLS,
                             "gomap", wl_key, core=lambda k: k.split(" ")[0] in TABLE)
    md += [t]
    tm, _ = table([r for r in single if r["workload"] in MEMORY], SINGLE_IMPLS, "gomap", wl_key,
                  metric="bytes_per_entry", title_col="memory")
    md += [tm]

    conc_base = next((b for b in ["gomap_syncmap", "gomap_shared_mutex"]
                      if any(r["impl"] == b for r in conc)), None)
    ck = lambda r: f"{r['workload']} ({r['n']}), {r['threads']}T"
    go_sync = [r for r in conc if not r["workload"].startswith("mixed") and r["workload"] not in MEMORY]
    if go_sync:
        md += [f"## Concurrent: Go's sync/map_bench_test.go (baseline `{conc_base}`)", ""]
        t, _ = table(go_sync, CONC_IMPLS, conc_base, ck)
        md += [t]
    mixed_base = next((b for b in ["gomap_sharded", "gomap_shared_mutex"]
                       if any(r["impl"] == b for r in conc)), None)
    mixed = [r for r in conc if r["workload"].startswith("mixed")]
    if mixed:
        md += [f"## Concurrent: mixed reads/stores over 2^16 keys (baseline `{mixed_base}`)", "",
               "The measured version of the tutorials' table: mutex map, RWMutex map,",
               "sync.Map, sharded map at 50%, 90%, 99% reads (uniform) and 90% Zipf(0.99).", ""]
        t, _ = table(mixed, CONC_IMPLS, mixed_base, ck)
        md += [t]
        tm, _ = table([r for r in conc if r["workload"] in MEMORY], CONC_IMPLS, mixed_base,
                      lambda r: f"{r['workload']} ({r['n']})", metric="bytes_per_entry",
                      title_col="memory")
        md += [tm, "(TBB allocates through its scalable allocator, which the counter cannot see.)", ""]

    md += targets(rows)
    with open(os.path.join(a.outdir, "results.md"), "w") as f:
        f.write("\n".join(md))

    plot(a.outdir, "bench", [r for r in single if r["workload"] not in MEMORY], SINGLE_IMPLS,
         "gomap" if have_gomap else None, "Single-threaded",
         lambda r: f"{r['workload']} {r['n']}")
    plot(a.outdir, "bench_concurrent", [r for r in conc if r["workload"] not in MEMORY],
         CONC_IMPLS, conc_base, "Concurrent",
         lambda r: f"{r['workload']} {r['threads']}T")


def targets(rows):
    """Issue 7's targets, checked against this run's numbers."""
    ns = {(r["workload"], r["n"], r["threads"], r["impl"]): r["ns_per_op"] for r in rows
          if r["ns_per_op"] is not None}
    mem = {(r["workload"], r["impl"]): r["bytes_per_entry"] for r in rows
           if r["bytes_per_entry"] is not None}
    if not any(k[3] == "gomap" for k in ns):
        return []
    out = ["## Issue 7's targets in this run", ""]

    def verdict(ok):
        return "**met**" if ok else "**missed**"

    def vs(peer, pred=lambda w, n: True):
        """Ratios peer/gomap per single-threaded workload, for rows with both."""
        res = {}
        for (w, n, t, i), v in ns.items():
            if i == peer and t == 1 and pred(w, n) and (w, n, 1, "gomap") in ns:
                res[(w, n)] = v / ns[(w, n, 1, "gomap")]
        return res

    def losers(r):
        bad = sorted(((k, x) for k, x in r.items() if x < 1), key=lambda kx: kx[1])
        return ", ".join(f"{w} {n} ({x:.2f}×)" for (w, n), x in bad) or "none"

    go = vs("go_map")
    if go:
        g = geomean(list(go.values()))
        out.append(f"- Faster than Go's map on every single-threaded workload: "
                   f"{verdict(all(x > 1 for x in go.values()))}; slower on: {losers(go)}.")
        out.append(f"- At least 1.5× faster than Go in geometric mean: {verdict(g >= 1.5)} "
                   f"({g:.2f}× over {len(go)} workloads; BENCHMARKS.md table only: "
                   f"{geomean([x for (w, n), x in go.items() if w in TABLE]):.2f}×).")
    st = vs("std_unordered_map")
    if st:
        big = {k: x for k, x in st.items() if k[0] in TABLE and k[1] >= 1 << 16}
        g = geomean(list(st.values()))
        out.append(f"- Faster than std::unordered_map in geometric mean: {verdict(g > 1)} ({g:.2f}×); "
                   f"on every table workload at 2^16 keys or more: "
                   f"{verdict(all(x > 1 for x in big.values()))} (slower on: {losers(big)}).")
        gm, sm = mem.get(("bytes_per_entry", "gomap")), mem.get(("bytes_per_entry", "std_unordered_map"))
        if gm and sm:
            out.append(f"- No more memory per entry than std::unordered_map: {verdict(gm <= sm)} "
                       f"(gomap {gm:.1f} B, std {sm:.1f} B).")
    parts, ok = [], True
    for w in ("lookup_hit", "lookup_miss"):
        for n in (1 << 10, 1 << 20):
            best = min((ns[(w, n, 1, p)] for p in ("absl_flat_hash_map", "boost_unordered_flat_map")
                        if (w, n, 1, p) in ns), default=None)
            gv = ns.get((w, n, 1, "gomap"))
            if best and gv:
                ok &= gv <= 1.5 * best
                parts.append(f"{w} {n}: {gv / best:.2f}× the best")
    if parts:
        out.append(f"- Within 1.5× of the better of absl and boost on lookups: {verdict(ok)} "
                   f"({'; '.join(parts)}).")
    nd = vs("gomap_nodetect")
    if nd:
        g = geomean(list(nd.values()))
        out.append(f"- Detection costs at most 3% (geometric mean of nodetect/gomap ≥ 0.97): "
                   f"{verdict(g >= 0.97)} ({g:.3f}; detection costs {(1 / g - 1) * 100:+.1f}%).")
    sync = {}
    for (w, n, t, i), v in ns.items():
        # Go's sync benchmarks only: the mixed_* rows are the tutorials' table.
        if i == "go_sync_map" and not w.startswith("mixed") and (w, n, t, "gomap_syncmap") in ns:
            sync[(w, t)] = v / ns[(w, n, t, "gomap_syncmap")]
    if sync:
        bad = ", ".join(f"{w} {t}T ({x:.2f}×)" for (w, t), x in sorted(sync.items()) if x < 1)
        out.append(f"- SyncMap faster than Go's sync.Map on every Go sync benchmark at every thread "
                   f"count: {verdict(all(x > 1 for x in sync.values()))} (slower on: {bad or 'none'}; "
                   f"geometric mean {geomean(list(sync.values())):.2f}×).")
    threads = sorted({t for (w, n, t, i) in ns if w == "mixed_90_10" and t > 1})
    for t in threads:
        sh, tbb = ns.get(("mixed_90_10", 1 << 16, t, "gomap_sharded")), \
            ns.get(("mixed_90_10", 1 << 16, t, "tbb_concurrent_hash_map"))
        if sh and tbb:
            out.append(f"- ShardedMap at least as fast as TBB on mixed_90_10 at {t} threads: "
                       f"{verdict(sh <= tbb)} (ShardedMap {sh:.1f} ns, TBB {tbb:.1f} ns).")
    return out + [""]


def plot(outdir, name, rows, impls, base, title, key_of):
    """outdir/name.svg: per workload, each implementation's time divided by
    the baseline's, on a log2 axis: bars up = the baseline (gomap) is faster."""
    if not base or not shutil.which("gnuplot"):
        return
    rows = [r for r in rows if r["ns_per_op"] is not None]
    peers = [i for i in impls if i != base and any(r["impl"] == i for r in rows)]
    cell = {(key_of(r), r["impl"]): r["ns_per_op"] for r in rows}
    keys = []
    for r in rows:
        if key_of(r) not in keys and (key_of(r), base) in cell:
            keys.append(key_of(r))
    if not peers or not keys:
        return
    dat = os.path.join(outdir, name + ".dat")
    with open(dat, "w") as f:
        f.write("workload " + " ".join(f'"{SHORT[p]}"' for p in peers) + "\n")
        for k in keys:
            b = cell[(k, base)]
            vals = [f"{cell[(k, p)] / b:.4f}" if cell.get((k, p)) else "?" for p in peers]
            f.write(f'"{k}" ' + " ".join(vals) + "\n")
    gp = os.path.join(outdir, name + ".gp")
    width = min(2400, max(1000, 40 * len(keys) * max(1, len(peers)) // 3))
    with open(gp, "w") as f:
        f.write(f"""set terminal svg size {width},760 dynamic noenhanced font "sans,10"
set output "{os.path.join(outdir, name + '.svg')}"
set title "{title}: time of each implementation / time of {SHORT[base]} (log2 axis; bars up = {SHORT[base]} faster, bars down = {SHORT[base]} slower)"
set datafile missing "?"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set ylabel "ratio to {SHORT[base]}"
set ytics ("1/64" -6, "1/16" -4, "1/4" -2, "1/2" -1, "1" 0, "2" 1, "4" 2, "16" 4, "64" 6, "256" 8, "1024" 10, "4096" 12, "16384" 14)
set xtics rotate by -45 scale 0 font ",9"
set bmargin 14
set yrange [-7:15]
set grid ytics
set key outside top center horizontal
set arrow from graph 0, first 0 to graph 1, first 0 nohead lw 2 lc rgb "black"
plot for [c=2:{len(peers) + 1}] "{dat}" using (log(column(c))/log(2)):xtic(1) title columnheader(c)
""")
    subprocess.run(["gnuplot", gp], check=False)


if __name__ == "__main__":
    sys.exit(main())
