#include "feature_flags.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

TEST(FeatureFlags, SubscribersHearRealChangesInOrder) {
  examples::FeatureFlags f;
  std::vector<std::string> log;
  f.subscribe([&](const std::string& n, const std::string& o, const std::string& v) {
    log.push_back(n + ":" + o + ">" + v);
    EXPECT_EQ(f.get(n), v);  // the store already shows the change
  });
  f.set("a", "on");
  f.set("a", "on");
  f.set("a", "off");
  f.remove("a");
  f.remove("a");
  EXPECT_EQ(log, (std::vector<std::string>{"a:>on", "a:on>off", "a:off>"}));
  EXPECT_EQ(f.get("a", "dflt"), "dflt");
}

TEST(FeatureFlags, SnapshotIsConsistentUnderConcurrentWriters) {
  examples::FeatureFlags f;
  // Writers keep flags x and y equal by setting y first then x; a snapshot
  // must never see x ahead of y... it may see y ahead of x, never the reverse.
  std::atomic<bool> stop{false};
  std::thread w([&] {
    for (int i = 1; i <= 300; ++i) {
      f.set("y", std::to_string(i));
      f.set("x", std::to_string(i));
    }
    stop = true;
  });
  int checks = 0;
  std::uint64_t last_version = 0;
  while (!stop.load() || checks == 0) {
    auto [all, version] = f.snapshot();
    int x = 0, y = 0;
    for (auto& [k, v] : all) (k == "x" ? x : y) = std::stoi(v);
    EXPECT_GE(y, x);
    EXPECT_LE(y, x + 1);
    EXPECT_GE(version, last_version);
    last_version = version;
    ++checks;
  }
  w.join();
  EXPECT_EQ(f.get("x"), "300");
}

TEST(FeatureFlags, ConcurrentSubscribersSeeEveryChange) {
  examples::FeatureFlags f;
  std::atomic<int> heard{0};
  f.subscribe([&](const std::string&, const std::string&, const std::string&) { ++heard; });
  std::vector<std::thread> ts;
  ts.reserve(4);
  for (int t = 0; t < 4; ++t)
    ts.emplace_back([&, t] {
      for (int i = 0; i < 50; ++i) f.set("flag" + std::to_string(t), std::to_string(i));
    });
  for (auto& t : ts) t.join();
  EXPECT_EQ(heard.load(), 200);
}
