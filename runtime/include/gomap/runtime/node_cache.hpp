// node_cache: per-thread free lists, one per size, for small nodes reclaimed
// through rcu.hpp: HashTrieMap's entries.  (SyncMap's entries and value boxes
// do not use it: docs/hash_trie_map.md has the A/B that kept them on new.)
//
// Go allocates such a node from its P's mcache, and its garbage collector
// sweeps the dead ones back.  Here a node replaced by a swap is retired and
// freed a grace period later, in a batch of 64 and more, by whichever thread
// collects.  glibc keeps only 7 freed chunks per size per thread (tcache),
// so most of a batch went back to the arenas, often to the one of the thread
// that allocated it, under its lock, and the next allocations took them out
// again.  A collector's frees now land in its own list, which its next
// allocations pop.
//
// Invariants:
//  * A node of n bytes (n <= max_bytes) uses the list of the smallest size
//    24 + 16k that holds it, and its block is that size: malloc's own
//    granularity (a glibc chunk of 16(k + 2) bytes has 24 + 16k usable), so
//    memory per node is what malloc would give.  (block_cache's 64-byte
//    classes would spend 64 bytes on a 24-byte value box; rounding to 16
//    would spend a 48-byte chunk on it instead of a 32-byte one.)
//  * A thread holds at most `per_size` blocks per size (160 KiB at most in
//    all, and only for the sizes it frees); a block freed when the list is full
//    goes back to the heap.  Blocks are plain heap memory: a block allocated
//    by one thread may be freed into another's list.
//  * A thread's lists are emptied when it exits; a thread already exiting
//    uses the heap directly.
//  * Off where block_cache is off (sanitizers, fuzzing builds).
#pragma once

#include <cstddef>
#include <new>

#include "gomap/runtime/block_cache.hpp"

namespace gomap::runtime::node_cache {

inline constexpr std::size_t smallest = 24;  // then every 16 bytes, as glibc's chunks
inline constexpr std::size_t grain = 16;
inline constexpr std::size_t max_bytes = smallest + 7 * grain;  // 136
// A collection frees up to one batch (of 64 retires and more) more than it
// gathered: two or three batches at two threads, all into the collector's lists.
// 256 rather than 64: a 5-round A/B of HashTrieMap's write rows gave 0.64-0.84x
// the time at 1 and 2 threads, loads flat, bytes per entry unchanged.
inline constexpr unsigned per_size = 256;

namespace detail {

template <std::size_t Bytes>
struct list {
  struct state {
    void* blocks[per_size];
    unsigned count;
    unsigned char phase;  // 0: no exit hook yet, 1: armed, 2: thread exiting
  };
  // constinit and trivially destructible: a plain TLS access on the hot path.
  static inline constinit thread_local state t{};

  struct exit_hook {
    ~exit_hook() {
      t.phase = 2;
      while (t.count != 0) ::operator delete(t.blocks[--t.count]);
    }
  };
  static bool may_cache() noexcept {
    if (t.phase == 1) [[likely]]
      return true;
    if (t.phase == 2) return false;
    static thread_local exit_hook hook;
    (void)hook;
    t.phase = 1;
    return true;
  }
  static void* allocate() {
    if (t.count != 0) return t.blocks[--t.count];
    return ::operator new(Bytes);
  }
  static void deallocate(void* p) noexcept {
    if (t.count < per_size && may_cache()) {
      t.blocks[t.count++] = p;
      return;
    }
    ::operator delete(p);
  }
};

// Calls f(list<size>{}) for the list that serves n bytes (1 <= n <= max_bytes).
template <class F>
decltype(auto) with_list(std::size_t n, F f) {
  switch (n <= smallest ? 0 : (n - smallest + grain - 1) / grain) {
    case 0:
      return f(list<smallest>{});
    case 1:
      return f(list<smallest + grain>{});
    case 2:
      return f(list<smallest + 2 * grain>{});
    case 3:
      return f(list<smallest + 3 * grain>{});
    case 4:
      return f(list<smallest + 4 * grain>{});
    case 5:
      return f(list<smallest + 5 * grain>{});
    case 6:
      return f(list<smallest + 6 * grain>{});
    default:
      return f(list<max_bytes>{});
  }
}

constexpr bool cacheable(std::size_t n) noexcept {
  return block_cache::enabled && n != 0 && n <= max_bytes;
}

}  // namespace detail

// operator new(n), from the calling thread's list for n's size when it can be.
inline void* allocate(std::size_t n) {
  if (!detail::cacheable(n)) return ::operator new(n);
  return detail::with_list(n, [](auto l) { return decltype(l)::allocate(); });
}

// Frees a block from allocate(n), with the same n.
inline void deallocate(void* p, std::size_t n) noexcept {
  if (!detail::cacheable(n)) {
    ::operator delete(p);
    return;
  }
  detail::with_list(n, [p](auto l) { decltype(l)::deallocate(p); });
}

// Blocks the calling thread holds for nodes of n bytes (for tests).
inline std::size_t cached_blocks(std::size_t n) noexcept {
  if (!detail::cacheable(n)) return 0;
  return detail::with_list(n, [](auto l) -> std::size_t { return decltype(l)::t.count; });
}

// Objects from the node lists.
struct cached : block_cache::allocated_by<allocate, deallocate> {};

}  // namespace gomap::runtime::node_cache
