// The Swiss engine: a port of Go 1.24+'s map (internal/runtime/maps, Go
// 1.24–1.26) to C++.  This file holds the map header and the operations on
// one key; the rest of the engine is one file per concern:
//
//   group.hpp      the group: control word, named SWAR matches, slots
//   table.hpp      one Swiss table: probing, tombstones, pruning, clear
//   directory.hpp  the directory of tables (extendible hashing)
//   map.hpp        the map header; lookup, assign, delete, clear  (this file)
//   growth.hpp     growToTable, rehash (grow or split), reserve, shrink_to_fit
//   iter.hpp       the iterator (Iter.Init / Iter.Next)
//   debug.hpp      stats, the layout visitor, the invariant checker
//
// Design (after map.go's opening essay).  A map of at most 8 entries is one
// group with no table (the small map).  Beyond that, entries live in Swiss
// tables: open addressing over groups of 8 slots, each group with a control
// word holding 7 bits of each slot's hash, so 8 slots are matched at once.
// A table holds at most 1024 slots; a full table grows into one twice its
// size, or, at the limit, splits in two by one more bit of the hash, and
// the directory (indexed by the top bits of the hash) doubles when needed.
// Growth replaces one table at once, so no single write copies more than
// 1024 slots.  Iteration walks the directory and each table from random
// offsets; a table replaced during a loop stays with the iterator, which
// uses it to choose keys and looks each one up in the current map.
//
// What Go's garbage collector does, and what this port does instead:
//  * Tables and directories are reference counted (directory.hpp); an
//    iterator keeps what it walks alive, even after the map moved on or
//    died.
//  * Objects in slots have lifetimes, told by the control byte (group.hpp).
//    Growth moves them into the new table when nothing else holds the old
//    one; when an iterator holds it, it copies them, so the old table still
//    has every key (and value) the iterator may read.
//  * Growth is transactional (growth.hpp): every hash is computed and every
//    destination slot chosen first, then keys and then values are moved or
//    copied; a throwing copy is undone.  A throwing Hash, Eq or constructor
//    leaves every entry in place and the writing flag released.
//  * clear() destroys every entry, re-draws the seed and ends running loops
//    (clear_seq), which Go leaves as an option and gomap's API promises.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <new>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include "gomap/detect/guard.hpp"
#include "gomap/runtime/alg.hpp"
#include "gomap/runtime/block_cache.hpp"
#include "gomap/runtime/maptype.hpp"
#include "gomap/runtime/swiss/directory.hpp"
#include "gomap/runtime/swiss/table.hpp"

namespace gomap {
struct SwissStats;
}

namespace gomap::runtime {
struct map_access;
}

namespace gomap::runtime::swiss {

template <class K, class V, class Hash, class Eq>
class iter;

// Map: the header of a Go 1.24+ map.
//
// Invariants (checked by check_invariants in debug.hpp):
//  * used is the number of full slots in the small group or in the tables
//    of the directory;
//  * dir == nullptr: the map is small — small is its one group (a
//    one-group table used without probing: up to 8 entries, never a
//    tombstone), or nullptr before the first write;
//  * dir != nullptr: small == nullptr, and every table of the directory is
//    current (index >= 0) and occupies the 2^(global_depth - local_depth)
//    entries from its index, which is a multiple of that count.
template <class K, class V, class Hash, class Eq>
class map : public block_cache::cached {
 public:
  using maptype = runtime::maptype<K, V, Hash, Eq>;
  using table_t = table<maptype>;
  using group_t = group_ref<maptype>;
  using storage = slot_storage<maptype>;
  using key_slot = typename maptype::key_slot;
  using directory_t = directory<maptype>;
  using policy = typename maptype::policy;
  using elem_slot = typename maptype::elem_slot;
  using slot = typename table_t::slot;
  using iterator = iter<K, V, Hash, Eq>;
  using stats_type = SwissStats;
  static constexpr const char* type_name = detect::swiss_map_type_name;

