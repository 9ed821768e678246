package bench

import (
	"fmt"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Go's map on the single-threaded workloads of docs/bench.md, the same loops
// as tools/bench/single.hpp.  Names: BenchmarkSingle/<workload>/go_map/<n>.
// Every benchmark reports "cpu-ns/op": CPU time per operation (per element of
// the pass for whole-pass workloads), because the machines are shared and the
// C++ side measures thread CPU time too.  It is the whole process's CPU time,
// so with GOMAXPROCS=1 the garbage collector's work is charged to Go, as it
// should be.  Beside it, "wall-ns/op" is elapsed time per operation (what a
// caller waiting for the result sees, with the collector's background work on
// another core) and "flt/op" the minor page faults per operation.
// bytes_per_entry reports "B/entry".

var sink uint64

// NewSmallMapEscapes stores each new map here, so it escapes to the heap.
var escapedMap map[int]int

// cpuNanos: user + system CPU time of the process, and its minor page faults.
func cpuNanos() (int64, int64) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		panic(err)
	}
	return ru.Utime.Nano() + ru.Stime.Nano(), ru.Minflt
}

type cpuTimer struct {
	start, faults int64
	wall          time.Time
}

// startCPU resets the benchmark timer and starts the CPU clock; the ports use
// it as `defer startCPU(b).report(b, 1)` where Go's code calls b.ResetTimer().
func startCPU(b *testing.B) cpuTimer {
	b.ResetTimer()
	c, f := cpuNanos()
	return cpuTimer{c, f, time.Now()}
}

func (t cpuTimer) report(b *testing.B, perIteration int) {
	wall := time.Since(t.wall)
	c, f := cpuNanos()
	ops := float64(b.N) * float64(perIteration)
	b.ReportMetric(float64(c-t.start)/ops, "cpu-ns/op")
	b.ReportMetric(float64(wall.Nanoseconds())/ops, "wall-ns/op")
	b.ReportMetric(float64(f-t.faults)/ops, "flt/op")
}

// batch times b.N passes of n elements each and reports CPU ns per element.
func batch(b *testing.B, n int, pass func()) {
	t := startCPU(b)
	for i := 0; i < b.N; i++ {
		pass()
	}
	t.report(b, n)
}

func filled[K comparable](present []K) map[K]uint64 {
	m := make(map[K]uint64)
	for i, k := range present {
		m[k] = uint64(i)
	}
	return m
}

func lookupPass[K comparable](b *testing.B, present, probes []K) {
	m := filled(present)
	batch(b, len(probes), func() {
		var sum uint64
		for _, k := range probes {
			if v, ok := m[k]; ok {
				sum += v
			}
		}
		sink += sum
	})
}

var strCache = map[[2]int][2][]string{}

func strKeys(n, width int) (present, order []string) {
	if s, ok := strCache[[2]int{n, width}]; ok {
		return s[0], s[1]
	}
	k := KeysOf(n)
	s := [2][]string{ToHex(k.Present, width), ToHex(k.Order, width)}
	strCache[[2]int{n, width}] = s
	return s[0], s[1]
}

func benchInsert(b *testing.B, n int, hint bool) {
	keys := KeysOf(n).Present
	batch(b, n, func() {
		var m map[uint64]uint64
		if hint {
			m = make(map[uint64]uint64, n)
		} else {
			m = make(map[uint64]uint64)
		}
		for i, k := range keys {
			m[k] = uint64(i)
		}
		sink += uint64(len(m))
	})
}

func benchChurn(b *testing.B, n int) {
	r := Ring(n)
	mask := 2*n - 1
	m := filled(KeysOf(n).Present)
	lo, hi := 0, n
	batch(b, n, func() {
		for i := 0; i < n; i++ {
			delete(m, r[lo&mask])
			lo++
			m[r[hi&mask]] = uint64(i)
			hi++
		}
	})
}

func benchMixed(b *testing.B, n int) {
	r := Ring(n)
	ops := KeysOf(n).Mixed
	mask, half := 2*n-1, n/2-1
	m := filled(KeysOf(n).Present)
	lo, hi := 0, n
	batch(b, n, func() {
		var sum uint64
		for i := 0; i < n; i++ {
			switch ops.Op[i] {
			case OpLookup:
				if v, ok := m[r[(lo+int(ops.Arg[i])&half)&mask]]; ok {
					sum += v
				}
			case OpInsert:
				m[r[hi&mask]] = uint64(i)
				hi++
			case OpErase:
				delete(m, r[lo&mask])
				lo++
			}
		}
		sink += sum
	})
}

