// <gomap/map.hpp> — gomap::Map<K, V>: Go's map[K]V for C++.
//
// A Map is a handle with Go's reference semantics: copying a Map copies the
// reference, and both copies see the same entries.  A default-constructed
// Map is Go's nil map: reads see nothing, writes panic.  The handle is the
// shared one (runtime/handle.hpp); the table behind it is the classic
// engine, a port of Go's runtime/map.go (runtime/classic/hmap.hpp).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>

#include "gomap/hash.hpp"
#include "gomap/map_stats.hpp"
#include "gomap/runtime/classic/hmap.hpp"
#include "gomap/runtime/handle.hpp"

namespace gomap {

template <class K, class V, class Hash = gomap::hash<K>, class Eq = gomap::equal_to<K>>
class Map : public map_handle<runtime::hmap<K, V, Hash, Eq>, Map<K, V, Hash, Eq>> {
  using base = map_handle<runtime::hmap<K, V, Hash, Eq>, Map>;

 public:
  using base::base;
  using base::operator=;
  Map() noexcept = default;
  Map(const Map&) noexcept = default;
  Map(Map&&) noexcept = default;
  Map& operator=(const Map&) noexcept = default;
  Map& operator=(Map&&) noexcept = default;
  ~Map() = default;
};

// make(map[K]V) / make(map[K]V, n)
template <class K, class V, class Hash = gomap::hash<K>, class Eq = gomap::equal_to<K>>
Map<K, V, Hash, Eq> make(std::int64_t hint = 0, Hash h = Hash{}, Eq e = Eq{}) {
  return Map<K, V, Hash, Eq>::make(hint, std::move(h), std::move(e));
}
}  // namespace gomap
