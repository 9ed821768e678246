// The Swiss engine's group (Go 1.24+'s internal/runtime/maps/group.go): 8
// key/elem slots and an 8-byte control word, one control byte per slot.
// (A table keeps its groups' control words apart from their slots; see
// group_ref below.)
//
// Control bytes:
//
//   empty   1000 0000   (ctrl_empty)
//   deleted 1111 1110   (ctrl_deleted, a tombstone)
//   full    0hhh hhhh   (the low 7 bits of the key's hash: H2)
//
// so the high bit says "no live entry", and the group's 8 bytes are matched
// at once, as Go does: with SSE2 on x86-64 (a match is a slot_mask, bit i
// for slot i) and SWAR arithmetic on the 64-bit word elsewhere (a
// byte_slot_mask: the high bit of byte i for slot i); see slot_mask.hpp.
//
// Invariants:
//  * A slot's key and elem objects are alive exactly when its control byte
//    is full (in every table, current or stale; see table.hpp).
//  * Under AddressSanitizer a slot that is not full is poisoned.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <type_traits>

#include "gomap/runtime/platform.hpp"
#include "gomap/runtime/slot_mask.hpp"

namespace gomap::runtime::swiss {

static_assert(std::endian::native == std::endian::little,
              "control byte i is byte i of the control word (Go's ctrlGroup.get "
              "reverses it on big-endian machines; not ported)");

// abi.MapGroupSlots
inline constexpr std::size_t group_slots = 8;
// maxAvgGroupLoad: a table is rehashed at 7/8 full (tombstones included).
inline constexpr std::uint64_t max_avg_group_load = 7;

using ctrl = std::uint8_t;
inline constexpr ctrl ctrl_empty = 0b1000'0000;
inline constexpr ctrl ctrl_deleted = 0b1111'1110;

inline constexpr std::uint64_t bitset_lsb = 0x0101010101010101;
inline constexpr std::uint64_t bitset_msb = 0x8080808080808080;
inline constexpr std::uint64_t bitset_empty = bitset_lsb * ctrl_empty;

// H1: the upper 57 bits of a hash, the probe start; H2: the low 7 bits, the
// control byte of a full slot.
inline std::uint64_t h1(std::uint64_t hash) noexcept {
  return hash >> 7;
}
inline ctrl h2(std::uint64_t hash) noexcept {
  return static_cast<ctrl>(hash & 0x7f);
}

// ctrlGroup: the control word, with the named matches every probe uses.
//
// Two implementations, as in Go: SWAR arithmetic on the 64-bit word (Go's
// portable ctrlGroupMatch*, whose answer marks slot i by the high bit of
// byte i), and SIMD compares (Go's amd64 intrinsics: PCMPEQB and PMOVMSKB,
// whose answer is one bit per slot).  ctrl_group is the one the CPU runs
// faster (platform.hpp's simd_group_match); the other is compiled and
// tested too (tests/runtime/swiss_group_test.cpp checks they agree).
template <bool Simd>
struct basic_ctrl_group {
  // The answer of a match, iterable as slot indices.
  using mask = std::conditional_t<Simd, slot_mask, byte_slot_mask>;

  std::uint64_t word;

  ctrl get(std::size_t i) const noexcept { return static_cast<ctrl>(word >> (8 * i)); }
  void set(std::size_t i, ctrl c) noexcept {
    word = (word & ~(std::uint64_t{0xff} << (8 * i))) | (std::uint64_t{c} << (8 * i));
  }
  void set_empty() noexcept { word = bitset_empty; }

  // matchH2: full slots whose H2 is h.  The SWAR form may report a false
  // positive next to a true match (every caller compares keys anyway); the
  // SIMD form is exact.
  mask match_h2(ctrl h) const noexcept {
    if constexpr (Simd) {
      return mask(match_byte(bytes(), h));
    } else {
      const std::uint64_t v = word ^ (bitset_lsb * h);
      return mask(((v - bitset_lsb) & ~v) & bitset_msb);
    }
  }
  // matchEmpty: SWAR: bit 1 separates empty (0) from deleted (1) among the
  // bytes with the high bit set.
  mask match_empty() const noexcept {
    if constexpr (Simd) {
      return mask(match_byte(bytes(), ctrl_empty));
    } else {
      return mask((word & ~(word << 6)) & bitset_msb);
    }
  }
  mask match_empty_or_deleted() const noexcept {
    if constexpr (Simd) {
      return mask(high_bits(bytes()));
    } else {
      return mask(word & bitset_msb);
    }
  }
  // The same answer by SWAR on every CPU, for the insert paths: they read
  // the word into a general register anyway (to set a byte of it next), and
  // an AND there is shorter than SSE's round trip through a vector register.
  byte_slot_mask match_empty_or_deleted_swar() const noexcept {
    return byte_slot_mask(word & bitset_msb);
  }
  mask match_full() const noexcept {
    if constexpr (Simd) {
      return mask(~high_bits(bytes()) & 0xffu);
    } else {
      return mask(~word & bitset_msb);
    }
  }
  bool any_full() const noexcept { return (~word & bitset_msb) != 0; }
  static bool is_full(ctrl c) noexcept { return (c & ctrl_empty) == 0; }
  bool is_full(std::size_t i) const noexcept { return is_full(get(i)); }

