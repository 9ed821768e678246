#!/usr/bin/env python3
"""Merges Google Benchmark JSON and `go test -bench` output into
results.json, results.md (ratios to gomap) and bench.svg, bench_wall.svg,
bench_concurrent.svg (gnuplot).

Usage: merge.py OUTDIR --gbench a.json [b.json ...] [--gbench-kept k.json ...]
           --go single.txt [sync.txt ...] [--go-new single.txt sync.txt ...]
           [--go-old-version go1.19.8] [--go-new-version go1.26.1]
           [--machine TEXT] [--flags TEXT] [--mode TEXT]

--go is Go 1.19's output (impls go_*), --go-new a Go >= 1.24's (its go_*
impls become gonew_*; xsync_map keeps its name), --gbench-kept the insert rows
run again with glibc keeping freed memory (impls become *_kept).

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

SINGLE_IMPLS = ["gomap", "gomap_nodetect", "gomap_swiss", "gomap_swiss_nodetect", "go_map", "gonew_map", "std_unordered_map",
                "absl_flat_hash_map", "boost_unordered_flat_map"]
CONC_IMPLS = ["gomap_syncmap", "gomap_hashtriemap", "gomap_sharded", "gomap_shared_mutex", "gomap_mutex",
              "go_sync_map", "go_rwmutex_map", "gonew_sync_map", "gonew_rwmutex_map", "xsync_map",
              "tbb_concurrent_hash_map", "libcuckoo"]
SHORT = {"gomap": "gomap", "gomap_nodetect": "gomap nodetect", "gomap_swiss": "SwissMap",
         "gomap_swiss_nodetect": "SwissMap nodetect", "go_map": "Go 1.19 map",
         "gonew_map": "Go new map",
         "std_unordered_map": "std::unordered_map", "absl_flat_hash_map": "absl flat",
         "boost_unordered_flat_map": "boost flat", "gomap_syncmap": "SyncMap", "gomap_hashtriemap": "HashTrieMap",
         "gomap_sharded": "ShardedMap", "gomap_shared_mutex": "Map+shared_mutex",
         "gomap_mutex": "Map+mutex", "go_sync_map": "Go 1.19 sync.Map",
         "go_rwmutex_map": "Go 1.19 RWMutexMap", "gonew_sync_map": "Go new sync.Map",
         "gonew_rwmutex_map": "Go new RWMutexMap", "xsync_map": "xsync v4 Map",
         "tbb_concurrent_hash_map": "TBB chm", "libcuckoo": "libcuckoo"}
GO_OLD, GO_NEW = "Go 1.19", "Go new"  # set from --go-*-version
MEMORY = {"bytes_per_entry", "conc_bytes_per_entry"}
TIME_METRICS = {"ns_per_op", "wall_ns_per_op"}
# Rows printed for context, left out of every target: NewSmallMapEscapes is Go's
# NewSmallMap with the map escaping to the heap, beside the row Go's escape analysis
# keeps on the stack (docs/bench.md).
CONTEXT = {"NewSmallMapEscapes"}
METRICS = ("ns_per_op", "wall_ns_per_op", "faults_per_op", "bytes_per_entry")
# Table order: the core table's (docs/bench.md), then Go's benchmark files' (unknown names last).
ORDER = ["insert", "insert_hint", "lookup_hit", "lookup_miss", "iterate", "churn",
         "str16_lookup_hit", "str64_lookup_hit", "mixed_80_10_10", "clear_reuse",
         "bytes_per_entry", "MegMap", "MegOneMap", "MegEqMap", "MegEmptyMap", "SmallStrMap",
         "MapStringKeysEight_16", "MapStringKeysEight_32", "MapStringKeysEight_64",
         "MapStringKeysEight_1M", "SameLengthMap", "BigKeyMap", "BigValMap", "SmallKeyMap",
         "NewEmptyMap", "NewSmallMap", "NewSmallMapEscapes", "MapIter", "MapIterEmpty", "str16_insert",
         "LoadMostlyHits", "LoadMostlyMisses", "LoadOrStoreBalanced", "LoadOrStoreUnique",
         "LoadOrStoreCollision", "LoadAndDeleteBalanced", "LoadAndDeleteUnique",
         "LoadAndDeleteCollision", "DeleteCollision", "Range", "AdversarialAlloc",
         "AdversarialDelete", "SwapCollision", "SwapMostlyHits", "SwapMostlyMisses",
         "CompareAndSwapCollision", "CompareAndSwapNoExistingKey", "CompareAndSwapValueNotEqual",
         "CompareAndSwapMostlyHits", "CompareAndSwapMostlyMisses", "CompareAndDeleteCollision",
         "CompareAndDeleteMostlyHits", "CompareAndDeleteMostlyMisses", "mixed_50_50",
         "mixed_90_10", "mixed_99_1", "mixed_90_10_zipf", "conc_bytes_per_entry"]


# The workloads of docs/bench.md's single-threaded table (the rest are Go's ports).
TABLE = set(ORDER[:ORDER.index("bytes_per_entry")])


def sort_rows(rows):
    """Rows in table order: workload (ORDER), then n, then threads."""
    rank = {w: i for i, w in enumerate(ORDER)}
    return sorted(rows, key=lambda r: (rank.get(r["workload"], len(ORDER)), r["workload"], r["n"],
                                       r["threads"]))


def new_row(workload, impl, threads, n):
    return {"workload": workload, "impl": impl, "threads": threads, "n": n,
            **{m: None for m in METRICS}}


def source_of(path):
    """The run a result file holds, as tools/bench/run labels it: go_sync.2.txt -> go_sync.2."""
    return os.path.splitext(os.path.basename(path))[0]


def host_spells(path):
    """{run label: the slowest core-to-core round trip (ns) measured around it}, from
    tools/bench/run's roundtrip.txt (gomap_core_roundtrip before and after each run)."""
    spells = {}
    if not path or not os.path.exists(path):
        return spells
    with open(path) as f:
        for line in f:
            toks = line.split()
            if len(toks) == 2:
                spells[toks[0]] = max(spells.get(toks[0], 0.0), float(toks[1]))
    return spells


