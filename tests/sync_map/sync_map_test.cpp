// gomap::SyncMap and gomap::HashTrieMap: Go's sync/map_test.go (1.19–1.23) ported, plus the
// C++-only guarantees (size(), load_or_compute, reclamation, construction/destruction
// balance, fork). Every test of the shared contract is a typed test over both designs
// (designs.hpp); SyncMap's read/dirty machinery has its own.
#include <gomap/sync_map.hpp>

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <set>
#include <shared_mutex>
#include <string>
#include <thread>
#include <variant>
#include <vector>

#include "../common/test_scale.hpp"
#include "designs.hpp"

namespace {

using gomap::SyncMap;
using gomap_test::map_of;
using gomap_test::scaled;

template <class D>
class SyncMaps : public ::testing::Test {};
TYPED_TEST_SUITE(SyncMaps, gomap_test::sync_map_designs, gomap_test::design_name);

// ---------------------------------------------------------------------------------------
// Reference maps (Go: sync/map_reference_test.go), with the Go 1.20/1.23 additions.

using Key = std::string;
using Val = std::string;

// RWMutexMap: a map behind a reader-writer lock.
class RWMutexMap {
 public:
  std::optional<Val> load(const Key& k) const {
    std::shared_lock lk(mu_);
    auto it = dirty_.find(k);
    if (it == dirty_.end()) return std::nullopt;
    return it->second;
  }
  void store(const Key& k, const Val& v) {
    std::unique_lock lk(mu_);
    dirty_[k] = v;
  }
  std::pair<Val, bool> load_or_store(const Key& k, const Val& v) {
    std::unique_lock lk(mu_);
    auto [it, inserted] = dirty_.emplace(k, v);
    return {it->second, !inserted};
  }
  std::optional<Val> load_and_delete(const Key& k) {
    std::unique_lock lk(mu_);
    auto it = dirty_.find(k);
    if (it == dirty_.end()) return std::nullopt;
    Val v = it->second;
    dirty_.erase(it);
    return v;
  }
  void erase(const Key& k) {
    std::unique_lock lk(mu_);
    dirty_.erase(k);
  }
  std::optional<Val> swap(const Key& k, const Val& v) {
    std::unique_lock lk(mu_);
    auto it = dirty_.find(k);
    std::optional<Val> prev;
    if (it != dirty_.end()) prev = it->second;
    dirty_[k] = v;
    return prev;
  }
  bool compare_and_swap(const Key& k, const Val& old, const Val& nv) {
    std::unique_lock lk(mu_);
    auto it = dirty_.find(k);
    if (it == dirty_.end() || it->second != old) return false;
    it->second = nv;
    return true;
  }
  bool compare_and_delete(const Key& k, const Val& old) {
    std::unique_lock lk(mu_);
    auto it = dirty_.find(k);
    if (it == dirty_.end() || it->second != old) return false;
    dirty_.erase(it);
    return true;
  }
  template <class F>
  void range(F f) const {
    std::vector<Key> keys;
    {
      std::shared_lock lk(mu_);
      for (const auto& kv : dirty_) keys.push_back(kv.first);
    }
    for (const auto& k : keys) {
      auto v = load(k);
      if (!v) continue;
      if (!f(k, *v)) break;
    }
  }
  void clear() {
    std::unique_lock lk(mu_);
    dirty_.clear();
  }
  std::size_t size() const {
    std::shared_lock lk(mu_);
    return dirty_.size();
  }

 private:
  mutable std::shared_mutex mu_;
  std::map<Key, Val> dirty_;
};

// DeepCopyMap: copy-on-write; readers load an immutable snapshot without the mutex.
class DeepCopyMap {
  using snapshot = std::map<Key, Val>;

