// Exception safety (docs/api.md): a throwing Hash, Eq, or constructor of K or
// V — during a plain write or during the growth work it triggers — leaves
// every other entry intact, the map usable, and the writing flag released
// (a stuck flag would abort the next write with "concurrent map writes").
#include <gtest/gtest.h>
#include <gomap/gomap.hpp>

#include <cstdint>
#include <stdexcept>
#include <string>

#include "../common/engines.hpp"

namespace {

using gomap_test::make_map;
using gomap_test::map_t;

using gomap::runtime::map_access;

// Throws from the Nth call once armed.
struct Bomb {
  static inline int countdown = -1;  // -1: disarmed
  static void tick() {
    if (countdown < 0) return;
    if (countdown-- == 0) throw std::runtime_error("boom");
  }
};

struct ThrowingHash {
  std::uint64_t operator()(std::uint64_t k, std::uint64_t seed) const {
    Bomb::tick();
    return gomap::hash<std::uint64_t>{}(k, seed);
  }
};

struct ThrowingEq {
  bool operator()(std::uint64_t a, std::uint64_t b) const {
    Bomb::tick();
    return a == b;
  }
};

// A value whose copies throw when armed and whose move may throw (so the
// engine must copy during evacuation and roll back on failure).
struct FragileValue {
  std::string s;
  explicit FragileValue(std::string v = "") : s(std::move(v)) {}
  FragileValue(const FragileValue& o) : s(o.s) { Bomb::tick(); }
  FragileValue(FragileValue&& o) noexcept(false) : s(std::move(o.s)) { Bomb::tick(); }
  FragileValue& operator=(const FragileValue& o) {
    Bomb::tick();
    s = o.s;
    return *this;
  }
  FragileValue& operator=(FragileValue&&) = default;
};

// A key with nothrow moves but throwing copies: evacuation moves it, except
// while an iterator holds the old array (keys are then kept, i.e. copied).
struct FragileKey {
  std::string s;
  explicit FragileKey(std::string v = "") : s(std::move(v)) {}
  FragileKey(const FragileKey& o) : s(o.s) { Bomb::tick(); }
  FragileKey(FragileKey&&) noexcept = default;
  FragileKey& operator=(const FragileKey& o) {
    s = o.s;
    return *this;
  }
  FragileKey& operator=(FragileKey&&) noexcept = default;
  bool operator==(const FragileKey& o) const { return s == o.s; }
};
std::uint64_t gomap_hash(const FragileKey& k, std::uint64_t seed) {
  return gomap::runtime::strhash(k.s, seed);
}

template <class Engine>
class ExceptionSafety : public ::testing::Test {
 protected:
  void TearDown() override { Bomb::countdown = -1; }
};
TYPED_TEST_SUITE(ExceptionSafety, gomap_test::engine_types, gomap_test::engine_names);

template <class M>
void expect_sound(const M& m) {
  EXPECT_EQ(map_access::check_invariants(m), "");
}

TYPED_TEST(ExceptionSafety, ThrowingHashOnInsertChangesNothing) {
  auto m = make_map<TypeParam, std::uint64_t, std::uint64_t, ThrowingHash>();
  for (std::uint64_t i = 0; i < 100; i++) m[i] = i;
  Bomb::countdown = 0;
  EXPECT_THROW(m.set(1000, 1), std::runtime_error);
  EXPECT_EQ(m.size(), 100u);
  EXPECT_FALSE(m.contains(1000));
  m.set(1000, 1);  // the flag was released: no fatal
  EXPECT_EQ(m.get(1000), 1u);
  expect_sound(m);
}

// Throw at every possible hash call during a long run of inserts that
// crosses several growths: nothing is ever lost.
TYPED_TEST(ExceptionSafety, ThrowingHashDuringGrowthLosesNothing) {
  auto m = make_map<TypeParam, std::uint64_t, std::uint64_t, ThrowingHash>();
  std::uint64_t next = 0;
  int thrown = 0;
  for (int round = 0; round < 400; round++) {
    Bomb::countdown = round % 7;
    for (int j = 0; j < 10; j++) {
      try {
        m.set(next, next * 3);
        next++;
      } catch (const std::runtime_error&) {
        thrown++;
      }
    }
    Bomb::countdown = -1;
    ASSERT_EQ(m.size(), next);
    for (std::uint64_t k = 0; k < next; k++) ASSERT_EQ(m.get(k), k * 3) << k;
    ASSERT_EQ(map_access::check_invariants(m), "");
  }
  EXPECT_GT(thrown, 0);
  // The run crossed several growths (classic: B > 5; Swiss: a directory of
  // tables past the small group).
  if constexpr (gomap_test::is_classic_v<TypeParam>)
    EXPECT_GT(m.stats().B, 5);
  else
    EXPECT_GE(m.stats().capacity, 2048u);
}

TYPED_TEST(ExceptionSafety, ThrowingHashOnEraseAndClearIsHarmless) {
  auto m = make_map<TypeParam, std::uint64_t, std::uint64_t, ThrowingHash>();
  for (std::uint64_t i = 0; i < 50; i++) m[i] = i;
  Bomb::countdown = 0;
  EXPECT_THROW(m.erase(3), std::runtime_error);
  EXPECT_TRUE(m.contains(3));
  m.erase(3);
  EXPECT_FALSE(m.contains(3));
  m.clear();
  EXPECT_EQ(m.size(), 0u);
  m[7] = 7;
  expect_sound(m);
}

TYPED_TEST(ExceptionSafety, ThrowingEqDuringLookupAndWrite) {
  auto m =
      make_map<TypeParam, std::uint64_t, std::uint64_t, gomap::hash<std::uint64_t>, ThrowingEq>();
  for (std::uint64_t i = 0; i < 200; i++) m[i] = i;
  Bomb::countdown = 0;
  EXPECT_THROW((void)m.get(5), std::runtime_error);
  Bomb::countdown = 0;
  EXPECT_THROW(m.set(5, 50), std::runtime_error);
  Bomb::countdown = -1;
  EXPECT_EQ(m.get(5), 5u);
  m.set(5, 50);
  EXPECT_EQ(m.get(5), 50u);
  expect_sound(m);
}

TYPED_TEST(ExceptionSafety, ThrowingValueConstructorLeavesNewKeyAbsent) {
  auto m = make_map<TypeParam, std::uint64_t, FragileValue>();
  FragileValue v("x");
  Bomb::countdown = 0;  // the copy into the new cell throws
  EXPECT_THROW(m.set(std::uint64_t{1}, v), std::runtime_error);
  EXPECT_EQ(m.size(), 0u);
  EXPECT_FALSE(m.contains(1));
  m.set(std::uint64_t{1}, v);
  EXPECT_EQ(m.find(1)->s, "x");
}

TYPED_TEST(ExceptionSafety, ThrowingCompoundAssignmentLeavesNewKeyAbsent) {
  auto m = make_map<TypeParam, int, std::string>();
  m[1] = "a";
  struct Thrower {};
  EXPECT_THROW(m.update(2, [](std::string&) { throw Thrower{}; }), Thrower);
  EXPECT_FALSE(m.contains(2));
  EXPECT_THROW(m.update(1, [](std::string&) { throw Thrower{}; }), Thrower);
  EXPECT_EQ(m.get(1), "a");
  m[2] += "b";
  EXPECT_EQ(m.get(2), "b");
}

// Values whose moves may throw are copied during evacuation; a copy that
// throws mid-chain rolls the whole bucket back.
TYPED_TEST(ExceptionSafety, ThrowingValueCopyDuringEvacuationRollsBack) {
  auto m = make_map<TypeParam, std::uint64_t, FragileValue>();
  std::uint64_t next = 0;
  int thrown = 0;
  for (int round = 0; round < 300; round++) {
    Bomb::countdown = 1 + round % 13;
    for (int j = 0; j < 8; j++) {
      try {
        m.set(next, FragileValue(std::to_string(next)));
        next++;
      } catch (const std::runtime_error&) {
        thrown++;
      }
    }
    Bomb::countdown = -1;
    ASSERT_EQ(m.size(), next);
    for (std::uint64_t k = 0; k < next; k++) {
      FragileValue* v = m.find(k);
      ASSERT_NE(v, nullptr) << k;
      ASSERT_EQ(v->s, std::to_string(k));
    }
    ASSERT_EQ(map_access::check_invariants(m), "");
  }
  EXPECT_GT(thrown, 0);
}

// While an iterator holds the old array, evacuation copies keys; a
// throwing key copy rolls back (moving nothrow-moved values back home).
TYPED_TEST(ExceptionSafety, ThrowingKeyCopyWhileIteratingRollsBack) {
  auto m = make_map<TypeParam, FragileKey, std::string>();
  for (int i = 0; i < 52; i++) m.set(FragileKey(std::to_string(i)), std::to_string(i));  // 6.5 * 8
  auto it = m.begin();  // pins the current array
  int inserted = 52, thrown = 0;
  for (int round = 0; round < 200; round++) {
    Bomb::countdown = round % 5;
    try {
      m.set(FragileKey("n" + std::to_string(round)), "v");
      inserted++;
    } catch (const std::runtime_error&) {
      thrown++;
    }
    Bomb::countdown = -1;
    ASSERT_EQ(m.size(), static_cast<std::size_t>(inserted));
    for (int i = 0; i < 52; i++) ASSERT_EQ(m.get(FragileKey(std::to_string(i))), std::to_string(i));
    ASSERT_EQ(map_access::check_invariants(m), "");
  }
  EXPECT_GT(thrown, 0);
  // The pinned iterator still walks safely to the end.
  int n = 0;
  for (; it != m.end(); ++it) n++;
  EXPECT_GE(n, 1);
}

}  // namespace
