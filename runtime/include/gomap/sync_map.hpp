// <gomap/sync_map.hpp> — gomap::SyncMap<K, V>, Go's sync.Map (sync/map.go, 1.19–1.23), typed.
//
// The design is Go's, name for name:
//
//  * read_  — an atomically published pointer to an immutable read_only {m, amended}. The
//             map m is a gomap::Map<K, entry*>; once published it is never written again,
//             so any number of threads look keys up in it without a lock (concurrent reads
//             of a Go map are fine, and so they are of a gomap::Map).
//  * dirty_ — a gomap::Map<K, entry*> under mu_ holding every live entry of read_->m plus
//             the keys added since (read_->amended says whether there are any). Nil when
//             Go's m.dirty is nil.
//  * misses_ — loads that had to take mu_; when they reach len(dirty) the dirty map is
//             promoted to be the new read map (missLocked), and the next write rebuilds a
//             dirty copy (dirtyLocked), expunging deleted entries instead of copying them.
//  * entry  — one per key, holding an atomic pointer to an immutable heap value_box:
//             nullptr = deleted, expunged() = deleted and absent from dirty_. Values are
//             replaced by CAS; an expunged entry is revived only under mu_ (unexpungeLocked).
//
// What Go's garbage collector did is done by gomap/rcu.hpp. Every operation runs inside an
// rcu read section, so the read_only struct, entries and value boxes it reached stay alive
// until it returns; whatever a writer unlinks is retired, never deleted in place:
//  * a value box, when a CAS replaces or deletes it (the CAS winner retires it);
//  * a read_only struct, when read_ is re-published (promotion, amended, clear);
//  * an entry, once it is in neither the current read map nor dirty_ — decided under mu_:
//    at promotion for the entries dirtyLocked expunged and nobody revived (kept on the
//    expunged_ list), when LoadAndDelete drops a dirty-only key, and for all of them in
//    clear(). An entry owns its final value box (freed by the entry's deleter).
//
// Beyond Go: size() (golang/go#20680) counts keys with a value — only transitions between
// "absent" (nullptr, expunged, new) and "has a value" touch the counter, never loads or
// overwrites — and load_or_compute(k, f) (xsync's LoadOrCompute) runs f at most once per
// absent key.
//
// clear() differs from Go 1.23 in one way that only removes a race: it marks every entry
// it drops as expunged, so a Store racing with Clear on an entry of the old read map falls
// back to the locked path and lands in the new map instead of in an unreachable entry.
//
// Reads of keys present in the read map take no lock and write no shared cache line (the
// rcu read section writes only the calling thread's record). range() may call any method
// of the same map from its callback, including store, erase and range: it holds no lock
// while calling back. load_or_compute's f may call any method except load_or_compute on
// the same map.
#pragma once

#include <atomic>
#include <cassert>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <utility>
#include <vector>

#include "gomap/hash.hpp"
#include "gomap/map.hpp"
#include "gomap/rcu.hpp"
#include "gomap/runtime/sched_point.hpp"

namespace gomap {

template <class K, class V, class Hash, class Eq>
struct sync_map_access;  // the one friend for tests

template <class K, class V, class Hash = gomap::hash<K>, class Eq = gomap::equal_to<K>>
class SyncMap {
 public:
  SyncMap() : read_(new read_only) {}
  SyncMap(const SyncMap&) = delete;  // Go: "must not be copied after first use"
  SyncMap& operator=(const SyncMap&) = delete;
  ~SyncMap();

  // Load
  std::optional<V> load(const K& key) const {
    rcu_reader guard;
    entry* e = lookup(key);
    if (e == nullptr) return std::nullopt;
    return e->load();
  }

  // Store (Go 1.20: a Swap that drops the previous value)
  void store(K key, V value) {
    rcu_reader guard;
    auto box = std::make_unique<value_box>(std::move(value));
    if (value_box* old = swap_box(std::move(key), box)) old->retire();
  }

  // Swap
  std::optional<V> swap(K key, V value) {
    rcu_reader guard;
    auto box = std::make_unique<value_box>(std::move(value));
    value_box* old = swap_box(std::move(key), box);
    if (old == nullptr) return std::nullopt;
    std::optional<V> previous(old->value);
    old->retire();
    return previous;
  }

  // LoadOrStore
  std::pair<V, bool> load_or_store(K key, V value) {
    rcu_reader guard;
    return load_or_store_locked_or_not(std::move(key), value);
  }