 public:
  std::optional<Val> load(const Key& k) const {
    auto clean = clean_.load();
    auto it = clean->find(k);
    if (it == clean->end()) return std::nullopt;
    return it->second;
  }
  void store(const Key& k, const Val& v) {
    std::lock_guard lk(mu_);
    auto d = dirty();
    (*d)[k] = v;
    clean_.store(std::move(d));
  }
  std::pair<Val, bool> load_or_store(const Key& k, const Val& v) {
    if (auto cur = load(k)) return {*cur, true};
    std::lock_guard lk(mu_);
    // Reload clean in case it changed while we were waiting on mu_.
    if (auto cur = load(k)) return {*cur, true};
    auto d = dirty();
    (*d)[k] = v;
    clean_.store(std::move(d));
    return {v, false};
  }
  std::optional<Val> load_and_delete(const Key& k) {
    std::lock_guard lk(mu_);
    auto d = dirty();
    auto it = d->find(k);
    std::optional<Val> v;
    if (it != d->end()) {
      v = it->second;
      d->erase(it);
    }
    clean_.store(std::move(d));
    return v;
  }
  void erase(const Key& k) { load_and_delete(k); }
  std::optional<Val> swap(const Key& k, const Val& v) {
    std::lock_guard lk(mu_);
    auto d = dirty();
    std::optional<Val> prev;
    if (auto it = d->find(k); it != d->end()) prev = it->second;
    (*d)[k] = v;
    clean_.store(std::move(d));
    return prev;
  }
  bool compare_and_swap(const Key& k, const Val& old, const Val& nv) {
    auto clean = clean_.load();
    if (auto it = clean->find(k); it == clean->end() || it->second != old) return false;
    std::lock_guard lk(mu_);
    auto d = dirty();
    auto it = d->find(k);
    if (it == d->end() || it->second != old) return false;
    it->second = nv;
    clean_.store(std::move(d));
    return true;
  }
  bool compare_and_delete(const Key& k, const Val& old) {
    auto clean = clean_.load();
    if (auto it = clean->find(k); it == clean->end() || it->second != old) return false;
    std::lock_guard lk(mu_);
    auto d = dirty();
    auto it = d->find(k);
    if (it == d->end() || it->second != old) return false;
    d->erase(it);
    clean_.store(std::move(d));
    return true;
  }
  template <class F>
  void range(F f) const {
    auto clean = clean_.load();
    for (const auto& [k, v] : *clean) {
      if (!f(k, v)) break;
    }
  }
  void clear() {
    std::lock_guard lk(mu_);
    clean_.store(std::make_shared<const snapshot>());
  }
  std::size_t size() const { return clean_.load()->size(); }

