// The child program of seed_test: runs under a given GOMAP_SEED and writes
// what the seed decides to stderr, so the parent can compare two processes.
//   seed_child orders   the iteration orders of a few maps, one line each
//   seed_child fatal    a fatal error (the report must name the seed)
//   seed_child gtest    a GoogleTest run with the seed listener; its one test
//                       prints an order, and fails when SEED_CHILD_FAIL=1
//   seed_child order-dependent
//                       a program with an order bug: fails when a loop over
//                       {0..7} happens to start at 0 (about one seed in eight)
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <string>

#include "gomap/detect.hpp"
#include "gomap/map.hpp"
#include "gomap/seed.hpp"
#include "gomap/sharded_map.hpp"
#include "gomap/testing.hpp"

namespace {

template <class M>
std::string order(const M& m) {
  std::string out;
  for (auto&& [k, v] : m) {
    std::string s;
    gomap::fmt::append_value(s, k);
    out += s + ' ';
  }
  return out;
}

std::string orders() {
  std::string out;
  auto ints = gomap::make<std::uint64_t, int>();
  for (std::uint64_t i = 0; i < 200; ++i) ints[i] = 1;
  out += order(ints) + '\n';
  gomap::Map<std::string, int> strs{{"a", 1}, {"bb", 2}, {"ccc", 3}, {"dddd", 4}};
  for (int i = 0; i < 50; ++i) strs[std::to_string(i * 7919)] = i;
  out += order(strs) + '\n';
  // The same map iterated twice: two different random starts.
  out += order(strs) + '\n';
  // NaN keys: their hashes are random draws too; their positions show it.
  auto nans = gomap::make<double, int>();
  for (int i = 0; i < 30; ++i) {
    nans[std::numeric_limits<double>::quiet_NaN()] = i;
    nans[static_cast<double>(i)] = i;
  }
  std::string s;
  for (auto&& [k, v] : nans) s += std::to_string(v) + ' ';
  out += s + '\n';
  gomap::ShardedMap<int, int> sharded(8);
  for (int i = 0; i < 64; ++i) sharded.set(i, i);
  std::string r;
  sharded.range([&](int k, int) { r += std::to_string(k) + ' '; });
  out += r + '\n';
  return out;
}

TEST(SeedChild, PrintsOrder) {
  std::fputs(orders().c_str(), stderr);
  if (const char* f = std::getenv("SEED_CHILD_FAIL"); f != nullptr && f[0] == '1')
    ADD_FAILURE() << "failing on purpose";
}

}  // namespace

int main(int argc, char** argv) {
  const std::string mode = argc > 1 ? argv[1] : "orders";
  if (mode == "orders") {
    std::fputs(orders().c_str(), stderr);
    return 0;
  }
  if (mode == "order-dependent") {
    gomap::Map<int, int> m{{0, 0}, {1, 1}, {2, 2}, {3, 3}, {4, 4}, {5, 5}, {6, 6}, {7, 7}};
    for (auto&& [k, v] : m) return k == 0 ? 1 : 0;  // "the first key is never 0"
    return 0;
  }
  if (mode == "fatal") {
    auto m = gomap::make<int, int>();  // gomap in use: the seed is known
    m[1] = 1;
    gomap::detect::fatal("seed child fatal", nullptr);
  }
  if (mode == "gtest") {
    ::dup2(2, 1);  // the listener's line goes where the parent reads
    int gargc = 1;
    ::testing::InitGoogleTest(&gargc, argv);
    gomap::testing::install_seed_listener();
    return RUN_ALL_TESTS();
  }
  std::fprintf(stderr, "seed_child: unknown mode %s\n", mode.c_str());
  return 2;
}
