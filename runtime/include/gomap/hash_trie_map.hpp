// <gomap/hash_trie_map.hpp> — gomap::HashTrieMap<K, V>, Go 1.24+'s sync.Map
// (internal/sync/hashtriemap.go, the concurrent hash-trie behind sync.Map since Go 1.24), typed.
//
// Same members and semantics as gomap::SyncMap (Go 1.19–1.23's read/dirty design); what differs
// is the inside, which is Go's, name for name:
//
//  * indirect — an inner node: 16 atomic child pointers indexed by successive 4-bit pieces of
//               the key's seeded 64-bit hash (the root by the top 4 bits), a mutex guarding
//               mutation of its children (and of the entry chains hanging from them), a
//               `dead` flag and an immutable parent pointer. The root is never dead and has
//               no parent.
//  * entry    — a leaf: an immutable key and value, plus an atomic `overflow` pointer that
//               chains entries whose full 64-bit hashes are equal. Replacing a value
//               replaces the entry; an entry is never written after it is published.
//  * A child pointer is nil, an entry or an indirect node; the low bit tells which (Go keeps
//    an isEntry field in the node header; the tag saves readers one dependent load).
//
// Loads walk from the root with acquire loads and take no lock. A writer walks the same way
// to the slot that holds its key's entry (or is nil), locks only the indirect node owning
// that slot, re-checks the slot and the node's `dead` flag, and starts over from the root
// if either changed. Inserting under an occupied slot pushes both entries down into as many
// new indirect nodes as their hashes share nibbles (expand), publishing the new subtree
// with one store, so readers never miss the old entry. Deleting the last entry of a node
// prunes it: lock the parent (child before parent, the only nested locking), mark the node
// dead, clear its slot in the parent, and go on up while nodes are empty.
//
// What Go's garbage collector did is done by gomap/rcu.hpp. Every operation runs inside an
// rcu read section, so whatever it reached stays alive until it returns; nothing reachable
// by a reader is deleted in place, it is retired, exactly once, by the thread that unlinked
// it: an entry when a swap/compare-and-swap replaces it or a delete unlinks it (with its key
// and value); an indirect node when pruning unlinks it; and clear() retires the whole old
// trie. Whatever an unlinked object points to is unlinked (and retired) no earlier than it,
// so a reader that reached an object before its retirement only reaches objects retired
// after its read section began.
//
// clear() (Go: drop the root) swaps in a fresh root and then, top-down, locks each node of
// the old trie, marks it dead and retires it and its entries. A writer that reached an old
// node before the swap either finishes under that node's lock before clear() takes it (and
// clear() then retires what it wrote) or finds it dead and retries from the new root, so
// every entry is retired exactly once. Beyond Go: pruning stops at a dead parent (only
// clear() kills a node that still has children), which leaves that node to clear().
//
// Beyond Go, as SyncMap: size() (golang/go#20680), exact when no operation is in flight
// (striped counters touched only when a key appears or disappears), and load_or_compute(k,
// f) (xsync's LoadOrCompute), which runs f at most once per absent key.
//
// Memory model (as SyncMap and Go's sync.Map): a write that a load, load_or_store, swap or
// range observes happens before that operation returns. range() visits no key twice and
// calls f with a value the key had at some point during the call; it holds no lock while
// calling f, so f may call any method of the same map. load_or_compute's f may call any
// method except load_or_compute on the same map.
#pragma once

#include <atomic>
#include <cassert>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <optional>
#include <utility>

#include "gomap/hash.hpp"
#include "gomap/rcu.hpp"
#include "gomap/runtime/alg.hpp"
#include "gomap/runtime/node_cache.hpp"
#include "gomap/runtime/platform.hpp"
#include "gomap/runtime/rw_spinlock.hpp"
#include "gomap/runtime/sched_point.hpp"

