// <gomap/sharded_map.hpp> — gomap::ShardedMap<K, V>: a hash-sharded map with
// a reader-writer lock per shard (docs/api.md).
//
// The Go answer for write-heavy concurrent maps (orcaman/concurrent-map: 32
// shards, one sync.RWMutex each), built from gomap's runtime map:
//
//  * N = 2^s shards, each a gomap::Map behind its own reader-writer lock,
//    each on its own cache line(s), so threads working on different shards
//    never write the same line of the shard array.
//  * The shard of a key comes from a hash with a per-instance random seed,
//    separate from the inner map's own per-map seed (hash0).  Of that hash it
//    takes the s bits just below the top byte, bits [56-s, 56):
//      - the inner map picks its bucket from the LOW B bits of its hash and
//        the tophash from the TOP 8 bits (runtime/classic/hmap.hpp, as map.go);
//      - with a seeded Hash the two seeds make the two hashes independent, so
//        any bits would do; but a Hash that ignores its seed gives both the
//        same value, and then shard bits taken from the bottom would leave
//        each inner map only the buckets whose low s bits equal its shard
//        number (1/N of its table, N-times longer chains), and bits taken
//        from the top would make all tophash bytes of a shard share s bits.
//        Bits [56-s, 56) are disjoint from both as long as B <= 56-s, i.e.
//        always (s <= 16, B <= 40 is 2^40 buckets).
//    The test `Sharded.ShardBitsDoNotSkewInnerTables` pins this with a hasher
//    that ignores its seed.
//  * Default shard count (`ShardedMap()` / `ShardedMap(0)`): 4 ×
//    std::thread::hardware_concurrency() (1 when unknown), rounded up to a
//    power of two — 8 on a 2-thread machine, 64 on 16 threads.  With T threads
//    hitting random keys, two of them want the same shard about T/N of the
//    time; N = 4T keeps that under 25% while a shard costs one cache line.
//    Any requested count is rounded up to a power of two and capped at
//    max_shards (65536).
//  * The lock: runtime::rw_spinlock (one atomic word, spin then yield,
//    writer preference).  Chosen by measurement against std::shared_mutex on
//    the concurrent workloads of docs/bench.md; figures in docs/sharded_map.md,
//    made by tools/lockbench.
//
// Consistency.  Every operation on one key is linearizable (it runs under its
// shard's lock; a write synchronizes-with every later read of that key).
// size(), clear() and range() visit the shards one at a time, so they are
// weakly consistent across shards, exact when no write is in flight.
// range(f) holds one shard's read lock while it calls f on that shard's
// entries: f never sees a torn value, and sees each key at most once.
//
// Callbacks.  compute's f runs under the shard's write lock and range's f
// under a read lock.  Such a callback must not call back into the same
// ShardedMap (any method, any shard): re-locking the held shard deadlocks
// (the lock is not recursive, and a waiting writer blocks a second read
// lock), and locking another shard while holding one can deadlock against a
// thread doing the reverse.  Instead of a silent deadlock every method checks
// a thread_local list of the callbacks this thread is running and throws
// gomap::panic naming the method, the callback and the shard.  The check is
// one thread_local load on the fast path.  Calls into *other* maps from a
// callback are allowed (their lock order is the caller's business, as with
// any two mutexes).
#pragma once

#include <atomic>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <thread>
#include <type_traits>
#include <utility>

#include "gomap/hash.hpp"
#include "gomap/map.hpp"
#include "gomap/panic.hpp"
#include "gomap/runtime/platform.hpp"
#include "gomap/runtime/rw_spinlock.hpp"

