// runtime::rw_spinlock (ShardedMap's shard lock): its exclusion rules, writer
// preference, and — raced from several threads, under TSan in CI — that it
// orders plain data.  (Moved here from tests/sharded_map; names unchanged.)
#include <gtest/gtest.h>

#include <atomic>
#include <cstdint>
#include <mutex>
#include <shared_mutex>
#include <thread>
#include <vector>

#include "../common/helpers.hpp"
#include "../common/test_scale.hpp"
#include "gomap/runtime/rw_spinlock.hpp"

namespace {

constexpr int kThreads = 4;  // more than the cores the CI machine has: preemption inside locks

using gomap_test::run_threads;

std::int64_t scaled(std::int64_t n, std::int64_t floor) {
  return gomap_test::scaled(n, floor, gomap_test::sharded_budget);
}

TEST(RwSpinlock, ExclusionRules) {
  gomap::runtime::rw_spinlock mu;
  EXPECT_TRUE(mu.try_lock_shared());
  EXPECT_TRUE(mu.try_lock_shared());  // readers share
  EXPECT_FALSE(mu.try_lock());        // a writer waits for readers
  mu.unlock_shared();
  mu.unlock_shared();
  EXPECT_TRUE(mu.try_lock());
  EXPECT_FALSE(mu.try_lock());         // writers exclude writers
  EXPECT_FALSE(mu.try_lock_shared());  // and readers
  mu.unlock();
  EXPECT_EQ(mu.state_for_testing(), 0u);
}

TEST(RwSpinlock, PendingWriterTurnsNewReadersAway) {
  gomap::runtime::rw_spinlock mu;
  mu.lock_shared();
  std::atomic<bool> got{false};
  std::thread w([&] {
    mu.lock();  // waits for the reader, announcing itself
    got = true;
    mu.unlock();
  });
  while ((mu.state_for_testing() & gomap::runtime::rw_spinlock::pending) == 0)
    std::this_thread::yield();
  EXPECT_FALSE(mu.try_lock_shared());  // writer preference
  EXPECT_FALSE(got.load());
  mu.unlock_shared();
  w.join();
  EXPECT_TRUE(got.load());
  EXPECT_TRUE(mu.try_lock_shared());
  mu.unlock_shared();
}

// runtime::rw_spinlock raced on its own: plain (non-atomic) data guarded by
// it — TSan reports any missing happens-before, the invariant any overlap.
TEST(RwSpinlockConcurrent, GuardsPlainData) {
  gomap::runtime::rw_spinlock mu;
  std::uint64_t a = 0, b = 0;
  const std::int64_t n = scaled(50000, 1000);
  run_threads(kThreads, [&](int t) {
    for (std::int64_t i = 0; i < n; ++i) {
      if ((i + t) % 4 == 0) {
        std::lock_guard g(mu);
        ++a;
        ++b;
      } else {
        std::shared_lock g(mu);
        ASSERT_EQ(a, b);
      }
    }
  });
  std::uint64_t writes = 0;
  for (int t = 0; t < kThreads; ++t)
    for (std::int64_t i = 0; i < n; ++i) writes += (i + t) % 4 == 0;
  EXPECT_EQ(a, writes);
  EXPECT_EQ(b, writes);
  EXPECT_EQ(mu.state_for_testing(), 0u);
}

}  // namespace
