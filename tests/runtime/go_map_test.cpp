// Ports of the semantic tests of Go's runtime/map_test.go (Go 1.19), one
// TEST per Go test function, named after it.  Go's assertions are kept; where
// Go reads runtime internals (MapBucketsCount, MapTombstoneCheck), gomap's
// stats() and read-only bucket visitor stand in.
#include <gtest/gtest.h>
#include <gomap/gomap.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "../common/engines.hpp"
#include "../common/test_scale.hpp"

namespace {

using gomap_test::make_map;
using gomap_test::map_t;

const double nan_v = std::numeric_limits<double>::quiet_NaN();
const double negzero = std::copysign(0.0, -1.0);
constexpr double hash_load = 6.5;  // runtime.HashLoad

GOMAP_TYPED_SUITE(GoMap);

// TestNegativeZero
TYPED_TEST(GoMap, NegativeZero) {
  auto m = make_map<TypeParam, double, bool>(0);
  m[+0.0] = true;
  m[negzero] = true;  // should overwrite +0 entry
  EXPECT_EQ(m.size(), 1u) << "length wrong";
  for (auto&& [k, v] : m) EXPECT_TRUE(std::signbit(k)) << "wrong sign";

  m = make_map<TypeParam, double, bool>(0);
  m[negzero] = true;
  m[+0.0] = true;  // should overwrite -0.0 entry
  EXPECT_EQ(m.size(), 1u) << "length wrong";
  for (auto&& [k, v] : m) EXPECT_FALSE(std::signbit(k)) << "wrong sign";
}

// TestMapNanGrowIterator
TYPED_TEST(GoMap, NanGrowIterator) {
  auto m = make_map<TypeParam, double, int>();
  constexpr int n_buckets = 16;
  // To fill nBuckets buckets takes LOAD * nBuckets keys.
  const int n_keys = static_cast<int>(n_buckets * hash_load);
  // Get map to full point with nan keys.
  for (int i = 0; i < n_keys; i++) m[nan_v] = i;
  // Trigger grow
  m[1.0] = 1;
  m.erase(1.0);
  // Run iterator
  std::set<int> found;
  for (auto&& [k, v] : m) {
    if (v != -1) {
      ASSERT_FALSE(found.count(v)) << "repeat of value " << v;
      found.insert(v);
    }
    if (found.size() == static_cast<std::size_t>(n_keys / 2)) {
      // Halfway through iteration, finish grow.
      for (int i = 0; i < n_buckets; i++) m.erase(1.0);
    }
  }
  EXPECT_EQ(found.size(), static_cast<std::size_t>(n_keys)) << "missing value";
}

// TestNan ("nan assignment")
TYPED_TEST(GoMap, Nan) {
  auto m = make_map<TypeParam, double, int>(0);
  m[nan_v] = 1;
  m[nan_v] = 2;
  m[nan_v] = 4;
  EXPECT_EQ(m.size(), 3u) << "length wrong";
  int s = 0;
  for (auto&& [k, v] : m) {
    EXPECT_NE(k, k) << "nan disappeared";
    EXPECT_EQ(v & (v - 1), 0) << "value wrong";
    s |= v;
  }
  EXPECT_EQ(s, 7) << "values wrong";
  // make sure nan keys are not found
  EXPECT_FALSE(m.contains(nan_v));
  EXPECT_FALSE(m.lookup(nan_v).second);
}

// TestMapOperatorAssignment
TYPED_TEST(GoMap, OperatorAssignment) {
  auto m = make_map<TypeParam, int, int>();
  m[0] = 12345;
  m[0] += 67890;
  m[0] /= 123;
  m[0] %= 456;
  constexpr int want = (12345 + 67890) / 123 % 456;
  EXPECT_EQ(m.get(0), want);
}

// TestMapOperatorAssignmentString (Go's append-assignment, for strings)
TYPED_TEST(GoMap, OperatorAssignmentString) {
  auto m = make_map<TypeParam, int, std::string>();
  m[0] = "12345";
  m[0] += "67890";
  m[0] += "123";
  EXPECT_EQ(m.get(0), "1234567890123");
}

// TestMapOperatorAssignment on NaN keys: each op on a NaN key is a new entry.
TYPED_TEST(GoMap, NanOperatorAssignment) {
  auto m = make_map<TypeParam, double, int>();
  m[nan_v] += 1;
  m[nan_v] += 2;
  m[nan_v]++;
  EXPECT_EQ(m.size(), 3u);
  int sum = 0;
  for (auto&& [k, v] : m) sum += v;
  EXPECT_EQ(sum, 4);
}

// TestGrowWithNaN
TYPED_TEST(GoMap, GrowWithNaN) {
  auto m = make_map<TypeParam, double, int>(4);
  // Use both assignment and assignment operations as they may behave
  // differently.
  m[nan_v] = 1;
  m[nan_v] = 2;
  m[nan_v] += 4;
  int cnt = 0, s = 0;
  bool growflag = true;
  for (auto&& [k, v] : m) {
    const double kk = k;
    const int vv = v;
    if (growflag) {
      // force a hashtable resize
      for (int i = 0; i < 50; i++) m[static_cast<double>(i)] = i;
      for (int i = 50; i < 100; i++) m[static_cast<double>(i)] += i;
      growflag = false;
    }
    if (kk != kk) {
      cnt++;
      s |= vv;
    }
  }
  EXPECT_EQ(cnt, 3) << "NaN keys lost during grow";
  EXPECT_EQ(s, 7) << "NaN values lost during grow";
}

// TestGrowWithNegativeZero
TYPED_TEST(GoMap, GrowWithNegativeZero) {
  using FloatInt = std::pair<double, int>;
  auto m = make_map<TypeParam, FloatInt, int>(4);
  m[FloatInt{0.0, 0}] = 1;
  m[FloatInt{0.0, 1}] += 2;
  m[FloatInt{0.0, 2}] += 4;
  m[FloatInt{0.0, 3}] = 8;
  bool growflag = true;
  int s = 0, cnt = 0, negcnt = 0;
  // The first iteration should return the +0 key.  The subsequent
  // iterations should return the -0 key.
  for (auto&& [k, v] : m) {
    if (v == 0) continue;  // ignore entries added to grow table
    cnt++;
    if (std::signbit(k.first)) {
      EXPECT_NE(v & 16, 0) << "key/value not updated together 1";
      negcnt++;
      s |= v & 15;
    } else {
      EXPECT_EQ(v & 16, 0) << "key/value not updated together 2";
      s |= v;
    }
    if (growflag) {
      // force a hashtable resize
      for (int i = 0; i < 100; i++) m[FloatInt{3.0, i}] = 0;
      // then change all the entries to negative zero
      m[FloatInt{negzero, 0}] = 1 | 16;
      m[FloatInt{negzero, 1}] = 2 | 16;
      m[FloatInt{negzero, 2}] = 4 | 16;
      m[FloatInt{negzero, 3}] = 8 | 16;
      growflag = false;
    }
  }
  EXPECT_EQ(s, 15) << "entry missing";
  EXPECT_EQ(cnt, 4) << "wrong number of entries returned by iterator";
  EXPECT_EQ(negcnt, 3) << "update to negzero missed by iteration";
}

// TestIterGrowAndDelete
TYPED_TEST(GoMap, IterGrowAndDelete) {
  auto m = make_map<TypeParam, int, int>(4);
  for (int i = 0; i < 100; i++) m[i] = i;
  bool growflag = true;
  for (auto&& [k, v] : m) {
    const int key = k;
    if (growflag) {
      // grow the table
      for (int i = 100; i < 1000; i++) m[i] = i;
      // delete all odd keys
      for (int i = 1; i < 1000; i += 2) m.erase(i);
      growflag = false;
    } else {
      EXPECT_EQ(key & 1, 0) << "odd value returned";
    }
  }
}

// TestIterGrowWithGC: make sure an iterator keeps working through a grow
// (Go forces a GC mid-loop; here the old arrays must stay alive by refcount).
TYPED_TEST(GoMap, IterGrowWithGC) {
  auto m = make_map<TypeParam, int, int>(4);
  for (int i = 0; i < 8; i++) m[i] = i;
  for (int i = 8; i < 16; i++) m[i] += i;
  bool growflag = true;
  int bitmask = 0;
  for (auto&& [k, v] : m) {
    if (k < 16) bitmask |= 1 << k;
    if (growflag) {
      // grow the table
      for (int i = 100; i < 1000; i++) m[i] = i;
      growflag = false;
    }
  }
  EXPECT_EQ(bitmask, (1 << 16) - 1) << "missing key";
}

// TestBigItems
TYPED_TEST(GoMap, BigItems) {
  using Big = std::array<std::string, 256>;
  Big key;
  key.fill("foo");
  auto m = make_map<TypeParam, Big, Big>(4);
  for (int i = 0; i < 100; i++) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "string%02d", i);
    key[37] = buf;
    m[key] = key;
  }
  std::vector<std::string> keys, values;
  for (auto&& [k, v] : m) {
    keys.push_back(k[37]);
    values.push_back(v[37]);
  }
  std::sort(keys.begin(), keys.end());
  std::sort(values.begin(), values.end());
  ASSERT_EQ(keys.size(), 100u);
  for (int i = 0; i < 100; i++) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "string%02d", i);
    EXPECT_EQ(keys[i], buf) << "missing key";
    EXPECT_EQ(values[i], buf) << "missing value";
  }
}

