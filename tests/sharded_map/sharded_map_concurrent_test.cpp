// gomap::ShardedMap under concurrency: compute is atomic, load_or_store has
// one winner, size ends exact, range never sees a torn or phantom value, and
// a randomized differential test against a mutex-guarded model.  The inner
// gomap::Map's detector (fatal "concurrent map writes") and ThreadSanitizer
// watch every run: a locking mistake aborts the test.
#include <gtest/gtest.h>
#include <gomap/sharded_map.hpp>

#include <algorithm>
#include <array>
#include <atomic>
#include <cstdint>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "../common/helpers.hpp"
#include "../common/test_scale.hpp"

namespace {

using gomap::ShardedMap;
// This suite's budgets (gomap_test::sharded_budget).
std::int64_t scaled(std::int64_t n, std::int64_t floor = 1) {
  return gomap_test::scaled(n, floor, gomap_test::sharded_budget);
}

constexpr int kThreads = 4;  // more than the cores the CI machine has: preemption inside locks

using gomap_test::run_threads;

struct xorshift {
  std::uint64_t x;
  std::uint64_t next() {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return x;
  }
};

TEST(ShardedConcurrent, ComputeIncrementsAreAtomic) {
  ShardedMap<std::int64_t, std::int64_t> m(8);
  const std::int64_t n = scaled(20000, 300);
  run_threads(kThreads, [&](int t) {
    for (std::int64_t i = 0; i < n; ++i) {
      m.compute(42, [](const std::int64_t* cur) -> std::optional<std::int64_t> {
        return (cur ? *cur : 0) + 1;
      });
      // A key of this thread's own and a read of the hot key, interleaved.
      m.compute(1000 + t, [](const std::int64_t* cur) -> std::optional<std::int64_t> {
        return (cur ? *cur : 0) + 1;
      });
      const auto v = m.get(42);
      ASSERT_GE(v, 1);
      ASSERT_LE(v, kThreads * n);
    }
  });
  EXPECT_EQ(m.get(42), kThreads * n);
  for (int t = 0; t < kThreads; ++t) EXPECT_EQ(m.get(1000 + t), n);
  EXPECT_EQ(m.size(), static_cast<std::size_t>(kThreads + 1));
}

TEST(ShardedConcurrent, LoadOrStoreHasExactlyOneWinnerPerKey) {
  ShardedMap<std::int64_t, std::int64_t> m(4);
  const auto keys = static_cast<std::size_t>(scaled(20000, 500));
  // actual[t][k]: what thread t was told k maps to; won[t][k]: it stored.
  std::vector<std::vector<std::int64_t>> actual(kThreads, std::vector<std::int64_t>(keys));
  std::vector<std::vector<char>> won(kThreads, std::vector<char>(keys));
  std::atomic<int> ready{0};
  run_threads(kThreads, [&](int t) {
    ready.fetch_add(1);
    while (ready.load() < kThreads) std::this_thread::yield();  // start together
    for (std::size_t k = 0; k < keys; ++k) {
      const auto key = static_cast<std::int64_t>(k);
      auto [v, loaded] = m.load_or_store(key, key * kThreads + t);
      actual[static_cast<std::size_t>(t)][k] = v;
      won[static_cast<std::size_t>(t)][k] = static_cast<char>(!loaded);
    }
  });
  for (std::size_t k = 0; k < keys; ++k) {
    int winners = 0, winner = -1;
    for (int t = 0; t < kThreads; ++t) {
      if (won[static_cast<std::size_t>(t)][k]) {
        ++winners;
        winner = t;
      }
    }
    ASSERT_EQ(winners, 1) << "key " << k;
    const std::int64_t stored = static_cast<std::int64_t>(k) * kThreads + winner;
    for (int t = 0; t < kThreads; ++t)
      ASSERT_EQ(actual[static_cast<std::size_t>(t)][k], stored) << "key " << k << " thread " << t;
    ASSERT_EQ(m.get(static_cast<std::int64_t>(k)), stored);
  }
  EXPECT_EQ(m.size(), keys);
}

TEST(ShardedConcurrent, SizeUnderDisjointInsertsEndsExact) {
  ShardedMap<std::int64_t, std::int64_t> m(8);
  const std::int64_t n = scaled(30000, 500);
  std::atomic<bool> done{false};
  std::thread watcher([&] {
    // Inserts only, so each shard only grows: successive sums never shrink.
    std::size_t last = 0;
    while (!done.load()) {
      const std::size_t s = m.size();
      ASSERT_GE(s, last);
      ASSERT_LE(s, static_cast<std::size_t>(kThreads * n));
      last = s;
    }
  });
  run_threads(kThreads, [&](int t) {
    for (std::int64_t i = 0; i < n; ++i) m.set(t * n + i, i);
  });
  done = true;
  watcher.join();
  EXPECT_EQ(m.size(), static_cast<std::size_t>(kThreads * n));
  run_threads(kThreads, [&](int t) {
    for (std::int64_t i = 0; i < n; i += 2) m.erase(t * n + i);
  });
  EXPECT_EQ(m.size(), static_cast<std::size_t>(kThreads * (n / 2)));
}

// A value that encodes its key and a generation: any torn or foreign value
// fails check().
using tagged = std::array<std::uint64_t, 4>;
tagged encode(std::uint64_t k, std::uint64_t gen) {
  const std::uint64_t mix = (k * 0x9E3779B97F4A7C15ull) ^ gen;
  return {k, gen, mix, ~mix};
}
bool check(std::uint64_t k, const tagged& v) {
  return v[0] == k && v[2] == ((k * 0x9E3779B97F4A7C15ull) ^ v[1]) && v[3] == ~v[2];
}

TEST(ShardedConcurrent, RangeWithWritersSeesNoTornOrPhantomValues) {
  ShardedMap<std::uint64_t, tagged> m(8);
  constexpr std::uint64_t stable = 512;  // always present, rewritten
  constexpr std::uint64_t churn = 512;   // inserted and erased
  for (std::uint64_t k = 0; k < stable; ++k) m.set(k, encode(k, 0));
  const std::int64_t writes = scaled(100000, 2000);
  const std::int64_t ranges = scaled(200, 8);
  std::atomic<int> writers_left{2};
  std::atomic<std::int64_t> full_ranges{0};
  run_threads(4, [&](int t) {
    if (t < 2) {  // writers
      xorshift rng{0x1234567ull + static_cast<std::uint64_t>(t)};
      for (std::int64_t i = 1; i <= writes; ++i) {
        const std::uint64_t r = rng.next();
        const std::uint64_t k = r % (stable + churn);
        const auto gen = static_cast<std::uint64_t>(i);
        switch ((r >> 32) % 4) {
          case 0:
          case 1:
            m.set(k, encode(k, gen));
            break;
          case 2:
            m.compute(k, [&](const tagged* cur) -> std::optional<tagged> {
              return encode(k, cur ? (*cur)[1] + 1 : gen);
            });
            break;
          case 3:
            if (k >= stable) m.erase(k);  // stable keys are never removed
            break;
        }
      }
      writers_left.fetch_sub(1);
      return;
    }
    // readers: keep ranging while the writers run, at least `ranges` times
    for (std::int64_t i = 0; i < ranges || writers_left.load() > 0; ++i) {
      std::set<std::uint64_t> seen;
      std::uint64_t stable_seen = 0;
      bool ok = true;
      m.range([&](const std::uint64_t& k, const tagged& v) {
        if (k >= stable + churn || !check(k, v) || !seen.insert(k).second) {
          ok = false;
          return false;
        }
        if (k < stable) ++stable_seen;
        return true;
      });
      ASSERT_TRUE(ok) << "torn, phantom or repeated entry";
      ASSERT_EQ(stable_seen, stable) << "a key present throughout was missed";
      full_ranges.fetch_add(1);
    }
  });
  EXPECT_GE(full_ranges.load(), 2 * ranges);
  m.range([&](const std::uint64_t& k, const tagged& v) { EXPECT_TRUE(check(k, v)); });
}

TEST(ShardedConcurrent, ConcurrentClearAndWritersKeepTheMapSound) {
  ShardedMap<std::uint64_t, tagged> m(4);
  const std::int64_t ops = scaled(40000, 1000);
  run_threads(kThreads, [&](int t) {
    xorshift rng{0xabcdefull + static_cast<std::uint64_t>(t)};
    for (std::int64_t i = 0; i < ops; ++i) {
      const std::uint64_t r = rng.next();
      const std::uint64_t k = r % 2048;
      switch ((r >> 40) % 64) {
        case 0:
          m.clear();
          break;
        case 1:
          m.range([&](const std::uint64_t& key, const tagged& v) {
            EXPECT_TRUE(check(key, v));
            return (r >> 20) % 8 != 0;
          });
          break;
        case 2:
          (void)m.size();
          break;
        default:
          if (r & 1) {
            m.set(k, encode(k, r));
          } else if (r & 2) {
            m.erase(k);
          } else {
            auto [v, ok] = m.lookup(k);
            if (ok) {
              ASSERT_TRUE(check(k, v));
            }
          }
      }
    }
  });
  std::size_t n = 0;
  m.range([&](const std::uint64_t& k, const tagged& v) {
    ++n;
    EXPECT_TRUE(check(k, v));
  });
  EXPECT_EQ(n, m.size());
}

// Each operation on key k runs under the stripe lock of k, so for each key
// the map and the model see the same sequence of operations; different
// stripes run in parallel (and share shards, whose locks do the real work).
// Between phases, with every thread joined, the whole contents must agree.
TEST(ShardedConcurrent, RandomizedDifferentialAgainstLockedModel) {
  ShardedMap<std::int64_t, std::int64_t> m(4);
  std::mutex model_mu;
  std::unordered_map<std::int64_t, std::int64_t> model;
  constexpr int stripes = 64;
  std::array<std::mutex, stripes> stripe_mu;
  constexpr std::int64_t keyspace = 1024;
  const std::int64_t phases = scaled(20, 3);
  const std::int64_t ops = scaled(20000, 300);

  for (std::int64_t phase = 0; phase < phases; ++phase) {
    run_threads(kThreads, [&](int t) {
      xorshift rng{0x5eed0000ull + static_cast<std::uint64_t>(phase * kThreads + t)};
      for (std::int64_t i = 0; i < ops; ++i) {
        const std::uint64_t r = rng.next();
        const auto k = static_cast<std::int64_t>(r % keyspace);
        const auto v = static_cast<std::int64_t>((r >> 32) % 1000);
        std::lock_guard sg(stripe_mu[static_cast<std::size_t>(k % stripes)]);
        auto model_get = [&]() -> std::optional<std::int64_t> {
          std::lock_guard mg(model_mu);
          auto it = model.find(k);
          if (it == model.end()) return std::nullopt;
          return it->second;
        };
        auto model_put = [&](std::optional<std::int64_t> nv) {
          std::lock_guard mg(model_mu);
          if (nv) {
            model[k] = *nv;
          } else {
            model.erase(k);
          }
        };
        switch ((r >> 52) % 7) {
          case 0:
            m.set(k, v);
            model_put(v);
            break;
          case 1:
            m.erase(k);
            model_put(std::nullopt);
            break;
          case 2: {
            const auto want = model_get();
            ASSERT_EQ(m.lookup(k),
                      want ? std::make_pair(*want, true) : std::make_pair(std::int64_t{0}, false));
            break;
          }
          case 3: {
            const auto want = model_get();
            ASSERT_EQ(m.get(k), want.value_or(0));
            ASSERT_EQ(m.contains(k), want.has_value());
            break;
          }
          case 4: {
            const auto before = model_get();
            auto [actual, loaded] = m.load_or_store(k, v);
            ASSERT_EQ(loaded, before.has_value());
            ASSERT_EQ(actual, before.value_or(v));
            if (!before) model_put(v);
            break;
          }
          default: {
            const auto before = model_get();
            auto f = [v](const std::int64_t* cur) -> std::optional<std::int64_t> {
              if (cur == nullptr) return v % 2 ? std::optional<std::int64_t>(v) : std::nullopt;
              if (*cur % 5 == 0) return std::nullopt;
              return *cur + v;
            };
            const auto want = f(before ? &*before : nullptr);
            ASSERT_EQ(m.compute(k, f), want);
            model_put(want);
            break;
          }
        }
      }
    });
    // Quiescent: everything must agree exactly.
    ASSERT_EQ(m.size(), model.size()) << "phase " << phase;
    std::size_t seen = 0;
    m.range([&](const std::int64_t& k, const std::int64_t& v) {
      ++seen;
      auto it = model.find(k);
      EXPECT_TRUE(it != model.end() && it->second == v) << "key " << k;
    });
    ASSERT_EQ(seen, model.size());
    if (phase % 7 == 6) {
      m.clear();
      model.clear();
    }
  }
}

}  // namespace
