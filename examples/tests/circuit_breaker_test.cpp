#include "circuit_breaker.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

using namespace std::chrono_literals;
using examples::CircuitBreakers;
using State = CircuitBreakers::State;

TEST(CircuitBreaker, OpensHalfOpensAndCloses) {
  CircuitBreakers cb(2, 10s);
  const auto t0 = CircuitBreakers::clock_type::now();
  EXPECT_TRUE(cb.allow("s", t0));
  cb.record("s", false, t0);
  cb.record("s", true, t0);  // a success resets the consecutive count
  cb.record("s", false, t0);
  EXPECT_EQ(cb.state("s"), State::closed);
  cb.record("s", false, t0);
  EXPECT_EQ(cb.state("s"), State::open);
  EXPECT_FALSE(cb.allow("s", t0 + 9s));
  EXPECT_TRUE(cb.allow("s", t0 + 10s));   // the one trial call
  EXPECT_FALSE(cb.allow("s", t0 + 10s));  // no second trial
  cb.record("s", false, t0 + 10s);        // trial failed: open again
  EXPECT_EQ(cb.state("s"), State::open);
  EXPECT_FALSE(cb.allow("s", t0 + 19s));
  EXPECT_TRUE(cb.allow("s", t0 + 20s));
  cb.record("s", true, t0 + 20s);
  EXPECT_EQ(cb.state("s"), State::closed);
  EXPECT_TRUE(cb.allow("other", t0));
}

// Many threads race for the half-open trial: exactly one wins.
TEST(CircuitBreaker, ExactlyOneTrialUnderConcurrency) {
  CircuitBreakers cb(1, 1s);
  const auto t0 = CircuitBreakers::clock_type::now();
  cb.record("s", false, t0);
  std::atomic<int> allowed{0};
  std::vector<std::thread> ts;
  ts.reserve(4);
  for (int t = 0; t < 4; ++t)
    ts.emplace_back([&] {
      for (int i = 0; i < 50; ++i) allowed += cb.allow("s", t0 + 2s);
    });
  for (auto& t : ts) t.join();
  EXPECT_EQ(allowed.load(), 1);
}
