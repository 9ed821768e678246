// The Swiss engine's table (Go 1.24+'s internal/runtime/maps/table.go): one
// complete open-addressing hash table of 2^k groups, probed quadratically
// over groups by H1 and matched within a group by H2.
//
// Invariants (checked by check_invariants in debug.hpp):
//  * capacity == 8 * groups, a power of two, at most max_table_capacity;
//  * used == the number of full slots; used + tombstones + growth_left ==
//    max_growth_left(): the table is rehashed before it is 7/8 full,
//    tombstones included, so every probe sequence ends at an empty slot;
//  * every full slot is found by the probe sequence of its key's hash,
//    before any group with an empty slot (keys != themselves excepted: NaN
//    is never looked up, only iterated);
//  * a table is reference counted: the map holds one reference (through
//    its directory, however many directory entries point at it); each live
//    iterator holds the table it walks.  A table replaced by growth or a
//    split is stale (index == -1): no write reaches it again, and its last
//    reference destroys the objects it still holds.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <new>
#include <utility>

#include "gomap/runtime/array_memory.hpp"
#include "gomap/runtime/ref.hpp"
#include "gomap/runtime/swiss/group.hpp"

namespace gomap::runtime::swiss {

// maxTableCapacity: a table that would grow beyond this splits in two
// instead, so no single growth step copies more than 1024 slots.
inline constexpr std::uint64_t max_table_capacity = 1024;
static_assert(max_table_capacity <= 0xffff, "capacity and growth_left are 16-bit, as in Go");

// probeSeq: the triangular sequence hash, hash+1, hash+1+2, ... over the
// groups (mod their number, a power of two), which visits every group once.
struct probe_seq {
  std::uint64_t mask;
  std::uint64_t offset;
  std::uint64_t index = 0;
  probe_seq(std::uint64_t hash, std::uint64_t m) noexcept : mask(m), offset(hash & m) {}
  void next() noexcept {
    ++index;
    offset = (offset + index) & mask;
  }
};

template <class MT>
class table {
 public:
  using group_t = group_ref<MT>;
  using storage = slot_storage<MT>;
  using K = typename MT::key_type;
  using V = typename MT::elem_type;
  using policy = typename MT::policy;

  std::atomic<std::uint32_t> refs{1};
  std::uint16_t used = 0;         // full slots
  std::uint16_t capacity = 0;     // slots: 8 * groups
  std::uint16_t growth_left = 0;  // inserts left before a rehash
  std::uint8_t local_depth = 0;   // directory bits above this table
  std::int64_t index = 0;         // first directory index; -1 once stale
  std::uint64_t length_mask = 0;  // groups - 1

  // newTable: at least one group, the capacity rounded up to a power of two.
  static table* make(std::uint64_t cap, std::int64_t index, std::uint8_t local_depth) {
    if (cap < group_slots) cap = group_slots;
    GOMAP_ASSERT(cap <= max_table_capacity);
    cap = std::bit_ceil(cap);
    const std::uint64_t ngroups = cap / group_slots;
    void* mem = alloc_raw(alloc_bytes(ngroups));
    auto* t = ::new (mem) table;
    t->index = index;
    t->local_depth = local_depth;
    t->length_mask = ngroups - 1;
    t->capacity = static_cast<std::uint16_t>(cap);
    t->growth_left = t->max_growth_left();
    if (ngroups == 1) {
      // A small map's group, made for every new map: inline stores (GCC
      // turns the loop below into a memset call, a measured 1.5x on
      // NewSmallMap).
      t->only_group().init_empty();
    } else {
      for (std::uint64_t i = 0; i < ngroups; ++i) t->group_at(i).init_empty();
    }
    return t;
  }

  table(const table&) = delete;
  table& operator=(const table&) = delete;

  void retain() noexcept { refs.fetch_add(1, std::memory_order_relaxed); }
  void release() noexcept {
    if (drop_reference(refs)) destroy();
  }
  // Held by someone besides the map (an iterator walks it)?
  bool shared() const noexcept { return refs.load(std::memory_order_acquire) > 1; }
  bool stale() const noexcept { return index < 0; }

  // Group i: its control word in the dense array, its slots in the other.
  group_t group_at(std::uint64_t i) const noexcept {
    return {ctrl_words() + i, slot_array() + i * group_slots};
  }
  // The group of a one-group table (a small map's): its offsets are
  // constants, where group_at reads the group count first.
  group_t only_group() const noexcept {
    GOMAP_ASSERT(length_mask == 0);
    return {ctrl_words(), reinterpret_cast<storage*>(base() + slots_offset(1))};
  }
  std::uint64_t group_count() const noexcept { return length_mask + 1; }

  // maxGrowthLeft: a one-group table may fill 7 of its 8 slots (an empty
  // slot ends every probe); larger ones 7/8 of their capacity.
  std::uint16_t max_growth_left() const noexcept {
    if (capacity <= group_slots) return static_cast<std::uint16_t>(capacity - 1);
    return static_cast<std::uint16_t>(capacity * max_avg_group_load / group_slots);
  }
  // tombstones: slots deleted but still counted as occupied.
  std::uint16_t tombstones() const noexcept {
    return static_cast<std::uint16_t>(capacity * max_avg_group_load / group_slots - used -
                                      growth_left);
  }

