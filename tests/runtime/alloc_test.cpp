// Port of Go's TestMapStringBytesLookup (runtime/map_test.go): looking up a
// std::string key through a std::string_view or const char* must not build a
// std::string (Go: m[string(bytes)] does not allocate), on both engines
// (typed tests); and the per-thread
// block cache (runtime/block_cache.hpp) that lets a map made and dropped in a
// loop skip malloc, as Go's stack-allocated maps do.  This binary replaces the
// global operator new/delete to count allocations and frees.
#include <gtest/gtest.h>
#include <gomap/map.hpp>
#include <gomap/runtime/block_cache.hpp>
#include <gomap/runtime/node_cache.hpp>
#include <gomap/swiss_map.hpp>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <functional>
#include <new>
#include <string>
#include <string_view>
#include <thread>

#include "../common/engines.hpp"

namespace {
std::atomic<long> g_allocs{0};
std::atomic<long> g_frees{0};
std::atomic<long> g_bytes{0};  // bytes asked of the plain operator new
}  // namespace

void* operator new(std::size_t n) {
  g_allocs.fetch_add(1, std::memory_order_relaxed);
  g_bytes.fetch_add(static_cast<long>(n), std::memory_order_relaxed);
  if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t n) {
  g_allocs.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
  throw std::bad_alloc();
}
void* operator new(std::size_t n, std::align_val_t al) {
  g_allocs.fetch_add(1, std::memory_order_relaxed);
  const std::size_t a = static_cast<std::size_t>(al);
  if (void* p = std::aligned_alloc(a, (n + a - 1) / a * a)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t n, std::align_val_t al) {
  return operator new(n, al);
}
void* operator new(std::size_t n, const std::nothrow_t&) noexcept {
  g_allocs.fetch_add(1, std::memory_order_relaxed);
  return std::malloc(n == 0 ? 1 : n);
}
void* operator new[](std::size_t n, const std::nothrow_t&) noexcept {
  g_allocs.fetch_add(1, std::memory_order_relaxed);
  return std::malloc(n == 0 ? 1 : n);
}
void operator delete(void* p) noexcept {
  if (p != nullptr) g_frees.fetch_add(1, std::memory_order_relaxed);
  std::free(p);
}
void operator delete[](void* p) noexcept {
  if (p != nullptr) g_frees.fetch_add(1, std::memory_order_relaxed);
  std::free(p);
}
void operator delete(void* p, std::size_t) noexcept {
  if (p != nullptr) g_frees.fetch_add(1, std::memory_order_relaxed);
  std::free(p);
}
void operator delete[](void* p, std::size_t) noexcept {
  if (p != nullptr) g_frees.fetch_add(1, std::memory_order_relaxed);
  std::free(p);
}
void operator delete(void* p, std::align_val_t) noexcept {
  if (p != nullptr) g_frees.fetch_add(1, std::memory_order_relaxed);
  std::free(p);
}
void operator delete[](void* p, std::align_val_t) noexcept {
  if (p != nullptr) g_frees.fetch_add(1, std::memory_order_relaxed);
  std::free(p);
}
void operator delete(void* p, std::size_t, std::align_val_t) noexcept {
  if (p != nullptr) g_frees.fetch_add(1, std::memory_order_relaxed);
  std::free(p);
}
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept {
  if (p != nullptr) g_frees.fetch_add(1, std::memory_order_relaxed);
  std::free(p);
}
void operator delete(void* p, const std::nothrow_t&) noexcept {
  if (p != nullptr) g_frees.fetch_add(1, std::memory_order_relaxed);
  std::free(p);
}
void operator delete[](void* p, const std::nothrow_t&) noexcept {
  if (p != nullptr) g_frees.fetch_add(1, std::memory_order_relaxed);
  std::free(p);
}

namespace {

// Allocations made by f.
template <class F>
long allocs_of(F&& f) {
  const long before = g_allocs.load(std::memory_order_relaxed);
  f();
  return g_allocs.load(std::memory_order_relaxed) - before;
}

// Keys longer than any small-string buffer, so that building a std::string
// from them would have to allocate.
const std::string kLong = "a key that is far too long for the small string optimisation";
const std::string kMissing = "a missing key, also far too long for the small string buffer";

using gomap_test::make_map;

template <class Engine>
gomap_test::map_t<Engine, std::string, int> filled() {
  auto m = make_map<Engine, std::string, int>();
  m.set(kLong, 1);
  for (int i = 0; i < 100; ++i) m.set(kLong + std::to_string(i), i);
  return m;
}

GOMAP_TYPED_SUITE(Alloc);

TEST(AllocCounter, Works) {
  // The replacement operator new is in effect (else every test below passes
  // vacuously).
  EXPECT_GE(allocs_of([] { std::string s(kLong.c_str()); }), 1);
  EXPECT_GE(allocs_of([] {
              auto m = gomap::make<std::string, int>();
              m.set(kLong, 1);
            }),
            1);
}

TYPED_TEST(Alloc, StringViewLookupDoesNotAllocate) {
  // TestMapStringBytesLookup: m[string(buf)] "should not allocate".
  const auto m = filled<TypeParam>();
  const std::string_view hit = kLong, miss = kMissing;
  int got = 0;
  bool ok = false;
  EXPECT_EQ(allocs_of([&] { got = m.get(hit); }), 0);
  EXPECT_EQ(got, 1);
  EXPECT_EQ(allocs_of([&] { got = m.get(miss); }), 0);
  EXPECT_EQ(got, 0);
  EXPECT_EQ(allocs_of([&] { ok = m.lookup(hit).second; }), 0);
  EXPECT_TRUE(ok);
  EXPECT_EQ(allocs_of([&] { ok = m.lookup(miss).second; }), 0);
  EXPECT_FALSE(ok);
  EXPECT_EQ(allocs_of([&] { ok = m.contains(hit); }), 0);
  EXPECT_TRUE(ok);
  EXPECT_EQ(allocs_of([&] { ok = m.contains(miss); }), 0);
  EXPECT_FALSE(ok);
  EXPECT_EQ(allocs_of([&] { got = m[hit]; }), 0);
  EXPECT_EQ(got, 1);
  EXPECT_EQ(allocs_of([&] { got = m[miss]; }), 0);
  EXPECT_EQ(got, 0);
}

TYPED_TEST(Alloc, CharPointerLookupDoesNotAllocate) {
  const auto m = filled<TypeParam>();
  const char* hit = kLong.c_str();
  const char* miss = kMissing.c_str();
  int got = 0;
  bool ok = false;
  EXPECT_EQ(allocs_of([&] { got = m.get(hit); }), 0);
  EXPECT_EQ(got, 1);
  EXPECT_EQ(allocs_of([&] { got = m.get(miss); }), 0);
  EXPECT_EQ(allocs_of([&] { ok = m.lookup(hit).second; }), 0);
  EXPECT_TRUE(ok);
  EXPECT_EQ(allocs_of([&] { ok = m.contains(hit); }), 0);
  EXPECT_TRUE(ok);
  EXPECT_EQ(allocs_of([&] { ok = m.contains(miss); }), 0);
  EXPECT_FALSE(ok);
  EXPECT_EQ(allocs_of([&] { got = m[hit]; }), 0);
  EXPECT_EQ(got, 1);
}

TYPED_TEST(Alloc, EraseDoesNotAllocate) {
  const auto m = filled<TypeParam>();
  const std::string k1 = kLong + "1", k2 = kLong + "2";
  const std::string_view sv = k1;
  const char* cp = k2.c_str();
  EXPECT_EQ(allocs_of([&] { m.erase(sv); }), 0);
  EXPECT_FALSE(m.contains(k1));
  EXPECT_EQ(allocs_of([&] { m.erase(cp); }), 0);
  EXPECT_FALSE(m.contains(k2));
  EXPECT_EQ(allocs_of([&] { m.erase(std::string_view(kMissing)); }), 0);
  EXPECT_EQ(allocs_of([&] { m.erase(kMissing.c_str()); }), 0);
  EXPECT_EQ(m.size(), 99u);
}

// A user Hash/Eq pair that is transparent (is_transparent on both): lookups
// pass the caller's type straight through (docs/api.md: "any type that Hash and
// Eq accept transparently").
struct ViewHash {
  using is_transparent = void;
  std::uint64_t operator()(std::string_view s, std::uint64_t seed) const {
    return gomap::hash<std::string>{}(s, seed);
  }
};
struct ViewEq {
  using is_transparent = void;
  bool operator()(std::string_view a, std::string_view b) const { return a == b; }
};

TYPED_TEST(Alloc, CustomTransparentHasherDoesNotAllocate) {
  auto m = make_map<TypeParam, std::string, int, ViewHash, ViewEq>();
  m.set(kLong, 7);
  const std::string_view sv = kLong;
  int got = 0;
  bool ok = false;
  EXPECT_EQ(allocs_of([&] { got = m.get(sv); }), 0);
  EXPECT_EQ(got, 7);
  EXPECT_EQ(allocs_of([&] { ok = m.contains(kLong.c_str()); }), 0);
  EXPECT_TRUE(ok);
  EXPECT_EQ(allocs_of([&] { m.erase(sv); }), 0);
  EXPECT_EQ(m.size(), 0u);
}

TYPED_TEST(Alloc, NonTransparentHasherStillAcceptsViews) {
  // std::hash<std::string> is not transparent here: the lookup converts to
  // K first (allocation allowed), and must still find the key.
  auto m =
      make_map<TypeParam, std::string, int, std::hash<std::string>, std::equal_to<std::string>>();
  m.set(kLong, 3);
  EXPECT_EQ(m.get(std::string_view(kLong)), 3);
  EXPECT_TRUE(m.contains(kLong.c_str()));
  m.erase(std::string_view(kLong));
  EXPECT_EQ(m.size(), 0u);
}

TYPED_TEST(Alloc, NilMapReadsDoNotAllocate) {
  const gomap_test::map_t<TypeParam, std::string, int> m;
  EXPECT_EQ(allocs_of([&] { (void)m.get(std::string_view(kLong)); }), 0);
  EXPECT_EQ(allocs_of([&] { (void)m.contains(kLong.c_str()); }), 0);
  EXPECT_EQ(allocs_of([&] { m.erase(std::string_view(kLong)); }), 0);
}

TYPED_TEST(Alloc, IntLookupsDoNotAllocate) {
  auto m = make_map<TypeParam, int, int>();
  for (int i = 0; i < 1000; ++i) m.set(i, i);
  long n = allocs_of([&] {
    for (int i = 0; i < 2000; ++i) (void)m.get(i);
  });
  EXPECT_EQ(n, 0);
  n = allocs_of([&] {
    for (int i = 0; i < 1000; ++i) m.set(i, -i);  // overwrites: no growth, no new cells
  });
  EXPECT_EQ(n, 0);
}

namespace block_cache = gomap::runtime::block_cache;

#define SKIP_IF_CACHE_OFF()                                                      \
  if (!block_cache::enabled) GTEST_SKIP() << "block cache off under sanitizers"; \
  static_assert(true)

TEST(BlockCache, ReusesAFreedBlockOfTheSameClass) {
  SKIP_IF_CACHE_OFF();
  block_cache::trim();
  void* p = block_cache::allocate(100);
  block_cache::deallocate(p, 100);
  EXPECT_EQ(block_cache::cached_blocks(), 1u);
  void* q = nullptr;
  EXPECT_EQ(allocs_of([&] { q = block_cache::allocate(128); }), 0);  // same 64-byte class
  EXPECT_EQ(q, p);
  EXPECT_EQ(allocs_of([&] { block_cache::deallocate(block_cache::allocate(129), 129); }), 1);
  block_cache::deallocate(q, 128);
  block_cache::trim();
  EXPECT_EQ(block_cache::cached_blocks(), 0u);
}

TEST(BlockCache, KeepsAtMostPerClassBlocksPerClass) {
  SKIP_IF_CACHE_OFF();
  block_cache::trim();
  void* ps[10];
  for (void*& p : ps) p = block_cache::allocate(200);
  const long before = g_frees.load();
  for (void* p : ps) block_cache::deallocate(p, 200);
  EXPECT_EQ(block_cache::cached_blocks(), block_cache::per_class);
  EXPECT_EQ(g_frees.load() - before, 10 - static_cast<long>(block_cache::per_class));
  block_cache::trim();
  EXPECT_EQ(g_frees.load() - before, 10);
}

namespace node_cache = gomap::runtime::node_cache;

// The node lists: a block of exactly the node's rounded size, up to per_size per size, the
// rest to the heap; another size has its own list.
TEST(NodeCache, KeepsPerSizeBlocksOfExactlyTheirSize) {
  SKIP_IF_CACHE_OFF();
  constexpr unsigned n = node_cache::per_size + 6;
  void* ps[n];
  const long bytes_before = g_bytes.load();
  for (void*& p : ps) p = node_cache::allocate(40);  // a HashTrieMap<int64, int64> entry
  EXPECT_EQ(g_bytes.load() - bytes_before, static_cast<long>(n) * 40);  // malloc's granularity
  const long before = g_frees.load();
  for (void* p : ps) node_cache::deallocate(p, 40);
  EXPECT_EQ(node_cache::cached_blocks(40), node_cache::per_size);
  EXPECT_EQ(node_cache::cached_blocks(24), 0u);  // another size, another list
  EXPECT_EQ(g_frees.load() - before, 6);
  EXPECT_EQ(allocs_of([&] {
              for (void*& p : ps) p = node_cache::allocate(33);  // same list as 40
              for (void* p : ps) node_cache::deallocate(p, 33);
            }),
            6);  // the cached ones serve the first per_size requests
  EXPECT_EQ(allocs_of([] { node_cache::deallocate(node_cache::allocate(129), 129); }), 1);
}

TEST(NodeCache, ThreadExitReturnsItsBlocks) {
  SKIP_IF_CACHE_OFF();
  // Frees between the end of a thread's function and its join: the thread's own machinery,
  // plus whatever its exit hooks return to the heap.
  const auto frees_at_exit = [](auto body) {
    long at_end = 0;
    std::thread([&] {
      body();
      at_end = g_frees.load();
    }).join();
    return g_frees.load() - at_end;
  };
  const long machinery = frees_at_exit([] {});
  const long with_nodes = frees_at_exit([] {
    void* ps[8];
    for (void*& p : ps) p = node_cache::allocate(24);
    for (void* p : ps) node_cache::deallocate(p, 24);
    EXPECT_EQ(node_cache::cached_blocks(24), 8u);
  });
  EXPECT_EQ(with_nodes - machinery, 8);
}

TEST(BlockCache, LargeRequestsGoToTheHeap) {
  block_cache::trim();
  const long before = g_frees.load();
  EXPECT_EQ(allocs_of([] {
              block_cache::deallocate(block_cache::allocate(block_cache::max_bytes + 1),
                                      block_cache::max_bytes + 1);
            }),
            1);
  EXPECT_EQ(g_frees.load() - before, 1);
  EXPECT_EQ(block_cache::cached_blocks(), 0u);
}

TEST(BlockCache, ThreadExitReturnsItsBlocks) {
  // The blocks a thread still caches go back to the heap when it exits.
  SKIP_IF_CACHE_OFF();
  std::size_t cached = 0;
  long frees_at_end = 0;
  std::thread([&] {
    void* ps[8];
    for (void*& p : ps) p = block_cache::allocate(512);
    for (void* p : ps) block_cache::deallocate(p, 512);
    cached = block_cache::cached_blocks();
    frees_at_end = g_frees.load();
  }).join();
  EXPECT_EQ(cached, block_cache::per_class);
  EXPECT_GE(g_frees.load() - frees_at_end, static_cast<long>(cached));
}

TEST(BlockCache, BlockFreedOnAnotherThreadJoinsThatThreadsCache) {
  SKIP_IF_CACHE_OFF();
  void* p = block_cache::allocate(300);
  std::size_t cached_there = 0;
  std::thread([&] {
    block_cache::deallocate(p, 300);
    cached_there = block_cache::cached_blocks();
  }).join();
  EXPECT_EQ(cached_there, 1u);
}

TYPED_TEST(Alloc, MapMadeAndDroppedInALoopDoesNotAllocate) {
  // Go's BenchmarkNewSmallMap: the map does not escape, so Go allocates
  // nothing; gomap reuses the header and the first bucket array (classic) or
  // small group (Swiss) of the last one.
  SKIP_IF_CACHE_OFF();
  auto once = [] {
    auto m = make_map<TypeParam, std::int64_t, std::int64_t>();
    m.set(0, 0);
    m.set(1, 1);
    EXPECT_EQ(m.size(), 2u);
  };
  once();  // warms the cache
  EXPECT_EQ(allocs_of([&] {
              for (int i = 0; i < 100; ++i) once();
            }),
            0);
}

}  // namespace
