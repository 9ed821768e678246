// The two designs of Go's sync.Map, for typed tests: gomap::SyncMap (Go 1.19–1.23's
// read/dirty maps) and gomap::HashTrieMap (Go 1.24+'s concurrent hash-trie). Both have the
// same members and semantics, so every test of that contract runs against both:
//
//   TYPED_TEST_SUITE(SyncMaps, gomap_test::sync_map_designs, gomap_test::design_name);
//   TYPED_TEST(SyncMaps, X) { gomap_test::map_of<TypeParam, int, int> m; ... }
//
// Test names read SyncMaps/SyncMap.X and SyncMaps/HashTrieMap.X.
#pragma once

#include <gomap/hash_trie_map.hpp>
#include <gomap/sync_map.hpp>

#include <gtest/gtest.h>

#include <string>
#include <type_traits>

namespace gomap_test {

struct sync_map_design {
  template <class K, class V>
  using map = gomap::SyncMap<K, V>;
  static constexpr const char* name = "SyncMap";
};

struct hash_trie_design {
  template <class K, class V>
  using map = gomap::HashTrieMap<K, V>;
  static constexpr const char* name = "HashTrieMap";
};

using sync_map_designs = ::testing::Types<sync_map_design, hash_trie_design>;

// GoogleTest's name generator: the design's name instead of 0, 1.
struct design_name {
  template <class D>
  static std::string GetName(int) {
    return D::name;
  }
};

// The map of design D with keys K and values V.
template <class D, class K, class V>
using map_of = typename D::template map<K, V>;

}  // namespace gomap_test
