// docs/api.md "operator<< and gomap::to_string(m) print exactly as Go's
// fmt.Println does".  Every expected string is the output of the Go 1.19
// snippet quoted next to it (go run, /usr/lib/go-1.19/bin/go).
#include <gtest/gtest.h>
#include <gomap/map.hpp>

#include <array>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <sstream>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "../common/engines.hpp"

namespace {

using gomap_test::make_map;
using gomap_test::map_t;

template <class M>
std::string println(const M& m) {
  std::ostringstream os;
  os << m;
  const std::string s = os.str();
  EXPECT_EQ(s, gomap::to_string(m)) << "operator<< and to_string disagree";
  // NOLINTNEXTLINE(performance-no-automatic-move): copying is fine in a test
  return s;
}

constexpr double kInf = std::numeric_limits<double>::infinity();
double nan() {
  return std::numeric_limits<double>::quiet_NaN();
}

GOMAP_TYPED_SUITE(Fmt);

TYPED_TEST(Fmt, IntKeysAscending) {
  // fmt.Println(map[int]int{3: 30, -1: -10, 0: 0, 2: 20}) -> map[-1:-10 0:0 2:20 3:30]
  map_t<TypeParam, int, int> m{{3, 30}, {-1, -10}, {0, 0}, {2, 20}};
  EXPECT_EQ(println(m), "map[-1:-10 0:0 2:20 3:30]");
}

TYPED_TEST(Fmt, UintKeysAscending) {
  // fmt.Println(map[uint]uint{10: 1, 2: 2, 18446744073709551615: 3})
  // -> map[2:2 10:1 18446744073709551615:3]
  map_t<TypeParam, std::uint64_t, std::uint64_t> m{{10, 1}, {2, 2}, {18446744073709551615ull, 3}};
  EXPECT_EQ(println(m), "map[2:2 10:1 18446744073709551615:3]");
}

TYPED_TEST(Fmt, Int64Extremes) {
  // fmt.Println(map[int64]int{math.MinInt64: 1, math.MaxInt64: 2, 0: 3})
  // -> map[-9223372036854775808:1 0:3 9223372036854775807:2]
  map_t<TypeParam, std::int64_t, int> m{{std::numeric_limits<std::int64_t>::min(), 1},
                                        {std::numeric_limits<std::int64_t>::max(), 2},
                                        {0, 3}};
  EXPECT_EQ(println(m), "map[-9223372036854775808:1 0:3 9223372036854775807:2]");
}

TYPED_TEST(Fmt, SmallIntegersPrintAsNumbers) {
  // fmt.Println(map[int8]uint8{-3: 255, 4: 0}) -> map[-3:255 4:0]
  map_t<TypeParam, std::int8_t, std::uint8_t> m{{-3, 255}, {4, 0}};
  EXPECT_EQ(println(m), "map[-3:255 4:0]");
}

TYPED_TEST(Fmt, BoolKeysFalseFirst) {
  // fmt.Println(map[bool]int{true: 1, false: 0}) -> map[false:0 true:1]
  map_t<TypeParam, bool, int> m{{true, 1}, {false, 0}};
  EXPECT_EQ(println(m), "map[false:0 true:1]");
  // fmt.Println(map[bool]bool{true: false, false: true}) -> map[false:true true:false]
  map_t<TypeParam, bool, bool> b{{true, false}, {false, true}};
  EXPECT_EQ(println(b), "map[false:true true:false]");
  // fmt.Println(map[int]bool{1: true, 0: false}) -> map[0:false 1:true]
  map_t<TypeParam, int, bool> v{{1, true}, {0, false}};
  EXPECT_EQ(println(v), "map[0:false 1:true]");
}

TYPED_TEST(Fmt, FloatKeysNaNFirstThenAscending) {
  // m := map[float64]int{}; m[math.NaN()] = 1; m[math.NaN()] = 2; m[math.Inf(-1)] = 3
  // m[math.Inf(1)] = 4; m[-1.5] = 5; m[2.25] = 6; m[math.Copysign(0, -1)] = 7
  // fmt.Println(len(m)); fmt.Println(m)
  // -> 7
  // -> map[NaN:2 NaN:1 -Inf:3 -1.5:5 -0:7 2.25:6 +Inf:4]   (the NaNs in iteration order)
  auto m = make_map<TypeParam, double, int>();
  m[nan()] = 1;
  m[nan()] = 2;
  m[-kInf] = 3;
  m[kInf] = 4;
  m[-1.5] = 5;
  m[2.25] = 6;
  m[-0.0] = 7;
  EXPECT_EQ(m.size(), 7u);
  const std::string rest = " -Inf:3 -1.5:5 -0:7 2.25:6 +Inf:4]";
  // The two NaN entries come in iteration order, which differs per call, so
  // operator<< and to_string are checked separately.
  std::ostringstream os;
  os << m;
  for (const std::string& s : {gomap::to_string(m), os.str()})
    EXPECT_TRUE(s == "map[NaN:1 NaN:2" + rest || s == "map[NaN:2 NaN:1" + rest) << s;
}

TYPED_TEST(Fmt, MinusZeroKeyReplacesPlusZero) {
  // m2 := map[float64]int{}; m2[0] = 1; m2[math.Copysign(0, -1)] = 2; fmt.Println(m2)
  // -> map[-0:2]
  auto m = make_map<TypeParam, double, int>();
  m[0.0] = 1;
  m[-0.0] = 2;
  EXPECT_EQ(println(m), "map[-0:2]");
  auto n = make_map<TypeParam, double, int>();
  n.set(0.0, 1);
  n.set(-0.0, 2);
  EXPECT_EQ(println(n), "map[-0:2]");
}

TYPED_TEST(Fmt, CompoundAssignUpdatesZeroKey) {
  // nz := math.Copysign(0, -1); m := map[float64]int{}; m[0] = 1; m[nz] += 1
  // fmt.Println(m) -> map[-0:2];  m[0]++; fmt.Println(m) -> map[0:3]
  auto m = make_map<TypeParam, double, int>();
  m[0.0] = 1;
  m[-0.0] += 1;
  EXPECT_EQ(println(m), "map[-0:2]");
  m[0.0]++;
  EXPECT_EQ(println(m), "map[0:3]");
}

TYPED_TEST(Fmt, CompositeKeysUpdateZero) {
  // type P struct { F float64; I int }; p[P{0, 1}] = 1; p[P{nz, 1}] = 2
  // fmt.Println(p) -> map[{-0 1}:2]
  auto p = make_map<TypeParam, std::pair<double, int>, int>();
  p.set(std::make_pair(0.0, 1), 1);
  p.set(std::make_pair(-0.0, 1), 2);
  EXPECT_EQ(println(p), "map[{-0 1}:2]");
  // a[[2]float64{nz, 0}] = 1; a[[2]float64{0, nz}] = 2; fmt.Println(a) -> map[[0 -0]:2]
  auto a = make_map<TypeParam, std::array<double, 2>, int>();
  a.set(std::array<double, 2>{-0.0, 0.0}, 1);
  a[std::array<double, 2>{0.0, -0.0}] = 2;
  EXPECT_EQ(println(a), "map[[0 -0]:2]");
}

TYPED_TEST(Fmt, Float32Keys) {
  // fmt.Println(map[float32]int{float32(math.NaN()): 1, 1.5: 2, -2: 3}) -> map[NaN:1 -2:3 1.5:2]
  auto m = make_map<TypeParam, float, int>();
  m[std::numeric_limits<float>::quiet_NaN()] = 1;
  m[1.5f] = 2;
  m[-2.0f] = 3;
  EXPECT_EQ(println(m), "map[NaN:1 -2:3 1.5:2]");
}

TYPED_TEST(Fmt, Float64Values) {
  // fmt.Println(map[int]float64{1: 1.5, 2: 1e6, 3: 100000, 4: 1e-5, 5: 0.0001,
  //   6: 1.2345678e8, 7: math.NaN(), 8: math.Inf(1), 9: math.Inf(-1),
  //   10: math.Copysign(0, -1), 11: 0, 12: 123456, 13: 1e21, 14: 0.1, 15: 1e100, 16: 5e-324})
  // -> map[1:1.5 2:1e+06 3:100000 4:1e-05 5:0.0001 6:1.2345678e+08 7:NaN 8:+Inf 9:-Inf
  //        10:-0 11:0 12:123456 13:1e+21 14:0.1 15:1e+100 16:5e-324]
  map_t<TypeParam, int, double> m{{1, 1.5},    {2, 1e6},         {3, 100000}, {4, 1e-5},
                                  {5, 0.0001}, {6, 1.2345678e8}, {7, nan()},  {8, kInf},
                                  {9, -kInf},  {10, -0.0},       {11, 0.0},   {12, 123456},
                                  {13, 1e21},  {14, 0.1},        {15, 1e100}, {16, 5e-324}};
  EXPECT_EQ(println(m),
            "map[1:1.5 2:1e+06 3:100000 4:1e-05 5:0.0001 6:1.2345678e+08 7:NaN 8:+Inf 9:-Inf "
            "10:-0 11:0 12:123456 13:1e+21 14:0.1 15:1e+100 16:5e-324]");
}

TYPED_TEST(Fmt, Float32Values) {
  // fmt.Println(map[int]float32{1: 1.5, 2: 1e6, 3: 0.1, 4: 16777216, 5: 3.4028235e38})
  // -> map[1:1.5 2:1e+06 3:0.1 4:1.6777216e+07 5:3.4028235e+38]
  map_t<TypeParam, int, float> m{
      {1, 1.5f}, {2, 1e6f}, {3, 0.1f}, {4, 16777216.0f}, {5, 3.4028235e38f}};
  EXPECT_EQ(println(m), "map[1:1.5 2:1e+06 3:0.1 4:1.6777216e+07 5:3.4028235e+38]");
}

TYPED_TEST(Fmt, StringsUnquotedSortedBytewise) {
  // fmt.Println(map[string]string{"b": "2", "a": "1", "B": "x", "": "empty", "aa": "z", "a b":
  // "sp"})
  // -> map[:empty B:x a:1 a b:sp aa:z b:2]
  map_t<TypeParam, std::string, std::string> m{{"b", "2"},    {"a", "1"},  {"B", "x"},
                                               {"", "empty"}, {"aa", "z"}, {"a b", "sp"}};
  EXPECT_EQ(println(m), "map[:empty B:x a:1 a b:sp aa:z b:2]");
  // fmt.Println(map[string]string{"k": ""}) -> map[k:]
  map_t<TypeParam, std::string, std::string> e{{"k", ""}};
  EXPECT_EQ(println(e), "map[k:]");
}

TYPED_TEST(Fmt, StringsHighBytesSortUnsigned) {
  // fmt.Println(map[string]int{"\xff": 1, "z": 2, "é": 3}) -> bytes
  // "map[z:2 \xc3\xa9:3 \xff:1]" (od -c: 303 251 ... 377): bytes compare unsigned.
  map_t<TypeParam, std::string, int> m{{"\xff", 1}, {"z", 2}, {"\xc3\xa9", 3}};
  EXPECT_EQ(println(m), "map[z:2 \xc3\xa9:3 \xff:1]");
}

TYPED_TEST(Fmt, NestedMapValues) {
  // fmt.Println(map[string]map[string]int{"x": {"b": 2, "a": 1}, "w": {}, "y": nil})
  // -> map[w:map[] x:map[a:1 b:2] y:map[]]
  using Inner = map_t<TypeParam, std::string, int>;
  map_t<TypeParam, std::string, Inner> m{{"x", Inner{{"b", 2}, {"a", 1}}},
                                         {"w", make_map<TypeParam, std::string, int>()},
                                         {"y", Inner()}};
  EXPECT_EQ(println(m), "map[w:map[] x:map[a:1 b:2] y:map[]]");
}

TYPED_TEST(Fmt, PairKeysAsStructs) {
  // type P struct { A int; B string }
  // fmt.Println(map[P]int{{2, "a"}: 1, {1, "b"}: 2, {1, "a"}: 3}) -> map[{1 a}:3 {1 b}:2 {2 a}:1]
  map_t<TypeParam, std::pair<int, std::string>, int> m{{{2, "a"}, 1}, {{1, "b"}, 2}, {{1, "a"}, 3}};
  EXPECT_EQ(println(m), "map[{1 a}:3 {1 b}:2 {2 a}:1]");
}

TYPED_TEST(Fmt, TupleKeysAsStructs) {
  // type T3 struct { A int; B float64; C bool }
  // fmt.Println(map[T3]string{{1, 2.5, true}: "x", {1, 2.5, false}: "y", {0, math.NaN(), false}:
  // "z"})
  // -> map[{0 NaN false}:z {1 2.5 false}:y {1 2.5 true}:x]
  map_t<TypeParam, std::tuple<int, double, bool>, std::string> m{
      {{1, 2.5, true}, "x"}, {{1, 2.5, false}, "y"}, {{0, nan(), false}, "z"}};
  EXPECT_EQ(println(m), "map[{0 NaN false}:z {1 2.5 false}:y {1 2.5 true}:x]");
}

TYPED_TEST(Fmt, ArrayKeysAndValues) {
  // fmt.Println(map[[2]int]int{{2, 1}: 1, {1, 2}: 2, {1, 1}: 3}) -> map[[1 1]:3 [1 2]:2 [2 1]:1]
  map_t<TypeParam, std::array<int, 2>, int> m{{{2, 1}, 1}, {{1, 2}, 2}, {{1, 1}, 3}};
  EXPECT_EQ(println(m), "map[[1 1]:3 [1 2]:2 [2 1]:1]");
  // fmt.Println(map[int][2]float64{1: {1.5, 1e6}}) -> map[1:[1.5 1e+06]]
  map_t<TypeParam, int, std::array<double, 2>> v{{1, {1.5, 1e6}}};
  EXPECT_EQ(println(v), "map[1:[1.5 1e+06]]");
}

TYPED_TEST(Fmt, EmptyAndNil) {
  // fmt.Println(map[int]int{}) -> map[];  var nilm map[string]int; fmt.Println(nilm) -> map[]
  EXPECT_EQ(println(make_map<TypeParam, int, int>()), "map[]");
  EXPECT_EQ(println(map_t<TypeParam, std::string, int>()), "map[]");
  auto m = make_map<TypeParam, int, int>();
  m.set(1, 1);
  m.erase(1);
  EXPECT_EQ(println(m), "map[]");
}

TYPED_TEST(Fmt, ManyKeysSorted) {
  // Sorting must not depend on the (random) iteration order.
  auto m = make_map<TypeParam, int, int>();
  std::string want = "map[";
  for (int i = 0; i < 200; ++i) {
    m.set(199 - i, i);
    want += (i ? " " : "") + std::to_string(i) + ":" + std::to_string(199 - i);
  }
  want += "]";
  for (int round = 0; round < 5; ++round) EXPECT_EQ(println(m), want);
}

TYPED_TEST(Fmt, MoreFloatFormatting) {
  // fmt.Println(map[float64]float64{1e21: 1e-7, 1234567: 0.000123})
  // -> map[1.234567e+06:0.000123 1e+21:1e-07]
  map_t<TypeParam, double, double> m{{1e21, 1e-7}, {1234567, 0.000123}};
  EXPECT_EQ(println(m), "map[1.234567e+06:0.000123 1e+21:1e-07]");
  // fmt.Println(map[int]float64{1: 999999.9999999999, 2: 1e6 - 0.5, 3: 123456789012345678,
  //   4: 2.5e-5, 5: -1e-300})
  // -> map[1:999999.9999999999 2:999999.5 3:1.2345678901234568e+17 4:2.5e-05 5:-1e-300]
  map_t<TypeParam, int, double> v{
      {1, 999999.9999999999}, {2, 1e6 - 0.5}, {3, 123456789012345678.0}, {4, 2.5e-5}, {5, -1e-300}};
  EXPECT_EQ(println(v),
            "map[1:999999.9999999999 2:999999.5 3:1.2345678901234568e+17 4:2.5e-05 5:-1e-300]");
}

TYPED_TEST(Fmt, NilPointerKeyAndValue) {
  // fmt.Println(map[*int]int{nil: 1}) -> map[<nil>:1]
  map_t<TypeParam, int*, int> k{{nullptr, 1}};
  EXPECT_EQ(println(k), "map[<nil>:1]");
  // fmt.Println(map[int]*int{1: nil}) -> map[1:<nil>]
  map_t<TypeParam, int, int*> v{{1, nullptr}};
  EXPECT_EQ(println(v), "map[1:<nil>]");
}

TYPED_TEST(Fmt, PointerKeysByAddress) {
  // fmtsort orders pointers by address; %v prints them as 0x<hex>.
  int arr[3] = {};
  map_t<TypeParam, int*, int> m{{&arr[2], 2}, {&arr[0], 0}, {&arr[1], 1}};
  auto hex = [](const void* p) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "0x%llx",
                  static_cast<unsigned long long>(reinterpret_cast<std::uintptr_t>(p)));
    return std::string(buf);
  };
  EXPECT_EQ(println(m),
            "map[" + hex(&arr[0]) + ":0 " + hex(&arr[1]) + ":1 " + hex(&arr[2]) + ":2]");
}