namespace gomap {

template <class K, class V, class Hash, class Eq>
struct hash_trie_map_access;  // the one friend for tests

namespace detail {

// The size counter is striped: a thread adds to its own stripe, size() sums them.
inline constexpr unsigned hash_trie_size_stripes = 8;
inline std::atomic<unsigned> hash_trie_next_stripe{0};
inline unsigned hash_trie_stripe() noexcept {
  static thread_local const unsigned stripe =
      hash_trie_next_stripe.fetch_add(1, std::memory_order_relaxed) % hash_trie_size_stripes;
  return stripe;
}

// An indirect node's lock: one byte, spinning then yielding (the holder runs a few key
// comparisons and an allocation, never a user callback). Acquire/release atomics only, so
// ThreadSanitizer sees its edges.
class hash_trie_lock {
 public:
  bool try_lock() noexcept {
    return !held_.load(std::memory_order_relaxed) &&
           !held_.exchange(true, std::memory_order_acquire);
  }
  void lock() noexcept {
    GOMAP_YIELD("htm.lock");
    if (try_lock()) [[likely]]
      return;
    runtime::spin_backoff b;
    while (!try_lock()) {
      if (!GOMAP_SPIN("htm.lock.wait")) b.wait();
    }
  }
  void unlock() noexcept {
    GOMAP_YIELD("htm.unlock");
    held_.store(false, std::memory_order_release);
  }

 private:
  std::atomic<bool> held_{false};
};

[[noreturn]] inline void hash_trie_out_of_bits() noexcept {
  std::fputs("gomap::HashTrieMap: ran out of hash bits while iterating\n", stderr);
  std::abort();
}

}  // namespace detail

template <class K, class V, class Hash = gomap::hash<K>, class Eq = gomap::equal_to<K>>
class HashTrieMap {
  struct entry;
  struct indirect;

 public:
  HashTrieMap() : root_(new indirect(nullptr)), seed_(runtime::fastrand64()) {}
  HashTrieMap(const HashTrieMap&) = delete;  // Go: "must not be copied after first use"
  HashTrieMap& operator=(const HashTrieMap&) = delete;
  ~HashTrieMap();

  // Load
  std::optional<V> load(const K& key) const {
    const std::uint64_t hash = hash_of(key);
    rcu_reader guard;
    GOMAP_YIELD("htm.load.root");
    const indirect* i = root_.load(std::memory_order_acquire);
    for (unsigned hash_shift = hash_bits; hash_shift != 0;) {
      hash_shift -= n_children_log2;
      GOMAP_YIELD("htm.load.child");
      const node_ptr n = i->child(hash, hash_shift).load(std::memory_order_acquire);
      if (n.is_nil()) return std::nullopt;
      if (n.is_entry()) {
        if (const entry* e = n.as_entry()->lookup(key, eq_)) return e->value;
        return std::nullopt;
      }
      i = n.as_indirect();
    }
    detail::hash_trie_out_of_bits();
  }

  // Store (Go: a Swap that drops the previous value)
  void store(K key, V value) {
    rcu_reader guard;
    if (entry* old = swap_entry(std::move(key), std::move(value))) old->retire();
  }

  // Swap
  std::optional<V> swap(K key, V value) {
    rcu_reader guard;
    entry* old = swap_entry(std::move(key), std::move(value));
    if (old == nullptr) return std::nullopt;
    std::optional<V> previous(old->value);
    old->retire();
    return previous;
  }

  // LoadOrStore
  std::pair<V, bool> load_or_store(K key, V value) {
    rcu_reader guard;
    return load_or_store_entry(std::move(key), value);
  }

  // Beyond Go (as SyncMap's): f() runs at most once per absent key — callers for absent keys
  // take compute_mu_ in turn and re-check, so a second caller finds the first one's value.
  template <class F>
  std::pair<V, bool> load_or_compute(const K& key, F f) {
    if (auto v = load(key)) return {std::move(*v), true};
    std::lock_guard ck(compute_mu_);
    if (auto v = load(key)) return {std::move(*v), true};
    V value = f();
    rcu_reader guard;
    return load_or_store_entry(K(key), value);
  }

  // LoadAndDelete
  std::optional<V> load_and_delete(const K& key) {
    const std::uint64_t hash = hash_of(key);
    rcu_reader guard;
    entry* old = delete_entry(key, hash, nullptr);
    if (old == nullptr) return std::nullopt;
    std::optional<V> value(old->value);
    old->retire();
    return value;
  }

