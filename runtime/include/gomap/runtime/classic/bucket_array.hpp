// The classic engine's bucket array: 2^B main buckets, then preallocated
// overflow buckets (Go's makeBucketArray: 2^(B-4) extra for B >= 4), then
// heap overflow buckets as needed, in chunks.
//
// Invariants:
//  * The array is reference counted: the map holds one reference to its
//    current and (while growing) its old array; each live iterator holds the
//    arrays it walks.  The last reference destroys every live object.
//  * A slot's objects are alive exactly when its tophash is >= min_top_hash,
//    or when it is marked evacuated_x/evacuated_y in a main bucket whose
//    `kept` bit is set (evacuated while an iterator still held this array:
//    the key, and for non-reflexive keys the value, stay for the iterator).
//  * Under AddressSanitizer every slot that holds no live object is
//    poisoned, so a read through a stale pointer into an erased entry is
//    reported (abseil poisons its empty slots the same way).
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <new>
#include <vector>

#include "gomap/runtime/array_memory.hpp"
#include "gomap/runtime/classic/bucket.hpp"
#include "gomap/runtime/ref.hpp"

namespace gomap::runtime {

template <class MT>
struct bucket_array {
  using K = typename MT::key_type;
  using V = typename MT::elem_type;
  using bucket = bmap<K, V>;
  using policy = typename MT::policy;

  // Overflow buckets beyond the preallocated ones come in chunks (each as
  // large as the preallocated area), so that "does p point into this
  // array?" stays a handful of range checks and allocation is amortized.
  struct chunk {
    bucket* base;
    std::uint64_t n;
  };

  std::atomic<std::uint32_t> refs{1};
  std::uint8_t B;
  std::uint64_t nmain;
  std::uint64_t ntotal;
  std::uint64_t next_overflow;            // next free preallocated overflow bucket
  std::uint64_t overflow_used = 0;        // exact count of linked overflow buckets
  std::vector<chunk> chunks;              // heap overflow buckets
  std::uint64_t chunk_next = 0;           // next free bucket in chunks.back()
  std::unique_ptr<std::uint64_t[]> kept;  // bit i: main bucket i evacuated with keys kept

  // The buckets themselves follow this header in the same allocation, so
  // reaching bucket i costs no extra dependent load.
  static constexpr std::size_t alloc_align = alignof(bucket) > alignof(std::max_align_t)
                                                 ? alignof(bucket)
                                                 : alignof(std::max_align_t);
  static std::size_t header_bytes() noexcept {
    return (sizeof(bucket_array) + alignof(bucket) - 1) / alignof(bucket) * alignof(bucket);
  }
  bucket* base() noexcept {
    return reinterpret_cast<bucket*>(reinterpret_cast<unsigned char*>(this) + header_bytes());
  }
  const bucket* base() const noexcept {
    return reinterpret_cast<const bucket*>(reinterpret_cast<const unsigned char*>(this) +
                                           header_bytes());
  }
  bucket* at(std::uint64_t i) noexcept { return base() + i; }

  // array_memory.hpp: small arrays (a map's first bucket) from the thread's
  // block cache.
  static void* alloc_raw(std::size_t bytes) { return allocate_array<alloc_align>(bytes); }
  static void free_raw(void* p, std::size_t bytes) noexcept {
    deallocate_array<alloc_align>(p, bytes);
  }
  std::size_t alloc_bytes() const noexcept { return header_bytes() + ntotal * sizeof(bucket); }

  // n empty buckets: all emptyRest, no overflow, every slot poisoned.
  static void init_buckets(bucket* p, std::uint64_t n) noexcept {
    std::memset(static_cast<void*>(p), 0, n * sizeof(bucket));
    if constexpr (under_asan)
      for (std::uint64_t i = 0; i < n; ++i) poison_slots(p + i);
  }
  static void poison_slots(bucket* b) noexcept {
    poison(b->keys, sizeof b->keys);
    poison(b->elems, sizeof b->elems);
  }
  static void unpoison_buckets(bucket* p, std::uint64_t n) noexcept {
    if constexpr (under_asan) unpoison(p, n * sizeof(bucket));
  }
  static bucket* alloc_buckets(std::uint64_t n) {
    auto* p = static_cast<bucket*>(alloc_raw(n * sizeof(bucket)));
    init_buckets(p, n);
    return p;
  }
  static void free_buckets(bucket* p, std::uint64_t n) noexcept {
    unpoison_buckets(p, n);
    free_raw(p, n * sizeof(bucket));
  }

