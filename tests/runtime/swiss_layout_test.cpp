// The Swiss engine's layout, against Go 1.26's own layout tests
// (internal/runtime/maps/map_test.go: TestMapSplit, TestTablePutDelete,
// TestTableGroupCount, TestTombstoneGrow).  The map semantics both engines
// share are typed tests elsewhere; these check what only a Swiss table has:
// the small group, tables of groups, splits and tombstones.
#include <gtest/gtest.h>
#include <gomap/swiss_map.hpp>

#include <cstdint>
#include <string>

#include "../common/test_scale.hpp"

namespace {

using gomap::runtime::map_access;
namespace swiss = gomap::runtime::swiss;

// Go's TableCount and GroupCount (export_test.go): a small map has no table
// and one group once it holds something; a table has capacity / 8 groups.
struct map_count {
  std::uint64_t tables, groups;
  bool operator==(const map_count&) const = default;
};
template <class M>
map_count count_of(const M& m) {
  const gomap::SwissStats s = m.stats();
  if (s.small) return {0, s.capacity / swiss::group_slots};
  return {s.tables, s.capacity / swiss::group_slots};
}

// TestMapSplit: growing past twice a table's largest capacity splits it.
TEST(SwissLayout, MapSplit) {
  auto m = gomap::make_swiss<std::uint32_t, std::uint64_t>(0);
  const std::uint32_t n = 2 * swiss::max_table_capacity;
  for (std::uint32_t k = 1; k <= n; k++) m.set(k, 256 + k);
  EXPECT_EQ(m.size(), n);
  EXPECT_GE(m.stats().tables, 2u);
  EXPECT_GE(m.stats().global_depth, 1u);
  for (std::uint32_t k = 1; k <= n; k++) ASSERT_EQ(m.get(k), 256 + k) << k;
  EXPECT_EQ(map_access::check_invariants(m), "");
}

// TestTablePutDelete: a Put reuses the tombstone a Delete left in a full
// group, so the table neither grows nor loses growth_left.
TEST(SwissLayout, PutReusesTheTombstoneOfADelete) {
  auto m = gomap::make_swiss<std::uint32_t, std::uint32_t>(16);  // a table, not small
  auto* e = map_access::engine(m);
  ASSERT_NE(e->dir, nullptr);
  // Add keys until some group is full (Delete leaves a tombstone only there).
  std::uint32_t victim = 0;
  for (std::uint32_t k = 1; victim == 0; k++) {
    ASSERT_LT(k, 100000u);
    m.set(k, 256 + k);
    e->dir->for_each_table([&](auto* t) {
      for (std::uint64_t g = 0; victim == 0 && g <= t->length_mask; g++) {
        auto grp = t->group_at(g);
        if (!grp.ctrls().match_empty_or_deleted()) victim = grp.key(0);
      }
    });
  }
  m.erase(victim);
  EXPECT_EQ(m.stats().tombstones, 1u);
  auto* want_table = e->dir->table_for(e->hash_of(victim));
  const auto want_growth_left = want_table->growth_left;
  m.set(victim, 256 + victim);
  EXPECT_EQ(e->dir->table_for(e->hash_of(victim)), want_table) << "the table grew";
  EXPECT_EQ(want_table->growth_left, want_growth_left);
  EXPECT_EQ(m.stats().tombstones, 0u);
  EXPECT_EQ(map_access::check_invariants(m), "");
}

// TestTableGroupCount: tables and groups before and after n inserts, for a
// map made without a hint (Go's map literal and make(map) alike) and with
// make(map, n).
TEST(SwissLayout, TableGroupCount) {
  constexpr std::int64_t slots = swiss::group_slots;
  constexpr std::int64_t below_max = slots * 3 / 2;                               // 2 groups at 75%
  constexpr std::int64_t at_max = 2 * slots * swiss::max_avg_group_load / slots;  // 2 groups, 7/8
  struct tc {
    std::int64_t n;
    map_count hint, after;
  };
  const tc cases[] = {
      {-(std::int64_t{1} << 30), {0, 0}, {0, 0}},
      {-1, {0, 0}, {0, 0}},
      {0, {0, 0}, {0, 0}},
      {1, {0, 0}, {0, 1}},
      {slots, {0, 0}, {0, 1}},
      {slots + 1, {1, 2}, {1, 2}},
      {below_max, {1, 2}, {1, 2}},
      {at_max, {1, 2}, {1, 2}},
      {at_max + 1, {1, 4}, {1, 4}},
      {2 * below_max, {1, 4}, {1, 4}},
      {2 * at_max + 1, {1, 8}, {1, 8}},
  };
  for (const tc& c : cases) {
    SCOPED_TRACE("n=" + std::to_string(c.n));
    auto fill = [&](auto& m) {
      for (std::int64_t i = 0; i < c.n; i++) m.set(i, i);
    };
    auto nohint = gomap::make_swiss<std::int64_t, std::int64_t>();
    EXPECT_EQ(count_of(nohint), (map_count{0, 0}));
    fill(nohint);
    EXPECT_EQ(count_of(nohint), c.after);
    auto hinted = gomap::make_swiss<std::int64_t, std::int64_t>(c.n);
    EXPECT_EQ(count_of(hinted), c.hint);
    fill(hinted);
    EXPECT_EQ(count_of(hinted), c.after);
  }
}

// TestTombstoneGrow: a map kept at a constant size by deleting one key and
// adding a new one, 100,000 times, reclaims its tombstones instead of
// growing without end.  Go counts allocations (one growth allowed, two if it
// starts full); here the same bound on the capacity it ends with.  (Under a
// sanitizer 10,000 rounds: still 40 times the largest table's capacity.)
TEST(SwissLayout, TombstonesDoNotMakeAConstantSizeMapGrow) {
  for (std::int64_t table_size : {16, 32, 64, 128, 256}) {
    const std::int64_t capacity = table_size * 7 / 8;
    for (std::int64_t initial : {capacity / 8, capacity / 2, capacity}) {
      SCOPED_TRACE("table " + std::to_string(table_size) + ", " + std::to_string(initial));
      auto m = gomap::make_swiss<std::int64_t, std::int64_t>(capacity);
      for (std::int64_t i = 0; i < initial; i++) m.set(i, i);
      const std::uint64_t start = m.stats().capacity;
      std::int64_t next = initial;
      const std::int64_t rounds = gomap_test::scaled(100000, 10000);
      for (std::int64_t round = 0; round < rounds; round++) {
        for (auto&& [k, v] : m) {
          m.erase(k);
          break;
        }
        m.set(next, next);
        next++;
        ASSERT_EQ(static_cast<std::int64_t>(m.size()), initial);
      }
      const std::uint64_t growths_allowed = initial == capacity ? 2 : 1;
      EXPECT_LE(m.stats().capacity, start << growths_allowed);
      EXPECT_EQ(map_access::check_invariants(m), "");
    }
  }
}

// directoryIndex: the top global_depth bits of the hash, and 0 for the
// one-entry directory (where Go tests dirLen == 1, since a shift by 64 is not 0).
TEST(SwissLayout, DirectoryIndexIsTheHashTopBits) {
  using mt = gomap::runtime::maptype<std::uint64_t, std::uint64_t, gomap::hash<std::uint64_t>,
                                     gomap::equal_to<std::uint64_t>>;
  const std::uint64_t hashes[] = {
      0, 1, 0x7f, 0x8000000000000000ull, 0xfedcba9876543210ull, ~std::uint64_t{0}};
  for (std::uint8_t depth = 0; depth <= 16; ++depth) {
    auto* d = swiss::directory<mt>::make(depth);
    for (std::uint64_t h : hashes) {
      const std::uint64_t want = depth == 0 ? 0 : h >> (64 - depth);
      EXPECT_EQ(d->index_of(h), want) << "depth " << int{depth} << ", hash " << h;
    }
    d->free_shell();
  }
}

// Keys whose hashes share H1 all start probing at one group, so most of them
// are found past the first group (table::find_rest), and an absent key with
// that H1 is missed only at the group with an empty slot that ends the probe.
// Only 5 H2 values among 40 keys: most H2 matches are false and compared away.
struct SameStartHash {
  std::uint64_t operator()(const int& k, std::uint64_t) const {
    return 0x0123456789abc000ull | static_cast<std::uint64_t>(k % 5);
  }
};
TEST(SwissLayout, LookupsProbePastTheFirstGroup) {
  auto m = gomap::make_swiss<int, int, SameStartHash, gomap::equal_to<int>>(64);
  ASSERT_FALSE(m.stats().small);
  for (int k = 0; k < 40; ++k) m.set(k, 1000 + k);
  for (int k = 0; k < 40; ++k) {
    const int* v = m.find(k);
    ASSERT_NE(v, nullptr) << k;
    EXPECT_EQ(*v, 1000 + k);
  }
  for (int k = 40; k < 60; ++k) EXPECT_EQ(m.find(k), nullptr) << k;
  for (int k = 0; k < 40; k += 2) m.erase(k);
  for (int k = 0; k < 40; ++k) EXPECT_EQ(m.contains(k), k % 2 == 1) << k;
  EXPECT_EQ(map_access::check_invariants(m), "");
}

}  // namespace
