// tools/stress: short bounded runs (operation counts, not durations) pass on
// every concurrent map; the deliberately lossy map is caught; bad usage is
// rejected; the racy demo sees the detector fire.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace {

struct result {
  int exit_code = -1;
  std::string out, err;
};

result run(const std::string& args) {
  const auto base =
      std::filesystem::temp_directory_path() / ("gomap-stress-test-" + std::to_string(::getpid()));
  const std::string out = base.string() + ".out", err = base.string() + ".err";
  const std::string cmd = std::string(GOMAP_STRESS_EXE) + " " + args + " >" + out + " 2>" + err;
  const int rc = std::system(cmd.c_str());
  result r;
  r.exit_code = WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
  auto slurp = [](const std::string& p) {
    std::ifstream in(p);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
  };
  r.out = slurp(out);
  r.err = slurp(err);
  std::filesystem::remove(out);
  std::filesystem::remove(err);
  return r;
}

class StressMap : public testing::TestWithParam<std::string> {};

TEST_P(StressMap, PassesItsInvariants) {
  for (const char* extra :
       {"", " --dist zipf --keys 64 --mix read=4,write=3,delete=2,range=1,compute=3"}) {
    const result r =
        run("--map " + GetParam() + " --threads 4 --ops 4000 --quiet --seed 7" + extra);
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_NE(r.out.find("stress " + GetParam() + ":"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("ops=16000 "), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("violations=0"), std::string::npos) << r.out;
    EXPECT_EQ(r.err.find("VIOLATION"), std::string::npos) << r.err;
  }
}

INSTANTIATE_TEST_SUITE_P(Maps, StressMap, testing::Values("syncmap", "sharded", "shared_mutex"));

// The checker is not vacuous: lost updates are found and fail the run.
TEST(StressDriver, CatchesLostUpdates) {
  const result r = run("--map lossy --threads 4 --ops 20000 --mix read=1,compute=4 --quiet");
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.err.find("VIOLATION: lost updates: counter"), std::string::npos) << r.err;
  EXPECT_NE(r.out.find("FAILED"), std::string::npos) << r.out;
}

TEST(StressDriver, RejectsBadUsage) {
  EXPECT_EQ(run("--map nosuch").exit_code, 2);
  EXPECT_EQ(run("--threads 0").exit_code, 2);
  EXPECT_EQ(run("--mix read=x").exit_code, 2);
  EXPECT_EQ(run("--dist pareto").exit_code, 2);
}

// Under TSan the child's race is reported by TSan itself first, so the
// detector's message is only checked in builds without it.
#if defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define STRESS_TEST_UNDER_TSAN 1
#endif
#endif
#if defined(__SANITIZE_THREAD__)
#define STRESS_TEST_UNDER_TSAN 1
#endif
#ifndef STRESS_TEST_UNDER_TSAN
TEST(StressDriver, RacyDemoShowsTheDetector) {
  const result r = run("--racy-demo");
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("| fatal error: concurrent map"), std::string::npos) << r.out;
}
#endif

}  // namespace