enum class Color : int { red = -1, green = 2 };

TYPED_TEST(Fmt, EnumKeysAsNumbers) {
  // type E int; fmt.Println(map[E]string{2: "b", -1: "a"}) -> map[-1:a 2:b]
  map_t<TypeParam, Color, std::string> m{{Color::green, "b"}, {Color::red, "a"}};
  EXPECT_EQ(println(m), "map[-1:a 2:b]");
}

TYPED_TEST(Fmt, StringWithNulByte) {
  // fmt.Println(map[string]int{"a\x00b": 1, "a": 2}) -> "map[a:2 a\x00b:1]" (raw NUL byte)
  map_t<TypeParam, std::string, int> m{{std::string("a\0b", 3), 1}, {"a", 2}};
  EXPECT_EQ(println(m), std::string("map[a:2 a\0b:1]", 14));
}

TYPED_TEST(Fmt, StructValuesWithNestedMap) {
  // type PV struct { A int; B map[int]int }
  // fmt.Println(map[int]PV{1: {2, map[int]int{3: 4}}}) -> map[1:{2 map[3:4]}]
  using Inner = map_t<TypeParam, int, int>;
  map_t<TypeParam, int, std::pair<int, Inner>> m{{1, {2, Inner{{3, 4}}}}};
  EXPECT_EQ(println(m), "map[1:{2 map[3:4]}]");
  // fmt.Println(map[int]struct{ A int; B float64 }{1: {1, 1.5}}) -> map[1:{1 1.5}]
  map_t<TypeParam, int, std::pair<int, double>> p{{1, {1, 1.5}}};
  EXPECT_EQ(println(p), "map[1:{1 1.5}]");
}

