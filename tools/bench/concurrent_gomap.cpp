// gomap rows of the concurrent workloads: Map behind std::mutex and behind
// std::shared_mutex (Go's RWMutexMap), and SyncMap / HashTrieMap / ShardedMap when their
// headers exist.
#include <gomap/map.hpp>

#include <mutex>
#include <shared_mutex>

#include "concurrent.hpp"

#if __has_include(<gomap/sync_map.hpp>)
#include <gomap/sync_map.hpp>
#define GOMAP_BENCH_HAVE_SYNC_MAP 1
#endif
#if __has_include(<gomap/hash_trie_map.hpp>)
#include <gomap/hash_trie_map.hpp>
#define GOMAP_BENCH_HAVE_HASH_TRIE_MAP 1
#endif
#if __has_include(<gomap/sharded_map.hpp>)
#include <gomap/sharded_map.hpp>
#define GOMAP_BENCH_HAVE_SHARDED_MAP 1
#endif

namespace {
using gomap_bench::conc::i64;

// Go's RWMutexMap from sync/map_reference_test.go, over gomap::Map; with
// std::mutex every operation takes the exclusive lock.
template <class Mutex>
struct LockedMap {
  Mutex mu;
  gomap::Map<i64, i64> m = gomap::make<i64, i64>();
  static constexpr bool range_with_writers = true;

  void lock_shared() {
    if constexpr (std::is_same_v<Mutex, std::shared_mutex>) {
      mu.lock_shared();
    } else {
      mu.lock();
    }
  }
  void unlock_shared() {
    if constexpr (std::is_same_v<Mutex, std::shared_mutex>) {
      mu.unlock_shared();
    } else {
      mu.unlock();
    }
  }