  // Delete
  void erase(const K& key) {
    const std::uint64_t hash = hash_of(key);
    rcu_reader guard;
    if (entry* old = delete_entry(key, hash, nullptr)) old->retire();
  }

  // CompareAndSwap
  bool compare_and_swap(const K& key, const V& old, V new_value) {
    const std::uint64_t hash = hash_of(key);
    rcu_reader guard;
    // Find a node with the key and compare with it; if found, its parent is locked.
    position pos = find(key, hash, &old);
    if (pos.i == nullptr) return false;
    std::unique_lock lk(pos.i->mu, std::adopt_lock);
    if (pos.n.is_nil()) return false;
    // Try to swap the entry (entry.compareAndSwap).
    entry* head = pos.n.as_entry();
    std::atomic<entry*>* link = nullptr;  // the overflow pointer that holds e, nil for head
    for (entry* e = head; e != nullptr; e = e->overflow.load(std::memory_order_relaxed)) {
      if (eq_(e->key, key) && e->value == old) {
        auto* fresh = new entry(e->key, std::move(new_value));
        fresh->overflow.store(e->overflow.load(std::memory_order_relaxed),
                              std::memory_order_relaxed);
        if (link == nullptr) {
          GOMAP_YIELD("htm.cas.publish");
          pos.slot->store(node_ptr::of(fresh), std::memory_order_release);
        } else {
          GOMAP_YIELD("htm.cas.publish");
          link->store(fresh, std::memory_order_release);
        }
        lk.unlock();
        e->retire();
        return true;
      }
      link = &e->overflow;
    }
    // Nothing was actually swapped, which means the node is no longer there.
    return false;
  }

  // CompareAndDelete
  bool compare_and_delete(const K& key, const V& old) {
    const std::uint64_t hash = hash_of(key);
    rcu_reader guard;
    entry* e = delete_entry(key, hash, &old);
    if (e == nullptr) return false;
    e->retire();
    return true;
  }

  // Range (and Go's All): f(const K&, const V&) -> bool; false stops. Not a snapshot: no key
  // is visited twice, and the value seen for a key is one it had during the call.
  template <class F>
  void range(F f) const {
    rcu_reader guard;
    GOMAP_YIELD("htm.range.root");
    iter(root_.load(std::memory_order_acquire), f);
  }

  // Clear
  void clear() {
    rcu_reader guard;
    // Avoid allocating a new root when the map is already clear (Go always allocates).
    GOMAP_YIELD("htm.clear.root");
    if (root_.load(std::memory_order_acquire)->empty()) return;
    // The root must always be non-nil.
    GOMAP_YIELD("htm.clear.exchange");
    indirect* old = root_.exchange(new indirect(nullptr), std::memory_order_acq_rel);
    kill(old);
  }

  // Beyond Go (golang/go#20680): the number of keys with a value. Exact when no operation
  // is in flight; a racing snapshot otherwise.
  std::size_t size() const noexcept {
    std::int64_t n = 0;
    for (const auto& s : sizes_) n += s.n.load(std::memory_order_relaxed);
    return n < 0 ? 0 : static_cast<std::size_t>(n);
  }

 private:
  friend struct hash_trie_map_access<K, V, Hash, Eq>;

  // 16 children. Go: "This seems to be the sweet spot for load performance: any smaller and
  // we lose out on 50% or more in CPU performance. Any larger and the returns are minuscule
  // (~1% improvement for 32 children)."
  static constexpr unsigned n_children_log2 = 4;
  static constexpr unsigned n_children = 1u << n_children_log2;
  static constexpr std::uint64_t n_children_mask = n_children - 1;
  static constexpr unsigned hash_bits = 64;

  // A child pointer: nil, an entry (low bit set) or an indirect node.
  class node_ptr {
   public:
    node_ptr() = default;
    static node_ptr of(entry* e) noexcept {
      return node_ptr(reinterpret_cast<std::uintptr_t>(e) | 1);
    }
    static node_ptr of(indirect* i) noexcept {
      return node_ptr(reinterpret_cast<std::uintptr_t>(i));
    }
    bool is_nil() const noexcept { return bits_ == 0; }
    bool is_entry() const noexcept { return (bits_ & 1) != 0; }
    entry* as_entry() const noexcept {
      assert(is_entry());
      // NOLINTNEXTLINE(performance-no-int-to-ptr): a tagged pointer, the tag cleared
      return reinterpret_cast<entry*>(bits_ & ~std::uintptr_t{1});
    }
    indirect* as_indirect() const noexcept {
      assert(!is_entry() && !is_nil());
      return reinterpret_cast<indirect*>(bits_);  // NOLINT(performance-no-int-to-ptr): untagged
    }