TYPED_TEST(Fmt, SliceValuesAsVectors) {
  // std::vector is C++'s Go slice; %v of a slice is [a b c] (nil/empty: []).
  // fmt.Println(map[int][]int{1: {1, 2, 3}, 2: nil, 3: {}}) -> map[1:[1 2 3] 2:[] 3:[]]
  map_t<TypeParam, int, std::vector<int>> m{{1, {1, 2, 3}}, {2, {}}, {3, {}}};
  EXPECT_EQ(println(m), "map[1:[1 2 3] 2:[] 3:[]]");
}

TYPED_TEST(Fmt, EmptyStructAndArrayKeys) {
  // fmt.Println(map[struct{}]int{{}: 1}) -> map[{}:1]
  map_t<TypeParam, std::tuple<>, int> t{{std::tuple<>{}, 1}};
  EXPECT_EQ(println(t), "map[{}:1]");
  // fmt.Println(map[[0]int]int{{}: 2}) -> map[[]:2]
  map_t<TypeParam, std::array<int, 0>, int> a{{std::array<int, 0>{}, 2}};
  EXPECT_EQ(println(a), "map[[]:2]");
}

TYPED_TEST(Fmt, ByteRuneAndSmallWidths) {
  // fmt.Println(map[byte]rune{'a': 'b'}) -> map[97:98]
  map_t<TypeParam, std::uint8_t, char32_t> r{{'a', U'b'}};
  EXPECT_EQ(println(r), "map[97:98]");
  // fmt.Println(map[uint16]int32{65535: -1}) -> map[65535:-1]
  map_t<TypeParam, std::uint16_t, std::int32_t> w{{65535, -1}};
  EXPECT_EQ(println(w), "map[65535:-1]");
}

