#include "lru_cache.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <list>
#include <string>
#include <thread>
#include <vector>

TEST(LruCache, EvictsLeastRecentlyUsed) {
  examples::LruCache<std::string, int> c(2);
  EXPECT_FALSE(c.put("a", 1));
  EXPECT_FALSE(c.put("b", 2));
  EXPECT_EQ(c.get("a"), 1);
  EXPECT_EQ(c.put("c", 3), "b");
  EXPECT_FALSE(c.get("b"));
  EXPECT_FALSE(c.put("a", 10));  // update refreshes
  EXPECT_EQ(c.put("d", 4), "c");
  EXPECT_EQ(c.get("a"), 10);
  EXPECT_TRUE(c.erase("a"));
  EXPECT_FALSE(c.erase("a"));
  EXPECT_EQ(c.size(), 1u);
}

// Against a reference model (a std::list in MRU order), a long random run
// agrees on every get and every eviction — across the map's growths.
TEST(LruCache, MatchesAReferenceModel) {
  examples::LruCache<int, int> c(50);
  std::list<std::pair<int, int>> model;
  std::uint64_t x = 12345;
  for (int i = 0; i < 20000; ++i) {
    x = x * 6364136223846793005ull + 1442695040888963407ull;
    const int k = static_cast<int>((x >> 33) % 120);
    auto it = std::find_if(model.begin(), model.end(), [k](auto& p) { return p.first == k; });
    if ((x >> 20) & 1) {
      auto got = c.get(k);
      if (it == model.end()) {
        ASSERT_FALSE(got);
      } else {
        ASSERT_EQ(got, it->second);
        model.splice(model.begin(), model, it);
      }
    } else {
      auto evicted = c.put(k, i);
      std::optional<int> want;
      if (it != model.end()) {
        it->second = i;
        model.splice(model.begin(), model, it);
      } else {
        model.emplace_front(k, i);
        if (model.size() > 50) {
          want = model.back().first;
          model.pop_back();
        }
      }
      ASSERT_EQ(evicted, want);
    }
  }
  EXPECT_EQ(c.size(), model.size());
}

TEST(LruCache, ConcurrentUseStaysWithinCapacity) {
  examples::LruCache<int, int> c(64);
  std::vector<std::thread> ts;
  ts.reserve(4);
  for (int t = 0; t < 4; ++t)
    ts.emplace_back([&, t] {
      for (int i = 0; i < 2000; ++i) {
        const int k = (i * 7 + t) % 200;
        if (auto v = c.get(k)) {
          EXPECT_EQ(*v % 1000, k);
        }
        c.put(k, k + 1000 * t);
      }
    });
  for (auto& t : ts) t.join();
  EXPECT_EQ(c.size(), 64u);
}