 private:
  std::shared_ptr<snapshot> dirty() const { return std::make_shared<snapshot>(*clean_.load()); }
  std::mutex mu_;
  std::atomic<std::shared_ptr<const snapshot>> clean_{std::make_shared<const snapshot>()};
};

// ---------------------------------------------------------------------------------------
// Go's mapCall / applyCalls, with every operation of Go 1.23 plus size().

enum class Op {
  load,
  store,
  load_or_store,
  load_and_delete,
  erase,
  swap,
  compare_and_swap,
  compare_and_delete,
  clear,
  size
};
constexpr int kOps = 10;

struct Call {
  Op op;
  Key k;
  Val v, v2;
};

// Go's randValue: 0–3 letters. A small alphabet makes repeated keys (and values for the
// compare operations) likely.
std::string rand_value(std::mt19937_64& r, int alphabet) {
  std::string s(r() % 4, 'a');
  for (auto& c : s) c = static_cast<char>('a' + r() % alphabet);
  return s;
}

struct Result {
  std::optional<Val> v;
  bool ok = false;
  std::size_t n = 0;
  bool operator==(const Result&) const = default;
};

template <class M>
Result apply(M& m, const Call& c) {
  Result r;
  switch (c.op) {
    case Op::load:
      r.v = m.load(c.k);
      break;
    case Op::store:
      m.store(c.k, c.v);
      break;
    case Op::load_or_store: {
      auto [v, loaded] = m.load_or_store(c.k, c.v);
      r.v = v;
      r.ok = loaded;
      break;
    }
    case Op::load_and_delete:
      r.v = m.load_and_delete(c.k);
      break;
    case Op::erase:
      m.erase(c.k);
      break;
    case Op::swap:
      r.v = m.swap(c.k, c.v);
      break;
    case Op::compare_and_swap:
      r.ok = m.compare_and_swap(c.k, c.v, c.v2);
      break;
    case Op::compare_and_delete:
      r.ok = m.compare_and_delete(c.k, c.v);
      break;
    case Op::clear:
      m.clear();
      break;
    case Op::size:
      r.n = m.size();
      break;
  }
  return r;
}

template <class M>
std::pair<std::vector<Result>, std::map<Key, Val>> apply_calls(const std::vector<Call>& calls) {
  M m;
  std::vector<Result> results;
  results.reserve(calls.size());
  for (const auto& c : calls) results.push_back(apply(m, c));
  std::map<Key, Val> final;
  m.range([&](const Key& k, const Val& v) {
    EXPECT_TRUE(final.emplace(k, v).second) << "range visited " << k << " twice";
    return true;
  });
  EXPECT_EQ(m.size(), final.size());
  return {results, final};
}

std::vector<Call> random_calls(std::mt19937_64& r, int alphabet) {
  std::vector<Call> calls(r() % 200);
  for (auto& c : calls) {
    // Clear is rare, so that maps grow between clears.
    c.op = static_cast<Op>(r() % kOps);
    if (c.op == Op::clear && r() % 4 != 0) c.op = Op::load;
    c.k = rand_value(r, alphabet);
    c.v = rand_value(r, alphabet);
    c.v2 = rand_value(r, alphabet);
  }
  return calls;
}

template <class M, class Reference>
void check_matches(std::uint64_t seed) {
  std::mt19937_64 r(seed);
  const std::int64_t n = scaled(3000, 200);
  for (std::int64_t i = 0; i < n; ++i) {
    const auto calls = random_calls(r, i % 2 == 0 ? 3 : 26);
    auto got = apply_calls<M>(calls);
    auto want = apply_calls<Reference>(calls);
    ASSERT_EQ(got.second, want.second) << "final contents differ, sequence " << i;
    ASSERT_EQ(got.first.size(), want.first.size());
    for (std::size_t j = 0; j < calls.size(); ++j) {
      ASSERT_EQ(got.first[j], want.first[j])
          << "sequence " << i << " call " << j << " op " << static_cast<int>(calls[j].op)
          << " key '" << calls[j].k << "'";
    }
  }
}

TYPED_TEST(SyncMaps, MatchesRWMutex) {
  check_matches<map_of<TypeParam, Key, Val>, RWMutexMap>(1);
}
TYPED_TEST(SyncMaps, MatchesDeepCopy) {
  check_matches<map_of<TypeParam, Key, Val>, DeepCopyMap>(2);
}

// ---------------------------------------------------------------------------------------

TYPED_TEST(SyncMaps, Basics) {
  map_of<TypeParam, std::string, int> m;
  EXPECT_EQ(m.size(), 0u);
  EXPECT_FALSE(m.load("a"));
  m.store("a", 1);
  EXPECT_EQ(m.load("a"), 1);
  EXPECT_EQ(m.size(), 1u);
  m.store("a", 2);  // overwrite: size unchanged
  EXPECT_EQ(m.size(), 1u);
  EXPECT_EQ(m.load_or_store("a", 9), std::make_pair(2, true));
  EXPECT_EQ(m.load_or_store("b", 3), std::make_pair(3, false));
  EXPECT_EQ(m.size(), 2u);
  EXPECT_EQ(m.swap("b", 4), 3);
  EXPECT_EQ(m.swap("c", 5), std::nullopt);
  EXPECT_EQ(m.size(), 3u);
  EXPECT_FALSE(m.compare_and_swap("c", 6, 7));
  EXPECT_TRUE(m.compare_and_swap("c", 5, 7));
  EXPECT_EQ(m.load("c"), 7);
  EXPECT_FALSE(m.compare_and_delete("c", 5));
  EXPECT_TRUE(m.compare_and_delete("c", 7));
  EXPECT_EQ(m.size(), 2u);
  EXPECT_EQ(m.load_and_delete("b"), 4);
  EXPECT_EQ(m.load_and_delete("b"), std::nullopt);
  m.erase("a");
  m.erase("zzz");
  EXPECT_EQ(m.size(), 0u);
  int visits = 0;
  m.range([&](const std::string&, const int&) { return ++visits, true; });
  EXPECT_EQ(visits, 0);
  for (int i = 0; i < 100; ++i) m.store(std::to_string(i), i);
  EXPECT_EQ(m.size(), 100u);
  m.range([&](const std::string& k, const int& v) {
    EXPECT_EQ(k, std::to_string(v));
    return ++visits < 10;  // false stops
  });
  EXPECT_EQ(visits, 10);
  m.clear();
  EXPECT_EQ(m.size(), 0u);
  EXPECT_FALSE(m.load("5"));
  m.store("5", 5);
  EXPECT_EQ(m.load("5"), 5);
  EXPECT_EQ(m.size(), 1u);
}

// The read/dirty machinery follows Go: misses promote, the next write rebuilds dirty with
// deleted entries expunged, and a store revives an expunged entry.
TEST(SyncMap, PromotionAndExpunge) {
  using access = gomap::sync_map_access<int, int, gomap::hash<int>, gomap::equal_to<int>>;
  SyncMap<int, int> m;
  for (int i = 0; i < 8; ++i) m.store(i, i);
  EXPECT_TRUE(access::amended(m));
  EXPECT_EQ(access::read_size(m), 0u);
  EXPECT_EQ(access::dirty_size(m), 8u);
  for (int i = 0; i < 8; ++i) EXPECT_EQ(m.load(i), i);  // 8 misses: promoted
  EXPECT_FALSE(access::amended(m));
  EXPECT_TRUE(access::dirty_is_nil(m));
  EXPECT_EQ(access::read_size(m), 8u);
  m.erase(3);                            // read hit: entry.p = nil
  m.store(100, 100);                     // new key: dirtyLocked expunges key 3
  EXPECT_EQ(access::dirty_size(m), 8u);  // 7 live + 100
  EXPECT_FALSE(m.load(3));
  m.store(3, 33);  // unexpunge: back into dirty
  EXPECT_EQ(access::dirty_size(m), 9u);
  EXPECT_EQ(m.load(3), 33);
  EXPECT_EQ(m.size(), 9u);
  m.range([](const int&, const int&) { return true; });  // range promotes
  EXPECT_FALSE(access::amended(m));
  EXPECT_EQ(access::read_size(m), 9u);
}

// Go: TestCompareAndSwap_NonExistingKey.
TYPED_TEST(SyncMaps, CompareAndSwapOnMissingKey) {
  map_of<TypeParam, int, int> m;
  EXPECT_FALSE(m.compare_and_swap(1, 0, 42));
  EXPECT_FALSE(m.load(1));
  m.store(2, 2);  // amended read map: the locked path
  EXPECT_FALSE(m.compare_and_swap(1, 0, 42));
  EXPECT_FALSE(m.compare_and_delete(1, 0));
  EXPECT_FALSE(m.load(1));
  EXPECT_EQ(m.size(), 1u);
}

// Go: TestMapRangeNestedCall (Go issue 46399).
TYPED_TEST(SyncMaps, RangeNestedCall) {
  map_of<TypeParam, int, std::string> m;
  const char* words[] = {"hello", "world", "Go"};
  for (int i = 0; i < 3; ++i) m.store(i, words[i]);
  m.range([&](const int& key, const std::string& value) {
    m.range([&](const int& key2, const std::string& value2) {
      // We should be able to load the key offered in the Range callback, because there
      // are no concurrent Delete involved in this tested map.
      auto v = m.load(key2);
      EXPECT_TRUE(v && *v == value2) << "nested range loads unexpected value";
      // We didn't keep 42 and a value into the map before.
      EXPECT_FALSE(m.load_or_store(42, "dummy").second);
      // Store then LoadAndDelete 42: any later range won't observe it.
      m.store(42, "sync.Map");
      auto d = m.load_and_delete(42);
      EXPECT_TRUE(d && *d == "sync.Map");
      return true;
    });
    EXPECT_TRUE(m.load(key).has_value());
    (void)value;
    // Remove key from the map on the fly.
    m.erase(key);
    return true;
  });
  // After a range of deletes, all keys are gone.
  int length = 0;
  m.range([&](const int&, const std::string&) { return ++length, true; });
  EXPECT_EQ(length, 0);
  EXPECT_EQ(m.size(), 0u);
}

// A range callback may store, clear and range again on the same map.
TYPED_TEST(SyncMaps, RangeCallbackMayWriteAndClear) {
  map_of<TypeParam, int, int> m;
  for (int i = 0; i < 100; ++i) m.store(i, i);
  int seen = 0;
  m.range([&](const int& k, const int& v) {
    EXPECT_EQ(k % 1000, v);  // a key stored by this callback may be visited (HashTrieMap)
    m.store(k + 1000, v);    // new keys may or may not be visited; none is visited twice
    if (++seen == 50) m.clear();
    return true;
  });
  EXPECT_GE(seen, 50);
  std::set<int> keys;
  m.range([&](const int& k, const int&) {
    EXPECT_TRUE(keys.insert(k).second);
    return true;
  });
  EXPECT_EQ(keys.size(), m.size());
}

// Go: TestConcurrentRange.
TYPED_TEST(SyncMaps, ConcurrentRange) {
  constexpr std::int64_t map_size = 1 << 10;
  map_of<TypeParam, std::int64_t, std::int64_t> m;
  for (std::int64_t n = 1; n <= map_size; ++n) m.store(n, n);

  std::atomic<bool> done{false};
  std::vector<std::thread> threads;
  for (std::int64_t g = 2; g > 0; --g) {
    threads.emplace_back([&m, &done, g] {
      std::mt19937_64 r(static_cast<std::uint64_t>(g));
      for (std::int64_t i = 0; !done.load(std::memory_order_relaxed); ++i) {
        for (std::int64_t n = 1; n < map_size; ++n) {
          if (r() % map_size == 0) {
            m.store(n, n * i * g);
          } else {
            m.load(n);
          }
        }
      }
    });
  }
  const std::int64_t iters = scaled(1 << 10, 16);
  for (std::int64_t it = 0; it < iters; ++it) {
    std::vector<bool> seen(map_size + 1);
    std::int64_t count = 0;
    m.range([&](const std::int64_t& k, const std::int64_t& v) {
      EXPECT_EQ(v % k, 0) << "while storing multiples of " << k << ", range saw " << v;
      EXPECT_FALSE(seen[static_cast<std::size_t>(k)]) << "range visited key " << k << " twice";
      seen[static_cast<std::size_t>(k)] = true;
      ++count;
      return true;
    });
    ASSERT_EQ(count, map_size);
  }
  done.store(true);
  for (auto& t : threads) t.join();
}

// Go: TestConcurrentClear, plus: after the dust settles size() agrees with range().
TYPED_TEST(SyncMaps, ClearDuringConcurrentUse) {
  map_of<TypeParam, int, int> m;
  std::vector<std::thread> threads;
  threads.reserve(3);
  const int rounds = static_cast<int>(scaled(2000, 50));
  for (int t = 0; t < 3; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < rounds; ++i) {
        for (int k = 0; k < 16; ++k) {
          switch ((i + k + t) % 4) {
            case 0:
              m.store(k, k * 10);
              break;
            case 1: {
              if (auto v = m.load(k)) {
                EXPECT_EQ(*v, k * 10);
              }
              break;
            }
            case 2:
              m.load_or_store(k, k * 10);
              break;
            default:
              m.erase(k);
              break;
          }
        }
      }
    });
  }
  threads.emplace_back([&] {
    for (int i = 0; i < rounds; ++i) m.clear();
  });
  for (auto& t : threads) t.join();
  std::size_t n = 0;
  m.range([&](const int& k, const int& v) {
    EXPECT_EQ(v, k * 10);
    return ++n, true;
  });
  EXPECT_EQ(m.size(), n);
  m.clear();
  m.range([](const int& k, const int& v) {
    ADD_FAILURE() << "after clear, the map contains (" << k << ", " << v << ")";
    return true;
  });
  EXPECT_EQ(m.size(), 0u);
}