TYPED_TEST(Fmt, FloatValuesAfterCompoundAssign) {
  // f := map[string]float64{}; f["x"]++; f["y"]--; f["x"] *= 2.5; fmt.Println(f)
  // -> map[x:2.5 y:-1]
  auto f = make_map<TypeParam, std::string, double>();
  f["x"]++;
  f["y"]--;
  f["x"] *= 2.5;
  EXPECT_EQ(println(f), "map[x:2.5 y:-1]");
}

TYPED_TEST(Fmt, SliceElementFormatting) {
  // fmt.Println(map[int][]string{1: {"a", "b c"}}) -> map[1:[a b c]]
  map_t<TypeParam, int, std::vector<std::string>> s{{1, {"a", "b c"}}};
  EXPECT_EQ(println(s), "map[1:[a b c]]");
  // fmt.Println(map[int][]bool{1: {true, false}}) -> map[1:[true false]]
  map_t<TypeParam, int, std::vector<bool>> b{{1, {true, false}}};
  EXPECT_EQ(println(b), "map[1:[true false]]");
  // fmt.Println(map[int][][]int{1: {{1, 2}, {3}}}) -> map[1:[[1 2] [3]]]
  map_t<TypeParam, int, std::vector<std::vector<int>>> n{{1, {{1, 2}, {3}}}};
  EXPECT_EQ(println(n), "map[1:[[1 2] [3]]]");
  // fmt.Println(map[int][]byte{1: []byte("ab")}) -> map[1:[97 98]]
  map_t<TypeParam, int, std::vector<std::uint8_t>> y{{1, {'a', 'b'}}};
  EXPECT_EQ(println(y), "map[1:[97 98]]");
  // fmt.Println(map[int][]float64{1: {1e6, 0.5}}) -> map[1:[1e+06 0.5]]
  map_t<TypeParam, int, std::vector<double>> f{{1, {1e6, 0.5}}};
  EXPECT_EQ(println(f), "map[1:[1e+06 0.5]]");
  // fmt.Println(map[int][]map[int]int{1: {{2: 3}}}) -> map[1:[map[2:3]]]
  using Inner = map_t<TypeParam, int, int>;
  map_t<TypeParam, int, std::vector<Inner>> mm{{1, {Inner{{2, 3}}}}};
  EXPECT_EQ(println(mm), "map[1:[map[2:3]]]");
}

}  // namespace
