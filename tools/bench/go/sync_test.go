package bench

import "testing"

// The concurrent benchmarks on Go's own maps (sync_bench.go has the workloads).
func BenchmarkSync(b *testing.B) { SyncBenchmarks(b, StdImpls) }

// BenchmarkSyncMemory: heap bytes per entry after storing the 2^16 mixed keys.
func BenchmarkSyncMemory(b *testing.B) { SyncMemory(b, StdImpls) }
