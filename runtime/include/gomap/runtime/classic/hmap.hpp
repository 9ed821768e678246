// The classic engine: a port of Go's runtime/map.go (Go 1.19–1.23, with Go
// 1.21's clear) to C++.  This file holds the map header and the operations
// on one key; the rest of the engine is one file per concern:
//
//   bucket.hpp        the bucket (bmap), tophash states, named match operations
//   bucket_array.hpp  2^B buckets + overflow buckets, reference counted
//   hmap.hpp          the map header; lookup, assign, delete, clear  (this file)
//   growth.hpp        hashGrow, growWork, evacuate, reserve, shrink_to_fit
//   hiter.hpp         the iterator (mapiterinit / mapiternext)
//   debug.hpp         stats, the bucket visitor, the invariant checker
//
// Design (after map.go's opening essay).  A map is a hash table.  The data is
// arranged into an array of buckets, each holding up to 8 key/elem pairs.
// The low-order bits of the hash select a bucket; the high-order byte of each
// hash (tophash) distinguishes the entries within a bucket.  A bucket that
// fills up chains to overflow buckets.  When the table grows, a new bucket
// array twice as big is allocated and buckets are *incrementally* copied
// ("evacuated") from the old array to the new one: every write to the map
// evacuates the old bucket it lands in plus one more, so no single operation
// pays for the whole rehash.  During growth the old array stays readable;
// a lookup consults the old bucket until it has been evacuated.  Iterators
// walk the array they started on and, where a bucket has since been
// evacuated, look each key up in the current table (the "golden" data).
//
// What Go's garbage collector does, and what this port does instead:
//  * Bucket arrays are reference counted (the map holds one reference per
//    array; each live iterator holds the arrays it walks), so an iterator
//    keeps what it walks alive, even after the map moved on or died.
//  * Objects in slots have lifetimes: a slot's tophash says whether its key
//    and value are alive.  Evacuation *moves* them — unless an iterator still
//    references the old array, in which case keys are copied and stay
//    readable in the evacuated slot (Go keeps old keys then too: oldIterator),
//    and the iterator reads the current value through the new table.  Such
//    "kept" buckets are recorded in a bitmap of the old array so its
//    destructor knows what is alive.
//  * Evacuation is transactional (growth.hpp): all hashing and allocation
//    happen first, then objects are relocated; a throwing copy rolls back;
//    only then are old slots marked evacuated.  A throwing Hash, Eq or
//    constructor thus leaves every entry findable and the map consistent.
//  * clear() (Go 1.21 semantics) destroys every entry, NaN keys included,
//    re-draws the seed, and bumps a sequence number that ends running loops.
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
#include "gomap/map_stats.hpp"
#include "gomap/runtime/alg.hpp"
#include "gomap/runtime/block_cache.hpp"
#include "gomap/runtime/classic/bucket_array.hpp"
#include "gomap/runtime/maptype.hpp"

namespace gomap::runtime {

struct map_access;  // the one friend for tests, fuzzers and tools

template <class K, class V, class Hash, class Eq>
class hiter;

// The engine's own flags (Go's hmap.flags, less hashWriting, which belongs
// to the detector).  Iterators of concurrent readers set bits at once (Go:
// atomic.Or8); everything else is written under the writing flag.
enum hmap_flag : std::uint8_t {
  flag_iterator = 1,        // there may be an iterator using buckets
  flag_old_iterator = 2,    // there may be an iterator using oldbuckets
  flag_same_size_grow = 4,  // the current map growth is to a new map of the same size
};

// hmap: the header of a Go map.  It comes from the thread's block cache, so a
// map made and dropped in a loop (which Go would keep on the stack) skips malloc.
//
// Invariants (checked by check_invariants in debug.hpp):
//  * count is the number of live cells in buckets and in the not yet
//    evacuated buckets of oldbuckets;
//  * buckets == nullptr only while count == 0 and no write has happened;
//  * oldbuckets != nullptr exactly while growing; then old buckets below
//    nevacuate are evacuated, and every new bucket fed by a not yet
//    evacuated old bucket is empty;
//  * a chain's emptyRest is exact: no live cell after it.
template <class K, class V, class Hash, class Eq>
class hmap : public block_cache::cached {
 public:
  using maptype = runtime::maptype<K, V, Hash, Eq>;
  using array = bucket_array<maptype>;
  using bucket = bmap<K, V>;
  using policy = typename maptype::policy;
  using elem_slot = typename maptype::elem_slot;
  using iterator = hiter<K, V, Hash, Eq>;
  using stats_type = MapStats;
  static constexpr const char* type_name = detect::map_type_name;

