// Runs a test child program and collects what the detector tests look at:
// how it ended and its stderr.
#pragma once

#include <string>
#include <vector>

namespace gomap::detect_test {

struct child_result {
  bool exited = false;  // exited normally; then exit_code is valid
  int exit_code = -1;
  bool signaled = false;  // killed by a signal; then signal is valid
  int signal = 0;
  bool timed_out = false;  // killed by us after the time bound
  std::string err;         // everything it wrote to stderr
  double seconds = 0;      // wall time until it ended

  std::vector<std::string> lines() const;
  std::string first_line() const;
  bool aborted() const { return signaled && signal == 6; }
};

// Runs `exe args...` with the current environment plus `env` ("NAME=value",
// overriding; "NAME" alone removes NAME), stdout to /dev/null, killed after
// `timeout_s` seconds.
child_result run_child(const std::string& exe, const std::vector<std::string>& args,
                       const std::vector<std::string>& env = {}, double timeout_s = 60);

// True in a ThreadSanitizer build (the child is instrumented the same way).
bool under_tsan();

}  // namespace gomap::detect_test