namespace gomap {

namespace runtime {

// A shard (its lock and its map's handle) fills one cache_line_size line.
inline constexpr std::size_t max_shards = std::size_t{1} << 16;
// The shard number is taken from hash bits [shard_hash_top - s, shard_hash_top).
inline constexpr unsigned shard_hash_top = 56;
static_assert(std::bit_width(max_shards) - 1 <= shard_hash_top - 40,
              "shard bits must stay clear of the bucket bits of any feasible table (B <= 40)");

// The shard count a ShardedMap(n) gets: n, or 4 × hardware threads when n is
// 0; rounded up to a power of two; at most max_shards.
inline std::size_t shard_count_for(std::size_t requested) noexcept {
  std::size_t n = requested;
  if (n == 0) {
    const std::size_t hw = std::thread::hardware_concurrency();
    n = 4 * (hw == 0 ? 1 : hw);
  }
  if (n > max_shards) n = max_shards;
  return std::bit_ceil(n);
}

// A compute or range callback this thread is running: the map, the shard
// whose lock it holds, and which callback.  Frames live on the stack and are
// linked through a thread_local list shared by every ShardedMap type.
struct sharded_callback_frame {
  const void* map;
  std::size_t shard;
  const char* callback;  // "compute" or "range"
  sharded_callback_frame* prev;
};
inline thread_local sharded_callback_frame* t_sharded_callbacks = nullptr;

// Pushes a frame for the duration of one callback (exceptions included).
class sharded_callback_scope {
 public:
  sharded_callback_scope(const void* map, std::size_t shard, const char* callback) noexcept
      : frame_{map, shard, callback, t_sharded_callbacks} {
    t_sharded_callbacks = &frame_;
  }
  ~sharded_callback_scope() { t_sharded_callbacks = frame_.prev; }
  sharded_callback_scope(const sharded_callback_scope&) = delete;
  sharded_callback_scope& operator=(const sharded_callback_scope&) = delete;

 private:
  sharded_callback_frame frame_;
};

// The slow path of the re-entry check: throws when this thread is inside a
// callback of `map`.
inline void check_sharded_reentry(const void* map, const char* method, std::size_t nshards) {
  for (const sharded_callback_frame* f = t_sharded_callbacks; f != nullptr; f = f->prev) {
    if (f->map != map) continue;
    const bool write = f->callback[0] == 'c';  // compute holds the write lock
    throw gomap::panic(std::string("gomap: ShardedMap::") + method + " called from inside a " +
                       f->callback + " callback on the same map (this thread holds the " +
                       (write ? "write" : "read") + " lock of shard " + std::to_string(f->shard) +
                       " of " + std::to_string(nshards) +
                       "; locking a shard again would deadlock)");
  }
}

struct sharded_map_access;  // the one friend for tests

// The engine of ShardedMap, with the lock as a parameter so tools/lockbench
// can measure the candidates; users see only gomap::ShardedMap.
template <class K, class V, class Hash, class Eq, class Lock>
class sharded_map {
  using map_type = Map<K, V, Hash, Eq>;

  // One shard: its lock and the handle of its map, alone on a cache line.
  // (The map's header and buckets are separate heap blocks.)
  struct alignas(cache_line_size) shard {
    mutable Lock mu;
    map_type m;
  };
  static_assert(sizeof(shard) % cache_line_size == 0);

  static constexpr bool transparent = transparent_v<Hash, Eq>;

  // Q is usable as it is (K itself, or Hash and Eq are transparent); other
  // key types are converted to K once, by the public entry points.
  template <class Q>
  static constexpr bool direct_key_v = std::is_same_v<Q, K> || transparent;

  // The one key-normalising entry: f(k) when k is usable as it is, else
  // f(K(k)) — converted once, before any shard is chosen.
  template <class Q, class F>
  static decltype(auto) with_key(Q&& k, F&& f) {
    if constexpr (direct_key_v<std::remove_cvref_t<Q>>)
      return f(std::forward<Q>(k));
    else
      return f(K(std::forward<Q>(k)));
  }

  // The front door of every keyed method (boost's reentrancy_checked is the
  // model): refuses a call from inside this map's own callback, finds the
  // key's shard and holds its lock — shared for reads, exclusive for writes —
  // for the guard's life.
  template <bool Exclusive>
  class shard_guard {
   public:
    template <class Q>
    shard_guard(const sharded_map& m, const Q& k, const char* method)
        : shard_((m.check_reentry(method), m.shard_for(k))), lock_(shard_.mu) {}
    shard& get() const noexcept { return shard_; }

   private:
    shard& shard_;
    std::conditional_t<Exclusive, std::unique_lock<Lock>, std::shared_lock<Lock>> lock_;
  };
  using read_guard = shard_guard<false>;
  using write_guard = shard_guard<true>;

 public:
  using key_type = K;
  using mapped_type = V;
  using hasher = Hash;
  using key_equal = Eq;
  using size_type = std::size_t;
  using lock_type = Lock;

