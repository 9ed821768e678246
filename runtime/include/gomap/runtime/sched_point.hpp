// <gomap/runtime/sched_point.hpp> — named yield points for the interleaving scheduler
// (docs/interleave.md).
//
// The concurrent components (rcu.hpp, sync_map.hpp, hash_trie_map.hpp, rw_spinlock.hpp)
// mark every atomic operation that matters to their algorithm with a named point:
//
//   GOMAP_YIELD("rcu.pin.announce")       a step another thread may be scheduled before
//   if (GOMAP_SPIN("htm.lock.wait")) ...  a spin-wait step: the caller cannot go on until
//                                         another thread moves (true: control was handed
//                                         over, so skip the CPU-level backoff)
//   runtime::sched_mutex                  a std::mutex whose lock() spins through
//                                         GOMAP_SPIN in an interleave build
//   GOMAP_RCU_NOTE(event, p)              a reclamation event for the reclaimer's checker
//
// In a normal build (GOMAP_INTERLEAVE unset or 0) GOMAP_YIELD and GOMAP_RCU_NOTE are
// `((void)0)`, GOMAP_SPIN is `false` and sched_mutex is std::mutex itself: the code the
// compiler sees is the code without the points (tests/rcu/sched_point_test.cpp checks the
// expansions; docs/interleave.md has the object-code A/B).
//
// With -DGOMAP_INTERLEAVE=1 (set only by the interleave tests and fuzz harnesses, for every
// translation unit of their binary: the flag changes inline functions, so mixing would
// break the one-definition rule) each point calls the scheduler installed for the calling
// thread, if any. The scheduler (fuzz/interleave.hpp) runs logical threads one at a time
// and decides at each point which one runs next; threads it does not manage (a test's
// main thread) pass through the points untouched.
#pragma once

#include <mutex>

#include "gomap/runtime/platform.hpp"

#if GOMAP_INTERLEAVE

namespace gomap::runtime::sched {

// Implemented by the scheduler; installed per managed thread.
class hooks {
 public:
  // A yield point. spin: the thread is waiting for another thread (a lock holder, a reader
  // blocking an epoch advance), so running it again before someone else moves is useless.
  virtual void at_point(const char* name, bool spin) noexcept = 0;

 protected:
  ~hooks() = default;
};

inline constinit thread_local hooks* tls_hooks = nullptr;

inline void yield(const char* name) noexcept {
  if (hooks* h = tls_hooks) h->at_point(name, false);
}
inline bool spin(const char* name) noexcept {
  hooks* h = tls_hooks;
  if (h == nullptr) return false;
  h->at_point(name, true);
  return true;
}

// Reclamation events, for a checker that keeps its own books on every retired object
// (global, not per thread: an unmanaged thread may collect too).
enum class rcu_event { pin, unpin, retire, free };
class rcu_observer {
 public:
  // record: the calling thread's rcu record (pin/unpin); object: the retired head.
  virtual void note(rcu_event e, const void* p) noexcept = 0;

 protected:
  ~rcu_observer() = default;
};
inline constinit rcu_observer* rcu_observer_ptr = nullptr;  // set while no thread runs
inline void rcu_note(rcu_event e, const void* p) noexcept {
  if (rcu_observer* o = rcu_observer_ptr) o->note(e, p);
}

}  // namespace gomap::runtime::sched

#define GOMAP_YIELD(name) ::gomap::runtime::sched::yield(name)
#define GOMAP_SPIN(name) ::gomap::runtime::sched::spin(name)
#define GOMAP_RCU_NOTE(event, p) \
  ::gomap::runtime::sched::rcu_note(::gomap::runtime::sched::rcu_event::event, p)

namespace gomap::runtime {
// A mutex that, on a managed thread, never blocks in the kernel: a blocked thread would
// hold the scheduler's baton forever. lock() is a yield point, then try_lock until free,
// handing control over (GOMAP_SPIN) between attempts so the holder can run.
class sched_mutex {
 public:
  void lock() noexcept {
    if (sched::tls_hooks == nullptr) {
      m_.lock();
      return;
    }
    GOMAP_YIELD("mutex.lock");
    while (!m_.try_lock()) GOMAP_SPIN("mutex.lock.wait");
  }
  bool try_lock() noexcept { return m_.try_lock(); }
  void unlock() noexcept {
    m_.unlock();
    GOMAP_YIELD("mutex.unlock");
  }

 private:
  std::mutex m_;
};
}  // namespace gomap::runtime

#else  // !GOMAP_INTERLEAVE: nothing at all

#define GOMAP_YIELD(name) ((void)0)
#define GOMAP_SPIN(name) (false)
#define GOMAP_RCU_NOTE(event, p) ((void)0)

namespace gomap::runtime {
using sched_mutex = std::mutex;
}  // namespace gomap::runtime

#endif
