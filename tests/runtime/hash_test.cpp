// docs/api.md "Keys": gomap::hash<T> (Go's seeded algorithms), custom hashers
// and ADL gomap_hash.
#include <gtest/gtest.h>
#include <gomap/hash.hpp>
#include <gomap/map.hpp>
#include <gomap/swiss_map.hpp>

#include <array>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <functional>
#include <initializer_list>
#include <limits>
#include <random>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <unordered_set>
#include <utility>
#include <vector>

#include "../common/engines.hpp"

namespace user {
// A user key type hashed through ADL gomap_hash, as Go hashes a struct.
struct Point {
  int x = 0, y = 0;
  bool operator==(const Point&) const = default;
};
inline int adl_calls = 0;
std::uint64_t gomap_hash(const Point& p, std::uint64_t seed) {
  ++adl_calls;
  return gomap::hash<int>{}(p.y, gomap::hash<int>{}(p.x, seed));
}
}  // namespace user

namespace {

constexpr std::uint64_t kSeeds[] = {0, 1, 0x9e3779b97f4a7c15ull, ~std::uint64_t{0}};

TEST(Hash, PlusMinusZeroHashAlike) {
  // f64hash: "case f == 0: return c1 * (c0 ^ h) // +0, -0"
  for (std::uint64_t seed : kSeeds) {
    EXPECT_EQ(gomap::hash<double>{}(0.0, seed), gomap::hash<double>{}(-0.0, seed));
    EXPECT_EQ(gomap::hash<float>{}(0.0f, seed), gomap::hash<float>{}(-0.0f, seed));
  }
}

TEST(Hash, ZeroHashIsGoFormula) {
  // f64hash/f32hash: case f == 0: return c1 * (c0 ^ h), with the 64-bit
  // c0 = 33054211828000289, c1 = 23344194077549503 (runtime/alg.go).
  for (std::uint64_t seed : kSeeds) {
    const std::uint64_t want = 23344194077549503ull * (33054211828000289ull ^ seed);
    EXPECT_EQ(gomap::hash<double>{}(0.0, seed), want);
    EXPECT_EQ(gomap::hash<double>{}(-0.0, seed), want);
    EXPECT_EQ(gomap::hash<float>{}(-0.0f, seed), want);
  }
}

TEST(Hash, NaNHashesDifferEveryCall) {
  // f64hash: "case f != f: return c1 * (c0 ^ h ^ uintptr(fastrand()))"
  const double qnan = std::numeric_limits<double>::quiet_NaN();
  std::set<std::uint64_t> seen, seen32;
  for (int i = 0; i < 200; ++i) {
    seen.insert(gomap::hash<double>{}(qnan, 42));
    seen32.insert(gomap::hash<float>{}(std::numeric_limits<float>::quiet_NaN(), 42));
  }
  // fastrand is 32 bits wide: allow a freak collision, never a constant.
  EXPECT_GE(seen.size(), 198u);
  EXPECT_GE(seen32.size(), 198u);
  const double neg_nan = -qnan;
  EXPECT_NE(gomap::hash<double>{}(neg_nan, 42), gomap::hash<double>{}(neg_nan, 42));
}

TEST(Hash, DeterministicPerSeed) {
  for (std::uint64_t seed : kSeeds) {
    EXPECT_EQ(gomap::hash<int>{}(12345, seed), gomap::hash<int>{}(12345, seed));
    EXPECT_EQ(gomap::hash<double>{}(1.5, seed), gomap::hash<double>{}(1.5, seed));
    EXPECT_EQ(gomap::hash<std::string>{}("hello", seed), gomap::hash<std::string>{}("hello", seed));
  }
}

template <class T>
void expect_seed_sensitive(const T& v) {
  std::set<std::uint64_t> hs;
  for (std::uint64_t seed : kSeeds) hs.insert(gomap::hash<T>{}(v, seed));
  EXPECT_EQ(hs.size(), std::size(kSeeds));
}

TEST(Hash, DifferentSeedsGiveDifferentHashes) {
  expect_seed_sensitive<int>(7);
  expect_seed_sensitive<std::int64_t>(-7);
  expect_seed_sensitive<std::uint8_t>(7);
  expect_seed_sensitive<std::int16_t>(7);
  expect_seed_sensitive<bool>(true);
  expect_seed_sensitive<double>(2.5);
  expect_seed_sensitive<double>(0.0);
  expect_seed_sensitive<float>(2.5f);
  expect_seed_sensitive<std::string>("abc");
  expect_seed_sensitive<std::string>("");
  expect_seed_sensitive<std::string>(std::string(100, 'x'));
  expect_seed_sensitive<std::pair<int, int>>({1, 2});
  expect_seed_sensitive<std::tuple<int, std::string, double>>({1, "a", 2.0});
  expect_seed_sensitive<std::array<int, 3>>({1, 2, 3});
}

TEST(Hash, DifferentValuesGiveDifferentHashes) {
  std::set<std::uint64_t> hs;
  for (int i = 0; i < 10000; ++i) hs.insert(gomap::hash<int>{}(i, 99));
  EXPECT_EQ(hs.size(), 10000u);
  std::set<std::uint64_t> ss;
  for (int i = 0; i < 10000; ++i) ss.insert(gomap::hash<std::string>{}(std::to_string(i), 99));
  EXPECT_EQ(ss.size(), 10000u);
}

TEST(Hash, StringTypesAgree) {
  // Transparent lookup needs string, string_view and const char* of the same
  // bytes to hash alike (Go: m[string(bytes)]).
  for (std::uint64_t seed : kSeeds) {
    for (const char* s : {"", "a", "abc", "abcdefgh", "abcdefghijklmnopq",
                          "a fairly long string that exceeds forty-eight bytes in total!!"}) {
      const std::uint64_t h = gomap::hash<std::string>{}(std::string(s), seed);
      EXPECT_EQ(gomap::hash<std::string>{}(std::string_view(s), seed), h) << s;
      EXPECT_EQ(gomap::hash<std::string>{}(s, seed), h) << s;
      EXPECT_EQ(gomap::hash<std::string_view>{}(std::string_view(s), seed), h) << s;
      EXPECT_EQ(gomap::hash<const char*>{}(s, seed), h) << s;
    }
  }
}

TEST(Hash, CompositesDeterministicPerSeed) {
  using P = std::pair<int, std::string>;
  using T = std::tuple<int, double, bool>;
  using A = std::array<std::int64_t, 4>;
  for (std::uint64_t seed : kSeeds) {
    EXPECT_EQ(gomap::hash<P>{}(P{1, "x"}, seed), gomap::hash<P>{}(P{1, "x"}, seed));
    EXPECT_EQ(gomap::hash<T>{}(T{1, 2.5, true}, seed), gomap::hash<T>{}(T{1, 2.5, true}, seed));
    EXPECT_EQ(gomap::hash<A>{}(A{1, 2, 3, 4}, seed), gomap::hash<A>{}(A{1, 2, 3, 4}, seed));
    // Field order matters.
    using II = std::pair<int, int>;
    EXPECT_NE(gomap::hash<II>{}(II{1, 2}, seed), gomap::hash<II>{}(II{2, 1}, seed));
    EXPECT_NE(gomap::hash<A>{}(A{1, 2, 3, 4}, seed), gomap::hash<A>{}(A{4, 3, 2, 1}, seed));
    // A struct with a float field: -0.0 and +0.0 are one key there too.
    EXPECT_EQ(gomap::hash<T>{}(T{1, 0.0, true}, seed), gomap::hash<T>{}(T{1, -0.0, true}, seed));
  }
}

TEST(Hash, CompositeWithNaNIsRandom) {
  // A Go struct with a NaN float field hashes randomly too (f64hash inside).
  using T = std::tuple<int, double>;
  const T v{1, std::numeric_limits<double>::quiet_NaN()};
  std::set<std::uint64_t> hs;
  for (int i = 0; i < 50; ++i) hs.insert(gomap::hash<T>{}(v, 5));
  EXPECT_GE(hs.size(), 49u);
}

// Keys of every supported kind in a map, on both engines.
GOMAP_TYPED_SUITE(HashInMap);
using gomap_test::make_map;

TYPED_TEST(HashInMap, CompositeWithNaNIsNeverFound) {
  using T = std::tuple<int, double>;
  const T v{1, std::numeric_limits<double>::quiet_NaN()};
  auto m = make_map<TypeParam, T, int>();
  m.set(v, 1);
  m.set(v, 2);
  EXPECT_EQ(m.size(), 2u);
  EXPECT_FALSE(m.contains(v));
}

TYPED_TEST(HashInMap, CompositeKeys) {
  auto m = make_map<TypeParam, std::pair<int, std::string>, int>();
  for (int i = 0; i < 300; ++i) m.set(std::make_pair(i, std::to_string(i)), i);
  for (int i = 0; i < 300; ++i) EXPECT_EQ(m.get(std::make_pair(i, std::to_string(i))), i);
  EXPECT_FALSE(m.contains(std::make_pair(1, std::string("2"))));
  auto a = make_map<TypeParam, std::array<int, 3>, int>();
  a.set(std::array<int, 3>{1, 2, 3}, 6);
  EXPECT_EQ(a.get(std::array<int, 3>{1, 2, 3}), 6);
  EXPECT_FALSE(a.contains(std::array<int, 3>{3, 2, 1}));
}

enum class Level : std::uint8_t { low, high };

template <class Engine, class K>
void round_trip(std::initializer_list<K> keys) {
  auto m = make_map<Engine, K, int>();
  int i = 0;
  for (const K& k : keys) m.set(k, i++);
  EXPECT_EQ(m.size(), keys.size());
  i = 0;
  for (const K& k : keys) EXPECT_EQ(m.get(k), i++);
}

TYPED_TEST(HashInMap, SupportedKeyTypes) {
  // docs/api.md: integers, enums, bool, char types, pointers, float, double,
  // std::string, std::string_view, pair, tuple, array.
  round_trip<TypeParam, char>({'a', 'b', '\0'});
  round_trip<TypeParam, signed char>({-1, 0, 1});
  round_trip<TypeParam, unsigned char>({0, 255});
  round_trip<TypeParam, wchar_t>({L'a', L'z'});
  round_trip<TypeParam, char8_t>({u8'a', u8'b'});
  round_trip<TypeParam, char16_t>({u'a', u'\xffff'});
  round_trip<TypeParam, char32_t>({U'a', U'\x10ffff'});
  round_trip<TypeParam, short>({-5, 5});
  round_trip<TypeParam, unsigned long long>({0, ~0ull});
  round_trip<TypeParam, bool>({false, true});
  round_trip<TypeParam, Level>({Level::low, Level::high});
  int x = 0, y = 0;
  round_trip<TypeParam, int*>({&x, &y, nullptr});
  round_trip<TypeParam, float>({1.5f, -2.0f, 0.0f});
  round_trip<TypeParam, std::string_view>({"a", "b", ""});
  round_trip<TypeParam, std::tuple<>>({std::tuple<>{}});
  round_trip<TypeParam, std::array<char, 3>>({{'a', 'b', 'c'}, {'c', 'b', 'a'}});
  round_trip<TypeParam, std::pair<double, std::string>>({{1.5, "x"}, {1.5, "y"}});
}

TYPED_TEST(HashInMap, StringViewKeysLookUpWithStrings) {
  auto m = make_map<TypeParam, std::string_view, int>();
  m.set(std::string_view("abc"), 1);
  const std::string s = "abc";
  EXPECT_EQ(m.get(s), 1);
  EXPECT_EQ(m.get("abc"), 1);
}

// ---------------------------------------------------------- custom hashers

// Counts calls so the tests prove the map used it.
struct UnaryHash {
  int* calls;
  std::size_t operator()(const int& k) const {
    ++*calls;
    return std::hash<int>{}(k);
  }
};
struct BinaryHash {
  int* calls;
  std::uint64_t operator()(const int& k, std::uint64_t seed) const {
    ++*calls;
    return gomap::hash<int>{}(k, seed);
  }
};
struct ModEq {  // keys equal modulo 1000 (the hashers must agree)
  bool operator()(const int& a, const int& b) const { return a % 1000 == b % 1000; }
};
struct ModHash {
  std::size_t operator()(const int& k) const { return std::hash<int>{}(k % 1000); }
};

GOMAP_TYPED_SUITE(CustomHash);

TYPED_TEST(CustomHash, StdHashUnary) {
  // std::hash<int> is the identity on libstdc++: the seed mixing must still
  // spread keys 0..N-1 well enough to work.
  auto m = make_map<TypeParam, int, int, std::hash<int>, std::equal_to<int>>();
  for (int i = 0; i < 5000; ++i) m.set(i, -i);
  EXPECT_EQ(m.size(), 5000u);
  for (int i = 0; i < 5000; ++i) ASSERT_EQ(m.get(i), -i);
  m.erase(10);
  EXPECT_FALSE(m.contains(10));
  EXPECT_EQ(m.size(), 4999u);
}

TYPED_TEST(CustomHash, UnaryCallableIsUsed) {
  int calls = 0;
  auto m = make_map<TypeParam, int, int, UnaryHash, std::equal_to<int>>(0, UnaryHash{&calls});
  for (int i = 0; i < 100; ++i) m.set(i, i);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(m.get(i), i);
  EXPECT_GE(calls, 200);
}

TYPED_TEST(CustomHash, BinaryCallableIsUsed) {
  int calls = 0;
  auto m = make_map<TypeParam, int, int, BinaryHash, std::equal_to<int>>(0, BinaryHash{&calls});
  for (int i = 0; i < 100; ++i) m.set(i, i);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(m.get(i), i);
  EXPECT_GE(calls, 200);
}

TYPED_TEST(CustomHash, CustomEqDefinesKeys) {
  auto m = make_map<TypeParam, int, int, ModHash, ModEq>();
  m.set(1, 1);
  m.set(1001, 2);  // same key under ModEq
  EXPECT_EQ(m.size(), 1u);
  EXPECT_EQ(m.get(2001), 2);
  m.erase(3001);
  EXPECT_EQ(m.size(), 0u);
}

TYPED_TEST(CustomHash, AdlGomapHash) {
  user::adl_calls = 0;
  auto m = make_map<TypeParam, user::Point, std::string>();
  for (int i = 0; i < 50; ++i) m.set(user::Point{i, -i}, std::to_string(i));
  EXPECT_EQ(m.size(), 50u);
  for (int i = 0; i < 50; ++i) EXPECT_EQ(m.get(user::Point{i, -i}), std::to_string(i));
  EXPECT_FALSE(m.contains(user::Point{1, 1}));
  EXPECT_GE(user::adl_calls, 100);
  // gomap::hash<Point> is the ADL function.
  EXPECT_EQ(gomap::hash<user::Point>{}(user::Point{3, 4}, 77),
            user::gomap_hash(user::Point{3, 4}, 77));
}

// ------------------------------------------------- Go's memhashFallback

// docs/api.md: gomap::hash implements Go's wyhash-based memhash.  Go's hashkey is
// random per process, so the comparison goes through the runtime's
// fallback entry point with a fixed key.  Expected values: Go 1.19's
// memhashFallback / memhash32Fallback / memhash64Fallback (runtime/hash64.go)
// copied verbatim into a Go program with hashkey[0] = 0x0123456789abcdef,
// buf[i] = byte(i*7 + 1), seed 0x5eed, run with /usr/lib/go-1.19/bin/go.
TEST(Hash, MemhashFallbackMatchesGo) {
  gomap::runtime::alg_state a{};
  a.use_aes = false;
  a.hashkey[0] = 0x0123456789abcdefull;
  std::uint8_t buf[120];
  for (int i = 0; i < 120; ++i) buf[i] = static_cast<std::uint8_t>(i * 7 + 1);
  struct Row {
    std::size_t len;
    std::uint64_t want;
  };
  const Row rows[] = {
      {0, 0xa1555803f116f72dull},  {1, 0x2deb6087036c8a01ull},   {2, 0xba44d897bc4d8b0aull},
      {3, 0x29fbbf3e228657b6ull},  {4, 0xe6928db25ce735b2ull},   {5, 0x6b690ff1a925f7ddull},
      {7, 0xf51b267b1e1aac6dull},  {8, 0xd167f4cae6dc28ddull},   {9, 0x44cf4eec1aa72eddull},
      {15, 0xb0778b2834b52c39ull}, {16, 0x62942e5e48c55ab5ull},  {17, 0xa5394657fb78cfcdull},
      {31, 0x1458c7cf485c2959ull}, {32, 0xeda889196596388cull},  {33, 0xb179c8bc063931b7ull},
      {47, 0xe5527b71480b18f1ull}, {48, 0x6540e52be3c695c0ull},  {49, 0x8a1dd7ad62e665c1ull},
      {63, 0x82d290fb72a4cc33ull}, {64, 0x271f2178869a0e30ull},  {96, 0x533dac6b2dfd790full},
      {97, 0x51f5b5868b3311b0ull}, {120, 0x39952d9390a6a3e5ull},
  };
  for (const Row& r : rows)
    EXPECT_EQ(gomap::runtime::memhash_fallback(buf, 0x5eed, r.len, a), r.want) << "len " << r.len;
  EXPECT_EQ(gomap::runtime::memhash32_fallback(0xdeadbeefu, 0x5eed, a), 0x79a2afa42837d1faull);
  EXPECT_EQ(gomap::runtime::memhash64_fallback(0x0123456789abcdefull, 0x5eed, a),
            0x2841b18ebdcb5496ull);
}

// The inlined scalar hashes are Go's memhash32Fallback / memhash64Fallback
// with the per-process key hashkey[0] = m1 (the map's random seed stands in
// for Go's random key).
TEST(Hash, ScalarHashIsMemhashFallbackWithKeyM1) {
  gomap::runtime::alg_state a{};
  a.use_aes = false;
  a.hashkey[0] = gomap::runtime::m1;
  std::mt19937_64 rng(20261208);
  for (int i = 0; i < 10000; ++i) {
    const std::uint64_t v = rng(), seed = rng();
    ASSERT_EQ(gomap::runtime::memhash64(v, seed), gomap::runtime::memhash64_fallback(v, seed, a));
    const auto v32 = static_cast<std::uint32_t>(v);
    ASSERT_EQ(gomap::runtime::memhash32(v32, seed),
              gomap::runtime::memhash32_fallback(v32, seed, a));
  }
}

// mix is a single MUL written out on x86-64 (platform.hpp); it must fold the
// same 128-bit product as the portable form, including the carries at the
// edges of the operand range.
TEST(Hash, MixIsTheFoldedProduct) {
  auto reference = [](std::uint64_t a, std::uint64_t b) {
    const gomap::runtime::uint128 r = static_cast<gomap::runtime::uint128>(a) * b;
    return static_cast<std::uint64_t>(r >> 64) ^ static_cast<std::uint64_t>(r);
  };
  const std::uint64_t edges[] = {0,
                                 1,
                                 2,
                                 0x7fffffffffffffffull,
                                 0x8000000000000000ull,
                                 ~0ull,
                                 gomap::runtime::m1,
                                 gomap::runtime::m5 ^ 8};
  for (std::uint64_t a : edges)
    for (std::uint64_t b : edges) EXPECT_EQ(gomap::runtime::mix(a, b), reference(a, b));
  std::mt19937_64 rng(20261207);
  for (int i = 0; i < 100000; ++i) {
    const std::uint64_t a = rng(), b = rng();
    ASSERT_EQ(gomap::runtime::mix(a, b), reference(a, b)) << a << " * " << b;
  }
}

// ------------------------------------- Go's smhasher tests (hash_test.go)
// Ports of runtime/hash_test.go's TestSmhasher* on gomap::hash<std::string>,
// whichever memhash (aeshash or wyhash fallback) the CPU selected.

// HashSet.check: collisions within Go's tolerance for a 64-bit hash.
class HashSet {
 public:
  void add(std::uint64_t h) {
    set_.insert(h);
    ++n_;
  }
  void add_s(std::string_view s, std::uint64_t seed = 0) {
    add(gomap::hash<std::string>{}(s, seed));
  }
  void check() const {
    const double slop = 50.0;
    const double collisions = static_cast<double>(n_ - set_.size());
    const double pairs = static_cast<double>(n_) * static_cast<double>(n_ - 1) / 2;
    const double expected = pairs / std::pow(2.0, 64);
    const double stddev = std::sqrt(expected);
    EXPECT_LE(collisions, expected + slop * (3 * stddev + 1)) << "of " << n_ << " hashes";
  }