  std::uint64_t count = 0;             // # live cells == size of map.  Must be first (len()).
  detect::map_state state;             // the detector's writing flag and writer token
  std::atomic<std::uint8_t> flags{0};  // hmap_flag bits
  std::uint8_t B = 0;           // log_2 of # of buckets (can hold up to loadFactor * 2^B items)
  std::uint16_t noverflow = 0;  // approximate number of overflow buckets
  std::uint64_t hash0 = 0;      // hash seed
  array* buckets = nullptr;     // array of 2^B buckets; may be nil if count==0
  array* oldbuckets = nullptr;  // previous bucket array of half the size, non-nil only when growing
  std::uint64_t nevacuate = 0;  // progress counter for evacuation (buckets less than this
                                // have been evacuated)
  std::uint64_t clear_seq = 0;  // bumped by clear(): running iterators end
  std::atomic<std::uint32_t> refs{1};  // Map handles + live iterators
  [[no_unique_address]] Hash hasher;
  [[no_unique_address]] Eq eq;

  hmap(Hash h, Eq e) : hasher(std::move(h)), eq(std::move(e)) {}
  hmap(const hmap&) = delete;
  hmap& operator=(const hmap&) = delete;
  ~hmap() {
    if (buckets) buckets->release();
    if (oldbuckets) oldbuckets->release();
  }

  void retain() noexcept { refs.fetch_add(1, std::memory_order_relaxed); }
  void release() noexcept {
    if (drop_reference(refs)) delete this;
  }

  std::uint64_t len() const noexcept { return count; }

  // makemap: B chosen for the hint exactly as Go does; a negative hint, or
  // one whose buckets would overflow Go's maxAlloc, is ignored.
  static hmap* makemap(std::int64_t hint, Hash h = Hash{}, Eq e = Eq{}) {
    auto* m = new hmap(std::move(h), std::move(e));
    m->hash0 = fastrand64();
    const std::uint8_t b = hint_to_B(hint);
    // If hint is large, zeroing this memory could take a while.  Allocate
    // now unless B == 0 (then buckets come lazily with the first write).
    if (b != 0) {
      try {
        m->buckets = array::make(b);
        m->B = b;
      } catch (const std::bad_alloc&) {
        // A hint this machine cannot hold is treated like a bogus hint.
        m->B = 0;
      }
    }
    return m;
  }

  static std::uint8_t hint_to_B(std::int64_t hint) noexcept {
    constexpr std::uint64_t max_alloc = std::uint64_t{1} << 48;  // linux/amd64
    std::uint64_t h = hint < 0 ? 0 : static_cast<std::uint64_t>(hint);
    if (hint < 0 || h > max_alloc / sizeof(bucket)) h = 0;  // math.MulUintptr overflow check
    std::uint8_t b = 0;
    while (over_load_factor(h, b)) ++b;
    return b;
  }

  // overLoadFactor: count items placed in 1<<B buckets is over loadFactor.
  static bool over_load_factor(std::uint64_t c, std::uint8_t b) noexcept {
    return c > bucket_cnt && c > load_factor_num * (bucket_shift(b) / load_factor_den);
  }
  // tooManyOverflowBuckets: "too many" means (approximately) as many
  // overflow buckets as regular buckets.
  static bool too_many_overflow_buckets(std::uint16_t nov, std::uint8_t b) noexcept {
    if (b > 15) b = 15;
    return nov >= static_cast<std::uint16_t>(std::uint16_t{1} << (b & 15));
  }

  std::uint8_t load_flags() const noexcept { return flags.load(std::memory_order_relaxed); }
  void store_flags(std::uint8_t f) noexcept { flags.store(f, std::memory_order_relaxed); }
  bool growing() const noexcept { return oldbuckets != nullptr; }
  bool same_size_grow() const noexcept { return (load_flags() & flag_same_size_grow) != 0; }
  std::uint64_t noldbuckets() const noexcept {
    std::uint8_t ob = B;
    if (!same_size_grow()) --ob;
    return bucket_shift(ob);
  }
  std::uint64_t oldbucketmask() const noexcept { return noldbuckets() - 1; }