def set_aside_slow_spells(rows, spells):
    """Drops the rounds of a concurrent cell that ran while the host's round trip was above
    twice the fastest measured, if the cell has rounds from a fast spell; returns the rows
    and a paragraph saying what was set aside (core_roundtrip.cpp says why)."""
    if not spells:
        return rows, []
    fastest = min(spells.values())
    slow = {k for k, v in spells.items() if v > 2 * fastest}
    groups = {}
    for r in rows:
        if r["impl"] in CONC_IMPLS and r["workload"] not in MEMORY:
            groups.setdefault((r["workload"], r["impl"], r["n"], r["threads"]), []).append(r)
    dropped = set()
    all_slow = 0
    for rs in groups.values():
        fast = [r for r in rs if r["source"] not in slow]
        if not fast:
            all_slow += 1
        elif len(fast) < len(rs):
            dropped.update(id(r) for r in rs if r["source"] in slow)
    note = [f"Host: the core-to-core round trip (`gomap_core_roundtrip`, two threads bouncing "
            f"one cache line) measured before and after each concurrent run was "
            f"{fastest:.0f}–{max(spells.values()):.0f} ns."]
    if slow:
        note.append(f"Runs made in a slow spell (above twice the fastest), set aside wherever the "
                    f"cell has rounds from fast spells: {', '.join(sorted(slow))}; cells with no "
                    f"fast round (all of their rounds kept): {all_slow}.")
    else:
        note.append("No run was made in a slow spell (above twice the fastest).")
    return [r for r in rows if id(r) not in dropped], [" ".join(note), ""]


def parse_gbench(path, suffix=""):
    """Rows of one Google Benchmark JSON file.  ns_per_op is the thread's CPU
    time per item (real time for the concurrent benchmarks, which use it);
    wall_ns_per_op the elapsed time per item; faults_per_op when counted."""
    with open(path) as f:
        text = f.read()
    if not text.strip():
        return []  # a --filter that matched nothing in this program
    data = json.loads(text)
    rows = []
    for b in data.get("benchmarks", []):
        if b.get("run_type", "iteration") != "iteration" or b.get("error_occurred"):
            continue
        parts = b["name"].split("/")
        if len(parts) < 3:
            continue
        workload, impl, n = parts[0], parts[1] + suffix, int(parts[2])
        row = new_row(workload, impl, int(b.get("threads", 1)), n)
        row["source"] = source_of(path)
        if workload in MEMORY:
            row["bytes_per_entry"] = b.get("bytes_per_entry")
        elif b.get("items_per_second"):
            row["ns_per_op"] = 1e9 / b["items_per_second"]
            if "real_time" in parts:
                row["wall_ns_per_op"] = row["ns_per_op"]
            elif b.get("cpu_time"):
                row["wall_ns_per_op"] = row["ns_per_op"] * b["real_time"] / b["cpu_time"]
            row["faults_per_op"] = b.get("flt_per_op")
        rows.append(row)
    return rows


