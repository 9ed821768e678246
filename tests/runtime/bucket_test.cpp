// The classic bucket's vocabulary (runtime/classic/bucket.hpp, slot_mask.hpp,
// platform.hpp): slot masks, the named match operations, the SWAR matcher
// against the SSE2 one, and AddressSanitizer poisoning of dead slots.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "gomap/map.hpp"
#include "gomap/runtime/classic/bucket.hpp"
#include "gomap/runtime/platform.hpp"
#include "gomap/runtime/slot_mask.hpp"

#if GOMAP_ASAN
extern "C" int __asan_address_is_poisoned(void const volatile* addr);
#endif

namespace {
namespace rt = gomap::runtime;

TEST(SlotMask, IteratesSetBitsInOrder) {
  const rt::slot_mask m(0b1010'0101u);
  std::vector<std::size_t> got;
  for (std::size_t i : m) got.push_back(i);
  EXPECT_EQ(got, (std::vector<std::size_t>{0, 2, 5, 7}));
  EXPECT_EQ(m.first(), 0u);
  EXPECT_EQ(m.count(), 4);
  EXPECT_TRUE(m.any());
  EXPECT_FALSE(rt::slot_mask().any());
  EXPECT_EQ(rt::slot_mask().begin(), std::default_sentinel);
  EXPECT_EQ((rt::slot_mask(1u) | rt::slot_mask(0x80u)).bits(), 0x81u);
}

// The portable matcher is compiled and checked on every CPU, against a
// byte-by-byte reference and (on x86-64) against the SSE2 matcher.
TEST(MatchByte, SwarIsExactOnEveryByteValue) {
  std::mt19937_64 rng(42);
  std::uint8_t group[8];
  for (int round = 0; round < 2000; ++round) {
    const std::uint64_t w = rng();
    std::memcpy(group, &w, 8);
    // Plant some repeats of one value, including 0x00, 0x80 and 0xff edges.
    const auto b = static_cast<std::uint8_t>(round % 256);
    for (int j = 0; j < 8; ++j)
      if ((w >> (8 * j + 3)) & 1) group[j] = b;
    for (int v : {static_cast<int>(b), 0, 1, 0x7f, 0x80, 0xff}) {
      unsigned want = 0;
      for (int j = 0; j < 8; ++j) want |= static_cast<unsigned>(group[j] == v) << j;
      EXPECT_EQ(rt::match_byte_swar(group, static_cast<std::uint8_t>(v)), want);
#if GOMAP_X86_64
      EXPECT_EQ(rt::match_byte_sse2(group, static_cast<std::uint8_t>(v)), want);
#endif
      EXPECT_EQ(rt::match_byte(group, static_cast<std::uint8_t>(v)), want);
    }
  }
}

TEST(Bucket, NamedMatchOperations) {
  rt::bmap<std::uint64_t, std::uint64_t> b{};
  const std::uint8_t tops[8] = {0x42,           rt::empty_one,  0x42,           0x17,
                                rt::empty_rest, rt::empty_rest, rt::empty_rest, rt::empty_rest};
  std::memcpy(b.tophash, tops, 8);
  EXPECT_EQ(b.match(0x42).bits(), 0b101u);
  EXPECT_EQ(b.match(0x17).bits(), 0b1000u);
  EXPECT_FALSE(b.match(0x99).any());
  EXPECT_EQ(b.match_empty().bits(), 0b1111'0010u);
  EXPECT_TRUE(b.ends_chain());
  EXPECT_FALSE(b.evacuated());
  EXPECT_TRUE(b.is_full(0));
  EXPECT_FALSE(b.is_full(1));
  b.tophash[4] = b.tophash[5] = b.tophash[6] = b.tophash[7] = 0x20;
  EXPECT_FALSE(b.ends_chain());
  b.tophash[0] = rt::evacuated_x;
  EXPECT_TRUE(b.evacuated());
  EXPECT_TRUE(b.is_evacuated_entry(0));
}

// Under ASan a dead slot is poisoned: an erased entry's key and value, and
// the never-used slots of a fresh bucket, cannot be read through a stale
// pointer without a report.  (Elsewhere poisoning compiles to nothing.)
TEST(Bucket, DeadSlotsArePoisonedUnderAsan) {
#if GOMAP_ASAN
  auto m = gomap::make<std::uint64_t, std::string>();
  m.set(1, std::string(100, 'x'));
  std::string* v = m.find(1);
  ASSERT_NE(v, nullptr);
  EXPECT_EQ(__asan_address_is_poisoned(v), 0);
  m.erase(1);
  EXPECT_NE(__asan_address_is_poisoned(v), 0) << "an erased value's slot must be poisoned";
  m.set(1, "back");
  EXPECT_EQ(__asan_address_is_poisoned(m.find(1)), 0);
  // Growth moves entries: the old slots die, the new ones live.
  for (std::uint64_t i = 0; i < 1000; ++i) m.set(i, std::to_string(i));
  for (std::uint64_t i = 0; i < 1000; ++i) ASSERT_EQ(__asan_address_is_poisoned(m.find(i)), 0) << i;
  EXPECT_EQ(gomap::runtime::map_access::check_invariants(m), "");
#else
  GTEST_SKIP()
      << "poisoning is compiled in only under AddressSanitizer (the asan preset runs this)";
#endif
}

}  // namespace
