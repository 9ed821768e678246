#include "service_registry.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

using examples::Endpoint;

TEST(ServiceRegistry, DuplicatesRefusedAndOnlyOwnerDeregisters) {
  examples::ServiceRegistry r;
  const Endpoint a{"h1", 1, 1}, b{"h2", 2, 2};
  EXPECT_TRUE(r.register_instance("svc", a));
  Endpoint holder;
  EXPECT_FALSE(r.register_instance("svc", b, &holder));
  EXPECT_EQ(holder, a);
  EXPECT_FALSE(r.deregister("svc", b));
  EXPECT_EQ(r.resolve("svc"), a);
  EXPECT_TRUE(r.deregister("svc", a));
  EXPECT_FALSE(r.resolve("svc"));
  EXPECT_TRUE(r.register_instance("svc", b));  // the name is free again
}

// Many processes race to register one name: exactly one wins, and everyone
// agrees on who.
TEST(ServiceRegistry, ExactlyOneWinnerPerName) {
  examples::ServiceRegistry r;
  constexpr int racers = 8, names = 50;
  std::atomic<int> wins{0};
  std::vector<std::thread> ts;
  ts.reserve(racers);
  for (int t = 0; t < racers; ++t)
    ts.emplace_back([&, t] {
      for (int n = 0; n < names; ++n) {
        const Endpoint mine{"host" + std::to_string(t), 80, static_cast<std::uint64_t>(t)};
        Endpoint holder;
        if (r.register_instance("svc-" + std::to_string(n), mine, &holder))
          ++wins;
        else
          EXPECT_NE(holder.owner, static_cast<std::uint64_t>(t));
      }
    });
  for (auto& t : ts) t.join();
  EXPECT_EQ(wins.load(), names);
  EXPECT_EQ(r.names().size(), static_cast<std::size_t>(names));
}