GO_LINE = re.compile(r"^Benchmark\w+/(\S+?)(?:-(\d+))?\s+(\d+)\s+(.*)$")


def parse_go(path, new=False):
    """Rows of one `go test -bench` output.  Single-threaded benchmarks report
    cpu-ns/op (process CPU time), wall-ns/op and flt/op; the concurrent ones
    ns/op, which is wall time.  new: a Go >= 1.24 run (go_* impls -> gonew_*)."""
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
            if new and impl.startswith("go_"):
                impl = "gonew_" + impl[len("go_"):]
            metrics = {}
            toks = m.group(4).split()
            for v, unit in zip(toks[0::2], toks[1::2]):
                try:
                    metrics[unit] = float(v)
                except ValueError:
                    pass
            row = new_row(workload, impl, int(m.group(2) or 1), n)
            row["source"] = source_of(path)
            if workload in MEMORY:
                row["bytes_per_entry"] = metrics.get("B/entry")
            else:
                row["ns_per_op"] = metrics.get("cpu-ns/op", metrics.get("ns/elem", metrics.get("ns/op")))
                row["wall_ns_per_op"] = metrics.get("wall-ns/op", None if "cpu-ns/op" in metrics
                                                    else row["ns_per_op"])
                row["faults_per_op"] = metrics.get("flt/op")
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
        for metric in METRICS:
            xs = [r[metric] for r in rs if r[metric] is not None]
            row[metric] = statistics.median(xs) if xs else None
            if metric in TIME_METRICS and len(xs) >= 2 and row[metric]:
                # run-to-run noise of this cell: spread of its rounds / median
                row[metric.replace("ns_per_op", "spread")] = (max(xs) - min(xs)) / row[metric]
        row["rounds"] = len(rs)
        row.pop("source", None)
        out.append(row)
    return out


def noise(rows, metric="ns_per_op", clock=None):
    """One line: how far a cell's rounds spread around its median, over these rows."""
    key = metric.replace("ns_per_op", "spread")
    xs = sorted(r[key] for r in rows if r.get(key) is not None)
    if not xs:
        return "Run-to-run noise: one round only, not measured.\n"
    p90 = xs[min(len(xs) - 1, int(0.9 * len(xs)))]
    clock = clock or ("wall" if "wall" in metric else "CPU")
    return (f"Run-to-run noise of this table ({clock} time): the "
            f"rounds of a cell span a median {100 * statistics.median(xs):.0f}% of the cell's value "
            f"(90th percentile {100 * p90:.0f}%, {len(xs)} cells); ratios closer to 1 than that "
            f"are not a difference.\n")


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
            s = fmt_ns(v) if metric in TIME_METRICS else ("–" if v is None else f"{v:.1f}")
            if v is not None and b and i != base:
                if k.split(" ")[0] not in CONTEXT:
                    ratios[i].append(v / b)
                if core and core(k):
                    core_ratios[i].append(v / b)
                s += f" ({v / b:.2f}×)"
            line.append(s)
        out.append(f"| {k} | " + " | ".join(line) + " |")
    if metric in TIME_METRICS:
        gm = []
        for i in present:
            g = geomean(ratios[i]) if i != base else None
            gm.append("**baseline**" if i == base and base in present else
                      ("–" if g is None else f"**{g:.2f}×**"))
        out.append("| geometric mean of ratios (context rows left out) | " + " | ".join(gm) + " |")
        if core:
            gm = []
            for i in present:
                g = geomean(core_ratios[i]) if i != base else None
                gm.append("**baseline**" if i == base else ("–" if g is None else f"**{g:.2f}×**"))
            out.append("| geometric mean, core table only | " + " | ".join(gm) + " |")
    return "\n".join(out) + "\n", ratios


