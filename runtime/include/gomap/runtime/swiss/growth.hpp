// The Swiss engine's growth: growToTable, rehash (grow or split), and gomap's
// rebuild (reserve, shrink_to_fit).  Included at the end of map.hpp.
//
// Every step that moves entries has the same three phases:
//   1. plan: hash every entry and claim its slot in the new table(s)
//      (control bytes only; hashing may throw: the new tables are freed
//      and the map is unchanged);
//   2. transfer (transfer()): keys, then values, each moved when that
//      cannot throw and nothing else holds the old table, else copied; a
//      throwing copy undoes what was transferred, and the map is unchanged;
//   3. commit: install the new table(s), mark the old one stale and drop
//      the map's reference to it (noexcept).
// Whatever can allocate (a new table, a doubled directory) is allocated
// before phase 2, so the commit cannot fail.
//
// After a transfer the old slots still hold objects — moved-from ones, or
// the originals when copied — so the old table's last reference destroys
// them as it destroys any live slot: a stale table kept by an iterator has
// every key it will read (and, for keys that may be != themselves, such as
// NaN, the value too: Go's iterator returns those from the old table).
#pragma once

#include <algorithm>
#include <bit>
#include <cstring>
#include <memory>
#include <type_traits>
#include <vector>

namespace gomap::runtime::swiss {

// One entry's move: from its slot in the old table to the slot claimed for
// it in the new one.  Trivial (no initializers): growth plans up to 1024 of
// them in an array on the stack, which must not be zeroed first.
template <class K, class V, class Hash, class Eq>
struct map<K, V, Hash, Eq>::placement {
  storage* src;
  storage* dst;

