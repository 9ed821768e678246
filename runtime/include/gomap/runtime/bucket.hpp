// Buckets: the tophash states, the bmap layout, and the slot policy.
//
// A bucket (Go's bmap) holds 8 entries.  The low-order bits of a key's hash
// select its bucket; the high-order byte (the "tophash") is kept per slot to
// tell entries apart without touching keys, and doubles as the slot's state.
// Layout, as in Go — keys packed together, then values, so that a key and a
// value of different alignment need no padding between pairs:
//
//   +------------------+----------------+----------------+----------+
//   | tophash[8]       | keys[8]        | elems[8]       | overflow |
//   | u8 u8 .. u8      | K K .. K       | V V .. V       | bmap*    |
//   +------------------+----------------+----------------+----------+
//
// A key or value larger than 128 bytes is stored indirectly: the slot holds
// a pointer to a heap object (Go: indirectkey / indirectelem).  The policy
// below (abseil's "slot policy" idea) is the only code that knows which.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <new>
#include <type_traits>
#include <utility>

namespace gomap::runtime {

inline constexpr unsigned bucket_cnt_bits = 3;
inline constexpr std::size_t bucket_cnt = std::size_t{1} << bucket_cnt_bits;

// Maximum average load of a bucket that triggers growth is 6.5 (Go's
// loadFactorNum/loadFactorDen).  Go's measurements, for the record:
//  loadFactor  %overflow  bytes/entry  hitprobe  missprobe
//        4.00       2.13        20.77      3.00       4.00
//        4.50       4.05        17.30      3.25       4.50
//        5.00       6.85        14.77      3.50       5.00
//        5.50      10.55        12.94      3.75       5.50
//        6.00      15.27        11.67      4.00       6.00
//        6.50      20.90        10.79      4.25       6.50
//        7.00      27.14        10.15      4.50       7.00
//        7.50      34.03         9.73      4.75       7.50
//        8.00      41.10         9.40      5.00       8.00
inline constexpr std::uint64_t load_factor_num = 13;
inline constexpr std::uint64_t load_factor_den = 2;

// Keys and values larger than this are stored indirectly.
inline constexpr std::size_t max_key_size = 128;
inline constexpr std::size_t max_elem_size = 128;

// Possible tophash values; a few are reserved for special marks.
enum tophash_state : std::uint8_t {
  empty_rest = 0,       // this cell is empty, and there are no more non-empty cells at
                        // higher indexes or overflows
  empty_one = 1,        // this cell is empty
  evacuated_x = 2,      // key/elem is valid; entry has been evacuated to first half of
                        // the larger table
  evacuated_y = 3,      // same as above, but evacuated to second half of the larger table
  evacuated_empty = 4,  // cell is empty, bucket is evacuated
  min_top_hash = 5,     // minimum tophash for a normal filled cell
};
static_assert(evacuated_x + 1 == evacuated_y && (evacuated_x ^ 1) == evacuated_y,
              "NaN keys pick X or Y from the low bit of their tophash: evacuatedX and "
              "evacuatedY must differ in exactly the low bit");
static_assert(empty_rest == 0, "a zeroed bucket array must read as all emptyRest");
static_assert(min_top_hash > evacuated_empty, "filled cells sort above every special mark");

inline constexpr bool is_empty(std::uint8_t x) noexcept {
  return x <= empty_one;
}

// tophash: the high byte of the hash, moved above the special marks.
inline constexpr std::uint8_t tophash(std::uint64_t hash) noexcept {
  auto top = static_cast<std::uint8_t>(hash >> 56);
  if (top < min_top_hash) top += min_top_hash;
  return top;
}

inline constexpr std::uint64_t bucket_shift(std::uint8_t b) noexcept {
  return std::uint64_t{1} << (b & 63);
}
inline constexpr std::uint64_t bucket_mask(std::uint8_t b) noexcept {
  return bucket_shift(b) - 1;
}

// How a slot holds a K and a V: inline, or through a heap pointer when large.
template <class K, class V>
struct slot_policy {
  // NOLINTNEXTLINE(bugprone-sizeof-expression): K, V may be pointer types
  static constexpr bool indirect_key = sizeof(K) > max_key_size;
  // NOLINTNEXTLINE(bugprone-sizeof-expression): K, V may be pointer types
  static constexpr bool indirect_elem = sizeof(V) > max_elem_size;
  using key_slot = std::conditional_t<indirect_key, K*, K>;
  using elem_slot = std::conditional_t<indirect_elem, V*, V>;

