// Package bench holds Go's side of gomap's benchmark suite.  keys.go is the
// line-for-line twin of tools/bench/keys.hpp and concurrent.hpp's stream, so
// both sides hash exactly the same keys in the same order.
package bench

import (
	"fmt"
	"math"
	"sort"
)

const seed uint64 = 0x9E3779B97F4A7C15

// SplitMix64 is a bijection of its counter: the keys it draws are distinct.
type SplitMix64 struct{ state uint64 }

func NewSplitMix64() *SplitMix64 { return &SplitMix64{state: seed} }

func (r *SplitMix64) Next() uint64 {
	r.state += 0x9E3779B97F4A7C15
	z := r.state
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9
	z = (z ^ (z >> 27)) * 0x94D049BB133111EB
	return z ^ (z >> 31)
}

// Shuffle is Fisher–Yates driven by the stream that drew the keys.
func Shuffle[T any](v []T, r *SplitMix64) {
	for i := len(v); i > 1; i-- {
		j := int(r.Next() % uint64(i))
		v[i-1], v[j] = v[j], v[i-1]
	}
}

// HexKey formats k as fixed-length zero-padded lowercase hex.
func HexKey(k uint64, width int) string { return fmt.Sprintf("%0*x", width, k) }

// KeySet: n present keys, n absent keys, then the shuffled lookup order.
type KeySet struct{ Present, Absent, Order []uint64 }

func MakeKeys(n int, r *SplitMix64) KeySet {
	ks := KeySet{Present: make([]uint64, n), Absent: make([]uint64, n)}
	for i := range ks.Present {
		ks.Present[i] = r.Next()
	}
	for i := range ks.Absent {
		ks.Absent[i] = r.Next()
	}
	ks.Order = append([]uint64(nil), ks.Present...)
	Shuffle(ks.Order, r)
	return ks
}

func ToHex(v []uint64, width int) []string {
	out := make([]string, len(v))
	for i, k := range v {
		out[i] = HexKey(k, width)
	}
	return out
}

const (
	OpLookup uint8 = iota
	OpInsert
	OpErase
)

// MixedOps: one pass of n ops of mixed_80_10_10, exactly n/10 inserts and
// n/10 erases, shuffled; Arg chooses the looked-up key.
type MixedOps struct {
	Op  []uint8
	Arg []uint32
}

func MakeMixedOps(n int, r *SplitMix64) MixedOps {
	m := MixedOps{Op: make([]uint8, n), Arg: make([]uint32, n)}
	for i := 0; i < n/10; i++ {
		m.Op[i] = OpInsert
		m.Op[n/10+i] = OpErase
	}
	Shuffle(m.Op, r)
	for i := range m.Arg {
		m.Arg[i] = uint32(r.Next() >> 32)
	}
	return m
}

// Keys of one size: one fresh stream, MakeKeys then MakeMixedOps.
type Keys struct {
	KeySet
	Mixed MixedOps
}

var keysCache = map[int]*Keys{}

func KeysOf(n int) *Keys {
	if k, ok := keysCache[n]; ok {
		return k
	}
	r := NewSplitMix64()
	k := &Keys{KeySet: MakeKeys(n, r)}
	k.Mixed = MakeMixedOps(n, r)
	keysCache[n] = k
	return k
}

// Ring is present then absent keys: churn and mixed walk a live window of it.
func Ring(n int) []uint64 {
	k := KeysOf(n)
	return append(append([]uint64(nil), k.Present...), k.Absent...)
}

// ---- the concurrent mixed_R_W stream ----

const (
	MixedKeys = 1 << 16
	StreamLen = 1 << 16
)

type MixedStream struct {
	Key   []int64
	Write []bool
}

func ZipfCDF(n int, s float64) []float64 {
	cdf := make([]float64, n)
	sum := 0.0
	for r := 0; r < n; r++ {
		sum += 1.0 / math.Pow(float64(r+1), s)
		cdf[r] = sum
	}
	for i := range cdf {
		cdf[i] /= sum
	}
	return cdf
}

// MixedKeySet is the 2^16 keys of the mixed stream (its first draws).
func MixedKeySet() []int64 { return KeySetN(MixedKeys) }

// KeySetN: the first n values of the mixed keys' generator (the C++ side draws the same).
func KeySetN(n int) []int64 {
	r := NewSplitMix64()
	keys := make([]int64, n)
	for i := range keys {
		keys[i] = int64(r.Next())
	}
	return keys
}

func MakeMixedStream(readPct int, zipf bool) MixedStream {
	r := NewSplitMix64()
	keys := make([]int64, MixedKeys)
	for i := range keys {
		keys[i] = int64(r.Next())
	}
	var cdf []float64
	if zipf {
		cdf = ZipfCDF(MixedKeys, 0.99)
	}
	ms := MixedStream{Key: make([]int64, StreamLen), Write: make([]bool, StreamLen)}
	for j := 0; j < StreamLen; j++ {
		u := r.Next()
		var idx int
		if zipf {
			x := float64(u>>11) * 0x1p-53
			idx = sort.SearchFloat64s(cdf, x)
			if idx >= MixedKeys {
				idx = MixedKeys - 1
			}
		} else {
			idx = int(u % MixedKeys)
		}
		ms.Key[j] = keys[idx]
		ms.Write[j] = r.Next()%100 >= uint64(readPct)
	}
	return ms
}
