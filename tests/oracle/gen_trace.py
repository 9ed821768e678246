#!/usr/bin/env python3
"""Seeded generator of gomap oracle traces (format: docs/oracle.md).

    gen_trace.py --keytype int64|string|float64 --seed N --ops N [-o FILE]

The same arguments always give the same trace (Python's random.Random, seeded).
A trace is a sequence of phases that push one map at a time through Go's
interesting states: growth from small to thousands of entries (and iteration
started while the map is still evacuating), churn at a constant size (deletes
plus inserts, which fill overflow buckets until Go does a same-size grow),
clear and refill, overwrites (including -0 over +0), lookups of present,
deleted and never-present keys, NaN keys, nil maps (reads, writes that panic),
handle aliasing, clone/copy/equal/delete_func, fmt printing, and loops that
delete, insert, assign and clear while they run.

Trace format, in short (docs/oracle.md has it all): a header line
`gomap-trace 1 int64|string|float64`, then one operation per line on map slots
0-3 (all nil at first; values are int64):
    make S HINT | nil S | lit S K V... | alias D S | swap A B | clone D S |
    copy D S | isnil S | set S K V | add S K D | get S K | lookup S K | has S K |
    erase S K | clear S | len S | reserve S N | iter S | keys S | values S |
    fmt S | equal A B | delfunc S R | miter S keep|del|upd for|fn STOP STEP...
Keys: int64 decimal; string `x` + hex bytes; float64 NaN, +Inf, -Inf or an
exact decimal.  A miter STEP is `-`, `c`, `d,K`, `s,K,V`, or several joined
by `/`.  `#` lines are comments.

The generator keeps a model of the maps only to choose keys (existing ones,
deleted ones, fresh ones) and sizes; it never predicts results: the Go replayer
is the reference.
"""
import argparse
import math
import random
import struct
import sys