   private:
    explicit node_ptr(std::uintptr_t b) noexcept : bits_(b) {}
    std::uintptr_t bits_ = 0;
  };
  static_assert(std::atomic<node_ptr>::is_always_lock_free);

  // entry: a leaf. key and value are immutable once published; overflow changes only under
  // the lock of the indirect node whose child slot holds the chain.
  // Allocated from the node lists: reclaimed entries come back in batches (node_cache.hpp).
  struct entry : rcu_obj_base<entry>, runtime::node_cache::cached {
    template <class KK, class VV>
    entry(KK&& k, VV&& v) : key(std::forward<KK>(k)), value(std::forward<VV>(v)) {}
    entry(const entry&) = delete;
    entry& operator=(const entry&) = delete;
    ~entry() = default;

    // lookup: the entry of this chain with key, nullptr if none.
    const entry* lookup(const K& k, const Eq& eq) const {
      GOMAP_YIELD("htm.entry.lookup");
      for (const entry* e = this; e != nullptr; e = e->overflow.load(std::memory_order_acquire)) {
        if (eq(e->key, k)) return e;
      }
      return nullptr;
    }

    std::atomic<entry*> overflow{nullptr};  // Overflow for hash collisions.
    const K key;
    const V value;
  };

  // indirect: an internal node. mu protects mutation of children and of the entry chains
  // hanging from them; dead is set, under mu, when the node is unlinked (pruned or cleared),
  // after which its children never change again; parent is nullptr only for a root.
  struct indirect : rcu_obj_base<indirect> {
    explicit indirect(indirect* p) noexcept : parent(p) {}
    indirect(const indirect&) = delete;
    indirect& operator=(const indirect&) = delete;
    ~indirect() = default;  // shallow: the map deletes or retires the children

    std::atomic<node_ptr>& child(std::uint64_t hash, unsigned hash_shift) noexcept {
      return children[(hash >> hash_shift) & n_children_mask];
    }
    const std::atomic<node_ptr>& child(std::uint64_t hash, unsigned hash_shift) const noexcept {
      return children[(hash >> hash_shift) & n_children_mask];
    }
    bool empty() const noexcept {
      for (const auto& c : children) {
        if (!c.load(std::memory_order_acquire).is_nil()) return false;
      }
      return true;
    }

    std::atomic<node_ptr> children[n_children];
    indirect* const parent;
    std::atomic<bool> dead{false};
    detail::hash_trie_lock mu;
  };

  // Where a writer stands: the slot of node i at level hash_shift and what it held.
  struct position {
    indirect* i = nullptr;
    unsigned hash_shift = 0;
    std::atomic<node_ptr>* slot = nullptr;
    node_ptr n;
  };

  std::uint64_t hash_of(const K& key) const { return hash_(key, seed_); }

  void size_add(std::int64_t d) noexcept {
    sizes_[detail::hash_trie_stripe()].n.fetch_add(d, std::memory_order_relaxed);
  }

  // The first slot on hash's path that is nil or holds an entry (the lock-free walk of
  // LoadOrStore and Swap); pos.i is not locked.
  position find_slot(std::uint64_t hash) const {
    position pos;
    GOMAP_YIELD("htm.find_slot.root");
    pos.i = root_.load(std::memory_order_acquire);
    for (pos.hash_shift = hash_bits; pos.hash_shift != 0;) {
      pos.hash_shift -= n_children_log2;
      pos.slot = &pos.i->child(hash, pos.hash_shift);
      GOMAP_YIELD("htm.find_slot.child");
      pos.n = pos.slot->load(std::memory_order_acquire);
      if (pos.n.is_nil() || pos.n.is_entry()) return pos;
      pos.i = pos.n.as_indirect();
    }
    detail::hash_trie_out_of_bits();
  }

