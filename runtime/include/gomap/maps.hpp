// <gomap/maps.hpp> — Go's `maps` package (Go 1.21), written once for every
// gomap map handle (Map, and any later engine's).
#pragma once

#include <algorithm>
#include <vector>

#include "gomap/fmt.hpp"
#include "gomap/map.hpp"

namespace gomap::maps {

// Any gomap map handle.
template <class M>
concept map_type = fmt::is_gomap_map<M>::value;

// Clone: a new map with the same entries (NaN keys included); nil stays nil.
template <map_type M>
M clone(const M& m) {
  if (m.is_nil()) return {};
  auto out = M::make(static_cast<std::int64_t>(m.size()), m.hash_function(), m.key_eq());
  m.range([&](const auto& k, auto& v) { out.set(k, v); });
  return out;
}

// Copy: dst[k] = v for every entry of src.  Into a nil dst it panics as
// assignment does — unless src is empty.
template <map_type M>
void copy(const M& dst, const M& src) {
  src.range([&](const auto& k, auto& v) { dst.set(k, v); });
}

// EqualFunc: same length, and every key of a is in b with eq(va, vb).
template <map_type M1, map_type M2, class F>
bool equal_func(const M1& a, const M2& b, F eq) {
  if (a.size() != b.size()) return false;
  bool same = true;
  a.range([&](const auto& k, auto& v1) {
    auto* v2 = b.find(k);
    same = v2 != nullptr && eq(v1, *v2);
    return same;
  });
  return same;
}

// Equal: NaN keys are never found, so a map holding one is equal to nothing.
template <map_type M>
bool equal(const M& a, const M& b) {
  using V = typename M::mapped_type;
  return equal_func(a, b, [](const V& x, const V& y) { return x == y; });
}

// DeleteFunc: delete(m, k) for every entry with del(k, v) (a NaN key, which
// delete cannot find, stays — as in Go).
template <map_type M, class F>
void delete_func(const M& m, F del) {
  for (auto&& [k, v] : m)
    if (del(std::as_const(k), v)) m.erase(k);
}

template <map_type M>
std::vector<typename M::key_type> keys(const M& m) {
  std::vector<typename M::key_type> out;
  out.reserve(m.size());
  m.range([&](const auto& k, auto&) { out.push_back(k); });
  return out;
}

template <map_type M>
std::vector<typename M::mapped_type> values(const M& m) {
  std::vector<typename M::mapped_type> out;
  out.reserve(m.size());
  m.range([&](const auto&, auto& v) { out.push_back(v); });
  return out;
}

// Keys in fmt's order (NaN first, then ascending).
template <map_type M>
std::vector<typename M::key_type> sorted_keys(const M& m) {
  using K = typename M::key_type;
  std::vector<K> out = keys(m);
  std::stable_sort(out.begin(), out.end(),
                   [](const K& a, const K& b) { return fmt::compare(a, b) < 0; });
  return out;
}

}  // namespace gomap::maps