 private:
  std::unordered_set<std::uint64_t> set_;
  std::size_t n_ = 0;
};

TEST(Smhasher, Sanity) {
  // The hash of a key does not depend on bytes outside it, nor on alignment.
  std::mt19937_64 r(1234);
  constexpr int kRep = 10, kKeyMax = 128, kPad = 16, kOffMax = 16;
  unsigned char b[kKeyMax + kOffMax + 2 * kPad], c[kKeyMax + kOffMax + 2 * kPad];
  int bad = 0;
  for (int k = 0; k < kRep; ++k) {
    for (int n = 0; n < kKeyMax; ++n) {
      for (int i = 0; i < kOffMax; ++i) {
        for (auto& x : b) x = static_cast<unsigned char>(r());
        for (auto& x : c) x = static_cast<unsigned char>(r());
        std::memcpy(c + kPad + i, b + kPad, static_cast<std::size_t>(n));
        const std::string_view kb(reinterpret_cast<const char*>(b + kPad),
                                  static_cast<std::size_t>(n));
        const std::string_view kc(reinterpret_cast<const char*>(c + kPad + i),
                                  static_cast<std::size_t>(n));
        if (gomap::hash<std::string>{}(kb, 0) != gomap::hash<std::string>{}(kc, 0)) ++bad;
      }
    }
  }
  EXPECT_EQ(bad, 0) << "hash depends on bytes outside the key";
}

TEST(Smhasher, AppendedZeros) {
  const std::string s = "hello" + std::string(256, '\0');
  HashSet h;
  for (std::size_t i = 0; i <= s.size(); ++i) h.add_s(std::string_view(s).substr(0, i));
  h.check();
}

TEST(Smhasher, SmallKeys) {
  // All 0-2 byte strings (testing.Short()'s subset) have distinct hashes.
  HashSet h;
  char b[2];
  for (int i = 0; i < 256; ++i) {
    b[0] = static_cast<char>(i);
    h.add_s(std::string_view(b, 1));
    for (int j = 0; j < 256; ++j) {
      b[1] = static_cast<char>(j);
      h.add_s(std::string_view(b, 2));
    }
  }
  h.check();
}

TEST(Smhasher, Zeros) {
  // Different length strings of all zeros have distinct hashes (N shortened).
  const std::string z(4096, '\0');
  HashSet h;
  for (std::size_t i = 0; i <= z.size(); ++i) h.add_s(std::string_view(z).substr(0, i));
  h.check();
}

TEST(Smhasher, Seed) {
  // Different seeds give different hashes of the same key.
  HashSet h;
  for (std::uint64_t seed = 0; seed < 100000; ++seed) h.add_s("hello", seed);
  h.check();
}

TEST(Smhasher, FallbackToo) {
  // The wyhash fallback (used where the CPU lacks AES-NI) passes the same
  // checks; called directly since the startup choice cannot be switched.
  const gomap::runtime::alg_state& a = gomap::runtime::alg();
  auto fb = [&](std::string_view s, std::uint64_t seed) {
    return gomap::runtime::memhash_fallback(s.data(), seed, s.size(), a);
  };
  HashSet zeros, small, seeds;
  const std::string z(4096, '\0');
  for (std::size_t i = 0; i <= z.size(); ++i) zeros.add(fb(std::string_view(z).substr(0, i), 0));
  char b[2];
  for (int i = 0; i < 256; ++i) {
    b[0] = static_cast<char>(i);
    small.add(fb(std::string_view(b, 1), 0));
    for (int j = 0; j < 256; ++j) {
      b[1] = static_cast<char>(j);
      small.add(fb(std::string_view(b, 2), 0));
    }
  }
  for (std::uint64_t seed = 0; seed < 100000; ++seed) seeds.add(fb("hello", seed));
  zeros.check();
  small.check();
  seeds.check();
}

// ------------------------------------------------------------- map seeds

// The tophash bytes of every bucket, in bucket order: a function of the
// map's seed for a fixed key set.
template <class M>
std::vector<std::uint8_t> layout(const M& m) {
  std::vector<std::uint8_t> out;
  m.visit_buckets(
      [&](const gomap::BucketView& b) { out.insert(out.end(), b.tophash, b.tophash + 8); });
  return out;
}

TEST(MapSeed, EachMapHasItsOwnSeedAndClearRedrawsIt) {
  auto fill = [](const gomap::Map<int, int>& m) {
    for (int i = 0; i < 64; ++i) m.set(i, i);
  };
  auto a = gomap::make<int, int>(64), b = gomap::make<int, int>(64);
  fill(a);
  fill(b);
  const auto la = layout(a);
  EXPECT_NE(la, layout(b)) << "two maps placed 64 keys identically: same hash0?";
  a.clear();
  fill(a);
  EXPECT_NE(la, layout(a)) << "clear() did not re-draw hash0";
}

}  // namespace