  // Does p point into this table's slots?
  bool contains(const void* p) const noexcept {
    const auto c = reinterpret_cast<std::uintptr_t>(p);
    const auto lo = reinterpret_cast<std::uintptr_t>(slot_array());
    return c >= lo && c - lo < group_count() * group_slots * sizeof(storage);
  }
  std::uint64_t bytes() const noexcept { return alloc_bytes(group_count()); }

  // A slot: a group and an index in it.
  struct slot {
    group_t g;
    std::size_t i = 0;
    explicit operator bool() const noexcept { return static_cast<bool>(g); }
    K& key() const noexcept { return g.key(i); }
    V& elem() const noexcept { return g.elem(i); }
  };

  // The slot of group g holding key, or none: the full slots whose H2 is h,
  // each compared with key (a false H2 match is rare).
  template <class Q, class Eq>
  static slot match_key(group_t g, ctrl h, const Q& key,
                        const Eq& eq) noexcept(noexcept(eq(key, std::declval<const K&>()))) {
    for (std::size_t i : g.ctrls().match_h2(h))
      if (eq(key, g.key(i))) [[likely]]
        return {g, i};
    return {};
  }

  // getWithKey: the full slot holding key, or none.  The first group of
  // the probe sequence settles most lookups (below 7/8 load a group has an
  // empty slot more often than not); the rest of the sequence is out of
  // line, so the inlined part keeps its few values in registers.
  template <class Q, class Eq>
  slot find(std::uint64_t hash, const Q& key,
            const Eq& eq) noexcept(noexcept(eq(key, std::declval<const K&>()))) {
    const group_t g = group_at(h1(hash) & length_mask);
    if (slot s = match_key(g, h2(hash), key, eq)) return s;
    // An empty slot ends the probe sequence.
    if (g.ctrls().match_empty()) [[likely]]
      return {};
    return find_rest(hash, key, eq);
  }
  // find's probe from the second group on.  (It starts the sequence again
  // rather than taking find's: three words passed in registers, not a
  // struct spilled to the stack by every lookup.)
  template <class Q, class Eq>
  [[gnu::noinline]] slot find_rest(std::uint64_t hash, const Q& key,
                                   const Eq& eq) noexcept(noexcept(eq(key,
                                                                      std::declval<const K&>()))) {
    for (probe_seq seq(h1(hash), length_mask);;) {
      seq.next();
      const group_t g = group_at(seq.offset);
      if (slot s = match_key(g, h2(hash), key, eq)) return s;
      if (g.ctrls().match_empty()) [[likely]]
        return {};
    }
  }

  // PutSlot's search: the slot holding key (found), else where to insert it
  // — the first tombstone on the probe sequence if any, else the empty
  // slot that ended it (reuses_tombstone says which).
  struct put_position {
    slot s;
    bool found = false;
    bool reuses_tombstone = false;
  };
  template <class Q, class Eq>
  put_position find_for_put(std::uint64_t hash, const Q& key, const Eq& eq) {
    const ctrl h = h2(hash);
    slot first_deleted;
    for (probe_seq seq(h1(hash), length_mask);; seq.next()) {
      group_t g = group_at(seq.offset);
      for (std::size_t i : g.ctrls().match_h2(h))
        if (eq(key, g.key(i))) return {{g, i}, true, false};
      const byte_slot_mask m = g.ctrls().match_empty_or_deleted_swar();
      if (!m) continue;  // nothing but filled slots: keep probing
      const std::size_t i = m.first();
      if (g.ctrls().get(i) == ctrl_deleted) {
        // Remember the first tombstone and keep probing.
        if (!first_deleted) first_deleted = {g, i};
        continue;
      }
      // An empty slot: the end of the probe sequence.
      if (first_deleted) return {first_deleted, false, true};
      return {{g, i}, false, false};
    }
  }

  // uncheckedPutSlot's search: the first empty slot of hash's probe
  // sequence, claimed for a new entry (control byte, used, growth_left);
  // the caller constructs its objects.  Only on a table without
  // tombstones and with room (a fresh table being filled by growth).
  slot claim_unchecked(std::uint64_t hash) noexcept {
    GOMAP_ASSERT(growth_left > 0);
    for (probe_seq seq(h1(hash), length_mask);; seq.next()) {
      group_t g = group_at(seq.offset);
      if (const byte_slot_mask m = g.ctrls().match_empty_or_deleted_swar()) {
        const std::size_t i = m.first();
        g.ctrls().set(i, h2(hash));
        --growth_left;
        ++used;
        return {g, i};
      }
    }
  }

  // The tail of Delete: destroy slot s's objects.  A slot in a group that
  // still has an empty slot becomes empty (no probe sequence runs through
  // a group with an empty slot); otherwise a tombstone.  Returns whether it
  // left a tombstone.
  bool delete_slot(slot s) noexcept {
    --used;
    if (s.g.ctrls().match_empty()) {
      s.g.destroy_slot(s.i, ctrl_empty);
      ++growth_left;
      return false;
    }
    s.g.destroy_slot(s.i, ctrl_deleted);
    return true;
  }

