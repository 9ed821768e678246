// detect_rate: how often does the detector catch Go's racing map programs?
// Runs each racing program (racer.cpp, Go's testprog/map.go ported) K times
// in the default and the strict build and prints, per program and mode, the
// fraction of runs that died with the right `fatal error:` first line within
// the time bound, and the median time to that death.  "missed": the program
// finished its iterations unnoticed; "other": out of time, or a crash from
// the race itself (each one is described on stderr).
//
//   detect_rate [-k runs] [-n iterations] [-t seconds]
#include <unistd.h>
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "child_process.hpp"

namespace {
struct program {
  const char* scenario;
  const char* message;
};
constexpr program programs[] = {
    {"writes", "fatal error: concurrent map writes"},
    {"read-write", "fatal error: concurrent map read and map write"},
    {"iterate-write", "fatal error: concurrent map iteration and map write"},
};
}  // namespace

int main(int argc, char** argv) {
  int runs = 100;
  int iterations = 10000;
  double timeout = 10;
  for (int c; (c = getopt(argc, argv, "k:n:t:")) != -1;) {
    switch (c) {
      case 'k':
        runs = std::atoi(optarg);
        break;
      case 'n':
        iterations = std::atoi(optarg);
        break;
      case 't':
        timeout = std::atof(optarg);
        break;
      default:
        std::fprintf(stderr, "usage: %s [-k runs] [-n iterations] [-t seconds]\n", argv[0]);
        return 2;
    }
  }
  const std::pair<const char*, std::string> modes[] = {{"default", DETECT_RACER},
                                                       {"strict", DETECT_RACER_STRICT}};
  std::printf("%d runs each, %d iterations per thread (Go: 10000), time bound %.0f s\n", runs,
              iterations, timeout);
  std::printf("%-15s %-8s %9s %8s %8s %12s\n", "program", "mode", "detected", "missed", "other",
              "median time");
  for (const auto& p : programs) {
    for (const auto& [mode, exe] : modes) {
      int caught = 0, missed = 0, other = 0;
      std::vector<double> times;
      for (int i = 0; i < runs; ++i) {
        // TSan reports would precede the detector's; this tool measures the detector.
        const auto r = gomap::detect_test::run_child(exe, {p.scenario, std::to_string(iterations)},
                                                     {"TSAN_OPTIONS=report_bugs=0"}, timeout);
        if (r.aborted() && r.first_line() == p.message) {
          ++caught;
          times.push_back(r.seconds);
        } else if (r.exited && r.exit_code == 0) {
          ++missed;
        } else {
          // Out of time, or the race did damage first (it is undefined
          // behaviour: a reader can crash before anyone checks the flag).
          ++other;
          std::fprintf(stderr, "%s/%s run %d: %s %d after %.2f s; stderr: %.200s\n", p.scenario,
                       mode, i,
                       r.timed_out  ? "timed out"
                       : r.signaled ? "killed by signal"
                                    : "exit code",
                       r.timed_out  ? 0
                       : r.signaled ? r.signal
                                    : r.exit_code,
                       r.seconds, r.err.c_str());
        }
      }
      std::sort(times.begin(), times.end());
      const double median = times.empty() ? 0 : times[times.size() / 2];
      std::printf("%-15s %-8s %8.1f%% %8d %8d %10.3f s\n", p.scenario, mode, 100.0 * caught / runs,
                  missed, other, median);
      std::fflush(stdout);
    }
  }
  return 0;
}
