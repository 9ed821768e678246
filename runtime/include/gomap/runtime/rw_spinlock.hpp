// gomap::runtime::rw_spinlock — a one-word reader-writer lock for short
// critical sections (one ShardedMap shard: a single map operation).
//
// std::shared_mutex (pthread_rwlock_t, 56 bytes) pays for generality on
// every operation: an out-of-line call, reader/writer phase and futex-waiter
// bookkeeping.  A shard is held for the length of one map operation, so
// spinning beats sleeping; this lock is a single 32-bit atomic:
//
//    bit 31        bit 30          bits 0..29
//   +--------+----------------+--------------+
//   | writer | writer pending |   readers    |
//   +--------+----------------+--------------+
//
//  * lock_shared: CAS readers+1 while neither writer bit is set.
//  * unlock_shared: fetch_sub 1 (release).
//  * lock: CAS 0/pending -> writer when no reader or writer holds it; while
//    waiting it sets `pending`, which turns new readers away so a stream of
//    readers cannot starve a writer (writer preference, like Go's RWMutex).
//    Unlike Go's RWMutex it does not hand the lock back to the readers a
//    writer made wait: an unbroken stream of writers can hold readers off.
//    Fine for shards, where writers come and go within one map operation.
//  * unlock: fetch_sub writer (release), keeping a pending bit another
//    waiting writer set.
//
// Waiting spins with a pause, then yields the CPU, so a preempted holder on
// an oversubscribed machine gets to run.  It never sleeps in the kernel: a
// lock held across a long user callback (ShardedMap::compute, range) costs
// waiters CPU time — the price of the cheap uncontended path.
//
// Everything is std::atomic with acquire/release orders (no fences), so
// ThreadSanitizer sees the happens-before edges a lock provides.  Not
// recursive: re-locking from the holding thread deadlocks (ShardedMap
// detects that case before it happens).  Meets the standard Lockable and
// SharedLockable requirements, so std::unique_lock / std::shared_lock work.
#pragma once

#include <atomic>
#include <cstdint>
#include <thread>

#include "gomap/runtime/platform.hpp"
#include "gomap/runtime/sched_point.hpp"

namespace gomap::runtime {

// One spin-wait step: a pause hint for a while, then a yield.
class spin_backoff {
 public:
  void wait() noexcept {
    if (n_ < spins_before_yield) {
      ++n_;
      cpu_relax();
    } else {
      std::this_thread::yield();
    }
  }

  // Pause steps before the first yield: ~1-4 µs on current x86, longer than
  // one uncontended map operation, far shorter than a scheduler slice.
  static constexpr unsigned spins_before_yield = 128;

 private:
  unsigned n_ = 0;
};

class rw_spinlock {
 public:
  static constexpr std::uint32_t writer = std::uint32_t{1} << 31;
  static constexpr std::uint32_t pending = std::uint32_t{1} << 30;
  static constexpr std::uint32_t reader = 1;
  static constexpr std::uint32_t readers_mask = pending - 1;

  rw_spinlock() noexcept = default;
  rw_spinlock(const rw_spinlock&) = delete;
  rw_spinlock& operator=(const rw_spinlock&) = delete;

  // ---- shared (read) side
  bool try_lock_shared() noexcept {
    GOMAP_YIELD("rw_spinlock.lock_shared");
    std::uint32_t s = state_.load(std::memory_order_relaxed);
    return (s & (writer | pending)) == 0 &&
           state_.compare_exchange_strong(s, s + reader, std::memory_order_acquire,
                                          std::memory_order_relaxed);
  }
  void lock_shared() noexcept {
    if (try_lock_shared()) [[likely]]
      return;
    spin_backoff b;
    for (;;) {
      GOMAP_YIELD("rw_spinlock.lock_shared.retry");
      std::uint32_t s = state_.load(std::memory_order_relaxed);
      if ((s & (writer | pending)) == 0) {
        GOMAP_YIELD("rw_spinlock.lock_shared.cas");  // another thread may move first
        if (state_.compare_exchange_weak(s, s + reader, std::memory_order_acquire,
                                         std::memory_order_relaxed))
          return;
        continue;  // lost a race with another reader: retry at once
      }
      if (!GOMAP_SPIN("rw_spinlock.lock_shared.wait")) b.wait();
    }
  }
  void unlock_shared() noexcept {
    GOMAP_YIELD("rw_spinlock.unlock_shared");
    state_.fetch_sub(reader, std::memory_order_release);
  }

  // ---- exclusive (write) side
  bool try_lock() noexcept {
    GOMAP_YIELD("rw_spinlock.lock");
    std::uint32_t s = state_.load(std::memory_order_relaxed);
    // Free apart from (perhaps) another waiter's pending bit, which this
    // writer consumes; that waiter sets it again on its next look.
    return (s & ~pending) == 0 &&
           state_.compare_exchange_strong(s, writer, std::memory_order_acquire,
                                          std::memory_order_relaxed);
  }
  void lock() noexcept {
    if (try_lock()) [[likely]]
      return;
    spin_backoff b;
    for (;;) {
      GOMAP_YIELD("rw_spinlock.lock.retry");
      std::uint32_t s = state_.load(std::memory_order_relaxed);
      if ((s & ~pending) == 0) {
        GOMAP_YIELD("rw_spinlock.lock.cas");  // another thread may move first
        if (state_.compare_exchange_weak(s, writer, std::memory_order_acquire,
                                         std::memory_order_relaxed))
          return;
        continue;
      }
      if ((s & pending) == 0) {
        GOMAP_YIELD("rw_spinlock.lock.pending");
        state_.fetch_or(pending, std::memory_order_relaxed);
      }
      if (!GOMAP_SPIN("rw_spinlock.lock.wait")) b.wait();
    }
  }
  void unlock() noexcept {
    GOMAP_YIELD("rw_spinlock.unlock");
    state_.fetch_sub(writer, std::memory_order_release);
  }

  // For tests and assertions only: a racy snapshot.
  std::uint32_t state_for_testing() const noexcept {
    return state_.load(std::memory_order_relaxed);
  }

 private:
  std::atomic<std::uint32_t> state_{0};
};

static_assert(sizeof(rw_spinlock) == 4, "rw_spinlock is one word");
static_assert(std::atomic<std::uint32_t>::is_always_lock_free);

}  // namespace gomap::runtime
