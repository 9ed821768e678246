//go:build go1.23

// Current Go (the replayer is also built with Go >= 1.24, whose map is a Swiss
// table): the real clear builtin and the real package maps, nothing emulated.

package main

import (
	"maps"
	"slices"
)

// clearEndsLoop: with the real clear a running loop goes on; Go produces no
// cleared entry, and may or may not produce entries inserted after the clear
// (the comparator checks that on each side).
const clearEndsLoop = false

func clearMap[K comparable](h *handle[K]) { clear(h.m) }

func mapsClone[K comparable](m map[K]int64) map[K]int64 { return maps.Clone(m) }

func mapsCopy[K comparable](dst, src map[K]int64) { maps.Copy(dst, src) }

func mapsEqual[K comparable](a, b map[K]int64) bool { return maps.Equal(a, b) }

func mapsDeleteFunc[K comparable](m map[K]int64, del func(K, int64) bool) {
	maps.DeleteFunc(m, del)
}

func mapsKeys[K comparable](m map[K]int64) []K { return slices.Collect(maps.Keys(m)) }

func mapsValues[K comparable](m map[K]int64) []int64 { return slices.Collect(maps.Values(m)) }