  std::uint64_t used = 0;  // entries; must be first (len())
  detect::map_state state;
  bool tombstone_possible = false;  // false if no table of the map holds a tombstone
  std::uint64_t seed = 0;
  table_t* small = nullptr;            // the small map's group (dir == nullptr)
  directory_t* dir = nullptr;          // the tables (nullptr while small)
  std::uint64_t clear_seq = 0;         // bumped by clear(): running loops end
  std::uint64_t rebuild_seq = 0;       // bumped by rebuild(): loops keep their directory
  std::atomic<std::uint32_t> refs{1};  // handles + live iterators
  [[no_unique_address]] Hash hasher;
  [[no_unique_address]] Eq eq;

  map(Hash h, Eq e) : hasher(std::move(h)), eq(std::move(e)) {}
  map(const map&) = delete;
  map& operator=(const map&) = delete;
  ~map() {
    if (small) small->release();
    if (dir) dir->release();
  }

  void retain() noexcept { refs.fetch_add(1, std::memory_order_relaxed); }
  void release() noexcept {
    if (drop_reference(refs)) delete this;
  }
  std::uint64_t len() const noexcept { return used; }
  bool is_small() const noexcept { return dir == nullptr; }

  // NewMap: a hint of at most 8 allocates nothing (the first write makes
  // the small group); a larger one makes the directory and tables that hold
  // it without growth.  A negative or absurd hint is ignored, as in Go.
  static map* makemap(std::int64_t hint, Hash h = Hash{}, Eq e = Eq{}) {
    auto* m = new map(std::move(h), std::move(e));
    m->seed = fastrand64();
    if (hint > static_cast<std::int64_t>(group_slots)) {
      try {
        m->dir = make_directory(static_cast<std::uint64_t>(hint));
      } catch (const std::bad_alloc&) {
        m->dir = nullptr;  // a hint this machine cannot hold is a bogus hint
      }
    }
    return m;
  }

  // NewMap's sizing: the directory and tables for `hint` entries, or
  // nullptr for a hint Go rejects (overflow, more than maxAlloc).
  static directory_t* make_directory(std::uint64_t hint);

  template <class Q>
  std::uint64_t hash_of(const Q& k) const {
    return maptype::hash(hasher, k, seed);
  }
  template <class Q>
  bool key_equal(const Q& q, const K& k) const {
    return static_cast<bool>(eq(q, k));
  }
  auto eq_fn() const noexcept {
    return [this](const auto& q, const K& k) { return this->key_equal(q, k); };
  }
  auto hash_fn() const noexcept {
    return [this](const K& k) { return hash_of(k); };
  }

  // -------------------------------------------------------------------------
  // Lookup.

  // getWithKeySmall: a small map is one group; no probing, no empty check.
  // (table::match_key's loop, written out: through it, GCC allocated the
  // registers of an inlined lookup loop worse, 8 more instructions a lookup.)
  template <class Q>
  slot find_small(std::uint64_t hash, const Q& key) const {
    group_t g = small->only_group();
    for (std::size_t i : g.ctrls().match_h2(h2(hash)))
      if (key_equal(key, g.key(i))) return {g, i};
    return {};
  }

  // getWithoutKeySmallFastStr: a small map of string keys is searched
  // without hashing when the key is long (hashing costs more than a few
  // comparisons): only a slot whose length and first and last 8 bytes agree
  // is a candidate, and two candidates fall back to hashing.
  enum class quick { found, absent, need_hash };
  std::pair<quick, slot> find_small_faststr(std::string_view key) const noexcept {
    group_t g = small->only_group();
    std::size_t candidate = group_slots;
    for (std::size_t i : g.ctrls().match_full()) {
      const std::string& k = g.key(i);
      if (k.size() != key.size() || std::memcmp(k.data(), key.data(), 8) != 0 ||
          std::memcmp(k.data() + k.size() - 8, key.data() + key.size() - 8, 8) != 0)
        continue;
      if (candidate != group_slots) return {quick::need_hash, {}};
      candidate = i;
    }
    if (candidate == group_slots) return {quick::absent, {}};
    if (g.key(candidate) == key) return {quick::found, {g, candidate}};
    return {quick::absent, {}};
  }

