#include "singleflight.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>
#include <thread>
#include <vector>

TEST(SingleFlight, ConcurrentCallersShareOneExecution) {
  examples::SingleFlight<int> g;
  std::atomic<int> runs{0};
  constexpr int callers = 6;
  std::vector<std::thread> ts;
  ts.reserve(callers);
  std::vector<examples::SingleFlight<int>::Result> results(callers);
  for (int i = 0; i < callers; ++i)
    ts.emplace_back([&, i] {
      results[i] = g.run("k", [&] {
        ++runs;
        g.wait_for_waiters("k", callers - 1);
        return 42;
      });
    });
  for (auto& t : ts) t.join();
  EXPECT_EQ(runs.load(), 1);
  for (const auto& r : results) {
    EXPECT_EQ(r.value, 42);
    EXPECT_TRUE(r.shared);
  }
  EXPECT_EQ(g.waiters("k"), 0);  // the call is forgotten once done
}

TEST(SingleFlight, SequentialCallsRunAgainAndKeysAreIndependent) {
  examples::SingleFlight<int> g;
  int runs = 0;
  auto r1 = g.run("a", [&] { return ++runs; });
  auto r2 = g.run("a", [&] { return ++runs; });
  auto r3 = g.run("b", [&] { return ++runs; });
  EXPECT_EQ(r1.value, 1);
  EXPECT_EQ(r2.value, 2);
  EXPECT_EQ(r3.value, 3);
  EXPECT_FALSE(r1.shared);
}

TEST(SingleFlight, ErrorsReachEveryWaiter) {
  examples::SingleFlight<int> g;
  std::atomic<int> threw{0};
  std::vector<std::thread> ts;
  ts.reserve(3);
  for (int i = 0; i < 3; ++i)
    ts.emplace_back([&] {
      try {
        g.run("k", [&]() -> int {
          g.wait_for_waiters("k", 2);
          throw std::runtime_error("backend down");
        });
      } catch (const std::runtime_error& e) {
        if (std::string(e.what()) == "backend down") ++threw;
      }
    });
  for (auto& t : ts) t.join();
  EXPECT_EQ(threw.load(), 3);
  EXPECT_EQ(g.run("k", [] { return 7; }).value, 7);  // the failed call is not cached
}
