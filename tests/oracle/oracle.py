#!/usr/bin/env python3
"""gomap oracle: compare gomap's maps with Go's runtime map (docs/oracle.md).

    oracle.py compare TRACE GO_OUT CPP_OUT
        Check two replayers' outputs of one trace; exit 1 on a mismatch.
    oracle.py run --go GO_REPLAY [--go GO_REPLAY ...] --cpp CPP_REPLAY
                  [--engines map,...] [--keytypes ...] [--seeds ...] [--ops N]
                  [--workdir DIR]
        Generate the seeded traces, replay each on every Go replayer (one per
        Go toolchain; `GO_REPLAY -version` names it) and on every gomap engine
        (`CPP_REPLAY --engine NAME`), compare each engine with each Go; with
        --fuzz-corpus DIR also every map_ops fuzz input in DIR, converted by
        fuzz_to_trace.py.  On a mismatch, print the shortest failing prefix of
        the trace and a smaller failing trace (ops removed while it still
        fails), exit 1.  Two Go versions that disagree with each other are
        reported as such and do not fail the run.
    oracle.py check --go GO_REPLAY... --cpp CPP_REPLAY [--engines ...] TRACE...
        The same for traces that already exist.
    oracle.py minimize --go GO_REPLAY --cpp CPP_REPLAY [--engines E] TRACE
        Only the shrinking, for a trace that fails (first Go, first engine).

Outputs agree exactly where Go is exact (everything but the order in which a
mutating loop produces entries, and the order of NaN keys in fmt output, which
is Go's iteration order); a mutating loop (`miter`) is checked on each side
against Go's iteration invariants instead.
"""
import argparse
import math
import os
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fuzz_to_trace  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
STRICT_CLEAR = False  # --strict-clear: a loop produces nothing at all after a clear


class Mismatch(Exception):
    pass


# --- parsing ---------------------------------------------------------------
def split_trace(text):
    """(header line, [op lines]) of a trace; comments and blank lines dropped."""
    lines = [l for l in text.split("\n") if l.strip() and not l.startswith("#")]
    if not lines or lines[0].split()[:2] != ["gomap-trace", "1"]:
        raise SystemExit("oracle: not a gomap trace (header `gomap-trace 1 KEYTYPE`)")
    return lines[0], lines[1:]


def canon(keytype, tok):
    """Identity of a key token: floats by value (-0 == 0), NaN never equal."""
    if keytype != "float64":
        return tok
    if tok == "NaN":
        return None
    return float(tok.replace("Inf", "inf"))


def same_key(keytype, a, b):
    """Whether two key tokens denote the same stored key (sign of zero included)."""
    if keytype != "float64" or a == b:
        return a == b
    fa, fb = canon(keytype, a), canon(keytype, b)
    return fa == fb and math.copysign(1, fa) == math.copysign(1, fb)


def parse_entries(text):
    """'N k:v k:v ...' -> [(k, v)] (key tokens never contain ':' or ' ')."""
    f = text.split()
    n = int(f[0])
    es = [(e.rsplit(":", 1)[0], int(e.rsplit(":", 1)[1])) for e in f[1:]]
    if len(es) != n:
        raise Mismatch(f"entry count {n} but {len(es)} entries")
    return es


def fmt_canonical(keytype, line):
    """fmt output with the entries of NaN keys sorted among themselves, where
    they stand: Go prints them in iteration order (random), but in fmt's place
    for NaN (first), which stays compared."""
    if keytype != "float64" or not line.startswith("fmt map["):
        return line
    items = line[len("fmt map["):-1].split(" ") if line != "fmt map[]" else []
    at = [j for j, i in enumerate(items) if i.startswith("NaN:")]
    for j, i in zip(at, sorted(items[j] for j in at)):
        items[j] = i
    return "fmt map[" + " ".join(items) + "]"


