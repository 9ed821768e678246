// gomap::Map and gomap::SwissMap rows of the single-threaded workloads.
// Compiled into two binaries: gomap_bench_single (detection on, impls
// "gomap" and "gomap_swiss") and gomap_bench_nodetect (GOMAP_DETECT=0, impls
// "gomap_nodetect" and "gomap_swiss_nodetect").
#include <type_traits>

#include <gomap/map.hpp>
#include <gomap/swiss_map.hpp>

#include "single.hpp"

#ifndef GOMAP_BENCH_IMPL
#define GOMAP_BENCH_IMPL "gomap"
#endif
#ifndef GOMAP_BENCH_SWISS_IMPL
#define GOMAP_BENCH_SWISS_IMPL "gomap_swiss"
#endif

namespace {
template <bool Swiss>
struct GomapAdapter {
  template <class K, class V>
  using map_t = std::conditional_t<Swiss, gomap::SwissMap<K, V>, gomap::Map<K, V>>;
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

const bool registered = [] {
  gomap_bench::register_single<GomapAdapter<false>>(GOMAP_BENCH_IMPL);
  gomap_bench::register_single<GomapAdapter<true>>(GOMAP_BENCH_SWISS_IMPL);
  return true;
}();
}  // namespace