  template <class Q>
  std::uint64_t hash_of(const Q& k) const {
    return maptype::hash(hasher, k, hash0);
  }
  template <class Q>
  bool key_equal(const Q& q, const K& k) const {
    return static_cast<bool>(eq(q, k));
  }

  // -------------------------------------------------------------------------
  // Lookup.

  struct slot {
    bucket* b = nullptr;
    std::size_t i = 0;
    explicit operator bool() const noexcept { return b != nullptr; }
    K& key() const noexcept { return b->key(i); }
    V& elem() const noexcept { return b->elem(i); }
  };

  // The bucket a hash is found in: the old one while it is not evacuated.
  bucket* lookup_bucket(std::uint64_t hash) noexcept {
    std::uint64_t m = bucket_mask(B);
    bucket* b = buckets->at(hash & m);
    if (array* c = oldbuckets) {
      if (!same_size_grow())
        m >>= 1;  // There used to be half as many buckets; mask down one more power of two.
      bucket* oldb = c->at(hash & m);
      if (!oldb->evacuated()) b = oldb;
    }
    return b;
  }

  // The probe shared by every lookup, delete and assign: compare keys only
  // at slots whose tophash matches, stop at emptyRest.
  template <class Q>
  slot find_in_chain(bucket* b, std::uint8_t top, const Q& key) const {
    for (; b != nullptr; b = b->overflow) {
      for (std::size_t i : b->match(top))
        if (key_equal(key, b->key(i))) [[likely]]
          return {b, i};
      if (b->ends_chain()) break;
    }
    return {};
  }

  enum class onebucket { found, absent, need_hash };

  // mapaccess1_faststr's one-bucket case: a map of at most 8 string keys is
  // searched without hashing.  Short keys (< 32 bytes) are compared
  // outright, length first; for long keys only a key that agrees in length,
  // first 4 and last 4 bytes is a candidate, and two candidates fall back
  // to hashing.  (MegMap: 1 MB keys found absent without reading them.)
  std::pair<onebucket, slot> find_onebucket(std::string_view key) noexcept {
    bucket* b = buckets->at(0);
    // The filled slots of the one bucket, in order, until emptyRest.
    auto filled = [b](auto&& visit) {
      for (std::size_t i = 0; i < bucket_cnt; ++i) {
        const std::uint8_t t = b->tophash[i];
        if (t == empty_rest) return;
        if (!is_empty(t) && !visit(i, std::as_const(b->key(i)))) return;
      }
    };
    std::pair<onebucket, slot> r{onebucket::absent, {}};
    if (key.size() < 32) {
      filled([&](std::size_t i, const std::string& k) {
        if (k.size() != key.size() || std::memcmp(k.data(), key.data(), key.size()) != 0)
          return true;
        r = {onebucket::found, slot{b, i}};
        return false;
      });
      return r;
    }
    std::size_t keymaybe = bucket_cnt;
    filled([&](std::size_t i, const std::string& k) {
      if (k.size() != key.size()) return true;
      if (k.data() == key.data()) {
        r = {onebucket::found, slot{b, i}};
        return false;
      }
      // check first 4 bytes, then last 4 bytes
      if (std::memcmp(k.data(), key.data(), 4) != 0) return true;
      if (std::memcmp(k.data() + key.size() - 4, key.data() + key.size() - 4, 4) != 0) return true;
      // Two keys are potential matches.  Use hash to distinguish them.
      if (keymaybe != bucket_cnt) {
        r = {onebucket::need_hash, {}};
        return false;
      }
      keymaybe = i;
      return true;
    });
    if (r.first != onebucket::absent || keymaybe == bucket_cnt) return r;
    const std::string& k = b->key(keymaybe);
    if (std::memcmp(k.data(), key.data(), key.size()) == 0)
      return {onebucket::found, slot{b, keymaybe}};
    return r;
  }

  // The lookup proper (mapaccessK): the one-bucket string path, else hash
  // and probe.
  template <class Q>
  slot lookup(const Q& key) {
    if constexpr (maptype::faststr && std::is_convertible_v<const Q&, std::string_view>) {
      if (B == 0 && oldbuckets == nullptr) {
        auto [r, s] = find_onebucket(std::string_view(key));
        if (r != onebucket::need_hash) return s;
      }
    }
    const std::uint64_t hash = hash_of(key);
    return find_in_chain(lookup_bucket(hash), tophash(hash), key);
  }

  // mapaccessK without the detector (iterators use it for golden data).
  template <class Q>
  slot find(const Q& key) {
    if (count == 0) return {};
    return lookup(key);
  }