// TestMapHugeZero (a value type far above 128 bytes, read as zero)
TYPED_TEST(GoMap, HugeZero) {
  using Huge = std::array<std::uint8_t, 4096>;
  auto m = make_map<TypeParam, int, Huge>();
  Huge z = m.get(0);
  EXPECT_TRUE(std::all_of(z.begin(), z.end(), [](std::uint8_t b) { return b == 0; }));
  auto [v, ok] = m.lookup(0);
  EXPECT_FALSE(ok);
  EXPECT_TRUE(std::all_of(v.begin(), v.end(), [](std::uint8_t b) { return b == 0; }));
}

struct EmptyT {
  bool operator==(const EmptyT&) const = default;
};
struct EmptyU {};
std::uint64_t gomap_hash(const EmptyT&, std::uint64_t seed) {
  return seed;
}

// TestEmptyKeyAndValue
TYPED_TEST(GoMap, EmptyKeyAndValue) {
  auto a = make_map<TypeParam, EmptyT, EmptyU>();
  a[EmptyT{}] = EmptyU{};
  a[EmptyT{}] = EmptyU{};
  EXPECT_EQ(a.size(), 1u) << "empty key returned wrong length";
  auto b = make_map<TypeParam, int, EmptyU>();
  for (int i = 0; i < 1000; i++) b[i] = EmptyU{};
  EXPECT_EQ(b.size(), 1000u);
  EXPECT_TRUE(b.contains(999));
}

