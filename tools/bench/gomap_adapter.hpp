// The adapter (single.hpp's contract) over gomap's handle, shared by the
// Map rows (single_gomap.cpp) and the SwissMap rows (single_swiss.cpp).
//
// Each engine is registered from its own translation unit, as a program
// that uses one engine would compile it: with both engines instantiated in
// one TU, GCC's inlining budget for the unit ran out and left Map's string
// lookup and memhash out of line (small-string-map rows 1.4-1.8x slower in
// an A/B), which measured the benchmark's TU, not the map.
//
// Each TU passes the engine's class template itself (gomap::Map,
// gomap::SwissMap), never an alias template of its own: the instantiations
// below are inline templates, merged by the linker by their mangled name, and
// an alias `map_t` in each TU's unnamed namespace mangled the same in both,
// so one engine's lookup_pass, filled, ... silently served both engines' rows
// (found in 2026-12: the gomap_swiss rows had been measuring Map).
#pragma once

#include <cstddef>
#include <cstdint>

#include "single.hpp"

namespace gomap_bench {

template <template <class, class> class MapT>
struct GomapAdapter {
  template <class K, class V>
  using map_t = MapT<K, V>;
  template <class K, class V>
  static map_t<K, V> make(std::size_t hint) {
    return map_t<K, V>::make(static_cast<std::int64_t>(hint));
  }
  template <class M, class K, class V>
  static void set(M& m, const K& k, V v) {
    m.set(k, v);
  }
  template <class M, class K>
  static auto* find(M& m, const K& k) {
    return m.find(k);
  }
  template <class M, class K>
  static void erase(M& m, const K& k) {
    m.erase(k);
  }
  template <class M, class F>
  static void for_each(M& m, F&& f) {
    for (auto&& [k, v] : m) f(k, v);
  }
  template <class M>
  static void clear(M& m) {
    m.clear();
  }
};

// Registers every single-threaded workload on MapT under the name impl.
template <template <class, class> class MapT>
bool register_gomap(const char* impl) {
  register_single<GomapAdapter<MapT>>(impl);
  return true;
}

}  // namespace gomap_bench