  // Beyond Go: f() runs at most once per absent key — callers for absent keys take
  // compute_mu_ in turn and re-check, so a second caller finds the first one's value.
  template <class F>
  std::pair<V, bool> load_or_compute(const K& key, F f) {
    if (auto v = load(key)) return {std::move(*v), true};
    std::lock_guard ck(compute_mu_);
    if (auto v = load(key)) return {std::move(*v), true};
    V value = f();
    rcu_reader guard;
    return load_or_store_locked_or_not(K(key), value);
  }

  // LoadAndDelete
  std::optional<V> load_and_delete(const K& key) {
    rcu_reader guard;
    entry* e = find_for_delete(key);
    if (e == nullptr) return std::nullopt;
    value_box* old = delete_entry(e);
    if (old == nullptr) return std::nullopt;
    std::optional<V> value(old->value);
    old->retire();
    return value;
  }

  // Delete
  void erase(const K& key) {
    rcu_reader guard;
    entry* e = find_for_delete(key);
    if (e == nullptr) return;
    if (value_box* old = delete_entry(e)) old->retire();
  }

  // CompareAndSwap
  bool compare_and_swap(const K& key, const V& old, V new_value) {
    rcu_reader guard;
    std::unique_ptr<value_box> box;
    GOMAP_YIELD("sync_map.cas.read");
    read_only* read = read_.load(std::memory_order_acquire);
    if (entry* e = get_entry(read->m, key)) {
      return try_compare_and_swap(e, old, new_value, box);
    } else if (!read->amended) {
      return false;  // no existing value for key
    }
    std::lock_guard lk(mu_);
    read = read_.load(std::memory_order_relaxed);
    if (entry* e = get_entry(read->m, key)) {
      return try_compare_and_swap(e, old, new_value, box);
    } else if (entry* d = get_entry(dirty_, key)) {
      const bool swapped = try_compare_and_swap(d, old, new_value, box);
      miss_locked();
      return swapped;
    }
    return false;
  }

  // CompareAndDelete
  bool compare_and_delete(const K& key, const V& old) {
    rcu_reader guard;
    // Don't delete key from dirty_: we still need to do the "compare" part of the
    // operation.  The entry will eventually be expunged when the dirty map is promoted.
    entry* e = lookup(key);
    if (e == nullptr) return false;
    GOMAP_YIELD("sync_map.cad.load");
    value_box* p = e->p.load(std::memory_order_acquire);
    for (;;) {
      if (p == nullptr || p == expunged() || !(p->value == old)) return false;
      GOMAP_YIELD("sync_map.cad.cas");
      if (e->p.compare_exchange_weak(p, nullptr, std::memory_order_acq_rel,
                                     std::memory_order_acquire)) {
        size_.fetch_sub(1, std::memory_order_relaxed);
        p->retire();
        return true;
      }
    }
  }

  // Range: f(const K&, const V&) -> bool; false stops. No key is visited twice; a value
  // seen for a key is one it had at some point during the call.
  template <class F>
  void range(F f) const {
    rcu_reader guard;
    // We need to be able to iterate over all of the keys that were already present at the
    // start of the call. If read->amended is false, read->m satisfies that property
    // without holding mu_ for a long time; otherwise promote dirty_ right away: range is
    // O(N) anyway, so it amortizes the copy.
    GOMAP_YIELD("sync_map.range.read");
    read_only* read = read_.load(std::memory_order_acquire);
    if (read->amended) {
      std::lock_guard lk(mu_);
      read = read_.load(std::memory_order_relaxed);
      if (read->amended) read = promote_locked();
    }
    read->m.range([&f](const K& k, entry* const& e) -> bool {
      GOMAP_YIELD("sync_map.range.entry");
      value_box* p = e->p.load(std::memory_order_acquire);
      if (p == nullptr || p == expunged()) return true;
      return static_cast<bool>(f(k, static_cast<const V&>(p->value)));
    });
  }