template <class M>
void test_map_lookups(const M& m) {
  for (auto&& [k, v] : m) EXPECT_EQ(m.get(k), v) << "m[" << k << "]";
}

// TestSingleBucketMapStringKeys_DupLen: a map with a single bucket, with
// same-lengthed short keys ("quick keys") as well as long keys.
TYPED_TEST(GoMap, SingleBucketMapStringKeys_DupLen) {
  map_t<TypeParam, std::string, std::string> m{
      {"x", "x1val"},
      {"xx", "x2val"},
      {"foo", "fooval"},
      {"bar", "barval"},  // same key length as "foo"
      {"xxxx", "x4val"},
      {std::string(128, 'x'), "longval1"},
      {std::string(128, 'y'), "longval2"},
  };
  EXPECT_TRUE(gomap_test::single_group(m));
  test_map_lookups(m);
}

// TestSingleBucketMapStringKeys_NoDupLen
TYPED_TEST(GoMap, SingleBucketMapStringKeys_NoDupLen) {
  map_t<TypeParam, std::string, std::string> m{
      {"a", "a1val"},    {"bb", "b2val"},    {"ccc", "c3val"},
      {"dddd", "d4val"}, {"eeeee", "e5val"}, {std::string(128, 'x'), "longval"},
  };
  EXPECT_TRUE(gomap_test::single_group(m));
  test_map_lookups(m);
}

// map_faststr.go's one-bucket path: long keys agreeing in length and in
// their first and last 4 bytes are candidates; two candidates fall back to
// hashing.  Every lookup must agree with a plain model.
TYPED_TEST(GoMap, OneBucketStringKeysWithSharedEnds) {
  auto key = [](char mid, std::size_t len) {
    std::string k = "abcd" + std::string(len, '-') + "wxyz";
    k[4 + len / 2] = mid;
    return k;
  };
  auto m = make_map<TypeParam, std::string, int>();
  m[key('a', 40)] = 1;
  m[key('b', 40)] = 2;
  m[key('c', 41)] = 3;
  m[""] = 4;
  m["short"] = 5;
  m["abcdwxyz"] = 6;
  ASSERT_TRUE(gomap_test::single_group(m));
  EXPECT_EQ(m.get(key('a', 40)), 1);
  EXPECT_EQ(m.get(key('b', 40)), 2);
  EXPECT_EQ(m.get(key('c', 41)), 3);
  EXPECT_FALSE(m.contains(key('z', 40)));  // two candidates: hashed
  EXPECT_FALSE(m.contains(key('c', 40)));
  EXPECT_EQ(m.get(std::string_view("")), 4);
  EXPECT_EQ(m.get("short"), 5);
  EXPECT_EQ(m.get("abcdwxyz"), 6);
  m.erase(key('a', 40));  // leaves an emptyOne in front of later keys
  m.erase("short");
  EXPECT_FALSE(m.contains(key('a', 40)));
  EXPECT_EQ(m.get(key('b', 40)), 2);  // one candidate now
  EXPECT_EQ(m.get("abcdwxyz"), 6);
  EXPECT_FALSE(m.contains(key('z', 40)));
  // 1 MB keys differing only in the last byte (Go's MegMap).
  auto big = make_map<TypeParam, std::string, bool>();
  for (char c = 'A'; c <= 'G'; c++) big[std::string((1 << 20) - 1, 'X') + c] = true;
  EXPECT_FALSE(big.contains(std::string((1 << 20) - 1, 'X') + "k"));
  EXPECT_TRUE(big.contains(std::string((1 << 20) - 1, 'X') + "C"));
}