  static placement of(group_t from, std::size_t i, const slot& to) noexcept {
    return {from.slot_at(i), to.g.slot_at(to.i)};
  }
  key_slot* src_key() const noexcept { return group_t::key_slot_of(src); }
  key_slot* dst_key() const noexcept { return group_t::key_slot_of(dst); }
  elem_slot* src_elem() const noexcept { return group_t::elem_slot_of(src); }
  elem_slot* dst_elem() const noexcept { return group_t::elem_slot_of(dst); }
};

template <class K, class V, class Hash, class Eq>
void map<K, V, Hash, Eq>::transfer_key(const placement& p, bool copy) {
  // A key that may throw when moved is copied, so the source stays whole.
  if (copy || !maptype::nothrow_relocate_key) {
    policy::template copy<K>(p.dst_key(), p.src_key());
  } else {
    policy::template relocate<K>(p.dst_key(), p.src_key());
  }
}

template <class K, class V, class Hash, class Eq>
void map<K, V, Hash, Eq>::undo_key(const placement& p, bool copy) noexcept {
  if constexpr (maptype::nothrow_relocate_key) {
    if (!copy) return policy::template unrelocate<K>(p.src_key(), p.dst_key());
  }
  policy::template destroy<K>(p.dst_key());
}

template <class K, class V, class Hash, class Eq>
void map<K, V, Hash, Eq>::transfer_elem(const placement& p, bool copy) {
  if constexpr (!maptype::nothrow_relocate_elem) {
    policy::template copy<V>(p.dst_elem(), p.src_elem());
  } else if constexpr (maptype::keep_values) {
    if (copy)
      policy::template copy<V>(p.dst_elem(), p.src_elem());
    else
      policy::template relocate<V>(p.dst_elem(), p.src_elem());
  } else {
    (void)copy;  // values of reflexive keys are read through the new table
    policy::template relocate<V>(p.dst_elem(), p.src_elem());
  }
}

template <class K, class V, class Hash, class Eq>
void map<K, V, Hash, Eq>::undo_elem(const placement& p, bool copy) noexcept {
  if constexpr (maptype::nothrow_relocate_elem) {
    if (!(maptype::keep_values && copy))
      return policy::template unrelocate<V>(p.src_elem(), p.dst_elem());
  }
  policy::template destroy<V>(p.dst_elem());
}

// Phase 2.  keep: something besides the map holds a source table (an
// iterator), so sources must stay readable: copy keys (and kept values).
template <class K, class V, class Hash, class Eq>
void map<K, V, Hash, Eq>::transfer(placement* ps, std::size_t n, bool keep) {
  if constexpr (std::is_same_v<key_slot, K> && std::is_same_v<elem_slot, V> &&
                std::is_trivially_copyable_v<K> && std::is_trivially_copyable_v<V>) {
    // Entries held inline and trivially copyable: moving and copying are
    // the same bytes and nothing can throw, so one pass copies key and
    // value together.
    (void)keep;
    for (std::size_t i = 0; i < n; ++i) {
      unpoison(ps[i].dst_key(), sizeof(K));
      unpoison(ps[i].dst_elem(), sizeof(V));
      std::memcpy(ps[i].dst_key(), ps[i].src_key(), sizeof(K));
      std::memcpy(ps[i].dst_elem(), ps[i].src_elem(), sizeof(V));
    }
    return;
  }
  std::size_t k = 0;
  try {
    for (; k < n; ++k) transfer_key(ps[k], keep);
  } catch (...) {
    while (k-- > 0) undo_key(ps[k], keep);
    throw;
  }
  std::size_t e = 0;
  try {
    for (; e < n; ++e) transfer_elem(ps[e], keep);
  } catch (...) {
    while (e-- > 0) undo_elem(ps[e], keep);
    for (k = n; k-- > 0;) undo_key(ps[k], keep);
    throw;
  }
}

// Phase 1 for the entries of src: dest(hash) claims a slot and returns it;
// placements are appended at ps[n...].  Returns the new n.
template <class K, class V, class Hash, class Eq>
template <class Dest>
std::size_t map<K, V, Hash, Eq>::plan_moves(table_t* src, placement* ps, std::size_t n,
                                            const map& m, Dest&& dest) {
  for (std::uint64_t gi = 0; gi <= src->length_mask; ++gi) {
    group_t g = src->group_at(gi);
    for (std::size_t j : g.ctrls().match_full()) {
      const slot s = dest(m.hash_of(g.key(j)));
      ps[n++] = placement::of(g, j, s);
    }
  }
  return n;
}

// growToTable: the small group becomes a table of 16 slots, alone in a
// directory of one entry.
template <class K, class V, class Hash, class Eq>
void map<K, V, Hash, Eq>::grow_to_table() {
  table_t* nt = table_t::make(2 * group_slots, 0, 0);
  directory_t* d;
  try {
    d = directory_t::make(0);
  } catch (...) {
    nt->free_raw();
    throw;
  }
  placement ps[group_slots];
  try {
    const std::size_t n =
        plan_moves(small, ps, 0, *this, [nt](std::uint64_t h) { return nt->claim_unchecked(h); });
    transfer(ps, n, small->shared());
  } catch (...) {
    nt->free_raw();
    d->release();
    throw;
  }
  d->set(0, nt);
  dir = d;
  small->index = -1;
  std::exchange(small, nullptr)->release();
}

// rehash: a full table is replaced by one twice its size, or, at the
// capacity limit, split in two.
template <class K, class V, class Hash, class Eq>
void map<K, V, Hash, Eq>::rehash(table_t* t) {
  const std::uint64_t new_capacity = 2 * std::uint64_t{t->capacity};
  if (new_capacity <= max_table_capacity) return grow(t, new_capacity);
  split(t);
}

// grow
template <class K, class V, class Hash, class Eq>
void map<K, V, Hash, Eq>::grow(table_t* t, std::uint64_t new_capacity) {
  table_t* nt = table_t::make(new_capacity, t->index, t->local_depth);
  placement ps[max_table_capacity];
  try {
    const std::size_t n =
        plan_moves(t, ps, 0, *this, [nt](std::uint64_t h) { return nt->claim_unchecked(h); });
    transfer(ps, n, t->shared());
  } catch (...) {
    nt->free_raw();
    throw;
  }
  dir->replace_table(nt);
  t->index = -1;
  t->release();
}

// split: two tables of the maximum capacity, one more hash bit each (the
// bit just below the ones the directory uses for t).
template <class K, class V, class Hash, class Eq>
void map<K, V, Hash, Eq>::split(table_t* t) {
  const auto local_depth = static_cast<std::uint8_t>(t->local_depth + 1);
  table_t* left = table_t::make(max_table_capacity, -1, local_depth);
  table_t* right = nullptr;
  directory_t* doubled = nullptr;
  try {
    right = table_t::make(max_table_capacity, -1, local_depth);
    // No room for another level in the directory: it doubles.
    if (t->local_depth == dir->global_depth)
      doubled = directory_t::make(static_cast<std::uint8_t>(dir->global_depth + 1));
  } catch (...) {
    left->free_raw();
    if (right) right->free_raw();
    throw;
  }
  // localDepthMask
  const std::uint64_t mask = std::uint64_t{1} << (64 - local_depth);
  placement ps[max_table_capacity];
  try {
    const std::size_t n = plan_moves(t, ps, 0, *this, [&](std::uint64_t h) {
      return ((h & mask) == 0 ? left : right)->claim_unchecked(h);
    });
    transfer(ps, n, t->shared());
  } catch (...) {
    left->free_raw();
    right->free_raw();
    if (doubled) doubled->release();
    throw;
  }
  install_table_split(t, left, right, doubled);
}

// installTableSplit (noexcept: everything was allocated before).
template <class K, class V, class Hash, class Eq>
void map<K, V, Hash, Eq>::install_table_split(table_t* old, table_t* left, table_t* right,
                                              directory_t* doubled) {
  if (doubled != nullptr) {
    directory_t* od = dir;
    for (std::uint64_t i = 0; i < od->len; ++i) {
      table_t* t = od->at(i);
      doubled->set(2 * i, t);
      doubled->set(2 * i + 1, t);
      // t may already exist in multiple indices.  We should only update
      // t.index once.  Since the index must increase, seeing the original
      // index means this must be the first time we've encountered this table.
      if (t->index == static_cast<std::int64_t>(i)) t->index = static_cast<std::int64_t>(2 * i);
    }
    doubled->for_each_table([](table_t* t) { t->retain(); });
    doubled->inherit_full_marks(*od);
    dir = doubled;
    od->release();
  }
  // left and right may still consume multiple indices if the directory has
  // grown multiple times since old was last split.
  left->index = old->index;
  dir->replace_table(left);
  right->index = left->index + (std::int64_t{1} << (dir->global_depth - left->local_depth));
  dir->replace_table(right);
  old->index = -1;
  old->release();
}

// NewMap's sizing, with Go's rejections of absurd hints.
template <class K, class V, class Hash, class Eq>
auto map<K, V, Hash, Eq>::make_directory(std::uint64_t hint) -> directory_t* {
  constexpr std::uint64_t max_alloc = std::uint64_t{1} << 48;  // linux/amd64
  const std::uint64_t target = hint * group_slots / max_avg_group_load;
  if (target < hint || hint > ~std::uint64_t{0} / group_slots) return nullptr;  // overflow
  std::uint64_t dir_size = (target + max_table_capacity - 1) / max_table_capacity;
  if (dir_size > (std::uint64_t{1} << 62)) return nullptr;
  dir_size = std::bit_ceil(dir_size);
  if (dir_size > max_alloc / max_table_capacity / group_bytes<maptype> * group_slots)
    return nullptr;
  const auto depth = static_cast<std::uint8_t>(std::countr_zero(dir_size));
  directory_t* d = directory_t::make(depth);
  try {
    for (std::uint64_t i = 0; i < dir_size; ++i)
      d->set(i, table_t::make(target / dir_size, static_cast<std::int64_t>(i), depth));
  } catch (...) {
    d->release();
    throw;
  }
  return d;
}

// reserve(n): like a late make hint — if the map's room (entries it can
// still take before any table grows, summed over tables) is less than
// n - len, rebuild it at NewMap's size for n.  Bogus hints are ignored.
template <class K, class V, class Hash, class Eq>
void map<K, V, Hash, Eq>::reserve(std::int64_t n) {
  if (n <= 0) return;
  const auto want = static_cast<std::uint64_t>(n);
  std::uint64_t room = 0;
  if (dir == nullptr) {
    room = group_slots;
  } else {
    dir->for_each_table([&](table_t* t) { room += t->used + t->growth_left; });
  }
  if (want <= room) return;
  detect::check_write<type_name>(state, this);
  detect::write_scope ws(state, this);
  rebuild(want);
}

// shrink_to_fit: rebuild at the size a fresh map gets for len(m) entries.
template <class K, class V, class Hash, class Eq>
void map<K, V, Hash, Eq>::shrink_to_fit() {
  if (small == nullptr && dir == nullptr) return;
  detect::check_write<type_name>(state, this);
  detect::write_scope ws(state, this);
  rebuild(used);
}

// Rebuild the map for `hint` entries (at least len(m)): NewMap's directory,
// deepened until no table would take more than it can hold, each table
// sized for what it takes.  Loops in progress keep the directory they hold
// (rebuild_seq tells them) and look keys up in the new tables.
template <class K, class V, class Hash, class Eq>
void map<K, V, Hash, Eq>::rebuild(std::uint64_t hint) {
  hint = std::max(hint, used);
  // The sources: the small group, or every table of the directory.
  std::vector<table_t*> sources;
  bool keep = false;
  if (dir == nullptr) {
    if (small != nullptr) sources.push_back(small);
  } else {
    keep = dir->shared();
    dir->for_each_table([&](table_t* t) { sources.push_back(t); });
  }
  for (table_t* t : sources) keep = keep || t->shared();
  // The hashes first: if one throws, nothing has changed.
  std::vector<std::uint64_t> hashes;
  hashes.reserve(used);
  for (table_t* t : sources)
    for (std::uint64_t gi = 0; gi <= t->length_mask; ++gi) {
      const group_t g = t->group_at(gi);
      for (std::size_t j : g.ctrls().match_full()) hashes.push_back(hash_of(g.key(j)));
    }

  table_t* nsmall = nullptr;
  directory_t* nd = nullptr;
  if (hint <= group_slots) {
    if (used > 0) nsmall = table_t::make(group_slots, 0, 0);
  } else {
    // NewMap's depth and per-table capacity, then deeper while a table
    // would get more entries than a full-size table holds.
    const std::uint64_t target = hint * group_slots / max_avg_group_load;
    std::uint64_t dir_size = std::bit_ceil((target + max_table_capacity - 1) / max_table_capacity);
    const auto newmap_depth = static_cast<std::uint8_t>(std::countr_zero(dir_size));
    // NewMap's table capacity; a deeper directory splits it, so the map
    // never has less room than NewMap would give it.
    const std::uint64_t newmap_cap =
        std::bit_ceil(std::max<std::uint64_t>(target / dir_size, group_slots));
    auto depth = newmap_depth;
    const std::uint64_t max_per_table = max_table_capacity * max_avg_group_load / group_slots;
    std::vector<std::uint32_t> counts;
    for (;; ++depth) {
      counts.assign(std::size_t{1} << depth, 0);
      for (std::uint64_t h : hashes) ++counts[depth == 0 ? 0 : h >> (64 - depth)];
      if (*std::max_element(counts.begin(), counts.end()) <= max_per_table) break;
    }
    dir_size = std::uint64_t{1} << depth;
    nd = directory_t::make(depth);
    try {
      for (std::uint64_t i = 0; i < dir_size; ++i) {
        // The capacity whose growth_left holds counts[i]: 8/7 of it, and
        // more than 7 in a one-group table.
        std::uint64_t cap =
            std::max<std::uint64_t>(newmap_cap >> (depth - newmap_depth), group_slots);
        while (cap * max_avg_group_load / group_slots < counts[i] ||
               (cap == group_slots && counts[i] > group_slots - 1))
          cap *= 2;
        nd->set(i, table_t::make(cap, static_cast<std::int64_t>(i), depth));
      }
    } catch (...) {
      nd->release();
      throw;
    }
  }
  std::vector<placement> ps(hashes.size());
  std::size_t n = 0;
  for (table_t* t : sources) {
    for (std::uint64_t gi = 0; gi <= t->length_mask; ++gi) {
      group_t g = t->group_at(gi);
      for (std::size_t j : g.ctrls().match_full()) {
        const std::uint64_t h = hashes[n];
        slot s;
        if (nd != nullptr) {
          s = nd->table_for(h)->claim_unchecked(h);
        } else {
          group_t sg = nsmall->only_group();
          s = {sg, sg.ctrls().match_empty().first()};
          sg.ctrls().set(s.i, h2(h));
        }
        ps[n++] = placement::of(g, j, s);
      }
    }
  }
  try {
    transfer(ps.data(), n, keep);
  } catch (...) {
    if (nsmall) nsmall->free_raw();
    if (nd) {
      nd->for_each_table([](table_t* t) { t->free_raw(); });
      nd->free_shell();
    }
    throw;
  }
  // Commit.
  if (nd != nullptr) nd->for_each_table([nd](table_t* t) { nd->mark_if_full(t); });
  for (table_t* t : sources) t->index = -1;
  if (small) std::exchange(small, nullptr)->release();
  if (dir) std::exchange(dir, nullptr)->release();
  small = nsmall;
  dir = nd;
  tombstone_possible = false;
  ++rebuild_seq;
}

}  // namespace gomap::runtime::swiss
