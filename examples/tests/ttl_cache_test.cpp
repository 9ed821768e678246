#include "ttl_cache.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

using namespace std::chrono_literals;
using clock_type = std::chrono::steady_clock;

namespace {
// A clock the test moves by hand (shared with the janitor thread).
struct fake_clock {
  std::atomic<clock_type::rep> ticks{0};
  clock_type::time_point operator()() const {
    return clock_type::time_point(clock_type::duration(ticks.load()));
  }
  void advance(clock_type::duration d) { ticks += d.count(); }
};
}  // namespace

TEST(TtlCache, ExpiresBySweep) {
  fake_clock clock;
  // The janitor effectively never runs here (1 h): sweeps are explicit.
  examples::TtlCache<int> c(10s, 1h, [&] { return clock(); });
  c.set("a", 1);
  clock.advance(5s);
  c.set("b", 2);
  EXPECT_EQ(c.get("a"), 1);
  clock.advance(5s);
  EXPECT_FALSE(c.get("a"));  // expired, not yet swept
  EXPECT_EQ(c.get("b"), 2);
  EXPECT_EQ(c.sweep(), 1u);
  EXPECT_EQ(c.size(), 1u);
  c.set("b", 3);  // refresh
  clock.advance(6s);
  EXPECT_EQ(c.sweep(), 0u);
  EXPECT_EQ(c.get("b"), 3);
}

TEST(TtlCache, JanitorThreadRemovesExpiredEntries) {
  fake_clock clock;
  examples::TtlCache<int> c(1s, 1ms, [&] { return clock(); });
  for (int i = 0; i < 100; ++i) c.set(std::to_string(i), i);
  clock.advance(2s);
  // Bounded wait for the background sweep (no timing assertion).
  for (int i = 0; i < 10000 && c.size() != 0; ++i) std::this_thread::sleep_for(1ms);
  EXPECT_EQ(c.size(), 0u);
  EXPECT_GT(c.sweeps(), 0u);
}

TEST(TtlCache, ConcurrentSettersAndJanitor) {
  fake_clock clock;
  examples::TtlCache<int> c(1s, 1ms, [&] { return clock(); });
  std::vector<std::thread> ts;
  ts.reserve(3);
  for (int t = 0; t < 3; ++t)
    ts.emplace_back([&, t] {
      for (int i = 0; i < 500; ++i) {
        const std::string k = std::to_string(t) + ":" + std::to_string(i % 50);
        c.set(k, i);
        EXPECT_EQ(c.get(k), i);  // the clock stands still: fresh entries stay
      }
    });
  for (auto& t : ts) t.join();
  EXPECT_EQ(c.size(), 150u);  // nothing expired while the clock stood still
}
