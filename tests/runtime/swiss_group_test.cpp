// The Swiss group's control word (runtime/swiss/group.hpp): both forms of
// its named matches — the SWAR one (Go's portable ctrlGroupMatch*) and the
// SIMD one (Go's amd64 intrinsics) — against a byte-by-byte reading of the
// control bytes, on every CPU.  The engine runs the form platform.hpp
// chooses; the other stays compiled and checked here.
#include <gtest/gtest.h>

#include <bit>
#include <cstddef>
#include <cstdint>
#include <random>
#include <type_traits>
#include <vector>

#include "gomap/runtime/platform.hpp"
#include "gomap/runtime/swiss/group.hpp"

namespace {
namespace rt = gomap::runtime;
namespace swiss = gomap::runtime::swiss;

// A control word of random bytes with some slots empty, deleted, or
// carrying one chosen H2 (the values a real table holds).
std::uint64_t control_word(std::mt19937_64& rng, swiss::ctrl h) {
  std::uint64_t w = 0;
  for (std::size_t i = 0; i < swiss::group_slots; ++i) {
    swiss::ctrl c = 0;
    switch (rng() % 4) {
      case 0:
        c = swiss::ctrl_empty;
        break;
      case 1:
        c = swiss::ctrl_deleted;
        break;
      case 2:
        c = h;
        break;
      default:
        c = static_cast<swiss::ctrl>(rng() & 0x7f);
        break;
    }
    w |= std::uint64_t{c} << (8 * i);
  }
  return w;
}

template <class Mask>
std::vector<std::size_t> slots(Mask m) {
  std::vector<std::size_t> v;
  for (std::size_t i : m) v.push_back(i);
  return v;
}

template <class Pred>
std::vector<std::size_t> reference(std::uint64_t w, Pred pred) {
  std::vector<std::size_t> v;
  for (std::size_t i = 0; i < swiss::group_slots; ++i)
    if (pred(static_cast<swiss::ctrl>(w >> (8 * i)))) v.push_back(i);
  return v;
}

// Does `got` hold every slot of `want`, and only slots that are full?  (The
// SWAR matchH2 may add a false positive, never drop a true match.)
bool covers(const std::vector<std::size_t>& got, const std::vector<std::size_t>& want,
            std::uint64_t w) {
  std::size_t j = 0;
  for (std::size_t i : got) {
    if ((w >> (8 * i + 7)) & 1) return false;  // an empty or deleted slot
    if (j < want.size() && want[j] == i) ++j;
  }
  return j == want.size();
}

template <bool Simd>
void check_matches() {
  using group = swiss::basic_ctrl_group<Simd>;
  std::mt19937_64 rng(Simd ? 7 : 8);
  for (int round = 0; round < 20000; ++round) {
    const auto h = static_cast<swiss::ctrl>(round % 128);
    const group g{control_word(rng, h)};
    const std::uint64_t w = g.word;
    const auto full = reference(w, [](swiss::ctrl c) { return (c & 0x80) == 0; });
    const auto want_h2 = reference(w, [h](swiss::ctrl c) { return c == h; });
    if constexpr (Simd) {
      ASSERT_EQ(slots(g.match_h2(h)), want_h2) << std::hex << w;
    } else {
      ASSERT_TRUE(covers(slots(g.match_h2(h)), want_h2, w)) << std::hex << w;
    }
    ASSERT_EQ(slots(g.match_empty()),
              reference(w, [](swiss::ctrl c) { return c == swiss::ctrl_empty; }))
        << std::hex << w;
    ASSERT_EQ(slots(g.match_empty_or_deleted()),
              reference(w, [](swiss::ctrl c) { return (c & 0x80) != 0; }))
        << std::hex << w;
    ASSERT_EQ(slots(g.match_empty_or_deleted_swar()),
              reference(w, [](swiss::ctrl c) { return (c & 0x80) != 0; }))
        << std::hex << w;
    ASSERT_EQ(slots(g.match_full()), full) << std::hex << w;
    ASSERT_EQ(g.any_full(), !full.empty());
    ASSERT_EQ(g.match_full().count(), static_cast<int>(full.size()));
  }
}

TEST(SwissGroup, SwarMatchesAgreeWithTheControlBytes) {
  check_matches<false>();
}

TEST(SwissGroup, SimdMatchesAgreeWithTheControlBytes) {
  check_matches<true>();
}

// The mask operations the iterator uses, in both encodings.
template <bool Simd>
void check_mask_ops() {
  using group = swiss::basic_ctrl_group<Simd>;
  // Slots 0, 2, 3, 6 full; 1 empty; 4, 5, 7 deleted.
  std::uint64_t w = 0;
  const swiss::ctrl bytes[8] = {0x11, swiss::ctrl_empty,   0x22,
                                0x11, swiss::ctrl_deleted, swiss::ctrl_deleted,
                                0x05, swiss::ctrl_deleted};
  for (std::size_t i = 0; i < 8; ++i) w |= std::uint64_t{bytes[i]} << (8 * i);
  const group g{w};
  EXPECT_EQ(slots(g.match_full()), (std::vector<std::size_t>{0, 2, 3, 6}));
  EXPECT_EQ(slots(g.match_full().remove_below(3)), (std::vector<std::size_t>{3, 6}));
  EXPECT_EQ(slots(g.match_full().remove_first()), (std::vector<std::size_t>{2, 3, 6}));
  EXPECT_EQ(slots(g.match_full().keep_below(3)), (std::vector<std::size_t>{0, 2}));
  EXPECT_EQ(slots(g.match_full().keep_below(8)), (std::vector<std::size_t>{0, 2, 3, 6}));
  EXPECT_EQ(g.match_empty().first(), 1u);
  EXPECT_EQ(g.match_empty_or_deleted().count(), 4);
  EXPECT_FALSE(g.match_h2(0x33).any());
  EXPECT_EQ(slots(g.match_h2(0x11)), (std::vector<std::size_t>{0, 3}));
}

TEST(SwissGroup, MaskOperationsInBothEncodings) {
  check_mask_ops<false>();
  check_mask_ops<true>();
}

// The engine's choice is the platform's.
TEST(SwissGroup, EngineUsesThePlatformsMatcher) {
  static_assert(std::is_same_v<swiss::ctrl_group, swiss::basic_ctrl_group<rt::simd_group_match>>);
  EXPECT_EQ(rt::simd_group_match, GOMAP_X86_64 != 0);
}

TEST(HighBits, SwarAndSimdAgreeWithTheBytes) {
  std::mt19937_64 rng(3);
  for (int round = 0; round < 20000; ++round) {
    const std::uint64_t w = rng();
    std::uint8_t b[8];
    for (int i = 0; i < 8; ++i) b[i] = static_cast<std::uint8_t>(w >> (8 * i));
    unsigned want = 0;
    for (int i = 0; i < 8; ++i) want |= static_cast<unsigned>(b[i] >> 7) << i;
    ASSERT_EQ(rt::high_bits_swar(b), want);
    ASSERT_EQ(rt::high_bits(b), want);
  }
}

}  // namespace