  // mapaccess1/mapaccess2: a read, checked by the detector.
  template <class Q>
  slot access(const Q& key) {
    if (count == 0) return {};
    detect::read_scope rs(state, this);
    return lookup(key);
  }

  // -------------------------------------------------------------------------
  // Assignment.

  // Could the object at p be relocated by the growth work of the next write?
  // (Arguments referring into the map itself — `m.set(k, v)` with k or v
  // taken from the map — are then copied first, so evacuation cannot move
  // them out from under the write.)
  bool might_relocate(const void* p) const noexcept {
    if (growing()) return oldbuckets->contains(p);
    return buckets != nullptr &&
           (over_load_factor(count + 1, B) || too_many_overflow_buckets(noverflow, B)) &&
           buckets->contains(p);
  }

  // mapassign: find the cell for `key`, inserting it if absent.  A new
  // entry's value is built by `make_elem(elem_slot*)`; an existing entry is
  // returned as is (the caller assigns).  Returns the cell's value and
  // whether it was inserted.  The key was made safe from growth work by the
  // handle (see stable_operand in handle.hpp).
  template <class KArg, class MakeElem>
  std::pair<assigned<V>, bool> assign(KArg&& key, MakeElem&& make_elem) {
    detect::check_write(state, this);
    const std::uint64_t hash = hash_of(key);
    // Set hashWriting after calling the hasher, since it may throw, in
    // which case we have not actually done a write.
    detect::write_scope ws(state, this);
    if (buckets == nullptr) buckets = array::make(0);  // newobject(t.bucket)
    const std::uint8_t top = tophash(hash);
    for (;;) {  // again:
      const std::uint64_t bi = hash & bucket_mask(B);
      if (growing()) grow_work(bi);
      bucket* b = buckets->at(bi);
      bucket* insert_b = nullptr;
      std::size_t insert_i = 0;
      for (;;) {
        for (std::size_t i : b->match(top)) {
          K& k = b->key(i);
          if (!key_equal(key, k)) continue;
          // already have a mapping for key.  Update it.
          if constexpr (maptype::key_update) k = std::forward<KArg>(key);
          return {{std::addressof(b->elem(i))}, false};
        }
        if (insert_b == nullptr) {
          if (const slot_mask e = b->match_empty()) {
            insert_b = b;
            insert_i = e.first();
          }
        }
        if (b->ends_chain() || b->overflow == nullptr) break;
        b = b->overflow;
      }
      // Did not find mapping for key.  Allocate new cell & add entry.
      // If we hit the max load factor or we have too many overflow buckets,
      // and we're not already in the middle of growing, start growing.
      if (!growing() &&
          (over_load_factor(count + 1, B) || too_many_overflow_buckets(noverflow, B))) {
        hash_grow();
        continue;  // Growing the table invalidates everything, so try again
      }
      if (insert_b == nullptr) {
        // The current bucket and all the overflow buckets connected to it
        // are full, allocate a new one.
        insert_b = newoverflow(b);
        insert_i = 0;
      }
      policy::template construct<K>(insert_b->key_slot_at(insert_i), std::forward<KArg>(key));
      try {
        make_elem(insert_b->elem_slot_at(insert_i));
      } catch (...) {
        policy::template destroy<K>(insert_b->key_slot_at(insert_i));
        throw;
      }
      insert_b->tophash[insert_i] = top;
      ++count;
      return {{std::addressof(insert_b->elem(insert_i))}, true};
    }
  }

  // incrnoverflow: exact for small maps, probabilistic (1/(1<<(B-15))) for
  // large ones, so that noverflow fits in 16 bits.
  void incrnoverflow() noexcept {
    if (B < 16) {
      ++noverflow;
      return;
    }
    const std::uint32_t mask = (std::uint32_t{1} << (B - 15)) - 1;
    if ((fastrand() & mask) == 0) ++noverflow;
  }

  // newoverflow: link a fresh overflow bucket behind b (in the current array).
  bucket* newoverflow(bucket* b) {
    bucket* ovf = buckets->new_overflow_bucket();
    incrnoverflow();
    b->overflow = ovf;
    return ovf;
  }

  // -------------------------------------------------------------------------
  // Deletion.

