// The Swiss engine's introspection: stats(), the read-only table visitor
// (tools/inspect draws maps with it) and the invariant checker (Go's
// table_debug.go checkInvariants) that tests and the growth fuzzer run after
// every operation.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "gomap/map_stats.hpp"

namespace gomap::runtime::swiss {

template <class K, class V, class Hash, class Eq>
SwissStats map<K, V, Hash, Eq>::stats() const noexcept {
  SwissStats s;
  s.count = used;
  s.small = dir == nullptr;
  s.bytes = sizeof(map);
  if (small != nullptr) {
    s.capacity = group_slots;
    s.bytes += small->bytes();
  }
  if (dir != nullptr) {
    s.dir_len = dir->len;
    s.global_depth = dir->global_depth;
    s.bytes += dir->bytes();
    dir->for_each_table([&s](table_t* t) {
      ++s.tables;
      s.capacity += t->capacity;
      s.tombstones += t->tombstones();
      s.bytes += t->bytes();
    });
  }
  if constexpr (maptype::indirect_key || maptype::indirect_elem) {
    constexpr std::uint64_t per =
        (maptype::indirect_key ? sizeof(K) : 0) + (maptype::indirect_elem ? sizeof(V) : 0);
    s.bytes += per * used;
  }
  return s;
}

// Read-only walk for tools: f(table_index, const table_t&) for the small
// group (index -1) or each distinct table in directory order.
template <class K, class V, class Hash, class Eq>
template <class F>
void map<K, V, Hash, Eq>::visit_tables(F&& f) const {
  if (dir == nullptr) {
    if (small != nullptr) f(std::int64_t{-1}, static_cast<const table_t&>(*small));
    return;
  }
  dir->for_each_table([&f](table_t* t) { f(t->index, static_cast<const table_t&>(*t)); });
}

// checkInvariants: "" when the map is sound, else the first thing wrong.
template <class K, class V, class Hash, class Eq>
std::string map<K, V, Hash, Eq>::check_invariants() const {
  auto fail = [](const std::string& what) { return "swiss map: " + what; };
  if (dir == nullptr) {
    if (small == nullptr) return used == 0 ? "" : fail("entries without a group");
    const group_t g = small->only_group();
    std::uint64_t full = 0;
    for (std::size_t i = 0; i < group_slots; ++i) {
      const ctrl c = g.ctrls().get(i);
      if (ctrl_group::is_full(c)) {
        ++full;
      } else if (c != ctrl_empty) {
        return fail("small group slot " + std::to_string(i) + " is neither full nor empty");
      }
    }
    if (full != used)
      return fail("small group has " + std::to_string(full) + " entries, used " +
                  std::to_string(used));
    for (std::size_t i : g.ctrls().match_full()) {
      K& k = g.key(i);
      if (!key_equal(k, k)) continue;
      if (find_small(hash_of(k), k).i != i) return fail("small group key not found");
    }
    return "";
  }
  if (small != nullptr) return fail("both a small group and a directory");
  if (dir->len != (std::uint64_t{1} << dir->global_depth)) return fail("directory length");
  std::uint64_t total = 0;
  std::string err;
  for (std::uint64_t i = 0; i < dir->len && err.empty(); ++i) {
    table_t* t = dir->at(i);
    if (t == nullptr) return fail("null directory entry " + std::to_string(i));
    if (t->stale()) return fail("stale table in the directory");
    if (t->local_depth > dir->global_depth) return fail("local depth above global depth");
    const std::uint64_t run = std::uint64_t{1} << (dir->global_depth - t->local_depth);
    const auto first = static_cast<std::uint64_t>(t->index);
    if (first % run != 0 || i < first || i >= first + run)
      return fail("table index " + std::to_string(first) + " does not cover entry " +
                  std::to_string(i));
    if (i != first) continue;
    // The next insert into a full table moves its entries: might_relocate
    // must know it.
    if (t->growth_left == 0 && !dir->marked_full(t)) return fail("a full table is not marked full");
    // One table, once.
    std::uint64_t full = 0, deleted = 0, empty = 0;
    for (std::uint64_t gi = 0; gi <= t->length_mask; ++gi) {
      const group_t g = t->group_at(gi);
      for (std::size_t j = 0; j < group_slots; ++j) {
        const ctrl c = g.ctrls().get(j);
        if (ctrl_group::is_full(c)) {
          ++full;
        } else if (c == ctrl_deleted) {
          ++deleted;
        } else if (c == ctrl_empty) {
          ++empty;
        } else {
          return fail("bad control byte");
        }
      }
    }
    if (full != t->used)
      return fail("table used " + std::to_string(t->used) + " but " + std::to_string(full) +
                  " full slots");
    if (deleted != t->tombstones())
      return fail("table tombstones " + std::to_string(t->tombstones()) + " but " +
                  std::to_string(deleted) + " deleted slots");
    if (empty == 0) return fail("table has no empty slot");
    if (deleted != 0 && !tombstone_possible) return fail("tombstone not recorded");
    if (t->capacity != (t->length_mask + 1) * group_slots) return fail("capacity");
    total += full;
    for (std::uint64_t gi = 0; gi <= t->length_mask; ++gi) {
      group_t g = t->group_at(gi);
      for (std::size_t j : g.ctrls().match_full()) {
        K& k = g.key(j);
        if (!key_equal(k, k)) continue;
        const std::uint64_t h = hash_of(k);
        if (g.ctrls().get(j) != h2(h)) return fail("control byte is not the key's H2");
        const std::uint64_t di = dir->index_of(h);
        if (di < first || di >= first + run) return fail("key in the wrong table");
        const slot s = t->find(h, k, eq_fn());
        if (s.g != g || s.i != j) return fail("key not found by its probe sequence");
      }
    }
  }
  if (total != used)
    return fail("map used " + std::to_string(used) + " but tables hold " + std::to_string(total));
  return "";
}

}  // namespace gomap::runtime::swiss
