// The map engine: a port of Go's runtime/map.go (Go 1.19, with Go 1.21's
// clear) to C++.
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
//  * Evacuation is transactional: all hashing and allocation happen first,
//    then objects are relocated; a throwing copy rolls back; only then are
//    old slots marked evacuated.  A throwing Hash, Eq or constructor thus
//    leaves every entry findable and the map consistent.
//  * clear() (Go 1.21 semantics) destroys every entry, NaN keys included,
//    re-draws the seed, and bumps a sequence number that ends running loops.
#pragma once

#include <algorithm>
#include <atomic>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <memory>
#include <new>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "gomap/detect/guard.hpp"
#include "gomap/hash.hpp"
#include "gomap/panic.hpp"
#include "gomap/runtime/block_cache.hpp"
#include "gomap/runtime/bucket.hpp"
#include "gomap/runtime/platform.hpp"

namespace gomap {

// m.stats(): introspection for tests, tools and the curious (API.md §1).
struct MapStats {
  std::uint8_t B = 0;                  // log2 of the main bucket array
  std::uint64_t count = 0;             // live entries
  std::uint16_t noverflow = 0;         // Go's approximate overflow counter
  std::uint64_t overflow_buckets = 0;  // exact overflow buckets linked (current + old arrays)
  std::uint64_t bucket_count = 0;      // 2^B
  bool growing = false;
  bool same_size_grow = false;
  std::uint64_t nevacuate = 0;  // progress counter for evacuation
  std::uint64_t bytes = 0;      // memory held by the map (header, arrays, indirect objects)
};

// One bucket, as the read-only layout visitor sees it.
struct BucketView {
  bool old = false;                       // in the old array (growth in progress)
  std::uint64_t index = 0;                // main bucket index in its array
  std::uint32_t chain_pos = 0;            // 0 for the main bucket, 1.. for overflow buckets
  const std::uint8_t* tophash = nullptr;  // 8 bytes
  bool evacuated = false;
  bool has_overflow = false;
};

namespace runtime {

struct map_access;  // the one friend for tests (STYLE: one test-access struct)

// Call a user hash: Go-style (key, seed), or a plain unary hasher such as
// std::hash whose result is mixed with the seed.
template <class Hash, class Q>
inline std::uint64_t invoke_hash(const Hash& h, const Q& k, std::uint64_t seed) {
  if constexpr (std::is_invocable_v<const Hash&, const Q&, std::uint64_t>)
    return static_cast<std::uint64_t>(h(k, seed));
  else
    return memhash64(static_cast<std::uint64_t>(h(k)), seed);
}

// Drops one reference; true if it was the last.  A count of 1, read with
// acquire, means the caller is the only holder and nobody can take another
// reference (that takes one to copy), so the common sole-owner release skips
// the locked read-modify-write; the acquire pairs with earlier holders'
// releasing decrements.
inline bool drop_reference(std::atomic<std::uint32_t>& refs) noexcept {
  if (refs.load(std::memory_order_acquire) == 1) return true;
  return refs.fetch_sub(1, std::memory_order_acq_rel) == 1;
}

// ---------------------------------------------------------------------------
// bucket_array: 2^B main buckets, then preallocated overflow buckets (Go's
// makeBucketArray: 2^(B-4) extra for B >= 4), then heap overflow buckets as
// needed.  Reference counted: the map and each iterator walking it.
template <class K, class V>
struct bucket_array {
  using bucket = bmap<K, V>;
  using policy = slot_policy<K, V>;

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

  // Small arrays (a map's first bucket) come from the thread's block cache.
  static void* alloc_raw(std::size_t bytes) {
    if constexpr (alloc_align <= __STDCPP_DEFAULT_NEW_ALIGNMENT__)
      return block_cache::allocate(bytes);
    else
      return ::operator new (bytes, std::align_val_t{alloc_align});
  }
  static void free_raw(void* p, std::size_t bytes) noexcept {
    if constexpr (alloc_align <= __STDCPP_DEFAULT_NEW_ALIGNMENT__)
      block_cache::deallocate(p, bytes);
    else
      ::operator delete (p, std::align_val_t{alloc_align});
  }
  static bucket* alloc_buckets(std::uint64_t n) {
    void* p = alloc_raw(n * sizeof(bucket));
    std::memset(p, 0, n * sizeof(bucket));  // all emptyRest, no overflow
    return static_cast<bucket*>(p);
  }
  static void free_buckets(bucket* p, std::uint64_t n) noexcept { free_raw(p, n * sizeof(bucket)); }
  std::size_t alloc_bytes() const noexcept { return header_bytes() + ntotal * sizeof(bucket); }

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
    std::memset(static_cast<void*>(a->base()), 0, n * sizeof(bucket));  // all emptyRest
    return a;
  }

