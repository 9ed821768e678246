#!/usr/bin/env python3
"""Convert a map_ops fuzz input (fuzz/map_ops.cpp) to an oracle trace.

    fuzz_to_trace.py INPUT [-o TRACE]

Decodes the bytes exactly as fuzz/map_ops.cpp's harness does (keep the two in
step when the harness changes) and writes the same operations as a
`gomap-trace 1 int64` trace (docs/oracle.md), so every corpus entry can be
replayed on Go's runtime map too.  uint64 keys and values become int64 with the
same bits (Go's map[uint64] and map[int64] behave alike).

What cannot be carried over:
  * a mutating loop (harness op 8) whose map has entries: its body consumes
    input bytes once per entry produced, and which entries it meets depends on
    the random iteration order, so the rest of the input cannot be decoded
    statically.  The trace stops there (`# truncated` comment); the fuzzer
    itself checks those loops against Go's invariants.
  * parked iterators (ops 15-17) only read: their bytes are consumed, no op is
    written.
  * maps.DeleteFunc with the harness's hash predicate: written as the erase
    ops it amounts to (the converter keeps a model of every map).
  * `m[k] ^= d`: written as a `set` of the resulting value.
"""
import argparse
import sys

M64 = (1 << 64) - 1
SLOTS = 4
MAX_STEPS = 4096


def s64(x):
    x &= M64
    return x - (1 << 64) if x >> 63 else x


class Input:
    def __init__(self, data):
        self.d, self.i = data, 0

    def empty(self):
        return self.i >= len(self.d)

    def byte(self):
        if self.i >= len(self.d):
            return 0
        self.i += 1
        return self.d[self.i - 1]

    def boolean(self):
        return self.byte() & 1 == 1

    def u16(self):
        lo = self.byte()
        return lo | self.byte() << 8

    def u32(self):
        lo = self.u16()
        return lo | self.u16() << 16

    def u64(self):
        lo = self.u32()
        return lo | self.u32() << 32


class Truncated(Exception):
    pass