// load_or_store races: exactly one winner per key, and everyone sees the winner's value.
TYPED_TEST(SyncMaps, LoadOrStoreOneWinnerPerKey) {
  constexpr int kThreads = 4;
  const int keys = static_cast<int>(scaled(20000, 500));
  map_of<TypeParam, int, int> m;
  std::vector<std::vector<std::pair<int, bool>>> got(kThreads);
  std::vector<std::thread> threads;
  threads.reserve(kThreads);
  std::atomic<int> ready{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      ready.fetch_add(1);
      while (ready.load() != kThreads) std::this_thread::yield();
      got[t].reserve(static_cast<std::size_t>(keys));
      for (int k = 0; k < keys; ++k) got[t].push_back(m.load_or_store(k, t));
    });
  }
  for (auto& t : threads) t.join();
  for (int k = 0; k < keys; ++k) {
    int winners = 0;
    const auto stored = m.load(k);
    ASSERT_TRUE(stored);
    for (int t = 0; t < kThreads; ++t) {
      auto [v, loaded] = got[t][static_cast<std::size_t>(k)];
      EXPECT_EQ(v, *stored);
      if (!loaded) {
        ++winners;
        EXPECT_EQ(v, t);
      }
    }
    ASSERT_EQ(winners, 1) << "key " << k;
  }
  EXPECT_EQ(m.size(), static_cast<std::size_t>(keys));
}