  bucket* at(std::uint64_t i) noexcept { return base() + i; }

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
    for (const chunk& k : chunks)
      if (within(k.base, k.n)) return true;
    return false;
  }

  bool is_kept(std::uint64_t i) const noexcept { return kept && ((kept[i >> 6] >> (i & 63)) & 1u); }
  void ensure_kept_bitmap() {
    if (!kept) kept.reset(new std::uint64_t[(nmain + 63) / 64]());
  }
  void set_kept(std::uint64_t i) noexcept { kept[i >> 6] |= std::uint64_t{1} << (i & 63); }

  // Destroy every live object: filled cells (key and value), and keys (and,
  // for non-reflexive key types, values) kept in evacuated cells.
  void destroy_objects() noexcept {
    // Nothing to run for inline, trivially destructible keys and values: skip the walk.
    if constexpr (!policy::indirect_key && !policy::indirect_elem &&
                  std::is_trivially_destructible_v<K> && std::is_trivially_destructible_v<V>)
      return;
    constexpr bool keep_values = !reflexive_key<K>::value && std::is_copy_constructible_v<V>;
    for (std::uint64_t i = 0; i < nmain; ++i) {
      const bool kept_here = is_kept(i);
      for (bucket* b = at(i); b != nullptr; b = b->overflow) {
        for (std::size_t j = 0; j < bucket_cnt; ++j) {
          const std::uint8_t t = b->tophash[j];
          if (t >= min_top_hash) {
            policy::template destroy<K>(b->key_slot_at(j));
            policy::template destroy<V>(b->elem_slot_at(j));
          } else if (kept_here && (t == evacuated_x || t == evacuated_y)) {
            policy::template destroy<K>(b->key_slot_at(j));
            if constexpr (keep_values) policy::template destroy<V>(b->elem_slot_at(j));
          }
        }
      }
    }
  }

  // makeBucketArray(dirtyalloc): empty the array in place for reuse.
  void reset() noexcept {
    destroy_objects();
    free_heap_overflow();
    std::memset(static_cast<void*>(base()), 0, ntotal * sizeof(bucket));
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
      this->~bucket_array();
      free_raw(this, bytes);
    }
  }
  bool shared() const noexcept { return refs.load(std::memory_order_acquire) > 1; }
};

// An owning reference to a bucket array (iterators hold these).
template <class A>
class array_ref {
 public:
  array_ref() noexcept = default;
  explicit array_ref(A* a) noexcept : a_(a) {
    if (a_) a_->retain();
  }
  array_ref(const array_ref& o) noexcept : array_ref(o.a_) {}
  array_ref(array_ref&& o) noexcept : a_(std::exchange(o.a_, nullptr)) {}
  array_ref& operator=(array_ref o) noexcept {
    std::swap(a_, o.a_);
    return *this;
  }
  ~array_ref() {
    if (a_) a_->release();
  }
  void reset(A* a = nullptr) noexcept {
    if (a == a_) return;
    if (a) a->retain();
    if (a_) a_->release();
    a_ = a;
  }
  A* get() const noexcept { return a_; }
  void swap(array_ref& o) noexcept { std::swap(a_, o.a_); }

 private:
  A* a_ = nullptr;
};

// A small buffer that spills to the heap: evacuation's plan for one chain.
template <class T, std::size_t N>
class small_buffer {
 public:
  void push_back(const T& v) {
    if (heap_.empty() && size_ < N) {
      inline_[size_++] = v;
      return;
    }
    if (heap_.empty()) heap_.assign(inline_, inline_ + size_);
    heap_.push_back(v);
    ++size_;
  }
  std::size_t size() const noexcept { return size_; }
  T& operator[](std::size_t i) noexcept { return heap_.empty() ? inline_[i] : heap_[i]; }

 private:
  T inline_[N];
  std::size_t size_ = 0;
  std::vector<T> heap_;
};

// ---------------------------------------------------------------------------
// hmap: the header of a Go map.  It comes from the thread's block cache, so a
// map made and dropped in a loop (which Go would keep on the stack) skips malloc.
template <class K, class V, class Hash, class Eq>
class hmap : public block_cache::cached {
 public:
  using array = bucket_array<K, V>;
  using bucket = bmap<K, V>;
  using policy = slot_policy<K, V>;

  // Go's maptype flags, as compile-time facts about K.
  static constexpr bool reflexive = reflexive_key<K>::value;     // t.reflexivekey()
  static constexpr bool key_update = need_key_update<K>::value;  // t.needkeyupdate()
  // Cells evacuated while an iterator holds the old array keep their key (so
  // the iterator can look it up); for key types that may be != themselves
  // (NaN), they keep a copy of the value too, which is the "golden data" Go
  // returns for such keys.
  static constexpr bool keep_values = !reflexive && std::is_copy_constructible_v<V>;

