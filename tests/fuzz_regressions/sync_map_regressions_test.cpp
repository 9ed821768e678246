// SyncMap bugs found by fuzz/sync_map_ops; the inputs are in
// fuzz/corpus/sync_map_ops/regress-*.  Both need an entry that dirtyLocked
// expunged and a later store revived: it is then in dirty_ and still on the
// expunged_ list.
#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <string>

#include <gomap/rcu.hpp>
#include <gomap/sync_map.hpp>

namespace {

using map_t = gomap::SyncMap<std::uint64_t, std::string>;

// Steps 1-4 of both findings.  Values are long enough to live on the heap.
void expunge_then_revive(map_t& m) {
  const std::string v1(32, 'a'), v2(32, 'b'), v3(32, 'c');
  EXPECT_EQ(m.swap(0, v1), std::nullopt);    // key 0: a dirty-only entry e0
  EXPECT_TRUE(m.compare_and_delete(0, v1));  // e0.p = nullptr
  // NOLINTNEXTLINE(performance-no-automatic-move): copying is fine in a test
  auto [actual, loaded] = m.load_or_compute(2, [&] { return v2; });
  EXPECT_FALSE(loaded);  // misses promote; dirtyLocked expunges e0
  EXPECT_EQ(actual, v2);
  EXPECT_EQ(m.swap(0, v3), std::nullopt);  // unexpungeLocked revives e0 into dirty_
  EXPECT_EQ(m.load(0), v3);
  EXPECT_EQ(m.size(), 2u);
}

// Finding 1: ~SyncMap deleted e0 through dirty_, then read it on the
// expunged_ list (heap-use-after-free under ASan).
TEST(FuzzRegressionSyncMap, ExpungedThenRevivedEntryDestructor) {
  {
    map_t m;
    expunge_then_revive(m);
  }
  gomap::rcu_default_domain().barrier();
}

// Finding 2: clear() retired e0 through dirty_ and again from the expunged_
// list; the doubly pushed retire node made rcu barrier() spin forever
// (a double free had it been reclaimed).
TEST(FuzzRegressionSyncMap, ExpungedThenRevivedEntryClear) {
  {
    map_t m;
    expunge_then_revive(m);
    m.clear();
    EXPECT_EQ(m.size(), 0u);
    EXPECT_EQ(m.load(0), std::nullopt);
    m.store(0, std::string(32, 'd'));
    EXPECT_EQ(m.load(0), std::string(32, 'd'));
  }
  gomap::rcu_default_domain().barrier();
}

}  // namespace