func benchIterate(b *testing.B, n int) {
	m := filled(KeysOf(n).Present)
	batch(b, n, func() {
		var sum uint64
		for _, v := range m {
			sum += v
		}
		sink += sum
	})
}

// clear_reuse: Go 1.19 has no clear(); this loop is compiled to mapclear.
func benchClearReuse(b *testing.B, n int) {
	keys := KeysOf(n).Present
	m := filled(keys)
	batch(b, n, func() {
		for k := range m {
			delete(m, k)
		}
		for i, k := range keys {
			m[k] = uint64(i)
		}
	})
}

// bytes_per_entry: heap bytes live after inserting n keys into an unhinted map.
func benchBytesPerEntry(b *testing.B, n int) {
	keys := KeysOf(n).Present
	var per float64
	for i := 0; i < b.N; i++ {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		m := filled(keys)
		runtime.GC()
		runtime.ReadMemStats(&after)
		per = float64(int64(after.HeapAlloc)-int64(before.HeapAlloc)) / float64(n)
		runtime.KeepAlive(m)
	}
	b.ReportMetric(per, "B/entry")
}

func BenchmarkSingle(b *testing.B) {
	run := func(workload string, n int, f func(*testing.B)) {
		b.Run(fmt.Sprintf("%s/go_map/%d", workload, n), f)
	}
	for _, n := range []int{1 << 10, 1 << 20} {
		n := n
		run("insert", n, func(b *testing.B) { benchInsert(b, n, false) })
		run("insert_hint", n, func(b *testing.B) { benchInsert(b, n, true) })
		run("lookup_hit", n, func(b *testing.B) { lookupPass(b, KeysOf(n).Present, KeysOf(n).Order) })
		run("lookup_miss", n, func(b *testing.B) { lookupPass(b, KeysOf(n).Present, KeysOf(n).Absent) })
		run("iterate", n, func(b *testing.B) { benchIterate(b, n) })
	}
	n16 := 1 << 16
	run("churn", n16, func(b *testing.B) { benchChurn(b, n16) })
	run("str16_lookup_hit", n16, func(b *testing.B) { p, o := strKeys(n16, 16); lookupPass(b, p, o) })
	run("str64_lookup_hit", n16, func(b *testing.B) { p, o := strKeys(n16, 64); lookupPass(b, p, o) })
	n17 := 1 << 17
	run("str16_insert", n17, func(b *testing.B) {
		p, _ := strKeys(n17, 16)
		batch(b, n17, func() {
			m := make(map[string]uint64)
			for i, k := range p {
				m[k] = uint64(i)
			}
			sink += uint64(len(m))
		})
	})
	run("mixed_80_10_10", n16, func(b *testing.B) { benchMixed(b, n16) })
	run("clear_reuse", n16, func(b *testing.B) { benchClearReuse(b, n16) })
	run("bytes_per_entry", 1<<20, func(b *testing.B) { benchBytesPerEntry(b, 1<<20) })

	// Ports of runtime/map_benchmark_test.go, verbatim loops.
	run("MegMap", 7, func(b *testing.B) {
		m := make(map[string]bool)
		for suffix := 'A'; suffix <= 'G'; suffix++ {
			m[strings.Repeat("X", 1<<20-1)+fmt.Sprint(suffix)] = true
		}
		key := strings.Repeat("X", 1<<20-1) + "k"
		defer startCPU(b).report(b, 1)
		for i := 0; i < b.N; i++ {
			_, _ = m[key]
		}
	})
	run("MegOneMap", 1, func(b *testing.B) {
		m := make(map[string]bool)
		m[strings.Repeat("X", 1<<20)] = true
		key := strings.Repeat("Y", 1<<20)
		defer startCPU(b).report(b, 1)
		for i := 0; i < b.N; i++ {
			_, _ = m[key]
		}
	})
	run("MegEqMap", 1, func(b *testing.B) {
		m := make(map[string]bool)
		key1 := strings.Repeat("X", 1<<20)
		key2 := strings.Repeat("X", 1<<20) // equal but different instance
		m[key1] = true
		defer startCPU(b).report(b, 1)
		for i := 0; i < b.N; i++ {
			_, _ = m[key2]
		}
	})
	run("MegEmptyMap", 0, func(b *testing.B) {
		m := make(map[string]bool)
		key := strings.Repeat("X", 1<<20)
		defer startCPU(b).report(b, 1)
		for i := 0; i < b.N; i++ {
			_, _ = m[key]
		}
	})
	run("SmallStrMap", 7, func(b *testing.B) {
		m := make(map[string]bool)
		for suffix := 'A'; suffix <= 'G'; suffix++ {
			m[fmt.Sprint(suffix)] = true
		}
		key := "k"
		defer startCPU(b).report(b, 1)
		for i := 0; i < b.N; i++ {
			_, _ = m[key]
		}
	})
	for _, ks := range []int{16, 32, 64, 1 << 20} {
		keySize := ks
		name := fmt.Sprint(ks)
		if ks == 1<<20 {
			name = "1M"
		}
		run("MapStringKeysEight_"+name, 8, func(b *testing.B) {
			m := make(map[string]bool)
			for i := 0; i < 8; i++ {
				m[strings.Repeat("K", i+1)] = true
			}
			key := strings.Repeat("K", keySize)
			defer startCPU(b).report(b, 1)
			for i := 0; i < b.N; i++ {
				_ = m[key]
			}
		})
	}
	run("SameLengthMap", 2, func(b *testing.B) {
		m := make(map[string]bool)
		s1 := "foo" + strings.Repeat("-", 100) + "bar"
		s2 := "goo" + strings.Repeat("-", 100) + "ber"
		m[s1] = true
		m[s2] = true
		defer startCPU(b).report(b, 1)
		for i := 0; i < b.N; i++ {
			_ = m[s1]
		}
	})
	type BigKey [3]int64
	type BigVal [3]int64
	run("BigKeyMap", 1, func(b *testing.B) {
		m := make(map[BigKey]bool)
		k := BigKey{3, 4, 5}
		m[k] = true
		defer startCPU(b).report(b, 1)
		for i := 0; i < b.N; i++ {
			_ = m[k]
		}
	})
	run("BigValMap", 1, func(b *testing.B) {
		m := make(map[BigKey]BigVal)
		k := BigKey{3, 4, 5}
		m[k] = BigVal{6, 7, 8}
		defer startCPU(b).report(b, 1)
		for i := 0; i < b.N; i++ {
			_ = m[k]
		}
	})
	run("SmallKeyMap", 1, func(b *testing.B) {
		m := make(map[int16]bool)
		m[5] = true
		defer startCPU(b).report(b, 1)
		for i := 0; i < b.N; i++ {
			_ = m[5]
		}
	})
	run("NewEmptyMap", 0, func(b *testing.B) {
		b.ReportAllocs()
		defer startCPU(b).report(b, 1)
		for i := 0; i < b.N; i++ {
			_ = make(map[int]int)
		}
	})
	run("NewSmallMap", 2, func(b *testing.B) {
		b.ReportAllocs()
		defer startCPU(b).report(b, 1)
		for i := 0; i < b.N; i++ {
			m := make(map[int]int)
			m[0] = 0
			m[1] = 1
		}
	})
	// NewSmallMap's map never leaves the loop, so Go's escape analysis puts
	// it on the stack (0 allocs/op).  Here it escapes, as a map stored in a
	// struct, returned or shared does; a C++ map is always on the heap.
	run("NewSmallMapEscapes", 2, func(b *testing.B) {
		b.ReportAllocs()
		defer startCPU(b).report(b, 1)
		for i := 0; i < b.N; i++ {
			m := make(map[int]int)
			m[0] = 0
			m[1] = 1
			escapedMap = m
		}
	})
	run("MapIter", 8, func(b *testing.B) {
		m := make(map[int]bool)
		for i := 0; i < 8; i++ {
			m[i] = true
		}
		defer startCPU(b).report(b, 1)
		for i := 0; i < b.N; i++ {
			for range m {
			}
		}
	})
	run("MapIterEmpty", 0, func(b *testing.B) {
		m := make(map[int]bool)
		defer startCPU(b).report(b, 1)
		for i := 0; i < b.N; i++ {
			for range m {
			}
		}
	})
}
