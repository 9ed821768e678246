#include "event_bus.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

TEST(EventBus, TopicsAreIndependent) {
  examples::EventBus bus;
  std::vector<std::string> got;
  auto a = bus.subscribe(
      "a", [&](const std::string& t, const std::string& p) { got.push_back(t + "/" + p); });
  bus.subscribe("b",
                [&](const std::string& t, const std::string& p) { got.push_back(t + "/" + p); });
  EXPECT_EQ(bus.publish("a", "1"), 1u);
  EXPECT_EQ(bus.publish("b", "2"), 1u);
  EXPECT_EQ(bus.publish("c", "3"), 0u);
  bus.unsubscribe("a", a);
  EXPECT_EQ(bus.publish("a", "4"), 0u);
  EXPECT_EQ(got, (std::vector<std::string>{"a/1", "b/2"}));
}

// Concurrent subscribes to one topic are never lost (the CAS loop retries).
TEST(EventBus, ConcurrentSubscribersAllRegistered) {
  examples::EventBus bus;
  std::atomic<int> delivered{0};
  std::vector<std::thread> ts;
  ts.reserve(4);
  for (int t = 0; t < 4; ++t)
    ts.emplace_back([&] {
      for (int i = 0; i < 25; ++i)
        bus.subscribe("topic", [&](const std::string&, const std::string&) { ++delivered; });
    });
  std::thread publisher([&] {
    for (int i = 0; i < 50; ++i) bus.publish("topic", "x");
  });
  for (auto& t : ts) t.join();
  publisher.join();
  const int before = delivered.load();
  EXPECT_EQ(bus.publish("topic", "final"), 100u);
  EXPECT_EQ(delivered.load() - before, 100);
}