  // Grab the lock and double-check what we saw: true, with pos.i locked, if the slot still
  // holds nil or an entry and pos.i is alive; false (unlocked) if the caller must start over.
  static bool lock_and_recheck(position& pos) noexcept {
    pos.i->mu.lock();
    GOMAP_YIELD("htm.recheck");
    pos.n = pos.slot->load(std::memory_order_relaxed);  // mu orders it after the last writer
    if ((pos.n.is_nil() || pos.n.is_entry()) && !pos.i->dead.load(std::memory_order_relaxed)) {
      return true;
    }
    pos.i->mu.unlock();
    return false;
  }

  // find: the slot holding key's entry, with its node locked (pos.i == nullptr: not found,
  // nothing locked). If value != nullptr the entry's value must also equal *value. Under
  // the lock the slot may have become nil or lost the key; callers re-check the chain.
  position find(const K& key, std::uint64_t hash, const V* value) const {
    for (;;) {
      // Find the key or return if it's not there.
      position pos;
      GOMAP_YIELD("htm.find.root");
      pos.i = root_.load(std::memory_order_acquire);
      bool found = false;
      for (pos.hash_shift = hash_bits; pos.hash_shift != 0;) {
        pos.hash_shift -= n_children_log2;
        pos.slot = &pos.i->child(hash, pos.hash_shift);
        GOMAP_YIELD("htm.find.child");
        pos.n = pos.slot->load(std::memory_order_acquire);
        if (pos.n.is_nil()) return {};  // Nothing to compare with. Give up.
        if (pos.n.is_entry()) {
          // We found an entry. Check if it matches (lookupWithValue).
          // (A key is in at most one entry of a chain.)
          const entry* e = pos.n.as_entry()->lookup(key, eq_);
          if (e == nullptr || (value != nullptr && !(e->value == *value))) {
            return {};  // No match, comparison failed.
          }
          found = true;
          break;
        }
        pos.i = pos.n.as_indirect();
      }
      if (!found) detail::hash_trie_out_of_bits();
      // Either we've got a valid node or the node is now nil under the lock.
      if (lock_and_recheck(pos)) return pos;
      // We have to start over.
    }
  }

  // Swap's body: installs (key, value); returns the entry it replaced (unlinked, for the
  // caller to retire after reading it) or nullptr if the key had no value.
  entry* swap_entry(K&& key, V&& value) {
    const std::uint64_t hash = hash_of(key);
    // Allocated before locking: the critical section is only the chain walk and the store.
    auto fresh = std::make_unique<entry>(std::move(key), std::move(value));
    position pos;
    do {
      // Find the key or a candidate location for insertion.
      pos = find_slot(hash);
    } while (!lock_and_recheck(pos));
    std::unique_lock lk(pos.i->mu, std::adopt_lock);
    entry* old_entry = pos.n.is_nil() ? nullptr : pos.n.as_entry();
    if (old_entry != nullptr) {
      // Swap if the keys compare (entry.swap): the new entry takes the old one's place in
      // the chain.
      std::atomic<entry*>* link = nullptr;
      for (entry* e = old_entry; e != nullptr; e = e->overflow.load(std::memory_order_relaxed)) {
        if (eq_(e->key, fresh->key)) {
          fresh->overflow.store(e->overflow.load(std::memory_order_relaxed),
                                std::memory_order_relaxed);
          if (link == nullptr) {
            GOMAP_YIELD("htm.swap.publish");
            pos.slot->store(node_ptr::of(fresh.release()), std::memory_order_release);
          } else {
            GOMAP_YIELD("htm.swap.publish");
            link->store(fresh.release(), std::memory_order_release);
          }
          return e;
        }
        link = &e->overflow;
      }
    }
    // The keys didn't compare, so we're doing an insertion.
    publish(pos, old_entry, fresh, hash);
    lk.unlock();
    size_add(1);
    return nullptr;
  }

