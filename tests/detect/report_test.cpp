// The fatal report, the handler and the hashWriting protocol of guard.hpp,
// driven in fixed interleavings by child programs (tests/detect/child.cpp), so
// every expectation here is deterministic.
#include <gtest/gtest.h>

#include <gomap/detect/config.hpp>

#include <regex>
#include <string>

#include "child_process.hpp"

namespace {
using gomap::detect_test::child_result;
using gomap::detect_test::run_child;

const std::string child = GOMAP_DETECT_CHILD;
const std::string strict_child = GOMAP_DETECT_CHILD_STRICT;
const std::string off_child = GOMAP_DETECT_CHILD_OFF;

child_result run(const std::string& scenario, const std::vector<std::string>& env = {},
                 const std::string& exe = child) {
  return run_child(exe, {scenario}, env, 60);
}

bool has_line(const child_result& r, const std::string& line) {
  for (const auto& l : r.lines())
    if (l == line) return true;
  return false;
}

#define SKIP_IF_DETECTION_OFF() \
  if (!gomap::detect::enabled) GTEST_SKIP() << "built with GOMAP_DETECT=OFF"

TEST(Report, FirstLineThreadAndSymbolizedStack) {
  const auto r = run("fatal");
  ASSERT_TRUE(r.aborted()) << r.err;
  const auto lines = r.lines();
  ASSERT_GE(lines.size(), 3u) << r.err;
  EXPECT_EQ(lines[0], "fatal error: test fatal message");
  EXPECT_TRUE(std::regex_search(
      r.err, std::regex("\nthread \\(main thread, tid [0-9]+\\) detected it on map 0x1234:\n")))
      << r.err;
  // Demangled C++ names, and file:line from the test program's debug info.
  EXPECT_NE(r.err.find("call_fatal_here()"), std::string::npos) << r.err;
  EXPECT_TRUE(std::regex_search(r.err, std::regex("child\\.cpp:[0-9]+"))) << r.err;
  EXPECT_NE(r.err.find("main"), std::string::npos) << r.err;
}

TEST(Report, TracebackNonePrintsOnlyTheFatalLine) {
  const auto r = run("fatal", {"GOMAP_TRACEBACK=none"});
  ASSERT_TRUE(r.aborted()) << r.err;
  EXPECT_EQ(r.err, "fatal error: test fatal message\n");
}

TEST(Report, TracebackSingleIsTheDefault) {
  const auto a = run("fatal", {"GOMAP_TRACEBACK=single"});
  const auto b = run("fatal");
  ASSERT_TRUE(a.aborted() && b.aborted());
  EXPECT_EQ(a.lines().size(), b.lines().size());
  EXPECT_EQ(a.err.find("other threads"), std::string::npos);
}

TEST(Report, TracebackAllPrintsTheOtherThreadsStacks) {
  SKIP_IF_DETECTION_OFF();
  const auto r = run("guard-writes", {"GOMAP_TRACEBACK=all"});
  ASSERT_TRUE(r.aborted()) << r.err;
  EXPECT_EQ(r.first_line(), "fatal error: concurrent map writes");
  // worker-1, parked in pause() inside its write, with its own stack.
  std::smatch m;
  ASSERT_TRUE(std::regex_search(
      r.err, m, std::regex("\nthread T1 \\(\"worker-1\", tid [0-9]+\\): state [A-Z][^\n]*:\n")))
      << r.err;
  const std::string rest = m.suffix();
  const std::string worker_stack = rest.substr(0, rest.find("\nthread "));
  if (gomap::detect_test::under_tsan() &&
      worker_stack.find("stack not available") != std::string::npos) {
    GTEST_SKIP() << "TSan kept the thread from answering";
  }
  EXPECT_EQ(worker_stack.rfind("#0  0x", 0), 0u) << r.err;
  EXPECT_NE(worker_stack.find("hold_and_probe"), std::string::npos) << r.err;
}

TEST(Handler, CalledInsteadOfTheReportThenAborts) {
  const auto r = run("handler");
  ASSERT_TRUE(r.aborted()) << r.err;
  EXPECT_EQ(r.err, "handler: concurrent map writes map=0x42\n");
}

TEST(Handler, NullptrRestoresTheDefaultAndReturnsThePrevious) {
  const auto r = run("handler-restored");
  ASSERT_TRUE(r.aborted()) << r.err;
  EXPECT_EQ(r.first_line(), "fatal error: concurrent map writes");
}

TEST(Handler, FatalInsideTheHandlerStillAborts) {
  const auto r = run("handler-recursive");
  ASSERT_TRUE(r.aborted()) << r.err;
  EXPECT_EQ(r.first_line(), "fatal error: inside the handler");
}

TEST(Guard, WriteDuringWriteNamesTheWriter) {
  SKIP_IF_DETECTION_OFF();
  const auto r = run("guard-writes");
  ASSERT_TRUE(r.aborted()) << r.err;
  const auto lines = r.lines();
  ASSERT_GE(lines.size(), 2u) << r.err;
  EXPECT_EQ(lines[0], "fatal error: concurrent map writes");
  EXPECT_EQ(lines[1], "concurrent map writes: thread T1 (\"worker-1\") was writing this map");
}

TEST(Guard, UnnamedWriterIsNamedByItsTid) {
  SKIP_IF_DETECTION_OFF();
  const auto r = run("guard-writes-unnamed");
  ASSERT_TRUE(r.aborted()) << r.err;
  const auto lines = r.lines();
  ASSERT_GE(lines.size(), 2u) << r.err;
  EXPECT_EQ(lines[0], "fatal error: concurrent map writes");
  EXPECT_TRUE(std::regex_match(
      lines[1],
      std::regex("concurrent map writes: thread T1 \\(tid [0-9]+\\) was writing this map")))
      << lines[1];
}

TEST(Guard, ReadDuringWrite) {
  SKIP_IF_DETECTION_OFF();
  const auto r = run("guard-read");
  ASSERT_TRUE(r.aborted()) << r.err;
  EXPECT_EQ(r.first_line(), "fatal error: concurrent map read and map write");
  EXPECT_TRUE(has_line(r,
                       "concurrent map read and map write: thread T1 (\"worker-1\") was "
                       "writing this map"))
      << r.err;
}

TEST(Guard, IterationStepDuringWrite) {
  SKIP_IF_DETECTION_OFF();
  const auto r = run("guard-iterate");
  ASSERT_TRUE(r.aborted()) << r.err;
  EXPECT_EQ(r.first_line(), "fatal error: concurrent map iteration and map write");
  EXPECT_TRUE(has_line(r,
                       "concurrent map iteration and map write: thread T1 (\"worker-1\") "
                       "was writing this map"))
      << r.err;
}

// The toggle: a second writer clears the flag; the first one's end check fires.
TEST(Guard, SecondWriterClearsTheFlagAndIsNamedAtTheEnd) {
  SKIP_IF_DETECTION_OFF();
  const auto r = run("guard-toggle");
  ASSERT_TRUE(r.aborted()) << r.err;
  EXPECT_EQ(r.first_line(), "fatal error: concurrent map writes");
  EXPECT_TRUE(has_line(r, "concurrent map writes: thread T2 (\"worker-2\") was writing this map"))
      << r.err;
}

// Never a false accusation: a thread that trips over its own write names nobody.
TEST(Guard, ReentrantWriteNamesNobody) {
  SKIP_IF_DETECTION_OFF();
  const auto r = run("guard-reentrant");
  ASSERT_TRUE(r.aborted()) << r.err;
  EXPECT_EQ(r.first_line(), "fatal error: concurrent map writes");
  EXPECT_EQ(r.err.find("was writing"), std::string::npos) << r.err;
}

TEST(Guard, SequentialUseByManyThreadsIsQuiet) {
  const auto r = run("guard-sequential");
  EXPECT_TRUE(r.exited && r.exit_code == 0) << r.err;
  EXPECT_EQ(r.err, "");
}

// Go (and the default mode) only see a write that a read or write runs into;
// strict mode also sees a write that starts while a read is in progress.
TEST(Strict, WriteDuringReadIsCaught) {
  SKIP_IF_DETECTION_OFF();
  const auto r = run("guard-strict-read", {}, strict_child);
  ASSERT_TRUE(r.aborted()) << r.err;
  EXPECT_EQ(r.first_line(), "fatal error: concurrent map read and map write");
  EXPECT_TRUE(has_line(r,
                       "(strict mode: this write started while another thread was reading "
                       "this map)"))
      << r.err;
}

TEST(Strict, WriteDuringIterationStepIsCaught) {
  SKIP_IF_DETECTION_OFF();
  const auto r = run("guard-strict-iterate", {}, strict_child);
  ASSERT_TRUE(r.aborted()) << r.err;
  EXPECT_EQ(r.first_line(), "fatal error: concurrent map iteration and map write");
}

TEST(Strict, DefaultModeDoesNotSeeAWriteStartingDuringARead) {
  const auto r = run("guard-strict-read");
  EXPECT_TRUE(r.exited && r.exit_code == 0) << r.err;
}

TEST(Strict, SequentialUseIsQuiet) {
  const auto r = run("guard-sequential", {}, strict_child);
  EXPECT_TRUE(r.exited && r.exit_code == 0) << r.err;
  EXPECT_EQ(r.err, "");
}

// GOMAP_DETECT=0 compiles the checks out.
TEST(Off, ChecksAreCompiledOut) {
  for (const char* s : {"guard-writes", "guard-read", "guard-iterate", "guard-toggle"}) {
    const auto r = run(s, {}, off_child);
    EXPECT_TRUE(r.exited && r.exit_code == 0) << s << ": " << r.err;
  }
  // fatal() itself stays (the engine's other fatal errors use it).
  EXPECT_TRUE(run("fatal", {}, off_child).aborted());
}

}  // namespace
