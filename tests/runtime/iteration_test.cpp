// Iteration with mutation, checked against Go's specification:
//   "If a map entry that has not yet been reached is removed during
//    iteration, the corresponding iteration value will not be produced.  If
//    a map entry is created during iteration, that entry may be produced
//    during the iteration or may be skipped."
// plus: no entry is produced twice; an entry present throughout the loop is
// produced exactly once; an entry produced after the body assigned to it
// shows the assigned value; after clear() nothing more is produced.  And
// object lifetimes: every constructed K and V is destroyed exactly once, no
// moved-from or freed memory is read (ASan/UBSan run this file too).
#include <gtest/gtest.h>
#include <gomap/gomap.hpp>

#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "../common/engines.hpp"

namespace {

using gomap_test::make_map;
using gomap_test::map_t;

using gomap::runtime::map_access;

// A counted, non-trivial type (heap storage so ASan sees misuse).
struct Counted {
  static inline long live = 0;
  std::unique_ptr<std::uint64_t> v;
  Counted() : v(std::make_unique<std::uint64_t>(0)) { ++live; }
  explicit Counted(std::uint64_t x) : v(std::make_unique<std::uint64_t>(x)) { ++live; }
  Counted(const Counted& o) : v(std::make_unique<std::uint64_t>(*o.v)) { ++live; }
  Counted(Counted&& o) noexcept : v(std::move(o.v)) { ++live; }
  Counted& operator=(const Counted& o) {
    *v = *o.v;
    return *this;
  }
  Counted& operator=(Counted&& o) noexcept {
    v = std::move(o.v);
    return *this;
  }
  ~Counted() { --live; }
  std::uint64_t get() const { return *v; }  // reads moved-from? -> null deref, caught
  bool operator==(const Counted& o) const { return get() == o.get(); }
};
std::uint64_t gomap_hash(const Counted& c, std::uint64_t seed) {
  return gomap::hash<std::uint64_t>{}(c.get(), seed);
}

std::uint64_t key_id(std::uint64_t k) {
  return k;
}
std::uint64_t key_id(const std::string& k) {
  return std::stoull(k.substr(3));
}
std::uint64_t key_id(const Counted& k) {
  return k.get();
}

// One randomized loop: iterate m while mutating it at random, checking
// Go's rules against a model.
template <class TypeParam, class Key, class MakeKey>
void random_loop(std::mt19937_64& rng, std::size_t initial, MakeKey make_key, bool allow_clear) {
  auto m = make_map<TypeParam, Key, Counted>();
  std::unordered_map<std::uint64_t, std::uint64_t> model;  // key id -> value
  std::uint64_t next_id = 0;
  for (std::size_t i = 0; i < initial; i++) {
    m.set(make_key(next_id), Counted(next_id));
    model[next_id] = next_id;
    next_id++;
  }
  const auto start = model;
  std::unordered_set<std::uint64_t> produced, touched;  // touched: deleted or inserted during loop
  bool cleared = false;
  std::uniform_int_distribution<int> op(0, 99);
  for (auto&& [k, v] : m) {
    const std::uint64_t id = key_id(k);
    ASSERT_FALSE(cleared) << "entry produced after clear()";
    ASSERT_TRUE(produced.insert(id).second) << "entry produced twice: " << id;
    ASSERT_TRUE(model.count(id)) << "produced an entry that is not in the map: " << id;
    ASSERT_EQ(v.get(), model[id]) << "stale value for " << id;
    for (int n = 0; n < 3; n++) {
      const int o = op(rng);
      if (o < 25 && !model.empty()) {  // delete a random key (maybe the current one)
        auto it = model.begin();
        std::advance(it, static_cast<long>(rng() % model.size()));
        const std::uint64_t d = it->first;
        m.erase(make_key(d));
        model.erase(d);
        touched.insert(d);
      } else if (o < 60) {  // insert new keys: pushes the map through growth
        m.set(make_key(next_id), Counted(next_id));
        model[next_id] = next_id;
        touched.insert(next_id);
        next_id++;
      } else if (o < 80 && !model.empty()) {  // assign to an existing key
        auto it = model.begin();
        std::advance(it, static_cast<long>(rng() % model.size()));
        it->second += 1000000;
        m.set(make_key(it->first), Counted(it->second));
      } else if (o == 99 && allow_clear && rng() % 8 == 0) {
        m.clear();
        model.clear();
        cleared = true;
        break;
      }
    }
    if (cleared) continue;
    ASSERT_EQ(m.size(), model.size());
  }
  if (!cleared) {
    for (const auto& [id, v] : start) {
      if (touched.count(id)) continue;
      ASSERT_TRUE(produced.count(id)) << "present-throughout entry not produced: " << id;
    }
  }
  ASSERT_EQ(map_access::check_invariants(m), "");
}

GOMAP_TYPED_SUITE(Iteration);
GOMAP_TYPED_SUITE(Lifetime);
GOMAP_TYPED_SUITE(Types);
GOMAP_TYPED_SUITE(Aliasing);

TYPED_TEST(Iteration, RandomMutationUint64) {
  std::mt19937_64 rng(1);
  for (int round = 0; round < 300; round++)
    random_loop<TypeParam, std::uint64_t>(
        rng, rng() % 300, [](std::uint64_t id) { return id; }, true);
}

TYPED_TEST(Iteration, RandomMutationString) {
  std::mt19937_64 rng(2);
  for (int round = 0; round < 200; round++)
    random_loop<TypeParam, std::string>(
        rng, rng() % 200, [](std::uint64_t id) { return "key" + std::to_string(id); }, true);
  EXPECT_EQ(Counted::live, 0);
}

TYPED_TEST(Iteration, RandomMutationCountedKeys) {
  std::mt19937_64 rng(3);
  for (int round = 0; round < 200; round++)
    random_loop<TypeParam, Counted>(
        rng, rng() % 200, [](std::uint64_t id) { return Counted(id); }, true);
  EXPECT_EQ(Counted::live, 0) << "constructions and destructions do not balance";
}

TYPED_TEST(Iteration, DeleteCurrentAndNotYetReached) {
  auto m = make_map<TypeParam, int, int>();
  for (int i = 0; i < 1000; i++) m[i] = i;
  std::set<int> seen, deleted;
  for (auto&& [k, v] : m) {
    const int key = k;
    ASSERT_FALSE(deleted.count(key)) << "deleted entry produced";
    seen.insert(key);
    m.erase(key);  // the current one
    const int other = (key * 7919) % 1000;
    if (!seen.count(other)) {
      m.erase(other);
      deleted.insert(other);
    }
  }
  EXPECT_EQ(m.size(), 0u);
  EXPECT_EQ(seen.size() + deleted.size(), 1000u);
}

// Every entry but the current one deleted at the first step: nothing more is
// produced, including the entries of the current group that the walk had
// already seen as full (SwissMap's group step re-reads each slot).
TYPED_TEST(Iteration, DeletingTheRestEndsTheLoop) {
  for (int n : {5, 8, 9, 100, 1000, 5000}) {
    auto m = make_map<TypeParam, int, int>();
    for (int i = 0; i < n; i++) m[i] = i;
    int produced = 0;
    for (auto&& [k, v] : m) {
      ++produced;
      const int current = k;
      for (int i = 0; i < n; i++)
        if (i != current) m.erase(i);
    }
    EXPECT_EQ(produced, 1) << n << " entries";
    EXPECT_EQ(m.size(), 1u);
  }
}

// The same after growth: at the first step the map grows past every table
// the loop started on, then loses every original entry but the current one.
// The old tables still hold copies of those entries; none may be produced.
// Each case runs 64 times: the loop's random start decides whether the
// first entry has full slots after it in its group.
TYPED_TEST(Iteration, DeletedAfterGrowthIsNotProduced) {
  for (int n : {9, 100, 1000})
    for (int round = 0; round < 64; round++) {
      auto m = make_map<TypeParam, int, int>();
      for (int i = 0; i < n; i++) m[i] = i;
      bool first = true;
      int current = -1;
      for (auto&& [k, v] : m) {
        if (first) {
          first = false;
          current = k;
          for (int i = n; i < 5 * n; i++) m[i] = i;  // grow
          for (int i = 0; i < n; i++)
            if (i != current) m.erase(i);
          continue;
        }
        ASSERT_GE(k, n) << "entry " << k << " deleted after growth was produced (" << n
                        << " entries)";
      }
      EXPECT_EQ(m.size(), static_cast<std::size_t>(4 * n + 1));
    }
}

TYPED_TEST(Iteration, AssignedValueIsProduced) {
  auto m = make_map<TypeParam, int, int>();
  for (int i = 0; i < 500; i++) m[i] = 0;
  for (auto&& [k, v] : m) {
    if (k < 500) {
      EXPECT_TRUE(v == 0 || v == 1);
    }
    // assign to every entry not produced yet; they must show 1 later
    for (int j = 0; j < 500; j++)
      if (m.get(j) == 0 && j != k) m[j] = 1;
    for (int j = 500; j < 520; j++) m[j + static_cast<int>(m.size()) * 1000] = 7;  // growth
  }
}

TYPED_TEST(Iteration, ClearEndsLoopAndRemovesNaN) {
  auto m = make_map<TypeParam, double, int>();
  const double nan = std::numeric_limits<double>::quiet_NaN();
  for (int i = 0; i < 100; i++) m[i] = i;
  for (int i = 0; i < 10; i++) m[nan] = i;
  EXPECT_EQ(m.size(), 110u);
  int produced = 0;
  for (auto&& e : m) {
    (void)e;
    produced++;
    m.clear();
  }
  EXPECT_EQ(produced, 1);
  EXPECT_EQ(m.size(), 0u);
  m[1.0] = 1;
  int n = 0;
  for (auto&& e : m) n += (e.second == 1);
  EXPECT_EQ(n, 1);
}

TYPED_TEST(Iteration, IteratorOutlivesEveryHandle) {
  auto m = std::make_unique<map_t<TypeParam, std::string, std::string>>(
      make_map<TypeParam, std::string, std::string>());
  for (int i = 0; i < 300; i++) m->set(std::to_string(i), std::string(40, 'v'));
  auto it = m->begin();
  m.reset();  // the last handle is gone
  int n = 0;
  for (; it != std::default_sentinel; ++it) {
    EXPECT_EQ((*it).second.size(), 40u);
    n++;
  }
  EXPECT_EQ(n, 300);
}

TYPED_TEST(Iteration, IteratorSurvivesGrowthAndMapDeath) {
  std::set<int> seen;
  {
    auto m = make_map<TypeParam, int, std::string>();
    for (int i = 0; i < 100; i++) m[i] = std::to_string(i);
    auto it = m.begin();
    // The current element's references are valid until the map is mutated
    // (as for any C++ container); read it now, then mutate.
    const int first = (*it).first;
    seen.insert(first);
    for (int i = 100; i < 5000; i++) m[i] = std::to_string(i);  // several growths
    for (int i = 0; i < 5000; i += 3) m.erase(i);
    m = nullptr;
    for (++it; it != std::default_sentinel; ++it) {
      auto [k, v] = *it;
      ASSERT_EQ(v, std::to_string(k));
      ASSERT_TRUE(seen.insert(k).second);
      ASSERT_NE(k % 3, 0) << "deleted entry produced";
    }
  }
  // present throughout: 0..99 minus multiples of 3
  for (int i = 0; i < 100; i++)
    if (i % 3 != 0) {
      EXPECT_TRUE(seen.count(i)) << i;
    }
}

TYPED_TEST(Iteration, NaNKeysSurviveGrowthDuringLoop) {
  auto m = make_map<TypeParam, double, int>();
  const double nan = std::numeric_limits<double>::quiet_NaN();
  for (int i = 0; i < 40; i++) m[nan] = i;
  std::set<int> vals;
  bool grew = false;
  for (auto&& [k, v] : m) {
    if (std::isnan(k)) {
      EXPECT_TRUE(vals.insert(v).second);
    }
    if (!grew) {
      for (int i = 0; i < 2000; i++) m[static_cast<double>(i)] = -1;
      grew = true;
    }
  }
  EXPECT_EQ(vals.size(), 40u);
}

TYPED_TEST(Iteration, MoveOnlyValues) {
  auto m = make_map<TypeParam, int, std::unique_ptr<int>>();
  for (int i = 0; i < 1000; i++) m.set(i, std::make_unique<int>(i));
  for (int i = 0; i < 1000; i += 2) m.erase(i);
  long sum = 0;
  for (auto&& [k, v] : m) {
    EXPECT_EQ(*v, k);
    sum += *v;
    m.set(k + 100000, std::make_unique<int>(k + 100000));  // growth while iterating
  }
  EXPECT_GT(sum, 0);
  EXPECT_EQ(**m.find(1), 1);
}

TYPED_TEST(Iteration, RangeStopsWhenAsked) {
  auto m = make_map<TypeParam, int, int>();
  for (int i = 0; i < 100; i++) m[i] = i;
  int n = 0;
  m.range([&](const int&, int&) { return ++n < 10; });
  EXPECT_EQ(n, 10);
  n = 0;
  m.range([&](const int&, int& v) { v++, n++; });
  EXPECT_EQ(n, 100);
  EXPECT_EQ(m.get(5), 6);
}

TYPED_TEST(Lifetime, BalancedThroughGrowthClearAndDestruction) {
  {
    auto m = make_map<TypeParam, Counted, Counted>();
    for (std::uint64_t i = 0; i < 3000; i++) m.set(Counted(i), Counted(i));
    auto pinned = m.begin();  // forces kept keys on the next growth
    for (std::uint64_t i = 3000; i < 9000; i++) m.set(Counted(i), Counted(i));
    for (std::uint64_t i = 0; i < 9000; i += 2) m.erase(Counted(i));
    auto copy = gomap::maps::clone(m);
    m.clear();
    EXPECT_EQ(copy.size(), 4500u);
    for (; pinned != std::default_sentinel; ++pinned) {
    }
  }
  EXPECT_EQ(Counted::live, 0);
}

}  // namespace

