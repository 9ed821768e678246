// The thread registry behind thread_token(): which OS thread a token names,
// and whether that thread is still alive.  Tokens are handed out once and
// never reused, so a token read from a map_state can only ever name the thread
// that stored it — the report's "never a false accusation" rests on that.
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string_view>

#include "gomap/detect/guard.hpp"
#include "internal.hpp"

namespace gomap::detect {
namespace {

// Tokens beyond the table still name their thread uniquely; they only lose
// the tid and the name in reports.
constexpr std::uint32_t registry_size = 4096;

struct registry_slot {
  std::atomic<pid_t> tid{0};
  std::atomic<bool> alive{false};
};
std::array<registry_slot, registry_size> g_registry;
std::atomic<std::uint32_t> g_next_token{1};

// Marks the slot dead when its thread exits, so a recycled tid is never
// taken for the thread that once held it.
struct exit_marker {
  std::uint32_t token = 0;
  ~exit_marker() {
    if (token != 0 && token < registry_size) {
      g_registry[token].alive.store(false, std::memory_order_release);
    }
  }
};
thread_local exit_marker t_exit_marker;

// Reads a small /proc file into buf (NUL-terminated, trailing newline cut).
std::string_view read_small_file(const char* path, char* buf, std::size_t cap) noexcept {
  const int fd = ::open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return {};
  std::size_t n = 0;
  while (n + 1 < cap) {
    const ssize_t r = ::read(fd, buf + n, cap - 1 - n);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) break;
    n += static_cast<std::size_t>(r);
  }
  ::close(fd);
  while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\0')) --n;
  buf[n] = '\0';
  return {buf, n};
}

// "/proc/self/task/<tid>/<leaf>" without snprintf.
void task_path(pid_t tid, const char* leaf, char* out, std::size_t cap) noexcept {
  char digits[16];
  int nd = 0;
  auto v = static_cast<std::uint32_t>(tid);
  do {
    digits[nd++] = static_cast<char>('0' + v % 10);
    v /= 10;
  } while (v != 0 && nd < 15);
  std::size_t n = 0;
  auto put = [&](char c) {
    if (n + 1 < cap) out[n++] = c;
  };
  for (const char* p = "/proc/self/task/"; *p; ++p) put(*p);
  while (nd > 0) put(digits[--nd]);
  put('/');
  for (const char* p = leaf; *p; ++p) put(*p);
  out[n] = '\0';
}

}  // namespace

namespace detail {
std::uint32_t register_thread() noexcept {
  const std::uint32_t t = g_next_token.fetch_add(1, std::memory_order_relaxed);
  if (t < registry_size) {
    g_registry[t].tid.store(detail::current_tid(), std::memory_order_relaxed);
    g_registry[t].alive.store(true, std::memory_order_release);
    t_exit_marker.token = t;
  }
  t_thread_token = t;
  return t;
}
}  // namespace detail

namespace detail {

pid_t current_tid() noexcept {
  return ::gettid();
}

thread_info lookup_thread(std::uint32_t token) noexcept {
  thread_info info;
  if (token == 0 || token >= registry_size) return info;
  const registry_slot& s = g_registry[token];
  info.alive = s.alive.load(std::memory_order_acquire);
  info.tid = s.tid.load(std::memory_order_relaxed);
  info.known = info.tid != 0;
  return info;
}

std::uint32_t token_of_tid(pid_t tid) noexcept {
  const std::uint32_t end = std::min(g_next_token.load(std::memory_order_relaxed), registry_size);
  for (std::uint32_t t = 1; t < end; ++t) {
    if (g_registry[t].alive.load(std::memory_order_acquire) &&
        g_registry[t].tid.load(std::memory_order_relaxed) == tid) {
      return t;
    }
  }
  return 0;
}

std::string_view thread_name(pid_t tid, char* buf) noexcept {
  char path[64];
  task_path(tid, "comm", path, sizeof path);
  const std::string_view name = read_small_file(path, buf, 16);
  // Threads inherit the process's name; only a name that differs was set
  // (pthread_setname_np, prctl).  The kernel keeps 15 bytes of it.
  const std::string_view program{program_invocation_short_name};
  if (name.empty() || name == program.substr(0, 15)) return {};
  return name;
}

void print_other_threads() noexcept {
  DIR* d = ::opendir("/proc/self/task");
  if (d == nullptr) return;
  const pid_t self = current_tid();
  bool header = false;
  while (const dirent* e = ::readdir(d)) {
    if (e->d_name[0] < '0' || e->d_name[0] > '9') continue;
    const auto tid = static_cast<pid_t>(std::strtol(e->d_name, nullptr, 10));
    if (tid == self) continue;
    if (!header) {
      write_err("\nother threads:\n");
      header = true;
    }
    char name_buf[16];
    const std::string_view name = thread_name(tid, name_buf);
    char path[64];
    char stat_buf[512];
    task_path(tid, "stat", path, sizeof path);
    const std::string_view stat = read_small_file(path, stat_buf, sizeof stat_buf);
    // The state letter follows the last ") " (the name may contain parens).
    char state = '?';
    if (const auto p = stat.rfind(") "); p != std::string_view::npos && p + 2 < stat.size()) {
      state = stat[p + 2];
    }
    char wchan_buf[64];
    task_path(tid, "wchan", path, sizeof path);
    const std::string_view wchan = read_small_file(path, wchan_buf, sizeof wchan_buf);

    write_thread_heading(token_of_tid(tid), name, tid);
    write_err("): state ");
    write_err(std::string_view(&state, 1));
    if (!wchan.empty() && wchan != "0") {
      write_err(", waiting in ");
      write_err(wchan);
    }
    write_err(":\n");
    if (!print_thread_stack(tid)) write_err("  (stack not available: the thread did not answer)\n");
  }
  ::closedir(d);
}

void write_thread_heading(std::uint32_t token, std::string_view name, pid_t tid) noexcept {
  write_err("\nthread ");
  if (token != 0) {
    write_err("T");
    write_err_u64(token);
    write_err(" ");
  }
  write_err("(");
  if (!name.empty()) {
    write_err("\"");
    write_err(name);
    write_err("\", ");
  }
  if (tid == ::getpid()) write_err("main thread, ");
  write_err("tid ");
  write_err_u64(static_cast<std::uint64_t>(tid));
}

}  // namespace detail
}  // namespace gomap::detect
