// slot_mask: the answer of a group's match operations — one mark per slot of
// an 8-slot group (bucket or Swiss group) — iterable as slot indices:
//
//   for (std::size_t i : b->match(top)) ...
//
// so no caller outside the group types writes `m &= m - 1` (boost FOA's
// match/match_available and Go 1.24's bitset.first/removeFirst are the model).
//
// Two encodings share the code: the classic bucket's mask (and the Swiss
// group's SSE2 match) has one bit per slot (bit i: slot i); the Swiss
// group's SWAR match leaves the high bit of byte i set for slot i (Go's
// bitset), which is read as is rather than packed to 8 bits, since packing
// costs a multiply on every probe.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <type_traits>

#include "gomap/runtime/platform.hpp"

namespace gomap::runtime {

// Word: the mask's integer type; Shift: log2 of the bits per slot.
template <class Word, unsigned Shift>
class basic_slot_mask {
 public:
  constexpr basic_slot_mask() noexcept = default;
  constexpr explicit basic_slot_mask(Word bits) noexcept : bits_(bits) {}

  constexpr bool any() const noexcept { return bits_ != 0; }
  constexpr explicit operator bool() const noexcept { return any(); }
  // The lowest matching slot; only when any().
  constexpr std::size_t first() const noexcept { return index_of(bits_); }
  constexpr Word bits() const noexcept { return bits_; }
  constexpr int count() const noexcept { return std::popcount(bits_); }
  // The mask without its lowest slot (Go: bitset.removeFirst).
  constexpr basic_slot_mask remove_first() const noexcept {
    return basic_slot_mask(bits_ & (bits_ - 1));
  }
  // The mask without slots below i (Go: bitset.removeBelow); i < 8.
  constexpr basic_slot_mask remove_below(std::size_t i) const noexcept {
    return basic_slot_mask(bits_ & ~((Word{1} << (i << Shift)) - 1));
  }
  // The mask without slots at or above i (any i: 8 and up keep every slot).
  constexpr basic_slot_mask keep_below(std::size_t i) const noexcept {
    if (i >= 8) return *this;
    return basic_slot_mask(bits_ & ((Word{1} << (i << Shift)) - 1));
  }
  friend constexpr basic_slot_mask operator|(basic_slot_mask a, basic_slot_mask b) noexcept {
    return basic_slot_mask(a.bits_ | b.bits_);
  }

  class iterator {
   public:
    using value_type = std::size_t;
    using difference_type = std::ptrdiff_t;
    constexpr iterator() noexcept = default;
    constexpr explicit iterator(Word bits) noexcept : bits_(bits) {}
    constexpr std::size_t operator*() const noexcept { return index_of(bits_); }
    constexpr iterator& operator++() noexcept {
      bits_ &= bits_ - 1;  // drop the lowest set bit
      return *this;
    }
    constexpr iterator operator++(int) noexcept {
      iterator t = *this;
      ++*this;
      return t;
    }
    friend constexpr bool operator==(iterator a, std::default_sentinel_t) noexcept {
      return a.bits_ == 0;
    }

   private:
    Word bits_ = 0;
  };
  constexpr iterator begin() const noexcept { return iterator(bits_); }
  constexpr std::default_sentinel_t end() const noexcept { return {}; }

 private:
  static constexpr std::size_t index_of(Word bits) noexcept {
    if (std::is_constant_evaluated())
      return static_cast<std::size_t>(std::countr_zero(bits)) >> Shift;
    return lowest_set_bit(bits) >> Shift;  // platform.hpp: no xor, no sign extension
  }
  Word bits_ = 0;
};

// The classic bucket's mask: bit i is slot i.
using slot_mask = basic_slot_mask<unsigned, 0>;
// The Swiss group's SWAR mask: the high bit of byte i is slot i (Go's bitset).
// (Its SSE2 matches on x86-64 answer a slot_mask: swiss/group.hpp.)
using byte_slot_mask = basic_slot_mask<std::uint64_t, 3>;

}  // namespace gomap::runtime
