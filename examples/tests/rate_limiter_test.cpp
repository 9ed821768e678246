#include "rate_limiter.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

using namespace std::chrono_literals;
using examples::RateLimiter;

TEST(RateLimiter, BurstThenRefill) {
  RateLimiter rl(3, 2);  // 3 burst, 2 tokens/s
  const auto t0 = RateLimiter::clock_type::now();
  EXPECT_TRUE(rl.allow("a", t0));
  EXPECT_TRUE(rl.allow("a", t0));
  EXPECT_TRUE(rl.allow("a", t0));
  EXPECT_FALSE(rl.allow("a", t0));
  EXPECT_TRUE(rl.allow("b", t0));          // clients are independent
  EXPECT_TRUE(rl.allow("a", t0 + 500ms));  // one token refilled
  EXPECT_FALSE(rl.allow("a", t0 + 500ms));
  EXPECT_TRUE(rl.allow("a", t0 + 10s));  // refill caps at the burst
  EXPECT_TRUE(rl.allow("a", t0 + 10s));
  EXPECT_TRUE(rl.allow("a", t0 + 10s));
  EXPECT_FALSE(rl.allow("a", t0 + 10s));
}

TEST(RateLimiter, ForgetIdleDropsOnlyFullBuckets) {
  RateLimiter rl(2, 1);
  const auto t0 = RateLimiter::clock_type::now();
  rl.allow("idle", t0);
  rl.allow("busy", t0 + 1s);
  rl.allow("busy", t0 + 1s);
  rl.forget_idle(t0 + 1s);  // idle: 1 + 1 token = full; busy: 0 tokens
  EXPECT_EQ(rl.clients(), 1u);
  EXPECT_FALSE(rl.allow("busy", t0 + 1s));
}

// Under concurrency the limit is exact: no request gets a token twice.
TEST(RateLimiter, ConcurrentRequestsNeverExceedTheBurst) {
  RateLimiter rl(100, 1);
  const auto t0 = RateLimiter::clock_type::now();
  std::atomic<int> allowed{0};
  std::vector<std::thread> ts;
  ts.reserve(4);
  for (int t = 0; t < 4; ++t)
    ts.emplace_back([&] {
      for (int i = 0; i < 100; ++i) allowed += rl.allow("shared", t0);
    });
  for (auto& t : ts) t.join();
  EXPECT_EQ(allowed.load(), 100);
}
