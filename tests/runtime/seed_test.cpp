// One seed for all of gomap's randomness (<gomap/seed.hpp>, docs/seed.md):
// same seed, same orders — in one process and across processes; threads;
// set_seed mid-program; a malformed GOMAP_SEED; the fatal report and the
// GoogleTest listener print a seed that replays.
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "../detect/child_process.hpp"
#include "gomap/map.hpp"
#include "gomap/seed.hpp"

namespace {
using gomap::detect_test::run_child;

std::vector<std::uint64_t> int_order(std::uint64_t n = 100) {
  auto m = gomap::make<std::uint64_t, int>();
  for (std::uint64_t i = 0; i < n; ++i) m[i] = 1;
  std::vector<std::uint64_t> out;
  for (auto&& [k, v] : m) out.push_back(k);
  return out;
}

std::vector<std::string> str_order() {
  gomap::Map<std::string, int> m;
  m = gomap::make<std::string, int>();
  for (int i = 0; i < 60; ++i) m[std::to_string(i * 31)] = i;
  std::vector<std::string> out;
  for (auto&& [k, v] : m) out.push_back(k);
  return out;
}

TEST(Seed, SameSeedReplaysOrdersInProcess) {
  gomap::set_seed(42);
  EXPECT_EQ(gomap::seed(), 42u);
  const auto a1 = int_order(), a2 = int_order();
  const auto s1 = str_order();
  gomap::set_seed(42);
  EXPECT_EQ(int_order(), a1);
  EXPECT_EQ(int_order(), a2);
  EXPECT_EQ(str_order(), s1);
  // Another seed: another order (100 keys: a repeat by chance is ~1/64 per
  // map for the start bucket alone; over three maps it is negligible).
  gomap::set_seed(43);
  const auto b1 = int_order(), b2 = int_order();
  const auto t1 = str_order();
  EXPECT_TRUE(b1 != a1 || b2 != a2 || t1 != s1);
}

TEST(Seed, SetSeedMidProgramKeepsOldMapsWorking) {
  auto old = gomap::make<std::string, int>();
  for (int i = 0; i < 500; ++i) old[std::to_string(i)] = i;
  gomap::set_seed(7);
  const auto fresh = int_order();
  // Maps made before keep their hash seeds (and the key schedule never
  // changes): every key is still found.
  for (int i = 0; i < 500; ++i) ASSERT_EQ(old.get(std::to_string(i)), i);
  gomap::set_seed(7);
  EXPECT_EQ(int_order(), fresh);
}

// Each thread's stream derives from the seed and the order in which threads
// first draw after it: the same sequence of threads replays.
TEST(Seed, ThreadsReplayInTheOrderTheyStart) {
  auto run = [] {
    gomap::set_seed(99);
    std::vector<std::vector<std::uint64_t>> per_thread(3);
    for (int t = 0; t < 3; ++t) {
      std::thread th([&, t] { per_thread[static_cast<std::size_t>(t)] = int_order(); });
      th.join();  // one after the other: a fixed order of first use
    }
    per_thread.push_back(int_order());  // and the main thread's own stream
    return per_thread;
  };
  const auto first = run();
  EXPECT_EQ(run(), first);
  EXPECT_NE(first[0], first[1]);  // distinct streams
}

#ifdef GOMAP_SEED_CHILD
TEST(Seed, SameGomapSeedReplaysAcrossProcesses) {
  const auto a = run_child(GOMAP_SEED_CHILD, {"orders"}, {"GOMAP_SEED=123456789"});
  const auto b = run_child(GOMAP_SEED_CHILD, {"orders"}, {"GOMAP_SEED=123456789"});
  const auto c = run_child(GOMAP_SEED_CHILD, {"orders"}, {"GOMAP_SEED=0x75bcd15"});  // same value
  const auto d = run_child(GOMAP_SEED_CHILD, {"orders"}, {"GOMAP_SEED=987654321"});
  ASSERT_TRUE(a.exited && a.exit_code == 0) << a.err;
  // Skip the warning line: compare what the seed decides.
  auto body = [](const gomap::detect_test::child_result& r) {
    std::string out;
    for (const std::string& l : r.lines())
      if (l.rfind("gomap: ", 0) != 0) out += l + '\n';
    return out;
  };
  EXPECT_FALSE(body(a).empty());
  EXPECT_EQ(body(a), body(b));
  EXPECT_EQ(body(a), body(c));
  EXPECT_NE(body(a), body(d));
  EXPECT_NE(a.err.find("fixes the seed to 0x00000000075bcd15"), std::string::npos) << a.err;
}

TEST(Seed, RandomByDefault) {
  const auto a = run_child(GOMAP_SEED_CHILD, {"orders"}, {"GOMAP_SEED"});
  const auto b = run_child(GOMAP_SEED_CHILD, {"orders"}, {"GOMAP_SEED"});
  ASSERT_TRUE(a.exited && a.exit_code == 0) << a.err;
  EXPECT_NE(a.err, b.err);
  EXPECT_EQ(a.err.find("gomap: "), std::string::npos) << "no warning without a fixed seed";
}

TEST(Seed, MalformedGomapSeedIsAClearError) {
  for (const char* bad : {"abc", "12x", "-1", "0x", "", "18446744073709551616", " 5"}) {
    const auto r = run_child(GOMAP_SEED_CHILD, {"orders"}, {std::string("GOMAP_SEED=") + bad});
    EXPECT_TRUE(r.aborted()) << bad;
    EXPECT_NE(r.err.find("GOMAP_SEED=\"" + std::string(bad) + "\" is not a seed"),
              std::string::npos)
        << r.err;
  }
}

TEST(Seed, FatalReportPrintsTheSeed) {
  const auto r =
      run_child(GOMAP_SEED_CHILD, {"fatal"}, {"GOMAP_SEED=0x5eed", "GOMAP_TRACEBACK=none"});
  EXPECT_TRUE(r.aborted());
  // (The first line is the fixed-seed warning, printed at first use.)
  EXPECT_NE(r.err.find("\nfatal error: seed child fatal\n"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("GOMAP_SEED=0x5eed replays"), std::string::npos) << r.err;
  // A random run names its random seed, which then replays the run.
  const auto rnd = run_child(GOMAP_SEED_CHILD, {"fatal"}, {"GOMAP_SEED", "GOMAP_TRACEBACK=none"});
  std::smatch m;
  ASSERT_TRUE(std::regex_search(rnd.err, m, std::regex("GOMAP_SEED=(0x[0-9a-f]+) replays")))
      << rnd.err;
}

TEST(Seed, ListenerPrintsASeedThatReplaysTheFailedTest) {
  const auto failed = run_child(GOMAP_SEED_CHILD, {"gtest"}, {"GOMAP_SEED", "SEED_CHILD_FAIL=1"});
  std::smatch m;
  ASSERT_TRUE(std::regex_search(failed.err, m,
                                std::regex("GOMAP_SEED=(0x[0-9a-f]+) reproduces this failure")))
      << failed.err;
  const std::string seed = m[1];
  const auto again =
      run_child(GOMAP_SEED_CHILD, {"gtest"}, {"GOMAP_SEED=" + seed, "SEED_CHILD_FAIL=1"});
  auto orders = [](const std::string& err) {
    // The lines the test printed: everything before gtest's "[  FAILED  ]".
    std::string out;
    std::size_t pos = 0;
    while (pos < err.size()) {
      const std::size_t nl = err.find('\n', pos);
      const std::string l = err.substr(pos, nl == std::string::npos ? nl : nl - pos);
      pos = nl == std::string::npos ? err.size() : nl + 1;
      if (!l.empty() && (std::isdigit(static_cast<unsigned char>(l[0])) != 0)) out += l + '\n';
    }
    return out;
  };
  EXPECT_FALSE(orders(failed.err).empty()) << failed.err;
  EXPECT_EQ(orders(failed.err), orders(again.err));
}
#endif

}  // namespace