// load_or_compute: f runs at most once per absent key, even when threads race for it.
TYPED_TEST(SyncMaps, LoadOrComputeRunsAtMostOnce) {
  constexpr int kThreads = 4;
  const int keys = static_cast<int>(scaled(5000, 200));
  map_of<TypeParam, int, int> m;
  std::vector<std::atomic<int>> calls(static_cast<std::size_t>(keys));
  std::vector<std::thread> threads;
  threads.reserve(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int k = 0; k < keys; ++k) {
        const int key = (t % 2 == 0) ? k : keys - 1 - k;
        auto [v, loaded] = m.load_or_compute(key, [&] {
          calls[static_cast<std::size_t>(key)].fetch_add(1);
          return key * 2;
        });
        EXPECT_EQ(v, key * 2);
        (void)loaded;
      }
    });
  }
  for (auto& t : threads) t.join();
  for (int k = 0; k < keys; ++k) ASSERT_EQ(calls[static_cast<std::size_t>(k)].load(), 1);
  // Present keys never call f; a deleted key is absent again.
  auto [v, loaded] = m.load_or_compute(0, []() -> int { throw std::logic_error("called"); });
  EXPECT_TRUE(loaded);
  EXPECT_EQ(v, 0);
  m.erase(0);
  EXPECT_EQ(m.load_or_compute(0, [] { return 7; }), std::make_pair(7, false));
  // An exception from f leaves the key absent.
  EXPECT_THROW(m.load_or_compute(-1, []() -> int { throw std::runtime_error("f"); }),
               std::runtime_error);
  EXPECT_FALSE(m.load(-1));
}