# --- miter invariants ------------------------------------------------------
def check_miter(keytype, op, out):
    """Go's invariants for one mutating loop; returns #entries produced after a clear."""
    f = op.split()
    mode, stop, acts = f[2], int(f[4]), f[5:]
    parts = out[len("miter "):].split(" | ")
    if len(parts) != 3:
        raise Mismatch("malformed miter output")
    before, seen = parse_entries(parts[0]), parse_entries(parts[1])
    if stop > 0:
        mode = "keep"
    sched = []  # per step: [(kind, token, value)]
    touched = set()
    for step_tok in acts:
        step = []
        for a in step_tok.split("/"):
            p = a.split(",")
            if p[0] in ("d", "s"):
                touched.add(canon(keytype, p[1]))
                step.append((p[0], p[1], int(p[2]) if p[0] == "s" else 0))
            else:
                step.append((p[0], None, 0))
        sched.append(step)
    live, nans = {}, []  # canon -> [tok, val, id]; [val, id]
    ids = 0
    initial, untouched = set(), set()
    for k, v in before:
        ids += 1
        initial.add(ids)
        c = canon(keytype, k)
        if c is None:
            nans.append([v, ids])
        else:
            live[c] = [k, v, ids]
            if c not in touched:
                untouched.add(c)
    produced = set()
    after_clear = 0
    cleared = False
    for step, (k, v) in enumerate(seen, 1):
        where = f"step {step} produced {k}:{v}"
        c = canon(keytype, k)
        if c is None:
            e = next((e for e in nans if e[0] == v and e[1] not in produced), None)
            if e is None:
                raise Mismatch(f"{where}: no such NaN entry live and not yet produced")
            produced.add(e[1])
        else:
            e = live.get(c)
            if e is None:
                raise Mismatch(f"{where}: key not in the map at that point (removed or never there)")
            if e[2] in produced:
                raise Mismatch(f"{where}: entry produced twice")
            if not same_key(keytype, e[0], k) or e[1] != v:
                raise Mismatch(f"{where}: the map holds {e[0]}:{e[1]}")
            produced.add(e[2])
            if c in untouched and mode == "del":
                del live[c]
            elif c in untouched and mode == "upd":
                e[1] = v + 1
        if cleared:
            after_clear += 1
        for kind, tok, val in sched[step - 1] if step <= len(sched) else []:
            if kind == "c":
                live.clear()
                nans.clear()
                cleared = True
            elif kind == "d":
                live.pop(canon(keytype, tok), None)
            elif kind == "s":
                ck = canon(keytype, tok)
                ids += 1
                if ck is None:
                    nans.append([val, ids])
                elif ck in live:
                    live[ck][0], live[ck][1] = tok, val  # Go's needkeyupdate
                else:
                    live[ck] = [tok, val, ids]
    if stop > 0 and len(seen) > stop:
        raise Mismatch(f"loop told to stop after {stop} entries produced {len(seen)}")
    if stop == 0 or len(seen) < stop:
        missing = [f"{e[0]}:{e[1]}" for e in live.values() if e[2] in initial and e[2] not in produced]
        missing += [f"NaN:{e[0]}" for e in nans if e[1] in initial and e[1] not in produced]
        if missing:
            raise Mismatch("present throughout the loop but never produced: " + " ".join(missing[:10]))
    return after_clear


def compare(keytype, ops, go_lines, cpp_lines, stats=None):
    """Index of the first op whose results disagree and why, or None."""
    for i, op in enumerate(ops):
        if i >= len(go_lines) or i >= len(cpp_lines):
            return i, f"output ends early (go {len(go_lines)} lines, c++ {len(cpp_lines)} lines)"
        g, c = go_lines[i], cpp_lines[i]
        name = op.split()[0]
        try:
            if name == "miter":
                gp, cp = g.split(" | "), c.split(" | ")
                if len(gp) != 3 or len(cp) != 3:
                    raise Mismatch("malformed miter output")
                if gp[0] != cp[0]:
                    raise Mismatch("map contents before the loop differ")
                if gp[2] != cp[2]:
                    raise Mismatch("map contents after the loop differ")
                try:
                    check_miter(keytype, op, g)
                except Mismatch as e:
                    raise Mismatch(f"Go replayer breaks an invariant (oracle bug?): {e}")
                n = check_miter(keytype, op, c)
                if n and STRICT_CLEAR:
                    raise Mismatch(f"{n} entries produced after a clear in the loop (--strict-clear)")
                if stats is not None:
                    stats["miter_after_clear"] = stats.get("miter_after_clear", 0) + n
            elif fmt_canonical(keytype, g) != fmt_canonical(keytype, c):
                raise Mismatch("results differ")
        except Mismatch as e:
            return i, str(e)
    if len(go_lines) != len(ops) or len(cpp_lines) != len(ops):
        return len(ops) - 1, f"extra output lines (go {len(go_lines)}, c++ {len(cpp_lines)}, ops {len(ops)})"
    return None


# --- running ---------------------------------------------------------------
COVERAGE = {}  # sums of the C++ replayer's `coverage name=count` stderr lines


class Side:
    """One replayer: a Go build (`label` its Go version) or a gomap engine."""

    def __init__(self, label, cmd, is_go):
        self.label, self.cmd, self.is_go = label, cmd, is_go


