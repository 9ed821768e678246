#include "metrics.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <thread>
#include <vector>

TEST(Metrics, CountsFromManyThreadsAreExact) {
  examples::Metrics m;
  constexpr int threads = 4, per = 2000, keys = 16;
  std::vector<std::thread> ts;
  ts.reserve(threads);
  for (int t = 0; t < threads; ++t)
    ts.emplace_back([&, t] {
      for (int i = 0; i < per; ++i) m.add("k" + std::to_string((i + t) % keys), 1 + t);
    });
  for (auto& t : ts) t.join();
  std::int64_t total = 0;
  const auto all = m.scrape();
  EXPECT_EQ(all.size(), static_cast<std::size_t>(keys));
  for (const auto& [k, v] : all) total += v;
  // each thread t adds (1 + t) per iteration
  EXPECT_EQ(total, static_cast<std::int64_t>(per) * (1 + 2 + 3 + 4));
  EXPECT_TRUE(std::is_sorted(all.begin(), all.end()));
}

TEST(Metrics, TakeReadsAndResets) {
  examples::Metrics m;
  m.add("x", 5);
  m.add("x");
  EXPECT_EQ(m.take("x"), 6);
  EXPECT_EQ(m.get("x"), 0);
  EXPECT_EQ(m.take("x"), 0);
  EXPECT_TRUE(m.scrape().empty());
}

TEST(Metrics, ConcurrentTakeLosesNothing) {
  examples::Metrics m;
  std::atomic<std::int64_t> taken{0};
  std::atomic<bool> done{false};
  std::thread exporter([&] {
    while (!done.load()) taken += m.take("events");
  });
  std::vector<std::thread> ts;
  ts.reserve(3);
  for (int t = 0; t < 3; ++t)
    ts.emplace_back([&] {
      for (int i = 0; i < 1000; ++i) m.add("events");
    });
  for (auto& t : ts) t.join();
  done = true;
  exporter.join();
  EXPECT_EQ(taken.load() + m.get("events"), 3000);
}