// A value type that counts its constructions and destructions, and whose copies can tell
// they came from a live object.
struct Counted {
  static inline std::atomic<std::int64_t> live{0};
  std::int64_t v = 0;
  std::int64_t check = ~std::int64_t{0};
  explicit Counted(std::int64_t x = 0) : v(x), check(~x) { live.fetch_add(1); }
  Counted(const Counted& o) : v(o.v), check(o.check) { live.fetch_add(1); }
  Counted(Counted&& o) noexcept : v(o.v), check(o.check) { live.fetch_add(1); }
  Counted& operator=(const Counted&) = default;
  ~Counted() {
    check = v;  // poison
    live.fetch_sub(1);
  }
  bool ok() const { return check == ~v; }
  bool operator==(const Counted& o) const { return v == o.v; }
};

// Reclamation: store/overwrite/delete many values through many epochs while readers run.
// The number of retired-but-unreclaimed objects stays bounded (counted exactly by the rcu
// test hook), and every Counted constructed is destroyed once the map is gone.
TYPED_TEST(SyncMaps, ReclamationBoundedAndBalanced) {
  constexpr int kReaders = 2;
  constexpr std::uint64_t kBound = 1 << 16;
  constexpr int kKeys = 64;
  const std::int64_t ops = scaled(10'000'000, 100'000);
  const auto live_before = Counted::live.load();
  const std::uint64_t epoch0 = gomap::rcu_access::epoch();
  std::uint64_t max_pending = 0;
  int recoveries = 0;
  {
    map_of<TypeParam, int, Counted> m;
    std::atomic<bool> stop{false};
    struct alignas(128) Progress {
      std::atomic<std::uint64_t> n{0};
    };
    Progress progress[kReaders];
    std::vector<std::thread> readers;
    readers.reserve(kReaders);
    for (int t = 0; t < kReaders; ++t) {
      readers.emplace_back([&, t] {
        std::uint64_t i = static_cast<std::uint64_t>(t);
        while (!stop.load(std::memory_order_relaxed)) {
          if (auto v = m.load(static_cast<int>(i++ % kKeys))) {
            if (!v->ok()) ADD_FAILURE() << "read a destroyed value";
          }
          progress[t].n.fetch_add(1, std::memory_order_release);
        }
      });
    }
    auto wait_readers_move_on = [&] {
      std::uint64_t seen[kReaders];
      for (int t = 0; t < kReaders; ++t) seen[t] = progress[t].n.load();
      for (int t = 0; t < kReaders; ++t) {
        while (progress[t].n.load() < seen[t] + 2) std::this_thread::yield();
      }
    };
    std::mt19937_64 r(7);
    for (std::int64_t i = 0; i < ops; ++i) {
      const int k = static_cast<int>(r() % kKeys);
      switch (r() % 4) {
        case 0:
          m.erase(k);
          break;
        case 1:
          m.swap(k, Counted(i));
          break;
        default:
          m.store(k, Counted(i));
          break;
      }
      if (i % 4096 != 0) continue;
      std::uint64_t pending = gomap::rcu_access::pending();
      // A reader descheduled inside its section holds reclamation back legitimately; once
      // every reader has moved on, a few collections must bring the count down.
      for (int attempt = 0; pending > kBound && attempt < 100; ++attempt) {
        ++recoveries;
        wait_readers_move_on();
        for (int c = 0; c < 3; ++c) gomap::rcu_access::collect();
        pending = gomap::rcu_access::pending();
      }
      ASSERT_LE(pending, kBound);
      max_pending = std::max(max_pending, pending);
    }
    stop.store(true);
    for (auto& t : readers) t.join();
    EXPECT_LE(m.size(), static_cast<std::size_t>(kKeys));
  }
  EXPECT_GT(gomap::rcu_access::epoch() - epoch0, static_cast<std::uint64_t>(ops) / 65536);
  gomap::rcu_barrier();
  EXPECT_EQ(gomap::rcu_access::pending(), 0u);
  EXPECT_EQ(Counted::live.load(), live_before) << "constructions and destructions differ";
  std::printf("[ info ] %lld ops, max pending %llu, recoveries %d\n", static_cast<long long>(ops),
              static_cast<unsigned long long>(max_pending), recoveries);
}

// Every path that drops a value or an entry (promotion, expunge, clear, dirty-only delete,
// destruction with a dirty map) balances constructions and destructions.
TYPED_TEST(SyncMaps, DestructionBalancesInEveryState) {
  const auto live_before = Counted::live.load();
  for (int variant = 0; variant < 6; ++variant) {
    map_of<TypeParam, int, Counted> m;
    for (int i = 0; i < 40; ++i) m.store(i, Counted(i));
    if (variant >= 1) {
      for (int i = 0; i < 40; ++i) m.load(i);  // promote
    }
    if (variant >= 2) {
      for (int i = 0; i < 40; i += 3) m.erase(i);
      m.store(100, Counted(100));  // dirtyLocked: expunge
    }
    if (variant >= 3) {
      m.store(3, Counted(3));  // unexpunge
      m.load_and_delete(100);  // dirty-only delete
      m.compare_and_delete(4, Counted(4));
    }
    if (variant == 4) m.clear();
    if (variant == 5) {
      m.range([](const int&, const Counted&) { return true; });  // promote again
      m.store(200, Counted(200));
    }
  }
  gomap::rcu_barrier();
  EXPECT_EQ(Counted::live.load(), live_before);
}

// fork() while other threads read (inside rcu read sections): the child can use the map.
TYPED_TEST(SyncMaps, ForkLeavesChildUsable) {
  map_of<TypeParam, int, int> m;
  for (int i = 0; i < 100; ++i) m.store(i, i);
  m.range([](const int&, const int&) { return true; });  // promote: loads take no lock
  std::atomic<bool> stop{false}, park{false};
  std::atomic<int> parked{0};
  std::vector<std::thread> readers;
  readers.reserve(2);
  for (int t = 0; t < 2; ++t) {
    readers.emplace_back([&] {
      for (int i = 0; !park.load(std::memory_order_relaxed); i = (i + 1) % 100) {
        if (m.load(i) != i) ADD_FAILURE();
      }
      // Park *inside* a read section: at the fork these threads are mid-read, the case
      // rcu's fork handler must release in the child.  (Parked, they are certainly not
      // inside the allocator either: LLVM 14's ASan allocator has no fork handlers, so a
      // thread caught allocating at the fork would deadlock the child's next malloc.)
      gomap::rcu_reader guard;
      if (m.load(7) != 7) ADD_FAILURE();
      parked.fetch_add(1);
      while (!stop.load(std::memory_order_relaxed)) std::this_thread::yield();
    });
  }
  park.store(true);
  while (parked.load() < 2) std::this_thread::yield();
  const pid_t pid = fork();
  ASSERT_NE(pid, -1);
  if (pid == 0) {
    alarm(60);
    bool ok = m.load(5) == 5;
    for (int i = 0; i < 1000; ++i) m.store(i, -i);  // retires, collects
    ok = ok && m.load(999) == -999 && m.size() == 1000;
    m.clear();
    ok = ok && m.size() == 0;
    gomap::rcu_synchronize();
    gomap::rcu_barrier();
    _exit(ok ? 0 : 1);
  }
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  stop.store(true);
  for (auto& t : readers) t.join();
  EXPECT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
}

}  // namespace
