//go:build !go1.23

// Go 1.19 (Debian's golang-1.19-go) has neither the clear builtin nor package
// maps: both are written out here as Go 1.21's clear and maps package do.

package main

// clearEndsLoop: the replayer leaves a running loop right after a scheduled
// clear.  The emulated clear may replace the map (NaN keys), and Go 1.21
// produces nothing more from entries that were cleared (golang/go#59411),
// where Go 1.19's loop could still meet them in an old bucket array.
const clearEndsLoop = true

// clearMap is Go 1.21's clear(m), emulated: every key is deleted; if entries
// remain (NaN keys, which delete cannot reach), the map is replaced by a fresh
// one, which every aliasing slot sees through the shared handle.
func clearMap[K comparable](h *handle[K]) {
	if h.m == nil {
		return
	}
	for k := range h.m {
		delete(h.m, k)
	}
	if len(h.m) != 0 {
		h.m = make(map[K]int64)
	}
}

func mapsClone[K comparable](m map[K]int64) map[K]int64 {
	if m == nil {
		return nil
	}
	c := make(map[K]int64, len(m))
	for k, v := range m {
		c[k] = v
	}
	return c
}

func mapsCopy[K comparable](dst, src map[K]int64) {
	for k, v := range src {
		dst[k] = v
	}
}

func mapsEqual[K comparable](a, b map[K]int64) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v1 := range a {
		if v2, ok := b[k]; !ok || v1 != v2 {
			return false
		}
	}
	return true
}

func mapsDeleteFunc[K comparable](m map[K]int64, del func(K, int64) bool) {
	for k, v := range m {
		if del(k, v) {
			delete(m, k)
		}
	}
}

func mapsKeys[K comparable](m map[K]int64) []K {
	ks := make([]K, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	return ks
}

func mapsValues[K comparable](m map[K]int64) []int64 {
	vs := make([]int64, 0, len(m))
	for _, v := range m {
		vs = append(vs, v)
	}
	return vs
}
