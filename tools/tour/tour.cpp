// tools/tour — Go's map semantics in C++, in one short program.
//
// Each section prints the Go it mirrors, then what gomap does.  The last
// section runs a real data race in a child process and shows gomap's
// detector killing it with Go's `fatal error: concurrent map writes`.
#include <gomap/gomap.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <limits>
#include <string>
#include <thread>
#include <vector>

namespace {

void section(const char* title, const char* go) {
  std::cout << "\n== " << title << "\n   Go: " << go << "\n";
}

// Runs `body` in a child process with its stderr captured; returns what the
// child printed and how it ended.
template <class F>
std::pair<std::string, int> run_child(F body) {
  int fds[2];
  if (pipe(fds) != 0) return {"pipe failed", -1};
  std::cout.flush();
  const pid_t pid = fork();
  if (pid == 0) {
    dup2(fds[1], 2);
    close(fds[0]);
    body();
    _exit(0);
  }
  close(fds[1]);
  std::string out;
  char buf[4096];
  ssize_t n;
  while ((n = read(fds[0], buf, sizeof buf)) > 0) out.append(buf, static_cast<std::size_t>(n));
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  return {out, status};
}

}  // namespace

int main() {
  std::cout << "gomap tour: Go's map semantics in C++\n";

  section("nil map", "var m map[string]int; m[\"a\"]; len(m); m[\"a\"] = 1");
  gomap::Map<std::string, int> nil_map;
  std::cout << "   m == nil: " << std::boolalpha << (nil_map == nullptr)
            << ", m[\"a\"] = " << nil_map["a"] << ", len(m) = " << nil_map.size() << "\n";
  try {
    nil_map["a"] = 1;
  } catch (const gomap::panic& p) {
    std::cout << "   m[\"a\"] = 1 -> panic: " << p.what() << "\n";
  }

  section("zero values and comma-ok", "m := map[string]int{\"go\": 1}; v, ok := m[\"c++\"]");
  gomap::Map<std::string, int> m{{"go", 1}};
  auto [v, ok] = m.lookup("c++");
  std::cout << "   v = " << v << ", ok = " << ok << "; m[\"c++\"] += 2 -> ";
  m["c++"] += 2;
  std::cout << m << "\n";

  section("NaN keys", "m := map[float64]int{}; m[NaN] = 1; m[NaN] = 2; m[-0.0] = 3; m[+0.0] = 4");
  auto f = gomap::make<double, int>();
  const double nan = std::numeric_limits<double>::quiet_NaN();
  f[nan] = 1;
  f[nan] = 2;
  f[-0.0] = 3;
  f[+0.0] = 4;
  std::cout << "   " << f << "  len = " << f.size() << ", m[NaN] found: " << f.contains(nan)
            << "\n   (every NaN is a new key, never found again; +0 and -0 are one key)\n";
  f.clear();
  std::cout << "   clear(m) -> " << f << " (NaN keys too, as in Go 1.21)\n";

  section("random iteration order", "for k := range m { ... } // a new order every loop");
  auto small = gomap::make<int, bool>();
  for (int i = 0; i < 8; i++) small[i] = true;
  for (int loop = 0; loop < 3; loop++) {
    std::cout << "   loop " << loop << ":";
    for (auto&& [k, b] : small) std::cout << ' ' << k;
    std::cout << "\n";
  }

  section("mutation during range",
          "for k := range m { delete(m, k+1); m[k+100] = 0 } // allowed; no entry twice");
  auto mut = gomap::make<int, int>();
  for (int i = 0; i < 10; i++) mut[i] = i;
  int produced = 0;
  for (auto&& [k, val] : mut) {
    const int key = k;  // k and val refer into the map: read them before mutating
    produced++;
    mut.erase(key + 1);
    if (key < 100) mut[key + 100] = 0;  // may grow the map mid-loop
  }
  std::cout << "   produced " << produced << " entries; now len = " << mut.size()
            << " (deleted entries not yet reached were never produced)\n";

  section("a real race, caught",
          "two goroutines writing one map -> fatal error: concurrent map writes");
  auto [err, status] = run_child([] {
    // Filled first, so the racing writes overwrite in place: the race is on values, and
    // the detector (not freed memory under a growing map) ends the child.
    auto shared = gomap::make<int, int>(2048);
    for (int k = 0; k < 1024; ++k) shared[k] = shared[(1 << 20) + k] = 0;
    std::atomic<bool> stop{false};
    auto writer = [&](int base) {
      for (int i = 0; !stop.load(std::memory_order_relaxed); i++) shared[base + (i & 1023)] = i;
    };
    std::thread a(writer, 0), b(writer, 1 << 20);
    std::this_thread::sleep_for(std::chrono::seconds(20));  // detection comes long before
    stop = true;
    a.join();
    b.join();
  });
  const std::string first_line = err.substr(0, err.find('\n'));
  std::cout << "   child's stderr, first line: " << first_line << "\n";
  if (WIFSIGNALED(status))
    std::cout << "   child ended by signal " << WTERMSIG(status)
              << (WTERMSIG(status) == SIGABRT ? " (SIGABRT)" : "") << "\n";
  else
    std::cout << "   child exited with status " << WEXITSTATUS(status) << "\n";
  const bool caught = first_line == "fatal error: concurrent map writes" && WIFSIGNALED(status);
  std::cout << (caught ? "\ntour done: the race was detected.\n" : "\ntour: race NOT detected\n");
  return caught ? 0 : 1;
}