// TestMapIterOrder: iterating the same map produces at least two orders.
TYPED_TEST(GoMap, IterOrder) {
  for (int n : {3, 7, 9, 15}) {
    for (int i = 0; i < 1000; i++) {
      // Make m be {0: true, 1: true, ..., n-1: true}.
      auto m = make_map<TypeParam, int, bool>();
      for (int j = 0; j < n; j++) m[j] = true;
      auto ord = [&] {
        std::vector<int> s;
        for (auto&& [k, v] : m) s.push_back(k);
        return s;
      };
      const auto first = ord();
      bool ok = false;
      for (int t = 0; t < 100; t++) {
        if (first != ord()) {
          ok = true;
          break;
        }
      }
      ASSERT_TRUE(ok) << "Map with n=" << n << " elements had consistent iteration order";
    }
  }
}

// TestMapSparseIterOrder (Go issue 8410)
TYPED_TEST(GoMap, SparseIterOrder) {
  for (int round = 0; round < 10; round++) {
    auto m = make_map<TypeParam, int, bool>();
    // Add 1000 items, remove 980.
    for (int i = 0; i < 1000; i++) m[i] = true;
    for (int i = 20; i < 1000; i++) m.erase(i);
    std::vector<int> first;
    for (auto&& [k, v] : m) first.push_back(k);
    // 800 chances to get a different iteration order.
    bool changed = false;
    for (int n = 0; n < 800 && !changed; n++) {
      std::size_t idx = 0;
      for (auto&& [k, v] : m) {
        if (k != first[idx]) {
          changed = true;
          break;
        }
        idx++;
      }
    }
    ASSERT_TRUE(changed) << "constant iteration order on round " << round;
  }
}

// TestMapStringBytesLookup (allocation-free lookups are in alloc_test.cpp)
TYPED_TEST(GoMap, StringBytesLookup) {
  map_t<TypeParam, std::string, int> m{
      {"1000000000000000000000000000000000000000000000000", 1},
      {"2000000000000000000000000000000000000000000000000", 2},
  };
  std::string buf = "1000000000000000000000000000000000000000000000000";
  EXPECT_EQ(m.get(std::string_view(buf)), 1);
  buf[0] = '2';
  EXPECT_EQ(m.get(std::string_view(buf)), 2);
  auto [y, ok] = m.lookup(std::string_view(buf));
  EXPECT_TRUE(ok);
  EXPECT_EQ(y, 2);
}

// TestMapLargeKeyNoPointer: keys above 128 bytes live indirectly.
TYPED_TEST(GoMap, LargeKeyNoPointer) {
  constexpr int I = 1000, N = 64;
  using T = std::array<std::int64_t, N>;
  auto m = make_map<TypeParam, T, int>();
  for (int i = 0; i < I; i++) {
    T v;
    for (int j = 0; j < N; j++) v[j] = i + j;
    m[v] = i;
  }
  for (int i = 0; i < I; i++) {
    T v;
    for (int j = 0; j < N; j++) v[j] = i + j;
    ASSERT_EQ(m.get(v), i) << "corrupted map";
  }
}

// TestMapLargeValNoPointer
TYPED_TEST(GoMap, LargeValNoPointer) {
  constexpr int I = 1000, N = 64;
  using T = std::array<std::int64_t, N>;
  auto m = make_map<TypeParam, int, T>();
  for (int i = 0; i < I; i++) {
    T v;
    for (int j = 0; j < N; j++) v[j] = i + j;
    m[i] = v;
  }
  for (int i = 0; i < I; i++) {
    T v;
    for (int j = 0; j < N; j++) v[j] = i + j;
    T v1 = m.get(i);
    ASSERT_EQ(v, v1) << "corrupted map";
  }
}

// TestIgnoreBogusMapHint
TYPED_TEST(GoMap, IgnoreBogusMapHint) {
  for (std::int64_t hint : {std::int64_t{-1}, std::int64_t{-1} << 62, std::int64_t{1} << 62,
                            std::numeric_limits<std::int64_t>::max()}) {
    auto m = make_map<TypeParam, int, int>(hint);
    // Go: makemap falls back to the smallest map; NewMap returns an empty
    // (small) map for a hint that overflows or exceeds maxAlloc.
    EXPECT_TRUE(gomap_test::single_group(m)) << hint;
    m[1] = 1;
    EXPECT_EQ(m.get(1), 1);
  }
}

// TestMapBuckets: the number of buckets for a given hint and size.
struct BucketCase {
  int n;       // number of map elements
  int escape;  // number of expected buckets
};
constexpr BucketCase map_bucket_tests[] = {
    {-(1 << 30), 1}, {-1, 1}, {0, 1}, {1, 1}, {8, 1}, {9, 2}, {13, 2}, {14, 4}, {26, 4},
};