  // Clear (Go 1.23)
  void clear() {
    {
      rcu_reader guard;
      GOMAP_YIELD("sync_map.clear.read");
      read_only* read = read_.load(std::memory_order_acquire);
      // Avoid allocating a new read_only when the map is already clear.
      if (read->m.size() == 0 && !read->amended) return;
    }
    std::lock_guard lk(mu_);
    read_only* read = read_.load(std::memory_order_relaxed);
    if (read->m.size() > 0 || read->amended) {
      GOMAP_YIELD("sync_map.clear.publish");
      read_.store(new read_only, std::memory_order_release);
      if (dirty_.is_nil()) {
        read->m.range([this](const K&, entry* const& e) {
          kill_locked(e);
          return true;
        });
      } else {
        // The read map's entries missing from dirty_ are those dirtyLocked expunged and
        // nobody revived. (First: killing dirty_'s entries expunges the revived ones.)
        for (entry* e : expunged_) {
          if (e->p.load(std::memory_order_relaxed) == expunged()) e->retire();
        }
        dirty_.range([this](const K&, entry* const& e) {
          kill_locked(e);
          return true;
        });
      }
      read->retire();
    }
    expunged_.clear();
    if (!dirty_.is_nil()) dirty_.clear();
    // Don't immediately promote the newly-cleared dirty map on the next operation.
    misses_ = 0;
  }

  // Beyond Go (golang/go#20680): the number of keys with a value. Exact when no operation
  // is in flight; a racing snapshot otherwise.
  std::size_t size() const noexcept {
    const std::int64_t n = size_.load(std::memory_order_relaxed);
    return n < 0 ? 0 : static_cast<std::size_t>(n);
  }

 private:
  friend struct sync_map_access<K, V, Hash, Eq>;

  // A value, immutable once published in an entry.
  struct value_box : rcu_obj_base<value_box> {
    template <class... A>
    explicit value_box(A&&... a) : value(std::forward<A>(a)...) {}
    V value;
  };

  struct entry : rcu_obj_base<entry> {
    explicit entry(value_box* v) : p(v) {}
    entry(const entry&) = delete;
    entry& operator=(const entry&) = delete;
    ~entry() {
      value_box* v = p.load(std::memory_order_relaxed);
      if (v != nullptr && v != expunged()) delete v;
    }

    // load (the caller is in a read section)
    std::optional<V> load() const {
      GOMAP_YIELD("sync_map.entry.load");
      value_box* v = p.load(std::memory_order_acquire);
      if (v == nullptr || v == expunged()) return std::nullopt;
      return v->value;
    }

    // p is nullptr (deleted: dirty_ is nil or dirty_[key] is this entry), expunged()
    // (deleted, dirty_ non-nil and this entry missing from it) or a live value_box.
    std::atomic<value_box*> p;
  };

  using map_type = Map<K, entry*, Hash, Eq>;  // Go: map[any]*entry

  // m[key], nullptr when absent (a read: safe on the published read map from any thread).
  static entry* get_entry(const map_type& m, const K& key) {
    // A use of a published read map (or of dirty_): a reader preempted between loading
    // read_ and this lookup is what a too-early retirement of the read map would hurt.
    GOMAP_YIELD("sync_map.map.find");
    entry* const* e = m.find(key);
    return e != nullptr ? *e : nullptr;
  }

  // readOnly: immutable once published in read_.
  struct read_only : rcu_obj_base<read_only> {
    read_only() = default;
    read_only(map_type map, bool a) : m(std::move(map)), amended(a) {}
    map_type m;            // nil for Go's zero readOnly
    bool amended = false;  // true if dirty_ contains some key not in m
  };

  // expunged: an address that is never a value_box, marking entries deleted from dirty_.
  alignas(value_box) static inline unsigned char expunged_storage_[1] = {};
  static value_box* expunged() noexcept { return reinterpret_cast<value_box*>(expunged_storage_); }

  // Go's Load locking protocol: the read map first; when the key is missing there and the
  // dirty map holds more, look again under mu_ (dirty_ may have been promoted while we
  // were blocked), then in dirty_, where `in_dirty_locked(e)` runs with mu_ held.
  template <class InDirtyLocked>
  entry* lookup_with(const K& key, InDirtyLocked in_dirty_locked) const {
    GOMAP_YIELD("sync_map.lookup.read");
    read_only* read = read_.load(std::memory_order_acquire);
    entry* e = get_entry(read->m, key);
    if (e == nullptr && read->amended) {
      std::lock_guard lk(mu_);
      read = read_.load(std::memory_order_relaxed);
      e = get_entry(read->m, key);
      if (e == nullptr && read->amended) {
        e = get_entry(dirty_, key);
        in_dirty_locked(e);
        // Regardless of whether the entry was present, record a miss: this key will take
        // the slow path until the dirty map is promoted to the read map.
        miss_locked();
      }
    }
    return e;
  }

  // The entry for key (Load).
  entry* lookup(const K& key) const {
    return lookup_with(key, [](entry*) {});
  }