def ver(v):
    """go1.26.1 -> Go 1.26"""
    m = re.match(r"go(\d+)\.(\d+)", v or "")
    return f"Go {m.group(1)}.{m.group(2)}" if m else None


def cells(rows, metric):
    return {(r["workload"], r["n"], r["threads"], r["impl"]): r[metric] for r in rows
            if r.get(metric) is not None}


def disagreements(rows):
    """Single-threaded rows where CPU time and wall time disagree on who is
    faster, gomap against each Go: [(workload, n, go impl, cpu ratio, wall ratio)]."""
    cpu, wall = cells(rows, "ns_per_op"), cells(rows, "wall_ns_per_op")
    out = []
    for (w, n, t, i), v in sorted(cpu.items()):
        if t != 1 or i not in ("go_map", "gonew_map") or w in MEMORY:
            continue
        g = (w, n, 1, "gomap")
        if g not in cpu or g not in wall or (w, n, 1, i) not in wall:
            continue
        rc, rw = v / cpu[g], wall[(w, n, 1, i)] / wall[g]
        if (rc > 1) != (rw > 1):
            out.append((w, n, i, rc, rw))
    return out


def allocator_table(rows):
    """The insert rows as measured (fresh arrays from mmap every round) and with
    glibc keeping freed memory (*_kept): time, wall time, page faults per op."""
    cpu, wall, flt = cells(rows, "ns_per_op"), cells(rows, "wall_ns_per_op"), \
        cells(rows, "faults_per_op")
    impls = ["gomap", "std_unordered_map", "absl_flat_hash_map", "boost_unordered_flat_map",
             "go_map", "gonew_map"]
    lines = ["| workload | impl | CPU ns | wall ns | faults/op | kept: CPU ns | kept: wall ns "
             "| kept: faults/op |", "| --- | --- |" + " ---: |" * 6]
    any_row = False
    for w in ("insert", "insert_hint"):
        for n in sorted({k[1] for k in cpu if k[0] == w}):
            for i in impls:
                k, kk = (w, n, 1, i), (w, n, 1, i + "_kept")
                if k not in cpu:
                    continue
                any_row = True
                f = lambda d, key, fn: fn(d[key]) if key in d else "–"
                kept = ([f(cpu, kk, fmt_ns), f(wall, kk, fmt_ns), f(flt, kk, lambda x: f"{x:.4f}")]
                        if i not in ("go_map", "gonew_map") else ["(Go's heap keeps its pages)", "", ""])
                lines.append(f"| {w} ({n}) | {SHORT.get(i, i)} | {fmt_ns(cpu[k])} | "
                             f"{f(wall, k, fmt_ns)} | {f(flt, k, lambda x: f'{x:.4f}')} | " +
                             " | ".join(kept) + " |")
    return ("\n".join(lines) + "\n") if any_row else ""


