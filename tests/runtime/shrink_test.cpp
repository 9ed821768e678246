// shrink_to_fit (docs/api.md "Extras", beyond Go: golang/go#20135) on both
// engines: the map is rebuilt at the size a fresh map gets for len(m), keeps
// its handle, seed and entries, and a loop in progress keeps Go's iteration
// guarantees; a throwing copy leaves the map as it was.
#include <gtest/gtest.h>
#include <gomap/gomap.hpp>

#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <set>
#include <stdexcept>
#include <string>
#include <unordered_set>

#include "../common/engines.hpp"

namespace {

using gomap::runtime::map_access;
using gomap_test::make_map;
using gomap_test::map_t;

GOMAP_TYPED_SUITE(ShrinkToFit);

TYPED_TEST(ShrinkToFit, NilAndEmptyMaps) {
  map_t<TypeParam, int, int> nil;
  nil.shrink_to_fit();  // a no-op, like every read of a nil map
  EXPECT_TRUE(nil.is_nil());

  auto m = make_map<TypeParam, int, int>(1000);
  m.shrink_to_fit();
  EXPECT_EQ(m.size(), 0u);
  EXPECT_EQ(m.stats().count, 0u);
  m.set(1, 2);  // still a working map
  EXPECT_EQ(m.get(1), 2);
  m.erase(1);
  m.shrink_to_fit();
  EXPECT_EQ(map_access::check_invariants(m), "");
  EXPECT_FALSE(m.contains(1));
}

TYPED_TEST(ShrinkToFit, KeepsEntriesAndGivesMemoryBack) {
  auto m = make_map<TypeParam, std::uint64_t, std::uint64_t>();
  for (std::uint64_t i = 0; i < 20000; i++) m.set(i, i * 3);
  for (std::uint64_t i = 100; i < 20000; i++) m.erase(i);
  const auto shared = m;  // NOLINT(performance-unnecessary-copy-initialization): a 2nd handle
  const std::uint64_t before = m.stats().bytes;
  m.shrink_to_fit();
  EXPECT_LT(m.stats().bytes * 20, before);
  EXPECT_EQ(shared.size(), 100u);
  for (std::uint64_t i = 0; i < 100; i++) ASSERT_EQ(shared.get(i), i * 3) << i;
  EXPECT_FALSE(m.contains(100));
  EXPECT_EQ(map_access::check_invariants(m), "");
  // The shape of a fresh map for 100 entries (the bytes may differ by the
  // overflow buckets a seed's placement needs).
  auto fresh = make_map<TypeParam, std::uint64_t, std::uint64_t>(100);
  for (std::uint64_t i = 0; i < 100; i++) fresh.set(i, i);
  if constexpr (gomap_test::is_classic_v<TypeParam>) {
    EXPECT_EQ(m.stats().B, 4u);  // makemap(100): 6.5 * 2^4 = 104
    EXPECT_EQ(m.stats().B, fresh.stats().B);
    EXPECT_FALSE(m.stats().growing);
  } else {
    EXPECT_EQ(m.stats().tables, fresh.stats().tables);
    EXPECT_EQ(m.stats().capacity, fresh.stats().capacity);
  }
  // It grows again as any map does.
  for (std::uint64_t i = 100; i < 5000; i++) m.set(i, i);
  EXPECT_EQ(m.size(), 5000u);
  EXPECT_EQ(map_access::check_invariants(m), "");
}

TYPED_TEST(ShrinkToFit, KeepsTheSeed) {
  if constexpr (gomap_test::is_classic_v<TypeParam>) {
    auto m = make_map<TypeParam, int, int>();
    for (int i = 0; i < 1000; i++) m.set(i, i);
    for (int i = 10; i < 1000; i++) m.erase(i);
    const std::uint64_t seed = map_access::engine(m)->hash0;
    m.shrink_to_fit();
    EXPECT_EQ(map_access::engine(m)->hash0, seed);
  } else {
    GTEST_SKIP() << "the Swiss engine's seed is checked by its own suite";
  }
}

TYPED_TEST(ShrinkToFit, CompactsOverflowChainsAtTheSameSize) {
  if constexpr (gomap_test::is_classic_v<TypeParam>) {
    // Keys that share one bucket pile up an overflow chain; deleting most of
    // them leaves the chain, which shrink_to_fit drops.
    auto m = make_map<TypeParam, std::uint64_t, int>(50);
    auto* h = map_access::engine(m);
    const std::uint64_t mask = (std::uint64_t{1} << h->B) - 1;
    std::uint64_t k = 0;
    int put = 0;
    for (; put < 30; k++)
      if ((h->hash_of(k) & mask) == 0) m.set(k, put++);
    EXPECT_GT(m.stats().overflow_buckets, 0u);
    int kept = 0;
    for (std::uint64_t i = 0; i < k; i++)
      if (m.contains(i) && kept++ >= 5) m.erase(i);
    m.shrink_to_fit();
    EXPECT_EQ(m.stats().overflow_buckets, 0u);
    EXPECT_EQ(m.size(), 5u);
    EXPECT_EQ(map_access::check_invariants(m), "");
  } else {
    GTEST_SKIP() << "Swiss tables have no overflow chains";
  }
}

// A loop runs across shrink_to_fit (and deletes, inserts and growth after
// it): no entry twice, no deleted entry, every entry present throughout.
TYPED_TEST(ShrinkToFit, LoopInProgressKeepsGoGuarantees) {
  for (int stop_at : {0, 1, 7, 300, 999}) {
    auto m = make_map<TypeParam, int, int>();
    for (int i = 0; i < 1000; i++) m.set(i, i);
    std::set<int> produced, deleted;
    // The iterator produces an entry when it reaches it: begin() and each ++.
    auto it = m.begin();
    produced.insert((*it).first);
    for (int n = 0; n < stop_at; n++) {
      ++it;
      ASSERT_TRUE(produced.insert((*it).first).second);
    }
    for (int i = 0; i < 1000; i += 3) {
      m.erase(i);
      deleted.insert(i);
    }
    m.shrink_to_fit();
    for (int i = 0; i < 1000; i += 7) m.set(i, -i);  // updates and re-inserts
    for (int i = 0; i < 1000; i += 7) deleted.erase(i);
    for (int i = 1000; i < 3000; i++) m.set(i, i);  // grows the map again, past the loop's B
    for (++it; it != m.end(); ++it) {
      auto&& [k, v] = *it;
      ASSERT_TRUE(produced.insert(k).second) << "produced twice: " << k;
      ASSERT_EQ(deleted.count(k), 0u) << "produced after delete: " << k;
      ASSERT_EQ(v, m.get(k)) << "stale value for " << k;
    }
    for (int i = 0; i < 1000; i++)
      if (i % 3 != 0 && !produced.count(i)) ADD_FAILURE() << "never produced: " << i;
    EXPECT_EQ(map_access::check_invariants(m), "");
  }
}

TYPED_TEST(ShrinkToFit, InsideRangeOfTheSameMap) {
  auto m = make_map<TypeParam, int, int>();
  for (int i = 0; i < 500; i++) m.set(i, i);
  std::unordered_set<int> seen;
  bool shrunk = false;
  m.range([&](const int& k, int&) {
    EXPECT_TRUE(seen.insert(k).second) << k;
    if (!shrunk) {
      for (int i = 0; i < 500; i++)
        if (i != k) m.erase(i);
      m.shrink_to_fit();
      shrunk = true;
    }
    return true;
  });
  EXPECT_EQ(seen.size(), 1u);
  EXPECT_EQ(m.size(), 1u);
}

TYPED_TEST(ShrinkToFit, NaNKeysSurviveAndLoopsStillProduceThem) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  auto m = make_map<TypeParam, double, int>();
  for (int i = 0; i < 3; i++) m.set(nan, i);
  for (int i = 0; i < 2000; i++) m.set(i, i);
  auto it = m.begin();  // pins the current layout
  for (int i = 0; i < 2000; i++) m.erase(static_cast<double>(i));
  m.shrink_to_fit();
  EXPECT_EQ(m.size(), 3u);
  int nans = 0;
  for (auto&& [k, v] : m) nans += std::isnan(k) ? 1 : 0;
  EXPECT_EQ(nans, 3);
  int loop_nans = 0, others = 0;  // what the loop produces after the shrink
  for (++it; it != m.end(); ++it) ((std::isnan((*it).first)) ? loop_nans : others)++;
  EXPECT_EQ(others, 0);
  EXPECT_LE(loop_nans, 3);  // it may have produced some before the shrink
  EXPECT_EQ(map_access::check_invariants(m), "");
}