def go_side(binary):
    p = subprocess.run([binary, "-version"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    version = p.stdout.decode().strip() if p.returncode == 0 else ""
    return Side(version or os.path.basename(binary), [binary], True)


def sides_of(a):
    """(Go sides, gomap engine sides) from --go (repeatable) and --cpp/--engines."""
    gos = [go_side(b) for b in a.go]
    labels = [g.label for g in gos]
    if len(set(labels)) != len(labels):
        raise SystemExit(f"oracle: two --go replayers report the same version: {labels}")
    engines = [e for e in a.engines.split(",") if e]
    cpps = [Side(e if len(engines) > 1 or e != "map" else "gomap", [a.cpp, "--engine", e], False)
            for e in engines]
    return gos, cpps


def replay(side, trace_path):
    env = dict(os.environ, GOMAP_ORACLE_COVERAGE="1")
    p = subprocess.run(side.cmd + [trace_path], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    for l in p.stderr.decode("utf-8", "replace").splitlines():
        if l.startswith("coverage "):
            for kv in l.split()[1:]:
                k, v = kv.split("=")
                COVERAGE[k] = max(COVERAGE.get(k, 0), int(v)) if k.startswith("max") else COVERAGE.get(k, 0) + int(v)
    lines = p.stdout.decode("utf-8", "surrogateescape").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if p.returncode != 0:
        err = p.stderr.decode("utf-8", "replace").strip().splitlines()
        lines.append(f"<exit status {p.returncode}: {' / '.join(err[:3])}>")
    return lines


def run_all(sides, trace_path):
    with ThreadPoolExecutor(len(sides)) as ex:
        fs = [ex.submit(replay, s, trace_path) for s in sides]
        return [f.result() for f in fs]


def run_pair(go, cpp, trace_path):
    return run_all([go, cpp], trace_path)


def check_text(go, cpp, header, ops, workdir):
    """Replay a trace given as ops; the first disagreement (index, why, go, c++) or None."""
    fd, path = tempfile.mkstemp(suffix=".trace", dir=workdir)
    with os.fdopen(fd, "w", encoding="utf-8", errors="surrogateescape") as f:
        f.write(header + "\n" + "\n".join(ops) + "\n")
    try:
        gl, cl = run_pair(go, cpp, path)
    finally:
        os.unlink(path)
    r = compare(header.split()[2], ops, gl, cl)
    if r is None:
        return None
    i, why = r
    return i, why, gl[i] if i < len(gl) else "<none>", cl[i] if i < len(cl) else "<none>"


def minimize(go, cpp, header, ops, first_bad, workdir, budget_s=90.0):
    """Shortest failing prefix, then ops removed (ddmin) while a mismatch remains."""
    prefix = ops[: first_bad + 1]
    result = None
    for _ in range(5):  # the loop invariants can depend on random iteration order
        result = check_text(go, cpp, header, prefix, workdir)
        if result:
            break
    print(f"  shortest failing prefix: {len(prefix)} ops" + ("" if result else
          " (did not fail again on replay: random iteration order; showing it anyway)"))
    if not result:
        return prefix, None
    cur = prefix
    deadline = time.time() + budget_s
    n = 2
    while len(cur) > 1 and time.time() < deadline:
        chunk = max(1, len(cur) // n)
        removed = False
        for start in range(0, len(cur), chunk):
            if time.time() >= deadline:
                break
            cand = cur[:start] + cur[start + chunk:]
            if not cand:
                continue
            r = check_text(go, cpp, header, cand, workdir)
            if r:
                cur, result, removed = cand[: r[0] + 1], r, True
                n = max(n - 1, 2)
                break
        if not removed:
            if chunk == 1:
                break
            n = min(len(cur), n * 2)
    return cur, result


def report_failure(go, cpp, trace_path, header, ops, i, why, gl, cl, workdir, budget_s):
    print(f"MISMATCH {cpp.label} vs {go.label} in {trace_path} at op {i + 1}: {ops[i]}")
    print(f"  why: {why}")
    print(f"  {go.label}: {gl[:400]}")
    print(f"  {cpp.label}: {cl[:400]}")
    small, result = minimize(go, cpp, header, ops, i, workdir, budget_s)
    out = trace_path + ".min"
    with open(out, "w", encoding="utf-8", errors="surrogateescape") as f:
        f.write(header + "\n" + "\n".join(small) + "\n")
    print(f"  smallest failing trace found ({len(small)} ops) written to {out}:")
    for l in small[-40:]:
        print("    " + l[:300])
    if result:
        print(f"  its last op: why: {result[1]}")
        print(f"  {go.label}: {result[2][:400]}")
        print(f"  {cpp.label}: {result[3][:400]}")


def check_traces(a, paths, counts, stats):
    """Replay existing traces on every side and compare every gomap engine with
    every Go; returns the number of (trace, engine, Go) pairs that failed.
    counts[(engine, go)][keytype] sums the ops compared; two Go versions that
    disagree are reported and listed in stats["go_divergences"], not failed."""
    failures = 0
    gos, cpps = a.sides
    for path in paths:
        with open(path, encoding="utf-8", errors="surrogateescape") as f:
            header, ops = split_trace(f.read())
        kt = header.split()[2]
        outs = run_all(gos + cpps, path)
        gouts, couts = outs[: len(gos)], outs[len(gos):]
        for g, o in zip(gos, gouts):  # entries each Go's loops produced after a clear in them
            per = stats.setdefault("go_after_clear", {})
            for op, line in zip(ops, o):
                if op.startswith("miter ") and line.startswith("miter "):
                    try:
                        per[g.label] = per.get(g.label, 0) + check_miter(kt, op, line)
                    except Mismatch:
                        pass  # reported by the comparison below
        for j in range(1, len(gos)):
            r = compare(kt, ops, gouts[0], gouts[j])
            if r is not None:
                i, why = r
                stats.setdefault("go_divergences", []).append(path)
                print(f"GO DIVERGENCE (Go against Go, not a gomap failure) {gos[0].label} vs "
                      f"{gos[j].label} in {path} at op {i + 1}: {ops[i]}")
                print(f"  why: {why}")
                for g, o in ((gos[0], gouts[0]), (gos[j], gouts[j])):
                    print(f"  {g.label}: {(o[i] if i < len(o) else '<none>')[:400]}")
        for cpp, cl in zip(cpps, couts):
            for go, gl in zip(gos, gouts):
                r = compare(kt, ops, gl, cl, stats if go is gos[0] else None)
                per = counts.setdefault((cpp.label, go.label), {})
                per[kt] = per.get(kt, 0) + len(ops)
                if r is None:
                    continue
                failures += 1
                i, why = r
                report_failure(go, cpp, path, header, ops, i, why,
                               gl[i] if i < len(gl) else "<none>",
                               cl[i] if i < len(cl) else "<none>", a.workdir, a.minimize_seconds)
                if failures >= a.max_failures:
                    return failures
    return failures


def summary(counts, stats):
    """One line per (engine, Go) pair with its op counts; the divergence line."""
    for (cpp, go), per in counts.items():
        print(f"oracle: {cpp} vs {go}: ops compared: " +
              ", ".join(f"{k} {v}" for k, v in per.items()) + f"; total {sum(per.values())}")
    div = stats.get("go_divergences", [])
    if div:
        print(f"oracle: the Go versions disagree with each other on {len(div)} trace(s) "
              "(printed above as GO DIVERGENCE; news about Go, not a gomap failure)")


def verdict(a, failures):
    gos, cpps = a.sides
    names = " and ".join(g.label for g in gos)
    if failures:
        print(f"oracle: {failures} comparison(s) FAILED")
        return 1
    print(f"oracle: {', '.join(c.label for c in cpps)} "
          f"{'agrees' if len(cpps) == 1 else 'agree'} with {names}")
    return 0


def cmd_check(a):
    os.makedirs(a.workdir, exist_ok=True)
    counts, stats = {}, {}
    failures = check_traces(a, a.traces, counts, stats)
    print(f"oracle: {len(a.traces)} traces")
    summary(counts, stats)
    return verdict(a, failures)


def cmd_run(a):
    os.makedirs(a.workdir, exist_ok=True)
    gen = os.path.join(HERE, "gen_trace.py")
    counts, failures, stats = {}, 0, {}
    t0 = time.time()
    for kt in a.keytypes.split(","):
        for seed in [int(s) for s in a.seeds.split(",")]:
            path = os.path.join(a.workdir, f"{kt}-{seed}.trace")
            subprocess.run([sys.executable, gen, "--keytype", kt, "--seed", str(seed),
                            "--ops", str(a.ops), "-o", path], check=True)
            failures += check_traces(a, [path], counts, stats)
            if failures >= a.max_failures:
                break
        if failures >= a.max_failures:
            break
    # The fuzzer's map_ops corpus, converted to traces (fuzz_to_trace.py).
    ncorpus = 0
    for d in a.fuzz_corpus or []:
        if failures >= a.max_failures or not os.path.isdir(d):
            continue
        outdir = os.path.join(a.workdir, "fuzz-" + os.path.basename(os.path.normpath(d)))
        os.makedirs(outdir, exist_ok=True)
        paths = []
        for name in sorted(os.listdir(d))[: a.fuzz_limit]:
            src = os.path.join(d, name)
            if not os.path.isfile(src):
                continue
            dst = os.path.join(outdir, name + ".trace")
            with open(src, "rb") as f:
                text = fuzz_to_trace.Converter(f.read()).run()
            with open(dst, "w") as f:
                f.write(text)
            paths.append(dst)
        ncorpus += len(paths)
        fuzz_counts = {}
        failures += check_traces(a, paths, fuzz_counts, stats)
        for pair, per in fuzz_counts.items():
            mine = counts.setdefault(pair, {})
            mine["fuzz-corpus"] = mine.get("fuzz-corpus", 0) + sum(per.values())
    if ncorpus:
        print(f"oracle: {ncorpus} fuzz corpus inputs converted and compared")
    summary(counts, stats)
    goc = stats.get("go_after_clear", {})
    print(f"oracle: entries produced after a clear inside a running loop: gomap "
          f"{stats.get('miter_after_clear', 0)}" + "".join(f", {g} {n}" for g, n in goc.items()) +
          f"; {time.time() - t0:.1f}s")
    if COVERAGE:
        print("oracle: gomap states reached: " + " ".join(f"{k}={v}" for k, v in COVERAGE.items()))
    return verdict(a, failures)


def main():
    ap = argparse.ArgumentParser(description="gomap oracle: differential testing against Go")
    sub = ap.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("compare")
    c.add_argument("trace")
    c.add_argument("go_out")
    c.add_argument("cpp_out")
    r = sub.add_parser("run")
    m = sub.add_parser("minimize")
    k = sub.add_parser("check")
    for p in (r, m, k):
        p.add_argument("--go", required=True, action="append",
                       help="Go replayer binary (repeatable: one per Go toolchain)")
        p.add_argument("--cpp", required=True, help="C++ replayer binary (gomap_oracle_replay)")
        p.add_argument("--engines", default="map,swiss",
                       help="gomap engines to test, comma-separated (gomap_oracle_replay "
                            "--list-engines)")
        p.add_argument("--workdir", default=tempfile.gettempdir() + "/gomap-oracle")
        p.add_argument("--minimize-seconds", type=float, default=90.0)
        p.add_argument("--strict-clear", action="store_true",
                       help="fail when a loop produces an entry inserted after a clear in it "
                            "(Go 1.21 may; docs/api.md says running loops produce nothing more)")
    r.add_argument("--keytypes", default="int64,string,float64")
    r.add_argument("--seeds", default="1,2,3")
    r.add_argument("--ops", type=int, default=10000, help="approximate ops per trace")
    r.add_argument("--max-failures", type=int, default=3)
    r.add_argument("--fuzz-corpus", action="append",
                   help="a directory of map_ops fuzz inputs to convert and compare (repeatable; "
                        "missing directories are skipped)")
    r.add_argument("--fuzz-limit", type=int, default=300,
                   help="at most this many inputs per corpus directory (sorted by name)")
    k.add_argument("--max-failures", type=int, default=3)
    k.add_argument("traces", nargs="+")
    m.add_argument("trace")
    a = ap.parse_args()
    global STRICT_CLEAR
    STRICT_CLEAR = getattr(a, "strict_clear", False)
    if a.cmd != "compare":
        a.sides = sides_of(a)
    if a.cmd == "run":
        return cmd_run(a)
    if a.cmd == "check":
        return cmd_check(a)
    if a.cmd == "compare":
        with open(a.trace, encoding="utf-8", errors="surrogateescape") as f:
            header, ops = split_trace(f.read())
        outs = []
        for p in (a.go_out, a.cpp_out):
            with open(p, encoding="utf-8", errors="surrogateescape") as f:
                outs.append(f.read().split("\n")[:-1])
        r = compare(header.split()[2], ops, outs[0], outs[1])
        if r is None:
            print(f"oracle: {len(ops)} ops agree")
            return 0
        i, why = r
        print(f"MISMATCH at op {i + 1}: {ops[i]}\n  why: {why}")
        return 1
    os.makedirs(a.workdir, exist_ok=True)
    with open(a.trace, encoding="utf-8", errors="surrogateescape") as f:
        header, ops = split_trace(f.read())
    go, cpp = a.sides[0][0], a.sides[1][0]
    r = check_text(go, cpp, header, ops, a.workdir)
    if r is None:
        print("oracle: the trace does not fail")
        return 0
    report_failure(go, cpp, a.trace, header, ops, r[0], r[1], r[2], r[3], a.workdir,
                   a.minimize_seconds)
    return 1


if __name__ == "__main__":
    sys.exit(main())
