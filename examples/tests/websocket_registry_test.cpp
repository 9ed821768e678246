#include "websocket_registry.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

TEST(WebsocketRegistry, BroadcastReachesRegisteredOnly) {
  examples::Registry r;
  auto a = r.connect(), b = r.connect(), c = r.connect();
  EXPECT_EQ(r.broadcast("one", a->id()), 2u);
  r.disconnect(b->id());
  EXPECT_EQ(r.broadcast("two"), 2u);
  EXPECT_EQ(a->sent(), std::vector<std::string>{"two"});
  EXPECT_EQ(b->sent(), std::vector<std::string>{"one"});
  EXPECT_EQ(c->sent(), (std::vector<std::string>{"one", "two"}));
  EXPECT_EQ(r.find(b->id()), nullptr);
  EXPECT_EQ(r.find(c->id()), c);
}

// Connections come and go on their own threads while a broadcaster runs: a
// connection that stays registered throughout gets every message once.
TEST(WebsocketRegistry, ChurnDuringBroadcast) {
  examples::Registry r;
  auto stable = r.connect();
  std::atomic<bool> stop{false};
  std::vector<std::thread> clients;
  clients.reserve(3);
  for (int t = 0; t < 3; ++t)
    clients.emplace_back([&] {
      while (!stop.load()) {
        auto s = r.connect();
        r.disconnect(s->id());
      }
    });
  constexpr int messages = 200;
  for (int i = 0; i < messages; ++i) r.broadcast("m" + std::to_string(i));
  stop = true;
  for (auto& t : clients) t.join();
  const auto got = stable->sent();
  ASSERT_EQ(got.size(), static_cast<std::size_t>(messages));
  for (int i = 0; i < messages; ++i) EXPECT_EQ(got[i], "m" + std::to_string(i));
  EXPECT_EQ(r.size(), 1u);
}