  // LoadOrStore's body; `value` is moved into an entry only when it is stored.
  std::pair<V, bool> load_or_store_entry(K&& key, V& value) {
    const std::uint64_t hash = hash_of(key);
    position pos;
    for (;;) {
      // Find the key or a candidate location for insertion.
      pos = find_slot(hash);
      if (pos.n.is_entry()) {
        // We found an existing entry, which is as far as we can go.
        if (const entry* e = pos.n.as_entry()->lookup(key, eq_)) return {e->value, true};
      }
      if (lock_and_recheck(pos)) break;
      // We have to start over.
    }
    std::unique_lock lk(pos.i->mu, std::adopt_lock);
    entry* old_entry = pos.n.is_nil() ? nullptr : pos.n.as_entry();
    if (old_entry != nullptr) {
      // Easy case: by loading again, it turns out exactly what we wanted is here!
      if (const entry* e = old_entry->lookup(key, eq_)) return {e->value, true};
    }
    auto fresh = std::make_unique<entry>(std::move(key), std::move(value));
    const entry* stored = fresh.get();
    publish(pos, old_entry, fresh, hash);
    lk.unlock();
    size_add(1);
    return {stored->value, false};  // still in our read section: safe to copy
  }

  // Stores fresh (a new key) into the locked slot pos: directly if it was nil, else
  // through expand, publishing the node last, which makes both the old and the new entry
  // visible at once (readers must never observe old_entry missing from the tree).
  void publish(position& pos, entry* old_entry, std::unique_ptr<entry>& fresh, std::uint64_t hash) {
    if (old_entry == nullptr) {
      // Easy case: create a new entry and store it.
      GOMAP_YIELD("htm.insert.publish");
      pos.slot->store(node_ptr::of(fresh.release()), std::memory_order_release);
    } else {
      // We possibly need to expand the entry already there into one or more new nodes.
      GOMAP_YIELD("htm.expand.publish");
      pos.slot->store(expand(old_entry, fresh, hash, pos.hash_shift, pos.i),
                      std::memory_order_release);
    }
  }

  // expand: takes old_entry and new_entry whose hashes conflict from bit 64 down to
  // hash_shift and produces a subtree of indirect nodes to hold the two entries. On an
  // exception (allocation) nothing is published and new_entry stays with the caller.
  node_ptr expand(entry* old_entry, std::unique_ptr<entry>& new_entry, std::uint64_t new_hash,
                  unsigned hash_shift, indirect* parent) {
    // Check for a hash collision.
    const std::uint64_t old_hash = hash_of(old_entry->key);
    if (old_hash == new_hash) {
      // Store the old entry in the new entry's overflow list, then store the new entry.
      new_entry->overflow.store(old_entry, std::memory_order_relaxed);
      return node_ptr::of(new_entry.release());
    }
    // We have to add an indirect node. Worse still, we may need to add more than one.
    auto* top = new indirect(parent);
    indirect* new_indirect = top;
    try {
      for (;;) {
        if (hash_shift == 0) detail::hash_trie_out_of_bits();
        // hash_shift is for the level parent is at. We need to go deeper.
        hash_shift -= n_children_log2;
        const std::uint64_t oi = (old_hash >> hash_shift) & n_children_mask;
        const std::uint64_t ni = (new_hash >> hash_shift) & n_children_mask;
        if (oi != ni) {
          new_indirect->children[oi].store(node_ptr::of(old_entry), std::memory_order_relaxed);
          new_indirect->children[ni].store(node_ptr::of(new_entry.release()),
                                           std::memory_order_relaxed);
          break;
        }
        auto* next_indirect = new indirect(new_indirect);
        new_indirect->children[oi].store(node_ptr::of(next_indirect), std::memory_order_relaxed);
        new_indirect = next_indirect;
      }
    } catch (...) {
      // Only the new indirect nodes (a chain) are ours: old_entry is still in its slot.
      for (indirect* i = new_indirect; i != parent;) {
        indirect* up = i->parent;
        delete i;
        i = up;
      }
      throw;
    }
    return node_ptr::of(top);
  }