class Converter:
    def __init__(self, data):
        self.inp = Input(data)
        self.step = 0
        self.slots = [None] * SLOTS  # None = nil; else a dict shared by aliases
        self.out = ["gomap-trace 1 int64"]

    def emit(self, *f):
        self.out.append(" ".join(str(x) for x in f))

    def key(self):
        b = self.inp.byte()
        return b & 0x7F if b < 0xF0 else self.inp.u64()

    def value(self):
        return (self.inp.u16() | (self.step << 16)) & M64

    def slot(self):
        return self.inp.byte() % SLOTS

    def hint(self):
        r = self.inp.byte() % 6
        if r == 0:
            return -1
        if r == 1:
            return 1 << 62
        if r == 2:
            return 0
        if r == 3:
            return self.inp.byte()
        if r == 4:
            return self.inp.u16() % 2048
        return -(self.inp.u64() >> 1)

    def do_set(self, s, k, v):
        self.emit("set", s, s64(k), s64(v))
        if self.slots[s] is not None:
            self.slots[s][k] = v & M64

    def do_erase(self, s, k):
        self.emit("erase", s, s64(k))
        if self.slots[s] is not None:
            self.slots[s].pop(k, None)

    def run(self):
        try:
            while not self.inp.empty() and self.step < MAX_STEPS:
                self.one_op()
                self.step += 1
        except Truncated:
            self.emit(f"# truncated: mutating loop at harness step {self.step}")
        return "\n".join(self.out) + "\n"

    def one_op(self):
        op = self.inp.byte() % 24
        inp = self.inp
        if op == 0:  # m[k] = v
            s = self.slot()
            k = self.key()
            self.do_set(s, k, self.value())
        elif op in (1, 2, 3):  # get / lookup+has / delete
            s = self.slot()
            k = self.key()
            if op == 1:
                self.emit("get", s, s64(k))
            elif op == 2:
                self.emit("lookup", s, s64(k))
                self.emit("has", s, s64(k))
            else:
                self.do_erase(s, k)
        elif op == 4:  # clear
            s = self.slot()
            inp.boolean()
            self.emit("clear", s)
            if self.slots[s] is not None:
                self.slots[s].clear()
        elif op == 5:
            s = self.slot()
            self.emit("reserve", s, self.hint())
        elif op == 6:
            self.emit("len", self.slot())
        elif op == 7:  # a loop that mutates nothing
            inp.boolean()
            self.emit("iter", self.slot())
        elif op == 8:  # a loop whose body runs operations
            inp.boolean()
            s = self.slot()
            if self.slots[s]:  # entries: the body's bytes depend on the order
                raise Truncated()
            self.emit("iter", s)  # nil or empty: no step, no byte read
        elif op == 9:  # compound assignment
            s = self.slot()
            k = self.key()
            which = inp.byte() % 5
            d = inp.byte()
            m = self.slots[s]
            if m is None:
                self.emit("add", s, s64(k), d)  # panics, as in the harness
                return
            cur = m.get(k, 0)
            if which == 0:
                self.emit("add", s, s64(k), d)
                m[k] = (cur + d) & M64
            elif which == 1:
                self.emit("add", s, s64(k), 1)
                m[k] = (cur + 1) & M64
            elif which == 2:
                self.emit("add", s, s64(k), -1)
                m[k] = (cur - 1) & M64
            elif which == 3:
                self.do_set(s, k, cur ^ d)
            else:
                self.do_set(s, k, d)
        elif op == 10:  # b := a
            a, b = self.slot(), self.slot()
            self.emit("alias", b, a)
            self.slots[b] = self.slots[a]
        elif op == 11:  # b := maps.Clone(a)
            a, b = self.slot(), self.slot()
            self.emit("clone", b, a)
            self.slots[b] = dict(self.slots[a]) if self.slots[a] is not None else None
        elif op == 12:  # make
            b = self.slot()
            self.emit("make", b, self.hint())
            self.slots[b] = {}
        elif op == 13:  # nil
            b = self.slot()
            inp.boolean()
            self.emit("nil", b)
            self.slots[b] = None
        elif op == 14:
            a, b = self.slot(), self.slot()
            self.emit("swap", a, b)
            self.slots[a], self.slots[b] = self.slots[b], self.slots[a]
        elif op == 15:  # park an iterator: reads only
            inp.byte()
            self.slot()
        elif op in (16, 17):
            inp.byte()
        elif op in (18, 19):  # runs of inserts / deletes
            s = self.slot()
            base = inp.u16()
            n = inp.byte()
            for i in range(n):
                if op == 18:
                    self.do_set(s, base + i, self.value())
                else:
                    self.do_erase(s, base + i)
        elif op == 20:  # maps.Equal, Keys, Values
            a, b = self.slot(), self.slot()
            self.emit("equal", a, b)
            self.emit("keys", a)
            self.emit("values", a)
        elif op == 21:  # maps.Copy
            dst, src = self.slot(), self.slot()
            self.emit("copy", dst, src)
            if self.slots[dst] is not None and self.slots[src] is not None:
                self.slots[dst].update(dict(self.slots[src]))
        elif op == 22:  # maps.DeleteFunc with the harness's predicate
            s = self.slot()
            salt = inp.byte()
            m = self.slots[s]
            if m is not None:
                for k, v in list(m.items()):
                    if ((((k * 0x9E3779B97F4A7C15) & M64) + v + salt) & M64) >> 61 & 1:
                        self.do_erase(s, k)
        else:  # map[K]V{k1: v1, k2: v2, k1: v3}
            b = self.slot()
            k1, k2 = self.key(), self.key()
            v1, v2, v3 = self.value(), self.value(), self.value()
            self.emit("lit", b, s64(k1), s64(v1), s64(k2), s64(v2), s64(k1), s64(v3))
            self.slots[b] = {k1: v1, k2: v2}
            self.slots[b][k1] = v3


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("input")
    ap.add_argument("-o", "--output")
    a = ap.parse_args()
    with open(a.input, "rb") as f:
        text = Converter(f.read()).run()
    if a.output:
        with open(a.output, "w") as f:
            f.write(text)
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main()
