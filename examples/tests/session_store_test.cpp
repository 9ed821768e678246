#include "session_store.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

using namespace std::chrono_literals;

TEST(SessionStore, CreateGetExpire) {
  examples::SessionStore store(10min);
  const auto t0 = examples::clock_type::now();
  ASSERT_TRUE(store.create("a", "ada", 1, t0));
  EXPECT_FALSE(store.create("a", "mallory", 9, t0));  // ids are unique
  auto s = store.get("a", t0 + 5min);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->user, "ada");
  EXPECT_EQ(s->user_id, 1);
  EXPECT_FALSE(store.get("a", t0 + 10min));  // expired and removed
  EXPECT_EQ(store.size(), 0u);
  EXPECT_FALSE(store.get("nope", t0));
}

TEST(SessionStore, TouchSlidesExpiryAndDestroyEnds) {
  examples::SessionStore store(10min);
  const auto t0 = examples::clock_type::now();
  store.create("a", "ada", 1, t0);
  EXPECT_TRUE(store.touch("a", t0 + 9min));
  EXPECT_TRUE(store.get("a", t0 + 18min));
  EXPECT_FALSE(store.touch("b", t0));
  store.destroy("a");
  EXPECT_FALSE(store.get("a", t0 + 1min));
}

TEST(SessionStore, ConcurrentRequestsSeeTheirSessions) {
  examples::SessionStore store(1h);
  const auto t0 = examples::clock_type::now();
  constexpr int threads = 4, per = 200;
  std::atomic<int> misses{0};
  std::vector<std::thread> ts;
  ts.reserve(threads);
  for (int t = 0; t < threads; ++t) {
    ts.emplace_back([&, t] {
      for (int i = 0; i < per; ++i) {
        const std::string id = std::to_string(t) + "-" + std::to_string(i);
        store.create(id, "u" + id, i, t0);
        auto s = store.get(id, t0 + 1min);
        if (!s || s->user != "u" + id) misses.fetch_add(1);
        store.touch(id, t0 + 2min);
      }
    });
  }
  for (auto& t : ts) t.join();
  EXPECT_EQ(misses.load(), 0);
  EXPECT_EQ(store.size(), static_cast<std::size_t>(threads * per));
}