TEST(GoMapClassic, MapBuckets) {
  // nohint: make(map[int]int) then insert n
  for (const auto& tt : map_bucket_tests) {
    auto m = gomap::make<int, int>();
    for (int i = 0; i < tt.n; i++) m[i] = i;
    EXPECT_EQ(m.stats().bucket_count, static_cast<std::uint64_t>(tt.escape)) << "nohint n=" << tt.n;
  }
  // makemap: make(map[int]int, n) then insert n
  for (const auto& tt : map_bucket_tests) {
    auto m = gomap::make<int, int>(tt.n);
    EXPECT_EQ(m.stats().bucket_count, static_cast<std::uint64_t>(tt.escape)) << "hint n=" << tt.n;
    for (int i = 0; i < tt.n; i++) m[i] = i;
    EXPECT_EQ(m.stats().bucket_count, static_cast<std::uint64_t>(tt.escape))
        << "makemap n=" << tt.n;
  }
  // makemap64
  for (const auto& tt : map_bucket_tests) {
    auto m = gomap::make<int, int>(static_cast<std::int64_t>(tt.n));
    for (int i = 0; i < tt.n; i++) m[i] = i;
    EXPECT_EQ(m.stats().bucket_count, static_cast<std::uint64_t>(tt.escape))
        << "makemap64 n=" << tt.n;
  }
}

// Beyond Go's table: B for large hints follows overLoadFactor exactly.
TEST(GoMapClassic, HintToB) {
  auto b_for = [](std::int64_t hint) {
    return static_cast<int>(gomap::make<int, int>(hint).stats().B);
  };
  EXPECT_EQ(b_for(8), 0);
  EXPECT_EQ(b_for(9), 1);
  EXPECT_EQ(b_for(13), 1);
  EXPECT_EQ(b_for(14), 2);
  EXPECT_EQ(b_for(52), 3);  // 6.5 * 8 = 52 fit in 8 buckets
  EXPECT_EQ(b_for(53), 4);
  EXPECT_EQ(b_for(1 << 20), 18);
}

// TestIncrementAfterDeleteValueInt / Int32 / Int64 / KeyStringValueInt /
// KeyValueString / BulkClear
template <class TypeParam, class V>
void increment_after_delete() {
  constexpr int key1 = 12, key2 = 13;
  auto m = make_map<TypeParam, int, V>();
  m[key1] = 99;
  m.erase(key1);
  m[key2]++;
  EXPECT_EQ(m.get(key2), V{1}) << "incremented 0 to " << m.get(key2);
}
TYPED_TEST(GoMap, IncrementAfterDeleteValueInt) {
  increment_after_delete<TypeParam, int>();
}
TYPED_TEST(GoMap, IncrementAfterDeleteValueInt32) {
  increment_after_delete<TypeParam, std::int32_t>();
}
TYPED_TEST(GoMap, IncrementAfterDeleteValueInt64) {
  increment_after_delete<TypeParam, std::int64_t>();
}

TYPED_TEST(GoMap, IncrementAfterDeleteKeyStringValueInt) {
  const std::string key1 = "aaa", key2 = "bbb";
  auto m = make_map<TypeParam, std::string, int>();
  m[key1] = 99;
  m.erase(key1);
  m[key2] += 1;
  EXPECT_EQ(m.get(key2), 1);
}

TYPED_TEST(GoMap, IncrementAfterDeleteKeyValueString) {
  const std::string key1 = "aaa", key2 = "bbb";
  auto m = make_map<TypeParam, std::string, std::string>();
  m[key1] = "99";
  m.erase(key1);
  m[key2] += "1";
  EXPECT_EQ(m.get(key2), "1");
}

TYPED_TEST(GoMap, IncrementAfterBulkClearKeyStringValueInt) {
  const std::string key1 = "", key2 = "x";
  auto m = make_map<TypeParam, std::string, int>();
  m[key1] = 99;
  for (auto&& [k, v] : m) m.erase(k);
  m[key2]++;
  EXPECT_EQ(m.get(key1), 0);
  EXPECT_EQ(m.get(key2), 1);
}

// MapTombstoneCheck (export_test.go): in each chain, filled and emptyOne
// cells, followed only by emptyRest cells; the last non-emptyRest cell is
// never emptyOne.
template <class V>
void map_tombstone_check(const gomap::Map<int, V>& m) {
  std::vector<std::vector<std::uint8_t>> chains;  // current array, by bucket
  m.visit_buckets([&](const gomap::BucketView& b) {
    if (b.old) return;
    if (b.chain_pos == 0) chains.emplace_back();
    chains.back().insert(chains.back().end(), b.tophash, b.tophash + 8);
  });
  for (const auto& c : chains) {
    std::size_t n = 0;
    for (auto t : c)
      if (t != gomap::runtime::empty_rest) n++;
    for (std::size_t k = 0; k < c.size(); k++) {
      if (k < n) {
        ASSERT_NE(c[k], gomap::runtime::empty_rest) << "early emptyRest";
      } else {
        ASSERT_EQ(c[k], gomap::runtime::empty_rest) << "late non-emptyRest";
      }
      if (n > 0 && k == n - 1) {
        ASSERT_NE(c[k], gomap::runtime::empty_one) << "last non-emptyRest entry is emptyOne";
      }
    }
  }
}

// Tombstones, per engine: the classic chains (MapTombstoneCheck above); the
// Swiss engine's checkInvariants (table_debug.go) counts each table's
// tombstones and growthLeft.
template <class M>
void tombstone_check(const M& m) {
  if constexpr (requires { m.stats().B; }) map_tombstone_check(m);
  ASSERT_EQ(gomap::runtime::map_access::check_invariants(m), "");
}

