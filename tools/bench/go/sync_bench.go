package bench

import (
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
)

// Go's sync/map_bench_test.go and reference RWMutexMap (sync/map_reference_test.go,
// Go 1.19), kept as they are, plus the mixed_R_W workloads of docs/bench.md
// and, built with Go >= 1.20, Go 1.20's Swap/CompareAndSwap/CompareAndDelete
// workloads (sync_bench_go120.go); tools/bench/concurrent.hpp is the C++ twin.
// Names: BenchmarkSync/<workload>/<impl>/<n>-<GOMAXPROCS>.  The harness is
// exported so that the xsync module (./xsync, Go >= 1.24 only) runs the very
// same workloads on its map: sync_test.go passes go_sync_map and
// go_rwmutex_map, xsync/xsync_test.go passes xsync_map.

// MapInterface is sync/map_reference_test.go's mapInterface.
type MapInterface = mapInterface

type mapInterface interface {
	Load(any) (any, bool)
	Store(key, value any)
	LoadOrStore(key, value any) (actual any, loaded bool)
	LoadAndDelete(key any) (value any, loaded bool)
	Delete(any)
	Range(func(key, value any) (shouldContinue bool))
}

// RWMutexMap is an implementation of mapInterface using a sync.RWMutex.
type RWMutexMap struct {
	mu    sync.RWMutex
	dirty map[any]any
}

func (m *RWMutexMap) Load(key any) (value any, ok bool) {
	m.mu.RLock()
	value, ok = m.dirty[key]
	m.mu.RUnlock()
	return
}

func (m *RWMutexMap) Store(key, value any) {
	m.mu.Lock()
	if m.dirty == nil {
		m.dirty = make(map[any]any)
	}
	m.dirty[key] = value
	m.mu.Unlock()
}

func (m *RWMutexMap) LoadOrStore(key, value any) (actual any, loaded bool) {
	m.mu.Lock()
	actual, loaded = m.dirty[key]
	if !loaded {
		actual = value
		if m.dirty == nil {
			m.dirty = make(map[any]any)
		}
		m.dirty[key] = value
	}
	m.mu.Unlock()
	return actual, loaded
}

func (m *RWMutexMap) LoadAndDelete(key any) (value any, loaded bool) {
	m.mu.Lock()
	value, loaded = m.dirty[key]
	if !loaded {
		m.mu.Unlock()
		return nil, false
	}
	delete(m.dirty, key)
	m.mu.Unlock()
	return value, loaded
}

func (m *RWMutexMap) Delete(key any) {
	m.mu.Lock()
	delete(m.dirty, key)
	m.mu.Unlock()
}

func (m *RWMutexMap) Range(f func(key, value any) (shouldContinue bool)) {
	m.mu.RLock()
	keys := make([]any, 0, len(m.dirty))
	for k := range m.dirty {
		keys = append(keys, k)
	}
	m.mu.RUnlock()

	for _, k := range keys {
		v, ok := m.Load(k)
		if !ok {
			continue
		}
		if !f(k, v) {
			break
		}
	}
}

// Impl is one map under test: its column name and a constructor.
type Impl struct {
	Name string
	New  func() MapInterface
}

// StdImpls: Go's sync.Map and the reference RWMutexMap.
var StdImpls = []Impl{
	{"go_sync_map", func() MapInterface { return &sync.Map{} }},
	{"go_rwmutex_map", func() MapInterface { return &RWMutexMap{} }},
}

type bench struct {
	n     int
	setup func(*testing.B, mapInterface)
	perG  func(b *testing.B, pb *testing.PB, i int, m mapInterface)
}

func benchMap(b *testing.B, impls []Impl, name string, bench bench) {
	for _, impl := range impls {
		impl := impl
		b.Run(fmt.Sprintf("%s/%s/%d", name, impl.Name, bench.n), func(b *testing.B) {
			m := impl.New()
			if bench.setup != nil {
				bench.setup(b, m)
			}

			b.ResetTimer()

			var i int64
			b.RunParallel(func(pb *testing.PB) {
				id := int(atomic.AddInt64(&i, 1) - 1)
				bench.perG(b, pb, id*b.N, m)
			})
		})
	}
}

func loadMostly(hits, misses int) bench {
	return bench{
		n: hits,
		setup: func(_ *testing.B, m mapInterface) {
			for i := 0; i < hits; i++ {
				m.LoadOrStore(i, i)
			}
			// Prime the map to get it into a steady state.
			for i := 0; i < hits*2; i++ {
				m.Load(i % hits)
			}
		},
		perG: func(b *testing.B, pb *testing.PB, i int, m mapInterface) {
			for ; pb.Next(); i++ {
				m.Load(i % (hits + misses))
			}
		},
	}
}

func prime128(_ *testing.B, m mapInterface) {
	const hits = 128
	for i := 0; i < hits; i++ {
		m.LoadOrStore(i, i)
	}
	for i := 0; i < hits*2; i++ {
		m.Load(i % hits)
	}
}

func storeZero(_ *testing.B, m mapInterface) { m.LoadOrStore(0, 0) }

func fill1024(_ *testing.B, m mapInterface) {
	for i := 0; i < 1<<10; i++ {
		m.Store(i, i)
	}
}

func mixed(readPct int, zipf bool) bench {
	s := MakeMixedStream(readPct, zipf)
	return bench{
		n: MixedKeys,
		setup: func(_ *testing.B, m mapInterface) {
			for _, k := range MixedKeySet() {
				m.Store(k, k)
			}
		},
		perG: func(b *testing.B, pb *testing.PB, i int, m mapInterface) {
			for ; pb.Next(); i++ {
				j := i & (StreamLen - 1)
				if s.Write[j] {
					m.Store(s.Key[j], i)
				} else {
					m.Load(s.Key[j])
				}
			}
		},
	}
}