  // LoadAndDelete's lookup: a dirty-only key leaves dirty_ right away, and its entry,
  // now in no map, is retired (we keep using it until our read section ends).
  entry* find_for_delete(const K& key) {
    return lookup_with(key, [&](entry* e) {
      if (e != nullptr) {
        dirty_.erase(key);
        e->retire();
      }
    });
  }

  // delete: returns the value box it removed (to be retired), nullptr if there was none.
  value_box* delete_entry(entry* e) {
    GOMAP_YIELD("sync_map.delete.load");
    value_box* p = e->p.load(std::memory_order_acquire);
    for (;;) {
      if (p == nullptr || p == expunged()) return nullptr;
      GOMAP_YIELD("sync_map.delete.cas");
      if (e->p.compare_exchange_weak(p, nullptr, std::memory_order_acq_rel,
                                     std::memory_order_acquire)) {
        size_.fetch_sub(1, std::memory_order_relaxed);
        return p;
      }
    }
  }

  // Swap's body: installs box for key; returns the previous value box (to be retired by
  // the caller) or nullptr if the key had no value.
  value_box* swap_box(K key, std::unique_ptr<value_box>& box) {
    GOMAP_YIELD("sync_map.swap.read");
    read_only* read = read_.load(std::memory_order_acquire);
    if (entry* e = get_entry(read->m, key)) {
      if (auto [old, ok] = try_swap(e, box.get()); ok) {
        // Ownership moved into e->p by the CAS above.
        (void)box.release();  // NOLINT(clang-analyzer-cplusplus.NewDeleteLeaks): owned by e->p
        if (old == nullptr) size_.fetch_add(1, std::memory_order_relaxed);
        return old;  // NOLINT(clang-analyzer-cplusplus.NewDeleteLeaks): box lives in e->p
      }
    }
    std::lock_guard lk(mu_);
    read = read_.load(std::memory_order_relaxed);
    value_box* old = nullptr;
    if (entry* e = get_entry(read->m, key)) {
      // If the entry was previously expunged, there is a non-nil dirty map and this
      // entry is not in it.
      unexpunge_locked(std::move(key), e);
      old = swap_locked(e, box.release());
    } else if (entry* d = get_entry(dirty_, key)) {
      old = swap_locked(d, box.release());
    } else {
      if (!read->amended) {
        // We're adding the first new key to the dirty map. Make sure it is allocated and
        // mark the read-only map as incomplete.
        dirty_locked();
        republish_locked(read, true);
      }
      auto fresh = std::make_unique<entry>(box.get());
      dirty_.set(std::move(key), fresh.get());  // may throw: box and entry still ours
      (void)fresh.release();                    // owned by dirty_
      // Ownership moved into e->p by the CAS above.
      (void)box.release();  // NOLINT(clang-analyzer-cplusplus.NewDeleteLeaks): owned by e->p
    }
    if (old == nullptr) size_.fetch_add(1, std::memory_order_relaxed);
    return old;
  }

  // LoadOrStore's body; `value` is moved into a box only when it is stored.
  std::pair<V, bool> load_or_store_locked_or_not(K key, V& value) {
    std::unique_ptr<value_box> box;
    // Avoid locking if it's a clean hit.
    GOMAP_YIELD("sync_map.load_or_store.read");
    read_only* read = read_.load(std::memory_order_acquire);
    if (entry* e = get_entry(read->m, key)) {
      if (auto r = try_load_or_store(e, value, box)) return std::move(*r);
    }
    std::lock_guard lk(mu_);
    read = read_.load(std::memory_order_relaxed);
    if (entry* e = get_entry(read->m, key)) {
      unexpunge_locked(std::move(key), e);
      return std::move(*try_load_or_store(e, value, box));
    } else if (entry* d = get_entry(dirty_, key)) {
      auto r = try_load_or_store(d, value, box);
      miss_locked();
      return std::move(*r);
    }
    if (!read->amended) {
      // We're adding the first new key to the dirty map. Make sure it is allocated and
      // mark the read-only map as incomplete.
      dirty_locked();
      republish_locked(read, true);
    }
    if (!box) box = std::make_unique<value_box>(std::move(value));
    auto fresh = std::make_unique<entry>(box.get());
    dirty_.set(std::move(key), fresh.get());
    (void)fresh.release();  // owned by dirty_
    value_box* stored = box.release();
    size_.fetch_add(1, std::memory_order_relaxed);
    return {stored->value, false};  // still in our read section: safe to copy
  }