  // The lookup proper (getWithKey): the small group or the key's table.
  template <class Q>
  slot lookup(const Q& key) const {
    if constexpr (maptype::faststr && std::is_convertible_v<const Q&, std::string_view>) {
      const std::string_view sv(key);
      if (dir == nullptr && sv.size() > 64) {
        auto [r, s] = find_small_faststr(sv);
        if (r != quick::need_hash) return s;
      }
    }
    const std::uint64_t hash = hash_of(key);
    if (dir == nullptr) return find_small(hash, key);
    return dir->table_for(hash)->find(hash, key, eq_fn());
  }

  // getWithKey without the detector (iterators use it after growth).
  template <class Q>
  slot find(const Q& key) const {
    if (used == 0) return {};
    return lookup(key);
  }

  // Get: a read, checked by the detector.
  template <class Q>
  slot access(const Q& key) const {
    if (used == 0) return {};
    detect::read_scope<type_name> rs(state, this);
    return lookup(key);
  }

  // -------------------------------------------------------------------------
  // Assignment.

  // Could the object at p be moved by the next write?  Only a table (or the
  // small group) that the next insert would rehash moves its entries:
  // operands that live there are copied first (handle.hpp).
  // (The directory marks the full tables: directory.hpp.)
  bool might_relocate(const void* p) const noexcept {
    if (dir == nullptr) return small != nullptr && used == group_slots && small->contains(p);
    return dir->any_full_table([p](const table_t* t) { return t->contains(p); });
  }

  // PutSlot: find the slot for `key`, inserting it if absent.  A new entry's
  // value is built by `make_elem(elem_slot*)`; an existing entry is returned
  // as is (the caller assigns).  Returns the entry's value and whether it
  // was inserted.
  template <class KArg, class MakeElem>
  std::pair<assigned<V>, bool> assign(KArg&& key, MakeElem&& make_elem) {
    detect::check_write<type_name>(state, this);
    const std::uint64_t hash = hash_of(key);
    // Set writing after calling the hasher, since it may throw, in which
    // case we have not actually done a write.
    detect::write_scope ws(state, this);
    if (dir == nullptr) {
      if (small == nullptr) small = table_t::make(group_slots, 0, 0);  // growToSmall
      if (used < group_slots) return put_small(hash, std::forward<KArg>(key), make_elem);
      // Can't fit another entry: grow to a full-size map (Go does so even
      // when the key is already there).
      grow_to_table();
    }
    for (;;) {
      table_t* t = dir->table_for(hash);
      const auto pos = t->find_for_put(hash, key, eq_fn());
      if (pos.found) {
        // Already have a mapping for key.  Update it.
        if constexpr (maptype::key_update) pos.s.key() = std::forward<KArg>(key);
        return {{std::addressof(pos.s.elem())}, false};
      }
      // A tombstone is reused without consuming growth_left.  Out of room,
      // first try to remove some tombstones.
      if (!pos.reuses_tombstone && t->growth_left == 0) t->prune_tombstones(hash_fn(), eq_fn());
      if (pos.reuses_tombstone || t->growth_left > 0) {
        construct_entry(pos.s, hash, std::forward<KArg>(key), make_elem);
        if (!pos.reuses_tombstone && --t->growth_left == 0) dir->mark_full(t);
        ++t->used;
        return {{std::addressof(pos.s.elem())}, true};
      }
      rehash(t);  // the directory changed: find the key's table again
    }
  }

  // putSlotSmall (table::match_key's loop written out: 4% faster on
  // SmallKeyMap in an interleaved A/B)
  template <class KArg, class MakeElem>
  std::pair<assigned<V>, bool> put_small(std::uint64_t hash, KArg&& key, MakeElem& make_elem) {
    group_t g = small->only_group();
    for (std::size_t i : g.ctrls().match_h2(h2(hash))) {
      if (!key_equal(key, g.key(i))) continue;
      if constexpr (maptype::key_update) g.key(i) = std::forward<KArg>(key);
      return {{std::addressof(g.elem(i))}, false};
    }
    // A small map never has tombstones (deleteSmall empties the slot).
    const byte_slot_mask m = g.ctrls().match_empty_or_deleted_swar();
    GOMAP_ASSERT(m.any());
    const slot s{g, m.first()};
    construct_entry(s, hash, std::forward<KArg>(key), make_elem);
    return {{std::addressof(s.elem())}, true};
  }

