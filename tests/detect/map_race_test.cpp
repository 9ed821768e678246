// gomap::Map and gomap::SwissMap under misuse, in child processes: the ports of Go's
// testprog/map.go die with Go's exact message as the first line of stderr,
// deterministic interleavings name the writer, and under ThreadSanitizer a
// race is reported on gomap::Map while the locked program stays silent.
#include <gtest/gtest.h>

#include <gomap/detect/config.hpp>

#include <regex>
#include <string>
#include <string_view>

#include "child_process.hpp"

namespace {
using gomap::detect_test::child_result;
using gomap::detect_test::run_child;
using gomap::detect_test::under_tsan;

const std::string child = GOMAP_DETECT_CHILD;
const std::string strict_child = GOMAP_DETECT_CHILD_STRICT;

// Under TSan the child's own race report would come first; these tests are
// about gomap's detector, so TSan's reports are switched off in the child.
child_result run(const std::string& scenario, const std::string& exe = child) {
  std::vector<std::string> env;
  if (under_tsan()) env.push_back("TSAN_OPTIONS=report_bugs=0");
  return run_child(exe, {scenario}, env, 240);
}

#define SKIP_IF_DETECTION_OFF() \
  if (!gomap::detect::enabled) GTEST_SKIP() << "built with GOMAP_DETECT=OFF"

// A second line, when present, names one of the two workers, never the
// thread that detected the race.
void expect_fair_accusation(const child_result& r, const std::string& message) {
  const auto lines = r.lines();
  if (lines.size() < 2 || lines[1].rfind(message + ": thread", 0) != 0) return;
  std::smatch accused;
  ASSERT_TRUE(std::regex_match(
      lines[1], accused,
      std::regex(message + ": thread (T[0-9]+) \\(\"worker-[12]\"\\) was writing this map")))
      << lines[1];
  std::smatch detector;
  if (std::regex_search(r.err, detector, std::regex("\nthread (T[0-9]+) [^\n]* detected it"))) {
    EXPECT_NE(accused[1].str(), detector[1].str()) << r.err;
  }
}

struct go_port {
  const char* scenario;
  const char* message;
};

class GoPort : public ::testing::TestWithParam<go_port> {};

// TestConcurrentMapWrites, TestConcurrentMapReadWrite, TestConcurrentMapIterateWrite
TEST_P(GoPort, DiesWithGosMessageFirst) {
  SKIP_IF_DETECTION_OFF();
  // (Strict mode runs the same programs in tools/detect_rate.)
  const auto r = run(GetParam().scenario);
  ASSERT_TRUE(r.aborted()) << "exited=" << r.exited << " code=" << r.exit_code
                           << " timed_out=" << r.timed_out << "\n"
                           << r.err;
  EXPECT_EQ(r.first_line(), std::string("fatal error: ") + GetParam().message) << r.err;
  expect_fair_accusation(r, GetParam().message);
}

INSTANTIATE_TEST_SUITE_P(
    Detect, GoPort,
    ::testing::Values(go_port{"map-writes", "concurrent map writes"},
                      go_port{"map-read-write", "concurrent map read and map write"},
                      go_port{"map-iterate-write", "concurrent map iteration and map write"},
                      go_port{"swiss-writes", "concurrent map writes"},
                      go_port{"swiss-read-write", "concurrent map read and map write"},
                      go_port{"swiss-iterate-write", "concurrent map iteration and map write"}),
    [](const auto& info) {
      std::string n = info.param.scenario;
      for (auto& c : n)
        if (c == '-') c = '_';
      return n;
    });

struct parked {
  const char* scenario;
  const char* message;
};
class ParkedWriter : public ::testing::TestWithParam<parked> {};

// worker-1 is stopped inside Map::set (in a key comparison); the main thread
// then writes, reads or iterates: always caught, always naming worker-1.
TEST_P(ParkedWriter, IsNamed) {
  SKIP_IF_DETECTION_OFF();
  const auto r = run(GetParam().scenario);
  ASSERT_TRUE(r.aborted()) << r.err;
  const auto lines = r.lines();
  ASSERT_GE(lines.size(), 2u) << r.err;
  EXPECT_EQ(lines[0], std::string("fatal error: ") + GetParam().message);
  EXPECT_EQ(lines[1],
            std::string(GetParam().message) + ": thread T2 (\"worker-1\") was writing this map")
      << r.err;
}

INSTANTIATE_TEST_SUITE_P(
    Detect, ParkedWriter,
    ::testing::Values(parked{"map-park-writes", "concurrent map writes"},
                      parked{"map-park-read", "concurrent map read and map write"},
                      parked{"map-park-iterate", "concurrent map iteration and map write"},
                      parked{"swiss-park-writes", "concurrent map writes"},
                      parked{"swiss-park-read", "concurrent map read and map write"},
                      parked{"swiss-park-iterate", "concurrent map iteration and map write"}),
    [](const auto& info) {
      std::string n = info.param.scenario;
      for (auto& c : n)
        if (c == '-') c = '_';
      return n;
    });

TEST(Locked, MixedOpsNeverReport) {
  for (const std::string& exe : {child, strict_child})
    for (const char* s : {"map-locked", "swiss-locked"}) {
      const auto r = run(s, exe);
      EXPECT_TRUE(r.exited && r.exit_code == 0) << exe << " " << s << "\n" << r.err;
      EXPECT_EQ(r.err, "") << exe << " " << s;
    }
}

// ThreadSanitizer names gomap::Map, with both stacks. TSan updates its shadow without
// locks, so two annotations made at the same instant can miss each other; gomap's own
// flag check then ends the run first. That outcome is also correct, so a scenario gets a
// few runs: each must end in one of the two reports, and one must be TSan's.
TEST(Tsan, RacingProgramReportsARaceOnGomapMap) {
  if (!under_tsan()) GTEST_SKIP() << "not a ThreadSanitizer build";
  SKIP_IF_DETECTION_OFF();  // the annotations go with the checks
  for (const char* s : {"map-writes", "map-read-write", "map-iterate-write", "swiss-writes",
                        "swiss-read-write", "swiss-iterate-write"}) {
    // The external tag names the map class: gomap::Map or gomap::SwissMap.
    const std::string tag = std::string("WARNING: ThreadSanitizer: race on gomap::") +
                            (std::string_view(s).starts_with("swiss") ? "SwissMap" : "Map");
    bool tsan_reported = false;
    for (int attempt = 0; attempt < 5 && !tsan_reported; ++attempt) {
      const auto r = run_child(child, {s}, {"TSAN_OPTIONS=halt_on_error=1"}, 120);
      tsan_reported = r.err.find(tag) != std::string::npos;
      if (tsan_reported) {
        EXPECT_NE(r.err.find("Previous "), std::string::npos) << s << "\n" << r.err;
      } else {
        EXPECT_NE(r.err.find("fatal error: concurrent map "), std::string::npos) << s << "\n"
                                                                                 << r.err;
      }
    }
    EXPECT_TRUE(tsan_reported) << s << ": no ThreadSanitizer report in 5 runs";
  }
}

TEST(Tsan, LockedProgramReportsNothing) {
  if (!under_tsan()) GTEST_SKIP() << "not a ThreadSanitizer build";
  for (const char* s : {"map-locked", "swiss-locked"}) {
    const auto r = run_child(child, {s}, {"TSAN_OPTIONS=halt_on_error=1"}, 120);
    EXPECT_TRUE(r.exited && r.exit_code == 0) << s << "\n" << r.err;
    EXPECT_EQ(r.err.find("ThreadSanitizer"), std::string::npos) << s << "\n" << r.err;
  }
}

}  // namespace