  explicit sharded_map(std::size_t shards = 0, Hash h = Hash{}, Eq e = Eq{})
      : nshards_(shard_count_for(shards)),
        shift_(shard_hash_top - static_cast<unsigned>(std::countr_zero(nshards_))),
        seed_(fastrand64()),
        hasher_(h),
        shards_(new shard[nshards_]) {
    for (std::size_t i = 0; i < nshards_; ++i) shards_[i].m = gomap::make<K, V, Hash, Eq>(0, h, e);
  }
  sharded_map(const sharded_map&) = delete;  // owns locks: neither copied nor moved
  sharded_map& operator=(const sharded_map&) = delete;

  std::size_t shard_count() const noexcept { return nshards_; }

  // ------------------------------------------------------------------ reads
  // v := m[k] — the zero value when absent.
  template <class Q = K>
  V get(const Q& k) const {
    return with_key(k, [&](const auto& key) {
      const read_guard g(*this, key, "get");
      if (const V* p = g.get().m.find(key)) return *p;
      return V{};
    });
  }
  // v, ok := m[k]
  template <class Q = K>
  std::pair<V, bool> lookup(const Q& k) const {
    return with_key(k, [&](const auto& key) -> std::pair<V, bool> {
      const read_guard g(*this, key, "lookup");
      if (const V* p = g.get().m.find(key)) return {*p, true};
      return {V{}, false};
    });
  }
  // _, ok := m[k]
  template <class Q = K>
  bool contains(const Q& k) const {
    return with_key(k, [&](const auto& key) {
      const read_guard g(*this, key, "contains");
      return g.get().m.contains(key);
    });
  }

  // len(m): the sum of the shards' sizes, each read under its lock; exact
  // when no write is in flight.
  size_type size() const {
    check_reentry("size");
    size_type n = 0;
    for (std::size_t i = 0; i < nshards_; ++i) {
      std::shared_lock g(shards_[i].mu);
      n += shards_[i].m.size();
    }
    return n;
  }
  bool empty() const { return size() == 0; }

  // ----------------------------------------------------------------- writes
  // m[k] = v
  template <class KArg, class VArg>
  requires std::is_constructible_v<K, KArg&&> && std::is_constructible_v<V, VArg&&>
  void set(KArg&& k, VArg&& v) {
    with_key(std::forward<KArg>(k), [&](auto&& key) {
      const write_guard g(*this, key, "set");
      g.get().m.set(std::forward<decltype(key)>(key), std::forward<VArg>(v));
    });
  }

  // delete(m, k)
  template <class Q = K>
  void erase(const Q& k) {
    with_key(k, [&](const auto& key) {
      const write_guard g(*this, key, "erase");
      g.get().m.erase(key);
    });
  }

  // clear(m): each shard emptied under its write lock in turn.
  void clear() {
    check_reentry("clear");
    for (std::size_t i = 0; i < nshards_; ++i) {
      std::lock_guard g(shards_[i].mu);
      shards_[i].m.clear();
    }
  }

  // LoadOrStore: (actual, loaded).  A read lock first, as most calls of a
  // cache-like map find the key; the write lock only to insert (re-checked
  // under it, as another thread may have inserted in between).
  template <class KArg>
  requires std::is_constructible_v<K, KArg&&> std::pair<V, bool> load_or_store(KArg&& k, V v) {
    return with_key(std::forward<KArg>(k), [&](auto&& key) -> std::pair<V, bool> {
      {
        const read_guard g(*this, key, "load_or_store");
        if (const V* p = g.get().m.find(key)) return {*p, true};
      }
      const write_guard g(*this, key, "load_or_store");
      if (const V* p = g.get().m.find(key)) return {*p, true};
      g.get().m.set(std::forward<decltype(key)>(key), v);
      return {std::move(v), false};
    });
  }

