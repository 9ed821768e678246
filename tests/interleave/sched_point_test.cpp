// In a normal build (no GOMAP_INTERLEAVE) the interleaving scheduler's yield points are
// nothing at all: the macros expand to no-ops and sched_mutex is std::mutex itself, so
// SyncMap, HashTrieMap, rcu and rw_spinlock compile to the code they had without them
// (docs/interleave.md has the object-code comparison).
#include <gtest/gtest.h>
#include <gomap/hash_trie_map.hpp>
#include <gomap/rcu.hpp>
#include <gomap/runtime/rw_spinlock.hpp>
#include <gomap/runtime/sched_point.hpp>
#include <gomap/sync_map.hpp>

#include <mutex>
#include <string_view>
#include <type_traits>

static_assert(GOMAP_INTERLEAVE == 0, "the normal test build must not enable the yield points");
static_assert(std::is_same_v<gomap::runtime::sched_mutex, std::mutex>);

#define GOMAP_TEST_STR(...) #__VA_ARGS__
#define GOMAP_TEST_XSTR(...) GOMAP_TEST_STR(__VA_ARGS__)

TEST(SchedPoint, NormalBuildExpandsToNothing) {
  EXPECT_EQ(std::string_view(GOMAP_TEST_XSTR(GOMAP_YIELD("rcu.pin.announce"))), "((void)0)");
  EXPECT_EQ(std::string_view(GOMAP_TEST_XSTR(GOMAP_SPIN("htm.lock.wait"))), "(false)");
  EXPECT_EQ(std::string_view(GOMAP_TEST_XSTR(GOMAP_RCU_NOTE(pin, nullptr))), "((void)0)");
}

namespace gomap::runtime::sched {
// If the hooks existed in this build, this would be a redefinition error.
struct hooks {};
}  // namespace gomap::runtime::sched

TEST(SchedPoint, NoSchedulerHookInNormalBuild) {
  EXPECT_TRUE(std::is_empty_v<gomap::runtime::sched::hooks>);
  // The instrumented components still work, with no scheduler anywhere.
  gomap::SyncMap<int, int> a;
  gomap::HashTrieMap<int, int> b;
  a.store(1, 1);
  b.store(1, 1);
  EXPECT_EQ(a.load(1), 1);
  EXPECT_EQ(b.load(1), 1);
  gomap::runtime::rw_spinlock l;
  l.lock();
  l.unlock();
  gomap::rcu_barrier();
}