 private:
  const std::uint8_t* bytes() const noexcept {
    return reinterpret_cast<const std::uint8_t*>(&word);
  }
};

using ctrl_group = basic_ctrl_group<simd_group_match>;
using group_mask = ctrl_group::mask;

// A group of slots for the map type MT: 8 key/elem slots and the control
// word that describes them.  Go interleaves each key with its elem; so does
// this.  Slots are raw storage: objects are constructed and destroyed
// through MT::policy, as the control bytes say.
//
// Go stores a group as one block, its control word in front of its slots.
// gomap keeps a table's control words in one dense array in front of all its
// slots (table.hpp), so a probe that reads only control words — every miss,
// and every group a hit passes — touches 8 bytes per group instead of a
// line of a 136-byte block.  A group is therefore reached through
// group_ref, two pointers (Go's groupReference is one: the group's address).
template <class MT>
struct slot_storage {
  // A slot is the object itself or, for a big one, a pointer to it (MT's
  // policy says which): raw storage of that size.
  using key_slot = typename MT::key_slot;
  using elem_slot = typename MT::elem_slot;
  using policy = typename MT::policy;
  alignas(key_slot) unsigned char key[policy::template slot_bytes<key_slot>];
  alignas(elem_slot) unsigned char elem[policy::template slot_bytes<elem_slot>];
};

// Bytes one group takes in a table: its control word and its slots.
template <class MT>
inline constexpr std::size_t group_bytes = sizeof(ctrl_group) + group_slots *
                                                                    sizeof(slot_storage<MT>);

// groupReference: a group's control word and its slots.
template <class MT>
class group_ref {
 public:
  using K = typename MT::key_type;
  using V = typename MT::elem_type;
  using policy = typename MT::policy;
  using key_slot = typename MT::key_slot;
  using elem_slot = typename MT::elem_slot;
  using storage = slot_storage<MT>;

  group_ref() = default;
  group_ref(ctrl_group* c, storage* s) noexcept : ctrl_(c), slots_(s) {}

  explicit operator bool() const noexcept { return ctrl_ != nullptr; }
  friend bool operator==(const group_ref&, const group_ref&) = default;

  ctrl_group& ctrls() const noexcept { return *ctrl_; }
  storage* slot_at(std::size_t i) const noexcept { return slots_ + i; }
  static key_slot* key_slot_of(storage* s) noexcept { return reinterpret_cast<key_slot*>(s->key); }
  static elem_slot* elem_slot_of(storage* s) noexcept {
    return reinterpret_cast<elem_slot*>(s->elem);
  }
  key_slot* key_slot_at(std::size_t i) const noexcept { return key_slot_of(slots_ + i); }
  elem_slot* elem_slot_at(std::size_t i) const noexcept { return elem_slot_of(slots_ + i); }
  K& key(std::size_t i) const noexcept { return policy::template get<K>(key_slot_at(i)); }
  V& elem(std::size_t i) const noexcept { return policy::template get<V>(elem_slot_at(i)); }

  // An empty group: every control byte empty, every slot poisoned.
  void init_empty() const noexcept {
    ctrl_->set_empty();
    poison(slots_, group_slots * sizeof(storage));
  }

  // Destroy the objects of slot i and leave it with control byte c.
  void destroy_slot(std::size_t i, ctrl c) const noexcept {
    policy::template destroy<K>(key_slot_at(i));
    policy::template destroy<V>(elem_slot_at(i));
    ctrl_->set(i, c);
  }
  // Destroy every live object; the control word is left as it was.
  void destroy_objects() const noexcept {
    if constexpr (MT::trivial_slots && !under_asan) return;  // nothing to run
    for (std::size_t i : ctrl_->match_full()) {
      policy::template destroy<K>(key_slot_at(i));
      policy::template destroy<V>(elem_slot_at(i));
    }
  }

 private:
  ctrl_group* ctrl_ = nullptr;
  storage* slots_ = nullptr;
};

}  // namespace gomap::runtime::swiss