  // compute(k, f): f(const V* current) -> std::optional<V>, called once
  // under the shard's write lock with nullptr when k is absent.  A value is
  // stored; std::nullopt deletes k (or leaves it absent).  Returns what k
  // maps to afterwards.  If f throws, the map is unchanged.
  template <class KArg, class F>
  requires std::is_constructible_v<K, KArg&&> std::optional<V> compute(KArg&& k, F&& f) {
    static_assert(std::is_convertible_v<std::invoke_result_t<F&, const V*>, std::optional<V>>,
                  "compute: f must be callable as std::optional<V> f(const V* current)");
    return with_key(std::forward<KArg>(k), [&](auto&& key) {
      const write_guard g(*this, key, "compute");
      shard& s = g.get();
      V* cur = s.m.find(key);
      std::optional<V> result;
      {
        sharded_callback_scope scope(this, index_of(s), "compute");
        result = std::invoke(f, static_cast<const V*>(cur));
      }
      if (result) {
        // Go's needkeyupdate (+0.0 over -0.0) goes through mapassign.
        if (cur != nullptr && !need_key_update<K>::value) {
          *cur = *result;
        } else {
          s.m.set(std::forward<decltype(key)>(key), *result);
        }
      } else if (cur != nullptr) {
        s.m.erase(key);
      }
      return result;
    });
  }

  // ------------------------------------------------------------- iteration
  // range(f): f(const K&, const V&) returns false to stop (or void).  The
  // shards are visited in turn from a random one, each under its read lock;
  // within a shard the order is the map's (random per loop, as Go's).
  // Weakly consistent: a key written during the loop may or may not be seen;
  // no key is seen twice; every value seen is one the key had.
  template <class F>
  void range(F&& f) const {
    check_reentry("range");
    const std::size_t start = static_cast<std::size_t>(fastrand64()) & (nshards_ - 1);
    for (std::size_t n = 0; n < nshards_; ++n) {
      const std::size_t i = (start + n) & (nshards_ - 1);
      const shard& s = shards_[i];
      std::shared_lock g(s.mu);
      sharded_callback_scope scope(this, i, "range");
      bool go_on = true;
      s.m.range([&](const K& k, const V& v) {
        if constexpr (std::is_void_v<std::invoke_result_t<F&, const K&, const V&>>) {
          std::invoke(f, k, v);
        } else {
          go_on = static_cast<bool>(std::invoke(f, k, v));
        }
        return go_on;
      });
      if (!go_on) return;
    }
  }

 private:
  friend struct sharded_map_access;

  void check_reentry(const char* method) const {
    if (t_sharded_callbacks != nullptr) [[unlikely]]
      check_sharded_reentry(this, method, nshards_);
  }

  template <class Q>
  std::size_t shard_index(const Q& k) const {
    return static_cast<std::size_t>(maptype<K, V, Hash, Eq>::hash(hasher_, k, seed_) >> shift_) &
           (nshards_ - 1);
  }
  template <class Q>
  shard& shard_for(const Q& k) const {
    return shards_[shard_index(k)];
  }
  std::size_t index_of(const shard& s) const noexcept {
    return static_cast<std::size_t>(&s - shards_.get());
  }

  const std::size_t nshards_;  // a power of two
  const unsigned shift_;       // shard = (hash >> shift_) & (nshards_ - 1)
  const std::uint64_t seed_;   // this instance's shard-hash seed
  [[no_unique_address]] Hash hasher_;
  const std::unique_ptr<shard[]> shards_;
};

// Test access: which shard a key lands in, and one shard's map statistics.
struct sharded_map_access {
  template <class M, class Q>
  static std::size_t shard_of(const M& m, const Q& k) {
    return m.shard_index(k);
  }
  template <class M>
  static MapStats shard_stats(const M& m, std::size_t i) {
    std::shared_lock g(m.shards_[i].mu);
    return m.shards_[i].m.stats();
  }
};

}  // namespace runtime

// gomap::ShardedMap — see the top of this file.
template <class K, class V, class Hash = gomap::hash<K>, class Eq = gomap::equal_to<K>>
class ShardedMap : public runtime::sharded_map<K, V, Hash, Eq, runtime::rw_spinlock> {
  using base = runtime::sharded_map<K, V, Hash, Eq, runtime::rw_spinlock>;

 public:
  // shards == 0: 4 × std::thread::hardware_concurrency(); any count is
  // rounded up to a power of two (at most runtime::max_shards).
  explicit ShardedMap(std::size_t shards = 0, Hash h = Hash{}, Eq e = Eq{})
      : base(shards, std::move(h), std::move(e)) {}
};

}  // namespace gomap