// platform.hpp's lowest_set_bit (inline TZCNT on x86-64) is countr_zero for
// every nonzero word of both widths: each single bit, each bit with all the
// bits above it set, and random words.
TEST(LowestSetBit, IsCountrZero) {
  for (int b = 0; b < 64; ++b) {
    const std::uint64_t one = std::uint64_t{1} << b;
    ASSERT_EQ(gomap::runtime::lowest_set_bit(one), static_cast<std::size_t>(b));
    ASSERT_EQ(gomap::runtime::lowest_set_bit(~(one - 1)), static_cast<std::size_t>(b));
  }
  for (int b = 0; b < 32; ++b) {
    const std::uint32_t one = std::uint32_t{1} << b;
    ASSERT_EQ(gomap::runtime::lowest_set_bit(one), static_cast<std::size_t>(b));
    ASSERT_EQ(gomap::runtime::lowest_set_bit(static_cast<std::uint32_t>(~(one - 1))),
              static_cast<std::size_t>(b));
  }
  std::mt19937_64 rng(20261208);
  for (int i = 0; i < 100000; ++i) {
    const std::uint64_t x = rng() | (std::uint64_t{1} << (rng() % 64));
    ASSERT_EQ(gomap::runtime::lowest_set_bit(x), static_cast<std::size_t>(std::countr_zero(x)));
    const auto y = static_cast<std::uint32_t>(x) | 0x80000000u;
    ASSERT_EQ(gomap::runtime::lowest_set_bit(y), static_cast<std::size_t>(std::countr_zero(y)));
  }
}
