// docs/api.md: <gomap/maps.hpp>, Go's `maps` package (Go 1.21) for gomap::Map.
// Go 1.19 has no `maps` package; the Go snippets quoted below spell out the
// loops that Go 1.21's maps functions are defined as.
#include <gtest/gtest.h>
#include <gomap/maps.hpp>
#include <gomap/panic.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>
#include "../common/engines.hpp"
#include "../common/helpers.hpp"

namespace {

template <class E>
using IntMap = gomap_test::map_t<E, int, int>;
using gomap_test::make_map;
using gomap_test::map_t;
double nan() {
  return std::numeric_limits<double>::quiet_NaN();
}

using gomap_test::panic_message;

// ------------------------------------------------------------------- clone

GOMAP_TYPED_SUITE(Clone);
GOMAP_TYPED_SUITE(Copy);
GOMAP_TYPED_SUITE(Equal);
GOMAP_TYPED_SUITE(EqualFunc);
GOMAP_TYPED_SUITE(DeleteFunc);
GOMAP_TYPED_SUITE(KeysValues);
GOMAP_TYPED_SUITE(SortedKeys);

TYPED_TEST(Clone, NilStaysNil) {
  // maps.Clone(nil) == nil
  IntMap<TypeParam> n;
  auto c = gomap::maps::clone(n);
  EXPECT_TRUE(c.is_nil());
}

TYPED_TEST(Clone, EmptyIsNonNil) {
  auto e = make_map<TypeParam, int, int>();
  auto c = gomap::maps::clone(e);
  EXPECT_FALSE(c.is_nil());
  EXPECT_FALSE(c == e);
  c.set(1, 1);  // usable
  EXPECT_EQ(e.size(), 0u);
}

TYPED_TEST(Clone, IndependentCopy) {
  auto m = make_map<TypeParam, int, std::string>();
  for (int i = 0; i < 500; ++i) m.set(i, std::to_string(i));
  auto c = gomap::maps::clone(m);
  EXPECT_FALSE(c == m);  // a different map, not another handle
  EXPECT_EQ(c.size(), 500u);
  for (int i = 0; i < 500; ++i) EXPECT_EQ(c.get(i), std::to_string(i));
  c.set(1, "changed");
  c.erase(2);
  c.set(1000, "new");
  EXPECT_EQ(m.get(1), "1");
  EXPECT_TRUE(m.contains(2));
  EXPECT_FALSE(m.contains(1000));
  m.set(3, "orig-changed");
  EXPECT_EQ(c.get(3), "3");
  EXPECT_TRUE(gomap::maps::equal(gomap::maps::clone(m), m));
}

TYPED_TEST(Clone, KeepsNaNKeys) {
  // maps.Clone copies every entry, NaN keys included (runtime.mapclone).
  auto m = make_map<TypeParam, double, int>();
  m.set(nan(), 1);
  m.set(nan(), 2);
  m.set(1.5, 3);
  auto c = gomap::maps::clone(m);
  EXPECT_EQ(c.size(), 3u);
  int nans = 0, sum = 0;
  for (auto&& [k, v] : c) {
    if (std::isnan(k)) ++nans;
    sum += v;
  }
  EXPECT_EQ(nans, 2);
  EXPECT_EQ(sum, 6);
}

TYPED_TEST(Clone, KeepsMinusZeroKey) {
  auto m = make_map<TypeParam, double, int>();
  m.set(-0.0, 1);
  auto c = gomap::maps::clone(m);
  ASSERT_EQ(c.size(), 1u);
  for (auto&& [k, v] : c) {
    EXPECT_TRUE(std::signbit(k));
    EXPECT_EQ(v, 1);
  }
}

// -------------------------------------------------------------------- copy

TYPED_TEST(Copy, OverwritesAndAdds) {
  // func Copy(dst, src) { for k, v := range src { dst[k] = v } }
  IntMap<TypeParam> dst{{1, 1}, {2, 2}};
  IntMap<TypeParam> src{{2, 20}, {3, 30}};
  gomap::maps::copy(dst, src);
  EXPECT_EQ(dst.size(), 3u);
  EXPECT_EQ(dst.get(1), 1);
  EXPECT_EQ(dst.get(2), 20);
  EXPECT_EQ(dst.get(3), 30);
  EXPECT_EQ(src.size(), 2u);
}

TYPED_TEST(Copy, IntoNilPanicsUnlessSrcEmpty) {
  // var dst map[int]int; for k, v := range map[int]int{} { dst[k] = v }
  // fmt.Println(dst == nil) -> true (no panic)
  IntMap<TypeParam> dst;
  EXPECT_NO_THROW(gomap::maps::copy(dst, make_map<TypeParam, int, int>()));
  EXPECT_NO_THROW(gomap::maps::copy(dst, IntMap<TypeParam>()));
  EXPECT_TRUE(dst.is_nil());
  // ... with a non-empty src: panic: assignment to entry in nil map
  IntMap<TypeParam> src{{1, 1}};
  EXPECT_EQ(panic_message([&] { gomap::maps::copy(dst, src); }), "assignment to entry in nil map");
}

TYPED_TEST(Copy, FromNilIsNoOp) {
  IntMap<TypeParam> dst{{1, 1}};
  gomap::maps::copy(dst, IntMap<TypeParam>());
  EXPECT_EQ(dst.size(), 1u);
}

// A hasher and an equality with state: keys equal modulo `mod` (0: exact).
struct ModHash {
  int mod = 0;
  std::uint64_t operator()(const int& k, std::uint64_t seed) const {
    return gomap::hash<int>{}(mod ? k % mod : k, seed);
  }
};
struct ModEq {
  int mod = 0;
  bool operator()(const int& a, const int& b) const { return mod ? a % mod == b % mod : a == b; }
};

TYPED_TEST(Clone, KeepsHashAndEqObjects) {
  // A clone is the same map by value: it must look keys up the way m does.
  auto m = make_map<TypeParam, int, int, ModHash, ModEq>(0, ModHash{10}, ModEq{10});
  m.set(1, 100);
  ASSERT_EQ(m.get(11), 100);
  auto c = gomap::maps::clone(m);
  EXPECT_EQ(c.get(11), 100);
  c.set(21, 7);  // same key as 1 under ModEq{10}
  EXPECT_EQ(c.size(), 1u);
  EXPECT_TRUE(gomap::maps::equal(m, gomap::maps::clone(m)));
}

TYPED_TEST(Copy, IntoItself) {
  // maps.Copy(m, m): every dst[k] = v overwrites k with its own value.
  auto m = make_map<TypeParam, int, std::string>();
  for (int i = 0; i < 200; ++i) m.set(i, std::string(50, static_cast<char>('a' + i % 26)));
  gomap::maps::copy(m, m);
  EXPECT_EQ(m.size(), 200u);
  for (int i = 0; i < 200; ++i)
    EXPECT_EQ(m.get(i), std::string(50, static_cast<char>('a' + i % 26)));
}

// ------------------------------------------------------------------- equal

TYPED_TEST(Equal, ComparesContents) {
  IntMap<TypeParam> a{{1, 1}, {2, 2}};
  IntMap<TypeParam> b{{2, 2}, {1, 1}};
  EXPECT_TRUE(gomap::maps::equal(a, b));
  EXPECT_TRUE(gomap::maps::equal(a, a));
  b.set(2, 3);
  EXPECT_FALSE(gomap::maps::equal(a, b));
  b.set(2, 2);
  b.set(3, 3);
  EXPECT_FALSE(gomap::maps::equal(a, b));
  EXPECT_FALSE(gomap::maps::equal(b, a));
  b.erase(3);
  b.erase(1);
  b.set(4, 1);  // same size, different keys
  EXPECT_FALSE(gomap::maps::equal(a, b));
}

TYPED_TEST(Equal, NilEqualsEmpty) {
  // maps.Equal(nil, map[int]int{}) == true: len 0 both, no keys to compare.
  EXPECT_TRUE(gomap::maps::equal(IntMap<TypeParam>(), make_map<TypeParam, int, int>()));
  EXPECT_TRUE(gomap::maps::equal(make_map<TypeParam, int, int>(), IntMap<TypeParam>()));
  EXPECT_TRUE(gomap::maps::equal(IntMap<TypeParam>(), IntMap<TypeParam>()));
  EXPECT_FALSE(gomap::maps::equal(IntMap<TypeParam>(), IntMap<TypeParam>{{1, 1}}));
}

TYPED_TEST(Equal, NaNKeysMakeItFalse) {
  // m := map[float64]int{math.NaN(): 1}; maps.Equal(m, m) == false:
  // m2[k] never finds a NaN key.
  auto m = make_map<TypeParam, double, int>();
  m.set(nan(), 1);
  EXPECT_FALSE(gomap::maps::equal(m, m));
  EXPECT_FALSE(gomap::maps::equal(m, gomap::maps::clone(m)));
}

TYPED_TEST(Equal, NaNValuesAreUnequal) {
  // v1 != v2 for NaN values: maps.Equal(map[int]float64{1: NaN}, same) == false
  auto m = make_map<TypeParam, int, double>();
  m.set(1, nan());
  EXPECT_FALSE(gomap::maps::equal(m, m));
}

TYPED_TEST(EqualFunc, DifferentValueTypes) {
  // maps.EqualFunc(map[int]int, map[int]string, func(v1 int, v2 string) bool)
  IntMap<TypeParam> a{{1, 1}, {2, 22}};
  map_t<TypeParam, int, std::string> b{{1, "1"}, {2, "22"}};
  auto eq = [](const int& x, const std::string& y) { return std::to_string(x) == y; };
  EXPECT_TRUE(gomap::maps::equal_func(a, b, eq));
  b.set(2, "23");
  EXPECT_FALSE(gomap::maps::equal_func(a, b, eq));
  b.set(2, "22");
  b.set(3, "3");
  EXPECT_FALSE(gomap::maps::equal_func(a, b, eq));
  EXPECT_TRUE(
      gomap::maps::equal_func(IntMap<TypeParam>(), map_t<TypeParam, int, std::string>(), eq));
}

TYPED_TEST(EqualFunc, CallsEqForEachKey) {
  IntMap<TypeParam> a{{1, 1}, {2, 2}, {3, 3}};
  IntMap<TypeParam> b{{1, 10}, {2, 20}, {3, 30}};
  int calls = 0;
  EXPECT_TRUE(gomap::maps::equal_func(a, b, [&](int x, int y) {
    ++calls;
    return x * 10 == y;
  }));
  EXPECT_EQ(calls, 3);
}

// ------------------------------------------------------------- delete_func

TYPED_TEST(DeleteFunc, DeletesMatching) {
  // func DeleteFunc(m, del) { for k, v := range m { if del(k, v) { delete(m, k) } } }
  auto m = make_map<TypeParam, int, int>();
  for (int i = 0; i < 1000; ++i) m.set(i, i * 2);
  gomap::maps::delete_func(m, [](const int& k, int& v) {
    EXPECT_EQ(v, k * 2);
    return k % 3 == 0;
  });
  EXPECT_EQ(m.size(), 666u);
  for (int i = 0; i < 1000; ++i) EXPECT_EQ(m.contains(i), i % 3 != 0) << i;
  gomap::maps::delete_func(m, [](const int&, const int&) { return true; });
  EXPECT_EQ(m.size(), 0u);
}

TYPED_TEST(DeleteFunc, NilIsNoOp) {
  IntMap<TypeParam> n;
  int calls = 0;
  gomap::maps::delete_func(n, [&](const int&, const int&) {
    ++calls;
    return true;
  });
  EXPECT_EQ(calls, 0);
  EXPECT_TRUE(n.is_nil());
}

TYPED_TEST(DeleteFunc, NaNKeysStay) {
  // n := map[float64]int{math.NaN(): 1}; for k := range n { delete(n, k) }
  // fmt.Println(len(n)) -> 1
  auto m = make_map<TypeParam, double, int>();
  m.set(nan(), 1);
  m.set(2.0, 2);
  gomap::maps::delete_func(m, [](const double&, const int&) { return true; });
  EXPECT_EQ(m.size(), 1u);
  EXPECT_FALSE(m.contains(2.0));
}

// ------------------------------------------------------ keys/values/sorted

TYPED_TEST(KeysValues, AllEntriesAnyOrder) {
  auto m = make_map<TypeParam, int, std::string>();
  for (int i = 0; i < 100; ++i) m.set(i, "v" + std::to_string(i));
  std::vector<int> k = gomap::maps::keys(m);
  std::vector<std::string> v = gomap::maps::values(m);
  ASSERT_EQ(k.size(), 100u);
  ASSERT_EQ(v.size(), 100u);
  std::sort(k.begin(), k.end());
  for (int i = 0; i < 100; ++i) EXPECT_EQ(k[i], i);
  std::sort(v.begin(), v.end());
  std::vector<std::string> want;
  want.reserve(100);
  for (int i = 0; i < 100; ++i) want.push_back("v" + std::to_string(i));
  std::sort(want.begin(), want.end());
  EXPECT_EQ(v, want);
  EXPECT_TRUE(gomap::maps::keys(IntMap<TypeParam>()).empty());
  EXPECT_TRUE(gomap::maps::values(IntMap<TypeParam>()).empty());
}

TYPED_TEST(KeysValues, NaNKeysIncluded) {
  auto m = make_map<TypeParam, double, int>();
  m.set(nan(), 1);
  m.set(nan(), 2);
  m.set(1.0, 3);
  const auto k = gomap::maps::keys(m);
  EXPECT_EQ(k.size(), 3u);
  EXPECT_EQ(std::count_if(k.begin(), k.end(), [](double x) { return std::isnan(x); }), 2);
  auto v = gomap::maps::values(m);
  std::sort(v.begin(), v.end());
  EXPECT_EQ(v, (std::vector<int>{1, 2, 3}));
}

TYPED_TEST(SortedKeys, Ints) {
  IntMap<TypeParam> m{{5, 0}, {-2, 0}, {9, 0}, {0, 0}};
  EXPECT_EQ(gomap::maps::sorted_keys(m), (std::vector<int>{-2, 0, 5, 9}));
  EXPECT_TRUE(gomap::maps::sorted_keys(IntMap<TypeParam>()).empty());
}

TYPED_TEST(SortedKeys, StringsBytewise) {
  map_t<TypeParam, std::string, int> m{{"b", 0}, {"a", 0},    {"B", 0},
                                       {"", 0},  {"\xff", 0}, {"aa", 0}};
  EXPECT_EQ(gomap::maps::sorted_keys(m),
            (std::vector<std::string>{"", "B", "a", "aa", "b", "\xff"}));
}

TYPED_TEST(SortedKeys, FloatsNaNFirst) {
  // fmt's order (docs/api.md): NaN first, then ascending; -Inf < ... < +Inf.
  auto m = make_map<TypeParam, double, int>();
  const double inf = std::numeric_limits<double>::infinity();
  for (double k : {3.0, -inf, nan(), 0.5, inf, -7.25, nan()}) m.set(k, 0);
  auto k = gomap::maps::sorted_keys(m);
  ASSERT_EQ(k.size(), 7u);
  EXPECT_TRUE(std::isnan(k[0]));
  EXPECT_TRUE(std::isnan(k[1]));
  EXPECT_EQ(std::vector<double>(k.begin() + 2, k.end()),
            (std::vector<double>{-inf, -7.25, 0.5, 3.0, inf}));
}

}  // namespace