// TestMapTombstones
TYPED_TEST(GoMap, Tombstones) {
  auto m = make_map<TypeParam, int, int>();
  constexpr int N = 10000;
  // Fill a map.
  for (int i = 0; i < N; i++) m[i] = i;
  tombstone_check(m);
  // Delete half of the entries.
  for (int i = 0; i < N; i += 2) m.erase(i);
  tombstone_check(m);
  // Add new entries to fill in holes.
  for (int i = N; i < 3 * N / 2; i++) m[i] = i;
  tombstone_check(m);
  // Delete everything.
  for (int i = 0; i < 3 * N / 2; i++) m.erase(i);
  tombstone_check(m);
  EXPECT_EQ(m.size(), 0u);
}

// Same-size growth: delete/insert churn without net growth piles up
// overflow buckets until tooManyOverflowBuckets triggers a lateral grow.
TEST(GoMapClassic, SameSizeGrowFromChurn) {
  auto m = gomap::make<std::uint64_t, std::uint64_t>();
  for (std::uint64_t i = 0; i < 100; i++) m[i] = i;
  const auto b0 = m.stats().B;
  bool saw_same_size = false;
  std::uint64_t next = 100;
  for (int round = 0; round < 200000 && !saw_same_size; round++) {
    m.erase(next - 100);
    m[next] = next;
    next++;
    auto s = m.stats();
    if (s.growing && s.same_size_grow) saw_same_size = true;
  }
  EXPECT_TRUE(saw_same_size);
  EXPECT_EQ(m.stats().B, b0);
  EXPECT_EQ(m.size(), 100u);
  for (std::uint64_t k = next - 100; k < next; k++) ASSERT_EQ(m.get(k), k);
  EXPECT_EQ(gomap::runtime::map_access::check_invariants(m), "");
}

}  // namespace