  // trySwap: swaps in v unless the entry is expunged. Returns {previous, true}, or
  // {nullptr, false} leaving the entry unchanged if it is expunged.
  static std::pair<value_box*, bool> try_swap(entry* e, value_box* v) {
    GOMAP_YIELD("sync_map.try_swap.load");
    value_box* p = e->p.load(std::memory_order_acquire);
    for (;;) {
      if (p == expunged()) return {nullptr, false};
      GOMAP_YIELD("sync_map.try_swap.cas");
      if (e->p.compare_exchange_weak(p, v, std::memory_order_acq_rel, std::memory_order_acquire)) {
        return {p, true};
      }
    }
  }

  // unexpungeLocked: ensures the entry is not marked as expunged; if it was, adds it to
  // dirty_ (Go's callers do that right after). Expunged is stable while mu_ is held, so
  // the entry goes into dirty_ first: if that throws, nothing has changed.
  void unexpunge_locked(K&& key, entry* e) {
    GOMAP_YIELD("sync_map.unexpunge.load");
    if (e->p.load(std::memory_order_acquire) != expunged()) return;
    dirty_.set(std::move(key), e);
    value_box* x = expunged();
    GOMAP_YIELD("sync_map.unexpunge.cas");
    const bool was_expunged = e->p.compare_exchange_strong(x, nullptr, std::memory_order_acq_rel);
    (void)was_expunged;
    assert(was_expunged && "only mu_ holders change an expunged entry");
  }

  // swapLocked: unconditionally swaps a value into the entry, known not to be expunged.
  static value_box* swap_locked(entry* e, value_box* v) {
    GOMAP_YIELD("sync_map.swap_locked");
    return e->p.exchange(v, std::memory_order_acq_rel);
  }

  // tryLoadOrStore: loads or stores a value if the entry is not expunged; std::nullopt
  // (entry unchanged) if it is.
  std::optional<std::pair<V, bool>> try_load_or_store(entry* e, V& value,
                                                      std::unique_ptr<value_box>& box) {
    GOMAP_YIELD("sync_map.try_load_or_store.load");
    value_box* p = e->p.load(std::memory_order_acquire);
    if (p == expunged()) return std::nullopt;
    if (p != nullptr) return std::pair<V, bool>(p->value, true);
    // Box the value only now: the load and expunged paths allocate nothing.
    if (!box) box = std::make_unique<value_box>(std::move(value));
    for (;;) {
      p = nullptr;
      GOMAP_YIELD("sync_map.try_load_or_store.cas");
      if (e->p.compare_exchange_strong(p, box.get(), std::memory_order_acq_rel,
                                       std::memory_order_acquire)) {
        value_box* stored = box.release();
        size_.fetch_add(1, std::memory_order_relaxed);
        return std::pair<V, bool>(stored->value, false);
      }
      if (p == expunged()) return std::nullopt;
      if (p != nullptr) return std::pair<V, bool>(p->value, true);
    }
  }

  // tryCompareAndSwap: compares the entry with old and, if equal and not expunged, swaps
  // in new_value (boxed on first need).
  static bool try_compare_and_swap(entry* e, const V& old, V& new_value,
                                   std::unique_ptr<value_box>& box) {
    GOMAP_YIELD("sync_map.try_cas.load");
    value_box* p = e->p.load(std::memory_order_acquire);
    if (p == nullptr || p == expunged() || !(p->value == old)) return false;
    if (!box) box = std::make_unique<value_box>(std::move(new_value));
    for (;;) {
      GOMAP_YIELD("sync_map.try_cas.cas");
      if (e->p.compare_exchange_weak(p, box.get(), std::memory_order_acq_rel,
                                     std::memory_order_acquire)) {
        // Ownership moved into e->p by the CAS above.
        (void)box.release();  // NOLINT(clang-analyzer-cplusplus.NewDeleteLeaks): owned by e->p
        p->retire();
        return true;
      }
      if (p == nullptr || p == expunged() || !(p->value == old)) return false;
    }
  }

  // tryExpungeLocked: marks a deleted entry expunged (dirtyLocked leaves it out).
  static bool try_expunge_locked(entry* e) {
    GOMAP_YIELD("sync_map.expunge.load");
    value_box* p = e->p.load(std::memory_order_acquire);
    while (p == nullptr) {
      GOMAP_YIELD("sync_map.expunge.cas");
      if (e->p.compare_exchange_weak(p, expunged(), std::memory_order_acq_rel,
                                     std::memory_order_acquire)) {
        return true;
      }
    }
    return p == expunged();
  }

  // missLocked
  void miss_locked() const {
    ++misses_;
    if (misses_ < dirty_.size()) return;
    promote_locked();
  }

