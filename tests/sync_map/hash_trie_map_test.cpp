// gomap::HashTrieMap: Go 1.26's internal/sync/hashtriemap_test.go ported (run, as Go does,
// with the real hash, a constant hash and a 4-bit hash; and against SyncMap, whose contract
// is the same), plus the trie's own guarantees: pruning, expansion, reclamation balance, and
// loads racing deletes and re-inserts under one node.
#include <gomap/hash_trie_map.hpp>
#include <gomap/sync_map.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <climits>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "../common/test_scale.hpp"

namespace {

using gomap_test::scaled;

// Go's NewBadHashTrieMap: every key hashes to 0, so all of them chain in one slot.
struct bad_hash {
  std::uint64_t operator()(const std::string&, std::uint64_t) const noexcept { return 0; }
};
// Go's NewTruncHashTrieMap: only the low 4 bits survive, so keys share 15 levels of nodes
// and differ (if at all) in the last nibble: near collisions.
struct trunc_hash {
  std::uint64_t operator()(const std::string& s, std::uint64_t seed) const noexcept {
    return gomap::hash<std::string>{}(s, seed) & ((std::uint64_t{1} << 4) - 1);
  }
};

struct good_trie {
  using map = gomap::HashTrieMap<std::string, int>;
  static constexpr const char* name = "HashTrieMap";
};
struct bad_trie {
  using map = gomap::HashTrieMap<std::string, int, bad_hash>;
  static constexpr const char* name = "BadHash";
};
struct trunc_trie {
  using map = gomap::HashTrieMap<std::string, int, trunc_hash>;
  static constexpr const char* name = "TruncHash";
};
struct sync_map {
  using map = gomap::SyncMap<std::string, int>;
  static constexpr const char* name = "SyncMap";
};
struct variant_name {
  template <class T>
  static std::string GetName(int) {
    return T::name;
  }
};

template <class T>
class HashTrieMapGo : public ::testing::Test {
 protected:
  using map = typename T::map;
  // Go's testData: the binary representations of 0..127.
  static std::vector<std::string> test_data() {
    std::vector<std::string> d;
    d.reserve(128);
    for (int i = 0; i < 128; ++i) {
      std::string s;
      for (int b = 6; b >= 0; --b) {
        if (s.empty() && ((i >> b) & 1) == 0 && b != 0) continue;
        s += ((i >> b) & 1) != 0 ? '1' : '0';
      }
      d.push_back(s);
    }
    return d;
  }
  const std::vector<std::string> data = test_data();
  const int gmp = 4;  // Go: runtime.GOMAXPROCS(-1)