TYPED_TEST(ShrinkToFit, MoveOnlyValuesWithALoopParked) {
  auto m = make_map<TypeParam, int, std::unique_ptr<int>>();
  for (int i = 0; i < 600; i++) m.set(i, std::make_unique<int>(i));
  auto it = m.begin();
  std::set<int> produced = {(*it).first};
  for (int i = 0; i < 600; i += 2) m.erase(i);
  m.shrink_to_fit();
  for (int i = 1; i < 600; i += 2) ASSERT_EQ(**m.find(i), i);
  for (++it; it != m.end(); ++it) {
    auto&& [k, v] = *it;
    ASSERT_TRUE(produced.insert(k).second);
    ASSERT_EQ(*v, k);
  }
  EXPECT_EQ(map_access::check_invariants(m), "");
}

// Throws from the Nth copy once armed.
struct Bomb {
  static inline int countdown = -1;
  static void tick() {
    if (countdown >= 0 && countdown-- == 0) throw std::runtime_error("boom");
  }
};
struct FragileKey {
  std::string s;
  explicit FragileKey(std::string v = "") : s(std::move(v)) {}
  FragileKey(const FragileKey& o) : s(o.s) { Bomb::tick(); }
  FragileKey(FragileKey&&) noexcept = default;
  FragileKey& operator=(const FragileKey&) = default;
  FragileKey& operator=(FragileKey&&) noexcept = default;
  bool operator==(const FragileKey& o) const { return s == o.s; }
};
std::uint64_t gomap_hash(const FragileKey& k, std::uint64_t seed) {
  return gomap::runtime::strhash(k.s, seed);
}

