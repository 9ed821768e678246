// No false positives: correct programs never trip the detector — externally
// locked concurrent use, single-threaded reentrancy through user callbacks,
// and writes that fail with an exception.  A false report aborts this test
// binary, so every test here fails loudly if the detector misfires.  Built
// twice: default and strict mode (detect_quiet_strict_test).
#include <gtest/gtest.h>

#include <gomap/detect/config.hpp>
#include <gomap/map.hpp>

#include <cstdint>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "racers.hpp"

namespace {

// ThreadSanitizer slows every locked operation down ~10x; keep the binary
// well under 30 s there (ASan copes with the full count).
#if defined(__SANITIZE_THREAD__)
constexpr int ops_per_thread = 100'000;
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
constexpr int ops_per_thread = 100'000;
#else
constexpr int ops_per_thread = 1'000'000;
#endif
#else
constexpr int ops_per_thread = 1'000'000;
#endif

TEST(Quiet, FourThreadsMixedOpsBehindAMutex) {
  const auto size = gomap::racers::locked_mixed_ops(4, ops_per_thread);
  EXPECT_GE(size, 0);
  EXPECT_LE(size, 4096);
}

// Iterators of several threads at once on an unchanging map are reads only.
TEST(Quiet, ConcurrentReadersAndIterators) {
  auto m = gomap::make<int, int>();
  for (int i = 0; i < 1000; ++i) m[i] = i;
  std::vector<std::thread> ts;
  ts.reserve(4);
  for (int t = 0; t < 4; ++t) {
    ts.emplace_back([&] {
      long sum = 0;
      for (int round = 0; round < 50; ++round) {
        for (int i = 0; i < 1000; ++i) sum += m.get(i);
        for (auto&& [k, v] : m) sum += v;
      }
      EXPECT_EQ(sum, 50L * 2 * (999L * 1000 / 2));
    });
  }
  for (auto& t : ts) t.join();
}

// Hash and Eq that read *another* map: reentrant, single-threaded, legal.
gomap::Map<int, int> g_side = gomap::make<int, int>();

struct side_reading_hash {
  std::uint64_t operator()(const int& k, std::uint64_t seed) const {
    return gomap::hash<int>{}(k + g_side.get(-1), seed);
  }
};
struct side_reading_eq {
  bool operator()(const int& a, const int& b) const {
    (void)g_side.contains(a);
    for ([[maybe_unused]] auto&& kv : g_side) {
    }
    return a == b;
  }
};

TEST(Quiet, HashAndEqThatReadAnotherMap) {
  g_side = gomap::make<int, int>();
  g_side[-1] = 3;
  g_side[1] = 1;
  auto m = gomap::make<int, int, side_reading_hash, side_reading_eq>();
  for (int i = 0; i < 5000; ++i) m[i] = i;
  for (int i = 0; i < 5000; i += 2) m.erase(i);
  for (int i = 0; i < 5000; ++i) EXPECT_EQ(m.contains(i), i % 2 == 1);
  EXPECT_EQ(m.size(), 2500);
}

// A value whose destructor and copy write another map.
struct logging_value {
  static inline gomap::Map<int, int> log = gomap::make<int, int>();
  int v = 0;
  logging_value() = default;
  explicit logging_value(int x) : v(x) {}
  logging_value(const logging_value& o) : v(o.v) { log[1] += 1; }
  logging_value& operator=(const logging_value& o) {
    v = o.v;
    log[2] += 1;
    return *this;
  }
  ~logging_value() { log[3] += 1; }
};

TEST(Quiet, ValueDestructorAndCopyThatWriteAnotherMap) {
  {
    auto m = gomap::make<int, logging_value>();
    for (int i = 0; i < 2000; ++i) m.set(i, logging_value(i));
    for (int i = 0; i < 2000; i += 3) m.erase(i);
    m.clear();
    for (int i = 0; i < 100; ++i) m.set(i, logging_value(i));
  }
  EXPECT_GT(logging_value::log.get(3), 0);
}

// Go allows the loop body to write the map it ranges over.
TEST(Quiet, LoopBodyWritesTheMapItIterates) {
  auto m = gomap::make<int, int>();
  for (int i = 0; i < 500; ++i) m[i] = i;
  for (auto&& [k, v] : m) {
    if (k % 2 == 0)
      m.erase(k);
    else
      m[k + 1000] = v;
  }
  m.range([&](const int& k, int&) {
    m.erase(k);
    return true;
  });
  m.clear();
  EXPECT_EQ(m.size(), 0);
}

// After a write fails with an exception the flag is released: later writes,
// from this thread or another (ordered by join), are not reported.
struct throwing_hash {
  static inline bool armed = false;
  std::uint64_t operator()(const int& k, std::uint64_t seed) const {
    if (armed && k == 13) throw std::runtime_error("hash");
    return gomap::hash<int>{}(k, seed);
  }
};
struct throwing_eq {
  static inline bool armed = false;
  bool operator()(const int& a, const int& b) const {
    if (armed && a == b && a == 21) throw std::runtime_error("eq");
    return a == b;
  }
};
struct throwing_copy {
  static inline bool armed = false;
  int v = 0;
  throwing_copy() = default;
  explicit throwing_copy(int x) : v(x) {}
  throwing_copy(const throwing_copy& o) : v(o.v) {
    if (armed) throw std::runtime_error("copy");
  }
  throwing_copy& operator=(const throwing_copy& o) {
    if (armed) throw std::runtime_error("assign");
    v = o.v;
    return *this;
  }
};

TEST(Quiet, WritesAfterThrowingHashEqAndCopy) {
  auto m = gomap::make<int, throwing_copy, throwing_hash, throwing_eq>();
  for (int i = 0; i < 100; ++i) m.set(i, throwing_copy(i));
  throwing_hash::armed = true;
  EXPECT_THROW(m.set(13, throwing_copy(1)), std::runtime_error);
  EXPECT_THROW(m.erase(13), std::runtime_error);
  throwing_hash::armed = false;
  throwing_eq::armed = true;
  EXPECT_THROW(m.set(21, throwing_copy(1)), std::runtime_error);
  EXPECT_THROW(m.erase(21), std::runtime_error);
  throwing_eq::armed = false;
  throwing_copy::armed = true;
  const throwing_copy value(5);
  EXPECT_THROW(m.set(1000, value), std::runtime_error);  // new key: copy throws
  EXPECT_THROW(m.set(5, value), std::runtime_error);     // existing key: assignment throws
  throwing_copy::armed = false;
  // Later writes, here and on another thread: no "concurrent map writes".
  for (int i = 100; i < 2000; ++i) m.set(i, throwing_copy(i));
  std::thread([&] {
    for (int i = 0; i < 2000; ++i) m.erase(i);
  }).join();
  EXPECT_EQ(m.size(), 0);
}

}  // namespace
