// The Swiss engine's iterator: Go 1.24+'s Iter (Init / Next).
//
// Invariants:
//  * An iterator holds the map, the directory it last read and the table it
//    walks, so everything it reads stays alive even if the map grows, is
//    rebuilt, or loses every handle.
//  * It starts at a random directory offset and a random slot offset
//    (entry_offset), so no program can depend on iteration order.
//  * It walks the table it started on even after that table was replaced
//    (grown or split: index == -1), choosing keys from it and looking each
//    one up in the current map, so an entry is never produced twice and a
//    deleted one never produced.  A key != itself (NaN) cannot be looked
//    up; it is produced from the old table, as in Go.
//  * When the directory doubles, the iterator follows it (its index and
//    offset double); when the map is rebuilt (reserve, shrink_to_fit), it
//    keeps walking the directory it holds, every table of which is stale.
//  * clear() ends the loop (clear_seq).
//  * Beyond Go: after producing an entry from a current table, the iterator
//    remembers which later slots of that group were full (rest_), so most
//    steps take the next of them without redoing the walk's arithmetic;
//    entry_idx_ is kept exact, so the walk resumes where they stop.
#pragma once

#include <cstddef>
#include <cstdint>
#include <utility>

#include "gomap/runtime/ref.hpp"

namespace gomap::runtime::swiss {

template <class K, class V, class Hash, class Eq>
class iter {
 public:
  using map_type = map<K, V, Hash, Eq>;
  using table_t = typename map_type::table_t;
  using group_t = typename map_type::group_t;
  using directory_t = typename map_type::directory_t;

  iter() noexcept = default;  // copy, move and swap: defaulted (every owner is a ref<>)

  // Iter.Init, then the first Next.
  explicit iter(map_type* m) {
    if (m == nullptr || m->used == 0) return;
    m_.reset(m);
    entry_offset_ = fastrand64();
    dir_offset_ = fastrand64();
    clear_seq_ = m->clear_seq;
    rebuild_seq_ = m->rebuild_seq;
    if (m->dir == nullptr) {
      dir_idx_ = -1;  // the small map's sentinel
      tab_.reset(m->small);
    } else {
      dir_.reset(m->dir);
      global_depth_ = m->dir->global_depth;
    }
    try {
      next();
    } catch (...) {
      finish();
      throw;
    }
  }

  K* key() const noexcept { return key_; }
  V* elem() const noexcept { return elem_; }
  bool done() const noexcept { return key_ == nullptr; }

  // Iter.Next: the common step (next_in_group) inline, the walk out of
  // line.
  void next() {
    map_type* m = m_.get();
    if (m == nullptr) return;
    detect::iterate_scope<map_type::type_name> is(m->state, m);
    if (clear_seq_ != m->clear_seq) return finish();  // cleared: produce nothing more
    if (next_in_group()) return;
    next_walk(m);
  }

 private:
  // The walk over the directory and each table, from where the last step
  // stopped.
  [[gnu::noinline]] void next_walk(map_type* m) {
    GOMAP_ASSERT(!rest_);  // next_in_group used up the remembered slots
    if (dir_idx_ < 0) return next_small(m);
    follow_directory(m);
    directory_t* d = dir_.get();
    for (; dir_idx_ < static_cast<std::int64_t>(d->len); next_dir_idx()) {
      if (!tab_) resolve_table(d);
      table_t* t = tab_.get();
      const std::uint64_t entry_mask = std::uint64_t{t->capacity} - 1;
      // A table replaced since it was chosen: keys from it, entries from
      // the current map.
      const bool grown = t->stale();
      while (entry_idx_ <= entry_mask) {
        const std::uint64_t e = (entry_idx_ + entry_offset_) & entry_mask;
        const std::size_t slot_idx = e & (group_slots - 1);
        group_t g = t->group_at(e / group_slots);
        // Jump to the next full slot of this group, or past the group.
        const group_mask full = g.ctrls().match_full().remove_below(slot_idx);
        if (!full) {
          entry_idx_ += group_slots - slot_idx;
          continue;
        }
        const std::size_t i = full.first();
        entry_idx_ += i - slot_idx;
        if (entry_idx_ > entry_mask) break;  // past the end of this table's walk
        ++entry_idx_;
        if (produce(m, g, i, grown)) {
          if (!grown) remember_group(g, full.remove_first(), i, entry_mask + 1 - entry_idx_);
          return;
        }
      }
    }
    finish();
  }

  // The common step, without the walk's arithmetic: the next slot of the
  // group the last entry came from that was full when the walk reached the
  // group.  The slot is read again (a deleted entry is not produced), and a
  // table replaced since (stale) goes back to the full step, which looks
  // keys up in the current map.  A slot filled after the walk reached the
  // group is not produced: Go leaves entries added during a loop to chance.
  // entry_idx_ stays exact, so the full step resumes where this one stops.
  bool next_in_group() noexcept {
    while (rest_) {
      const std::size_t i = rest_.first();
      rest_ = rest_.remove_first();
      if (tab_.get()->stale()) {
        rest_ = {};
        return false;
      }
      entry_idx_ += i - last_slot_;
      last_slot_ = i;
      if (!g_.ctrls().is_full(i)) continue;
      key_ = &g_.key(i);
      elem_ = &g_.elem(i);
      return true;
    }
    return false;
  }

