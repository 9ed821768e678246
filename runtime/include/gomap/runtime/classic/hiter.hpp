// The classic engine's iterator: Go's hiter, mapiterinit and mapiternext.
//
// Invariants:
//  * An iterator holds the map and the bucket array it started on (and the
//    old array while it walks one of its buckets), so everything it reads
//    stays alive even if the map grows, is cleared or loses every handle.
//  * It starts at a random bucket and a random offset within buckets, so no
//    program can depend on iteration order.
//  * An entry is produced at most once, and never after it was deleted: in
//    an array that was evacuated since, the iterator only walks its own
//    bucket's share and looks each key up in the current table.
//  * clear() ends every running loop (clear_seq).
#pragma once

#include <cstddef>
#include <cstdint>
#include <utility>

#include "gomap/runtime/ref.hpp"

namespace gomap::runtime {

// hiter: Go's hash iteration structure.
template <class K, class V, class Hash, class Eq>
class hiter {
 public:
  using map_type = hmap<K, V, Hash, Eq>;
  using maptype = typename map_type::maptype;
  using array = typename map_type::array;
  using bucket = typename map_type::bucket;
  static constexpr std::uint64_t no_check = ~std::uint64_t{0};

  hiter() noexcept = default;  // copy, move and swap: defaulted (every owner is a ref<>)

  // mapiterinit: random start bucket and offset, so no program can depend
  // on iteration order.
  explicit hiter(map_type* h) {
    if (h == nullptr || h->count == 0) return;
    h_.reset(h);
    B_ = h->B;
    buckets_.reset(h->buckets);
    clear_seq_ = h->clear_seq;
    std::uint64_t r = fastrand64();
    start_bucket_ = r & bucket_mask(B_);
    offset_ = static_cast<std::uint8_t>((r >> B_) & (bucket_cnt - 1));
    bucket_ = start_bucket_;
    // Remember we have an iterator.  Can run concurrently with another
    // mapiterinit() (concurrent readers), hence the atomic or.
    constexpr std::uint8_t bits = flag_iterator | flag_old_iterator;
    if ((h->load_flags() & bits) != bits) h->flags.fetch_or(bits, std::memory_order_relaxed);
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

  // mapiternext
  void next() {
    map_type* h = h_.get();
    if (h == nullptr) return;
    detect::iterate_scope is(h->state, h);
    if (clear_seq_ != h->clear_seq) return finish();  // cleared: produce nothing more
    std::uint64_t bkt = bucket_;
    bucket* b = bptr_;
    std::size_t i = i_;
    std::uint64_t check_bucket = check_bucket_;
    for (;;) {
      if (b == nullptr) {
        if (bkt == start_bucket_ && wrapped_) return finish();  // end of iteration
        if (h->growing() && B_ == h->B) {
          // Iterator was started in the middle of a grow, and the grow isn't
          // done yet.  If the bucket we're looking at hasn't been filled in
          // yet (i.e. the old bucket hasn't been evacuated) then we need to
          // iterate through the old bucket and only return the ones that
          // will be migrated to this bucket.
          const std::uint64_t oldbucket = bkt & h->oldbucketmask();
          b = h->oldbuckets->at(oldbucket);
          if (!b->evacuated()) {
            check_bucket = bkt;
            cur_old_.reset(h->oldbuckets);  // keep the old array alive while we walk it
          } else {
            b = buckets_.get()->at(bkt);
            check_bucket = no_check;
          }
        } else {
          b = buckets_.get()->at(bkt);
          check_bucket = no_check;
          if (cur_old_.get()) cur_old_.reset();  // done with the old array
        }
        ++bkt;
        if (bkt == bucket_shift(B_)) {
          bkt = 0;
          wrapped_ = true;
        }
        i = 0;
      }
      for (; i < bucket_cnt; ++i) {
        const std::size_t offi = (i + offset_) & (bucket_cnt - 1);
        const std::uint8_t top = b->tophash[offi];
        if (is_empty(top) || top == evacuated_empty) continue;
        const bool evacuated_entry = top == evacuated_x || top == evacuated_y;
        K* k = &b->key(offi);
        if (check_bucket != no_check && !h->same_size_grow()) {
          // Special case: iterator was started during a grow to a larger
          // size and the grow is not done yet.  We're working on a bucket
          // whose oldbucket has not been evacuated yet.  Or at least, it
          // wasn't evacuated when we started the bucket.  So we're iterating
          // through the oldbucket, skipping any keys that will go to the
          // other new bucket (each oldbucket expands to two buckets during a
          // grow).
          if (maptype::reflexive || h->key_equal(*k, *k)) {
            // If the item in the oldbucket is not destined for the current
            // new bucket in the iteration, skip it.
            const std::uint64_t hash = h->hash_of(*k);
            if ((hash & bucket_mask(B_)) != check_bucket) continue;
          } else {
            // Hash isn't repeatable if k != k (NaNs).  We need a repeatable
            // and randomish choice of which direction to send NaNs during
            // evacuation.  We'll use the low bit of tophash to decide which
            // way NaNs go.
            if ((check_bucket >> (B_ - 1)) != static_cast<std::uint64_t>(top & 1)) continue;
          }
        }
        if (!evacuated_entry || !(maptype::reflexive || h->key_equal(*k, *k))) {
          // This is the golden data, we can return it.  OR key!=key, so
          // the entry can't be deleted or updated, so we can just return it.
          if (evacuated_entry) {
            // (A NaN entry whose value could not be kept: docs/design.md,
            // "move-only values".)
            if constexpr (!maptype::keep_values) continue;
          }
          key_ = k;
          elem_ = &b->elem(offi);
        } else {
          // The hash table has grown since the iterator was started.  The
          // golden data for this key is now somewhere else.  Check the
          // current hash table for the data.  This code handles the case
          // where the key has been deleted, updated, or deleted and
          // reinserted.  NOTE: we need to regrab the key as it has
          // potentially been updated to an equal() but not identical key
          // (e.g. +0.0 vs -0.0).
          auto s = h->find(*k);
          if (!s) continue;  // key has been deleted
          key_ = &s.key();
          elem_ = &s.elem();
        }
        bucket_ = bkt;
        bptr_ = b;
        i_ = static_cast<std::uint8_t>(i + 1);
        check_bucket_ = check_bucket;
        return;
      }
      b = b->overflow;
      i = 0;
    }
  }

 private:
  // Iteration is over: let go of everything, so a finished iterator pins
  // no memory and costs the map no kept keys.
  void finish() noexcept {
    key_ = nullptr;
    elem_ = nullptr;
    bptr_ = nullptr;
    buckets_.reset();
    cur_old_.reset();
    h_.reset();
  }

  ref<map_type> h_;
  ref<array> buckets_;  // bucket array at initialization time
  ref<array> cur_old_;  // the old array, while walking one of its buckets
  K* key_ = nullptr;    // nil: end of iteration
  V* elem_ = nullptr;
  bucket* bptr_ = nullptr;          // current bucket
  std::uint64_t start_bucket_ = 0;  // bucket iteration started at
  std::uint64_t bucket_ = 0;
  std::uint64_t check_bucket_ = no_check;
  std::uint64_t clear_seq_ = 0;
  std::uint8_t B_ = 0;
  std::uint8_t offset_ = 0;  // intra-bucket offset to start from during iteration
  std::uint8_t i_ = 0;
  bool wrapped_ = false;  // already wrapped around from end of bucket array to beginning
};

}  // namespace gomap::runtime
