// gomap::Map as a handle: the nil map, handle copies and identity, literals.
// Every expectation follows docs/api.md or, where noted, the output of a Go
// 1.19 program (the Go snippet is quoted next to it).  (Split from the former
// api_test.cpp by topic; test names unchanged.)
#include "api_common.hpp"

namespace {

using namespace api_test;

// ------------------------------------------------------------------ nil map

GOMAP_TYPED_SUITE(NilMap);
GOMAP_TYPED_SUITE(Handle);
GOMAP_TYPED_SUITE(InitList);

TYPED_TEST(NilMap, DefaultConstructedIsNil) {
  IntMap<TypeParam> m;
  EXPECT_TRUE(m.is_nil());
  EXPECT_TRUE(m == nullptr);
  EXPECT_TRUE(nullptr == m);
  EXPECT_FALSE((make_map<TypeParam, int, int>() == nullptr));
  EXPECT_FALSE((make_map<TypeParam, int, int>().is_nil()));
  IntMap<TypeParam> n(nullptr);
  EXPECT_TRUE(n.is_nil());
}

TYPED_TEST(NilMap, ValueInitializedIsNil) {
  // docs/api.md: `Map<K, V> m{}` is value-initialization in C++, hence nil.
  IntMap<TypeParam> m{};
  EXPECT_TRUE(m.is_nil());
}

TYPED_TEST(NilMap, ReadsSeeNothing) {
  // var nm map[int]int; v, ok := nm[3]; fmt.Println(v, ok, len(nm), nm == nil)
  // -> 0 false 0 true
  IntMap<TypeParam> m;
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

  StrMap<TypeParam> s;
  EXPECT_EQ(s.get("x"), 0);
  EXPECT_EQ(s.get(std::string_view("x")), 0);
  EXPECT_FALSE(s.contains("x"));
}

TYPED_TEST(NilMap, EraseAndClearAreNoOps) {
  // delete(nm, 3) on a nil map is a no-op; clear(nm) too (Go 1.21).
  IntMap<TypeParam> m;
  EXPECT_NO_THROW(m.erase(3));
  EXPECT_NO_THROW(m.clear());
  EXPECT_NO_THROW(gomap::clear(m));
  EXPECT_TRUE(m.is_nil());
}

TYPED_TEST(NilMap, IterationProducesNothing) {
  // for range nm { fmt.Println("never") } prints nothing.
  IntMap<TypeParam> m;
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

TYPED_TEST(NilMap, ToStringIsEmptyMap) {
  // var nilm map[string]int; fmt.Println(nilm) -> map[]
  IntMap<TypeParam> m;
  EXPECT_EQ(gomap::to_string(m), "map[]");
}

TYPED_TEST(NilMap, SetPanics) {
  // var nm map[int]int; nm[1] = 1 -> panic: assignment to entry in nil map
  IntMap<TypeParam> m;
  EXPECT_EQ(panic_message([&] { m.set(1, 1); }), kNilAssign);
  EXPECT_EQ(panic_message([&] { m[1] = 1; }), kNilAssign);
  StrMap<TypeParam> s;
  EXPECT_EQ(panic_message([&] { s.set("a", 1); }), kNilAssign);
  EXPECT_EQ(panic_message([&] { s["a"] = 1; }), kNilAssign);
  EXPECT_TRUE(m.is_nil());
  EXPECT_TRUE(s.is_nil());
}

TYPED_TEST(NilMap, CompoundAssignmentPanics) {
  // func() { defer func() { fmt.Println(recover()) }(); var nm map[int]int; nm[1]++ }()
  // -> assignment to entry in nil map   (likewise nm[1] += 2)
  IntMap<TypeParam> m;
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

TYPED_TEST(NilMap, ReservePanics) {
  IntMap<TypeParam> m;
  EXPECT_EQ(panic_message([&] { m.reserve(10); }), kNilAssign);
}

TYPED_TEST(NilMap, PanicIsRuntimeError) {
  static_assert(std::is_base_of_v<std::runtime_error, gomap::panic>);
  IntMap<TypeParam> m;
  EXPECT_THROW(m.set(1, 2), std::runtime_error);
}

TYPED_TEST(NilMap, AssignNullptrMakesNil) {
  auto m = make_map<TypeParam, int, int>();
  m.set(1, 1);
  auto keep = m;
  m = nullptr;  // m = nil
  EXPECT_TRUE(m.is_nil());
  EXPECT_EQ(keep.get(1), 1);  // the other handle still sees the map
}

// ---------------------------------------------------------- handle semantics

TYPED_TEST(Handle, CopiesShareEntries) {
  auto a = make_map<TypeParam, int, int>();
  // NOLINTNEXTLINE(performance-unnecessary-copy-initialization)
  auto b = a;  // b := a
  b.set(1, 10);
  EXPECT_EQ(a.get(1), 10);
  a[2] = 20;
  EXPECT_EQ(b.get(2), 20);
  b.erase(1);
  EXPECT_FALSE(a.contains(1));
  IntMap<TypeParam> c;
  c = a;
  c.clear();
  EXPECT_EQ(a.size(), 0u);
  EXPECT_FALSE(a.is_nil());
}

TYPED_TEST(Handle, PassByValueSharesEntries) {
  // func f(m map[int]int) { m[1] = 1 } mutates the caller's map.
  auto a = make_map<TypeParam, int, int>();
  // NOLINTNEXTLINE(performance-unnecessary-value-param): Go passes maps by value: the test does too
  auto f = [](IntMap<TypeParam> m) { m[7] = 70; };
  f(a);
  EXPECT_EQ(a.get(7), 70);
}

TYPED_TEST(Handle, EqualityIsIdentity) {
  auto a = make_map<TypeParam, int, int>();
  auto b = make_map<TypeParam, int, int>();
  a.set(1, 1);
  b.set(1, 1);
  EXPECT_FALSE(a == b);  // same contents, different maps
  // NOLINTNEXTLINE(performance-unnecessary-copy-initialization)
  auto c = a;
  EXPECT_TRUE(a == c);
  IntMap<TypeParam> n1, n2;
  EXPECT_TRUE(n1 == n2);
  EXPECT_FALSE(a == n1);
}

TYPED_TEST(Handle, SwapHandles) {
  auto a = make_map<TypeParam, int, int>();
  a.set(1, 1);
  auto alias = a;
  auto b = make_map<TypeParam, int, int>();
  b.set(2, 2);
  a.swap(b);
  EXPECT_EQ(a.get(2), 2);
  EXPECT_FALSE(a.contains(1));
  EXPECT_EQ(b.get(1), 1);
  EXPECT_TRUE(b == alias);  // swapping handles moves no entries

  IntMap<TypeParam> n;
  a.swap(n);  // with nil
  EXPECT_TRUE(a.is_nil());
  EXPECT_FALSE(n.is_nil());
  EXPECT_EQ(n.get(2), 2);
  using std::swap;
  swap(a, n);
  EXPECT_FALSE(a.is_nil());
  EXPECT_TRUE(n.is_nil());
  EXPECT_EQ(a.get(2), 2);
  IntMap<TypeParam> n2;
  n.swap(n2);  // nil with nil
  EXPECT_TRUE(n.is_nil());
  EXPECT_TRUE(n2.is_nil());
}

TYPED_TEST(Handle, CopiesAcrossThreads) {
  // docs/api.md: handle copies may be passed between threads (the reference
  // count is thread-safe); concurrent reads are legal, as in Go.
  auto m = make_map<TypeParam, int, std::string>();
  for (int i = 0; i < 100; ++i) m.set(i, std::to_string(i));
  std::vector<std::thread> threads;
  threads.reserve(4);
  std::atomic<int> bad{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([copy = m, &bad] {
      for (int i = 0; i < 20000; ++i) {
        // NOLINTNEXTLINE(performance-unnecessary-copy-initialization)
        StrMapByInt<TypeParam> local = copy;  // copy and destroy handles
        if (local.get(i % 100) != std::to_string(i % 100)) bad.fetch_add(1);
      }
    });
  }
  m = nullptr;  // the threads' copies keep the map alive
  for (auto& th : threads) th.join();
  EXPECT_EQ(bad.load(), 0);
}

TYPED_TEST(Handle, CopyListInitialization) {
  IntMap<TypeParam> m = {{1, 2}, {3, 4}};
  EXPECT_EQ(m.size(), 2u);
  IntMap<TypeParam> n = nullptr;
  EXPECT_TRUE(n.is_nil());
}

// -------------------------------------------------------- initializer list

TYPED_TEST(InitList, NonNilAndLastDuplicateWins) {
  // m := map[int]int{1: 10, 2: 20}  (Go rejects a duplicate constant key at
  // compile time; the spec says the last one wins.)
  IntMap<TypeParam> m{{1, 10}, {2, 20}, {1, 30}};
  EXPECT_FALSE(m.is_nil());
  EXPECT_EQ(m.size(), 2u);
  EXPECT_EQ(m.get(1), 30);
  EXPECT_EQ(m.get(2), 20);

  StrMap<TypeParam> s{{"a", 1}};
  EXPECT_FALSE(s.is_nil());
  EXPECT_EQ(s.get("a"), 1);
}

TYPED_TEST(InitList, SingleElement) {
  IntMap<TypeParam> m{{1, 10}};
  EXPECT_EQ(m.size(), 1u);
  EXPECT_EQ(m.get(1), 10);
  map_t<TypeParam, std::string, std::string> s{{"k", "v"}};
  EXPECT_EQ(s.size(), 1u);
  EXPECT_EQ(s.get("k"), "v");
}

}  // namespace
