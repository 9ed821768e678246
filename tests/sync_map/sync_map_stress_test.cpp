// A bounded stress of every operation of both sync.Map designs (SyncMap, HashTrieMap) from
// 2–8 threads, for ThreadSanitizer (and ASan): no suppressions. Invariants are checked on
// every value read and at the end.
#include <gomap/sync_map.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <cstdint>
#include <map>
#include <random>
#include <set>
#include <thread>
#include <vector>

#include "../common/test_scale.hpp"
#include "designs.hpp"

namespace {

using gomap_test::scaled;

constexpr std::int64_t kSharedKeys = 97;  // every thread does everything to these
constexpr std::int64_t kStride = 1000;    // a value for key k is always ≡ k (mod kStride)

struct Value {
  static inline std::atomic<std::int64_t> live{0};
  std::int64_t v = 0;
  std::int64_t check = -1;
  explicit Value(std::int64_t x = 0) : v(x), check(~x) { live.fetch_add(1); }
  Value(const Value& o) : v(o.v), check(o.check) { live.fetch_add(1); }
  Value& operator=(const Value&) = default;
  ~Value() {
    check = v;
    live.fetch_sub(1);
  }
  bool ok() const { return check == ~v; }
  bool operator==(const Value& o) const { return v == o.v; }
};

template <class D>
using map_for = gomap_test::map_of<D, std::int64_t, Value>;

template <class D>
class SyncMapStress : public ::testing::Test {};
TYPED_TEST_SUITE(SyncMapStress, gomap_test::sync_map_designs, gomap_test::design_name);

bool valid_for(std::int64_t k, const Value& v) {
  return v.ok() && v.v % kStride == k % kStride;
}

template <class Map>
void stress(int threads, std::int64_t ops_per_thread) {
  const auto live_before = Value::live.load();
  {
    Map m;
    std::atomic<int> bad{0};
    // Keys kSharedKeys + t*kStride*... are owned by thread t: it alone writes them, so it
    // knows their final value exactly.
    std::vector<std::map<std::int64_t, std::int64_t>> owned(static_cast<std::size_t>(threads));
    std::vector<std::thread> ts;
    ts.reserve(threads);
    for (int t = 0; t < threads; ++t) {
      ts.emplace_back([&, t] {
        std::mt19937_64 r(static_cast<std::uint64_t>(t) * 7919 + 1);
        auto& mine = owned[static_cast<std::size_t>(t)];
        auto check = [&](std::int64_t k, const Value& v) {
          if (!valid_for(k, v)) bad.fetch_add(1);
        };
        for (std::int64_t i = 0; i < ops_per_thread; ++i) {
          const bool own = r() % 4 == 0;
          const std::int64_t k =
              own ? kSharedKeys + t + threads * static_cast<std::int64_t>(r() % 16)
                  : static_cast<std::int64_t>(r() % kSharedKeys);
          const Value nv(k + kStride * static_cast<std::int64_t>(r() % 1000));
          switch (r() % 12) {
            case 0:
            case 1:
              if (auto v = m.load(k)) check(k, *v);
              if (own && m.load(k).has_value() != mine.contains(k)) bad.fetch_add(1);
              break;
            case 2:
              m.store(k, nv);
              if (own) mine[k] = nv.v;
              break;
            case 3: {
              auto [v, loaded] = m.load_or_store(k, nv);
              check(k, v);
              if (own) {
                if (loaded != mine.contains(k)) bad.fetch_add(1);
                mine.emplace(k, nv.v);
              }
              break;
            }
            case 4: {
              auto v = m.load_and_delete(k);
              if (v) check(k, *v);
              if (own) {
                if (v.has_value() != mine.contains(k)) bad.fetch_add(1);
                mine.erase(k);
              }
              break;
            }
            case 5:
              m.erase(k);
              if (own) mine.erase(k);
              break;
            case 6: {
              auto v = m.swap(k, nv);
              if (v) check(k, *v);
              if (own) {
                if (v.has_value() != mine.contains(k)) bad.fetch_add(1);
                mine[k] = nv.v;
              }
              break;
            }
            case 7: {
              auto cur = m.load(k);
              if (cur) {
                const bool swapped = m.compare_and_swap(k, *cur, nv);
                if (own) {
                  if (!swapped) bad.fetch_add(1);
                  mine[k] = nv.v;
                }
              } else if (m.compare_and_swap(k, nv, nv) && own) {
                bad.fetch_add(1);  // no value: nothing to compare with
              }
              break;
            }
            case 8: {
              auto cur = m.load(k);
              if (cur) {
                const bool deleted = m.compare_and_delete(k, *cur);
                if (own) {
                  if (!deleted) bad.fetch_add(1);
                  mine.erase(k);
                }
              }
              break;
            }
            case 9: {
              auto [v, loaded] = m.load_or_compute(k, [&] { return nv; });
              check(k, v);
              if (own) {
                if (loaded != mine.contains(k)) bad.fetch_add(1);
                mine.emplace(k, nv.v);
              }
              break;
            }
            case 10: {
              std::set<std::int64_t> seen;
              int n = 0;
              m.range([&](const std::int64_t& rk, const Value& v) {
                if (!valid_for(rk, v) || !seen.insert(rk).second) bad.fetch_add(1);
                return ++n < 64;
              });
              break;
            }
            default:
              // clear() would wipe the owned keys, so here it runs on a private map
              // (sharing the rcu domain); ClearRacingEverything races it on a shared one.
              if (r() % 64 == 0) {
                Map scratch;
                scratch.store(k, nv);
                scratch.load_or_store(k + kStride, Value(k + kStride));
                scratch.clear();
                if (scratch.size() != 0 || scratch.load(k)) bad.fetch_add(1);
              }
              (void)m.size();
              break;
          }
        }
      });
    }
    for (auto& t : ts) t.join();
    EXPECT_EQ(bad.load(), 0);

    // Final invariants: owned keys hold exactly what their owner last wrote; size() agrees
    // with range(); every value is valid.
    std::size_t n = 0;
    std::set<std::int64_t> seen;
    m.range([&](const std::int64_t& k, const Value& v) {
      EXPECT_TRUE(valid_for(k, v));
      EXPECT_TRUE(seen.insert(k).second);
      ++n;
      return true;
    });
    EXPECT_EQ(m.size(), n);
    for (const auto& mine : owned) {
      for (const auto& [k, v] : mine) {
        auto got = m.load(k);
        ASSERT_TRUE(got) << "owned key " << k;
        EXPECT_EQ(got->v, v);
      }
    }
    std::size_t owned_present = 0;
    for (std::int64_t k : seen) owned_present += k >= kSharedKeys ? 1 : 0;
    std::size_t owned_expected = 0;
    for (const auto& mine : owned) owned_expected += mine.size();
    EXPECT_EQ(owned_present, owned_expected);

    // Clear with every thread gone: the map is empty and stays usable.
    m.clear();
    EXPECT_EQ(m.size(), 0u);
    m.store(1, Value(1));
    EXPECT_EQ(m.size(), 1u);
  }
  gomap::rcu_barrier();
  EXPECT_EQ(Value::live.load(), live_before);
  EXPECT_EQ(gomap::rcu_access::pending(), 0u);
}

TYPED_TEST(SyncMapStress, TwoThreads) {
  stress<map_for<TypeParam>>(2, scaled(200'000, 5'000));
}
TYPED_TEST(SyncMapStress, FourThreads) {
  stress<map_for<TypeParam>>(4, scaled(100'000, 2'500));
}
TYPED_TEST(SyncMapStress, EightThreads) {
  stress<map_for<TypeParam>>(8, scaled(50'000, 1'250));
}

// Clear racing with every other operation (the one op the main stress keeps private).
TYPED_TEST(SyncMapStress, ClearRacingEverything) {
  const auto live_before = Value::live.load();
  {
    map_for<TypeParam> m;
    std::atomic<int> bad{0};
    const std::int64_t ops = scaled(100'000, 2'000);
    std::vector<std::thread> ts;
    ts.reserve(4);
    for (int t = 0; t < 4; ++t) {
      ts.emplace_back([&, t] {
        std::mt19937_64 r(static_cast<std::uint64_t>(t) + 99);
        for (std::int64_t i = 0; i < ops; ++i) {
          const auto k = static_cast<std::int64_t>(r() % 32);
          const Value nv(k + kStride * static_cast<std::int64_t>(r() % 100));
          switch (r() % 8) {
            case 0:
              m.clear();
              break;
            case 1:
              m.store(k, nv);
              break;
            case 2:
              m.swap(k, nv);
              break;
            case 3:
              m.load_or_store(k, nv);
              break;
            case 4:
              m.erase(k);
              break;
            case 5: {
              if (auto v = m.load(k); v && !valid_for(k, *v)) bad.fetch_add(1);
              break;
            }
            case 6: {
              if (auto v = m.load(k)) m.compare_and_swap(k, *v, nv);
              break;
            }
            default:
              m.range([&](const std::int64_t& rk, const Value& v) {
                if (!valid_for(rk, v)) bad.fetch_add(1);
                return true;
              });
          }
        }
      });
    }
    for (auto& t : ts) t.join();
    EXPECT_EQ(bad.load(), 0);
    std::size_t n = 0;
    m.range([&](const std::int64_t&, const Value&) { return ++n, true; });
    EXPECT_EQ(m.size(), n);
  }
  gomap::rcu_barrier();
  EXPECT_EQ(Value::live.load(), live_before);
}

}  // namespace
