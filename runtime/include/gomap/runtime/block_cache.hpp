// block_cache: a per-thread cache of small freed blocks, Go's mcache in miniature.
//
// Go keeps a map that does not escape on the stack (hmap and, for a small
// hint, its first bucket), so making and dropping one in a loop allocates
// nothing.  A gomap::Map is a handle whose hmap lives on the heap; with this
// cache, that hmap and a small first bucket array cost a pop and a push on a
// thread-local list instead of a trip through malloc and free.
//
// Invariants:
//  * Blocks are grouped in classes of `class_bytes`; a block of class c was
//    allocated with (c + 1) * class_bytes bytes, so it fits any request that
//    maps to c.  Only requests up to `max_bytes` with default alignment are
//    cached; everything else goes straight to operator new/delete.
//  * A thread holds at most `per_class` blocks per class (34 KiB at most in
//    all); a block freed when its class is full goes back to the heap.  A
//    block may be freed by another thread than the one that allocated it:
//    it is plain heap memory, and joins the freeing thread's cache.
//  * The cache is emptied when the thread exits; a thread already exiting
//    (its cache destroyed) uses the heap directly.
//  * Under a sanitizer the cache is off, so ASan sees every allocation and
//    every use after free, and TSan every allocation's history.
#pragma once

#include <cstddef>
#include <new>

#include "gomap/runtime/platform.hpp"

namespace gomap::runtime::block_cache {

inline constexpr std::size_t class_bytes = 64;
inline constexpr std::size_t max_bytes = 1024;
inline constexpr std::size_t classes = max_bytes / class_bytes;
inline constexpr unsigned per_class = 4;
// Off under the heap-watching sanitizers (they must see every allocation) and
// in fuzzing builds (whether a block comes from the cache depends on what
// earlier inputs freed: a path that differs from run to run).
inline constexpr bool enabled = !sanitized && !fuzzing_build;

namespace detail {

struct thread_cache {
  void* blocks[classes][per_class];
  unsigned char count[classes];
};

// constinit and trivially destructible: the hot path is a plain TLS access
// with no guard.  A separate thread_local object empties it at thread exit.
inline constinit thread_local thread_cache t_cache{};
// 0: no exit hook yet, 1: hook armed (caching allowed), 2: thread exiting.
inline constinit thread_local unsigned char t_phase = 0;

inline void drain() noexcept {
  for (std::size_t c = 0; c < classes; ++c) {
    while (t_cache.count[c] != 0) ::operator delete(t_cache.blocks[c][--t_cache.count[c]]);
  }
}

struct exit_hook {
  ~exit_hook() {
    t_phase = 2;
    drain();
  }
};

// Arms the exit hook on a thread's first cached free; false once it has run.
inline bool may_cache() noexcept {
  if (t_phase == 1) [[likely]]
    return true;
  if (t_phase == 2) return false;
  static thread_local exit_hook hook;
  (void)hook;
  t_phase = 1;
  return true;
}

constexpr bool cacheable(std::size_t bytes) noexcept {
  return enabled && bytes != 0 && bytes <= max_bytes;
}
constexpr std::size_t class_of(std::size_t bytes) noexcept {
  return (bytes - 1) / class_bytes;
}

}  // namespace detail

// operator new(bytes), served from the calling thread's cache when it can be.
inline void* allocate(std::size_t bytes) {
  if (!detail::cacheable(bytes)) return ::operator new(bytes);
  const std::size_t c = detail::class_of(bytes);
  detail::thread_cache& tc = detail::t_cache;
  if (tc.count[c] != 0) return tc.blocks[c][--tc.count[c]];
  return ::operator new((c + 1) * class_bytes);
}

// Frees a block from allocate(bytes), with the same `bytes`.
inline void deallocate(void* p, std::size_t bytes) noexcept {
  if (!detail::cacheable(bytes)) {
    ::operator delete(p);
    return;
  }
  const std::size_t c = detail::class_of(bytes);
  detail::thread_cache& tc = detail::t_cache;
  if (tc.count[c] < per_class && detail::may_cache()) {
    tc.blocks[c][tc.count[c]++] = p;
    return;
  }
  ::operator delete(p);
}

// Returns the calling thread's cached blocks to the heap (for tests and for
// programs that want the memory back before the thread exits).
inline void trim() noexcept {
  detail::drain();
}

// Blocks the calling thread holds (for tests).
inline std::size_t cached_blocks() noexcept {
  std::size_t n = 0;
  for (std::size_t c = 0; c < classes; ++c) n += detail::t_cache.count[c];
  return n;
}

// A base class whose objects come from Allocate and go back to Deallocate:
// `new T` / `delete p` on a T deriving from it call them with sizeof(T)
// (over-aligned types go straight to the heap).
template <void* (*Allocate)(std::size_t), void (*Deallocate)(void*, std::size_t) noexcept>
struct allocated_by {
  static void* operator new(std::size_t n) { return Allocate(n); }
  static void operator delete(void* p, std::size_t n) noexcept { Deallocate(p, n); }
  static void* operator new(std::size_t n, std::align_val_t a) { return ::operator new(n, a); }
  static void operator delete(void* p, std::size_t, std::align_val_t a) noexcept {
    ::operator delete(p, a);
  }
};

// Objects from the block cache.
struct cached : allocated_by<allocate, deallocate> {};

}  // namespace gomap::runtime::block_cache