  // pruneTombstones: turn tombstones that no probe sequence needs back into
  // empty slots, but only when that recovers at least 10% of the capacity
  // (the walk is O(capacity), and must pay for itself).  hash_of(key) may
  // throw; the table is unchanged until every hash is known.
  template <class HashOf, class Eq>
  void prune_tombstones(const HashOf& hash_of, const Eq& eq) {
    if (tombstones() * 10 < capacity) return;  // not worth the effort
    // Groups whose tombstones are needed (or that hold no tombstone).
    std::uint32_t needed[(max_table_capacity / group_slots + 31) / 32] = {};
    auto mark = [&needed](std::uint64_t g) { needed[g / 32] |= std::uint32_t{1} << (g % 32); };
    auto is_needed = [&needed](std::uint64_t g) { return (needed[g / 32] >> (g % 32)) & 1u; };
    for (std::uint64_t gi = 0; gi <= length_mask; ++gi) {
      group_t g = group_at(gi);
      for (std::size_t j : g.ctrls().match_full()) {
        const K& key = g.key(j);
        // A key != itself is never looked up, only iterated: its probe
        // sequence may be broken at will.
        if (!eq(key, key)) continue;
        // Every group with a tombstone on the way to the key is needed.
        for (probe_seq seq(h1(hash_of(key)), length_mask); seq.offset != gi; seq.next())
          if (group_at(seq.offset).ctrls().match_empty_or_deleted()) mark(seq.offset);
      }
      if (g.ctrls().match_empty()) mark(gi);
    }
    // Can we remove enough tombstones to restore 10% of the capacity?
    int cnt = 0;
    for (std::uint64_t gi = 0; gi <= length_mask; ++gi)
      if (!is_needed(gi)) cnt += group_at(gi).ctrls().match_empty_or_deleted().count();
    if (cnt * 10 < capacity) return;  // the caller grows instead
    for (std::uint64_t gi = 0; gi <= length_mask; ++gi) {
      if (is_needed(gi)) continue;
      group_t g = group_at(gi);
      for (std::size_t k : g.ctrls().match_empty_or_deleted()) {
        g.ctrls().set(k, ctrl_empty);
        ++growth_left;
      }
    }
  }

  // Clear: destroy every entry and every tombstone, keeping the groups.
  void clear() noexcept {
    const std::uint16_t mgl = max_growth_left();
    if (used == 0 && growth_left == mgl) return;  // no entries, no tombstones
    for (std::uint64_t i = 0; i <= length_mask; ++i) {
      group_t g = group_at(i);
      if (g.ctrls().any_full()) g.destroy_objects();
      g.ctrls().set_empty();
    }
    used = 0;
    growth_left = mgl;
  }

  // Free a table whose slots hold no objects (a growth that failed before
  // any object was built in it), whatever its control bytes say.
  void free_raw() noexcept { deallocate(); }

 private:
  table() = default;
  ~table() = default;

  // Layout of one allocation: the header, the control words of all groups
  // (dense: a probe reads 8 bytes per group), then the groups' slots.
  //   [table][ctrl_group x groups][pad][slot_storage x 8 * groups]
  static constexpr std::size_t slot_align = std::max(alignof(storage), alignof(ctrl_group));
  static constexpr std::size_t alloc_align = std::max(slot_align, alignof(std::max_align_t));
  static constexpr std::size_t round_up(std::size_t n, std::size_t a) noexcept {
    return (n + a - 1) / a * a;
  }
  static constexpr std::size_t header_bytes() noexcept {
    return round_up(sizeof(table), alignof(ctrl_group));
  }
  static constexpr std::size_t slots_offset(std::uint64_t ngroups) noexcept {
    return round_up(header_bytes() + ngroups * sizeof(ctrl_group), slot_align);
  }
  static std::size_t alloc_bytes(std::uint64_t ngroups) noexcept {
    return slots_offset(ngroups) + ngroups * group_slots * sizeof(storage);
  }
  unsigned char* base() const noexcept {
    return reinterpret_cast<unsigned char*>(const_cast<table*>(this));
  }
  ctrl_group* ctrl_words() const noexcept {
    return reinterpret_cast<ctrl_group*>(base() + header_bytes());
  }
  storage* slot_array() const noexcept {
    return reinterpret_cast<storage*>(base() + slots_offset(group_count()));
  }
  // array_memory.hpp: a one-group table (a small map) comes from the
  // thread's block cache.
  static void* alloc_raw(std::size_t bytes) { return allocate_array<alloc_align>(bytes); }
  void deallocate() noexcept {
    const std::size_t bytes = alloc_bytes(group_count());
    unpoison(slot_array(), group_count() * group_slots * sizeof(storage));
    this->~table();
    deallocate_array<alloc_align>(this, bytes);
  }
  void destroy() noexcept {
    if constexpr (!MT::trivial_slots)
      for (std::uint64_t i = 0; i <= length_mask; ++i) group_at(i).destroy_objects();
    deallocate();
  }
};

}  // namespace gomap::runtime::swiss
