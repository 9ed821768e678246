// oneTBB concurrent_hash_map and libcuckoo rows of the concurrent workloads.
#include <tbb/concurrent_hash_map.h>
#include <libcuckoo/cuckoohash_map.hh>

#include "concurrent.hpp"

namespace {
using gomap_bench::conc::i64;

struct TbbMap {
  using map_type = tbb::concurrent_hash_map<i64, i64>;
  map_type m;
  // TBB's traversal is not safe beside concurrent insert/erase.
  static constexpr bool range_with_writers = false;

  bool load(i64 k) {
    map_type::const_accessor a;
    return m.find(a, k);
  }
  void store(i64 k, i64 v) {
    map_type::accessor a;
    m.insert(a, k);
    a->second = v;
  }
  std::pair<i64, bool> load_or_store(i64 k, i64 v) {
    map_type::accessor a;
    if (m.insert(a, map_type::value_type(k, v))) return {v, false};
    return {a->second, true};
  }
  bool load_and_delete(i64 k) {
    map_type::accessor a;
    if (!m.find(a, k)) return false;
    return m.erase(a);
  }
  void erase(i64 k) { m.erase(k); }
  template <class F>
  void range(F f) {
    for (auto& [k, v] : m)
      if (!f(k, v)) break;
  }
  std::optional<i64> first_key() {
    if (m.begin() == m.end()) return std::nullopt;
    return m.begin()->first;
  }
  bool swap(i64 k, i64 v) {
    map_type::accessor a;
    const bool inserted = m.insert(a, k);
    a->second = v;
    return !inserted;
  }
  bool compare_and_swap(i64 k, i64 old, i64 new_value) {
    map_type::accessor a;
    if (!m.find(a, k) || a->second != old) return false;
    a->second = new_value;
    return true;
  }
  bool compare_and_delete(i64 k, i64 old) {
    map_type::accessor a;
    if (!m.find(a, k) || a->second != old) return false;
    return m.erase(a);
  }
};

struct CuckooMap {
  libcuckoo::cuckoohash_map<i64, i64> m;
  static constexpr bool range_with_writers = true;  // lock_table() excludes writers

  bool load(i64 k) {
    i64 v;
    return m.find(k, v);
  }
  void store(i64 k, i64 v) { m.insert_or_assign(k, v); }
  std::pair<i64, bool> load_or_store(i64 k, i64 v) {
    i64 actual = v;
    const bool inserted = m.upsert(
        k, [&](i64& cur) { actual = cur; }, v);
    return {actual, !inserted};
  }
  bool load_and_delete(i64 k) {
    return m.erase_fn(k, [](i64&) { return true; });
  }
  void erase(i64 k) { m.erase(k); }
  template <class F>
  void range(F f) {
    auto lt = m.lock_table();
    for (auto& [k, v] : lt)
      if (!f(k, v)) break;
  }
  std::optional<i64> first_key() {
    auto lt = m.lock_table();
    if (lt.begin() == lt.end()) return std::nullopt;
    return lt.begin()->first;
  }
  bool swap(i64 k, i64 v) {
    return !m.upsert(
        k, [&](i64& cur) { cur = v; }, v);
  }
  bool compare_and_swap(i64 k, i64 old, i64 new_value) {
    bool swapped = false;
    m.update_fn(k, [&](i64& cur) {
      if (cur == old) {
        cur = new_value;
        swapped = true;
      }
    });
    return swapped;
  }
  bool compare_and_delete(i64 k, i64 old) {
    bool deleted = false;
    m.erase_fn(k, [&](i64& cur) { return deleted = cur == old; });
    return deleted;
  }
};

const bool registered = [] {
  // TBB allocates through its scalable allocator, invisible to alloc_count.cpp.
  gomap_bench::conc::register_concurrent<TbbMap>("tbb_concurrent_hash_map", false);
  gomap_bench::conc::register_concurrent<CuckooMap>("libcuckoo");
  return true;
}();
}  // namespace