  // The dirty map becomes the read map (missLocked, Range). The entries dirtyLocked
  // expunged and nobody revived are in neither map from now on: retire them.
  read_only* promote_locked() const {
    read_only* old = read_.load(std::memory_order_relaxed);
    auto* fresh = new read_only(dirty_, false);
    GOMAP_YIELD("sync_map.promote");
    read_.store(fresh, std::memory_order_release);
    old->retire();
    dirty_ = map_type();
    misses_ = 0;
    for (entry* e : expunged_) {
      if (e->p.load(std::memory_order_relaxed) == expunged()) e->retire();
    }
    expunged_.clear();
    return fresh;
  }

  // Publishes {read->m, amended} in place of read, retiring read.
  void republish_locked(read_only* read, bool amended) {
    GOMAP_YIELD("sync_map.republish");
    read_.store(new read_only(read->m, amended), std::memory_order_release);
    read->retire();
  }

  // dirtyLocked
  void dirty_locked() {
    if (!dirty_.is_nil()) return;
    read_only* read = read_.load(std::memory_order_relaxed);
    map_type fresh = gomap::make<K, entry*, Hash, Eq>(static_cast<std::int64_t>(read->m.size()));
    std::vector<entry*> out;
    read->m.range([&](const K& k, entry* const& e) {
      if (try_expunge_locked(e)) {
        out.push_back(e);
      } else {
        fresh.set(k, e);
      }
      return true;
    });
    dirty_ = std::move(fresh);
    expunged_ = std::move(out);
  }

  // clear(): the entry is in no map any more. Expunging it sends racing lock-free writers
  // to the locked path; its value, if any, is retired with it.
  void kill_locked(entry* e) {
    GOMAP_YIELD("sync_map.kill");
    value_box* old = e->p.exchange(expunged(), std::memory_order_acq_rel);
    if (old != nullptr && old != expunged()) {
      size_.fetch_sub(1, std::memory_order_relaxed);
      old->retire();
    }
    e->retire();
  }

  // read_ is read by every operation: alone on its cache line.
  alignas(detail::rcu_line_size) mutable std::atomic<read_only*> read_;

  alignas(detail::rcu_line_size) mutable runtime::sched_mutex mu_;
  mutable map_type dirty_;                // guarded by mu_; nil = Go's nil m.dirty
  mutable std::vector<entry*> expunged_;  // guarded by mu_; see promote_locked
  mutable std::size_t misses_ = 0;        // guarded by mu_

  alignas(detail::rcu_line_size) std::atomic<std::int64_t> size_{0};
  runtime::sched_mutex compute_mu_;  // load_or_compute's one-at-a-time for absent keys
};

// The one friend for tests: a look at the read/dirty machinery (take no concurrent
// operations while using it, except read_size()).
template <class K, class V, class Hash, class Eq>
struct sync_map_access {
  using map = SyncMap<K, V, Hash, Eq>;
  static bool amended(const map& m) {
    rcu_reader g;
    return m.read_.load(std::memory_order_acquire)->amended;
  }
  static std::size_t read_size(const map& m) {
    rcu_reader g;
    return m.read_.load(std::memory_order_acquire)->m.size();
  }
  static bool dirty_is_nil(const map& m) {
    std::lock_guard lk(m.mu_);
    return m.dirty_.is_nil();
  }
  static std::size_t dirty_size(const map& m) {
    std::lock_guard lk(m.mu_);
    return m.dirty_.size();
  }
  static std::size_t misses(const map& m) {
    std::lock_guard lk(m.mu_);
    return m.misses_;
  }
};

template <class K, class V, class Hash, class Eq>
SyncMap<K, V, Hash, Eq>::~SyncMap() {
  // No other thread may use the map now, so nothing needs a grace period: delete the live
  // entries (each once: an entry of the read map that is not expunged is also in dirty_)
  // and the read_only. Objects retired earlier are reclaimed by the rcu domain.
  read_only* read = read_.load(std::memory_order_acquire);
  if (dirty_.is_nil()) {
    read->m.range([](const K&, entry* const& e) {
      delete e;
      return true;
    });
  } else {
    // Before dirty_'s entries: a revived entry of expunged_ is one of them.
    for (entry* e : expunged_) {
      if (e->p.load(std::memory_order_relaxed) == expunged()) delete e;
    }
    dirty_.range([](const K&, entry* const& e) {
      delete e;
      return true;
    });
  }
  delete read;
}

}  // namespace gomap