namespace {
// m["a"] == 1 compiles and compares for any V comparable with the operand.
TYPED_TEST(GoMap, ProxyComparesWithConvertibleOperands) {
  auto m = make_map<TypeParam, std::string, std::int64_t>();
  m["a"] = 1;
  EXPECT_TRUE(m["a"] == 1);
  EXPECT_TRUE(1 == m["a"]);
  EXPECT_FALSE(m["b"] == 1);
  EXPECT_TRUE(m["b"] != 1);
}
// ---------------------------------------------------------------------------
// Tests Go 1.26's runtime/map_test.go added since Go 1.19 (its TestNan became
// TestMapAssignmentNan: GoMap.Nan above).  Not ported: the ones about Go's
// compiler or internals (TestNonEscapingMap, TestHmapSize, TestGroupSizeZero,
// TestMemHashGlobalSeed, TestConcurrentReadsAfterGrowthReflect) and the
// interface-keyed ones (TestMapInterfaceKey, TestEmptyMapWithInterfaceKey,
// TestDeferDeleteSlow: map[any]), which C++ has no counterpart for.

// testMapNan: three NaN entries with values 1, 2, 4, none findable.
template <class M>
void expect_three_nans(const M& m) {
  EXPECT_EQ(m.size(), 3u) << "length wrong";
  int s = 0;
  for (auto&& [k, v] : m) {
    EXPECT_TRUE(std::isnan(k)) << "nan disappeared";
    EXPECT_EQ(v & (v - 1), 0) << "value wrong";
    s |= v;
  }
  EXPECT_EQ(s, 7) << "values wrong";
}

// TestMapOperatorAssignmentNan
TYPED_TEST(GoMap, MapOperatorAssignmentNan) {
  auto m = make_map<TypeParam, double, int>(0);
  m[nan_v] += 1;
  m[nan_v] += 2;
  m[nan_v] += 4;
  expect_three_nans(m);
}

// TestMapAppendAssignment (std::vector is C++'s slice)
TYPED_TEST(GoMap, MapAppendAssignment) {
  auto m = make_map<TypeParam, int, std::vector<int>>(0);
  m[0] = std::vector<int>{};
  m[0] = [&] {
    auto v = m.get(0);
    v.push_back(12345);
    return v;
  }();
  m.find(0)->push_back(67890);
  for (int x : {123, 456}) m.find(0)->push_back(x);
  const std::vector<int> a{7, 8, 9, 0};
  m.find(0)->insert(m.find(0)->end(), a.begin(), a.end());
  EXPECT_EQ(m.get(0), (std::vector<int>{12345, 67890, 123, 456, 7, 8, 9, 0}));
}

// TestAlias: a copied map value is the same map.
TYPED_TEST(GoMap, Alias) {
  auto m = make_map<TypeParam, int, int>(0);
  m[0] = 5;
  // NOLINTNEXTLINE(performance-unnecessary-copy-initialization): the copy is the point
  auto n = m;
  n[0] = 6;
  EXPECT_EQ(m.get(0), 6) << "alias didn't work";
}

// TestMapIterDuplicate: 1000 keys in, 980 deleted; a loop sees exactly the
// 20 left, once each (several rounds: one is not enough).
TYPED_TEST(GoMap, MapIterDuplicate) {
  for (int round = 0; round < static_cast<int>(gomap_test::scaled(1000, 100)); ++round) {
    auto m = make_map<TypeParam, int, bool>();
    for (int i = 0; i < 1000; i++) m[i] = true;
    for (int i = 20; i < 1000; i++) m.erase(i);
    std::vector<int> got;
    for (auto&& [k, v] : m) got.push_back(k);
    std::sort(got.begin(), got.end());
    std::vector<int> want(20);
    for (int i = 0; i < 20; i++) want[i] = i;
    ASSERT_EQ(got, want) << "round " << round;
  }
}

// TestMapIterDeleteReplace: deleting and re-inserting every key during a loop
// leaves every entry replaced (sizes 0..9999, step 100 as in -short; fewer
// sizes under the sanitizers).
TYPED_TEST(GoMap, MapIterDeleteReplace) {
  const int step = 10000 / static_cast<int>(gomap_test::scaled(100, 10));
  for (int i = 0; i < 10000; i += step) {
    auto m = make_map<TypeParam, int, bool>();
    for (int j = 0; j < i; j++) m[j] = false;
    for (auto&& [k, v] : m) {
      const int key = k;
      m.erase(key);
      m[key] = true;
    }
    for (auto&& [k, v] : m) EXPECT_TRUE(v) << "size " << i << ": m[" << k << "] got false";
  }
}

// ---------------------------------------------------------------------------
// The semantic tests of Go 1.26's internal/runtime/maps/map_test.go, on both
// engines (its layout tests are in swiss_layout_test.cpp).  Go drives its
// Map type directly (Put, Get, Delete, Iter); the handle's set, find, erase
// and range-for are the same operations.

GOMAP_TYPED_SUITE(GoMaps);

// 31 keys 1..31 with elems 257..287, into a map made with `hint`.
template <class Engine>
auto put_31(std::int64_t hint) {
  auto m = make_map<Engine, std::uint32_t, std::uint64_t>(hint);
  for (std::uint32_t key = 1; key <= 31; ++key) m.set(key, 256 + key);
  return m;
}

// TestMapPut
TYPED_TEST(GoMaps, MapPut) {
  auto m = put_31<TypeParam>(8);
  EXPECT_EQ(m.size(), 31u);
  for (std::uint32_t key = 1; key <= 31; ++key) {
    const std::uint64_t* got = m.find(key);
    ASSERT_NE(got, nullptr) << "Get(" << key << ") got ok false want true";
    EXPECT_EQ(*got, 256u + key);
  }
}

// TestMapDelete (a hint of 32: grown enough to cause a table split in Go's
// test build, whose tables are small)
TYPED_TEST(GoMaps, MapDelete) {
  auto m = put_31<TypeParam>(32);
  for (std::uint32_t key = 1; key <= 31; ++key) m.erase(key);
  EXPECT_EQ(m.size(), 0u);
  for (std::uint32_t key = 1; key <= 31; ++key)
    EXPECT_FALSE(m.contains(key)) << "Get(" << key << ") got ok true want false";
}

// TestTableClear
TYPED_TEST(GoMaps, TableClear) {
  auto m = put_31<TypeParam>(32);
  m.clear();
  EXPECT_EQ(m.size(), 0u);
  for (std::uint32_t key = 1; key <= 31; ++key)
    EXPECT_FALSE(m.contains(key)) << "Get(" << key << ") got ok true want false";
}

// TestTableKeyUpdate: +0.0 and -0.0 compare equal, but overwriting must still
// update the key slot.
TYPED_TEST(GoMaps, TableKeyUpdate) {
  auto m = make_map<TypeParam, double, std::uint64_t>(8);
  m.set(0.0, 0);
  m.set(negzero, 1);
  EXPECT_EQ(m.size(), 1u);
  auto it = m.begin();
  ASSERT_NE(it, m.end());
  const auto& [key, elem] = *it;
  EXPECT_TRUE(std::signbit(key)) << "map key " << key << " has positive sign";
  EXPECT_EQ(elem, 1u);
}

// TestTableIteration
TYPED_TEST(GoMaps, TableIteration) {
  auto m = put_31<TypeParam>(8);
  std::map<std::uint32_t, std::uint64_t> got;
  for (auto&& [k, v] : m) got[k] = v;
  EXPECT_EQ(got.size(), 31u);
  for (std::uint32_t key = 1; key <= 31; ++key) {
    auto g = got.find(key);
    ASSERT_NE(g, got.end()) << "Iteration missing key " << key;
    EXPECT_EQ(g->second, 256u + key);
  }
}

// Go's TestTableIteration(Grow)Delete: a loop over put_31's map that, at its
// first entry, calls grow(m) and deletes one original key (1, or 2 if 1 was
// that entry).  Every original key but the deleted one must be produced, with
// its elem; with no_new_keys, nothing else either.
template <class Engine, class Grow>
void iterate_deleting_one(Grow grow, bool no_new_keys) {
  auto m = put_31<Engine>(8);
  std::map<std::uint32_t, std::uint64_t> got;
  bool first = true;
  std::uint32_t deleted = 1;
  for (auto&& [k, v] : m) {
    got[k] = v;
    if (first) {
      first = false;
      // If the key we intended to delete was the one we just saw, pick
      // another to delete.
      if (k == deleted) ++deleted;
      grow(m);
      m.erase(deleted);
    }
  }
  if (no_new_keys) {
    EXPECT_EQ(got.size(), 30u);
  }
  for (std::uint32_t key = 1; key <= 31; ++key) {
    const bool want = key != deleted;
    auto g = got.find(key);
    ASSERT_EQ(g != got.end(), want) << "Iteration key " << key;
    if (want) {
      EXPECT_EQ(g->second, 256u + key);
    }
  }
}

// TestTableIterationDelete: deleted keys are not visible in iteration.
TYPED_TEST(GoMaps, TableIterationDelete) {
  iterate_deleting_one<TypeParam>([](auto&) {}, true);
}

// TestTableIterationGrowDelete: deleted keys are not visible in iteration
// even after a grow (the number of new keys seen is unspecified).
TYPED_TEST(GoMaps, TableIterationGrowDelete) {
  iterate_deleting_one<TypeParam>(
      [](auto& m) {
        // Double the number of elements to force a grow; the key is then
        // deleted from the grown map.
        for (std::uint32_t key = 33; key <= 63; ++key) m.set(key, 256 + key);
      },
      false);
}

// TestTableIterationGrowDuplicate: a grow halfway through iteration does not
// make a key appear twice, with a small grow (one table grows) and a large
// one (2 * maxTableCapacity new keys: tables split).
TYPED_TEST(GoMaps, TableIterationGrowDuplicate) {
  for (const std::uint32_t grow : {32u, 2u * 1024u}) {
    SCOPED_TRACE("grow " + std::to_string(grow));
    auto m = put_31<TypeParam>(8);
    std::set<std::uint32_t> seen;
    int i = 0;
    for (auto&& [k, v] : m) {
      EXPECT_EQ(v, 256u + k) << "iteration got key " << k;
      EXPECT_TRUE(seen.insert(k).second) << "iteration got key " << k << " more than once";
      if (i++ == 16)
        for (std::uint32_t key = 33; key < 33 + grow; ++key) m.set(key, 256 + key);
    }
  }
}

// TestMapZeroSizeSlot: a map whose key and elem are empty is safe to use
// (Go: map[struct{}]struct{}; C++: std::tuple<> for both).
TYPED_TEST(GoMaps, MapZeroSizeSlot) {
  auto m = make_map<TypeParam, std::tuple<>, std::tuple<>>(16);
  m.set(std::tuple<>{}, std::tuple<>{});
  EXPECT_EQ(m.size(), 1u);
  EXPECT_NE(m.find(std::tuple<>{}), nullptr) << "Get({}) got ok false want true";
  m.set(std::tuple<>{}, std::tuple<>{});
  EXPECT_EQ(m.size(), 1u);
  m.erase(std::tuple<>{});
  EXPECT_EQ(m.size(), 0u);
}

// TestMapIndirect: keys and elems too big for a slot (Go stores them
// indirectly above 128 bytes; so does gomap's slot policy).
TYPED_TEST(GoMaps, MapIndirect) {
  using big = std::array<std::uint8_t, 256>;
  auto m = make_map<TypeParam, big, big>(8);
  big key{}, elem{};
  elem[0] = 128;
  for (int i = 0; i < 31; ++i) {
    ++key[0];
    ++elem[0];
    m.set(key, elem);
  }
  EXPECT_EQ(m.size(), 31u);
  key = big{};
  elem = big{};
  elem[0] = 128;
  for (int i = 0; i < 31; ++i) {
    ++key[0];
    ++elem[0];
    const big* got = m.find(key);
    ASSERT_NE(got, nullptr) << "Get(" << int(key[0]) << ") got ok false want true";
    EXPECT_EQ(*got, elem);
  }
}

// TestMapDeleteClear (go.dev/issue/25936): Delete clears the element.  Go
// checks that the slot reads zero afterwards, so the GC no longer sees what
// it pointed to; in C++ the element is destroyed by the erase itself.
TYPED_TEST(GoMaps, MapDeleteClear) {
  auto alive = std::make_shared<int>(128);
  auto m = make_map<TypeParam, std::int64_t, std::shared_ptr<int>>(8);
  m.set(0, alive);
  ASSERT_NE(m.find(0), nullptr);
  EXPECT_EQ(**m.find(0), 128);
  EXPECT_EQ(alive.use_count(), 2);
  m.erase(0);
  EXPECT_EQ(alive.use_count(), 1) << "Delete(0) failed to clear the element";
}

}  // namespace