  // After producing slot i of g from a current table: the full slots after
  // it that the walk has still to visit (`left` entries remain in it).
  void remember_group(group_t g, group_mask after, std::size_t i, std::uint64_t left) noexcept {
    g_ = g;
    last_slot_ = i;
    rest_ = after.keep_below(i + 1 + left);
  }

  // The small map: its one group, from a random slot.
  void next_small(map_type* m) {
    table_t* t = tab_.get();
    // Grown to a table (or rebuilt) since Init: keys from the old group,
    // entries from the current map.
    const bool grown = t != m->small;
    group_t g = t->only_group();
    while (entry_idx_ < group_slots) {
      const std::size_t k = (entry_idx_ + entry_offset_) % group_slots;
      ++entry_idx_;
      if (g.ctrls().is_full(k) && produce(m, g, k, grown)) {
        // The walk goes up from k to slot 7, then from 0: the slots after k
        // are its next entries, up to the end of the walk.  (Slot k is
        // full: remove_first drops it.  remove_below(8) would shift by 64.)
        if (!grown)
          remember_group(g, g.ctrls().match_full().remove_below(k).remove_first(), k,
                         group_slots - entry_idx_);
        return;
      }
    }
    finish();
  }

  // Set key_/elem_ to the entry of slot i of g, or, in a replaced table, to
  // the key's current entry (grownKeyElem).  False: it is gone.
  bool produce(map_type* m, group_t g, std::size_t i, bool grown) {
    K& k = g.key(i);
    if (!grown) {
      key_ = &k;
      elem_ = &g.elem(i);
      return true;
    }
    if (auto s = m->find(k)) {
      key_ = &s.key();
      elem_ = &s.elem();
      return true;
    }
    // Not found: deleted — unless the key cannot be looked up (NaN).  Such
    // keys are neither updated nor deleted except by clear, so the old
    // table still has them exactly.
    if (!m->key_equal(k, k)) {
      key_ = &k;
      elem_ = &g.elem(i);
      return true;
    }
    return false;
  }

  // The directory doubled since the last step: double our index and
  // offset (the order of the directory is kept).  Rebuilt: keep ours.
  void follow_directory(map_type* m) {
    if (snapshot_ || dir_.get() == m->dir) return;
    if (m->rebuild_seq != rebuild_seq_ || m->dir == nullptr) {
      snapshot_ = true;
      return;
    }
    const unsigned orders = m->dir->global_depth - global_depth_;
    dir_idx_ <<= orders;
    dir_offset_ <<= orders;
    global_depth_ = m->dir->global_depth;
    dir_.reset(m->dir);
  }

  // Choose the table at our directory index.  On the first step the random
  // index may be in the middle of a table's run of entries: move the offset
  // to the run's start once.
  void resolve_table(directory_t* d) {
    auto di = static_cast<std::int64_t>((static_cast<std::uint64_t>(dir_idx_) + dir_offset_) &
                                        (d->len - 1));
    table_t* t = d->at(static_cast<std::uint64_t>(di));
    if (!t->stale() && t->index != di) {
      dir_offset_ -= static_cast<std::uint64_t>(di - t->index);
    }
    tab_.reset(t);
  }

  // nextDirIdx: skip every entry of the table just walked (a table split
  // since then included: the old table covered both halves).
  void next_dir_idx() {
    dir_idx_ += std::int64_t{1} << (dir_.get()->global_depth - tab_.get()->local_depth);
    tab_.reset();
    entry_idx_ = 0;
  }

  void finish() noexcept {
    rest_ = {};
    key_ = nullptr;
    elem_ = nullptr;
    tab_.reset();
    dir_.reset();
    m_.reset();
  }

  ref<map_type> m_;
  ref<directory_t> dir_;
  ref<table_t> tab_;
  K* key_ = nullptr;
  V* elem_ = nullptr;
  std::uint64_t entry_offset_ = 0;
  std::uint64_t dir_offset_ = 0;
  std::uint64_t clear_seq_ = 0;
  std::uint64_t rebuild_seq_ = 0;
  std::uint64_t entry_idx_ = 0;  // before adjustment by entry_offset_
  std::int64_t dir_idx_ = 0;     // before adjustment by dir_offset_
  std::uint8_t global_depth_ = 0;
  bool snapshot_ = false;
  // next_in_group's state: the group of the last entry, that entry's slot,
  // and the slots still to produce from it.
  group_t g_;
  std::size_t last_slot_ = 0;
  group_mask rest_;
};

}  // namespace gomap::runtime::swiss
