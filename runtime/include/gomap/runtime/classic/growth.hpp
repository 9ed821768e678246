// The classic engine's growth: hashGrow, growWork, evacuate and
// advanceEvacuationMark of Go's runtime/map.go, plus reserve and
// shrink_to_fit.
//
// A grow allocates the new array and commits (commit_grow); the entries move
// later, two old buckets per write (grow_work), each by evacuate:
//
//   1. plan      hash every live key of the old chain (may throw) and pre-link
//                the overflow buckets X and Y will need (may throw) — the old
//                chain is untouched;
//   2. relocate  construct each entry at its destination, walking X and Y
//                with one cursor each (evac_dst, Go's evacDst), copying keys
//                the old array must keep for iterators; a throwing copy
//                rolls back (rollback_evacuation) and nothing has changed;
//   3. commit    (noexcept) mark old cells evacuated, destroy what moved.
//
// X (same index) and Y (index + newbit) are empty on entry: every write
// evacuates the old bucket of its target bucket before touching it.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <utility>
#include <vector>

namespace gomap::runtime {

// evacDst: where the next entry sent to X or to Y goes.
template <class K, class V, class Hash, class Eq>
struct hmap<K, V, Hash, Eq>::evac_dst {
  bucket* b = nullptr;  // current destination bucket
  std::size_t i = 0;    // key/elem index into b

  // The next free cell, stepping into the (pre-linked) overflow bucket when
  // this one is full.
  std::pair<bucket*, std::size_t> next() noexcept {
    if (i == bucket_cnt) {
      b = b->overflow;
      i = 0;
    }
    return {b, i++};
  }
};

// One live entry of the old chain and its destination side.
template <class K, class V, class Hash, class Eq>
struct hmap<K, V, Hash, Eq>::evac_item {
  bucket* src;
  std::uint8_t i;
  std::uint8_t use_y;
  std::uint8_t top;  // its tophash in the new array
};

// Step 1's result: the entries of one old chain, with a small inline buffer
// (two buckets' worth) that spills to the heap for long chains.
template <class K, class V, class Hash, class Eq>
class hmap<K, V, Hash, Eq>::evac_plan {
 public:
  void push_back(const evac_item& v) {
    if (heap_.empty() && size_ < inline_n) {
      inline_[size_++] = v;
      return;
    }
    if (heap_.empty()) heap_.assign(inline_, inline_ + size_);
    heap_.push_back(v);
    ++size_;
  }
  std::size_t size() const noexcept { return size_; }
  const evac_item& operator[](std::size_t i) const noexcept {
    return heap_.empty() ? inline_[i] : heap_[i];
  }
  std::size_t n[2] = {0, 0};  // entries bound for X and for Y