def main():
    global GO_OLD, GO_NEW
    ap = argparse.ArgumentParser()
    ap.add_argument("outdir")
    ap.add_argument("--gbench", nargs="*", default=[])
    ap.add_argument("--gbench-kept", nargs="*", default=[])
    ap.add_argument("--go", nargs="*", default=[])
    ap.add_argument("--go-new", nargs="*", default=[])
    ap.add_argument("--go-old-version", default="")
    ap.add_argument("--go-new-version", default="")
    ap.add_argument("--machine", default="")
    ap.add_argument("--flags", default="")
    ap.add_argument("--mode", default="")
    ap.add_argument("--roundtrip", default="")
    a = ap.parse_args()
    GO_OLD = ver(a.go_old_version) or GO_OLD
    GO_NEW = ver(a.go_new_version) or GO_NEW
    for i, name in (("go_map", "map"), ("go_sync_map", "sync.Map"), ("go_rwmutex_map", "RWMutexMap")):
        SHORT[i] = f"{GO_OLD} {name}"
        SHORT["gonew_" + i[3:]] = f"{GO_NEW} {name}"

    rows = []
    for p in a.gbench:
        if os.path.exists(p):
            rows += parse_gbench(p)
    for p in a.gbench_kept:
        if os.path.exists(p):
            rows += parse_gbench(p, suffix="_kept")
    for p in a.go:
        if os.path.exists(p):
            rows += parse_go(p)
    for p in a.go_new:
        if os.path.exists(p):
            rows += parse_go(p, new=True)
    rows, host_note = set_aside_slow_spells(rows, host_spells(a.roundtrip))
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
           "**> 1 means gomap is faster**.  Memory rows: bytes per entry, ratio = peer / gomap.",
           f"`{GO_OLD}` columns are the Go gomap ports; `{GO_NEW}` columns today's Go (Swiss-table",
           "map, hash-trie sync.Map); `xsync v4 Map` is github.com/puzpuzpuz/xsync/v4, built with "
           f"{GO_NEW}.", ""]

    md += ["## Single-threaded, CPU time (`Map`, baseline `gomap` with detection on)", "",
           "CPU time: the C++ benchmark thread's; the Go process's (GOMAXPROCS=1, so its garbage",
           "collector's work is included).  The cost question: how much machine each side uses.", ""]
    if not have_gomap:
        md += ["(gomap rows missing: <gomap/map.hpp> was not built; no ratios.)", ""]
    wl_key = lambda r: f"{r['workload']} ({r['n']})"
    timed = [r for r in single if r["workload"] not in MEMORY]
    t, single_ratios = table(timed, SINGLE_IMPLS, "gomap", wl_key,
                             core=lambda k: k.split(" ")[0] in TABLE)
    md += [t, noise(timed)]
    md += ["## Single-threaded, wall time", "",
           "Elapsed time per operation: what a caller waiting for the result sees.  Go's",
           "garbage collector runs on another core meanwhile, so Go's wall time can be below its",
           "CPU time; page faults and the kernel count in both.", ""]
    t, _ = table(timed, SINGLE_IMPLS, "gomap", wl_key, metric="wall_ns_per_op",
                 core=lambda k: k.split(" ")[0] in TABLE)
    md += [t, noise(timed, "wall_ns_per_op")]
    dis = disagreements(rows)
    md += ["### Where CPU time and wall time disagree", ""]
    if dis:
        md += ["| workload | against | CPU ratio | wall ratio |", "| --- | --- | ---: | ---: |"]
        md += [f"| {w} ({n}) | {SHORT[i]} | {rc:.2f}× | {rw:.2f}× |" for w, n, i, rc, rw in dis]
        md += ["", "(ratio = Go / gomap: > 1 means gomap is faster.)", ""]
    else:
        md += ["None: on every single-threaded row both clocks name the same winner.", ""]
    at = allocator_table(rows)
    if at:
        md += ["### What the allocator costs: the insert rows with memory kept", "",
               "As measured, each round builds a fresh map whose large arrays glibc takes from",
               "`mmap` and returns on destruction, so every round faults its pages in again (minor",
               "page faults per inserted key: `faults/op`).  `kept`: the same C++ binary with",
               "`GLIBC_TUNABLES=glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=4294967296:"
               "glibc.malloc.top_pad=268435456`",
               "(no `mmap` up to 32 MiB, no trimming, the heap grown 256 MiB at a time so that it",
               "also serves the larger arrays), so freed arrays stay in the heap for the next round,",
               "as Go's heap keeps its pages: the map's cost apart from the allocator's.", "", at]
    tm, _ = table([r for r in single if r["workload"] in MEMORY], SINGLE_IMPLS, "gomap", wl_key,
                  metric="bytes_per_entry", title_col="memory")
    md += [tm]

    conc_base = next((b for b in ["gomap_syncmap", "gomap_shared_mutex"]
                      if any(r["impl"] == b for r in conc)), None)
    ck = lambda r: f"{r['workload']} ({r['n']}), {r['threads']}T"
    go_sync = [r for r in conc if not r["workload"].startswith("mixed") and r["workload"] not in MEMORY]
    if go_sync:
        md += [f"## Concurrent: Go's sync/map_bench_test.go (baseline `{conc_base}`), wall time", ""]
        md += host_note
        t, _ = table(go_sync, CONC_IMPLS, conc_base, ck)
        md += [t, noise(go_sync, clock="wall")]
    mixed_base = next((b for b in ["gomap_sharded", "gomap_shared_mutex"]
                       if any(r["impl"] == b for r in conc)), None)
    mixed = [r for r in conc if r["workload"].startswith("mixed")]
    if mixed:
        md += [f"## Concurrent: mixed reads/stores over 2^16 keys (baseline `{mixed_base}`), wall time",
               "", "The measured version of the tutorials' table: mutex map, RWMutex map,",
               "sync.Map, sharded map at 50%, 90%, 99% reads (uniform) and 90% Zipf(0.99).", ""]
        t, _ = table(mixed, CONC_IMPLS, mixed_base, ck)
        md += [t, noise(mixed, clock="wall")]
    conc_mem = [r for r in conc if r["workload"] in MEMORY]
    if conc_mem:  # also in a run filtered down to the memory rows
        if not mixed:
            md += ["## Concurrent maps: memory", ""]
        tm, _ = table(conc_mem, CONC_IMPLS, mixed_base, lambda r: f"{r['workload']} ({r['n']})",
                      metric="bytes_per_entry", title_col="memory")
        md += [tm, "(TBB allocates through its scalable allocator, which the counter cannot see.)", ""]

    md += targets(rows)
    with open(os.path.join(a.outdir, "results.md"), "w") as f:
        f.write("\n".join(md))

    plot(a.outdir, "bench", timed, SINGLE_IMPLS, "gomap" if have_gomap else None,
         "Single-threaded, CPU time", lambda r: f"{r['workload']} {r['n']}")
    plot(a.outdir, "bench_wall", timed, SINGLE_IMPLS, "gomap" if have_gomap else None,
         "Single-threaded, wall time", lambda r: f"{r['workload']} {r['n']}",
         metric="wall_ns_per_op")
    plot(a.outdir, "bench_concurrent", [r for r in conc if r["workload"] not in MEMORY],
         CONC_IMPLS, conc_base, "Concurrent, wall time",
         lambda r: f"{r['workload']} {r['threads']}T")