  // Build a new entry in a free slot: the key, then the value (if that
  // throws, the key goes and the slot stays free), then the control byte.
  template <class KArg, class MakeElem>
  void construct_entry(slot s, std::uint64_t hash, KArg&& key, MakeElem& make_elem) {
    policy::template construct<K>(s.g.key_slot_at(s.i), std::forward<KArg>(key));
    try {
      make_elem(s.g.elem_slot_at(s.i));
    } catch (...) {
      policy::template destroy<K>(s.g.key_slot_at(s.i));
      throw;
    }
    s.g.ctrls().set(s.i, h2(hash));
    ++used;
  }

  // -------------------------------------------------------------------------
  // Deletion.

  // Delete.  Deleting from a full group leaves a tombstone (probe sequences
  // may run through it); otherwise the slot becomes empty.
  template <class Q>
  void erase(const Q& key) {
    if (used == 0) return;
    detect::check_write<type_name>(state, this);
    const std::uint64_t hash = hash_of(key);
    detect::write_scope ws(state, this);
    if (dir == nullptr) {
      // deleteSmall: one group, so a deleted slot is reused at once.
      if (slot s = find_small(hash, key)) {
        s.g.destroy_slot(s.i, ctrl_empty);
        --used;
      }
    } else {
      table_t* t = dir->table_for(hash);
      if (slot s = t->find(hash, key, eq_fn())) {
        --used;
        if (t->delete_slot(s)) tombstone_possible = true;
      }
    }
    // Reset the hash seed to make it more difficult for attackers to
    // repeatedly trigger hash collisions.  See Go issue 25237.
    if (used == 0) seed = fastrand64();
  }

  // -------------------------------------------------------------------------
  // clear (Clear).  Go returns early on an empty map without tombstones;
  // gomap still ends running loops, as it promises.

  void clear() {
    if (small == nullptr && dir == nullptr) return;  // never written
    detect::check_write<type_name>(state, this);
    detect::write_scope ws(state, this);
    if (dir == nullptr) {
      group_t g = small->only_group();  // clearSmall
      g.destroy_objects();
      g.ctrls().set_empty();
    } else {
      dir->for_each_table([](table_t* t) { t->clear(); });
      tombstone_possible = false;
    }
    used = 0;
    ++clear_seq;
    // Reset the hash seed to make it more difficult for attackers to
    // repeatedly trigger hash collisions.  See Go issue 25237.
    seed = fastrand64();
  }

  // -------------------------------------------------------------------------
  // Growth (growth.hpp).

  void grow_to_table();
  void rehash(table_t* t);
  void grow(table_t* t, std::uint64_t new_capacity);
  void split(table_t* t);
  void install_table_split(table_t* old, table_t* left, table_t* right, directory_t* doubled);
  void reserve(std::int64_t n);
  void shrink_to_fit();
  void rebuild(std::uint64_t hint);

  // -------------------------------------------------------------------------
  // Introspection (debug.hpp).

  SwissStats stats() const noexcept;
  template <class F>
  void visit_tables(F&& f) const;
  std::string check_invariants() const;

 private:
  struct placement;
  static void transfer(placement* ps, std::size_t n, bool keep);
  static void transfer_key(const placement& p, bool copy);
  static void undo_key(const placement& p, bool copy) noexcept;
  static void transfer_elem(const placement& p, bool copy);
  static void undo_elem(const placement& p, bool copy) noexcept;
  template <class Dest>
  static std::size_t plan_moves(table_t* src, placement* ps, std::size_t n, const map& m,
                                Dest&& dest);
};

}  // namespace gomap::runtime::swiss

#include "gomap/runtime/swiss/debug.hpp"
#include "gomap/runtime/swiss/growth.hpp"
#include "gomap/runtime/swiss/iter.hpp"
