// Fatal reporting: Go's runtime.fatal for gomap (docs/api.md).
//
// The report, all on stderr, written with write(2):
//   fatal error: <message>                      <- always the first line
//   <message>: thread T2 ("worker-1") was writing this map   <- when known
//   (strict mode: a line saying what the write found in progress)
//
//   thread T3 ("worker-2", tid 4243) detected it on map 0x...:
//   #0  0x... symbol
//           at file:line
//   ...
//   (GOMAP_TRACEBACK=all: every other thread, with its stack)
// then std::abort().  A handler from set_fatal_handler replaces the printing.
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "gomap/detect.hpp"
#include "gomap/detect/guard.hpp"
#include "gomap/runtime/alg.hpp"
#include "internal.hpp"

namespace gomap::detect {
namespace detail {

void write_err(std::string_view s) noexcept {
  const char* p = s.data();
  std::size_t n = s.size();
  while (n > 0) {
    const ssize_t w = ::write(2, p, n);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return;
    p += w;
    n -= static_cast<std::size_t>(w);
  }
}

void write_err_u64(std::uint64_t v) noexcept {
  char buf[24];
  int i = sizeof buf;
  do {
    buf[--i] = static_cast<char>('0' + v % 10);
    v /= 10;
  } while (v != 0);
  write_err({buf + i, sizeof buf - static_cast<std::size_t>(i)});
}

void write_err_hex(std::uintptr_t v) noexcept {
  char buf[24];
  int i = sizeof buf;
  do {
    buf[--i] = "0123456789abcdef"[v & 15];
    v >>= 4;
  } while (v != 0);
  write_err({buf + i, sizeof buf - static_cast<std::size_t>(i)});
}

}  // namespace detail

namespace {
using namespace detail;

std::atomic<FatalHandler> g_handler{nullptr};
// Set by the first thread to die; others wait for the abort (as Go's fatal
// serializes on paniclk) so reports never interleave.
std::atomic<bool> g_dying{false};
thread_local bool t_in_fatal = false;

// "T2 (\"worker-1\")", "T1 (main thread)", "T2 (tid 4242)", "T2 (since exited)".
void print_thread_ref(std::uint32_t token) noexcept {
  write_err("thread T");
  write_err_u64(token);
  const thread_info info = lookup_thread(token);
  if (!info.known) return;
  if (!info.alive) {
    write_err(" (since exited)");
    return;
  }
  char buf[16];
  const std::string_view name = thread_name(info.tid, buf);
  // The thread may have exited while its name was read; then the tid may
  // already name another thread, so the name is not printed.
  if (!lookup_thread(token).alive) {
    write_err(" (since exited)");
  } else if (!name.empty()) {
    write_err(" (\"");
    write_err(name);
    write_err("\")");
  } else if (info.tid == ::getpid()) {
    write_err(" (main thread)");
  } else {
    write_err(" (tid ");
    write_err_u64(static_cast<std::uint64_t>(info.tid));
    write_err(")");
  }
}

void print_self(const void* map) noexcept {
  const pid_t tid = current_tid();
  char buf[16];
  write_thread_heading(detail::t_thread_token, thread_name(tid, buf), tid);
  write_err(")");
  if (map != nullptr) {
    write_err(" detected it on map 0x");
    write_err_hex(reinterpret_cast<std::uintptr_t>(map));
  }
  write_err(":\n");
}

void on_report_timeout(int) {
  static constexpr char msg[] = "\n(report timed out)\n";
  (void)!::write(2, msg, sizeof msg - 1);
  std::abort();
}

// `other`: token of the thread named as the other party, 0 for none;
// `detail_line`: an extra line without its newline, may be empty.
// `caller_pc`: return address into the code that called fatal/report_misuse.
[[noreturn, gnu::noinline]] void die(std::string_view message, const void* map, std::uint32_t other,
                                     std::string_view detail_line, const void* caller_pc) noexcept {
  if (t_in_fatal) {
    // A fatal error inside the handler or the report itself.
    write_err("fatal error: ");
    write_err(message);
    write_err("\nfatal error: (recursive) during the report of a previous fatal error\n");
    std::abort();
  }
  t_in_fatal = true;
  if (g_dying.exchange(true)) {
    // Another thread is reporting and will abort the process.
    for (;;) ::pause();
  }
  if (FatalHandler h = g_handler.load()) {
    h(FatalInfo{message, map});
    std::abort();
  }
  write_err("fatal error: ");
  write_err(message);
  write_err("\n");
  if (other != 0) {
    write_err(message);
    write_err(": ");
    print_thread_ref(other);
    write_err(" was writing this map\n");
  }
  if (!detail_line.empty()) {
    write_err(detail_line);
    write_err("\n");
  }
  // The seed that replays this run's map seeds and iteration orders.
  if (std::uint64_t seed = 0; runtime::seed_for_report(seed)) {
    write_err("GOMAP_SEED=0x");
    write_err_hex(seed);
    write_err(" replays this run's map seeds and iteration orders (docs/seed.md)\n");
  }
  const traceback level = traceback_level();
  if (level != traceback::none) {
    // Reading debug info is the one step that could take long (a huge or odd
    // binary); the process dies in bounded time regardless.
    ::signal(SIGALRM, on_report_timeout);
    ::alarm(level == traceback::all ? 60 : 20);
    print_self(map);
    print_current_stack(caller_pc);
    if (level == traceback::all) print_other_threads();
  }
  std::abort();
}

std::string_view message_of(misuse what) noexcept {
  switch (what) {
    case misuse::writes:
      return "concurrent map writes";
    case misuse::read_write:
    case misuse::write_during_read:
      return "concurrent map read and map write";
    case misuse::iteration_write:
    case misuse::write_during_iteration:
      return "concurrent map iteration and map write";
  }
  return "concurrent map misuse";
}

}  // namespace

FatalHandler set_fatal_handler(FatalHandler h) noexcept {
  return g_handler.exchange(h);
}

void fatal(std::string_view message, const void* map) noexcept {
  die(message, map, 0, {}, __builtin_return_address(0));
}

void report_misuse(misuse what, const map_state& s, const void* map) noexcept {
  // Pairs with the writer's release store of the flag (guard.hpp): the token
  // read below is the flag-setter's or a later writer's, never an older one.
  std::atomic_thread_fence(std::memory_order_acquire);
  std::uint32_t other = 0;
  std::string_view detail_line;
  switch (what) {
    case misuse::writes:
    case misuse::read_write:
    case misuse::iteration_write:
      other = s.writer.load(std::memory_order_relaxed);
      // Our own token: a reentrant write, or our store hid the other one's.
      if (other == detail::t_thread_token) other = 0;
      break;
    case misuse::write_during_read:
      detail_line = "(strict mode: this write started while another thread was reading this map)";
      break;
    case misuse::write_during_iteration:
      detail_line =
          "(strict mode: this write started while another thread was iterating over this map)";
      break;
  }
  die(message_of(what), map, other, detail_line, __builtin_return_address(0));
}

}  // namespace gomap::detect
