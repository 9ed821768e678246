// gomap::ShardedMap, one thread at a time: the §4 API, transparent lookup,
// the shard count, the shard-bit choice and the re-entry detector.  (The
// shard lock's tests: tests/runtime/rw_spinlock_concurrent_test.cpp.)
#include <gtest/gtest.h>
#include <gomap/sharded_map.hpp>

#include <algorithm>
#include <atomic>
#include <bit>
#include <cmath>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <vector>
#include "../common/helpers.hpp"

namespace {

using gomap::ShardedMap;
using gomap::runtime::sharded_map_access;

std::map<std::int64_t, std::int64_t> contents(const ShardedMap<std::int64_t, std::int64_t>& m) {
  std::map<std::int64_t, std::int64_t> out;
  m.range([&](const std::int64_t& k, const std::int64_t& v) {
    EXPECT_TRUE(out.emplace(k, v).second) << "key " << k << " produced twice";
    return true;
  });
  return out;
}

TEST(Sharded, BasicOperations) {
  ShardedMap<std::int64_t, std::int64_t> m(4);
  EXPECT_EQ(m.size(), 0u);
  EXPECT_TRUE(m.empty());
  EXPECT_EQ(m.get(1), 0);
  EXPECT_EQ(m.lookup(1), std::make_pair(std::int64_t{0}, false));
  EXPECT_FALSE(m.contains(1));

  m.set(1, 10);
  m.set(2, 20);
  EXPECT_EQ(m.get(1), 10);
  EXPECT_EQ(m.lookup(2), std::make_pair(std::int64_t{20}, true));
  EXPECT_TRUE(m.contains(2));
  EXPECT_EQ(m.size(), 2u);

  m.set(1, 11);  // overwrite
  EXPECT_EQ(m.get(1), 11);
  EXPECT_EQ(m.size(), 2u);

  m.erase(1);
  m.erase(1);   // a no-op on a missing key
  m.erase(99);  // never present
  EXPECT_FALSE(m.contains(1));
  EXPECT_EQ(m.size(), 1u);

  for (std::int64_t i = 0; i < 1000; ++i) m.set(i, i * 3);
  EXPECT_EQ(m.size(), 1000u);
  auto all = contents(m);
  ASSERT_EQ(all.size(), 1000u);
  for (const auto& [k, v] : all) EXPECT_EQ(v, k * 3);

  m.clear();
  EXPECT_EQ(m.size(), 0u);
  EXPECT_TRUE(contents(m).empty());
  m.set(5, 6);  // usable after clear
  EXPECT_EQ(m.get(5), 6);
}

TEST(Sharded, LoadOrStore) {
  ShardedMap<std::int64_t, std::string> m;
  auto [v1, loaded1] = m.load_or_store(7, "first");
  EXPECT_EQ(v1, "first");
  EXPECT_FALSE(loaded1);
  auto [v2, loaded2] = m.load_or_store(7, "second");
  EXPECT_EQ(v2, "first");
  EXPECT_TRUE(loaded2);
  EXPECT_EQ(m.get(7), "first");
  EXPECT_EQ(m.size(), 1u);
}

TEST(Sharded, ComputeInsertUpdateDelete) {
  ShardedMap<std::int64_t, std::int64_t> m;
  int calls = 0;
  // Absent, f declines: stays absent.
  auto r = m.compute(1, [&](const std::int64_t* cur) -> std::optional<std::int64_t> {
    ++calls;
    EXPECT_EQ(cur, nullptr);
    return std::nullopt;
  });
  EXPECT_FALSE(r.has_value());
  EXPECT_FALSE(m.contains(1));
  // Absent, f stores: inserted.
  r = m.compute(1, [&](const std::int64_t* cur) -> std::optional<std::int64_t> {
    ++calls;
    EXPECT_EQ(cur, nullptr);
    return 5;
  });
  EXPECT_EQ(r, std::optional<std::int64_t>(5));
  EXPECT_EQ(m.get(1), 5);
  // Present: f sees the current value and updates it.
  r = m.compute(1, [&](const std::int64_t* cur) -> std::optional<std::int64_t> {
    ++calls;
    EXPECT_NE(cur, nullptr);
    return cur ? std::optional<std::int64_t>(*cur + 1) : std::nullopt;
  });
  EXPECT_EQ(r, std::optional<std::int64_t>(6));
  EXPECT_EQ(m.get(1), 6);
  // Present, f returns nullopt: deleted.
  r = m.compute(1, [&](const std::int64_t* cur) -> std::optional<std::int64_t> {
    ++calls;
    EXPECT_NE(cur, nullptr);
    return std::nullopt;
  });
  EXPECT_FALSE(r.has_value());
  EXPECT_FALSE(m.contains(1));
  EXPECT_EQ(m.size(), 0u);
  EXPECT_EQ(calls, 4);  // exactly once per compute
}

TEST(Sharded, ComputeThrowLeavesMapUnchangedAndUnlocked) {
  ShardedMap<std::int64_t, std::int64_t> m(1);  // one shard: any lock leak would hang below
  m.set(1, 1);
  EXPECT_THROW(m.compute(1,
                         [](const std::int64_t*) -> std::optional<std::int64_t> {
                           throw std::runtime_error("boom");
                         }),
               std::runtime_error);
  EXPECT_THROW(m.compute(2,
                         [](const std::int64_t*) -> std::optional<std::int64_t> {
                           throw std::runtime_error("boom");
                         }),
               std::runtime_error);
  EXPECT_EQ(m.get(1), 1);
  EXPECT_FALSE(m.contains(2));
  // The write lock was released: another thread can take it.
  std::thread t([&] { m.set(3, 3); });
  t.join();
  EXPECT_EQ(m.size(), 2u);
}

// Every key in one bucket with one tophash, so the inner map calls Eq on each
// stored key; Eq throws when 13 is involved.
struct same_hash {
  std::uint64_t operator()(std::int64_t, std::uint64_t) const noexcept {
    return 0xabcdef0123456789ull;
  }
};
struct eq_throws_on_13 {
  bool operator()(std::int64_t a, std::int64_t b) const {
    if (a == 13 || b == 13) throw std::runtime_error("eq");
    return a == b;
  }
};

TEST(Sharded, ThrowingEqInsideTheInnerMapReleasesTheLock) {
  ShardedMap<std::int64_t, std::int64_t, same_hash, eq_throws_on_13> m(1);
  for (std::int64_t i = 1; i <= 5; ++i) m.set(i, i);
  EXPECT_THROW(m.set(13, 0), std::runtime_error);  // under the write lock
  EXPECT_THROW(m.get(13), std::runtime_error);     // under the read lock
  EXPECT_THROW(m.load_or_store(13, 0), std::runtime_error);
  EXPECT_THROW(m.compute(13, [](const std::int64_t*) { return std::optional<std::int64_t>(1); }),
               std::runtime_error);
  std::thread t([&] { m.set(6, 6); });  // both locks were released
  t.join();
  EXPECT_EQ(m.size(), 6u);
  EXPECT_EQ(m.get(6), 6);
}

TEST(Sharded, ComputeUpdatesNegativeZeroKeyLikeAssignment) {
  // Go's needkeyupdate: m[-0.0] = v over +0.0 leaves key -0.0; compute too.
  ShardedMap<double, int> m;
  m.set(0.0, 1);
  m.compute(-0.0, [](const int* cur) -> std::optional<int> { return cur ? *cur + 1 : 0; });
  bool seen = false;
  m.range([&](const double& k, const int& v) {
    seen = true;
    EXPECT_TRUE(std::signbit(k));
    EXPECT_EQ(v, 2);
    return true;
  });
  EXPECT_TRUE(seen);
}

TEST(Sharded, TransparentStringLookup) {
  ShardedMap<std::string, int> m;
  m.set(std::string("alpha"), 1);
  m.set("beta", 2);  // const char* converts to the key
  const std::string_view a = "alpha";
  EXPECT_EQ(m.get(a), 1);
  EXPECT_EQ(m.get("beta"), 2);
  EXPECT_TRUE(m.contains(std::string_view("beta")));
  EXPECT_EQ(m.lookup(a), std::make_pair(1, true));
  EXPECT_EQ(m.lookup("gamma"), std::make_pair(0, false));
  // compute and load_or_store with a view build the std::string only to insert.
  m.compute(std::string_view("gamma"),
            [](const int* cur) -> std::optional<int> { return cur ? *cur : 3; });
  EXPECT_EQ(m.get("gamma"), 3);
  EXPECT_EQ(m.load_or_store(std::string_view("gamma"), 9), std::make_pair(3, true));
  m.erase(std::string_view("alpha"));
  EXPECT_FALSE(m.contains("alpha"));
  EXPECT_EQ(m.size(), 2u);
  // The same bytes pick the same shard whichever type carries them.
  EXPECT_EQ(sharded_map_access::shard_of(m, std::string("beta")),
            sharded_map_access::shard_of(m, std::string_view("beta")));
}

TEST(Sharded, NonTransparentKeyConvertsOnce) {
  ShardedMap<std::int64_t, int> m;
  m.set(5, 1);  // int -> int64_t
  EXPECT_EQ(m.get(5), 1);
  EXPECT_TRUE(m.contains(static_cast<short>(5)));
  m.erase(5u);
  EXPECT_FALSE(m.contains(5));
}

TEST(Sharded, ShardCount) {
  const auto hw = std::max(1u, std::thread::hardware_concurrency());
  using M = ShardedMap<int, int>;
  const std::size_t want_default = std::bit_ceil(std::size_t{4} * hw);
  EXPECT_EQ(M().shard_count(), want_default);
  EXPECT_EQ(M(0).shard_count(), want_default);
  EXPECT_EQ(M(1).shard_count(), 1u);
  EXPECT_EQ(M(2).shard_count(), 2u);
  EXPECT_EQ(M(5).shard_count(), 8u);
  EXPECT_EQ(M(32).shard_count(), 32u);
  EXPECT_EQ(M(std::size_t{1} << 40).shard_count(), gomap::runtime::max_shards);
}

TEST(Sharded, EveryShardIsUsed) {
  ShardedMap<std::int64_t, std::int64_t> m(16);
  std::vector<int> per_shard(16);
  for (std::int64_t i = 0; i < 4096; ++i) {
    m.set(i, i);
    ++per_shard[sharded_map_access::shard_of(m, i)];
  }
  for (std::size_t s = 0; s < 16; ++s) {
    EXPECT_GT(per_shard[s], 4096 / 16 / 2) << "shard " << s;
    EXPECT_EQ(sharded_map_access::shard_stats(m, s).count,
              static_cast<std::uint64_t>(per_shard[s]));
  }
}

// A seeded hash that ignores its seed: the inner maps and the shard picker
// then see the very same 64 bits, the worst case for the bit choice.
struct seedless_hash {
  std::uint64_t operator()(std::uint64_t k, std::uint64_t /*seed*/) const noexcept {
    k ^= k >> 33;  // murmur3 fmix64
    k *= 0xff51afd7ed558ccdull;
    k ^= k >> 33;
    k *= 0xc4ceb9fe1a85ec53ull;
    k ^= k >> 33;
    return k;
  }
};

TEST(Sharded, ShardBitsDoNotSkewInnerTables) {
  // Were the shard taken from the low bits, each inner map would hold only
  // keys whose low 3 bits agree: 1/8 of its buckets used, chains 8x longer,
  // overflow buckets in the hundreds.
  ShardedMap<std::uint64_t, std::uint64_t, seedless_hash> m(8);
  for (std::uint64_t i = 0; i < (1u << 14); ++i) m.set(i, i);
  for (std::size_t s = 0; s < 8; ++s) {
    const auto st = sharded_map_access::shard_stats(m, s);
    ASSERT_GT(st.count, 1000u);
    EXPECT_LT(st.overflow_buckets, st.bucket_count / 8)
        << "shard " << s << ": " << st.count << " entries in 2^" << int(st.B) << " buckets";
  }
}

// ---- the re-entry detector

using gomap_test::panic_message;

TEST(Sharded, ComputeCallbackCallingBackPanics) {
  ShardedMap<std::int64_t, std::int64_t> m(4);
  m.set(1, 1);
  const std::string msg = panic_message([&] {
    m.compute(1, [&](const std::int64_t*) -> std::optional<std::int64_t> {
      return m.get(1);  // the same shard: would self-deadlock
    });
  });
  EXPECT_NE(msg.find("ShardedMap::get called from inside a compute callback"), std::string::npos)
      << msg;
  EXPECT_NE(msg.find("write lock of shard " +
                     std::to_string(sharded_map_access::shard_of(m, std::int64_t{1}))),
            std::string::npos)
      << msg;
  EXPECT_EQ(m.get(1), 1);  // unchanged, and the lock was released

  // Every method is refused, whatever shard it would touch.
  for (std::int64_t other = 0; other < 16; ++other) {
    EXPECT_THROW(m.compute(1,
                           [&](const std::int64_t*) -> std::optional<std::int64_t> {
                             m.set(other, 0);
                             return 0;
                           }),
                 gomap::panic);
  }
  EXPECT_THROW(m.compute(1,
                         [&](const std::int64_t*) -> std::optional<std::int64_t> {
                           return static_cast<std::int64_t>(m.size());
                         }),
               gomap::panic);
  EXPECT_THROW(m.compute(1,
                         [&](const std::int64_t*) -> std::optional<std::int64_t> {
                           m.compute(1, [](const std::int64_t* c) { return std::optional(*c); });
                           return 0;
                         }),
               gomap::panic);
  EXPECT_EQ(m.size(), 1u);
  EXPECT_EQ(m.get(1), 1);
}

TEST(Sharded, RangeCallbackCallingBackPanics) {
  ShardedMap<std::int64_t, std::int64_t> m(4);
  for (std::int64_t i = 0; i < 64; ++i) m.set(i, i);
  const std::string msg = panic_message([&] {
    m.range([&](const std::int64_t& k, const std::int64_t&) {
      m.erase(k);
      return true;
    });
  });
  EXPECT_NE(msg.find("ShardedMap::erase called from inside a range callback"), std::string::npos)
      << msg;
  EXPECT_NE(msg.find("read lock of shard"), std::string::npos) << msg;
  EXPECT_THROW(m.range([&](const std::int64_t& k, const std::int64_t&) { return m.contains(k); }),
               gomap::panic);
  EXPECT_THROW(m.range([&](const std::int64_t&, const std::int64_t&) {
    m.range([](const std::int64_t&, const std::int64_t&) { return true; });
    return true;
  }),
               gomap::panic);
  EXPECT_EQ(m.size(), 64u);
  // After the throws, writers still get in.
  std::thread t([&] { m.clear(); });
  t.join();
  EXPECT_EQ(m.size(), 0u);
}

TEST(Sharded, CallbacksMayUseOtherMaps) {
  ShardedMap<std::int64_t, std::int64_t> a(2), b(2);
  for (std::int64_t i = 0; i < 10; ++i) a.set(i, i);
  a.range([&](const std::int64_t& k, const std::int64_t& v) {
    b.compute(k, [&](const std::int64_t*) -> std::optional<std::int64_t> {
      // Inside b's callback, inside a's: a is still off limits.
      EXPECT_THROW(a.get(k), gomap::panic);
      return v * 2;
    });
    return true;
  });
  EXPECT_EQ(b.size(), 10u);
  EXPECT_EQ(b.get(7), 14);
  EXPECT_EQ(a.get(7), 7);  // the frames are gone
}

TEST(Sharded, RangeStopsAndVisitsEachKeyOnce) {
  ShardedMap<std::int64_t, std::int64_t> m(8);
  for (std::int64_t i = 0; i < 500; ++i) m.set(i, -i);
  int n = 0;
  m.range([&](const std::int64_t&, const std::int64_t&) { return ++n < 10; });
  EXPECT_EQ(n, 10);
  std::set<std::int64_t> seen;
  m.range([&](const std::int64_t& k, const std::int64_t& v) {  // void-returning too
    EXPECT_EQ(v, -k);
    EXPECT_TRUE(seen.insert(k).second);
  });
  EXPECT_EQ(seen.size(), 500u);
}

TEST(Sharded, RandomizedDifferentialSingleThread) {
  ShardedMap<std::int64_t, std::int64_t> m(4);
  std::map<std::int64_t, std::int64_t> model;
  std::uint64_t x = 0x9E3779B97F4A7C15ull;
  auto next = [&] {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return x;
  };
  for (int step = 0; step < 100000; ++step) {
    const auto k = static_cast<std::int64_t>(next() % 512);
    const auto v = static_cast<std::int64_t>(next() % 1000);
    switch (next() % 9) {
      case 0:
        m.set(k, v);
        model[k] = v;
        break;
      case 1:
        m.erase(k);
        model.erase(k);
        break;
      case 2: {
        auto it = model.find(k);
        ASSERT_EQ(m.lookup(k), it == model.end() ? std::make_pair(std::int64_t{0}, false)
                                                 : std::make_pair(it->second, true));
        break;
      }
      case 3: {
        auto [actual, loaded] = m.load_or_store(k, v);
        auto [it, inserted] = model.emplace(k, v);
        ASSERT_EQ(loaded, !inserted);
        ASSERT_EQ(actual, it->second);
        break;
      }
      case 4: {
        auto r = m.compute(k, [&](const std::int64_t* cur) -> std::optional<std::int64_t> {
          if (cur == nullptr) return v % 2 ? std::optional<std::int64_t>(v) : std::nullopt;
          if (*cur % 3 == 0) return std::nullopt;
          return *cur + v;
        });
        auto it = model.find(k);
        std::optional<std::int64_t> want;
        if (it == model.end()) {
          if (v % 2) want = model[k] = v;
        } else if (it->second % 3 == 0) {
          model.erase(it);
        } else {
          want = it->second += v;
        }
        ASSERT_EQ(r, want);
        break;
      }
      case 5:
        ASSERT_EQ(m.get(k), model.count(k) ? model[k] : 0);
        break;
      case 6:
        ASSERT_EQ(m.contains(k), model.count(k) == 1);
        break;
      case 7:
        ASSERT_EQ(m.size(), model.size());
        break;
      case 8:
        if (next() % 2000 == 0) {
          m.clear();
          model.clear();
        } else if (next() % 100 == 0) {
          ASSERT_EQ(contents(m), model);
        }
        break;
    }
  }
  ASSERT_EQ(contents(m), model);
}

}  // namespace
