//go:build go1.20

package bench

import (
	"sync"
	"testing"
)

// Go 1.20's additions to sync/map_bench_test.go and to the reference
// RWMutexMap (sync/map_reference_test.go), kept as they are; the C++ twin is
// the "Go 1.20's additions" section of tools/bench/concurrent.hpp.  An impl
// whose map lacks these methods is skipped.

// SwapInterface is the part of Go 1.20's mapInterface that Go 1.19 lacks.
type SwapInterface interface {
	Swap(key, value any) (previous any, loaded bool)
	CompareAndSwap(key, old, new any) (swapped bool)
	CompareAndDelete(key, old any) (deleted bool)
}

var _ SwapInterface = &sync.Map{}

func (m *RWMutexMap) Swap(key, value any) (previous any, loaded bool) {
	m.mu.Lock()
	if m.dirty == nil {
		m.dirty = make(map[any]any)
	}
	previous, loaded = m.dirty[key]
	m.dirty[key] = value
	m.mu.Unlock()
	return
}

func (m *RWMutexMap) CompareAndSwap(key, old, new any) (swapped bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.dirty == nil {
		return false
	}
	value, loaded := m.dirty[key]
	if loaded && value == old {
		m.dirty[key] = new
		return true
	}
	return false
}

func (m *RWMutexMap) CompareAndDelete(key, old any) (deleted bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.dirty == nil {
		return false
	}
	value, loaded := m.dirty[key]
	if loaded && value == old {
		delete(m.dirty, key)
		return true
	}
	return false
}

type swapBench struct {
	n     int
	setup func(*testing.B, mapInterface)
	perG  func(b *testing.B, pb *testing.PB, i int, m SwapInterface)
}

func primeHits(hits int) func(*testing.B, mapInterface) {
	return func(_ *testing.B, m mapInterface) {
		for i := 0; i < hits; i++ {
			m.LoadOrStore(i, i)
		}
		for i := 0; i < hits*2; i++ {
			m.Load(i % hits)
		}
	}
}

func swapBenchmarks(b *testing.B, impls []Impl) {
	var swapImpls []Impl
	for _, impl := range impls {
		if _, ok := impl.New().(SwapInterface); ok {
			swapImpls = append(swapImpls, impl)
		}
	}
	run := func(name string, sb swapBench) {
		benchMap(b, swapImpls, name, bench{n: sb.n, setup: sb.setup,
			perG: func(b *testing.B, pb *testing.PB, i int, m mapInterface) {
				sb.perG(b, pb, i, m.(SwapInterface))
			}})
	}
	run("SwapCollision", swapBench{
		n:     1,
		setup: storeZero,
		perG: func(b *testing.B, pb *testing.PB, i int, m SwapInterface) {
			for ; pb.Next(); i++ {
				m.Swap(0, 0)
			}
		},
	})
	swapMostly := func(hits, misses int) swapBench {
		return swapBench{
			n:     hits,
			setup: primeHits(hits),
			perG: func(b *testing.B, pb *testing.PB, i int, m SwapInterface) {
				for ; pb.Next(); i++ {
					if i%(hits+misses) < hits {
						v := i % (hits + misses)
						m.Swap(v, v)
					} else {
						m.Swap(i, i)
						m.(mapInterface).Delete(i)
					}
				}
			},
		}
	}
	run("SwapMostlyHits", swapMostly(1023, 1))
	run("SwapMostlyMisses", swapMostly(1, 1023))
	run("CompareAndSwapCollision", swapBench{
		n:     1,
		setup: storeZero,
		perG: func(b *testing.B, pb *testing.PB, i int, m SwapInterface) {
			for pb.Next() {
				if m.CompareAndSwap(0, 0, 42) {
					m.CompareAndSwap(0, 42, 0)
				}
			}
		},
	})
	run("CompareAndSwapNoExistingKey", swapBench{
		perG: func(b *testing.B, pb *testing.PB, i int, m SwapInterface) {
			for ; pb.Next(); i++ {
				if m.CompareAndSwap(i, 0, 0) {
					m.(mapInterface).Delete(i)
				}
			}
		},
	})
	run("CompareAndSwapValueNotEqual", swapBench{
		n:     1,
		setup: func(_ *testing.B, m mapInterface) { m.Store(0, 0) },
		perG: func(b *testing.B, pb *testing.PB, i int, m SwapInterface) {
			for ; pb.Next(); i++ {
				m.CompareAndSwap(0, 1, 2)
			}
		},
	})
	casMostly := func(hits, misses int) swapBench {
		return swapBench{
			n:     hits,
			setup: primeHits(hits),
			perG: func(b *testing.B, pb *testing.PB, i int, m SwapInterface) {
				for ; pb.Next(); i++ {
					v := i
					if i%(hits+misses) < hits {
						v = i % (hits + misses)
					}
					m.CompareAndSwap(v, v, v)
				}
			},
		}
	}
	run("CompareAndSwapMostlyHits", casMostly(1023, 1))
	run("CompareAndSwapMostlyMisses", casMostly(1, 1023))
	run("CompareAndDeleteCollision", swapBench{
		n:     1,
		setup: storeZero,
		perG: func(b *testing.B, pb *testing.PB, i int, m SwapInterface) {
			for ; pb.Next(); i++ {
				if m.CompareAndDelete(0, 0) {
					m.(mapInterface).Store(0, 0)
				}
			}
		},
	})
	cadMostly := func(hits, misses int) swapBench {
		return swapBench{
			n:     hits,
			setup: primeHits(hits),
			perG: func(b *testing.B, pb *testing.PB, i int, m SwapInterface) {
				for ; pb.Next(); i++ {
					v := i
					if i%(hits+misses) < hits {
						v = i % (hits + misses)
					}
					if m.CompareAndDelete(v, v) {
						m.(mapInterface).Store(v, v)
					}
				}
			},
		}
	}
	run("CompareAndDeleteMostlyHits", cadMostly(1023, 1))
	run("CompareAndDeleteMostlyMisses", cadMostly(1, 1023))
}
