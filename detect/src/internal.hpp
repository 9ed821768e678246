// Pieces of the fatal report shared by detect/src/*.cpp (not installed).
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace gomap::detect::detail {

// Unbuffered, allocation-free output to fd 2 (stdio may be locked or broken
// by the time a fatal error is printed).
void write_err(std::string_view s) noexcept;
void write_err_u64(std::uint64_t v) noexcept;
void write_err_hex(std::uintptr_t v) noexcept;
// "\nthread T<token> (\"<name>\", main thread, tid <tid>" — the heading of one thread in
// a report; the caller closes the parenthesis.  token 0 and an empty name are omitted.
void write_thread_heading(std::uint32_t token, std::string_view name, pid_t tid) noexcept;

// The thread registry behind thread_token().
struct thread_info {
  bool known = false;  // the token was ever handed out and is in the table
  bool alive = false;  // the thread has not exited
  pid_t tid = 0;
};
thread_info lookup_thread(std::uint32_t token) noexcept;
// The thread's name if it differs from the process's (i.e. it was set), else
// an empty string.  `buf` must hold 16 bytes.
std::string_view thread_name(pid_t tid, char* buf) noexcept;
// Token of an OS thread id, 0 if it never wrote a map.
std::uint32_t token_of_tid(pid_t tid) noexcept;
pid_t current_tid() noexcept;

// Stack traces.
enum class traceback { none, single, all };
traceback traceback_level() noexcept;  // GOMAP_TRACEBACK
// Prints the calling thread's stack, symbolized where possible, from the
// frame whose return address is `from_pc` (the caller of the fatal path).
void print_current_stack(const void* from_pc) noexcept;
// GOMAP_TRACEBACK=all: another thread's stack, which that thread records in
// a signal handler; false (nothing printed) if it does not answer in time.
bool print_thread_stack(pid_t tid) noexcept;
// GOMAP_TRACEBACK=all: every other thread of the process with its stack.
void print_other_threads() noexcept;

}  // namespace gomap::detect::detail