  // makeBucketArray
  static bucket_array* make(std::uint8_t b) {
    const std::uint64_t nbase = bucket_shift(b);
    std::uint64_t n = nbase;
    // For small b, overflow buckets are unlikely; avoid the overhead.
    if (b >= 4) n += bucket_shift(static_cast<std::uint8_t>(b - 4));
    const std::size_t bytes = header_bytes() + n * sizeof(bucket);
    void* mem = alloc_raw(bytes);
    auto* a = ::new (mem) bucket_array;
    a->B = b;
    a->nmain = nbase;
    a->ntotal = n;
    a->next_overflow = nbase;
    init_buckets(a->base(), n);
    return a;
  }

  // A fresh overflow bucket: preallocated if any is left, else from the heap.
  bucket* new_overflow_bucket() {
    bucket* ovf;
    if (next_overflow < ntotal) {
      ovf = base() + next_overflow++;
    } else {
      if (chunks.empty() || chunk_next == chunks.back().n) {
        const std::uint64_t n = std::max<std::uint64_t>(8, nmain / 16);
        chunks.reserve(chunks.size() + 1);  // may throw before anything changes
        chunks.push_back({alloc_buckets(n), n});
        chunk_next = 0;
      }
      ovf = chunks.back().base + chunk_next++;
    }
    ++overflow_used;
    return ovf;
  }

  // Does p point into this array's storage?
  bool contains(const void* p) const noexcept {
    const auto c = reinterpret_cast<std::uintptr_t>(p);
    auto within = [c](const bucket* base, std::uint64_t n) {
      const auto lo = reinterpret_cast<std::uintptr_t>(base);
      return c >= lo && c - lo < n * sizeof(bucket);
    };
    if (within(base(), ntotal)) return true;
    return std::any_of(chunks.begin(), chunks.end(),
                       [&](const chunk& k) { return within(k.base, k.n); });
  }

  bool is_kept(std::uint64_t i) const noexcept { return kept && ((kept[i >> 6] >> (i & 63)) & 1u); }
  void ensure_kept_bitmap() {
    if (!kept) kept.reset(new std::uint64_t[(nmain + 63) / 64]());
  }
  void set_kept(std::uint64_t i) noexcept { kept[i >> 6] |= std::uint64_t{1} << (i & 63); }

  // Destroy every live object: filled cells (key and value), and keys (and,
  // for non-reflexive key types, values) kept in evacuated cells.
  void destroy_objects() noexcept {
    if constexpr (MT::trivial_slots) return;  // nothing to run: skip the walk
    for (std::uint64_t i = 0; i < nmain; ++i) {
      const bool kept_here = is_kept(i);
      for (bucket* b = at(i); b != nullptr; b = b->overflow) {
        for (std::size_t j = 0; j < bucket_cnt; ++j) {
          if (b->is_full(j)) {
            policy::template destroy<K>(b->key_slot_at(j));
            policy::template destroy<V>(b->elem_slot_at(j));
          } else if (kept_here && b->is_evacuated_entry(j)) {
            policy::template destroy<K>(b->key_slot_at(j));
            if constexpr (MT::keep_values) policy::template destroy<V>(b->elem_slot_at(j));
          }
        }
      }
    }
  }

  // makeBucketArray(dirtyalloc): empty the array in place for reuse.
  void reset() noexcept {
    destroy_objects();
    free_heap_overflow();
    unpoison_buckets(base(), ntotal);
    init_buckets(base(), ntotal);
    next_overflow = nmain;
    overflow_used = 0;
    kept.reset();
  }

  void free_heap_overflow() noexcept {
    for (const chunk& k : chunks) free_buckets(k.base, k.n);
    chunks.clear();
    chunk_next = 0;
  }

  std::uint64_t bytes() const noexcept {
    std::uint64_t n = header_bytes() + ntotal * sizeof(bucket);
    for (const chunk& k : chunks) n += k.n * sizeof(bucket);
    if (kept) n += (nmain + 63) / 64 * 8;
    return n;
  }

  ~bucket_array() {
    destroy_objects();
    free_heap_overflow();
  }

  void retain() noexcept { refs.fetch_add(1, std::memory_order_relaxed); }
  void release() noexcept {
    if (drop_reference(refs)) {
      const std::size_t bytes = alloc_bytes();
      bucket* const first = base();
      const std::uint64_t n = ntotal;
      this->~bucket_array();
      unpoison_buckets(first, n);
      free_raw(this, bytes);
    }
  }
  bool shared() const noexcept { return refs.load(std::memory_order_acquire) > 1; }
};

}  // namespace gomap::runtime
