// gomap::Map sizing and introspection: make hints, reserve, stats.
// Every expectation follows docs/api.md or, where noted, the output of a Go
// 1.19 program (the Go snippet is quoted next to it).  (Split from the former
// api_test.cpp by topic; test names unchanged.)
#include "api_common.hpp"

namespace {

using namespace api_test;

// --------------------------------------------------------- make and reserve

TEST(Make, BogusHintsAreIgnored) {
  // A constant -1 is a compile error in Go; a variable negative or huge hint
  // is ignored (makemap: "if overflow || mem > maxAlloc { hint = 0 }"); Go
  // 1.19 run: hint := -1; make(map[int64]int, hint) -> B == 0, no panic.
  for (std::int64_t hint :
       {std::int64_t{-1}, std::int64_t{1} << 62, std::numeric_limits<std::int64_t>::min(),
        std::numeric_limits<std::int64_t>::max()}) {
    SCOPED_TRACE(hint);
    IntMap<gomap_test::classic_engine> m;
    ASSERT_NO_THROW((m = gomap::make<int, int>(hint)));
    EXPECT_FALSE(m.is_nil());
    EXPECT_LT(m.stats().bytes, std::uint64_t{1} << 20);
    EXPECT_EQ(m.stats().B, 0);
    m.set(1, 1);
    EXPECT_EQ(m.get(1), 1);
  }
}

TEST(Make, HintPicksGosB) {
  // makemap's B for a hint, read from Go 1.19's hmap header:
  //   m := make(map[int64]int, hint); h := *(**hmap)(unsafe.Pointer(&m)); fmt.Print(h.B)
  // -> {0,0} {1,0} {8,0} {9,1} {13,1} {14,2} {26,2} {27,3} {52,3} {53,4} {100,4}
  //    {104,4} {105,5} {1000,8} {5000,10} {1048576,18} {-1,0}
  const std::pair<std::int64_t, int> want[] = {
      {0, 0},  {1, 0},   {8, 0},   {9, 1},   {13, 1},   {14, 2},    {26, 2},       {27, 3}, {52, 3},
      {53, 4}, {100, 4}, {104, 4}, {105, 5}, {1000, 8}, {5000, 10}, {1 << 20, 18}, {-1, 0}};
  for (const auto& [hint, B] : want) {
    const auto m = gomap::make<std::int64_t, int>(hint);
    EXPECT_EQ(m.stats().B, B) << "hint " << hint;
  }
}

TEST(Make, HintFitsWithoutGrowth) {
  for (std::int64_t hint : {0, 1, 8, 9, 13, 14, 100, 1000, 5000}) {
    SCOPED_TRACE(hint);
    auto m = gomap::make<std::int64_t, int>(hint);
    const auto B = m.stats().B;
    for (std::int64_t i = 0; i < hint; ++i) m.set(i, 1);
    EXPECT_EQ(m.stats().B, B);
    EXPECT_FALSE(m.stats().growing);
  }
}

TEST(Reserve, GrowsSoThatNEntriesFit) {
  for (std::int64_t n : {1, 8, 9, 100, 1000, 10000}) {
    SCOPED_TRACE(n);
    auto m = gomap::make<std::int64_t, int>();
    m.reserve(n);
    const auto B = m.stats().B;
    for (std::int64_t i = 0; i < n; ++i) {
      m.set(i, static_cast<int>(i));
      ASSERT_EQ(m.stats().B, B) << "grew after " << i + 1 << " entries";
    }
    EXPECT_EQ(m.size(), static_cast<std::size_t>(n));
  }
}

TEST(Reserve, OnMapWithEntriesKeepsThem) {
  auto m = gomap::make<std::int64_t, std::int64_t>();
  for (std::int64_t i = 0; i < 50; ++i) m.set(i, i * 3);
  m.reserve(5000);
  EXPECT_EQ(m.size(), 50u);
  for (std::int64_t i = 0; i < 50; ++i) EXPECT_EQ(m.get(i), i * 3);
  const auto B = m.stats().B;
  EXPECT_GE(std::uint64_t{13} * (std::uint64_t{1} << B) / 2, 5000u);
  for (std::int64_t i = 50; i < 5000; ++i) {
    m.set(i, i * 3);
    ASSERT_EQ(m.stats().B, B) << "grew after " << i + 1 << " entries";
  }
  for (std::int64_t i = 0; i < 5000; ++i) ASSERT_EQ(m.get(i), i * 3);
}

TEST(Reserve, SmallerThanCurrentDoesNotShrink) {
  auto m = gomap::make<int, int>();
  for (int i = 0; i < 1000; ++i) m.set(i, i);
  const auto B = m.stats().B;
  m.reserve(10);
  EXPECT_EQ(m.stats().B, B);
  EXPECT_EQ(m.size(), 1000u);
}

TEST(Reserve, BogusValuesAreIgnored) {
  auto m = gomap::make<int, int>();
  for (int i = 0; i < 20; ++i) m.set(i, i);
  const auto before = m.stats();
  EXPECT_NO_THROW(m.reserve(-1));
  EXPECT_NO_THROW(m.reserve(std::int64_t{1} << 62));
  EXPECT_NO_THROW(m.reserve(std::numeric_limits<std::int64_t>::max()));
  const auto after = m.stats();
  EXPECT_EQ(after.B, before.B);
  EXPECT_LT(after.bytes, std::uint64_t{1} << 20);
  EXPECT_EQ(m.size(), 20u);
  for (int i = 0; i < 20; ++i) EXPECT_EQ(m.get(i), i);

  auto e = gomap::make<int, int>();
  e.reserve(-1);
  e.reserve(std::int64_t{1} << 62);
  EXPECT_EQ(e.stats().B, 0);
  EXPECT_LT(e.stats().bytes, std::uint64_t{1} << 20);
}

TEST(Reserve, WhileGrowingKeepsEntries) {
  auto m = gomap::make<int, std::string>();
  int n = 0;
  while (!m.stats().growing) {
    m.set(n, std::to_string(n));
    ++n;
  }
  m.reserve(20000);
  EXPECT_EQ(m.size(), static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) ASSERT_EQ(m.get(i), std::to_string(i));
  const auto B = m.stats().B;
  for (int i = n; i < 20000; ++i) {
    m.set(i, std::to_string(i));
    ASSERT_EQ(m.stats().B, B) << "grew after " << i + 1 << " entries";
  }
  for (int i = 0; i < 20000; ++i) ASSERT_EQ(m.get(i), std::to_string(i));
}

TEST(Reserve, KeepsNaNKeys) {
  auto m = gomap::make<double, int>();
  for (int i = 0; i < 40; ++i) m.set(nan(), i);
  for (int i = 0; i < 40; ++i) m.set(i + 0.5, i);
  m.reserve(100000);
  EXPECT_EQ(m.size(), 80u);
  int nans = 0;
  for (auto&& [k, v] : m) {
    (void)v;
    if (std::isnan(k)) ++nans;
  }
  EXPECT_EQ(nans, 40);
  for (int i = 0; i < 40; ++i) EXPECT_EQ(m.get(i + 0.5), i);
}

TEST(Reserve, AfterClear) {
  auto m = gomap::make<int, int>();
  for (int i = 0; i < 100; ++i) m.set(i, i);
  m.clear();
  m.reserve(3000);
  const auto B = m.stats().B;
  EXPECT_GE(std::uint64_t{13} * (std::uint64_t{1} << B) / 2, 3000u);
  for (int i = 0; i < 3000; ++i) m.set(i, i);
  EXPECT_EQ(m.stats().B, B);
  EXPECT_EQ(m.size(), 3000u);
}

// ------------------------------------------------------------------- stats

TEST(Stats, NilIsAllZero) {
  IntMap<gomap_test::classic_engine> m;
  const gomap::MapStats s = m.stats();
  EXPECT_EQ(s.B, 0);
  EXPECT_EQ(s.count, 0u);
  EXPECT_EQ(s.noverflow, 0);
  EXPECT_EQ(s.overflow_buckets, 0u);
  EXPECT_EQ(s.bucket_count, 0u);
  EXPECT_FALSE(s.growing);
  EXPECT_FALSE(s.same_size_grow);
  EXPECT_EQ(s.nevacuate, 0u);
  EXPECT_EQ(s.bytes, 0u);
}

TEST(Stats, FieldsStayConsistentWhileGrowing) {
  auto m = gomap::make<int, int>();
  bool saw_growing = false;
  for (int i = 0; i < 20000; ++i) {
    m.set(i, i);
    const auto s = m.stats();
    ASSERT_EQ(s.count, static_cast<std::uint64_t>(i + 1));
    ASSERT_EQ(s.bucket_count, std::uint64_t{1} << s.B);
    ASSERT_GT(s.bytes, 0u);
    // overLoadFactor never lets count exceed 6.5 * 2^B (or 8 at B=0).
    ASSERT_LE(s.count, std::max<std::uint64_t>(8, 13 * s.bucket_count / 2));
    if (s.same_size_grow) {
      ASSERT_TRUE(s.growing);
    }
    if (s.growing) {
      saw_growing = true;
      const std::uint64_t old_buckets = s.same_size_grow ? s.bucket_count : s.bucket_count / 2;
      ASSERT_LT(s.nevacuate, old_buckets);
    }
  }
  EXPECT_TRUE(saw_growing);
  const auto s = m.stats();
  EXPECT_GE(s.bytes, std::size_t{20000} * 2 * sizeof(int));
}

// Identity hash (seed ignored): bucket = key & (2^B - 1), so growth steps
// are those of Go's map.go for keys 0, 1, 2, ...
struct IdentityHash {
  std::uint64_t operator()(const int& k, std::uint64_t) const {
    return static_cast<std::uint64_t>(k);
  }
};
// Every key in one bucket chain.
struct ConstantHash {
  std::uint64_t operator()(const int&, std::uint64_t) const { return 0x0123456789abcdefull; }
};

TEST(Stats, IncrementalGrowthMatchesGo) {
  // map.go: inserting the 27th key into B=2 (26 > 6.5*4) starts hashGrow to
  // B=3; mapassign's growWork evacuates the key's old bucket (26&3 = 2) and
  // then h.nevacuate (0), which advances nevacuate to 1.  The 28th key (old
  // bucket 3) evacuates 3 and then 1, finishing the grow.
  auto m = gomap::make<int, int, IdentityHash, gomap::equal_to<int>>();
  for (int i = 0; i < 26; ++i) m.set(i, i);
  auto s = m.stats();
  EXPECT_EQ(s.B, 2);
  EXPECT_FALSE(s.growing);
  EXPECT_EQ(s.overflow_buckets, 0u);
  m.set(26, 26);
  s = m.stats();
  EXPECT_EQ(s.B, 3);
  EXPECT_EQ(s.bucket_count, 8u);
  EXPECT_TRUE(s.growing);
  EXPECT_FALSE(s.same_size_grow);
  EXPECT_EQ(s.nevacuate, 1u);
  m.set(27, 27);
  s = m.stats();
  EXPECT_EQ(s.B, 3);
  EXPECT_FALSE(s.growing);
  for (int i = 0; i < 28; ++i) EXPECT_EQ(m.get(i), i);
}

TEST(Stats, OverflowBucketsCounted) {
  // make(map[int]int, 64) has B=4 (64 > 6.5*8); 20 keys with one hash fill
  // one main bucket and chain two overflow buckets; incrnoverflow counts
  // exactly while B < 16.
  auto m = gomap::make<int, int, ConstantHash, gomap::equal_to<int>>(64);
  EXPECT_EQ(m.stats().B, 4);
  for (int i = 0; i < 20; ++i) m.set(i, i);
  const auto s = m.stats();
  EXPECT_EQ(s.B, 4);
  EXPECT_EQ(s.count, 20u);
  EXPECT_EQ(s.overflow_buckets, 2u);
  EXPECT_EQ(s.noverflow, 2);
  EXPECT_FALSE(s.growing);
  for (int i = 0; i < 20; ++i) EXPECT_EQ(m.get(i), i);
}

TEST(Stats, ClearResetsGrowthAndOverflow) {
  // mapclear (map.go): sameSizeGrow cleared, oldbuckets = nil, nevacuate = 0,
  // noverflow = 0, count = 0, overflow chains dropped; B is kept.
  auto m = gomap::make<int, int, IdentityHash, gomap::equal_to<int>>();
  for (int i = 0; i < 27; ++i) m.set(i, i);
  ASSERT_TRUE(m.stats().growing);  // see IncrementalGrowthMatchesGo
  m.clear();
  auto s = m.stats();
  EXPECT_FALSE(s.growing);
  EXPECT_FALSE(s.same_size_grow);
  EXPECT_EQ(s.nevacuate, 0u);
  EXPECT_EQ(s.count, 0u);
  EXPECT_EQ(s.B, 3);
  EXPECT_EQ(s.bucket_count, 8u);
  for (int i = 0; i < 27; ++i) EXPECT_FALSE(m.contains(i));

  auto c = gomap::make<int, int, ConstantHash, gomap::equal_to<int>>(64);
  for (int i = 0; i < 20; ++i) c.set(i, i);
  ASSERT_EQ(c.stats().overflow_buckets, 2u);
  c.clear();
  s = c.stats();
  EXPECT_EQ(s.overflow_buckets, 0u);
  EXPECT_EQ(s.noverflow, 0);
  EXPECT_EQ(s.B, 4);
  EXPECT_EQ(s.count, 0u);
  for (int i = 0; i < 20; ++i) c.set(i, i);  // reusable: the chain is rebuilt
  EXPECT_EQ(c.stats().overflow_buckets, 2u);
  for (int i = 0; i < 20; ++i) EXPECT_EQ(c.get(i), i);
}

}  // namespace
