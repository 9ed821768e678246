//go:build !go1.20

package bench

import "testing"

// Go 1.19's sync.Map has no Swap, CompareAndSwap or CompareAndDelete: those
// workloads (sync_bench_go120.go) are left out of its run.
func swapBenchmarks(*testing.B, []Impl) {}