  // A slot is indirect exactly when it holds a T* rather than a T (T may
  // itself be a pointer type: Map<int, Entry*> stores its pointers inline).
  template <class T, class Slot>
  static constexpr bool indirect_slot = !std::is_same_v<T, Slot>;

  template <class T, class Slot>
  static T& get(Slot* s) noexcept {
    if constexpr (indirect_slot<T, Slot>)
      return **s;
    else
      return *std::launder(s);
  }

  template <class T, class Slot, class... Args>
  static void construct(Slot* s, Args&&... args) {
    if constexpr (indirect_slot<T, Slot>)
      ::new (static_cast<void*>(s)) Slot(new T(std::forward<Args>(args)...));
    else
      ::new (static_cast<void*>(s)) T(std::forward<Args>(args)...);
  }

  template <class T, class Slot>
  static void destroy(Slot* s) noexcept {
    if constexpr (indirect_slot<T, Slot>)
      delete *s;
    else
      std::destroy_at(std::launder(s));
  }

  // Relocation during evacuation.  Indirect slots move by pointer and never
  // throw; inline slots move when that cannot throw, copy otherwise (so a
  // failed evacuation can be rolled back with the source intact).
  template <class T, class Slot>
  static constexpr bool nothrow_relocate =
      indirect_slot<T, Slot> || std::is_nothrow_move_constructible_v<T>;

  template <class T, class Slot>
  static void relocate(Slot* dst, Slot* src) noexcept(nothrow_relocate<T, Slot>) {
    if constexpr (indirect_slot<T, Slot>) {
      ::new (static_cast<void*>(dst)) Slot(*src);
      *src = nullptr;
    } else if constexpr (std::is_nothrow_move_constructible_v<T>) {
      ::new (static_cast<void*>(dst)) T(std::move(get<T>(src)));
    } else {
      ::new (static_cast<void*>(dst)) T(std::as_const(get<T>(src)));
    }
  }

  // A copy that leaves the source in place (keys kept for iterators).
  template <class T, class Slot>
  static void copy(Slot* dst, const Slot* src) {
    if constexpr (indirect_slot<T, Slot>)
      ::new (static_cast<void*>(dst)) Slot(new T(**src));
    else
      ::new (static_cast<void*>(dst)) T(*std::launder(src));
  }

  // Undo a nothrow relocate: move the object back from dst into src.
  template <class T, class Slot>
  static void unrelocate(Slot* src, Slot* dst) noexcept {
    if constexpr (indirect_slot<T, Slot>) {
      *src = *dst;
    } else {
      destroy<T>(src);
      ::new (static_cast<void*>(src)) T(std::move(get<T>(dst)));
      destroy<T>(dst);
    }
  }
};

// bmap: one bucket.  Storage for keys and values is raw; a slot's tophash
// says whether its objects are alive (>= min_top_hash: key and value alive).
template <class K, class V>
struct bmap {
  using policy = slot_policy<K, V>;
  using key_slot = typename policy::key_slot;
  using elem_slot = typename policy::elem_slot;

  std::uint8_t tophash[bucket_cnt];
  // NOLINTNEXTLINE(bugprone-sizeof-expression): K, V may be pointer types
  alignas(key_slot) unsigned char keys[bucket_cnt * sizeof(key_slot)];
  // NOLINTNEXTLINE(bugprone-sizeof-expression): K, V may be pointer types
  alignas(elem_slot) unsigned char elems[bucket_cnt * sizeof(elem_slot)];
  bmap* overflow;

  key_slot* key_slot_at(std::size_t i) noexcept { return reinterpret_cast<key_slot*>(keys) + i; }
  elem_slot* elem_slot_at(std::size_t i) noexcept {
    return reinterpret_cast<elem_slot*>(elems) + i;
  }
  K& key(std::size_t i) noexcept { return policy::template get<K>(key_slot_at(i)); }
  V& elem(std::size_t i) noexcept { return policy::template get<V>(elem_slot_at(i)); }

  // Go's evacuated(b): the first cell's mark tells for the whole chain.
  bool evacuated() const noexcept {
    const std::uint8_t h = tophash[0];
    return h > empty_one && h < min_top_hash;
  }
};

}  // namespace gomap::runtime
