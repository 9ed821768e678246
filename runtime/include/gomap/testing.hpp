// <gomap/testing.hpp> — GoogleTest support: every test starts from a known
// seed, and a failed test says which one replays it.
//
//   int main(int argc, char** argv) {
//     ::testing::InitGoogleTest(&argc, argv);
//     gomap::testing::install_seed_listener();
//     return RUN_ALL_TESTS();
//   }
//
// The run's seed is GOMAP_SEED if set, else random; each test runs under
// set_seed(derived from the run's seed and the test's full name), so one test
// replays alone:  GOMAP_SEED=<printed> ./tests --gtest_filter=<that test>.
// Opt-in: the header is included only by programs that want it, and needs
// GoogleTest (gtest/gtest.h) on the include path.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "gomap/seed.hpp"

namespace gomap::testing {

class SeedListener : public ::testing::EmptyTestEventListener {
 public:
  // run_seed: the seed every test's own seed derives from.
  explicit SeedListener(std::uint64_t run_seed) noexcept : run_seed_(run_seed) {}

  // The seed a test runs under: the run's seed mixed with its full name, so
  // a test's seed does not depend on which tests ran before it.
  static std::uint64_t test_seed(std::uint64_t run_seed, std::string_view full_name) noexcept {
    std::uint64_t h = 0xcbf29ce484222325ull;  // FNV-1a
    for (unsigned char c : full_name) h = (h ^ c) * 0x100000001b3ull;
    return run_seed ^ h;
  }

  void OnTestStart(const ::testing::TestInfo& info) override {
    gomap::set_seed(test_seed(run_seed_, full_name(info)));
  }
  void OnTestEnd(const ::testing::TestInfo& info) override {
    if (info.result() == nullptr || !info.result()->Failed()) return;
    std::printf(
        "GOMAP_SEED=0x%016llx reproduces this failure: GOMAP_SEED=0x%016llx %s "
        "--gtest_filter='%s'\n",
        static_cast<unsigned long long>(run_seed_), static_cast<unsigned long long>(run_seed_),
        ::testing::internal::GetArgvs().empty() ? "<test binary>"
                                                : ::testing::internal::GetArgvs()[0].c_str(),
        full_name(info).c_str());
    std::fflush(stdout);
  }
  std::uint64_t run_seed() const noexcept { return run_seed_; }

 private:
  static std::string full_name(const ::testing::TestInfo& info) {
    return std::string(info.test_suite_name()) + "." + info.name();
  }
  std::uint64_t run_seed_;
};

// Appends a SeedListener whose run seed is GOMAP_SEED (parsed by gomap at
// first use), or gomap's random process seed.
inline SeedListener& install_seed_listener() {
  auto* l = new SeedListener(gomap::seed());
  ::testing::UnitTest::GetInstance()->listeners().Append(l);  // gtest owns it
  return *l;
}

}  // namespace gomap::testing