// SyncBenchmarks runs every workload on every impl.
func SyncBenchmarks(b *testing.B, impls []Impl) {
	benchMap := func(b *testing.B, name string, bench bench) { benchMap(b, impls, name, bench) }
	const hits, misses = 128, 128
	benchMap(b, "LoadMostlyHits", loadMostly(1023, 1))
	benchMap(b, "LoadMostlyMisses", loadMostly(1, 1023))
	benchMap(b, "LoadOrStoreBalanced", bench{
		n:     hits,
		setup: prime128,
		perG: func(b *testing.B, pb *testing.PB, i int, m mapInterface) {
			for ; pb.Next(); i++ {
				j := i % (hits + misses)
				if j < hits {
					if _, ok := m.LoadOrStore(j, i); !ok {
						b.Fatalf("unexpected miss for %v", j)
					}
				} else {
					if v, loaded := m.LoadOrStore(i, i); loaded {
						b.Fatalf("failed to store %v: existing value %v", i, v)
					}
				}
			}
		},
	})
	benchMap(b, "LoadOrStoreUnique", bench{
		perG: func(b *testing.B, pb *testing.PB, i int, m mapInterface) {
			for ; pb.Next(); i++ {
				m.LoadOrStore(i, i)
			}
		},
	})
	benchMap(b, "LoadOrStoreCollision", bench{
		n:     1,
		setup: storeZero,
		perG: func(b *testing.B, pb *testing.PB, i int, m mapInterface) {
			for ; pb.Next(); i++ {
				m.LoadOrStore(0, 0)
			}
		},
	})
	benchMap(b, "LoadAndDeleteBalanced", bench{
		n:     hits,
		setup: prime128,
		perG: func(b *testing.B, pb *testing.PB, i int, m mapInterface) {
			for ; pb.Next(); i++ {
				j := i % (hits + misses)
				if j < hits {
					m.LoadAndDelete(j)
				} else {
					m.LoadAndDelete(i)
				}
			}
		},
	})
	benchMap(b, "LoadAndDeleteUnique", bench{
		perG: func(b *testing.B, pb *testing.PB, i int, m mapInterface) {
			for ; pb.Next(); i++ {
				m.LoadAndDelete(i)
			}
		},
	})
	benchMap(b, "LoadAndDeleteCollision", bench{
		n:     1,
		setup: storeZero,
		perG: func(b *testing.B, pb *testing.PB, i int, m mapInterface) {
			for ; pb.Next(); i++ {
				m.LoadAndDelete(0)
			}
		},
	})
	benchMap(b, "DeleteCollision", bench{
		n:     1,
		setup: storeZero,
		perG: func(b *testing.B, pb *testing.PB, i int, m mapInterface) {
			for ; pb.Next(); i++ {
				m.Delete(0)
			}
		},
	})
	benchMap(b, "Range", bench{
		n:     1 << 10,
		setup: fill1024,
		perG: func(b *testing.B, pb *testing.PB, i int, m mapInterface) {
			for ; pb.Next(); i++ {
				m.Range(func(_, _ any) bool { return true })
			}
		},
	})
	// AdversarialAlloc: store a new value whenever the map is promoted to
	// clean, otherwise load a unique missing key.
	benchMap(b, "AdversarialAlloc", bench{
		perG: func(b *testing.B, pb *testing.PB, i int, m mapInterface) {
			var stores, loadsSinceStore int64
			for ; pb.Next(); i++ {
				m.Load(i)
				if loadsSinceStore++; loadsSinceStore > stores {
					m.LoadOrStore(i, stores)
					loadsSinceStore = 0
					stores++
				}
			}
		},
	})
	// AdversarialDelete: periodically delete one key and add a different one.
	benchMap(b, "AdversarialDelete", bench{
		n:     1 << 10,
		setup: fill1024,
		perG: func(b *testing.B, pb *testing.PB, i int, m mapInterface) {
			for ; pb.Next(); i++ {
				m.Load(i)
				if i%(1<<10) == 0 {
					m.Range(func(k, _ any) bool {
						m.Delete(k)
						return false
					})
					m.Store(i, i)
				}
			}
		},
	})
	swapBenchmarks(b, impls)
	benchMap(b, "mixed_50_50", mixed(50, false))
	benchMap(b, "mixed_90_10", mixed(90, false))
	benchMap(b, "mixed_99_1", mixed(99, false))
	benchMap(b, "mixed_90_10_zipf", mixed(90, true))
}

// SyncMemory: heap bytes per entry after storing the 2^16 mixed keys, and 2^20 keys of the
// same generator.
func SyncMemory(b *testing.B, impls []Impl) {
	for _, n := range []int{MixedKeys, 1 << 20} {
		syncMemory(b, impls, n)
	}
}

func syncMemory(b *testing.B, impls []Impl, n int) {
	for _, impl := range impls {
		impl := impl
		b.Run(fmt.Sprintf("conc_bytes_per_entry/%s/%d", impl.Name, n), func(b *testing.B) {
			keys := KeySetN(n)
			var per float64
			for i := 0; i < b.N; i++ {
				var before, after runtime.MemStats
				runtime.GC()
				runtime.ReadMemStats(&before)
				m := impl.New()
				for _, k := range keys {
					m.Store(k, k)
				}
				runtime.GC()
				runtime.ReadMemStats(&after)
				per = float64(int64(after.HeapAlloc)-int64(before.HeapAlloc)) / float64(len(keys))
				runtime.KeepAlive(m)
			}
			b.ReportMetric(per, "B/entry")
		})
	}
}
