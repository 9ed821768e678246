// gomap::Map reads and writes: get/lookup/find, set, m[k] and compound
// assignment, erase and clear, float keys, iteration, key and value types,
// transparent lookup.
// Every expectation follows docs/api.md or, where noted, the output of a Go
// 1.19 program (the Go snippet is quoted next to it).  (Split from the former
// api_test.cpp by topic; test names unchanged.)
#include "api_common.hpp"

namespace {

using namespace api_test;

// ----------------------------------------------------------------- reading

GOMAP_TYPED_SUITE(Read);
GOMAP_TYPED_SUITE(Write);
GOMAP_TYPED_SUITE(Iterate);
GOMAP_TYPED_SUITE(FloatKeys);
GOMAP_TYPED_SUITE(Types);
GOMAP_TYPED_SUITE(Transparent);

TYPED_TEST(Read, GetAndSubscriptNeverInsert) {
  auto m = make_map<TypeParam, int, int>();
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

  auto s = make_map<TypeParam, std::string, std::string>();
  std::string got = s["absent"];
  EXPECT_EQ(got, "");
  EXPECT_EQ(s.size(), 0u);
}

TYPED_TEST(Read, SubscriptReadsLikeAValue) {
  // s = m["x"]; m["x"] == "1"; m[1] + 1 — m[k] reads as V in expressions.
  auto m = make_map<TypeParam, std::string, std::string>();
  m["x"] = "1";
  std::string s;
  s = m["x"];
  EXPECT_EQ(s, "1");
  EXPECT_TRUE(m["x"] == "1");
  EXPECT_TRUE("1" == m["x"]);
  EXPECT_TRUE(m["x"] != std::string("2"));
  EXPECT_TRUE(m["y"] == "");
  auto n = make_map<TypeParam, int, int>();
  n[1] = 10;
  EXPECT_EQ(n[1] + 1, 11);
  EXPECT_TRUE(10 == n[1]);
  EXPECT_TRUE(n[1] != 11);
  EXPECT_TRUE(n[1] < 11);
  EXPECT_EQ(m.size(), 1u);
  EXPECT_EQ(n.size(), 1u);
}

TYPED_TEST(Read, LookupContainsFind) {
  auto m = make_map<TypeParam, int, std::string>();
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

TYPED_TEST(Read, ZeroValueStoredIsFound) {
  // m[1] = 0; _, ok := m[1] -> ok is true
  auto m = make_map<TypeParam, int, int>();
  m.set(1, 0);
  EXPECT_TRUE(m.contains(1));
  EXPECT_TRUE(m.lookup(1).second);
  EXPECT_EQ(m.size(), 1u);
}

// ----------------------------------------------------------------- writing

TYPED_TEST(Write, SetOverwritesAndSubscriptAssigns) {
  auto m = make_map<TypeParam, int, int>();
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

TYPED_TEST(Write, CompoundAssignMissingKeyReadsZero) {
  // m := map[string]int{}
  // m["add"] += 5; m["sub"] -= 5; m["mul"] *= 5; m["div"] /= 5; m["mod"] %= 5
  // m["and"] &= 5; m["or"] |= 5; m["xor"] ^= 5; m["shl"] <<= 3; m["shr"] >>= 3
  // m["inc"]++; m["dec"]--; fmt.Println(len(m), m)
  // -> 12 map[add:5 and:0 dec:-1 div:0 inc:1 mod:0 mul:0 or:5 shl:0 shr:0 sub:-5 xor:5]
  auto m = make_map<TypeParam, std::string, int>();
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

TYPED_TEST(Write, CompoundAssignExistingKey) {
  // e := map[string]int{"add": 7, "sub": 7, "mul": 7, "div": 7, "mod": 7, "and": 7,
  //   "or": 8, "xor": 7, "shl": 7, "shr": 7, "inc": 7, "dec": 7}
  // e["add"] += 5 ... e["shl"] <<= 3; e["shr"] >>= 1; e["inc"]++; e["dec"]--
  // -> 12 map[add:12 and:5 dec:6 div:1 inc:8 mod:2 mul:35 or:13 shl:56 shr:3 sub:2 xor:2]
  StrMap<TypeParam> e{{"add", 7}, {"sub", 7}, {"mul", 7}, {"div", 7}, {"mod", 7}, {"and", 7},
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

TYPED_TEST(Write, CompoundAssignStringsAndFloats) {
  // s := map[int]string{}; s[1] += "x"; s[1] += "y" -> map[1:xy]
  auto s = make_map<TypeParam, int, std::string>();
  s[1] += "x";
  s[1] += std::string("y");
  EXPECT_EQ(s.get(1), "xy");
  EXPECT_EQ(s.size(), 1u);
  // f := map[int]float64{}; f[1] += 1.5; f[2] -= 0 -> map[1:1.5 2:0], f[2] is +0
  auto f = make_map<TypeParam, int, double>();
  f[1] += 1.5;
  f[2] -= 0.0;
  EXPECT_EQ(f.get(1), 1.5);
  EXPECT_TRUE(f.contains(2));
  EXPECT_FALSE(std::signbit(f.get(2)));
}

TYPED_TEST(Write, CompoundAssignThroughCopiedHandle) {
  auto a = make_map<TypeParam, int, int>();
  // NOLINTNEXTLINE(performance-unnecessary-copy-initialization)
  auto b = a;
  b[1] += 4;
  b[1] *= 3;
  EXPECT_EQ(a.get(1), 12);
}

TYPED_TEST(Write, EraseMissingKeyIsNoOp) {
  auto m = make_map<TypeParam, int, int>();
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

TYPED_TEST(Write, LenAndClear) {
  auto m = make_map<TypeParam, int, int>();
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
template <class TypeParam>
[[noreturn]] void compound_from_proxy_strings() {
  StrMap<TypeParam> m{{"b", 5}};
  m["a"] += m["b"];
  m["b"] += m["b"];
  m["c"] -= m["b"];
  std::exit(gomap::to_string(m) == "map[a:5 b:10 c:-10]" ? 0 : 1);
}
template <class TypeParam>
[[noreturn]] void compound_from_proxy_ints() {
  IntMap<TypeParam> m{{1, 3}};
  m[2] *= m[1];  // missing key: 0 * 3
  m[1] *= m[1];
  ++m[3];
  m[3] <<= m[1];
  std::exit(m.get(2) == 0 && m.get(1) == 9 && m.get(3) == 512 && m.size() == 3 ? 0 : 1);
}

TYPED_TEST(Write, CompoundAssignFromAnotherEntry) {
  // m := map[string]int{"b": 5}; m["a"] += m["b"]; m["b"] += m["b"]; m["c"] -= m["b"]
  // fmt.Println(m) -> map[a:5 b:10 c:-10]
  // n := map[int]int{1: 3}; n[2] *= n[1]; n[1] *= n[1]; n[3]++; n[3] <<= n[1]
  // fmt.Println(n, len(n)) -> map[1:9 2:0 3:512] 3
  // Run in a child process: a wrong implementation may abort (fatal error).
  EXPECT_EXIT(compound_from_proxy_strings<TypeParam>(), ::testing::ExitedWithCode(0), "");
  EXPECT_EXIT(compound_from_proxy_ints<TypeParam>(), ::testing::ExitedWithCode(0), "");
}

TYPED_TEST(Write, CompoundAssignFromValueInSameMapDuringGrowth) {
  // for i := 26; i < 2000; i++ { s[i] += s[i-26] } -> s[i] == s[i-26] for all i.
  // Here the right-hand side is a reference into the map; the write that
  // starts or continues growth must not move it before it is read (as set()
  // guarantees for `m.set(k, *m.find(j))`).
  auto s = make_map<TypeParam, int, std::string>();
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
template <class TypeParam>
[[noreturn]] void set_and_add_through_views() {
  int bad = 0;
  auto s = make_map<TypeParam, int, std::string>();
  for (int i = 0; i < 26; ++i) s.set(i, std::string(5, static_cast<char>('a' + i)));  // SSO
  for (int i = 26; i < 2000; ++i) {
    s.set(i, std::string_view(*s.find(i - 26)));
    if (s.get(i) != s.get(i - 26)) ++bad;
  }
  auto t = make_map<TypeParam, int, std::string>();
  for (int i = 0; i < 26; ++i) t.set(i, std::string(5, static_cast<char>('a' + i)));
  for (int i = 26; i < 2000; ++i) {
    t[i] += std::string_view(*t.find(i - 26));
    if (t.get(i) != t.get(i - 26)) ++bad;
  }
  std::exit(bad == 0 ? 0 : 1);
}

TYPED_TEST(Write, ViewIntoSameMapDuringGrowth) {
  // Go: for i := 26; i < 2000; i++ { s[i] = s[i-26] } (and s[i] += s[i-26]):
  // the right-hand side is read before the write.  Here it is a
  // std::string_view of a value stored in the map (a short string lives in
  // the bucket itself), passed to set() and to +=, while the write grows
  // the map.
  EXPECT_EXIT(set_and_add_through_views<TypeParam>(), ::testing::ExitedWithCode(0), "");
}

TYPED_TEST(Write, SetFromValueInSameMapDuringGrowth) {
  // m[i] = m[i-26] through set() and operator= with a reference into the map.
  auto s = make_map<TypeParam, int, std::string>();
  for (int i = 0; i < 26; ++i) s.set(i, std::string(40, static_cast<char>('a' + i)));
  for (int i = 26; i < 1000; ++i) s.set(i, *s.find(i - 26));
  for (int i = 1000; i < 2000; ++i) s[i] = *s.find(i - 26);
  for (int i = 0; i < 2000; ++i)
    ASSERT_EQ(s.get(i), std::string(40, static_cast<char>('a' + i % 26))) << i;
}

TYPED_TEST(Iterate, AssignEveryKeyDuringGrowth) {
  // for k, v := range m { m[k] = v + 100 } while the map is growing: every
  // entry updated once, nothing added.
  auto m = make_map<TypeParam, std::string, int>();
  const int n = gomap_test::fill_until_growth(
      m, [&](int i) { m.set(std::string(30, 'k') + std::to_string(i), i); });
  for (auto&& [k, v] : m) m[k] = v + 100;
  EXPECT_EQ(m.size(), static_cast<std::size_t>(n));
  for (int j = 0; j < n; ++j) EXPECT_EQ(m.get(std::string(30, 'k') + std::to_string(j)), j + 100);
}

// --------------------------------------------------------------- float keys

TYPED_TEST(FloatKeys, PlusAndMinusZeroAreOneKey) {
  // m2 := map[float64]int{}; m2[0] = 1; m2[math.Copysign(0, -1)] = 2; fmt.Println(m2)
  // -> map[-0:2]   (needkeyupdate: the key is overwritten too)
  auto m = make_map<TypeParam, double, int>();
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

TYPED_TEST(FloatKeys, NaNKeysAreNeverFound) {
  // m[math.NaN()] = 1; m[math.NaN()] = 2 -> len(m) == 2; m[NaN] reads 0;
  // delete(m, NaN) removes nothing; range produces both.
  auto m = make_map<TypeParam, double, int>();
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

TYPED_TEST(FloatKeys, ManyNaNKeysSurviveGrowth) {
  // Each m[NaN] = v adds an entry; evacuation (which splits NaN keys by a
  // random bit in Go) keeps every one, and iteration yields each once.
  auto m = make_map<TypeParam, double, int>();
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

TYPED_TEST(Iterate, VisitsEveryEntryOnceAndValuesAreMutable) {
  auto m = make_map<TypeParam, int, int>();
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

TYPED_TEST(Iterate, RangeEarlyStop) {
  auto m = make_map<TypeParam, int, int>();
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

TYPED_TEST(Iterate, RangeAcceptsConstValueCallback) {
  IntMap<TypeParam> m{{1, 2}, {3, 4}};
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

TYPED_TEST(Write, BoolAndFloatValues) {
  // m := map[int]bool{}; m[1] = m[1] || true; m[2] = !m[2] -> map[1:true 2:true]
  auto m = make_map<TypeParam, int, bool>();
  m[1] = m.get(1) || true;
  m[2] = !m.get(2);
  m[3] |= true;
  m[4] ^= false;
  EXPECT_EQ(gomap::to_string(m), "map[1:true 2:true 3:true 4:false]");
}

// ------------------------------------------------------ key and value types

TYPED_TEST(Types, MoveOnlyValues) {
  auto u = make_map<TypeParam, int, std::unique_ptr<int>>();
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

TYPED_TEST(Types, OverAlignedKeysAndValues) {
  auto w = make_map<TypeParam, Wide, Wide>();
  for (int i = 0; i < 1000; ++i) w.set(Wide{i}, Wide{-i});
  for (int i = 0; i < 1000; ++i) ASSERT_EQ(w.get(Wide{i}).x, -i);
  int misaligned = 0;
  for (auto&& [k, v] : w) {
    if (reinterpret_cast<std::uintptr_t>(&k) % alignof(Wide) != 0) ++misaligned;
    if (reinterpret_cast<std::uintptr_t>(&v) % alignof(Wide) != 0) ++misaligned;
  }
  EXPECT_EQ(misaligned, 0);
}

TYPED_TEST(Types, LargeKeysAndValues) {
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
  auto m = make_map<TypeParam, BigK, BigV>();
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

TYPED_TEST(Types, AssignBracedZero) {
  // m[1] = {} assigns the zero value (inserting the key).
  auto m = make_map<TypeParam, int, int>();
  m[1] = {};
  EXPECT_TRUE(m.contains(1));
  EXPECT_EQ(m.get(1), 0);
}

// ------------------------------------------------------ transparent lookup

TYPED_TEST(Transparent, StringViewAndCharPointer) {
  auto m = make_map<TypeParam, std::string, int>();
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

TYPED_TEST(Transparent, EmbeddedNulBytes) {
  // Go strings may hold NUL bytes; a string_view carries its length.
  auto m = make_map<TypeParam, std::string, int>();
  const std::string k1("a\0b", 3), k2("a\0c", 3);
  m.set(k1, 1);
  m.set(k2, 2);
  EXPECT_EQ(m.size(), 2u);
  EXPECT_EQ(m.get(std::string_view(k1)), 1);
  EXPECT_EQ(m.get(std::string_view(k2)), 2);
  EXPECT_FALSE(m.contains("a"));  // const char* stops at the NUL
}

}  // namespace