  // LoadAndDelete and CompareAndDelete: unlinks key's entry (if value != nullptr, only when
  // its value equals *value) and prunes the nodes that became empty. Returns the unlinked
  // entry, for the caller to retire after reading it, or nullptr.
  entry* delete_entry(const K& key, std::uint64_t hash, const V* value) {
    // Find a node with the key and compare with it. pos.i != nullptr if we found the node.
    position pos = find(key, hash, value);
    if (pos.i == nullptr) return nullptr;
    std::unique_lock lk(pos.i->mu, std::adopt_lock);
    if (pos.n.is_nil()) return nullptr;
    // Try to delete the entry (entry.loadAndDelete / entry.compareAndDelete).
    entry* head = pos.n.as_entry();
    entry* victim = nullptr;
    std::atomic<entry*>* link = nullptr;
    for (entry* e = head; e != nullptr; e = e->overflow.load(std::memory_order_relaxed)) {
      if (eq_(e->key, key) && (value == nullptr || e->value == *value)) {
        victim = e;
        break;
      }
      link = &e->overflow;
    }
    // Nothing was actually deleted, which means the node is no longer there.
    if (victim == nullptr) return nullptr;
    entry* rest = victim->overflow.load(std::memory_order_relaxed);
    if (link != nullptr) {
      // We didn't delete the whole chain, just one entry in it: the parent is definitely
      // not empty.
      GOMAP_YIELD("htm.delete.unlink");
      link->store(rest, std::memory_order_release);
      lk.unlock();
      size_add(-1);
      return victim;
    }
    // Drop the head of the chain; if it was alone, the slot becomes nil.
    GOMAP_YIELD("htm.delete.unlink");
    pos.slot->store(rest != nullptr ? node_ptr::of(rest) : node_ptr(), std::memory_order_release);
    if (rest != nullptr) {
      lk.unlock();
      size_add(-1);
      return victim;
    }
    (void)lk.release();  // the pruning loop below hands the lock up the tree
    // Check if the node is now empty (and isn't the root), and delete it if able.
    indirect* pruned[hash_bits / n_children_log2];
    unsigned n_pruned = 0;
    indirect* i = pos.i;
    unsigned hash_shift = pos.hash_shift;
    while (i->parent != nullptr && i->empty()) {
      if (hash_shift == hash_bits) detail::hash_trie_out_of_bits();
      hash_shift += n_children_log2;
      // Delete the current node in the parent.
      indirect* parent = i->parent;
      parent->mu.lock();
      if (parent->dead.load(std::memory_order_relaxed)) {
        // Beyond Go: clear() killed the parent and will kill (and retire) i too.
        parent->mu.unlock();
        break;
      }
      GOMAP_YIELD("htm.prune.dead");
      i->dead.store(true, std::memory_order_relaxed);
      assert(parent->child(hash, hash_shift).load(std::memory_order_relaxed).as_indirect() == i);
      GOMAP_YIELD("htm.prune.unlink");
      parent->child(hash, hash_shift).store(node_ptr(), std::memory_order_release);
      i->mu.unlock();
      pruned[n_pruned++] = i;
      i = parent;
    }
    i->mu.unlock();
    size_add(-1);
    for (unsigned j = 0; j < n_pruned; ++j) pruned[j]->retire();
    return victim;
  }

  // iter: a depth-first walk in hash order. A key moves only deeper under its own slot
  // (expand) and a chain only loses entries or gets new heads, so no key is met twice.
  template <class F>
  static bool iter(const indirect* i, F& f) {
    for (const auto& c : i->children) {
      GOMAP_YIELD("htm.range.child");
      const node_ptr n = c.load(std::memory_order_acquire);
      if (n.is_nil()) continue;
      if (!n.is_entry()) {
        if (!iter(n.as_indirect(), f)) return false;
        continue;
      }
      for (const entry* e = n.as_entry(); e != nullptr;
           e = e->overflow.load(std::memory_order_acquire)) {
        if (!static_cast<bool>(f(e->key, static_cast<const V&>(e->value)))) return false;
      }
    }
    return true;
  }

