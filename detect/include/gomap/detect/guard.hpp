// The hashWriting protocol of Go's runtime/map.go (the `writing` byte of Go
// 1.24's internal/runtime/maps), as every map engine calls it.
//
// The detector owns exactly one thing per map: `map_state` — the writing
// flag, the writer's thread token and (strict mode) a count of reads in
// progress.  An engine embeds one map_state and calls the checks and scopes
// below where Go checks; its own state (iterator and growth flags) stays in
// the engine.  The flag is read with relaxed loads: Go's plain byte, made
// well-defined in C++.  A correct single-threaded or externally locked
// program pays no read-modify-write on the write path.
//
// What Go leaves implicit, written down:
//  * A write first checks the flag (another writer active -> fatal), then
//    hashes the key, and only then sets hashWriting (mapassign in map.go):
//    hashing may fail (panic in Go, throw here), and must not leave the flag
//    set behind it.
//  * The flag is *toggled* (xor), not set: a second writer that slipped past
//    the first check clears it again, so the first writer's final check
//    (the end of mapassign) fires.
//  * Reads check once at their start; iteration checks at every step.
//  * User misuse is `fatal` (cannot be caught); internal corruption throws.
//
// Beyond Go — naming the other party.  Next to the flag the writer leaves a
// small token of its thread (`writer`), stored *before* the flag with release
// order.  A thread that sees the flag set runs an acquire fence on its fatal
// path, so the token it then reads was stored by the thread that set the flag
// or by a later writer: the report never names a thread that was not writing.
// Release stores compile to the same plain `mov` as relaxed ones on x86-64.
//
// Strict mode (GOMAP_DETECT_STRICT=1) also counts reads and iteration steps in
// progress, so a write that starts during another thread's read is caught.
#pragma once

#include <atomic>
#include <cstdint>

#include "gomap/detect.hpp"
#include "gomap/detect/config.hpp"
#include "gomap/detect/sanitizers.hpp"

namespace gomap::detect {

// Go's hashWriting: a goroutine (thread) is writing to the map.
inline constexpr std::uint8_t flag_hash_writing = 1;

// Strict mode's count of operations in progress: reads in the low half,
// iteration steps in the high half.
inline constexpr std::uint32_t active_read = 1;
inline constexpr std::uint32_t active_iterate = std::uint32_t{1} << 16;
inline constexpr std::uint32_t active_read_mask = active_iterate - 1;

// The per-map detector state, embedded in every engine's map header.  The
// same layout in every mode, so a strict and a default translation unit
// never disagree about the size of a map.
struct map_state {
  // Go's hashWriting bit: 1 while a thread (goroutine) is writing the map.
  std::atomic<std::uint8_t> flags{0};
  // Thread token (thread_token()) of the last thread to set hashWriting; 0
  // before the first write.  Read only on the fatal path.
  std::atomic<std::uint32_t> writer{0};
  // Strict mode only: active_read / active_iterate counts.  Mutable: reads
  // take a const map_state and still count themselves.
  mutable std::atomic<std::uint32_t> active{0};

