// slot_mask: the answer of a group's match operations — one bit per slot of
// an 8-slot group (bucket or Swiss group) — iterable as slot indices:
//
//   for (std::size_t i : b->match(top)) ...
//
// so no caller outside the group types writes `m &= m - 1` (boost FOA's
// match/match_available and Go 1.24's bitset.first/removeFirst are the model).
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <iterator>

namespace gomap::runtime {

class slot_mask {
 public:
  constexpr slot_mask() noexcept = default;
  constexpr explicit slot_mask(unsigned bits) noexcept : bits_(bits) {}

  constexpr bool any() const noexcept { return bits_ != 0; }
  constexpr explicit operator bool() const noexcept { return any(); }
  // The lowest matching slot; only when any().
  constexpr std::size_t first() const noexcept {
    return static_cast<std::size_t>(std::countr_zero(bits_));
  }
  constexpr unsigned bits() const noexcept { return bits_; }
  constexpr int count() const noexcept { return std::popcount(bits_); }
  friend constexpr slot_mask operator|(slot_mask a, slot_mask b) noexcept {
    return slot_mask(a.bits_ | b.bits_);
  }

  class iterator {
   public:
    using value_type = std::size_t;
    using difference_type = std::ptrdiff_t;
    constexpr iterator() noexcept = default;
    constexpr explicit iterator(unsigned bits) noexcept : bits_(bits) {}
    constexpr std::size_t operator*() const noexcept {
      return static_cast<std::size_t>(std::countr_zero(bits_));
    }
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
    unsigned bits_ = 0;
  };
  constexpr iterator begin() const noexcept { return iterator(bits_); }
  constexpr std::default_sentinel_t end() const noexcept { return {}; }

 private:
  unsigned bits_ = 0;
};

}  // namespace gomap::runtime