def targets(rows):
    """The README's targets, checked against this run's numbers: every target
    that names Go once against each Go version (and xsync), by CPU and by wall time."""
    cpu, wall = cells(rows, "ns_per_op"), cells(rows, "wall_ns_per_op")
    mem = {(r["workload"], r["impl"]): r["bytes_per_entry"] for r in rows
           if r["bytes_per_entry"] is not None}
    if not any(k[3] == "gomap" for k in cpu):
        return []
    out = ["## The targets in this run", "",
           "Every target, against each Go where it names Go (met / **missed**; ratio = peer /",
           "gomap, > 1 means gomap is faster).  Single-threaded targets are stated by CPU time",
           "(the tables' clock) and by wall time; the concurrent ones are wall time on both sides.",
           "", "| target | clock | " + " | ".join(
               [f"vs {GO_OLD}", f"vs {GO_NEW}", "vs xsync v4"]) + " |",
           "| --- | --- | --- | --- | --- |"]

    def verdict(ok):
        return "met" if ok else "**missed**"

    def vs(ns, peer, base="gomap"):
        return {(w, n): v / ns[(w, n, 1, base)] for (w, n, t, i), v in ns.items()
                if i == peer and t == 1 and (w, n, 1, base) in ns and w not in MEMORY | CONTEXT}

    def losers(r, fmt=lambda k: f"{k[0]} {k[1]}"):
        bad = sorted(((k, x) for k, x in r.items() if x < 1), key=lambda kx: kx[1])
        return ", ".join(f"{fmt(k)} ({x:.2f}×)" for k, x in bad) or "none"

    for clock, ns in (("CPU", cpu), ("wall", wall)):
        every, mean = [], []
        for peer in ("go_map", "gonew_map"):
            go = vs(ns, peer)
            if not go:
                every.append("–")
                mean.append("–")
                continue
            g = geomean(list(go.values()))
            every.append(f"{verdict(all(x > 1 for x in go.values()))}; slower on: {losers(go)}")
            core = geomean([x for (w, n), x in go.items() if w in TABLE])
            mean.append(f"{verdict(g >= 1.5)}: {g:.2f}× over {len(go)} workloads (table only: "
                        + ("none in this run" if core is None else f"{core:.2f}×") + ")")
        out.append(f"| `Map` faster than Go's map on every single-threaded workload | {clock} | "
                   + " | ".join(every) + " | n/a |")
        out.append(f"| `Map` at least 1.5× faster than Go's map in geometric mean | {clock} | "
                   + " | ".join(mean) + " | n/a |")
    cols = []
    for peer in ("go_sync_map", "gonew_sync_map", "xsync_map"):
        sync = {}
        for (w, n, t, i), v in cpu.items():
            # Go's sync benchmarks only: the mixed_* rows are the tutorials' table.
            if i == peer and not w.startswith("mixed") and (w, n, t, "gomap_syncmap") in cpu:
                sync[(w, t)] = v / cpu[(w, n, t, "gomap_syncmap")]
        if not sync:
            cols.append("–")
            continue
        cols.append(f"{verdict(all(x > 1 for x in sync.values()))} ({len(sync)} rows; slower on: "
                    f"{losers(sync, lambda k: f'{k[0]} {k[1]}T')}; geometric mean "
                    f"{geomean(list(sync.values())):.2f}×)")
    out.append("| `SyncMap` faster than `sync.Map` (and than xsync) on every Go sync benchmark at "
               "every thread count "
               "| wall | " + " | ".join(cols) + " |")
    out += ["", "The targets that do not name Go:", ""]
    st = vs(cpu, "std_unordered_map")
    if st:
        big = {k: x for k, x in st.items() if k[0] in TABLE and k[1] >= 1 << 16}
        g = geomean(list(st.values()))
        out.append(f"- Faster than std::unordered_map in geometric mean (CPU): {verdict(g > 1)} "
                   f"({g:.2f}×); on every table workload at 2^16 keys or more: "
                   f"{verdict(all(x > 1 for x in big.values()))} (slower on: {losers(big)}).")
        gm, sm = mem.get(("bytes_per_entry", "gomap")), mem.get(("bytes_per_entry", "std_unordered_map"))
        if gm and sm:
            out.append(f"- No more memory per entry than std::unordered_map: {verdict(gm <= sm)} "
                       f"(gomap {gm:.1f} B, std {sm:.1f} B).")
    parts, ok = [], True
    for w in ("lookup_hit", "lookup_miss"):
        for n in (1 << 10, 1 << 20):
            best = min((cpu[(w, n, 1, p)] for p in ("absl_flat_hash_map", "boost_unordered_flat_map")
                        if (w, n, 1, p) in cpu), default=None)
            gv = cpu.get((w, n, 1, "gomap"))
            if best and gv:
                ok &= gv <= 1.5 * best
                parts.append(f"{w} {n}: {gv / best:.2f}× the best")
    if parts:
        out.append(f"- Within 1.5× of the better of absl and boost on lookups (CPU): {verdict(ok)} "
                   f"({'; '.join(parts)}).")
    nd = vs(cpu, "gomap_nodetect")
    if nd:
        g = geomean(list(nd.values()))
        out.append(f"- Detection costs at most 3% (geometric mean of nodetect/gomap ≥ 0.97, CPU): "
                   f"{verdict(g >= 0.97)} ({g:.3f}; detection costs {(1 / g - 1) * 100:+.1f}%).")
    out += swiss_targets(cpu, mem, vs, losers, verdict)
    out += trie_targets(cpu, losers, verdict)
    threads = sorted({t for (w, n, t, i) in cpu if w == "mixed_90_10" and t > 1})
    for t in threads:
        sh, tbb = cpu.get(("mixed_90_10", 1 << 16, t, "gomap_sharded")), \
            cpu.get(("mixed_90_10", 1 << 16, t, "tbb_concurrent_hash_map"))
        if sh and tbb:
            out.append(f"- ShardedMap at least as fast as TBB on mixed_90_10 at {t} threads (wall): "
                       f"{verdict(sh <= tbb)} (ShardedMap {sh:.1f} ns, TBB {tbb:.1f} ns).")
    return out + [""]