  bool load(i64 k) {
    lock_shared();
    const bool ok = m.contains(k);
    unlock_shared();
    return ok;
  }
  void store(i64 k, i64 v) {
    std::lock_guard g(mu);
    m.set(k, v);
  }
  std::pair<i64, bool> load_or_store(i64 k, i64 v) {
    std::lock_guard g(mu);
    if (auto* p = m.find(k)) return {*p, true};
    m.set(k, v);
    return {v, false};
  }
  bool load_and_delete(i64 k) {
    std::lock_guard g(mu);
    if (!m.contains(k)) return false;
    m.erase(k);
    return true;
  }
  void erase(i64 k) {
    std::lock_guard g(mu);
    m.erase(k);
  }
  // As RWMutexMap.Range: snapshot under the read lock, call f without it.
  template <class F>
  void range(F f) {
    std::vector<std::pair<i64, i64>> snap;
    lock_shared();
    snap.reserve(m.size());
    for (auto&& [k, v] : m) snap.emplace_back(k, v);
    unlock_shared();
    for (auto& [k, v] : snap)
      if (!f(k, v)) break;
  }
  std::optional<i64> first_key() {
    std::optional<i64> out;
    range([&](i64 k, i64) {
      out = k;
      return false;
    });
    return out;
  }
  bool swap(i64 k, i64 v) {
    std::lock_guard g(mu);
    const bool loaded = m.contains(k);
    m.set(k, v);
    return loaded;
  }
  bool compare_and_swap(i64 k, i64 old, i64 new_value) {
    std::lock_guard g(mu);
    auto* p = m.find(k);
    if (!p || *p != old) return false;
    *p = new_value;
    return true;
  }
  bool compare_and_delete(i64 k, i64 old) {
    std::lock_guard g(mu);
    auto* p = m.find(k);
    if (!p || *p != old) return false;
    m.erase(k);
    return true;
  }
};

#ifdef GOMAP_BENCH_HAVE_SYNC_MAP
// Either sync.Map design: SyncMap (Go 1.19-1.23) or HashTrieMap (Go 1.24+).
template <class M>
struct SyncMapAdapter {
  M m;
  static constexpr bool range_with_writers = true;
  bool load(i64 k) { return m.load(k).has_value(); }
  void store(i64 k, i64 v) { m.store(k, v); }
  std::pair<i64, bool> load_or_store(i64 k, i64 v) { return m.load_or_store(k, v); }
  bool load_and_delete(i64 k) { return m.load_and_delete(k).has_value(); }
  void erase(i64 k) { m.erase(k); }
  template <class F>
  void range(F f) {
    m.range([&](const i64& k, const i64& v) { return f(k, v); });
  }
  std::optional<i64> first_key() {
    std::optional<i64> out;
    m.range([&](const i64& k, const i64&) {
      out = k;
      return false;
    });
    return out;
  }
  bool swap(i64 k, i64 v) { return m.swap(k, v).has_value(); }
  bool compare_and_swap(i64 k, i64 old, i64 new_value) {
    return m.compare_and_swap(k, old, new_value);
  }
  bool compare_and_delete(i64 k, i64 old) { return m.compare_and_delete(k, old); }
};
#endif

#ifdef GOMAP_BENCH_HAVE_SHARDED_MAP
struct ShardedMapAdapter {
  gomap::ShardedMap<i64, i64> m;
  static constexpr bool range_with_writers = true;
  bool load(i64 k) { return m.contains(k); }
  void store(i64 k, i64 v) { m.set(k, v); }
  std::pair<i64, bool> load_or_store(i64 k, i64 v) { return m.load_or_store(k, v); }
  bool load_and_delete(i64 k) {
    bool loaded = false;
    m.compute(k, [&](const i64* cur) -> std::optional<i64> {
      loaded = cur != nullptr;
      return std::nullopt;
    });
    return loaded;
  }
  void erase(i64 k) { m.erase(k); }
  template <class F>
  void range(F f) {
    m.range([&](const i64& k, const i64& v) { return f(k, v); });
  }
  std::optional<i64> first_key() {
    std::optional<i64> out;
    m.range([&](const i64& k, const i64&) {
      out = k;
      return false;
    });
    return out;
  }
  // Swap, CompareAndSwap, CompareAndDelete as one atomic compute each.
  bool swap(i64 k, i64 v) {
    bool loaded = false;
    m.compute(k, [&](const i64* cur) -> std::optional<i64> {
      loaded = cur != nullptr;
      return v;
    });
    return loaded;
  }
  bool compare_and_swap(i64 k, i64 old, i64 new_value) {
    bool swapped = false;
    m.compute(k, [&](const i64* cur) -> std::optional<i64> {
      if (!cur) return std::nullopt;
      swapped = *cur == old;
      return swapped ? new_value : *cur;
    });
    return swapped;
  }
  bool compare_and_delete(i64 k, i64 old) {
    bool deleted = false;
    m.compute(k, [&](const i64* cur) -> std::optional<i64> {
      if (!cur) return std::nullopt;
      deleted = *cur == old;
      if (deleted) return std::nullopt;
      return *cur;
    });
    return deleted;
  }
};
#endif

const bool registered = [] {
  using gomap_bench::conc::register_concurrent;
  register_concurrent<LockedMap<std::mutex>>("gomap_mutex");
  register_concurrent<LockedMap<std::shared_mutex>>("gomap_shared_mutex");
#ifdef GOMAP_BENCH_HAVE_SYNC_MAP
  register_concurrent<SyncMapAdapter<gomap::SyncMap<i64, i64>>>("gomap_syncmap");
#endif
#ifdef GOMAP_BENCH_HAVE_HASH_TRIE_MAP
  register_concurrent<SyncMapAdapter<gomap::HashTrieMap<i64, i64>>>("gomap_hashtriemap");
#endif
#ifdef GOMAP_BENCH_HAVE_SHARDED_MAP
  register_concurrent<ShardedMapAdapter>("gomap_sharded");
#endif
  return true;
}();
}  // namespace