  // LoadOrStore every key i -> i, checking each step (the prologue of most of Go's cases).
  void load_up(map& m) const {
    for (int i = 0; i < static_cast<int>(data.size()); ++i) {
      const std::string& s = data[static_cast<std::size_t>(i)];
      EXPECT_FALSE(m.load(s)) << s;                                // expectMissing
      EXPECT_EQ(m.load_or_store(s, i), std::make_pair(i, false));  // expectStored
      EXPECT_EQ(m.load(s), i);                                     // expectPresent
      EXPECT_EQ(m.load_or_store(s, 0), std::make_pair(i, true));   // expectLoaded
    }
  }
  // Go's testAll: range visits exactly the data, each key once, calling yield too.
  template <class F>
  void test_all(map& m, F yield) const {
    for (int i = 0; i < static_cast<int>(data.size()); ++i) {
      EXPECT_FALSE(m.swap(data[static_cast<std::size_t>(i)], i));
    }
    std::vector<int> seen(data.size());
    m.range([&](const std::string& k, const int& v) {
      EXPECT_EQ(k, data[static_cast<std::size_t>(v)]);
      ++seen[static_cast<std::size_t>(v)];
      return yield(k, v);
    });
    for (int n : seen) EXPECT_EQ(n, 1);
  }
  template <class F>
  void on_threads(F f) const {
    std::vector<std::thread> ts;
    ts.reserve(static_cast<std::size_t>(gmp));
    for (int id = 0; id < gmp; ++id) ts.emplace_back(f, id);
    for (auto& t : ts) t.join();
  }
};
using go_variants = ::testing::Types<good_trie, bad_trie, trunc_trie, sync_map>;
TYPED_TEST_SUITE(HashTrieMapGo, go_variants, variant_name);

TYPED_TEST(HashTrieMapGo, LoadEmpty) {
  typename TestFixture::map m;
  for (const auto& s : this->data) EXPECT_FALSE(m.load(s));
}

TYPED_TEST(HashTrieMapGo, LoadOrStore) {
  typename TestFixture::map m;
  this->load_up(m);
  for (int i = 0; i < 128; ++i) {
    EXPECT_EQ(m.load(this->data[i]), i);
    EXPECT_EQ(m.load_or_store(this->data[i], 0), std::make_pair(i, true));
  }
}

TYPED_TEST(HashTrieMapGo, All) {
  typename TestFixture::map m;
  this->test_all(m, [](const std::string&, int) { return true; });
}

TYPED_TEST(HashTrieMapGo, ClearSimple) {
  typename TestFixture::map m;
  this->load_up(m);
  m.clear();
  for (const auto& s : this->data) EXPECT_FALSE(m.load(s));
  EXPECT_EQ(m.size(), 0u);
}

TYPED_TEST(HashTrieMapGo, ClearConcurrent) {
  typename TestFixture::map m;
  this->load_up(m);
  std::atomic<bool> go{false};
  std::thread clearer([&] {
    while (!go.load()) std::this_thread::yield();
    m.clear();
  });
  this->on_threads([&](int id) {
    go.store(true);
    for (const auto& s : this->data) {
      // Try a couple things to interfere with the clear.
      EXPECT_FALSE(m.compare_and_delete(s, INT_MAX));
      m.compare_and_swap(s, id, id + 1);  // May succeed or fail; we don't care.
    }
  });
  clearer.join();
  // It should all be empty now.
  for (const auto& s : this->data) EXPECT_FALSE(m.load(s));
  EXPECT_EQ(m.size(), 0u);
}

TYPED_TEST(HashTrieMapGo, CompareAndDeleteAll) {
  typename TestFixture::map m;
  for (int round = 0; round < 3; ++round) {
    this->load_up(m);
    for (int i = 0; i < 128; ++i) {
      const auto& s = this->data[i];
      EXPECT_EQ(m.load(s), i);
      EXPECT_FALSE(m.compare_and_delete(s, INT_MAX));
      EXPECT_TRUE(m.compare_and_delete(s, i));
      EXPECT_FALSE(m.compare_and_delete(s, i));
      EXPECT_FALSE(m.load(s));
    }
    for (const auto& s : this->data) EXPECT_FALSE(m.load(s));
  }
}

// CompareAndDelete/One and /Multiple.
TYPED_TEST(HashTrieMapGo, CompareAndDeleteSome) {
  for (const auto& which : {std::vector<int>{15}, std::vector<int>{1, 105, 6, 85}}) {
    typename TestFixture::map m;
    this->load_up(m);
    for (int i : which) {
      EXPECT_FALSE(m.compare_and_delete(this->data[i], INT_MAX));
      EXPECT_TRUE(m.compare_and_delete(this->data[i], i));
      EXPECT_FALSE(m.compare_and_delete(this->data[i], i));
    }
    for (int i = 0; i < 128; ++i) {
      const bool gone = std::find(which.begin(), which.end(), i) != which.end();
      EXPECT_EQ(m.load(this->data[i]), gone ? std::nullopt : std::optional<int>(i));
    }
  }
}

TYPED_TEST(HashTrieMapGo, CompareAndDeleteIterate) {
  typename TestFixture::map m;
  this->test_all(m, [&](const std::string& s, int i) {
    EXPECT_TRUE(m.compare_and_delete(s, i));
    return true;
  });
  for (const auto& s : this->data) EXPECT_FALSE(m.load(s));
}

TYPED_TEST(HashTrieMapGo, CompareAndDeleteConcurrentUnsharedKeys) {
  typename TestFixture::map m;
  this->on_threads([&](int id) {
    auto key = [id](const std::string& s) { return s + "-" + std::to_string(id); };
    for (const auto& s : this->data) {
      EXPECT_FALSE(m.load(key(s)));
      EXPECT_EQ(m.load_or_store(key(s), id), std::make_pair(id, false));
      EXPECT_EQ(m.load(key(s)), id);
      EXPECT_EQ(m.load_or_store(key(s), 0), std::make_pair(id, true));
    }
    for (const auto& s : this->data) {
      EXPECT_EQ(m.load(key(s)), id);
      EXPECT_TRUE(m.compare_and_delete(key(s), id));
      EXPECT_FALSE(m.load(key(s)));
    }
    for (const auto& s : this->data) EXPECT_FALSE(m.load(key(s)));
  });
  EXPECT_EQ(m.size(), 0u);
}

TYPED_TEST(HashTrieMapGo, CompareAndDeleteConcurrentSharedKeys) {
  typename TestFixture::map m;
  this->load_up(m);
  this->on_threads([&](int) {
    for (int i = 0; i < 128; ++i) {
      const auto& s = this->data[i];
      EXPECT_FALSE(m.compare_and_delete(s, INT_MAX));
      m.compare_and_delete(s, i);
      EXPECT_FALSE(m.load(s));
    }
    for (const auto& s : this->data) EXPECT_FALSE(m.load(s));
  });
}

TYPED_TEST(HashTrieMapGo, CompareAndSwapAll) {
  typename TestFixture::map m;
  this->load_up(m);
  for (int j = 0; j < 3; ++j) {
    for (int i = 0; i < 128; ++i) {
      const auto& s = this->data[i];
      EXPECT_EQ(m.load(s), i + j);
      EXPECT_FALSE(m.compare_and_swap(s, INT_MAX, i + j + 1));
      EXPECT_TRUE(m.compare_and_swap(s, i + j, i + j + 1));
      EXPECT_FALSE(m.compare_and_swap(s, i + j, i + j + 1));
      EXPECT_EQ(m.load(s), i + j + 1);
    }
  }
  for (int i = 0; i < 128; ++i) EXPECT_EQ(m.load(this->data[i]), i + 3);
}

// CompareAndSwap/One and /Multiple.
TYPED_TEST(HashTrieMapGo, CompareAndSwapSome) {
  for (const auto& which : {std::vector<int>{15}, std::vector<int>{1, 105, 6, 85}}) {
    typename TestFixture::map m;
    this->load_up(m);
    for (int i : which) {
      EXPECT_FALSE(m.compare_and_swap(this->data[i], INT_MAX, i + 1));
      EXPECT_TRUE(m.compare_and_swap(this->data[i], i, i + 1));
      EXPECT_FALSE(m.compare_and_swap(this->data[i], i, i + 1));
    }
    for (int i = 0; i < 128; ++i) {
      const bool swapped = std::find(which.begin(), which.end(), i) != which.end();
      EXPECT_EQ(m.load(this->data[i]), swapped ? i + 1 : i);
    }
  }
}

TYPED_TEST(HashTrieMapGo, CompareAndSwapConcurrentUnsharedKeys) {
  for (const bool with_delete : {false, true}) {
    typename TestFixture::map m;
    this->on_threads([&](int id) {
      auto key = [id](const std::string& s) { return s + "-" + std::to_string(id); };
      for (const auto& s : this->data) {
        EXPECT_FALSE(m.load(key(s)));
        EXPECT_EQ(m.load_or_store(key(s), id), std::make_pair(id, false));
        EXPECT_EQ(m.load(key(s)), id);
        EXPECT_EQ(m.load_or_store(key(s), 0), std::make_pair(id, true));
      }
      for (const auto& s : this->data) {
        EXPECT_EQ(m.load(key(s)), id);
        EXPECT_TRUE(m.compare_and_swap(key(s), id, id + 1));
        EXPECT_EQ(m.load(key(s)), id + 1);
        if (with_delete) {
          EXPECT_TRUE(m.compare_and_delete(key(s), id + 1));
          EXPECT_FALSE(m.compare_and_swap(key(s), id + 1, id + 2));
          EXPECT_FALSE(m.compare_and_delete(key(s), id + 1));
          EXPECT_FALSE(m.load(key(s)));
        }
      }
      for (const auto& s : this->data) {
        EXPECT_EQ(m.load(key(s)), with_delete ? std::nullopt : std::optional<int>(id + 1));
      }
    });
  }
}

TYPED_TEST(HashTrieMapGo, CompareAndSwapConcurrentSharedKeys) {
  typename TestFixture::map m;
  this->load_up(m);
  this->on_threads([&](int) {
    for (int i = 0; i < 128; ++i) {
      const auto& s = this->data[i];
      EXPECT_FALSE(m.compare_and_swap(s, INT_MAX, i + 1));
      m.compare_and_swap(s, i, i + 1);
      EXPECT_EQ(m.load(s), i + 1);
    }
    for (int i = 0; i < 128; ++i) EXPECT_EQ(m.load(this->data[i]), i + 1);
  });
}

TYPED_TEST(HashTrieMapGo, SwapAll) {
  typename TestFixture::map m;
  for (int i = 0; i < 128; ++i) {
    const auto& s = this->data[i];
    EXPECT_FALSE(m.load(s));
    EXPECT_EQ(m.swap(s, i), std::nullopt);
    EXPECT_EQ(m.load(s), i);
    EXPECT_EQ(m.swap(s, i), i);
  }
  for (int j = 0; j < 3; ++j) {
    for (int i = 0; i < 128; ++i) {
      const auto& s = this->data[i];
      EXPECT_EQ(m.load(s), i + j);
      EXPECT_EQ(m.swap(s, i + j + 1), i + j);
      EXPECT_EQ(m.load(s), i + j + 1);
    }
  }
  for (int i = 0; i < 128; ++i) EXPECT_EQ(m.swap(this->data[i], i + 3), i + 3);
}

// Swap/One and /Multiple.
TYPED_TEST(HashTrieMapGo, SwapSome) {
  for (const auto& which : {std::vector<int>{15}, std::vector<int>{1, 105, 6, 85}}) {
    typename TestFixture::map m;
    for (int i = 0; i < 128; ++i) {
      EXPECT_EQ(m.swap(this->data[i], i), std::nullopt);
      EXPECT_EQ(m.swap(this->data[i], i), i);
    }
    for (int i : which) EXPECT_EQ(m.swap(this->data[i], i + 1), i);
    for (int i = 0; i < 128; ++i) {
      const bool swapped = std::find(which.begin(), which.end(), i) != which.end();
      EXPECT_EQ(m.load(this->data[i]), swapped ? i + 1 : i);
    }
  }
}

TYPED_TEST(HashTrieMapGo, SwapConcurrentUnsharedKeys) {
  for (const bool with_delete : {false, true}) {
    typename TestFixture::map m;
    this->on_threads([&](int id) {
      auto key = [id](const std::string& s) { return s + "-" + std::to_string(id); };
      for (const auto& s : this->data) {
        EXPECT_FALSE(m.load(key(s)));
        EXPECT_EQ(m.swap(key(s), id), std::nullopt);
        EXPECT_EQ(m.load(key(s)), id);
        EXPECT_EQ(m.swap(key(s), id), id);
      }
      for (const auto& s : this->data) {
        EXPECT_EQ(m.load(key(s)), id);
        EXPECT_EQ(m.swap(key(s), id + 1), id);
        EXPECT_EQ(m.load(key(s)), id + 1);
        if (with_delete) {
          EXPECT_TRUE(m.compare_and_delete(key(s), id + 1));
          EXPECT_EQ(m.swap(key(s), id + 2), std::nullopt);
          EXPECT_EQ(m.load(key(s)), id + 2);
        }
      }
      for (const auto& s : this->data) EXPECT_EQ(m.load(key(s)), with_delete ? id + 2 : id + 1);
    });
    EXPECT_EQ(m.size(), static_cast<std::size_t>(this->gmp) * this->data.size());
  }
}

TYPED_TEST(HashTrieMapGo, SwapConcurrentSharedKeys) {
  typename TestFixture::map m;
  this->load_up(m);
  this->on_threads([&](int) {
    for (int i = 0; i < 128; ++i) {
      m.swap(this->data[i], i + 1);
      EXPECT_EQ(m.load(this->data[i]), i + 1);
    }
    for (int i = 0; i < 128; ++i) EXPECT_EQ(m.load(this->data[i]), i + 1);
  });
}

TYPED_TEST(HashTrieMapGo, LoadAndDeleteAll) {
  typename TestFixture::map m;
  for (int round = 0; round < 3; ++round) {
    this->load_up(m);
    for (int i = 0; i < 128; ++i) {
      const auto& s = this->data[i];
      EXPECT_EQ(m.load(s), i);
      EXPECT_EQ(m.load_and_delete(s), i);
      EXPECT_FALSE(m.load(s));
      EXPECT_EQ(m.load_and_delete(s), std::nullopt);
    }
    for (const auto& s : this->data) EXPECT_FALSE(m.load(s));
  }
}

// LoadAndDelete/One and /Multiple.
TYPED_TEST(HashTrieMapGo, LoadAndDeleteSome) {
  for (const auto& which : {std::vector<int>{15}, std::vector<int>{1, 105, 6, 85}}) {
    typename TestFixture::map m;
    this->load_up(m);
    for (int i : which) {
      EXPECT_EQ(m.load(this->data[i]), i);
      EXPECT_EQ(m.load_and_delete(this->data[i]), i);
      EXPECT_FALSE(m.load(this->data[i]));
      EXPECT_EQ(m.load_and_delete(this->data[i]), std::nullopt);
    }
    for (int i = 0; i < 128; ++i) {
      const bool gone = std::find(which.begin(), which.end(), i) != which.end();
      EXPECT_EQ(m.load(this->data[i]), gone ? std::nullopt : std::optional<int>(i));
    }
  }
}

TYPED_TEST(HashTrieMapGo, LoadAndDeleteIterate) {
  typename TestFixture::map m;
  this->test_all(m, [&](const std::string& s, int i) {
    EXPECT_EQ(m.load_and_delete(s), i);
    return true;
  });
  for (const auto& s : this->data) EXPECT_FALSE(m.load(s));
}

TYPED_TEST(HashTrieMapGo, LoadAndDeleteConcurrentUnsharedKeys) {
  typename TestFixture::map m;
  this->on_threads([&](int id) {
    auto key = [id](const std::string& s) { return s + "-" + std::to_string(id); };
    for (const auto& s : this->data) {
      EXPECT_FALSE(m.load(key(s)));
      EXPECT_EQ(m.load_or_store(key(s), id), std::make_pair(id, false));
      EXPECT_EQ(m.load(key(s)), id);
      EXPECT_EQ(m.load_or_store(key(s), 0), std::make_pair(id, true));
    }
    for (const auto& s : this->data) {
      EXPECT_EQ(m.load(key(s)), id);
      EXPECT_EQ(m.load_and_delete(key(s)), id);
      EXPECT_FALSE(m.load(key(s)));
    }
    for (const auto& s : this->data) EXPECT_FALSE(m.load(key(s)));
  });
}

TYPED_TEST(HashTrieMapGo, LoadAndDeleteConcurrentSharedKeys) {
  typename TestFixture::map m;
  this->load_up(m);
  this->on_threads([&](int) {
    for (const auto& s : this->data) {
      m.load_and_delete(s);
      EXPECT_FALSE(m.load(s));
    }
    for (const auto& s : this->data) EXPECT_FALSE(m.load(s));
  });
  EXPECT_EQ(m.size(), 0u);
}

// Go's TestConcurrentCache (golang/go#70970), without weak pointers: CompareAndSwap and
// CompareAndDelete competing for the same key-value pair must not both succeed.
TYPED_TEST(HashTrieMapGo, CompareAndSwapVersusCompareAndDelete) {
  typename TestFixture::map m;
  const int rounds = static_cast<int>(scaled(20000, 500));
  std::atomic<int> both{0};
  for (int r = 0; r < rounds; ++r) {
    const std::string k = this->data[static_cast<std::size_t>(r % 128)];
    m.store(k, r);
    std::atomic<int> ready{0};
    bool swapped = false, deleted = false;
    std::thread a([&] {
      ready.fetch_add(1);
      while (ready.load() < 2) std::this_thread::yield();
      swapped = m.compare_and_swap(k, r, -r - 1);
    });
    ready.fetch_add(1);
    while (ready.load() < 2) std::this_thread::yield();
    deleted = m.compare_and_delete(k, r);
    a.join();
    if (swapped == deleted) both.fetch_add(1);
    EXPECT_EQ(m.load(k), swapped ? std::optional<int>(-r - 1) : std::nullopt);
  }
  EXPECT_EQ(both.load(), 0) << "exactly one of CompareAndSwap and CompareAndDelete must win";
}

// ---------------------------------------------------------------------------------------
// The trie itself.

// Identity hash: keys 0..15 share every nibble but the last, so they live in the one
// indirect node at the bottom of a 15-node path; deleting them all prunes the path.
struct identity_hash {
  std::uint64_t operator()(const std::int64_t& k, std::uint64_t) const noexcept {
    return static_cast<std::uint64_t>(k);
  }
};
using deep_map = gomap::HashTrieMap<std::int64_t, std::int64_t, identity_hash>;
using deep_access = gomap::hash_trie_map_access<std::int64_t, std::int64_t, identity_hash,
                                                gomap::equal_to<std::int64_t>>;

TEST(HashTrieMap, ExpandAndPrune) {
  deep_map m;
  EXPECT_EQ(deep_access::shape_of(m).indirect_nodes, 1u);
  m.store(0, 0);
  EXPECT_EQ(deep_access::shape_of(m).indirect_nodes, 1u);  // an entry right under the root
  m.store(1, 1);  // differs from 0 only in the last nibble: 15 new nodes
  auto s = deep_access::shape_of(m);
  EXPECT_EQ(s.indirect_nodes, 16u);
  EXPECT_EQ(s.max_depth, 15u);
  EXPECT_EQ(s.entries, 2u);
  for (std::int64_t k = 2; k < 16; ++k) m.store(k, k);
  EXPECT_EQ(deep_access::shape_of(m).indirect_nodes, 16u);
  m.store(16, 16);  // differs in the second-to-last nibble: an entry beside the bottom node
  EXPECT_EQ(deep_access::shape_of(m).indirect_nodes, 16u);
  for (std::int64_t k = 0; k <= 16; ++k) EXPECT_EQ(m.load(k), k);
  for (std::int64_t k = 0; k < 16; ++k) EXPECT_EQ(m.load_and_delete(k), k);
  // Key 16 keeps its path alive; the node that held 0..15 is gone.
  EXPECT_EQ(deep_access::shape_of(m).indirect_nodes, 15u);
  EXPECT_TRUE(m.compare_and_delete(16, 16));
  // Nothing left: every node but the root is pruned.
  EXPECT_EQ(deep_access::shape_of(m).indirect_nodes, 1u);
  EXPECT_EQ(m.size(), 0u);
  gomap::rcu_barrier();
}

// Full-hash collisions chain in one slot; deleting and swapping anywhere in the chain.
TEST(HashTrieMap, OverflowChains) {
  gomap::HashTrieMap<std::string, int, bad_hash> m;
  using access =
      gomap::hash_trie_map_access<std::string, int, bad_hash, gomap::equal_to<std::string>>;
  for (int i = 0; i < 10; ++i) m.store(std::to_string(i), i);
  auto s = access::shape_of(m);
  EXPECT_EQ(s.indirect_nodes, 1u);
  EXPECT_EQ(s.max_chain, 10u);
  EXPECT_EQ(m.swap("0", 100), 0);  // the tail (first stored)
  EXPECT_EQ(m.swap("9", 900), 9);  // the head
  EXPECT_EQ(m.swap("5", 500), 5);  // the middle
  EXPECT_EQ(m.load_and_delete("4"), 4);
  EXPECT_EQ(m.load_and_delete("9"), 900);
  EXPECT_EQ(m.load_and_delete("0"), 100);
  EXPECT_EQ(access::shape_of(m).max_chain, 7u);
  for (int i : {1, 2, 3, 6, 7, 8}) EXPECT_EQ(m.load(std::to_string(i)), i);
  EXPECT_EQ(m.load("5"), 500);
  EXPECT_EQ(m.size(), 7u);
}

// Deletes and re-inserts keys under one node (the bottom of a 15-node path, pruned and
// expanded again and again) while other threads load them: a load returns nothing or a
// value that some writer stored for that key, never anything else.
TEST(HashTrieMap, LoadsWhileDeletingAndReinsertingUnderOneNode) {
  constexpr std::int64_t kKeys = 16;  // 0..15: one node
  constexpr std::int64_t kStride = 1 << 20;
  constexpr int kWriters = 2, kReaders = 2;
  const std::int64_t rounds = scaled(200'000, 5'000);
  deep_map m;
  // published[k]: the highest sequence number a writer is about to store for key k. A
  // value v for key k is (seq * kStride + k); a load may see seq <= published[k] only.
  std::atomic<std::int64_t> published[kKeys] = {};
  std::atomic<bool> stop{false};
  std::atomic<int> bad{0};
  std::atomic<std::int64_t> hits{0};
  std::vector<std::thread> ts;
  ts.reserve(kWriters + kReaders);
  for (int w = 0; w < kWriters; ++w) {
    ts.emplace_back([&, w] {
      for (std::int64_t i = 0; i < rounds; ++i) {
        // Writer w owns the keys k with k % kWriters == w (so its published seqs rise).
        const std::int64_t k = (i * kWriters + w) % kKeys;
        const std::int64_t seq = published[k].load() + 1;
        published[k].store(seq);
        switch (i % 4) {
          case 0:
            m.store(k, seq * kStride + k);
            break;
          case 1:
            m.load_or_store(k, seq * kStride + k);
            break;
          case 2:
            m.swap(k, seq * kStride + k);
            break;
          default:
            m.erase(k);
            break;
        }
        if (i % 64 == 63) {
          // Empty the node: every key goes, the path is pruned.
          for (std::int64_t j = w; j < kKeys; j += kWriters) m.erase(j);
        }
      }
    });
  }
  for (int r = 0; r < kReaders; ++r) {
    ts.emplace_back([&, r] {
      for (std::int64_t i = r; !stop.load(std::memory_order_relaxed); ++i) {
        const std::int64_t k = i % kKeys;
        if (auto v = m.load(k)) {
          hits.fetch_add(1, std::memory_order_relaxed);
          const std::int64_t seq = *v / kStride;
          if (*v % kStride != k || seq < 1 || seq > published[k].load()) bad.fetch_add(1);
        }
        if (i % 256 == 0) {
          m.range([&](const std::int64_t& rk, const std::int64_t& v) {
            if (v % kStride != rk || v / kStride > published[rk].load()) bad.fetch_add(1);
            return true;
          });
        }
      }
    });
  }
  for (int w = 0; w < kWriters; ++w) ts[static_cast<std::size_t>(w)].join();
  stop.store(true);
  for (int r = 0; r < kReaders; ++r)
    ts[static_cast<std::size_t>(kWriters) + static_cast<std::size_t>(r)].join();
  EXPECT_EQ(bad.load(), 0);
  std::size_t n = 0;
  m.range([&](const std::int64_t&, const std::int64_t&) { return ++n, true; });
  EXPECT_EQ(m.size(), n);
  std::printf("[ info ] %lld rounds, %lld loads hit\n", static_cast<long long>(rounds),
              static_cast<long long>(hits.load()));
}

// A value type counting constructions and destructions.
struct Counted {
  static inline std::atomic<std::int64_t> live{0};
  std::int64_t v = 0;
  explicit Counted(std::int64_t x = 0) : v(x) { live.fetch_add(1); }
  Counted(const Counted& o) : v(o.v) { live.fetch_add(1); }
  Counted(Counted&& o) noexcept : v(o.v) { live.fetch_add(1); }
  Counted& operator=(const Counted&) = default;
  ~Counted() { live.fetch_sub(1); }
  bool operator==(const Counted& o) const { return v == o.v; }
};

// Expansion, pruning, chains and clear racing each other: every key and value constructed
// is destroyed exactly once (entries and nodes are retired once each, or the count drifts
// or ASan reports a double free).
TEST(HashTrieMap, ReclamationBalancedUnderPruneAndClear) {
  const auto live_before = Counted::live.load();
  {
    gomap::HashTrieMap<std::int64_t, Counted, identity_hash> m;
    const std::int64_t ops = scaled(100'000, 3'000);
    std::vector<std::thread> ts;
    ts.reserve(4);
    for (int t = 0; t < 4; ++t) {
      ts.emplace_back([&, t] {
        std::uint64_t r = static_cast<std::uint64_t>(t) * 0x9e3779b97f4a7c15ull + 1;
        for (std::int64_t i = 0; i < ops; ++i) {
          r ^= r << 13;
          r ^= r >> 7;
          r ^= r << 17;
          // Keys 0..47: three nodes' worth at the bottom of a deep path.
          const auto k = static_cast<std::int64_t>(r % 48);
          switch ((r >> 8) % 8) {
            case 0:
              if (t == 0 && (r >> 16) % 16 == 0) m.clear();
              break;
            case 1:
            case 2:
              m.store(k, Counted(k));
              break;
            case 3:
              m.load_or_store(k, Counted(k));
              break;
            case 4:
              m.compare_and_swap(k, Counted(k), Counted(k));
              break;
            case 5:
              m.compare_and_delete(k, Counted(k));
              break;
            default:
              m.erase(k);
              break;
          }
        }
      });
    }
    for (auto& t : ts) t.join();
    std::size_t n = 0;
    m.range([&](const std::int64_t&, const Counted&) { return ++n, true; });
    EXPECT_EQ(m.size(), n);
  }
  gomap::rcu_barrier();
  EXPECT_EQ(Counted::live.load(), live_before);
  EXPECT_EQ(gomap::rcu_access::pending(), 0u);
}

// A key type whose hash or equality throws on demand.
struct Touchy {
  static inline bool throw_hash = false;
  static inline bool throw_eq = false;
  std::int64_t v = 0;
  bool operator==(const Touchy& o) const {
    if (throw_eq) throw std::runtime_error("eq");
    return v == o.v;
  }
};
struct touchy_hash {
  std::uint64_t operator()(const Touchy& k, std::uint64_t) const {
    if (Touchy::throw_hash) throw std::runtime_error("hash");
    return static_cast<std::uint64_t>(k.v) & 0xff;  // keys 256 apart chain
  }
};
// A value whose copy throws on demand.
struct Fragile {
  static inline bool throw_copy = false;
  std::int64_t v = 0;
  explicit Fragile(std::int64_t x = 0) : v(x) {}
  Fragile(const Fragile& o) : v(o.v) {
    if (throw_copy) throw std::runtime_error("copy");
  }
  Fragile& operator=(const Fragile&) = default;
  bool operator==(const Fragile& o) const { return v == o.v; }
};

// A throwing Hash, Eq or value copy leaves the map as it was and no node locked (every later
// operation, including on the same slot, still completes).
TEST(HashTrieMap, ExceptionsLeaveTheMapIntact) {
  gomap::HashTrieMap<Touchy, Fragile, touchy_hash> m;
  for (std::int64_t i = 0; i < 1024; ++i) m.store(Touchy{i}, Fragile(i));
  auto expect_intact = [&] {
    Touchy::throw_hash = Touchy::throw_eq = Fragile::throw_copy = false;
    EXPECT_EQ(m.size(), 1024u);
    for (std::int64_t i = 0; i < 1024; ++i) {
      auto v = m.load(Touchy{i});
      ASSERT_TRUE(v) << i;
      EXPECT_EQ(v->v, i);
    }
  };
  const Touchy k{300};  // chained with 44, 556, 812
  Touchy::throw_hash = true;
  EXPECT_THROW(m.store(k, Fragile(1)), std::runtime_error);
  EXPECT_THROW(m.erase(k), std::runtime_error);
  EXPECT_THROW(m.compare_and_swap(k, Fragile(300), Fragile(1)), std::runtime_error);
  expect_intact();
  Touchy::throw_eq = true;  // thrown under the node lock on the writers' paths
  EXPECT_THROW(m.swap(k, Fragile(1)), std::runtime_error);
  EXPECT_THROW(m.load_and_delete(k), std::runtime_error);
  EXPECT_THROW(m.compare_and_delete(k, Fragile(300)), std::runtime_error);
  EXPECT_THROW(m.load_or_store(Touchy{5000}, Fragile(1)), std::runtime_error);
  expect_intact();
  Fragile::throw_copy = true;  // copying the old value out, or the new one in
  EXPECT_THROW(m.swap(k, Fragile(1)), std::runtime_error);
  EXPECT_THROW(m.load(k), std::runtime_error);
  EXPECT_THROW(m.load_or_store(Touchy{5000}, Fragile(1)), std::runtime_error);
  expect_intact();
  // Whatever was stored or unlinked before a throw, the swap itself is exact.
  Fragile::throw_copy = false;
  EXPECT_EQ(m.swap(k, Fragile(7))->v, 300);
  EXPECT_EQ(m.load(k)->v, 7);
  gomap::rcu_barrier();
}

// Bytes per entry (the trie's nodes by sizeof, before the allocator's rounding).
TEST(HashTrieMap, BytesPerEntry) {
  using M = gomap::HashTrieMap<std::int64_t, std::int64_t>;
  using access = gomap::hash_trie_map_access<std::int64_t, std::int64_t, gomap::hash<std::int64_t>,
                                             gomap::equal_to<std::int64_t>>;
  M m;
  const std::int64_t n = scaled(1 << 16, 1 << 12);
  for (std::int64_t i = 0; i < n; ++i) m.store(i, i);
  const auto s = access::shape_of(m);
  EXPECT_EQ(s.entries, static_cast<std::size_t>(n));
  std::printf("[ info ] %lld keys: %zu indirect nodes (%zu B each), entries %zu B, %.1f B/entry\n",
              static_cast<long long>(n), s.indirect_nodes, access::indirect_size,
              access::entry_size,
              static_cast<double>(access::node_bytes(m)) / static_cast<double>(n));
}

}  // namespace
