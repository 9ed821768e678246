// docs/api.md conformance: gomap::Map as Go's map[K]V.  Every expectation
// follows the spec or, where noted, the output of a Go 1.19 program (the Go
// snippet is quoted next to it).
#include <gtest/gtest.h>
#include <gomap/map.hpp>
#include <gomap/panic.hpp>

#include <array>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <memory>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

namespace {

using IntMap = gomap::Map<int, int>;
using StrMap = gomap::Map<std::string, int>;
using StrMapByInt = gomap::Map<int, std::string>;

constexpr const char* kNilAssign = "assignment to entry in nil map";

// The what() of the gomap::panic thrown by f, or a marker when f returns
// normally.  Any other exception type escapes and fails the test.
template <class F>
std::string panic_message(F&& f) {
  try {
    f();
  } catch (const gomap::panic& p) {
    return p.what();
  }
  return "<no panic>";
}

double nan() {
  return std::numeric_limits<double>::quiet_NaN();
}

// ------------------------------------------------------------------ nil map

TEST(NilMap, DefaultConstructedIsNil) {
  IntMap m;
  EXPECT_TRUE(m.is_nil());
  EXPECT_TRUE(m == nullptr);
  EXPECT_TRUE(nullptr == m);
  EXPECT_FALSE((gomap::make<int, int>() == nullptr));
  EXPECT_FALSE((gomap::make<int, int>().is_nil()));
  IntMap n(nullptr);
  EXPECT_TRUE(n.is_nil());
}

TEST(NilMap, ValueInitializedIsNil) {
  // docs/api.md: `Map<K, V> m{}` is value-initialization in C++, hence nil.
  IntMap m{};
  EXPECT_TRUE(m.is_nil());
}

TEST(NilMap, ReadsSeeNothing) {
  // var nm map[int]int; v, ok := nm[3]; fmt.Println(v, ok, len(nm), nm == nil)
  // -> 0 false 0 true
  IntMap m;
  EXPECT_EQ(m.get(3), 0);
  int v = m[3];
  EXPECT_EQ(v, 0);
  auto [lv, ok] = m.lookup(3);
  EXPECT_EQ(lv, 0);
  EXPECT_FALSE(ok);
  EXPECT_FALSE(m.contains(3));
  EXPECT_EQ(m.find(3), nullptr);
  EXPECT_EQ(m.size(), 0u);
  EXPECT_EQ(gomap::len(m), 0u);
  EXPECT_TRUE(m.is_nil());

  StrMap s;
  EXPECT_EQ(s.get("x"), 0);
  EXPECT_EQ(s.get(std::string_view("x")), 0);
  EXPECT_FALSE(s.contains("x"));
}

TEST(NilMap, EraseAndClearAreNoOps) {
  // delete(nm, 3) on a nil map is a no-op; clear(nm) too (Go 1.21).
  IntMap m;
  EXPECT_NO_THROW(m.erase(3));
  EXPECT_NO_THROW(m.clear());
  EXPECT_NO_THROW(gomap::clear(m));
  EXPECT_TRUE(m.is_nil());
}

TEST(NilMap, IterationProducesNothing) {
  // for range nm { fmt.Println("never") } prints nothing.
  IntMap m;
  int n = 0;
  for (auto&& [k, v] : m) {
    (void)k;
    (void)v;
    ++n;
  }
  EXPECT_EQ(n, 0);
  m.range([&](const int&, int&) {
    ++n;
    return true;
  });
  EXPECT_EQ(n, 0);
  EXPECT_TRUE(m.begin() == m.end());
}

TEST(NilMap, ToStringIsEmptyMap) {
  // var nilm map[string]int; fmt.Println(nilm) -> map[]
  IntMap m;
  EXPECT_EQ(gomap::to_string(m), "map[]");
}

TEST(NilMap, SetPanics) {
  // var nm map[int]int; nm[1] = 1 -> panic: assignment to entry in nil map
  IntMap m;
  EXPECT_EQ(panic_message([&] { m.set(1, 1); }), kNilAssign);
  EXPECT_EQ(panic_message([&] { m[1] = 1; }), kNilAssign);
  StrMap s;
  EXPECT_EQ(panic_message([&] { s.set("a", 1); }), kNilAssign);
  EXPECT_EQ(panic_message([&] { s["a"] = 1; }), kNilAssign);
  EXPECT_TRUE(m.is_nil());
  EXPECT_TRUE(s.is_nil());
}

TEST(NilMap, CompoundAssignmentPanics) {
  // func() { defer func() { fmt.Println(recover()) }(); var nm map[int]int; nm[1]++ }()
  // -> assignment to entry in nil map   (likewise nm[1] += 2)
  IntMap m;
  EXPECT_EQ(panic_message([&] { m[1] += 2; }), kNilAssign);
  EXPECT_EQ(panic_message([&] { m[1] -= 2; }), kNilAssign);
  EXPECT_EQ(panic_message([&] { m[1] *= 2; }), kNilAssign);
  EXPECT_EQ(panic_message([&] { m[1] /= 2; }), kNilAssign);
  EXPECT_EQ(panic_message([&] { m[1] %= 2; }), kNilAssign);
  EXPECT_EQ(panic_message([&] { m[1] &= 2; }), kNilAssign);
  EXPECT_EQ(panic_message([&] { m[1] |= 2; }), kNilAssign);
  EXPECT_EQ(panic_message([&] { m[1] ^= 2; }), kNilAssign);
  EXPECT_EQ(panic_message([&] { m[1] <<= 2; }), kNilAssign);
  EXPECT_EQ(panic_message([&] { m[1] >>= 2; }), kNilAssign);
  EXPECT_EQ(panic_message([&] { ++m[1]; }), kNilAssign);
  EXPECT_EQ(panic_message([&] { --m[1]; }), kNilAssign);
  EXPECT_EQ(panic_message([&] { m[1]++; }), kNilAssign);
  EXPECT_EQ(panic_message([&] { m[1]--; }), kNilAssign);
  EXPECT_TRUE(m.is_nil());
}

TEST(NilMap, ReservePanics) {
  IntMap m;
  EXPECT_EQ(panic_message([&] { m.reserve(10); }), kNilAssign);
}

TEST(NilMap, PanicIsRuntimeError) {
  static_assert(std::is_base_of_v<std::runtime_error, gomap::panic>);
  IntMap m;
  EXPECT_THROW(m.set(1, 2), std::runtime_error);
}

TEST(NilMap, AssignNullptrMakesNil) {
  auto m = gomap::make<int, int>();
  m.set(1, 1);
  auto keep = m;
  m = nullptr;  // m = nil
  EXPECT_TRUE(m.is_nil());
  EXPECT_EQ(keep.get(1), 1);  // the other handle still sees the map
}

// ---------------------------------------------------------- handle semantics

TEST(Handle, CopiesShareEntries) {
  auto a = gomap::make<int, int>();
  // NOLINTNEXTLINE(performance-unnecessary-copy-initialization)
  auto b = a;  // b := a
  b.set(1, 10);
  EXPECT_EQ(a.get(1), 10);
  a[2] = 20;
  EXPECT_EQ(b.get(2), 20);
  b.erase(1);
  EXPECT_FALSE(a.contains(1));
  IntMap c;
  c = a;
  c.clear();
  EXPECT_EQ(a.size(), 0u);
  EXPECT_FALSE(a.is_nil());
}

TEST(Handle, PassByValueSharesEntries) {
  // func f(m map[int]int) { m[1] = 1 } mutates the caller's map.
  auto a = gomap::make<int, int>();
  // NOLINTNEXTLINE(performance-unnecessary-value-param): Go passes maps by value: the test does too
  auto f = [](IntMap m) { m[7] = 70; };
  f(a);
  EXPECT_EQ(a.get(7), 70);
}

TEST(Handle, EqualityIsIdentity) {
  auto a = gomap::make<int, int>();
  auto b = gomap::make<int, int>();
  a.set(1, 1);
  b.set(1, 1);
  EXPECT_FALSE(a == b);  // same contents, different maps
  // NOLINTNEXTLINE(performance-unnecessary-copy-initialization)
  auto c = a;
  EXPECT_TRUE(a == c);
  IntMap n1, n2;
  EXPECT_TRUE(n1 == n2);
  EXPECT_FALSE(a == n1);
}

TEST(Handle, SwapHandles) {
  auto a = gomap::make<int, int>();
  a.set(1, 1);
  auto alias = a;
  auto b = gomap::make<int, int>();
  b.set(2, 2);
  a.swap(b);
  EXPECT_EQ(a.get(2), 2);
  EXPECT_FALSE(a.contains(1));
  EXPECT_EQ(b.get(1), 1);
  EXPECT_TRUE(b == alias);  // swapping handles moves no entries

  IntMap n;
  a.swap(n);  // with nil
  EXPECT_TRUE(a.is_nil());
  EXPECT_FALSE(n.is_nil());
  EXPECT_EQ(n.get(2), 2);
  using std::swap;
  swap(a, n);
  EXPECT_FALSE(a.is_nil());
  EXPECT_TRUE(n.is_nil());
  EXPECT_EQ(a.get(2), 2);
  IntMap n2;
  n.swap(n2);  // nil with nil
  EXPECT_TRUE(n.is_nil());
  EXPECT_TRUE(n2.is_nil());
}

TEST(Handle, CopiesAcrossThreads) {
  // docs/api.md: handle copies may be passed between threads (the reference
  // count is thread-safe); concurrent reads are legal, as in Go.
  auto m = gomap::make<int, std::string>();
  for (int i = 0; i < 100; ++i) m.set(i, std::to_string(i));
  std::vector<std::thread> threads;
  threads.reserve(4);
  std::atomic<int> bad{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([copy = m, &bad] {
      for (int i = 0; i < 20000; ++i) {
        // NOLINTNEXTLINE(performance-unnecessary-copy-initialization)
        StrMapByInt local = copy;  // copy and destroy handles
        if (local.get(i % 100) != std::to_string(i % 100)) bad.fetch_add(1);
      }
    });
  }
  m = nullptr;  // the threads' copies keep the map alive
  for (auto& th : threads) th.join();
  EXPECT_EQ(bad.load(), 0);
}

TEST(Handle, CopyListInitialization) {
  IntMap m = {{1, 2}, {3, 4}};
  EXPECT_EQ(m.size(), 2u);
  IntMap n = nullptr;
  EXPECT_TRUE(n.is_nil());
}

// -------------------------------------------------------- initializer list

TEST(InitList, NonNilAndLastDuplicateWins) {
  // m := map[int]int{1: 10, 2: 20}  (Go rejects a duplicate constant key at
  // compile time; the spec says the last one wins.)
  IntMap m{{1, 10}, {2, 20}, {1, 30}};
  EXPECT_FALSE(m.is_nil());
  EXPECT_EQ(m.size(), 2u);
  EXPECT_EQ(m.get(1), 30);
  EXPECT_EQ(m.get(2), 20);

  StrMap s{{"a", 1}};
  EXPECT_FALSE(s.is_nil());
  EXPECT_EQ(s.get("a"), 1);
}

TEST(InitList, SingleElement) {
  IntMap m{{1, 10}};
  EXPECT_EQ(m.size(), 1u);
  EXPECT_EQ(m.get(1), 10);
  gomap::Map<std::string, std::string> s{{"k", "v"}};
  EXPECT_EQ(s.size(), 1u);
  EXPECT_EQ(s.get("k"), "v");
}

// ----------------------------------------------------------------- reading

TEST(Read, GetAndSubscriptNeverInsert) {
  auto m = gomap::make<int, int>();
  m.set(1, 10);
  EXPECT_EQ(m.get(2), 0);
  int v = m[3];
  EXPECT_EQ(v, 0);
  EXPECT_EQ(static_cast<int>(m[1]), 10);
  EXPECT_TRUE(m[1] == 10);
  auto [lv, ok] = m.lookup(4);
  (void)lv;
  EXPECT_FALSE(ok);
  EXPECT_FALSE(m.contains(5));
  EXPECT_EQ(m.find(6), nullptr);
  EXPECT_EQ(m.size(), 1u);
  EXPECT_FALSE(m.contains(2));
  EXPECT_FALSE(m.contains(3));

  auto s = gomap::make<std::string, std::string>();
  std::string got = s["absent"];
  EXPECT_EQ(got, "");
  EXPECT_EQ(s.size(), 0u);
}

TEST(Read, SubscriptReadsLikeAValue) {
  // s = m["x"]; m["x"] == "1"; m[1] + 1 — m[k] reads as V in expressions.
  auto m = gomap::make<std::string, std::string>();
  m["x"] = "1";
  std::string s;
  s = m["x"];
  EXPECT_EQ(s, "1");
  EXPECT_TRUE(m["x"] == "1");
  EXPECT_TRUE("1" == m["x"]);
  EXPECT_TRUE(m["x"] != std::string("2"));
  EXPECT_TRUE(m["y"] == "");
  auto n = gomap::make<int, int>();
  n[1] = 10;
  EXPECT_EQ(n[1] + 1, 11);
  EXPECT_TRUE(10 == n[1]);
  EXPECT_TRUE(n[1] != 11);
  EXPECT_TRUE(n[1] < 11);
  EXPECT_EQ(m.size(), 1u);
  EXPECT_EQ(n.size(), 1u);
}

TEST(Read, LookupContainsFind) {
  auto m = gomap::make<int, std::string>();
  m.set(1, "one");
  static_assert(std::is_same_v<decltype(m.lookup(1)), std::pair<std::string, bool>>);
  auto [v, ok] = m.lookup(1);
  EXPECT_EQ(v, "one");
  EXPECT_TRUE(ok);
  auto [v2, ok2] = m.lookup(2);
  EXPECT_EQ(v2, "");
  EXPECT_FALSE(ok2);
  EXPECT_TRUE(m.contains(1));
  EXPECT_FALSE(m.contains(2));
  std::string* p = m.find(1);
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(*p, "one");
  *p = "uno";  // a pointer to the stored value
  EXPECT_EQ(m.get(1), "uno");
  EXPECT_EQ(m.find(2), nullptr);
}

TEST(Read, ZeroValueStoredIsFound) {
  // m[1] = 0; _, ok := m[1] -> ok is true
  auto m = gomap::make<int, int>();
  m.set(1, 0);
  EXPECT_TRUE(m.contains(1));
  EXPECT_TRUE(m.lookup(1).second);
  EXPECT_EQ(m.size(), 1u);
}

// ----------------------------------------------------------------- writing

TEST(Write, SetOverwritesAndSubscriptAssigns) {
  auto m = gomap::make<int, int>();
  m.set(1, 1);
  m.set(1, 2);
  m[1] = 3;
  EXPECT_EQ(m.size(), 1u);
  EXPECT_EQ(m.get(1), 3);
  // m[5] = m[6] with 6 absent: inserts 5 with the zero value, not 6.
  m[5] = m[6];
  EXPECT_TRUE(m.contains(5));
  EXPECT_EQ(m.get(5), 0);
  EXPECT_FALSE(m.contains(6));
  m[7] = m[1];
  EXPECT_EQ(m.get(7), 3);
}

TEST(Write, CompoundAssignMissingKeyReadsZero) {
  // m := map[string]int{}
  // m["add"] += 5; m["sub"] -= 5; m["mul"] *= 5; m["div"] /= 5; m["mod"] %= 5
  // m["and"] &= 5; m["or"] |= 5; m["xor"] ^= 5; m["shl"] <<= 3; m["shr"] >>= 3
  // m["inc"]++; m["dec"]--; fmt.Println(len(m), m)
  // -> 12 map[add:5 and:0 dec:-1 div:0 inc:1 mod:0 mul:0 or:5 shl:0 shr:0 sub:-5 xor:5]
  auto m = gomap::make<std::string, int>();
  m["add"] += 5;
  m["sub"] -= 5;
  m["mul"] *= 5;
  m["div"] /= 5;
  m["mod"] %= 5;
  m["and"] &= 5;
  m["or"] |= 5;
  m["xor"] ^= 5;
  m["shl"] <<= 3;
  m["shr"] >>= 3;
  m["inc"]++;
  m["dec"]--;
  EXPECT_EQ(m.size(), 12u);
  EXPECT_EQ(gomap::to_string(m),
            "map[add:5 and:0 dec:-1 div:0 inc:1 mod:0 mul:0 or:5 shl:0 shr:0 sub:-5 xor:5]");
  ++m["pre_inc"];
  --m["pre_dec"];
  EXPECT_EQ(m.get("pre_inc"), 1);
  EXPECT_EQ(m.get("pre_dec"), -1);
  EXPECT_EQ(m.size(), 14u);
}

TEST(Write, CompoundAssignExistingKey) {
  // e := map[string]int{"add": 7, "sub": 7, "mul": 7, "div": 7, "mod": 7, "and": 7,
  //   "or": 8, "xor": 7, "shl": 7, "shr": 7, "inc": 7, "dec": 7}
  // e["add"] += 5 ... e["shl"] <<= 3; e["shr"] >>= 1; e["inc"]++; e["dec"]--
  // -> 12 map[add:12 and:5 dec:6 div:1 inc:8 mod:2 mul:35 or:13 shl:56 shr:3 sub:2 xor:2]
  StrMap e{{"add", 7}, {"sub", 7}, {"mul", 7}, {"div", 7}, {"mod", 7}, {"and", 7},
           {"or", 8},  {"xor", 7}, {"shl", 7}, {"shr", 7}, {"inc", 7}, {"dec", 7}};
  e["add"] += 5;
  e["sub"] -= 5;
  e["mul"] *= 5;
  e["div"] /= 5;
  e["mod"] %= 5;
  e["and"] &= 5;
  e["or"] |= 5;
  e["xor"] ^= 5;
  e["shl"] <<= 3;
  e["shr"] >>= 1;
  e["inc"]++;
  e["dec"]--;
  EXPECT_EQ(e.size(), 12u);
  EXPECT_EQ(gomap::to_string(e),
            "map[add:12 and:5 dec:6 div:1 inc:8 mod:2 mul:35 or:13 shl:56 shr:3 sub:2 xor:2]");
  ++e["inc"];
  --e["dec"];
  EXPECT_EQ(e.get("inc"), 9);
  EXPECT_EQ(e.get("dec"), 5);
}

TEST(Write, CompoundAssignStringsAndFloats) {
  // s := map[int]string{}; s[1] += "x"; s[1] += "y" -> map[1:xy]
  auto s = gomap::make<int, std::string>();
  s[1] += "x";
  s[1] += std::string("y");
  EXPECT_EQ(s.get(1), "xy");
  EXPECT_EQ(s.size(), 1u);
  // f := map[int]float64{}; f[1] += 1.5; f[2] -= 0 -> map[1:1.5 2:0], f[2] is +0
  auto f = gomap::make<int, double>();
  f[1] += 1.5;
  f[2] -= 0.0;
  EXPECT_EQ(f.get(1), 1.5);
  EXPECT_TRUE(f.contains(2));
  EXPECT_FALSE(std::signbit(f.get(2)));
}

TEST(Write, CompoundAssignThroughCopiedHandle) {
  auto a = gomap::make<int, int>();
  // NOLINTNEXTLINE(performance-unnecessary-copy-initialization)
  auto b = a;
  b[1] += 4;
  b[1] *= 3;
  EXPECT_EQ(a.get(1), 12);
}

TEST(Write, EraseMissingKeyIsNoOp) {
  auto m = gomap::make<int, int>();
  m.set(1, 1);
  m.erase(2);
  EXPECT_EQ(m.size(), 1u);
  EXPECT_EQ(m.get(1), 1);
  m.erase(1);
  EXPECT_EQ(m.size(), 0u);
  EXPECT_FALSE(m.contains(1));
  m.erase(1);  // again
  EXPECT_EQ(m.size(), 0u);
  EXPECT_FALSE(m.is_nil());
}

TEST(Write, LenAndClear) {
  auto m = gomap::make<int, int>();
  for (int i = 0; i < 1000; ++i) m.set(i, i);
  EXPECT_EQ(m.size(), 1000u);
  EXPECT_EQ(gomap::len(m), 1000u);
  for (int i = 0; i < 500; ++i) m.erase(i);
  EXPECT_EQ(gomap::len(m), 500u);
  gomap::clear(m);
  EXPECT_EQ(m.size(), 0u);
  EXPECT_FALSE(m.is_nil());
  EXPECT_FALSE(m.contains(700));
  m.set(3, 3);  // still usable
  EXPECT_EQ(m.size(), 1u);
  m.clear();
  EXPECT_EQ(gomap::len(m), 0u);
  int n = 0;
  for (auto&& kv : m) {
    (void)kv;
    ++n;
  }
  EXPECT_EQ(n, 0);
}

// Child-process bodies for CompoundAssignFromAnotherEntry: exit 0 when the
// map ends up as Go's does.
[[noreturn]] void compound_from_proxy_strings() {
  StrMap m{{"b", 5}};
  m["a"] += m["b"];
  m["b"] += m["b"];
  m["c"] -= m["b"];
  std::exit(gomap::to_string(m) == "map[a:5 b:10 c:-10]" ? 0 : 1);
}
[[noreturn]] void compound_from_proxy_ints() {
  IntMap m{{1, 3}};
  m[2] *= m[1];  // missing key: 0 * 3
  m[1] *= m[1];
  ++m[3];
  m[3] <<= m[1];
  std::exit(m.get(2) == 0 && m.get(1) == 9 && m.get(3) == 512 && m.size() == 3 ? 0 : 1);
}

TEST(Write, CompoundAssignFromAnotherEntry) {
  // m := map[string]int{"b": 5}; m["a"] += m["b"]; m["b"] += m["b"]; m["c"] -= m["b"]
  // fmt.Println(m) -> map[a:5 b:10 c:-10]
  // n := map[int]int{1: 3}; n[2] *= n[1]; n[1] *= n[1]; n[3]++; n[3] <<= n[1]
  // fmt.Println(n, len(n)) -> map[1:9 2:0 3:512] 3
  // Run in a child process: a wrong implementation may abort (fatal error).
  EXPECT_EXIT(compound_from_proxy_strings(), ::testing::ExitedWithCode(0), "");
  EXPECT_EXIT(compound_from_proxy_ints(), ::testing::ExitedWithCode(0), "");
}

TEST(Write, CompoundAssignFromValueInSameMapDuringGrowth) {
  // for i := 26; i < 2000; i++ { s[i] += s[i-26] } -> s[i] == s[i-26] for all i.
  // Here the right-hand side is a reference into the map; the write that
  // starts or continues growth must not move it before it is read (as set()
  // guarantees for `m.set(k, *m.find(j))`).
  auto s = gomap::make<int, std::string>();
  for (int i = 0; i < 26; ++i) s.set(i, std::string(40, static_cast<char>('a' + i)));
  int bad = 0;
  for (int i = 26; i < 2000; ++i) {
    s[i] += *s.find(i - 26);
    if (s.get(i) != s.get(i - 26)) ++bad;
  }
  EXPECT_EQ(bad, 0);
  for (int i = 0; i < 2000; ++i)
    ASSERT_EQ(s.get(i), std::string(40, static_cast<char>('a' + i % 26))) << i;
}

// Child-process body for ViewIntoSameMapDuringGrowth (a wrong implementation
// reads freed memory, which ASan turns into an abort): exit 0 when every
// copied value is right.
[[noreturn]] void set_and_add_through_views() {
  int bad = 0;
  auto s = gomap::make<int, std::string>();
  for (int i = 0; i < 26; ++i) s.set(i, std::string(5, static_cast<char>('a' + i)));  // SSO
  for (int i = 26; i < 2000; ++i) {
    s.set(i, std::string_view(*s.find(i - 26)));
    if (s.get(i) != s.get(i - 26)) ++bad;
  }
  auto t = gomap::make<int, std::string>();
  for (int i = 0; i < 26; ++i) t.set(i, std::string(5, static_cast<char>('a' + i)));
  for (int i = 26; i < 2000; ++i) {
    t[i] += std::string_view(*t.find(i - 26));
    if (t.get(i) != t.get(i - 26)) ++bad;
  }
  std::exit(bad == 0 ? 0 : 1);
}

TEST(Write, ViewIntoSameMapDuringGrowth) {
  // Go: for i := 26; i < 2000; i++ { s[i] = s[i-26] } (and s[i] += s[i-26]):
  // the right-hand side is read before the write.  Here it is a
  // std::string_view of a value stored in the map (a short string lives in
  // the bucket itself), passed to set() and to +=, while the write grows
  // the map.
  EXPECT_EXIT(set_and_add_through_views(), ::testing::ExitedWithCode(0), "");
}

TEST(Write, SetFromValueInSameMapDuringGrowth) {
  // m[i] = m[i-26] through set() and operator= with a reference into the map.
  auto s = gomap::make<int, std::string>();
  for (int i = 0; i < 26; ++i) s.set(i, std::string(40, static_cast<char>('a' + i)));
  for (int i = 26; i < 1000; ++i) s.set(i, *s.find(i - 26));
  for (int i = 1000; i < 2000; ++i) s[i] = *s.find(i - 26);
  for (int i = 0; i < 2000; ++i)
    ASSERT_EQ(s.get(i), std::string(40, static_cast<char>('a' + i % 26))) << i;
}

TEST(Iterate, AssignEveryKeyDuringGrowth) {
  // for k, v := range m { m[k] = v + 100 } while the map is growing: every
  // entry updated once, nothing added.
  auto m = gomap::make<std::string, int>();
  int i = 0;
  while (!m.stats().growing) {
    m.set(std::string(30, 'k') + std::to_string(i), i);
    ++i;
  }
  const int n = i;
  for (auto&& [k, v] : m) m[k] = v + 100;
  EXPECT_EQ(m.size(), static_cast<std::size_t>(n));
  for (int j = 0; j < n; ++j) EXPECT_EQ(m.get(std::string(30, 'k') + std::to_string(j)), j + 100);
}

// --------------------------------------------------------------- float keys

TEST(FloatKeys, PlusAndMinusZeroAreOneKey) {
  // m2 := map[float64]int{}; m2[0] = 1; m2[math.Copysign(0, -1)] = 2; fmt.Println(m2)
  // -> map[-0:2]   (needkeyupdate: the key is overwritten too)
  auto m = gomap::make<double, int>();
  m.set(0.0, 1);
  m.set(-0.0, 2);
  EXPECT_EQ(m.size(), 1u);
  EXPECT_EQ(m.get(0.0), 2);
  EXPECT_EQ(m.get(-0.0), 2);
  int seen = 0;
  for (auto&& [k, v] : m) {
    EXPECT_TRUE(std::signbit(k)) << "key should now be -0.0";
    EXPECT_EQ(v, 2);
    ++seen;
  }
  EXPECT_EQ(seen, 1);
  m[0.0] = 3;  // and back to +0.0 through operator[]
  for (auto&& [k, v] : m) {
    EXPECT_FALSE(std::signbit(k));
    EXPECT_EQ(v, 3);
  }
  m.erase(-0.0);
  EXPECT_EQ(m.size(), 0u);
}

TEST(FloatKeys, NaNKeysAreNeverFound) {
  // m[math.NaN()] = 1; m[math.NaN()] = 2 -> len(m) == 2; m[NaN] reads 0;
  // delete(m, NaN) removes nothing; range produces both.
  auto m = gomap::make<double, int>();
  m.set(nan(), 1);
  m.set(nan(), 2);
  m[nan()] = 3;
  m[nan()] += 4;  // reads zero, assigns a new entry
  EXPECT_EQ(m.size(), 4u);
  EXPECT_EQ(m.get(nan()), 0);
  EXPECT_FALSE(m.contains(nan()));
  EXPECT_FALSE(m.lookup(nan()).second);
  EXPECT_EQ(m.find(nan()), nullptr);
  m.erase(nan());
  EXPECT_EQ(m.size(), 4u);
  std::multiset<int> values;
  for (auto&& [k, v] : m) {
    EXPECT_TRUE(std::isnan(k));
    values.insert(v);
  }
  EXPECT_EQ(values, (std::multiset<int>{1, 2, 3, 4}));
  // delete of the key iteration hands us does not find it either:
  // for k := range n { delete(n, k) }; fmt.Println(len(n)) -> 1 (n had one NaN key)
  for (auto&& [k, v] : m) {
    (void)v;
    m.erase(k);
  }
  EXPECT_EQ(m.size(), 4u);
  m.clear();  // only clear removes them
  EXPECT_EQ(m.size(), 0u);
  int n = 0;
  m.range([&](const double&, int&) {
    ++n;
    return true;
  });
  EXPECT_EQ(n, 0);
}

TEST(FloatKeys, ManyNaNKeysSurviveGrowth) {
  // Each m[NaN] = v adds an entry; evacuation (which splits NaN keys by a
  // random bit in Go) keeps every one, and iteration yields each once.
  auto m = gomap::make<double, int>();
  for (int i = 0; i < 5000; ++i) {
    m.set(nan(), i);
    if (i % 2 == 0) m.set(static_cast<double>(i), -i);
  }
  EXPECT_EQ(m.size(), 7500u);
  std::set<int> nan_values;
  std::size_t produced = 0;
  for (auto&& [k, v] : m) {
    ++produced;
    if (std::isnan(k)) {
      EXPECT_TRUE(nan_values.insert(v).second) << "NaN entry " << v << " twice";
    }
  }
  EXPECT_EQ(produced, 7500u);
  EXPECT_EQ(nan_values.size(), 5000u);
  for (int i = 0; i < 5000; i += 2) ASSERT_EQ(m.get(static_cast<double>(i)), -i);
  m.clear();
  EXPECT_EQ(m.size(), 0u);
}

// ----------------------------------------------------------------- iteration

TEST(Iterate, VisitsEveryEntryOnceAndValuesAreMutable) {
  auto m = gomap::make<int, int>();
  for (int i = 0; i < 300; ++i) m.set(i, i);
  std::set<int> seen;
  for (auto&& [k, v] : m) {
    EXPECT_EQ(k, v);
    EXPECT_TRUE(seen.insert(k).second) << "key " << k << " produced twice";
    v = -v;  // v refers to the stored value
  }
  EXPECT_EQ(seen.size(), 300u);
  for (int i = 0; i < 300; ++i) EXPECT_EQ(m.get(i), -i);
}

TEST(Iterate, RangeEarlyStop) {
  auto m = gomap::make<int, int>();
  for (int i = 0; i < 100; ++i) m.set(i, i);
  int calls = 0;
  m.range([&](const int& k, int& v) {
    EXPECT_EQ(k, v);
    ++calls;
    return calls < 10;  // false stops
  });
  EXPECT_EQ(calls, 10);
  calls = 0;
  m.range([&](const int&, int& v) {
    v += 1;
    ++calls;
    return true;
  });
  EXPECT_EQ(calls, 100);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(m.get(i), i + 1);
  calls = 0;
  m.range([&](const int&, int&) {
    ++calls;
    return false;
  });
  EXPECT_EQ(calls, 1);
}

// --------------------------------------------------------- make and reserve

TEST(Make, BogusHintsAreIgnored) {
  // A constant -1 is a compile error in Go; a variable negative or huge hint
  // is ignored (makemap: "if overflow || mem > maxAlloc { hint = 0 }"); Go
  // 1.19 run: hint := -1; make(map[int64]int, hint) -> B == 0, no panic.
  for (std::int64_t hint :
       {std::int64_t{-1}, std::int64_t{1} << 62, std::numeric_limits<std::int64_t>::min(),
        std::numeric_limits<std::int64_t>::max()}) {
    SCOPED_TRACE(hint);
    IntMap m;
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

TEST(Iterate, RangeAcceptsConstValueCallback) {
  IntMap m{{1, 2}, {3, 4}};
  int sum = 0;
  m.range([&](const int& k, const int& v) {
    sum += k + v;
    return true;
  });
  EXPECT_EQ(sum, 10);
  // for (auto [k, v] : m) binds references too (pair of references).
  for (auto [k, v] : m) v = k;
  EXPECT_EQ(m.get(3), 3);
}

TEST(Write, BoolAndFloatValues) {
  // m := map[int]bool{}; m[1] = m[1] || true; m[2] = !m[2] -> map[1:true 2:true]
  auto m = gomap::make<int, bool>();
  m[1] = m.get(1) || true;
  m[2] = !m.get(2);
  m[3] |= true;
  m[4] ^= false;
  EXPECT_EQ(gomap::to_string(m), "map[1:true 2:true 3:true 4:false]");
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
  IntMap m;
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

// ------------------------------------------------------ key and value types

TEST(Types, MoveOnlyValues) {
  auto u = gomap::make<int, std::unique_ptr<int>>();
  for (int i = 0; i < 1000; ++i) u.set(i, std::make_unique<int>(i));  // grows with moves
  for (int i = 0; i < 1000; ++i) {
    std::unique_ptr<int>* p = u.find(i);
    ASSERT_NE(p, nullptr);
    ASSERT_EQ(**p, i);
  }
  u.erase(3);
  EXPECT_EQ(u.size(), 999u);
  EXPECT_EQ(u.find(3), nullptr);
}

struct alignas(64) Wide {
  int x = 0;
  bool operator==(const Wide&) const = default;
};
std::uint64_t gomap_hash(const Wide& w, std::uint64_t seed) {
  return gomap::hash<int>{}(w.x, seed);
}

TEST(Types, OverAlignedKeysAndValues) {
  auto w = gomap::make<Wide, Wide>();
  for (int i = 0; i < 1000; ++i) w.set(Wide{i}, Wide{-i});
  for (int i = 0; i < 1000; ++i) ASSERT_EQ(w.get(Wide{i}).x, -i);
  int misaligned = 0;
  for (auto&& [k, v] : w) {
    if (reinterpret_cast<std::uintptr_t>(&k) % alignof(Wide) != 0) ++misaligned;
    if (reinterpret_cast<std::uintptr_t>(&v) % alignof(Wide) != 0) ++misaligned;
  }
  EXPECT_EQ(misaligned, 0);
}

TEST(Types, LargeKeysAndValues) {
  // Go stores keys and values over 128 bytes indirectly; either way they
  // must round-trip through growth, and stats().bytes counts their memory.
  using BigK = std::array<char, 200>;
  using BigV = std::array<char, 300>;
  auto key = [](int i) {
    BigK k{};
    k[0] = static_cast<char>(i);
    k[199] = static_cast<char>(i >> 8);
    return k;
  };
  auto m = gomap::make<BigK, BigV>();
  for (int i = 0; i < 1000; ++i) {
    BigV v{};
    v[299] = static_cast<char>(i);
    m.set(key(i), v);
  }
  EXPECT_EQ(m.size(), 1000u);
  for (int i = 0; i < 1000; ++i) ASSERT_EQ(m.get(key(i))[299], static_cast<char>(i));
  EXPECT_GE(m.stats().bytes, 1000u * (sizeof(BigK) + sizeof(BigV)));
  m.erase(key(5));
  EXPECT_FALSE(m.contains(key(5)));
}

TEST(Types, AssignBracedZero) {
  // m[1] = {} assigns the zero value (inserting the key).
  auto m = gomap::make<int, int>();
  m[1] = {};
  EXPECT_TRUE(m.contains(1));
  EXPECT_EQ(m.get(1), 0);
}

// ------------------------------------------------------ transparent lookup

TEST(Transparent, StringViewAndCharPointer) {
  auto m = gomap::make<std::string, int>();
  m.set(std::string("alpha"), 1);
  m.set("beta", 2);
  const std::string_view sv = "alpha";
  const char* cp = "beta";
  EXPECT_EQ(m.get(sv), 1);
  EXPECT_EQ(m.get(cp), 2);
  EXPECT_EQ(m.lookup(sv), std::make_pair(1, true));
  EXPECT_EQ(m.lookup(cp), std::make_pair(2, true));
  EXPECT_EQ(m.lookup(std::string_view("gamma")), std::make_pair(0, false));
  EXPECT_TRUE(m.contains(sv));
  EXPECT_TRUE(m.contains(cp));
  EXPECT_FALSE(m.contains(std::string_view("alph")));
  EXPECT_FALSE(m.contains(static_cast<const char*>("alphaa")));
  int a = m[sv];
  int b = m[cp];
  EXPECT_EQ(a, 1);
  EXPECT_EQ(b, 2);
  int c = m[std::string_view("gamma")];
  EXPECT_EQ(c, 0);
  EXPECT_EQ(m.size(), 2u);
  // A view into a longer buffer: only its bytes count.
  const std::string buf = "alphabet";
  EXPECT_EQ(m.get(std::string_view(buf).substr(0, 5)), 1);
  m[sv] += 10;
  EXPECT_EQ(m.get("alpha"), 11);
  m[std::string_view("delta")] = 4;
  EXPECT_EQ(m.get("delta"), 4);
  m.erase(sv);
  EXPECT_FALSE(m.contains("alpha"));
  m.erase(cp);
  EXPECT_FALSE(m.contains("beta"));
  m.erase(std::string_view("delta"));
  EXPECT_EQ(m.size(), 0u);
}

TEST(Transparent, EmbeddedNulBytes) {
  // Go strings may hold NUL bytes; a string_view carries its length.
  auto m = gomap::make<std::string, int>();
  const std::string k1("a\0b", 3), k2("a\0c", 3);
  m.set(k1, 1);
  m.set(k2, 2);
  EXPECT_EQ(m.size(), 2u);
  EXPECT_EQ(m.get(std::string_view(k1)), 1);
  EXPECT_EQ(m.get(std::string_view(k2)), 2);
  EXPECT_FALSE(m.contains("a"));  // const char* stops at the NUL
}

}  // namespace