  std::uint8_t load() const noexcept { return flags.load(std::memory_order_relaxed); }
  // Release: publishes `writer` to a thread that sees the new flags (see top).
  void store(std::uint8_t v) noexcept { flags.store(v, std::memory_order_release); }
  bool writing() const noexcept { return (load() & flag_hash_writing) != 0; }
};

// What the detector caught; chooses the message (docs/api.md, "Detection")
// and the details.
enum class misuse : std::uint8_t {
  writes,                 // concurrent map writes
  read_write,             // concurrent map read and map write
  iteration_write,        // concurrent map iteration and map write
  write_during_read,      // strict: a write found a read in progress
  write_during_iteration  // strict: a write found an iteration step in progress
};

// The fatal path: prints the report (or calls the handler) and aborts.
[[noreturn]] void report_misuse(misuse what, const map_state& s, const void* map) noexcept;

namespace detail {
// 0 until the thread's first write; then its token (1, 2, ...), never reused.
inline thread_local std::uint32_t t_thread_token = 0;
std::uint32_t register_thread() noexcept;
}  // namespace detail

// A small number naming the calling thread in reports ("T2"), unique for the
// life of the process.
inline std::uint32_t thread_token() noexcept {
  const std::uint32_t t = detail::t_thread_token;
  return t != 0 ? t : detail::register_thread();
}

// Start of a read (mapaccess*): another thread writing is fatal.  Name is the
// map type ThreadSanitizer's reports name (every check and scope takes it).
template <const char* Name = map_type_name>
inline void check_read(const map_state& s, const void* map) noexcept {
  if constexpr (enabled) {
    tsan_map_read<Name>(map);
    if (s.writing()) [[unlikely]]
      report_misuse(misuse::read_write, s, map);
  }
}

// Every iteration step (mapiternext).
template <const char* Name = map_type_name>
inline void check_iterate(const map_state& s, const void* map) noexcept {
  if constexpr (enabled) {
    tsan_map_read<Name>(map);
    if (s.writing()) [[unlikely]]
      report_misuse(misuse::iteration_write, s, map);
  }
}

// Start of a write, before hashing (mapassign, mapdelete, mapclear).
template <const char* Name = map_type_name>
inline void check_write(const map_state& s, const void* map) noexcept {
  if constexpr (enabled) {
    tsan_map_write<Name>(map);
    if (s.writing()) [[unlikely]]
      report_misuse(misuse::writes, s, map);
  }
}

namespace detail {
// Strict mode: a write must find no read or iteration step in progress.
inline void check_no_active(const map_state& s, const void* map) noexcept {
  if constexpr (strict) {
    const std::uint32_t a = s.active.load(std::memory_order_relaxed);
    if (a != 0) [[unlikely]] {
      report_misuse(
          (a & active_read_mask) != 0 ? misuse::write_during_read : misuse::write_during_iteration,
          s, map);
    }
  }
}

// Strict mode: enter/leave a read or an iteration step.  Enter counts before
// it checks the flag, and a write sets the flag before it checks the count
// (Dekker's order), so most overlaps are seen from one side or the other.
inline void enter_active(const map_state& s, std::uint32_t unit) noexcept {
  if constexpr (strict) s.active.fetch_add(unit, std::memory_order_seq_cst);
}
inline void leave_active(const map_state& s, std::uint32_t unit, misuse what,
                         const void* map) noexcept {
  if constexpr (strict) {
    s.active.fetch_sub(unit, std::memory_order_relaxed);
    // A write that started during this operation.
    if (s.writing()) [[unlikely]]
      report_misuse(what, s, map);
  }
}
}  // namespace detail

// A read (mapaccess*) from start to end.  Go checks only at the start; strict
// mode also counts the read as active and checks again at the end.
template <const char* Name = map_type_name>
class read_scope {
 public:
  [[gnu::always_inline]] read_scope(const map_state& s, const void* map) noexcept
      : s_(s), map_(map) {
    detail::enter_active(s_, active_read);
    check_read<Name>(s_, map_);
  }
  [[gnu::always_inline]] ~read_scope() {
    detail::leave_active(s_, active_read, misuse::read_write, map_);
  }
  read_scope(const read_scope&) = delete;
  read_scope& operator=(const read_scope&) = delete;

 private:
  [[maybe_unused]] const map_state& s_;
  [[maybe_unused]] const void* map_;
};

// One iteration step (mapiternext).  Only the step: the loop body between
// steps may write the map (Go allows it), so it is not counted as active.
template <const char* Name = map_type_name>
class iterate_scope {
 public:
  iterate_scope(const map_state& s, const void* map) noexcept : s_(s), map_(map) {
    detail::enter_active(s_, active_iterate);
    check_iterate<Name>(s_, map_);
  }
  ~iterate_scope() { detail::leave_active(s_, active_iterate, misuse::iteration_write, map_); }
  iterate_scope(const iterate_scope&) = delete;
  iterate_scope& operator=(const iterate_scope&) = delete;

 private:
  [[maybe_unused]] const map_state& s_;
  [[maybe_unused]] const void* map_;
};

// Holds hashWriting for the body of a write; made after hashing.  Released on
// every path, exceptions included, so a throwing Hash/Eq/constructor never
// leaves a false "concurrent map writes" behind.  (The TSan write was
// reported by check_write at the start of the operation.)
class write_scope {
 public:
  // Always inlined: as an out-of-line call it makes GCC spill registers of
  // the probe loop around it (measured: +10 ns per write).
  [[gnu::always_inline]] write_scope(map_state& s, const void* map) noexcept : s_(s), map_(map) {
    if constexpr (enabled) {
      // Token first, then the flag with release: see "naming the other party".
      s_.writer.store(thread_token(), std::memory_order_relaxed);
      s_.store(s_.load() ^ flag_hash_writing);  // h.flags ^= hashWriting
      detail::check_no_active(s_, map_);
    }
  }
  [[gnu::always_inline]] ~write_scope() {
    if constexpr (enabled) {
      detail::check_no_active(s_, map_);
      const std::uint8_t f = s_.load();
      if ((f & flag_hash_writing) == 0) [[unlikely]]
        report_misuse(misuse::writes, s_, map_);
      s_.store(f & static_cast<std::uint8_t>(~flag_hash_writing));  // h.flags &^= hashWriting
    }
  }
  write_scope(const write_scope&) = delete;
  write_scope& operator=(const write_scope&) = delete;

 private:
  [[maybe_unused]] map_state& s_;
  [[maybe_unused]] const void* map_;
};

}  // namespace gomap::detect