  // mapdelete.  The key was made safe from growth work by the handle.
  template <class Q>
  void erase(const Q& key) {
    if (count == 0) return;
    detect::check_write(state, this);
    const std::uint64_t hash = hash_of(key);
    detect::write_scope ws(state, this);
    const std::uint64_t bi = hash & bucket_mask(B);
    if (growing()) grow_work(bi);
    bucket* const b_orig = buckets->at(bi);
    if (slot s = find_in_chain(b_orig, tophash(hash), key)) delete_cell(b_orig, s.b, s.i);
  }

  // The tail of mapdelete: destroy the cell, then keep emptyRest exact.
  void delete_cell(bucket* b_orig, bucket* b, std::size_t i) noexcept {
    GOMAP_ASSERT(count > 0 && b->is_full(i));
    policy::template destroy<K>(b->key_slot_at(i));
    policy::template destroy<V>(b->elem_slot_at(i));
    b->tophash[i] = empty_one;
    // If the bucket now ends in a bunch of emptyOne states, change those to
    // emptyRest states.
    const bool last = i == bucket_cnt - 1
                          ? (b->overflow == nullptr || b->overflow->tophash[0] == empty_rest)
                          : b->tophash[i + 1] == empty_rest;
    if (last) {
      for (;;) {
        b->tophash[i] = empty_rest;
        if (i == 0) {
          if (b == b_orig) break;  // beginning of initial bucket, we're done.
          // Find previous bucket, continue at its last entry.
          bucket* c = b;
          for (b = b_orig; b->overflow != c; b = b->overflow) {
          }
          i = bucket_cnt - 1;
        } else {
          --i;
        }
        if (b->tophash[i] != empty_one) break;
      }
    }
    --count;
    // Reset the hash seed to make it more difficult for attackers to
    // repeatedly trigger hash collisions.  See Go issue 25237.
    if (count == 0) hash0 = fastrand64();
  }

  // -------------------------------------------------------------------------
  // clear (Go 1.21 mapclear).

  void clear() {
    if (count == 0) {
      // Nothing to remove (Go returns here), but a running loop must still
      // produce nothing more — not even entries inserted after this clear.
      if (buckets) {
        detect::check_write(state, this);
        ++clear_seq;
      }
      return;
    }
    detect::check_write(state, this);
    detect::write_scope ws(state, this);
    ++clear_seq;  // existing iterators end (Go: markBucketsEmpty, issue #59411)
    store_flags(load_flags() & static_cast<std::uint8_t>(~flag_same_size_grow));
    if (oldbuckets) {
      array* ob = std::exchange(oldbuckets, nullptr);
      ob->reset();  // iterators still holding it must find nothing alive
      ob->release();
    }
    nevacuate = 0;
    noverflow = 0;
    count = 0;
    // Reset the hash seed to make it more difficult for attackers to
    // repeatedly trigger hash collisions.  See Go issue 25237.
    hash0 = fastrand64();
    // makeBucketArray clears the memory pointed to by buckets and recovers
    // any preallocated overflow buckets.
    buckets->reset();
  }

  // -------------------------------------------------------------------------
  // Growth (growth.hpp).

  void hash_grow();
  void commit_grow(array* newbuckets, bool same_size) noexcept;
  void grow_work(std::uint64_t bucket_index);
  void evacuate(std::uint64_t oldbucket);
  void advance_evacuation_mark(std::uint64_t newbit) noexcept;
  void finish_growth();
  void reserve(std::int64_t n);
  void shrink_to_fit();

  // -------------------------------------------------------------------------
  // Introspection (debug.hpp).

  MapStats stats() const noexcept;
  template <class F>
  void visit_buckets(F&& f) const;
  std::string check_invariants();

 private:
  struct evac_dst;
  struct evac_item;
  class evac_plan;
  evac_plan plan_evacuation(bucket* b, std::uint64_t newbit) const;
  void relocate_cell(bucket* dst, std::size_t di, bucket* src, std::size_t si, bool keep);
  static void undo_key(bucket* dst, std::size_t di, bucket* src, std::size_t si,
                       bool keep) noexcept;
  static void undo_cell(bucket* dst, std::size_t di, bucket* src, std::size_t si,
                        bool keep) noexcept;
  void rollback_evacuation(const evac_plan& plan, std::size_t done, const evac_dst heads[2],
                           bool keep) noexcept;
};

}  // namespace gomap::runtime

#include "gomap/runtime/classic/debug.hpp"
#include "gomap/runtime/classic/growth.hpp"
#include "gomap/runtime/classic/hiter.hpp"