// While a loop holds the old layout, keys are copied; a copy that throws
// part-way leaves every entry where it was and the writing flag released.
TYPED_TEST(ShrinkToFit, ThrowingKeyCopyWhileIteratingChangesNothing) {
  auto m = make_map<TypeParam, FragileKey, int>();
  for (int i = 0; i < 400; i++) m.set(FragileKey(std::to_string(i)), i);
  for (int i = 0; i < 400; i++)
    if (i % 4 != 1) m.erase(FragileKey(std::to_string(i)));
  auto it = m.begin();
  const std::uint64_t bytes = m.stats().bytes;
  int thrown = 0;
  for (int n : {0, 1, 17, 50, 99}) {
    Bomb::countdown = n;
    try {
      m.shrink_to_fit();
    } catch (const std::runtime_error&) {
      thrown++;
    }
    Bomb::countdown = -1;
    ASSERT_EQ(m.size(), 100u);
    // (The classic engine may keep the 8-byte bitmap of kept keys it made
    // for the loop before the copies started.)
    ASSERT_LE(m.stats().bytes, bytes + 8);
    for (int i = 1; i < 400; i += 4) ASSERT_EQ(m.get(FragileKey(std::to_string(i))), i) << i;
    ASSERT_EQ(map_access::check_invariants(m), "");
  }
  EXPECT_EQ(thrown, 5);
  m.shrink_to_fit();  // disarmed: goes through, and the next write is not "concurrent"
  EXPECT_LT(m.stats().bytes, bytes);
  m.set(FragileKey("new"), 1);
  std::set<std::string> produced;
  for (++it; it != m.end(); ++it) ASSERT_TRUE(produced.insert((*it).first.s).second);
  EXPECT_EQ(map_access::check_invariants(m), "");
}

}  // namespace