 private:
  static constexpr std::size_t inline_n = 2 * bucket_cnt;
  evac_item inline_[inline_n];
  std::size_t size_ = 0;
  std::vector<evac_item> heap_;
};

// hashGrow
template <class K, class V, class Hash, class Eq>
void hmap<K, V, Hash, Eq>::hash_grow() {
  // If we've hit the load factor, get bigger.  Otherwise, there are too
  // many overflow buckets, so keep the same number of buckets and "grow"
  // laterally.
  const bool bigger = over_load_factor(count + 1, B);
  array* newbuckets =
      array::make(static_cast<std::uint8_t>(B + (bigger ? 1 : 0)));  // may throw: nothing changed
  commit_grow(newbuckets, !bigger);
  // the actual copying of the hash table data is done incrementally by
  // grow_work() and evacuate().
}

// The commit half of hashGrow, shared with reserve: the current array
// becomes the old one, iterator flags move to oldIterator.
template <class K, class V, class Hash, class Eq>
void hmap<K, V, Hash, Eq>::commit_grow(array* newbuckets, bool same_size) noexcept {
  GOMAP_ASSERT(!growing());
  std::uint8_t f = load_flags();
  f &= static_cast<std::uint8_t>(~(flag_iterator | flag_old_iterator | flag_same_size_grow));
  if (load_flags() & flag_iterator) f |= flag_old_iterator;
  if (same_size) f |= flag_same_size_grow;
  B = newbuckets->B;
  store_flags(f);
  oldbuckets = buckets;
  buckets = newbuckets;
  nevacuate = 0;
  noverflow = 0;
}

// growWork: evacuate the old bucket corresponding to the bucket we're about
// to use, then one more to make progress.
template <class K, class V, class Hash, class Eq>
void hmap<K, V, Hash, Eq>::grow_work(std::uint64_t bucket_index) {
  evacuate(bucket_index & oldbucketmask());
  if (growing()) evacuate(nevacuate);
}

// Step 1: hash every live entry of the chain at b and choose its side.
template <class K, class V, class Hash, class Eq>
auto hmap<K, V, Hash, Eq>::plan_evacuation(bucket* b, std::uint64_t newbit) const -> evac_plan {
  const bool iterating = (load_flags() & flag_iterator) != 0;
  const bool same = same_size_grow();
  evac_plan plan;
  for (bucket* c = b; c != nullptr; c = c->overflow) {
    for (std::size_t i = 0; i < bucket_cnt; ++i) {
      std::uint8_t top = c->tophash[i];
      if (is_empty(top)) continue;
      if (top < min_top_hash) throw std::logic_error("gomap: bad map state");
      std::uint8_t use_y = 0;
      if (!same) {
        // Compute hash to make our evacuation decision (whether we need to
        // send this key/elem to bucket x or bucket y).
        const K& k = c->key(i);
        const std::uint64_t hash = hash_of(k);
        if (iterating && !maptype::reflexive && !key_equal(k, k)) {
          // If key != key (NaNs), then the hash could be (and probably will
          // be) entirely different from the old hash.  Moreover, it isn't
          // reproducible.  Reproducibility is required in the presence of
          // iterators, as our evacuation decision must match whatever
          // decision the iterator made.  Fortunately, we have the freedom
          // to send these keys either way.  Also, tophash is meaningless for
          // these kinds of keys.  We let the low bit of tophash drive the
          // evacuation decision.  We recompute a new random tophash for the
          // next level so these keys will get evenly distributed across all
          // buckets after multiple grows.
          use_y = top & 1;
          top = tophash(hash);
        } else if (hash & newbit) {
          use_y = 1;
        }
      }
      plan.push_back({c, static_cast<std::uint8_t>(i), use_y, top});
      ++plan.n[use_y];
    }
  }
  return plan;
}

// evacuate: move old bucket `oldbucket` (its whole chain) to its X or Y
// bucket in the new array, in the three steps described at the top.
template <class K, class V, class Hash, class Eq>
void hmap<K, V, Hash, Eq>::evacuate(std::uint64_t oldbucket) {
  array* const old = oldbuckets;
  bucket* const b = old->at(oldbucket);
  const std::uint64_t newbit = noldbuckets();
  if (!b->evacuated()) {
    const bool keep = old->shared();  // an iterator may still read this array

    // 1. plan
    const evac_plan plan = plan_evacuation(b, newbit);
    const evac_dst heads[2] = {{buckets->at(oldbucket), 0},
                               {same_size_grow() ? nullptr : buckets->at(oldbucket + newbit), 0}};
    for (int side = 0; side < 2; ++side) {
      bucket* d = heads[side].b;
      GOMAP_ASSERT(plan.n[side] == 0 || d->tophash[0] == empty_rest);
      // (A rolled-back earlier attempt may have left empty overflow buckets
      // linked here already: reuse them.)
      for (std::size_t have = bucket_cnt; have < plan.n[side]; have += bucket_cnt)
        d = d->overflow != nullptr ? d->overflow : newoverflow(d);
    }
    if (keep) old->ensure_kept_bitmap();

    // 2. relocate
    evac_dst dst[2] = {heads[0], heads[1]};
    if (maptype::nothrow_relocate && !keep) {
      // The common case: nothing below can throw, so relocate, destroy the
      // source and mark it in one pass, as Go's evacuate does.
      for (std::size_t j = 0; j < plan.size(); ++j) {
        const evac_item& it = plan[j];
        auto [d, di] = dst[it.use_y].next();
        policy::template relocate<K>(d->key_slot_at(di), it.src->key_slot_at(it.i));
        policy::template relocate<V>(d->elem_slot_at(di), it.src->elem_slot_at(it.i));
        policy::template destroy<K>(it.src->key_slot_at(it.i));
        policy::template destroy<V>(it.src->elem_slot_at(it.i));
        d->tophash[di] = it.top;
        it.src->tophash[it.i] = static_cast<std::uint8_t>(evacuated_x + it.use_y);
      }
    } else {
      std::size_t done = 0;
      try {
        for (; done < plan.size(); ++done) {
          const evac_item& it = plan[done];
          auto [d, di] = dst[it.use_y].next();
          relocate_cell(d, di, it.src, it.i, keep);
          d->tophash[di] = it.top;
        }
      } catch (...) {
        rollback_evacuation(plan, done, heads, keep);
        throw;
      }
      // 3. commit
      for (std::size_t j = 0; j < plan.size(); ++j) {
        const evac_item& it = plan[j];
        if (!keep) {
          policy::template destroy<K>(it.src->key_slot_at(it.i));
          policy::template destroy<V>(it.src->elem_slot_at(it.i));
        } else if constexpr (!maptype::keep_values) {
          policy::template destroy<V>(it.src->elem_slot_at(it.i));
        }
        it.src->tophash[it.i] = static_cast<std::uint8_t>(evacuated_x + it.use_y);
      }
    }
    // Cells that were empty are marked too: the whole chain reads as evacuated.
    for (bucket* c = b; c != nullptr; c = c->overflow)
      for (std::size_t i = 0; i < bucket_cnt; ++i)
        if (is_empty(c->tophash[i])) c->tophash[i] = evacuated_empty;
    if (keep) old->set_kept(oldbucket);
  }
  if (oldbucket == nevacuate) advance_evacuation_mark(newbit);
}

// One cell to its destination.  Keys kept for iterators are copied; the rest
// relocate (move if nothrow, else copy).
template <class K, class V, class Hash, class Eq>
void hmap<K, V, Hash, Eq>::relocate_cell(bucket* dst, std::size_t di, bucket* src, std::size_t si,
                                         bool keep) {
  if (keep)
    policy::template copy<K>(dst->key_slot_at(di), src->key_slot_at(si));
  else
    policy::template relocate<K>(dst->key_slot_at(di), src->key_slot_at(si));
  try {
    if (keep && maptype::keep_values) {
      if constexpr (maptype::keep_values)
        policy::template copy<V>(dst->elem_slot_at(di), src->elem_slot_at(si));
    } else {
      policy::template relocate<V>(dst->elem_slot_at(di), src->elem_slot_at(si));
    }
  } catch (...) {
    undo_key(dst, di, src, si, keep);
    throw;
  }
}

template <class K, class V, class Hash, class Eq>
void hmap<K, V, Hash, Eq>::undo_key(bucket* dst, std::size_t di, bucket* src, std::size_t si,
                                    bool keep) noexcept {
  if (!keep && maptype::nothrow_relocate_key)
    policy::template unrelocate<K>(src->key_slot_at(si), dst->key_slot_at(di));
  else
    policy::template destroy<K>(dst->key_slot_at(di));
}

// Undo one relocate_cell that succeeded: nothrow-relocated objects go back to
// their source cell, copies are destroyed, and the destination cell is empty.
template <class K, class V, class Hash, class Eq>
void hmap<K, V, Hash, Eq>::undo_cell(bucket* dst, std::size_t di, bucket* src, std::size_t si,
                                     bool keep) noexcept {
  const bool elem_copied = (keep && maptype::keep_values) || !maptype::nothrow_relocate_elem;
  undo_key(dst, di, src, si, keep);
  if (elem_copied)
    policy::template destroy<V>(dst->elem_slot_at(di));
  else
    policy::template unrelocate<V>(src->elem_slot_at(si), dst->elem_slot_at(di));
  dst->tophash[di] = empty_rest;
}

// Undo step 2 for the first `done` entries; X and Y are emptied.
template <class K, class V, class Hash, class Eq>
void hmap<K, V, Hash, Eq>::rollback_evacuation(const evac_plan& plan, std::size_t done,
                                               const evac_dst heads[2], bool keep) noexcept {
  evac_dst dst[2] = {heads[0], heads[1]};
  for (std::size_t j = 0; j < done; ++j) {
    const evac_item& it = plan[j];
    auto [d, di] = dst[it.use_y].next();
    undo_cell(d, di, it.src, it.i, keep);
  }
}

// advanceEvacuationMark
template <class K, class V, class Hash, class Eq>
void hmap<K, V, Hash, Eq>::advance_evacuation_mark(std::uint64_t newbit) noexcept {
  ++nevacuate;
  // Experiments suggest that 1024 is overkill by at least an order of
  // magnitude.  Put it in there as a safeguard anyway, to ensure O(1)
  // behavior.
  const std::uint64_t stop = std::min(nevacuate + 1024, newbit);
  while (nevacuate != stop && oldbuckets->at(nevacuate)->evacuated()) ++nevacuate;
  if (nevacuate == newbit) {  // newbit == # of oldbuckets
    // Growing is all done.  Free old main bucket array (iterators may still
    // hold it).
    std::exchange(oldbuckets, nullptr)->release();
    store_flags(load_flags() & static_cast<std::uint8_t>(~flag_same_size_grow));
  }
}

// Finish any growth in progress (reserve, and tools that want a settled map).
template <class K, class V, class Hash, class Eq>
void hmap<K, V, Hash, Eq>::finish_growth() {
  while (growing()) grow_work(nevacuate);
}

// reserve(n): grow, if needed, so that n entries fit without further growth.
// Implemented with Go's own growth steps (hashGrow's commit + evacuate), each
// one transactional, so a throwing hash leaves a valid map.
template <class K, class V, class Hash, class Eq>
void hmap<K, V, Hash, Eq>::reserve(std::int64_t n) {
  const std::uint8_t target = hint_to_B(n);
  if (target <= B && buckets != nullptr) return;
  detect::check_write(state, this);
  detect::write_scope ws(state, this);
  if (buckets == nullptr || (count == 0 && !growing())) {
    array* a = array::make(target);
    if (buckets) buckets->release();
    buckets = a;
    B = target;
    noverflow = 0;
    return;
  }
  finish_growth();
  while (B < target) {
    commit_grow(array::make(static_cast<std::uint8_t>(B + 1)), /*same_size=*/false);
    finish_growth();
  }
}

// shrink_to_fit (beyond Go: golang/go#20135): rebuild the map at the B that
// makemap gives len(m) entries, with no overflow chains it does not need.
// Never automatic.  In one call:
//
//   1. settle  finish the grow in progress, if any;
//   2. plan    hash every live key (may throw: nothing changed), then
//              allocate the new array and link the overflow buckets its
//              chains need (may throw: the array is freed, nothing changed);
//   3. move    relocate_cell, as evacuate does: keys (and NaN keys' values)
//              are copied while an iterator holds the old array; a throwing
//              copy undoes what moved (undo_cell) and nothing has changed;
//   4. commit  (noexcept) mark every old cell evacuated and install the new
//              array.
//
// A loop walking the old array then finds only evacuated cells and looks
// each key up in the new one, as after a grow: nothing produced twice,
// nothing deleted produced.  Its bucket index is hash & mask(B) at its own
// B, which stays meaningful whatever B the map has later (the seed is kept).
template <class K, class V, class Hash, class Eq>
void hmap<K, V, Hash, Eq>::shrink_to_fit() {
  if (buckets == nullptr) return;
  detect::check_write(state, this);
  detect::write_scope ws(state, this);
  finish_growth();
  const std::uint8_t target = hint_to_B(static_cast<std::int64_t>(count));
  if (count == 0) {  // a fresh map has no buckets before its first write
    std::exchange(buckets, nullptr)->release();
    B = 0;
    noverflow = 0;
    return;
  }
  array* const old = buckets;
  if (target == B && old->overflow_used == 0) return;  // already a fresh map's shape
  const bool keep = old->shared();                     // an iterator walks it

  struct relocation {
    bucket* src;
    bucket* dst;
    std::uint64_t index;  // bucket in the new array
    std::uint8_t si, di, top;
  };
  std::vector<relocation> moves;
  moves.reserve(count);
  for (std::uint64_t i = 0; i < old->nmain; ++i)
    for (bucket* b = old->at(i); b != nullptr; b = b->overflow)
      for (std::size_t j = 0; j < bucket_cnt; ++j)
        if (b->is_full(j)) {
          const std::uint64_t hash = hash_of(b->key(j));
          moves.push_back({b, nullptr, hash & bucket_mask(target), static_cast<std::uint8_t>(j), 0,
                           tophash(hash)});
        }
  array* const na = array::make(target);
  std::uint64_t overflow = 0;
  try {
    std::vector<evac_dst> tail(bucket_shift(target));
    for (relocation& m : moves) {
      evac_dst& t = tail[m.index];
      if (t.b == nullptr) {
        t.b = na->at(m.index);
      } else if (t.i == bucket_cnt) {
        t.b->overflow = na->new_overflow_bucket();
        t.b = t.b->overflow;
        t.i = 0;
        ++overflow;
      }
      m.dst = t.b;
      m.di = static_cast<std::uint8_t>(t.i++);
    }
    if (keep) old->ensure_kept_bitmap();
  } catch (...) {
    na->release();
    throw;
  }

  std::size_t done = 0;
  try {
    for (; done < moves.size(); ++done) {
      const relocation& m = moves[done];
      relocate_cell(m.dst, m.di, m.src, m.si, keep);
      m.dst->tophash[m.di] = m.top;
    }
  } catch (...) {
    while (done-- > 0)
      undo_cell(moves[done].dst, moves[done].di, moves[done].src, moves[done].si, keep);
    na->release();
    throw;
  }

  for (const relocation& m : moves) {
    if (!keep) {
      policy::template destroy<K>(m.src->key_slot_at(m.si));
      policy::template destroy<V>(m.src->elem_slot_at(m.si));
    } else if constexpr (!maptype::keep_values) {
      policy::template destroy<V>(m.src->elem_slot_at(m.si));
    }
    m.src->tophash[m.si] = evacuated_x;
  }
  for (std::uint64_t i = 0; i < old->nmain; ++i) {
    for (bucket* b = old->at(i); b != nullptr; b = b->overflow)
      for (std::size_t j = 0; j < bucket_cnt; ++j)
        if (is_empty(b->tophash[j])) b->tophash[j] = evacuated_empty;
    if (keep) old->set_kept(i);
  }
  buckets = na;
  B = target;
  // incrnoverflow's count: exact below B = 16, one in 2^(B-15) above.
  noverflow = static_cast<std::uint16_t>(
      std::min<std::uint64_t>(target < 16 ? overflow : overflow >> (target - 15), 0xFFFF));
  old->release();
}

}  // namespace gomap::runtime
