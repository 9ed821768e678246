// <gomap/maps.hpp> — Go's `maps` package (Go 1.21) for gomap::Map.
#pragma once

#include <algorithm>
#include <vector>

#include "gomap/fmt.hpp"
#include "gomap/map.hpp"

namespace gomap::maps {

// Clone: a new map with the same entries (NaN keys included); nil stays nil.
template <class K, class V, class H, class E>
Map<K, V, H, E> clone(const Map<K, V, H, E>& m) {
  if (m.is_nil()) return {};
  auto out =
      Map<K, V, H, E>::make(static_cast<std::int64_t>(m.size()), m.hash_function(), m.key_eq());
  m.range([&](const K& k, V& v) { out.set(k, v); });
  return out;
}

// Copy: dst[k] = v for every entry of src.  Into a nil dst it panics as
// assignment does — unless src is empty.
template <class K, class V, class H, class E>
void copy(const Map<K, V, H, E>& dst, const Map<K, V, H, E>& src) {
  src.range([&](const K& k, V& v) { dst.set(k, v); });
}

// EqualFunc: same length, and every key of a is in b with eq(va, vb).
template <class K, class V1, class V2, class H, class E, class F>
bool equal_func(const Map<K, V1, H, E>& a, const Map<K, V2, H, E>& b, F eq) {
  if (a.size() != b.size()) return false;
  bool same = true;
  a.range([&](const K& k, V1& v1) {
    V2* v2 = b.find(k);
    same = v2 != nullptr && eq(v1, *v2);
    return same;
  });
  return same;
}

// Equal: NaN keys are never found, so a map holding one is equal to nothing.
template <class K, class V, class H, class E>
bool equal(const Map<K, V, H, E>& a, const Map<K, V, H, E>& b) {
  return equal_func(a, b, [](const V& x, const V& y) { return x == y; });
}

// DeleteFunc: delete(m, k) for every entry with del(k, v) (a NaN key, which
// delete cannot find, stays — as in Go).
template <class K, class V, class H, class E, class F>
void delete_func(const Map<K, V, H, E>& m, F del) {
  for (auto&& [k, v] : m)
    if (del(std::as_const(k), v)) m.erase(k);
}

template <class K, class V, class H, class E>
std::vector<K> keys(const Map<K, V, H, E>& m) {
  std::vector<K> out;
  out.reserve(m.size());
  m.range([&](const K& k, V&) { out.push_back(k); });
  return out;
}

template <class K, class V, class H, class E>
std::vector<V> values(const Map<K, V, H, E>& m) {
  std::vector<V> out;
  out.reserve(m.size());
  m.range([&](const K&, V& v) { out.push_back(v); });
  return out;
}

// Keys in fmt's order (NaN first, then ascending).
template <class K, class V, class H, class E>
std::vector<K> sorted_keys(const Map<K, V, H, E>& m) {
  std::vector<K> out = keys(m);
  std::stable_sort(out.begin(), out.end(),
                   [](const K& a, const K& b) { return fmt::compare(a, b) < 0; });
  return out;
}

}  // namespace gomap::maps