namespace {

// clear() inside a loop ends it even if the body had already emptied the
// map: entries inserted after the clear are not produced either.
TYPED_TEST(Iteration, ClearOfEmptiedMapStillEndsLoop) {
  for (int round = 0; round < 50; round++) {
    auto m = make_map<TypeParam, std::string, int>(5000);
    m["k373"] = 327;
    int produced = 0;
    for (auto&& [k, v] : m) {
      produced++;
      const std::string key = k;
      m.erase(key);
      m.clear();
      m["a"] = 1;
      m["b"] = 2;
      m["c"] = 3;
    }
    ASSERT_EQ(produced, 1);
    ASSERT_EQ(m.size(), 3u);
  }
}

// Go's map[string]*T: pointer keys and values are stored inline, as values.
TYPED_TEST(Types, PointerKeysAndValues) {
  int a = 1, b = 2;
  auto m = make_map<TypeParam, int*, int*>();
  m[&a] = &b;
  m[&b] = &a;
  for (int i = 0; i < 1000; i++) m[new int(i)] = nullptr;
  EXPECT_EQ(m.get(&a), &b);
  EXPECT_EQ(*m.get(&b), 1);
  EXPECT_EQ(m.size(), 1002u);
  for (auto&& [k, v] : m)
    if (v == nullptr) delete k;
}

}  // namespace

