// Package xsync runs tools/bench's concurrent workloads (package bench,
// ../sync_bench.go) on github.com/puzpuzpuz/xsync/v4's Map, the best-known
// concurrent map for Go.  A module of its own because xsync v4 needs Go >= 1.24
// while package bench is also built with Go 1.19; tools/setup downloads the
// pinned version (go.mod, go.sum) and tools/bench/run builds it with the new Go.
package xsync

import (
	"testing"

	"gomap.dev/bench"

	"github.com/puzpuzpuz/xsync/v4"
)

// xsyncMap adapts xsync.Map[any, any] (any keys and values, as sync.Map's
// and the workloads') to the workloads' interface; Swap is LoadAndStore and
// the compare-and-* operations are one Compute each.
type xsyncMap struct{ m *xsync.Map[any, any] }

func (x xsyncMap) Load(k any) (any, bool)           { return x.m.Load(k) }
func (x xsyncMap) Store(k, v any)                   { x.m.Store(k, v) }
func (x xsyncMap) LoadOrStore(k, v any) (any, bool) { return x.m.LoadOrStore(k, v) }
func (x xsyncMap) LoadAndDelete(k any) (any, bool)  { return x.m.LoadAndDelete(k) }
func (x xsyncMap) Delete(k any)                     { x.m.Delete(k) }
func (x xsyncMap) Range(f func(k, v any) bool)      { x.m.Range(f) }
func (x xsyncMap) Swap(k, v any) (any, bool)        { return x.m.LoadAndStore(k, v) }
func (x xsyncMap) CompareAndSwap(k, old, new any) bool {
	swapped := false
	x.m.Compute(k, func(cur any, loaded bool) (any, xsync.ComputeOp) {
		if loaded && cur == old {
			swapped = true
			return new, xsync.UpdateOp
		}
		return cur, xsync.CancelOp
	})
	return swapped
}
func (x xsyncMap) CompareAndDelete(k, old any) bool {
	deleted := false
	x.m.Compute(k, func(cur any, loaded bool) (any, xsync.ComputeOp) {
		if loaded && cur == old {
			deleted = true
			return cur, xsync.DeleteOp
		}
		return cur, xsync.CancelOp
	})
	return deleted
}

var impls = []bench.Impl{
	{Name: "xsync_map", New: func() bench.MapInterface { return xsyncMap{xsync.NewMap[any, any]()} }},
}

var _ bench.SwapInterface = xsyncMap{}

func BenchmarkSync(b *testing.B) { bench.SyncBenchmarks(b, impls) }

func BenchmarkSyncMemory(b *testing.B) { bench.SyncMemory(b, impls) }
