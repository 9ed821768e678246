// <gomap/swiss_map.hpp> — gomap::SwissMap<K, V>: Go 1.24+'s map[K]V for C++.
//
// The same handle as gomap::Map (runtime/handle.hpp): Go's reference
// semantics, nil map, m[k] proxy, iteration with Go's mutation rules,
// printing, maps::, the detector.  The table behind it is the Swiss engine,
// a port of Go 1.24–1.26's internal/runtime/maps (runtime/swiss/map.hpp):
// groups of 8 slots with a control word, a directory of tables.
#pragma once

#include <cstdint>
#include <utility>

#include "gomap/hash.hpp"
#include "gomap/map_stats.hpp"
#include "gomap/runtime/handle.hpp"
#include "gomap/runtime/swiss/map.hpp"

namespace gomap {

template <class K, class V, class Hash = gomap::hash<K>, class Eq = gomap::equal_to<K>>
class SwissMap : public map_handle<runtime::swiss::map<K, V, Hash, Eq>, SwissMap<K, V, Hash, Eq>> {
  using base = map_handle<runtime::swiss::map<K, V, Hash, Eq>, SwissMap>;

 public:
  using base::base;
  using base::operator=;
  SwissMap() noexcept = default;
  SwissMap(const SwissMap&) noexcept = default;
  SwissMap(SwissMap&&) noexcept = default;
  SwissMap& operator=(const SwissMap&) noexcept = default;
  SwissMap& operator=(SwissMap&&) noexcept = default;
  ~SwissMap() = default;
};

// make(map[K]V) / make(map[K]V, n), on the Swiss engine.
template <class K, class V, class Hash = gomap::hash<K>, class Eq = gomap::equal_to<K>>
SwissMap<K, V, Hash, Eq> make_swiss(std::int64_t hint = 0, Hash h = Hash{}, Eq e = Eq{}) {
  return SwissMap<K, V, Hash, Eq>::make(hint, std::move(h), std::move(e));
}

}  // namespace gomap
