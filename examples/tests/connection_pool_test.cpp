#include "connection_pool.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <thread>
#include <vector>

namespace {
examples::ConnectionPool::Dialer counting_dialer(std::atomic<std::uint64_t>& n) {
  return [&n](const std::string& dsn) {
    return std::make_unique<examples::Connection>(examples::Connection{dsn, ++n});
  };
}
}  // namespace

TEST(ConnectionPool, ReusesIdleAndRespectsTheLimit) {
  std::atomic<std::uint64_t> dialed{0};
  examples::ConnectionPool pool(2, counting_dialer(dialed));
  auto a = pool.acquire("db1");
  auto b = pool.acquire("db1");
  ASSERT_TRUE(a && b);
  EXPECT_NE(a->id, b->id);
  EXPECT_EQ(pool.acquire("db1"), nullptr);  // at the limit
  auto other = pool.acquire("db2");         // limits are per DSN
  ASSERT_TRUE(other);
  const auto a_id = a->id;
  pool.release(std::move(a));
  auto again = pool.acquire("db1");
  EXPECT_EQ(again->id, a_id);  // reused, not dialed
  EXPECT_EQ(dialed.load(), 3u);
  pool.release(std::move(b), /*broken=*/true);
  EXPECT_EQ(pool.stats("db1").open, 1u);
  EXPECT_EQ(pool.dsns(), 2u);
}

TEST(ConnectionPool, FailedDialFreesTheSlot) {
  bool fail = true;
  examples::ConnectionPool pool(1, [&](const std::string& dsn) {
    if (fail) throw std::runtime_error("connection refused");
    return std::make_unique<examples::Connection>(examples::Connection{dsn, 1});
  });
  EXPECT_THROW(pool.acquire("db"), std::runtime_error);
  fail = false;
  EXPECT_NE(pool.acquire("db"), nullptr);
}

TEST(ConnectionPool, ConcurrentUseNeverSharesAConnection) {
  std::atomic<std::uint64_t> dialed{0};
  examples::ConnectionPool pool(3, counting_dialer(dialed));
  std::mutex mu;
  std::set<std::uint64_t> in_use;
  std::atomic<int> shared{0}, served{0};
  std::vector<std::thread> ts;
  ts.reserve(4);
  for (int t = 0; t < 4; ++t)
    ts.emplace_back([&] {
      for (int i = 0; i < 200; ++i) {
        auto c = pool.acquire("db");
        if (!c) continue;  // at the limit: a real caller would wait
        {
          std::lock_guard l(mu);
          if (!in_use.insert(c->id).second) ++shared;
        }
        {
          std::lock_guard l(mu);
          in_use.erase(c->id);
        }
        ++served;
        pool.release(std::move(c));
      }
    });
  for (auto& t : ts) t.join();
  EXPECT_EQ(shared.load(), 0);
  EXPECT_GT(served.load(), 0);
  EXPECT_LE(dialed.load(), 3u);
  EXPECT_EQ(pool.stats("db").open, pool.stats("db").idle);
}