  static_assert(std::is_copy_constructible_v<K>,
                "gomap::Map keys must be copyable (Go map keys are values)");
  static_assert(std::is_nothrow_destructible_v<K> && std::is_nothrow_destructible_v<V>);

  std::uint64_t count = 0;      // # live cells == size of map.  Must be first (len()).
  detect::map_state state;      // Go's flags byte, with the detector's bookkeeping
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

  bool growing() const noexcept { return oldbuckets != nullptr; }
  bool same_size_grow() const noexcept { return (state.load() & detect::flag_same_size_grow) != 0; }
  std::uint64_t noldbuckets() const noexcept {
    std::uint8_t ob = B;
    if (!same_size_grow()) --ob;
    return bucket_shift(ob);
  }
  std::uint64_t oldbucketmask() const noexcept { return noldbuckets() - 1; }

  template <class Q>
  std::uint64_t hash_of(const Q& k) const {
    return invoke_hash(hasher, k, hash0);
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

  // The probe loop shared by every lookup: match the 8 tophash bytes of a
  // bucket at once, compare keys only at matching cells, stop at emptyRest.
  template <class Q>
  slot find_in_chain(bucket* b, std::uint8_t top, const Q& key) const {
    for (; b != nullptr; b = b->overflow) {
      for (unsigned m = match_byte(b->tophash, top); m != 0; m &= m - 1) {
        const std::size_t i = static_cast<std::size_t>(std::countr_zero(m));
        if (key_equal(key, b->key(i))) [[likely]]
          return {b, i};
      }
      if (match_byte(b->tophash, empty_rest) != 0) break;
    }
    return {};
  }

  // String keys with Go's string equality (the default Eq): the typed fast
  // path of map_faststr.go applies.
  static constexpr bool faststr =
      std::is_same_v<K, std::string> && (std::is_same_v<Eq, gomap::equal_to<std::string>> ||
                                         std::is_same_v<Eq, gomap::equal_to<std::string_view>>);

  enum class onebucket { found, absent, need_hash };

  // mapaccess1_faststr's one-bucket case: a map of at most 8 string keys is
  // searched without hashing.  Short keys (< 32 bytes) are compared
  // outright, length first; for long keys only a key that agrees in length,
  // first 4 and last 4 bytes is a candidate, and two candidates fall back
  // to hashing.  (MegMap: 1 MB keys found absent without reading them.)
  std::pair<onebucket, slot> find_onebucket(std::string_view key) noexcept {
    bucket* b = buckets->at(0);
    if (key.size() < 32) {
      for (std::size_t i = 0; i < bucket_cnt; ++i) {
        const std::uint8_t t = b->tophash[i];
        if (is_empty(t)) {
          if (t == empty_rest) break;
          continue;
        }
        const std::string& k = b->key(i);
        if (k.size() == key.size() && std::memcmp(k.data(), key.data(), key.size()) == 0)
          return {onebucket::found, slot{b, i}};
      }
      return {onebucket::absent, {}};
    }
    std::size_t keymaybe = bucket_cnt;
    for (std::size_t i = 0; i < bucket_cnt; ++i) {
      const std::uint8_t t = b->tophash[i];
      if (is_empty(t)) {
        if (t == empty_rest) break;
        continue;
      }
      const std::string& k = b->key(i);
      if (k.size() != key.size()) continue;
      if (k.data() == key.data()) return {onebucket::found, slot{b, i}};
      // check first 4 bytes, then last 4 bytes
      if (std::memcmp(k.data(), key.data(), 4) != 0) continue;
      if (std::memcmp(k.data() + key.size() - 4, key.data() + key.size() - 4, 4) != 0) continue;
      // Two keys are potential matches.  Use hash to distinguish them.
      if (keymaybe != bucket_cnt) return {onebucket::need_hash, {}};
      keymaybe = i;
    }
    if (keymaybe != bucket_cnt) {
      const std::string& k = b->key(keymaybe);
      if (std::memcmp(k.data(), key.data(), key.size()) == 0)
        return {onebucket::found, slot{b, keymaybe}};
    }
    return {onebucket::absent, {}};
  }

  // The lookup proper (mapaccessK): the one-bucket string path, else hash
  // and probe.
  template <class Q>
  slot lookup(const Q& key) {
    if constexpr (faststr && std::is_convertible_v<const Q&, std::string_view>) {
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
  // returned as is (the caller assigns).  Returns the cell and whether it
  // was inserted.
  template <class KArg, class MakeElem>
  std::pair<slot, bool> assign(KArg&& key, MakeElem&& make_elem) {
    if constexpr (std::is_trivially_copyable_v<K> && sizeof(K) <= 16) {
      K local(std::forward<KArg>(key));  // free, and immune to aliasing
      return assign_impl(std::move(local), make_elem);
    } else {
      if (might_relocate(std::addressof(key))) {
        K local(std::as_const(key));
        return assign_impl(std::move(local), make_elem);
      }
      return assign_impl(std::forward<KArg>(key), make_elem);
    }
  }

  template <class KArg, class MakeElem>
  std::pair<slot, bool> assign_impl(KArg&& key, MakeElem& make_elem) {
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
        for (unsigned m = match_byte(b->tophash, top); m != 0; m &= m - 1) {
          const std::size_t i = static_cast<std::size_t>(std::countr_zero(m));
          K& k = b->key(i);
          if (!key_equal(key, k)) continue;
          // already have a mapping for key.  Update it.
          if constexpr (key_update) k = std::forward<KArg>(key);
          return {slot{b, i}, false};
        }
        if (insert_b == nullptr) {
          const unsigned e = match_byte(b->tophash, empty_rest) | match_byte(b->tophash, empty_one);
          if (e != 0) {
            insert_b = b;
            insert_i = static_cast<std::size_t>(std::countr_zero(e));
          }
        }
        if (match_byte(b->tophash, empty_rest) != 0 || b->overflow == nullptr) break;
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
      return {slot{insert_b, insert_i}, true};
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

  // mapdelete
  template <class Q>
  void erase(const Q& key) {
    if (count == 0) return;
    if constexpr (std::is_same_v<Q, K>) {
      // `m.erase(k)` with k referring into the map: growth work below must
      // not move it out from under the comparison.
      if (growing() && oldbuckets->contains(std::addressof(key))) {
        const K copy(key);  // NOLINT(performance-unnecessary-copy-initialization): see above
        return erase(copy);
      }
    }
    detect::check_write(state, this);
    const std::uint64_t hash = hash_of(key);
    detect::write_scope ws(state, this);
    const std::uint64_t bi = hash & bucket_mask(B);
    if (growing()) grow_work(bi);
    bucket* const b_orig = buckets->at(bi);
    const std::uint8_t top = tophash(hash);
    for (bucket* b = b_orig; b != nullptr; b = b->overflow) {
      for (unsigned m = match_byte(b->tophash, top); m != 0; m &= m - 1) {
        const std::size_t i = static_cast<std::size_t>(std::countr_zero(m));
        if (!key_equal(key, b->key(i))) continue;
        delete_cell(b_orig, b, i);
        return;
      }
      if (match_byte(b->tophash, empty_rest) != 0) return;
    }
  }

  // The tail of mapdelete: destroy the cell, then keep emptyRest exact.
  void delete_cell(bucket* b_orig, bucket* b, std::size_t i) noexcept {
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
    state.store(state.load() & static_cast<std::uint8_t>(~detect::flag_same_size_grow));
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
  // Growth.

  // hashGrow
  void hash_grow() {
    // If we've hit the load factor, get bigger.  Otherwise, there are too
    // many overflow buckets, so keep the same number of buckets and
    // "grow" laterally.
    std::uint8_t bigger = 1;
    if (!over_load_factor(count + 1, B)) bigger = 0;
    array* newbuckets =
        array::make(static_cast<std::uint8_t>(B + bigger));  // may throw: nothing changed
    std::uint8_t flags = state.load();
    flags &= static_cast<std::uint8_t>(~(detect::flag_iterator | detect::flag_old_iterator));
    if (state.load() & detect::flag_iterator) flags |= detect::flag_old_iterator;
    if (bigger == 0) flags |= detect::flag_same_size_grow;
    // commit the grow
    B = static_cast<std::uint8_t>(B + bigger);
    state.store(flags);
    oldbuckets = buckets;
    buckets = newbuckets;
    nevacuate = 0;
    noverflow = 0;
    // the actual copying of the hash table data is done incrementally by
    // grow_work() and evacuate().
  }

  // growWork: evacuate the old bucket corresponding to the bucket we're
  // about to use, then one more to make progress.
  void grow_work(std::uint64_t bucket_index) {
    evacuate(bucket_index & oldbucketmask());
    if (growing()) evacuate(nevacuate);
  }

  bool bucket_evacuated(std::uint64_t bucket_index) noexcept {
    return oldbuckets->at(bucket_index)->evacuated();
  }

  struct evac_item {
    bucket* src;
    std::uint8_t i;
    std::uint8_t use_y;
    std::uint8_t top;
  };

  // evacuate: move old bucket `oldbucket` (its whole chain) to its X (same
  // index) or Y (index + newbit) bucket in the new array.  Transactional:
  //  1. plan: hash every live key (may throw) and pre-link the overflow
  //     buckets X and Y will need (may throw) — the old chain is untouched;
  //  2. relocate: construct each entry in its destination (copying keys the
  //     old array must keep for iterators); a throwing copy rolls back;
  //  3. commit (noexcept): mark old cells evacuated, destroy what moved.
  // X and Y are empty on entry: every write evacuates the old bucket of its
  // target bucket before touching it.
  void evacuate(std::uint64_t oldbucket) {
    array* const old = oldbuckets;
    bucket* const b = old->at(oldbucket);
    const std::uint64_t newbit = noldbuckets();
    if (!b->evacuated()) {
      const bool keep = old->shared();  // an iterator may still read this array
      const bool iterating = (state.load() & detect::flag_iterator) != 0;
      const bool same = same_size_grow();

      // 1. plan
      small_buffer<evac_item, 2 * bucket_cnt> plan;
      std::size_t n[2] = {0, 0};
      for (bucket* c = b; c != nullptr; c = c->overflow) {
        for (std::size_t i = 0; i < bucket_cnt; ++i) {
          std::uint8_t top = c->tophash[i];
          if (is_empty(top)) continue;
          if (top < min_top_hash) throw std::logic_error("gomap: bad map state");
          std::uint8_t use_y = 0;
          if (!same) {
            // Compute hash to make our evacuation decision (whether we need
            // to send this key/elem to bucket x or bucket y).
            const K& k = c->key(i);
            const std::uint64_t hash = hash_of(k);
            if (iterating && !reflexive && !key_equal(k, k)) {
              // If key != key (NaNs), then the hash could be (and probably
              // will be) entirely different from the old hash.  Moreover, it
              // isn't reproducible.  Reproducibility is required in the
              // presence of iterators, as our evacuation decision must match
              // whatever decision the iterator made.  Fortunately, we have
              // the freedom to send these keys either way.  Also, tophash is
              // meaningless for these kinds of keys.  We let the low bit of
              // tophash drive the evacuation decision.  We recompute a new
              // random tophash for the next level so these keys will get
              // evenly distributed across all buckets after multiple grows.
              use_y = top & 1;
              top = tophash(hash);
            } else if (hash & newbit) {
              use_y = 1;
            }
          }
          plan.push_back({c, static_cast<std::uint8_t>(i), use_y, top});
          ++n[use_y];
        }
      }
      bucket* dst_head[2] = {buckets->at(oldbucket),
                             same ? nullptr : buckets->at(oldbucket + newbit)};
      for (int side = 0; side < 2; ++side) {
        bucket* d = dst_head[side];
        // (A rolled-back earlier attempt may have left empty overflow
        // buckets linked here already: reuse them.)
        for (std::size_t have = bucket_cnt; have < n[side]; have += bucket_cnt)
          d = d->overflow != nullptr ? d->overflow : newoverflow(d);
      }
      if (keep) old->ensure_kept_bitmap();

      // 2. relocate
      bucket* dst_b[2] = {dst_head[0], dst_head[1]};
      std::size_t dst_i[2] = {0, 0};
      auto next_dst = [&](int side) {
        if (dst_i[side] == bucket_cnt) {
          dst_b[side] = dst_b[side]->overflow;
          dst_i[side] = 0;
        }
        return std::pair<bucket*, std::size_t>{dst_b[side], dst_i[side]++};
      };
      constexpr bool nothrow_move =
          policy::template nothrow_relocate<K, typename policy::key_slot> &&
          policy::template nothrow_relocate<V, typename policy::elem_slot>;
      if (nothrow_move && !keep) {
        // The common case: nothing below can throw, so relocate, destroy
        // the source and mark it in one pass, as Go's evacuate does.
        for (std::size_t j = 0; j < plan.size(); ++j) {
          const evac_item& it = plan[j];
          auto [d, di] = next_dst(it.use_y);
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
            auto [d, di] = next_dst(it.use_y);
            relocate_cell(d, di, it.src, it.i, keep);
            d->tophash[di] = it.top;
          }
        } catch (...) {
          rollback_evacuation(plan, done, dst_head, keep);
          throw;
        }
        // 3. commit
        for (std::size_t j = 0; j < plan.size(); ++j) {
          const evac_item& it = plan[j];
          if (!keep) {
            policy::template destroy<K>(it.src->key_slot_at(it.i));
            policy::template destroy<V>(it.src->elem_slot_at(it.i));
          } else if constexpr (!keep_values) {
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

  // One cell to its destination.  Keys kept for iterators are copied; the
  // rest relocate (move if nothrow, else copy).
  void relocate_cell(bucket* dst, std::size_t di, bucket* src, std::size_t si, bool keep) {
    if (keep)
      policy::template copy<K>(dst->key_slot_at(di), src->key_slot_at(si));
    else
      policy::template relocate<K>(dst->key_slot_at(di), src->key_slot_at(si));
    try {
      if (keep && keep_values) {
        if constexpr (keep_values)
          policy::template copy<V>(dst->elem_slot_at(di), src->elem_slot_at(si));
      } else {
        policy::template relocate<V>(dst->elem_slot_at(di), src->elem_slot_at(si));
      }
    } catch (...) {
      undo_key(dst, di, src, si, keep);
      throw;
    }
  }

  static void undo_key(bucket* dst, std::size_t di, bucket* src, std::size_t si,
                       bool keep) noexcept {
    if (!keep && policy::template nothrow_relocate<K, typename policy::key_slot>)
      policy::template unrelocate<K>(src->key_slot_at(si), dst->key_slot_at(di));
    else
      policy::template destroy<K>(dst->key_slot_at(di));
  }

  // Undo step 2 for the first `done` entries: nothrow-relocated objects go
  // back to their source cells, copies are destroyed; X and Y are emptied.
  void rollback_evacuation(small_buffer<evac_item, 2 * bucket_cnt>& plan, std::size_t done,
                           bucket* const dst_head[2], bool keep) noexcept {
    bucket* dst_b[2] = {dst_head[0], dst_head[1]};
    std::size_t dst_i[2] = {0, 0};
    for (std::size_t j = 0; j < done; ++j) {
      evac_item& it = plan[j];
      const int side = it.use_y;
      if (dst_i[side] == bucket_cnt) {
        dst_b[side] = dst_b[side]->overflow;
        dst_i[side] = 0;
      }
      bucket* d = dst_b[side];
      const std::size_t di = dst_i[side]++;
      undo_key(d, di, it.src, it.i, keep);
      const bool elem_copied = (keep && keep_values) ||
                               !policy::template nothrow_relocate<V, typename policy::elem_slot>;
      if (elem_copied)
        policy::template destroy<V>(d->elem_slot_at(di));
      else
        policy::template unrelocate<V>(it.src->elem_slot_at(it.i), d->elem_slot_at(di));
      d->tophash[di] = empty_rest;
    }
  }

  // advanceEvacuationMark
  void advance_evacuation_mark(std::uint64_t newbit) noexcept {
    ++nevacuate;
    // Experiments suggest that 1024 is overkill by at least an order of
    // magnitude.  Put it in there as a safeguard anyway, to ensure O(1)
    // behavior.
    const std::uint64_t stop = std::min(nevacuate + 1024, newbit);
    while (nevacuate != stop && bucket_evacuated(nevacuate)) ++nevacuate;
    if (nevacuate == newbit) {  // newbit == # of oldbuckets
      // Growing is all done.  Free old main bucket array (iterators may
      // still hold it).
      std::exchange(oldbuckets, nullptr)->release();
      state.store(state.load() & static_cast<std::uint8_t>(~detect::flag_same_size_grow));
    }
  }

  // Finish any growth in progress (reserve, and tools that want a settled map).
  void finish_growth() {
    while (growing()) grow_work(nevacuate);
  }

  // reserve(n): grow, if needed, so that n entries fit without further
  // growth.  Implemented with Go's own growth steps (hashGrow + evacuate),
  // each one transactional, so a throwing hash leaves a valid map.
  void reserve(std::int64_t n) {
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
      // hashGrow always doubles here: count+1 is irrelevant, we grow by size.
      array* newbuckets = array::make(static_cast<std::uint8_t>(B + 1));
      std::uint8_t flags = state.load();
      flags &= static_cast<std::uint8_t>(
          ~(detect::flag_iterator | detect::flag_old_iterator | detect::flag_same_size_grow));
      if (state.load() & detect::flag_iterator) flags |= detect::flag_old_iterator;
      B = static_cast<std::uint8_t>(B + 1);
      state.store(flags);
      oldbuckets = buckets;
      buckets = newbuckets;
      nevacuate = 0;
      noverflow = 0;
      finish_growth();
    }
  }

  // -------------------------------------------------------------------------
  // Introspection.

  MapStats stats() const noexcept {
    MapStats s;
    s.B = B;
    s.count = count;
    s.noverflow = noverflow;
    s.bucket_count = bucket_shift(B);
    s.growing = growing();
    s.same_size_grow = same_size_grow();
    s.nevacuate = nevacuate;
    s.bytes = sizeof(hmap);
    for (array* a : {buckets, oldbuckets}) {
      if (!a) continue;
      s.overflow_buckets += a->overflow_used;
      s.bytes += a->bytes();
    }
    if constexpr (policy::indirect_key || policy::indirect_elem) {
      constexpr std::uint64_t per =
          (policy::indirect_key ? sizeof(K) : 0) + (policy::indirect_elem ? sizeof(V) : 0);
      s.bytes += per * count;
    }
    return s;
  }

  // Read-only walk over every bucket (current array, then old), for tools.
  template <class F>
  void visit_buckets(F&& f) const {
    auto walk = [&](array* a, bool old) {
      if (!a) return;
      for (std::uint64_t i = 0; i < a->nmain; ++i) {
        std::uint32_t pos = 0;
        for (bucket* b = a->at(i); b != nullptr; b = b->overflow, ++pos) {
          BucketView v;
          v.old = old;
          v.index = i;
          v.chain_pos = pos;
          v.tophash = b->tophash;
          v.evacuated = a->at(i)->evacuated();
          v.has_overflow = b->overflow != nullptr;
          f(v);
        }
      }
    };
    walk(buckets, false);
    walk(oldbuckets, true);
  }

  // Debug invariant checker (fuzzers, tests): returns "" or what is wrong.
  //  - every live cell's key is findable (reflexive keys) and count matches;
  //  - emptyRest is exact: after an emptyRest, every later cell of the chain
  //    is empty;
  //  - evacuation marks: old buckets below nevacuate are evacuated, an
  //    evacuated chain holds only evacuation marks, a non-evacuated chain
  //    none, and new buckets fed by a non-evacuated old bucket are empty;
  //  - overflow accounting matches the chains.
  std::string check_invariants() {
    auto fail = [](const std::string& what) { return what; };
    std::uint64_t live = 0;
    auto check_chain_empty_rest = [&](bucket* head, bool old_array) -> std::string {
      bool rest = false;
      for (bucket* b = head; b != nullptr; b = b->overflow) {
        for (std::size_t i = 0; i < bucket_cnt; ++i) {
          const std::uint8_t t = b->tophash[i];
          if (rest && t != empty_rest) return "cell after emptyRest is not emptyRest";
          if (t == empty_rest) rest = true;
          if (!old_array && t > empty_one && t < min_top_hash)
            return "evacuation mark in the current array";
        }
      }
      return "";
    };
    if (buckets == nullptr) return count == 0 ? "" : fail("count > 0 without buckets");
    if (buckets->B != B) return "B disagrees with the bucket array";
    for (array* a : {buckets, oldbuckets}) {
      if (!a) continue;
      std::uint64_t links = 0;
      for (std::uint64_t i = 0; i < a->nmain; ++i)
        for (bucket* b = a->at(i)->overflow; b != nullptr; b = b->overflow) ++links;
      if (links != a->overflow_used) return "overflow_used disagrees with the chains";
    }
    for (std::uint64_t i = 0; i < buckets->nmain; ++i) {
      if (std::string e = check_chain_empty_rest(buckets->at(i), false); !e.empty()) return e;
      for (bucket* b = buckets->at(i); b != nullptr; b = b->overflow)
        for (std::size_t j = 0; j < bucket_cnt; ++j)
          if (b->tophash[j] >= min_top_hash) {
            ++live;
            if constexpr (reflexive)
              if (tophash(hash_of(b->key(j))) != b->tophash[j])
                return "tophash does not match the key's hash";
          }
    }
    if (oldbuckets) {
      const std::uint64_t nold = noldbuckets();
      if (oldbuckets->nmain != nold) return "old array size disagrees with B";
      if (nevacuate > nold) return "nevacuate beyond the old array";
      for (std::uint64_t i = 0; i < nold; ++i) {
        bucket* ob = oldbuckets->at(i);
        const bool ev = ob->evacuated();
        if (i < nevacuate && !ev) return "bucket below nevacuate not evacuated";
        for (bucket* b = ob; b != nullptr; b = b->overflow)
          for (std::size_t j = 0; j < bucket_cnt; ++j) {
            const std::uint8_t t = b->tophash[j];
            const bool mark = t > empty_one && t < min_top_hash;
            if (ev && !mark) return "evacuated chain has a non-evacuated cell";
            if (!ev && mark) return "non-evacuated chain has an evacuation mark";
            if (!ev && t >= min_top_hash) ++live;
          }
        if (!ev) {
          if (std::string e = check_chain_empty_rest(ob, true); !e.empty()) return e;
          const std::uint64_t x = i, y = i + (same_size_grow() ? 0 : nold);
          for (std::uint64_t d : {x, y}) {
            // (empty overflow buckets may be linked by a rolled-back evacuation)
            for (bucket* nb = buckets->at(d); nb != nullptr; nb = nb->overflow)
              for (std::size_t j = 0; j < bucket_cnt; ++j)
                if (nb->tophash[j] != empty_rest)
                  return "new bucket fed by a non-evacuated bucket is not empty";
          }
        }
      }
    }
    if (live != count)
      return "count " + std::to_string(count) + " != live cells " + std::to_string(live);
    if constexpr (reflexive) {
      // Every live key is findable through the normal lookup path.
      auto findable = [&](bucket* head) -> bool {
        for (bucket* b = head; b != nullptr; b = b->overflow)
          for (std::size_t j = 0; j < bucket_cnt; ++j)
            if (b->tophash[j] >= min_top_hash) {
              slot s = find(b->key(j));
              if (!s || s.b != b || s.i != j) return false;
            }
        return true;
      };
      for (std::uint64_t i = 0; i < buckets->nmain; ++i)
        if (!findable(buckets->at(i))) return "a live key is not findable";
      if (oldbuckets)
        for (std::uint64_t i = 0; i < oldbuckets->nmain; ++i)
          if (!oldbuckets->at(i)->evacuated() && !findable(oldbuckets->at(i)))
            return "a live key in the old array is not findable";
    }
    return "";
  }
};

// ---------------------------------------------------------------------------
// hiter: Go's hash iteration structure.
template <class K, class V, class Hash, class Eq>
class hiter {
 public:
  using map_type = hmap<K, V, Hash, Eq>;
  using array = typename map_type::array;
  using bucket = typename map_type::bucket;
  static constexpr std::uint64_t no_check = ~std::uint64_t{0};

  hiter() noexcept = default;
  hiter(const hiter& o) noexcept
      : h_(o.h_),
        buckets_(o.buckets_),
        cur_old_(o.cur_old_),
        key_(o.key_),
        elem_(o.elem_),
        bptr_(o.bptr_),
        start_bucket_(o.start_bucket_),
        bucket_(o.bucket_),
        check_bucket_(o.check_bucket_),
        clear_seq_(o.clear_seq_),
        B_(o.B_),
        offset_(o.offset_),
        i_(o.i_),
        wrapped_(o.wrapped_) {
    if (h_) h_->retain();
  }
  hiter& operator=(const hiter& o) noexcept {
    hiter tmp(o);
    swap(tmp);
    return *this;
  }
  hiter(hiter&& o) noexcept { swap(o); }
  hiter& operator=(hiter&& o) noexcept {
    hiter tmp(std::move(o));
    swap(tmp);
    return *this;
  }
  ~hiter() {
    if (h_) h_->release();
  }
  void swap(hiter& o) noexcept {
    std::swap(h_, o.h_);
    buckets_.swap(o.buckets_);
    cur_old_.swap(o.cur_old_);
    std::swap(key_, o.key_);
    std::swap(elem_, o.elem_);
    std::swap(bptr_, o.bptr_);
    std::swap(start_bucket_, o.start_bucket_);
    std::swap(bucket_, o.bucket_);
    std::swap(check_bucket_, o.check_bucket_);
    std::swap(clear_seq_, o.clear_seq_);
    std::swap(B_, o.B_);
    std::swap(offset_, o.offset_);
    std::swap(i_, o.i_);
    std::swap(wrapped_, o.wrapped_);
  }

  // mapiterinit: random start bucket and offset, so no program can depend
  // on iteration order.
  explicit hiter(map_type* h) {
    if (h == nullptr || h->count == 0) return;
    h_ = h;
    h_->retain();
    B_ = h->B;
    buckets_.reset(h->buckets);
    clear_seq_ = h->clear_seq;
    std::uint64_t r = fastrand64();
    start_bucket_ = r & bucket_mask(B_);
    offset_ = static_cast<std::uint8_t>((r >> B_) & (bucket_cnt - 1));
    bucket_ = start_bucket_;
    // Remember we have an iterator.  Can run concurrently with another
    // mapiterinit() (concurrent readers), hence the atomic or.
    h->state.set_bits_atomic(detect::flag_iterator | detect::flag_old_iterator);
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
    map_type* h = h_;
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
        K* k = &b->key(offi);
        if (check_bucket != no_check && !h->same_size_grow()) {
          // Special case: iterator was started during a grow to a larger
          // size and the grow is not done yet.  We're working on a bucket
          // whose oldbucket has not been evacuated yet.  Or at least, it
          // wasn't evacuated when we started the bucket.  So we're iterating
          // through the oldbucket, skipping any keys that will go to the
          // other new bucket (each oldbucket expands to two buckets during a
          // grow).
          if (map_type::reflexive || h->key_equal(*k, *k)) {
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
        if ((top != evacuated_x && top != evacuated_y) ||
            !(map_type::reflexive || h->key_equal(*k, *k))) {
          // This is the golden data, we can return it.  OR key!=key, so
          // the entry can't be deleted or updated, so we can just return it.
          if (top == evacuated_x || top == evacuated_y) {
            if constexpr (!map_type::keep_values) continue;  // value not kept: see README
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
    if (map_type* h = std::exchange(h_, nullptr)) h->release();
  }

  map_type* h_ = nullptr;
  array_ref<array> buckets_;  // bucket array at initialization time
  array_ref<array> cur_old_;  // the old array, while walking one of its buckets
  K* key_ = nullptr;          // nil: end of iteration
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

}  // namespace runtime
}  // namespace gomap
