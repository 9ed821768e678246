// Concurrent readers of one map are legal, as in Go (TestConcurrentReadsAfterGrowth):
// lookups and iterations from many threads between writes, while the map
// is mid-growth.  Runs under ThreadSanitizer in CI.
#include <gtest/gtest.h>
#include <gomap/gomap.hpp>

#include <thread>
#include <vector>

#include "../common/engines.hpp"

namespace {

using gomap_test::make_map;
using gomap_test::map_t;

GOMAP_TYPED_SUITE(ConcurrentReads);

TYPED_TEST(ConcurrentReads, AfterGrowth) {
  const int num_loop = 2, num_grow_step = 120, num_reader = 3;
  for (int i = 0; i < num_loop; i++) {
    auto m = make_map<TypeParam, int, int>();
    for (int gs = 0; gs < num_grow_step; gs++) {
      m[gs] = gs;
      std::vector<std::thread> readers;
      for (int nr = 0; nr < num_reader; nr++) {
        readers.emplace_back([m] {
          int n = 0;
          for (auto&& [k, v] : m) n += (k == v);
          EXPECT_EQ(n, static_cast<int>(m.size()));
        });
        readers.emplace_back([m, gs] {
          for (int key = 0; key < gs; key++) EXPECT_EQ(m.get(key), key);
        });
      }
      for (auto& t : readers) t.join();
    }
  }
}

// Handle copies and iterators may be made and dropped on many threads.
TYPED_TEST(ConcurrentReads, HandleAndIteratorRefcounts) {
  auto m = make_map<TypeParam, int, int>();
  for (int i = 0; i < 5000; i++) m[i] = i;
  std::vector<std::thread> ts;
  ts.reserve(4);
  for (int t = 0; t < 4; t++)
    ts.emplace_back([m] {
      for (int r = 0; r < 50; r++) {
        // NOLINTNEXTLINE(performance-unnecessary-copy-initialization)
        map_t<TypeParam, int, int> copy = m;
        auto it = copy.begin();
        for (int j = 0; j < 10 && it != std::default_sentinel; j++) ++it;
      }
    });
  for (auto& t : ts) t.join();
  EXPECT_EQ(m.size(), 5000u);
}

}  // namespace