NSLOTS = 4
INT64_MIN, INT64_MAX = -(1 << 63), (1 << 63) - 1
# Map sizes whose insert starts a doubling in Go (made without a hint).
GROW_AT = [9] + [13 * (1 << b) // 2 + 1 for b in range(1, 12)]


class Keys:
    """Key universe of one key type: fresh keys, special keys, trace tokens."""

    def __init__(self, keytype, rng):
        self.keytype, self.rng, self.n = keytype, rng, 0
        self.used = set()

    def canon(self, k):
        """Model identity of a key (None for NaN: never equal to anything)."""
        if self.keytype == "float64" and math.isnan(k):
            return None
        return k  # floats: 0.0 == -0.0 in Python dicts too

    def token(self, k):
        if self.keytype == "int64":
            return str(k)
        if self.keytype == "string":
            return "x" + k.hex()
        if math.isnan(k):
            return "NaN"
        if math.isinf(k):
            return "+Inf" if k > 0 else "-Inf"
        return repr(k)  # exact: repr round-trips, both replayers parse it

    def specials(self):
        if self.keytype == "int64":
            return [0, 1, -1, 2, INT64_MIN, INT64_MAX, INT64_MIN + 1, 1 << 32, -(1 << 31)]
        if self.keytype == "string":
            return [b"", b"a", b"\x00", b"\xff", b"a b:c", "é".encode(), "世界".encode(),
                    b"k1", b"x" * 33, b"y" * 200]
        return [0.0, -0.0, math.nan, math.inf, -math.inf, 1.0, -1.0, 1e6, 1e21, 1e-7,
                5e-324, 1.7976931348623157e308, 0.1, 123456.0, 1234567.0, 100000.0]

    def fresh(self):
        """A key never produced by fresh() before (specials may coincide)."""
        while True:
            self.n += 1
            k = self._make(self.n)
            c = self.canon(k)
            if c not in self.used:
                self.used.add(c)
                return k

    def _make(self, i):
        r = self.rng.randrange(8)
        if self.keytype == "int64":
            if r < 3:
                return i
            if r == 3:
                return -i
            if r == 4:
                return (i << 32) - (1 << 62)
            if r == 5:
                return i * 1000003 - 7
            return self.rng.randrange(INT64_MIN, INT64_MAX + 1)
        if self.keytype == "string":
            if r < 3:
                return b"k%d" % i
            if r == 3:
                return b"long-key-" * self.rng.randrange(1, 12) + b"%d" % i
            if r == 4:
                return ("é%d世" % i).encode()
            if r == 5:
                return b"a b:%d" % i
            if r == 6:
                return b"\x00\xff%d" % i
            return bytes(self.rng.randrange(32, 127) for _ in range(self.rng.randrange(1, 9))) + b"%d" % i
        if r < 2:
            return float(i)
        if r == 2:
            return i + 0.5
        if r == 3:
            return -i * 0.25
        if r == 4:
            return i * 1e-5
        if r == 5:
            return i * 1e15 if self.rng.randrange(2) else i * 1e300
        if r == 6:
            return i * 5e-324
        while True:  # any finite double, by its bits
            f = struct.unpack("<d", struct.pack("<Q", self.rng.getrandbits(64)))[0]
            if not math.isnan(f) and not math.isinf(f):
                return f


class Model:
    """Contents of one Go map: non-NaN entries and the values of NaN entries."""

    def __init__(self):
        self.d, self.nan = {}, []

    def __len__(self):
        return len(self.d) + len(self.nan)

    def copy(self):
        m = Model()
        m.d, m.nan = dict(self.d), list(self.nan)
        return m


class Gen:
    def __init__(self, keytype, seed):
        self.rng = random.Random(seed)
        self.keys = Keys(keytype, self.rng)
        self.keytype = keytype
        self.slots = [None] * NSLOTS  # None = nil map; aliases share a Model
        self.lines = []
        self.value = 0
        self.deleted = []  # keys recently deleted (for lookups that must miss)

    # -- helpers ---------------------------------------------------------
    def emit(self, *f):
        self.lines.append(" ".join(str(x) for x in f))

    def tok(self, k):
        return self.keys.token(k)

    def newval(self):
        self.value += 1
        v = self.value * (1 if self.value % 2 else -1)
        if self.value % 37 == 0:
            v += (1 << 61) if v > 0 else -(1 << 61)
        return v

    def isnan(self, k):
        return self.keytype == "float64" and math.isnan(k)

    def present(self, m):
        return list(m.d.keys()) if m else []

    def pick_key(self, m):
        """Mostly present keys, else deleted, special or fresh ones."""
        r = self.rng.random()
        ks = self.present(m)
        if ks and r < 0.55:
            return self.rng.choice(ks)
        if self.deleted and r < 0.75:
            return self.rng.choice(self.deleted)
        if r < 0.9:
            return self.rng.choice(self.keys.specials())
        return self.keys.fresh()

    def model_set(self, m, k, v):
        if self.isnan(k):
            m.nan.append(v)
        else:
            m.d[k] = v

    def model_erase(self, m, k):
        if not self.isnan(k) and k in m.d:
            del m.d[k]
            self.deleted.append(k)
            if len(self.deleted) > 512:
                self.deleted = self.deleted[-256:]

    # -- single operations -------------------------------------------------
    def op_set(self, s, k, v=None):
        v = self.newval() if v is None else v
        self.emit("set", s, self.tok(k), v)
        if self.slots[s] is not None:
            self.model_set(self.slots[s], k, v)

    def op_erase(self, s, k):
        self.emit("erase", s, self.tok(k))
        if self.slots[s] is not None:
            self.model_erase(self.slots[s], k)

    def op_query(self, s, k=None):
        k = self.pick_key(self.slots[s]) if k is None else k
        self.emit(self.rng.choice(["get", "lookup", "has"]), s, self.tok(k))

    def op_add(self, s, k):
        d = self.rng.choice([1, 1, -1, 2, 1000, -77])
        self.emit("add", s, self.tok(k), d)
        m = self.slots[s]
        if m is not None:
            if self.isnan(k):
                m.nan.append(d)
            else:
                m.d[k] = m.d.get(k, 0) + d

    def op_make(self, s, hint=None):
        if hint is None:
            hint = self.rng.choice([0, 0, 1, 8, 9, 100, 1000, 5000, -1, -(1 << 40),
                                    1 << 62, INT64_MAX, INT64_MIN])
        self.emit("make", s, hint)
        self.slots[s] = Model()

    def op_clear(self, s):
        self.emit("clear", s)
        if self.slots[s] is not None:
            m = self.slots[s]
            self.deleted.extend(list(m.d.keys())[:64])
            m.d.clear()
            m.nan.clear()

    def ensure_map(self, s):
        if self.slots[s] is None:
            self.op_make(s)

    def observe(self, s):
        """A whole-map observation, cheap enough for the map's size."""
        n = len(self.slots[s]) if self.slots[s] is not None else 0
        choices = ["len", "iter", "keys", "values"] + (["fmt", "fmt"] if n <= 300 else [])
        if n > 6000:
            choices = ["len"]
        self.emit(self.rng.choice(choices), s)

    # -- phases ------------------------------------------------------------
    def phase_grow(self, s):
        if self.slots[s] is None or self.rng.random() < 0.3:
            self.op_make(s)
        m = self.slots[s]
        target = len(m) + self.rng.choices([5, 8, 13, 30, 60, 120, 300, 700, 1500, 4000],
                                           [4, 4, 4, 4, 4, 3, 2, 2, 1, 1])[0]
        if self.rng.random() < 0.5:
            # Stop just after an insert that makes Go double the bucket array
            # (overLoadFactor: count > 6.5 * 2^B), so the map is still evacuating.
            near = [t + self.rng.randrange(3) for t in GROW_AT if len(m) < t <= len(m) + 4000]
            if near:
                target = self.rng.choice(near)
        while len(m) < target:
            r = self.rng.random()
            if r < 0.8:
                self.op_set(s, self.keys.fresh())
            elif r < 0.95:
                self.op_query(s)
            else:
                self.emit("len", s)
        if self.rng.random() < 0.5:  # often while still evacuating
            self.phase_miter(s)
        self.observe(s)

    def phase_churn(self, s):
        """Delete + insert at constant size: overflow buckets, same-size grow."""
        self.ensure_map(s)
        m = self.slots[s]
        while len(m.d) < 40:
            self.op_set(s, self.keys.fresh())
        for _ in range(self.rng.choices([50, 200, 800, 2500], [6, 4, 2, 1])[0]):
            ks = self.present(m)
            if not ks:  # a loop inside the churn cleared the map
                self.op_set(s, self.keys.fresh())
                continue
            victim = self.rng.choice(ks)
            self.op_erase(s, victim)
            self.op_set(s, self.keys.fresh())
            r = self.rng.random()
            if r < 0.3:
                self.op_query(s, victim)
            elif r < 0.6:
                self.op_query(s)
            elif r < 0.62:
                self.phase_miter(s, small=True)
        self.emit("len", s)
        self.observe(s)

    def phase_same_size(self, s):
        """A fresh map filled just under Go's load factor, then long churn: its
        buckets' chains overflow one after another until noverflow reaches 2^B
        and Go grows at the same size (tooManyOverflowBuckets)."""
        b = self.rng.choice([2, 2, 3])  # B=1 rarely overflows both buckets
        self.op_make(s, 0)
        m = self.slots[s]
        n = GROW_AT[b] - 1  # the most entries B buckets hold without doubling
        while len(m) < n:
            self.op_set(s, self.keys.fresh())
        for _ in range(n * self.rng.choice([40, 80])):
            victim = self.rng.choice(self.present(m))
            self.op_erase(s, victim)
            self.op_set(s, self.keys.fresh())
            if self.rng.random() < 0.05:
                self.op_query(s, victim if self.rng.random() < 0.5 else None)
            if self.rng.random() < 0.004:  # now and then a loop, which may also grow it
                self.phase_miter(s, small=True)
                while len(m) < n:
                    self.op_set(s, self.keys.fresh())
                if len(m) > n:
                    break
        self.observe(s)

    def phase_queries(self, s):
        for _ in range(self.rng.randrange(10, 200)):
            self.op_query(s)

    def phase_overwrite(self, s):
        self.ensure_map(s)
        m = self.slots[s]
        for _ in range(self.rng.randrange(5, 100)):
            ks = self.present(m)
            k = self.rng.choice(ks) if ks and self.rng.random() < 0.8 else self.pick_key(m)
            if self.keytype == "float64" and self.rng.random() < 0.2:
                k = self.rng.choice([0.0, -0.0])
            if self.rng.random() < 0.3:
                self.op_add(s, k)
            else:
                self.op_set(s, k)
            if self.rng.random() < 0.3:
                self.op_query(s, k)
        self.observe(s)

    def phase_shrink(self, s):
        m = self.slots[s]
        if m is None:
            return
        ks = self.present(m)
        self.rng.shuffle(ks)
        for k in ks[: len(ks) * self.rng.randrange(1, 5) // 4]:
            self.op_erase(s, k)
            if self.rng.random() < 0.2:
                self.op_query(s, k)
        self.emit("len", s)
        self.observe(s)

    def phase_nan(self, s):
        if self.keytype != "float64":
            return self.phase_queries(s)
        self.ensure_map(s)
        for _ in range(self.rng.randrange(1, 6)):
            self.op_set(s, math.nan)
        if self.rng.random() < 0.25:
            # Many NaN keys through growth: Go evacuates them by a random bit.
            for _ in range(self.rng.randrange(20, 300)):
                self.op_set(s, math.nan if self.rng.random() < 0.7 else self.keys.fresh())
            self.phase_miter(s)
        self.emit("lookup", s, "NaN")
        self.emit("erase", s, "NaN")
        # +0 and -0 are one key; assigning through the other zero stores it
        # (Go's needkeyupdate), and every whole-map view shows which one it is.
        zeros = [0.0, -0.0]
        self.rng.shuffle(zeros)
        self.op_set(s, zeros[0])
        self.op_query(s, zeros[1])
        self.op_set(s, zeros[1])
        self.emit(self.rng.choice(["iter", "keys", "fmt"]), s)
        if self.rng.random() < 0.5:
            self.op_add(s, zeros[0])
            self.emit(self.rng.choice(["iter", "keys", "fmt"]), s)
        if self.rng.random() < 0.5:
            self.op_erase(s, zeros[0])
            self.op_query(s, zeros[1])
        self.observe(s)

    def phase_handles(self, s):
        a, b = s, self.rng.randrange(NSLOTS)
        r = self.rng.randrange(14)
        if r == 0:
            self.emit("alias", b, a)
            self.slots[b] = self.slots[a]
        elif r == 1:
            self.emit("swap", a, b)
            self.slots[a], self.slots[b] = self.slots[b], self.slots[a]
        elif r == 2:
            self.emit("clone", b, a)
            self.slots[b] = self.slots[a].copy() if self.slots[a] is not None else None
        elif r == 3:
            if self.slots[a] is not None and self.slots[a] is self.slots[b] and self.slots[a].nan:
                return  # copying a map into itself re-adds NaN keys a random number of times
            self.emit("copy", b, a)
            if self.slots[b] is not None and self.slots[a] is not None:
                for k, v in self.slots[a].d.items():
                    self.slots[b].d[k] = v
                self.slots[b].nan.extend(self.slots[a].nan)
        elif r == 4:
            self.emit("equal", a, b)
        elif r == 5:
            self.emit("isnil", a)
        elif r == 6:
            self.emit("nil", b)
            self.slots[b] = None
        elif r == 7:
            pairs = []
            m = Model()
            for _ in range(self.rng.randrange(0, 6)):
                k = self.pick_key(self.slots[a]) if self.rng.random() < 0.7 else self.rng.choice(pairs or [(self.keys.fresh(), 0)])[0]
                v = self.newval()
                pairs.append((k, v))
                self.model_set(m, k, v)
            self.emit("lit", b, *[f"{self.tok(k)} {v}" for k, v in pairs])
            self.slots[b] = m
        elif r == 8:
            self.emit("reserve", a, self.rng.choice([0, 10, 1000, 20000, -1, 1 << 62]))
        elif r == 9:
            rem = self.rng.randrange(3)
            self.emit("delfunc", a, rem)
            m = self.slots[a]
            if m is not None:  # Go's maps.DeleteFunc cannot delete NaN keys
                m.d = {k: v for k, v in m.d.items() if v % 3 != rem}
        elif r == 10:
            self.op_clear(a)
        elif r == 11:  # nil-map reads and writes
            self.emit("nil", b)
            self.slots[b] = None
            self.op_query(b)
            self.emit("len", b)
            self.emit("erase", b, self.tok(self.pick_key(None)))
            self.op_set(b, self.pick_key(None))
            self.op_add(b, self.pick_key(None))
            self.emit("reserve", b, 5)
            self.emit("fmt", b)
            self.emit("iter", b)
            self.emit("clear", b)
            self.emit("copy", b, a)
            self.emit("equal", a, b)
            self.emit("isnil", b)
        elif r == 12:
            self.op_make(b)
        else:
            self.observe(a)

    def phase_handle_burst(self, s):
        for _ in range(self.rng.randrange(2, 10)):
            self.phase_handles(s)

    def phase_miter(self, s, small=False):
        """A loop that deletes, inserts, assigns and clears as it goes."""
        m = self.slots[s]
        if m is None:
            self.emit("miter", s, "keep", "for", 0, "-")
            return
        mode = self.rng.choice(["keep", "del", "upd"])
        form = self.rng.choice(["for", "fn"])
        stop = 0
        if self.rng.random() < 0.15:
            stop = self.rng.randrange(1, len(m) + 2)
            mode = "keep"
        n = len(m)
        nacts = self.rng.randrange(0, 8) if small else self.rng.choice([0, 3, n // 4 + 1, n + 10, 2 * n + 20])
        cleared = False
        acts = []
        initial = self.present(m)
        for _ in range(nacts):
            r = self.rng.random()
            if r < 0.25:
                acts.append("-")
            elif r < 0.5 and initial:
                acts.append("d," + self.tok(self.rng.choice(initial)))
            elif r < 0.55:
                acts.append("d," + self.tok(self.pick_key(m)))
            elif r < 0.6 and mode == "keep" and initial and not cleared:
                acts.append("s,%s,%d" % (self.tok(self.rng.choice(initial)), self.newval()))
            elif r < 0.62 and self.keytype == "float64":
                acts.append("s,NaN,%d" % self.newval())
            elif r < 0.625 or (r < 0.64 and nacts < 10):
                acts.append("c")
                cleared = True
            else:
                acts.append("s,%s,%d" % (self.tok(self.keys.fresh()), self.newval()))
        # Now and then several actions in one step: a clear followed by inserts
        # lets a loop meet entries inserted after the clear; bursts of inserts
        # grow the map between two steps.
        for _ in range(self.rng.choice([0, 0, 1, 3])):
            burst = ["s,%s,%d" % (self.tok(self.keys.fresh()), self.newval())
                     for _ in range(self.rng.randrange(1, 12))]
            if self.rng.random() < 0.5:
                burst.insert(0, "c")
            if initial and self.rng.random() < 0.5:
                burst.append("d," + self.tok(self.rng.choice(initial)))
            acts.insert(self.rng.randrange(len(acts) + 1), "/".join(burst))
        if not acts:
            acts = ["-"]
        self.emit("miter", s, mode, form, stop, *acts)
        self.model_miter(m, mode, acts, stop)

    def model_miter(self, m, mode, acts, stop):
        # The final state the replayers must agree on (docs/oracle.md): the whole
        # schedule applied in order, plus the per-entry action on untouched keys.
        parse = {"int64": int, "string": lambda t: bytes.fromhex(t[1:]),
                 "float64": lambda t: float(t.replace("NaN", "nan").replace("Inf", "inf"))}[self.keytype]
        touched = set()
        parsed = []
        for a in (sub for step in acts for sub in step.split("/")):
            f = a.split(",")
            if f[0] == "d":
                k = parse(f[1]); touched.add(self.keys.canon(k)); parsed.append(("d", k, 0))
            elif f[0] == "s":
                k = parse(f[1]); touched.add(self.keys.canon(k)); parsed.append(("s", k, int(f[2])))
            else:
                parsed.append((f[0], None, 0))
        untouched = {k: v for k, v in m.d.items() if k not in touched}
        for kind, k, v in parsed:
            if kind == "d":
                self.model_erase(m, k)
            elif kind == "s":
                self.model_set(m, k, v)
            elif kind == "c":
                m.d.clear(); m.nan.clear()
        if stop == 0 and mode != "keep":
            for k, v in untouched.items():
                if k in m.d:
                    if mode == "del":
                        del m.d[k]
                    else:
                        m.d[k] = v + 1

    def generate(self, nops):
        self.emit("gomap-trace", 1, self.keytype)
        phases = [(self.phase_grow, 6), (self.phase_churn, 3), (self.phase_same_size, 1),
                  (self.phase_queries, 3),
                  (self.phase_overwrite, 3), (self.phase_shrink, 2), (self.phase_nan, 2),
                  (self.phase_handle_burst, 8), (self.phase_miter, 6)]
        fns = [p for p, w in phases for _ in range(w)]
        self.op_make(0)
        while len(self.lines) < nops:
            s = 0 if self.rng.random() < 0.6 else self.rng.randrange(NSLOTS)
            if self.slots[s] is not None and len(self.slots[s]) > 8000:
                self.op_clear(s) if self.rng.random() < 0.5 else self.phase_shrink(s)
                continue
            self.rng.choice(fns)(s)
        # Every operation appears in every trace, whatever the seed chose.
        self.emit("make", 3, 4)
        for line in ("lit 3", "len 3", "isnil 3", "fmt 3", "nil 2", "reserve 2 3", "copy 2 3",
                     "reserve 3 100", "keys 3", "values 3", "equal 3 2", "clone 1 3", "alias 0 1",
                     "swap 0 3", "delfunc 3 1", "iter 0", "clear 0", "len 0"):
            self.emit(line)
        return "\n".join(self.lines) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--keytype", required=True, choices=["int64", "string", "float64"])
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--ops", type=int, default=10000, help="approximate number of operations")
    ap.add_argument("-o", "--output")
    a = ap.parse_args()
    text = Gen(a.keytype, a.seed).generate(a.ops)
    if a.output:
        with open(a.output, "w") as f:
            f.write(text)
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main()
