// Adapters of the C++ peers for single.hpp (gomap's is in gomap_adapter.hpp).
// Each peer uses its own default hash, as a user would; only std::hash lacks
// one for std::array, so BigKey gets a field-by-field combine there.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <unordered_map>

namespace gomap_bench {

template <class K>
struct StdHash : std::hash<K> {};
template <class T, std::size_t N>
struct StdHash<std::array<T, N>> {
  std::size_t operator()(const std::array<T, N>& a) const noexcept {
    std::size_t h = 0;
    for (const auto& x : a) h = h * 0x9E3779B97F4A7C15ULL + std::hash<T>{}(x);
    return h;
  }
};

// The operations shared by every std-like map (unordered_map, flat_hash_map,
// unordered_flat_map).
struct StdLikeOps {
  template <class M, class K, class V>
  static void set(M& m, const K& k, V v) {
    m.insert_or_assign(k, v);
  }
  template <class M, class K>
  static auto* find(M& m, const K& k) {
    auto it = m.find(k);
    return it == m.end() ? nullptr : &it->second;
  }
  template <class M, class K>
  static void erase(M& m, const K& k) {
    m.erase(k);
  }
  template <class M, class F>
  static void for_each(M& m, F&& f) {
    for (auto& [k, v] : m) f(k, v);
  }
  template <class M>
  static void clear(M& m) {
    m.clear();
  }
};

// A std-like map type family, made with or without a size hint (reserve).
template <template <class, class> class MapT>
struct StdLikeAdapter : StdLikeOps {
  template <class K, class V>
  using map_t = MapT<K, V>;
  template <class K, class V>
  static map_t<K, V> make(std::size_t hint) {
    map_t<K, V> m;
    if (hint) m.reserve(hint);
    return m;
  }
};

template <class K, class V>
using std_unordered_map = std::unordered_map<K, V, StdHash<K>>;

}  // namespace gomap_bench