def swiss_targets(cpu, mem, vs, losers, verdict):
    """SwissMap's targets (Go 1.26's map, the best C++ flat maps), by CPU time."""
    if not any(k[3] == "gomap_swiss" for k in cpu):
        return []
    out = []
    go = {k: x for k, x in vs(cpu, "gonew_map", "gomap_swiss").items()}
    if go:
        out.append(f"- `SwissMap` faster than {GO_NEW}'s map on every single-threaded workload (CPU): "
                   f"{verdict(all(x > 1 for x in go.values()))} (geometric mean "
                   f"{geomean(list(go.values())):.2f}× over {len(go)}; slower on: {losers(go)}).")
    parts, ok = [], True
    for w in ("lookup_hit", "lookup_miss", "insert"):
        for n in (1 << 10, 1 << 20):
            best = min((cpu[(w, n, 1, p)] for p in ("absl_flat_hash_map", "boost_unordered_flat_map")
                        if (w, n, 1, p) in cpu), default=None)
            sv = cpu.get((w, n, 1, "gomap_swiss"))
            if best and sv:
                ok &= sv <= 1.25 * best
                parts.append(f"{w} {n}: {sv / best:.2f}×")
    if parts:
        out.append(f"- `SwissMap` within 1.25× of the better of absl and boost (CPU): {verdict(ok)} "
                   f"({'; '.join(parts)}).")
    it = [(n, cpu[("iterate", n, 1, "gomap_swiss")] / cpu[("iterate", n, 1, "boost_unordered_flat_map")])
          for (w, n, t, i) in cpu if w == "iterate" and i == "gomap_swiss" and t == 1
          and ("iterate", n, 1, "boost_unordered_flat_map") in cpu]
    if it:
        out.append(f"- `SwissMap` iterate per element no slower than boost: "
                   f"{verdict(all(x <= 1 for n, x in it))} ("
                   + "; ".join(f"{n}: {x:.2f}× boost's time" for n, x in sorted(it)) + ").")
    sm, gm = mem.get(("bytes_per_entry", "gomap_swiss")), mem.get(("bytes_per_entry", "gonew_map"))
    if sm and gm:
        out.append(f"- `SwissMap` bytes per entry no more than {GO_NEW}'s: {verdict(sm <= gm)} "
                   f"(SwissMap {sm:.1f} B, {GO_NEW} {gm:.1f} B).")
    nd = vs(cpu, "gomap_swiss_nodetect", "gomap_swiss")
    if nd:
        g = geomean(list(nd.values()))
        out.append(f"- `SwissMap` detection costs at most 3% (CPU): {verdict(g >= 0.97)} "
                   f"({g:.3f}; detection costs {(1 / g - 1) * 100:+.1f}%).")
    return out


