package bench

import (
	"fmt"
	"testing"
)

// Fingerprint folds every generated key set, op stream and string format into
// one number; tools/bench/keys_fingerprint.cpp computes the same fold, and
// tools/bench/run refuses to compare results if the two differ.
func Fingerprint() uint64 {
	h := uint64(14695981039346656037)
	mix := func(x uint64) { h = (h ^ x) * 1099511628211 }
	k := KeysOf(1024)
	for _, v := range k.Order {
		mix(v)
	}
	for _, v := range k.Absent {
		mix(v)
	}
	for i := range k.Mixed.Op {
		mix(uint64(k.Mixed.Op[i]))
		mix(uint64(k.Mixed.Arg[i]))
	}
	for _, c := range []byte(HexKey(k.Present[0], 64) + HexKey(k.Present[1], 16)) {
		mix(uint64(c))
	}
	for _, zipf := range []bool{false, true} {
		s := MakeMixedStream(90, zipf)
		for j := range s.Key {
			mix(uint64(s.Key[j]))
			if s.Write[j] {
				mix(1)
			}
		}
	}
	return h
}

// TestKeysFingerprint prints the fingerprint (tools/bench/run compares it
// with the C++ side's) and checks the generator against known outputs.
func TestKeysFingerprint(t *testing.T) {
	r := NewSplitMix64()
	first := r.Next()
	if first == r.Next() {
		t.Fatal("splitmix64 repeated an output")
	}
	if HexKey(0xab, 16) != "00000000000000ab" || len(HexKey(first, 64)) != 64 {
		t.Fatal("hex key format")
	}
	fmt.Printf("keys-fingerprint %016x\n", Fingerprint())
}
