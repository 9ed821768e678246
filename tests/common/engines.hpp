// The two map engines behind one handle, as GoogleTest type parameters: the
// suites that test Go's map semantics (API.md §1, §2, §5) are TYPED_TESTs over
// engine_types and run on gomap::Map (the classic engine, Go 1.19's map) and
// gomap::SwissMap (Go 1.24+'s Swiss table) alike.  Layout-specific tests stay
// per engine.
#pragma once

#include <gtest/gtest.h>
#include <gomap/map.hpp>
#include <gomap/swiss_map.hpp>

#include <cstdint>
#include <type_traits>

namespace gomap_test {

struct classic_engine {
  static constexpr const char* name = "classic";
  template <class K, class V, class H = gomap::hash<K>, class E = gomap::equal_to<K>>
  using map = gomap::Map<K, V, H, E>;
};

struct swiss_engine {
  static constexpr const char* name = "swiss";
  template <class K, class V, class H = gomap::hash<K>, class E = gomap::equal_to<K>>
  using map = gomap::SwissMap<K, V, H, E>;
};

// map_t<Engine, K, V[, H, E]>: the engine's map type.
template <class Engine, class K, class V, class H = gomap::hash<K>, class E = gomap::equal_to<K>>
using map_t = typename Engine::template map<K, V, H, E>;

// make(map[K]V, hint) on the engine.
template <class Engine, class K, class V, class H = gomap::hash<K>, class E = gomap::equal_to<K>>
map_t<Engine, K, V, H, E> make_map(std::int64_t hint = 0, H h = H{}, E e = E{}) {
  return map_t<Engine, K, V, H, E>::make(hint, std::move(h), std::move(e));
}

template <class Engine>
inline constexpr bool is_swiss_v = std::is_same_v<Engine, swiss_engine>;
template <class Engine>
inline constexpr bool is_classic_v = std::is_same_v<Engine, classic_engine>;

using engine_types = ::testing::Types<classic_engine, swiss_engine>;

// Names the typed instantiations "classic" and "swiss" in test output.
struct engine_names {
  template <class T>
  static std::string GetName(int) {
    return T::name;
  }
};

}  // namespace gomap_test

// One line per suite: a typed fixture over both engines.
#define GOMAP_TYPED_SUITE(Suite)           \
  template <class Engine>                  \
  class Suite : public ::testing::Test {}; \
  TYPED_TEST_SUITE(Suite, ::gomap_test::engine_types, ::gomap_test::engine_names)

// Inside a TYPED_TEST body: the engine's map and make().
#define GMap(...) ::gomap_test::map_t<TypeParam, __VA_ARGS__>
#define gmake ::gomap_test::make_map < TypeParam,

namespace gomap_test {

// The map is one bucket (classic: B == 0) or one group (Swiss: the small map,
// no directory): Go's single-bucket / small-map fast paths.
template <class M>
bool single_group(const M& m) {
  const auto s = m.stats();
  if constexpr (requires { s.small; })
    return s.small;
  else
    return s.B == 0;
}

// The map holds no table yet beyond its first group / bucket.
template <class M>
bool grown_past_one_group(const M& m) {
  return !single_group(m);
}

}  // namespace gomap_test

namespace gomap_test {

// Inserts with insert(i), i = 0, 1, ..., until the map is at a growth: the
// classic engine stops while an incremental growth is in progress (old and
// new bucket arrays both live); the Swiss engine, which grows a table at
// once, stops right after an insert that grew a table (rehash or split).
// Returns the number of inserts.
template <class M, class F>
int fill_until_growth(const M& m, F&& insert) {
  int i = 0;
  if constexpr (requires { m.stats().same_size_grow; }) {
    while (!m.stats().growing) insert(i++);
  } else {
    for (;;) {
      const auto before = m.stats();
      insert(i++);
      const auto after = m.stats();
      if (before.capacity != 0 && after.capacity != before.capacity) break;
    }
  }
  return i;
}

}  // namespace gomap_test