namespace {

// Arguments that refer into the map itself stay valid through the growth
// work of the write they start (Go has no references; C++ must copy them).
TYPED_TEST(Aliasing, SetAndEraseWithReferencesIntoTheMap) {
  auto m = make_map<TypeParam, std::string, std::string>();
  for (int i = 0; i < 52; i++)
    m[std::to_string(i)] = std::string(30, static_cast<char>('a' + i % 26));
  // Find a key and value living in the map, then write with them while
  // the write triggers a growth that evacuates their bucket.
  for (int round = 0; round < 200; round++) {
    const std::string* kp = nullptr;
    std::string* vp = nullptr;
    m.range([&](const std::string& k, std::string& v) {
      kp = &k;
      vp = &v;
      return false;
    });
    const std::string kcopy = *kp, vcopy = *vp;
    m.set(*kp, *vp);  // may grow: the references must be copied first
    ASSERT_EQ(m.get(kcopy), vcopy);
    m.set("new" + std::to_string(round), *m.find(kcopy));
    m.range([&](const std::string& k, std::string&) {
      kp = &k;
      return false;
    });
    const std::string gone = *kp;
    m.erase(*kp);
    ASSERT_FALSE(m.contains(gone));
    ASSERT_EQ(gomap::runtime::map_access::check_invariants(m), "");
  }
}

}  // namespace