  // clear()'s second half: i is unlinked (the old root, or a child of a node we killed).
  // Lock it, mark it dead — from then on no writer changes its children — and retire it
  // with its entries, then its indirect children the same way. A node some pruner marked
  // dead first is empty and already retired by that pruner.
  void kill(indirect* i) {
    node_ptr children[n_children];
    {
      std::lock_guard lk(i->mu);
      if (i->dead.load(std::memory_order_relaxed)) return;
      GOMAP_YIELD("htm.kill.dead");
      i->dead.store(true, std::memory_order_relaxed);
      for (unsigned j = 0; j < n_children; ++j) {
        children[j] = i->children[j].load(std::memory_order_relaxed);
      }
    }
    i->retire();
    std::int64_t dropped = 0;
    for (const node_ptr n : children) {
      if (n.is_nil()) continue;
      if (!n.is_entry()) {
        kill(n.as_indirect());
        continue;
      }
      for (entry* e = n.as_entry(); e != nullptr;) {
        entry* next = e->overflow.load(std::memory_order_relaxed);
        e->retire();
        ++dropped;
        e = next;
      }
    }
    if (dropped != 0) size_add(-dropped);
  }

  // The destructor's walk: no other thread may use the map, so delete in place.
  static void destroy(indirect* i) noexcept {
    for (auto& c : i->children) {
      const node_ptr n = c.load(std::memory_order_relaxed);
      if (n.is_nil()) continue;
      if (!n.is_entry()) {
        destroy(n.as_indirect());
        continue;
      }
      for (entry* e = n.as_entry(); e != nullptr;) {
        entry* next = e->overflow.load(std::memory_order_relaxed);
        delete e;
        e = next;
      }
    }
    delete i;
  }

  struct alignas(runtime::cache_line_size) size_stripe {
    std::atomic<std::int64_t> n{0};
  };

  // root_ is read by every operation: alone on its cache line (with the immutable seed).
  alignas(detail::rcu_line_size) std::atomic<indirect*> root_;
  const std::uint64_t seed_;
  [[no_unique_address]] Hash hash_{};
  [[no_unique_address]] Eq eq_{};

  alignas(detail::rcu_line_size) size_stripe sizes_[detail::hash_trie_size_stripes];
  runtime::sched_mutex compute_mu_;  // load_or_compute's one-at-a-time for absent keys
};

// The one friend for tests: the shape of the trie (take no concurrent writes while using
// it).
template <class K, class V, class Hash, class Eq>
struct hash_trie_map_access {
  using map = HashTrieMap<K, V, Hash, Eq>;
  struct shape {
    std::size_t indirect_nodes = 0;  // including the root
    std::size_t entries = 0;
    std::size_t max_chain = 0;  // longest overflow chain (full-hash collisions)
    unsigned max_depth = 0;     // levels of indirect nodes below the root
  };
  static shape shape_of(const map& m) {
    rcu_reader g;
    shape s;
    walk(m.root_.load(std::memory_order_acquire), 0, s);
    return s;
  }
  // Bytes the trie's nodes occupy (sizeof, not counting the allocator's rounding).
  static std::size_t node_bytes(const map& m) {
    const shape s = shape_of(m);
    return s.indirect_nodes * sizeof(typename map::indirect) +
           s.entries * sizeof(typename map::entry);
  }
  static constexpr std::size_t entry_size = sizeof(typename map::entry);
  static constexpr std::size_t indirect_size = sizeof(typename map::indirect);

 private:
  static void walk(const typename map::indirect* i, unsigned depth, shape& s) {
    ++s.indirect_nodes;
    if (depth > s.max_depth) s.max_depth = depth;
    for (const auto& c : i->children) {
      const auto n = c.load(std::memory_order_acquire);
      if (n.is_nil()) continue;
      if (!n.is_entry()) {
        walk(n.as_indirect(), depth + 1, s);
        continue;
      }
      std::size_t chain = 0;
      for (auto* e = n.as_entry(); e != nullptr; e = e->overflow.load(std::memory_order_acquire)) {
        ++chain;
      }
      s.entries += chain;
      if (chain > s.max_chain) s.max_chain = chain;
    }
  }
};

template <class K, class V, class Hash, class Eq>
HashTrieMap<K, V, Hash, Eq>::~HashTrieMap() {
  // No other thread may use the map now, so nothing needs a grace period. Objects retired
  // earlier are reclaimed by the rcu domain.
  destroy(root_.load(std::memory_order_acquire));
}

}  // namespace gomap