def trie_targets(ns, losers, verdict):
    """HashTrieMap's targets over Go's sync benchmarks (the mixed_* rows are not Go's),
    wall time as the concurrent tables: faster than Go 1.26's sync.Map on every row at
    1 and 2 threads; against xsync v4 a geometric mean of at least 1 and no row below 0.5."""
    def ratios(peer):
        return {(w, t): v / ns[(w, n, t, "gomap_hashtriemap")]
                for (w, n, t, i), v in ns.items()
                if i == peer and t in (1, 2) and not w.startswith("mixed")
                and (w, n, t, "gomap_hashtriemap") in ns}
    out = []
    fmt = lambda k: f"{k[0]} {k[1]}T"  # noqa: E731
    go = ratios("gonew_sync_map")
    if go:
        out.append(f"- `HashTrieMap` faster than {GO_NEW}'s sync.Map on every Go sync benchmark "
                   f"at 1 and 2 threads (wall): {verdict(all(x > 1 for x in go.values()))} "
                   f"({len(go)} rows; geometric mean {geomean(list(go.values())):.2f}×; slower on: "
                   f"{losers(go, fmt)}).")
    xs = ratios("xsync_map")
    if xs:
        g, low = geomean(list(xs.values())), min(xs.values())
        out.append(f"- `HashTrieMap` at least xsync v4's geometric mean, no row below 0.5× (wall): "
                   f"{verdict(g >= 1 and low >= 0.5)} ({len(xs)} rows; geometric mean {g:.2f}×, "
                   f"lowest {low:.2f}×; slower on: {losers(xs, fmt)}).")
    return out


def plot(outdir, name, rows, impls, base, title, key_of, metric="ns_per_op"):
    """outdir/name.svg: per workload, each implementation's time divided by
    the baseline's, on a log2 axis: bars up = the baseline (gomap) is faster."""
    if not base or not shutil.which("gnuplot"):
        return
    rows = [r for r in rows if r[metric] is not None]
    peers = [i for i in impls if i != base and any(r["impl"] == i for r in rows)]
    cell = {(key_of(r), r["impl"]): r[metric] for r in rows}
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
