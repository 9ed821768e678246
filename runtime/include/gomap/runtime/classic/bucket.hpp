// The classic engine's bucket (Go's bmap): tophash states, layout, and the
// named operations every probe uses.
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
// Slots are raw storage managed through slot_policy (slot_policy.hpp); a
// slot's tophash says whether its objects are alive.
#pragma once

#include <cstddef>
#include <cstdint>

#include "gomap/runtime/platform.hpp"
#include "gomap/runtime/slot_mask.hpp"
#include "gomap/runtime/slot_policy.hpp"

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

// bmap: one bucket.  Storage for keys and values is raw; a slot's tophash
// says whether its objects are alive (>= min_top_hash: key and value alive).
//
// The named operations below are the whole vocabulary of a probe: callers
// loop over the slot_mask they return and never decode tophash bytes
// themselves.
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

  // Slots whose tophash is `top`: the candidates a lookup compares keys at.
  slot_mask match(std::uint8_t top) const noexcept { return slot_mask(match_byte(tophash, top)); }
  // Empty slots (emptyRest or emptyOne): where an insert may go.
  slot_mask match_empty() const noexcept {
    return slot_mask(match_byte(tophash, empty_rest) | match_byte(tophash, empty_one));
  }
  // An emptyRest slot: nothing lives at a later slot or in a later bucket
  // of this chain, so a probe stops here.
  bool ends_chain() const noexcept { return match_byte(tophash, empty_rest) != 0; }

  // Go's evacuated(b): the first cell's mark tells for the whole chain.
  bool evacuated() const noexcept {
    const std::uint8_t h = tophash[0];
    return h > empty_one && h < min_top_hash;
  }

  // A slot's objects are alive (a filled cell).
  bool is_full(std::size_t i) const noexcept { return tophash[i] >= min_top_hash; }
  // A cell evacuated to X or Y (its key may still be kept for iterators).
  bool is_evacuated_entry(std::size_t i) const noexcept {
    return tophash[i] == evacuated_x || tophash[i] == evacuated_y;
  }
};

}  // namespace gomap::runtime
