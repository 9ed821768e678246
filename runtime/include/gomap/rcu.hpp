// gomap/rcu.hpp — epoch-based reclamation with the shape of C++26 <rcu> (P2545).
//
// Go's sync.Map leans on the garbage collector: an old read map, a replaced value or a
// dropped entry simply becomes garbage once no goroutine can reach it. In C++ the same
// question — "may any reader still hold this pointer?" — is answered by a grace period:
//
//   reader:  { rcu_reader guard;  p = shared.load();  use *p; }
//   writer:  old = shared.exchange(new);  rcu_retire(old);   // freed after a grace period
//
// Design (classic epoch-based reclamation, Fraser 2004 / crossbeam-epoch):
//
//  * One global epoch counter E (starts at 1; only ever changed by read-modify-writes).
//  * Each thread owns one cache-line-aligned record. A reader announces "active at E" by
//    storing E into its own record and re-reading E until the two agree; leaving the
//    outermost section stores 0. Readers therefore write only their own cache line and
//    never wait: the whole read side is two stores and two loads (and one fence, below).
//  * retire(p) pushes p onto the calling thread's lock-free inbox (its own cache line).
//    A collector (any thread, every kCollectEvery retires, under a try_lock so writers do
//    not queue up) drains all inboxes, each into one batch, tags the batches it took with
//    the current epoch T using a read-modify-write on E, and tries to advance E: E moves
//    from e to e+1 only when every record is quiescent (0) or announced e. A batch tagged T
//    is freed once E >= T + 2: every reader that could have loaded one of its objects
//    announced an epoch <= T and has left. The tag lives in the batch, not in each object:
//    the objects were written by other threads, and a collector that walked every one of
//    them to tag it (and again to find the list's end) paid two cache misses per object.
//  * Retired memory is thus freed within two epoch advances once readers move on. Epochs
//    advance when someone collects: a thread every kCollectEvery retires, a thread at
//    exit, rcu_synchronize() and rcu_barrier(). (A program that stops retiring keeps what
//    was pending until one of those happens; there is no background thread.)
//
// The read side's one fence, made asymmetric. A reader's announcement is a store followed
// by a load (of E, then of the shared pointers); a plain x86 store may still sit in the
// store buffer when those loads run, so a symmetric design pays a full fence (an xchg) on
// every outermost lock, which is most of the cost of a short lock-free load. Where the
// kernel offers it (runtime::asymmetric_fence_*, membarrier(2) on Linux), the reader
// instead stores its announcement plainly behind a compiler barrier, and the one scan that
// needs the order pays for it: try_advance issues the heavy fence between reading E and
// reading the records, which makes every running thread of the process execute a full
// barrier at some point P during the call. A reader's announcement before its P is then
// seen by the scan; an announcement the scan misses is after P, so the reader's validation
// load (acquire) and every load after it see E as it was when the scan read it, or later,
// and the unlinks that came before. That is the guarantee the seq_cst pair gives below,
// paid for by one system call per scan instead of one fence per read. On the 2-vCPU VM it
// was measured on, the call takes 0.1 us alone and 0.3-2 us with the other vCPU running
// one of our threads, which loses about 1 us to the interrupt; so a collection that is
// not waited for advances (and fences) only every kCollectsPerAdvance-th time.
// ThreadSanitizer does not model the kernel's barrier, and the interleaving scheduler
// serializes threads anyway, so those builds keep the seq_cst pair; so does a process
// whose kernel lacks membarrier (or whose environment sets GOMAP_ASYMMETRIC_FENCE=0): the
// choice is made once, when the first thread registers, before any read section exists.
//
// Why it is correct without std::atomic_thread_fence (which ThreadSanitizer ignores):
// every operation on the epoch and on reader records is seq_cst, and E is modified only by
// read-modify-writes, so all of E's modifications form one release sequence. The tag is
// taken by an RMW that is sequenced after draining the inbox (which synchronizes with the
// retiring push, itself after the unlink), so a reader whose validation load returns a
// value >= T + 1 synchronizes with the unlink and cannot see the retired pointer; a reader
// that announced <= T is seen by the seq_cst scan (store/load on the record and on E are
// ordered in the single total order S) and blocks the advance to T + 2. When the scan sees
// a reader leave (release store of 0), the freeing thread acquires that through E. The
// unlinking store itself may be any order (release is enough): TSan sees every edge.
//
// Threads register lazily on their first read section or retire (a record is reused from
// exited threads or pushed onto a lock-free list; records are never freed) and unregister
// at thread exit through a thread_local destructor. fork(): pthread_atfork handlers hold
// the collector lock across fork and, in the child, release the records of the threads
// that do not exist there, so the child can synchronize and reclaim.
//
// Deleters run on whichever thread collects, under the collector lock: they may retire
// more objects (collected later) and enter read sections, but must not call rcu_barrier()
// or rcu_synchronize(). rcu_synchronize()
// and rcu_barrier() must not be called inside a read section (they would wait for it).
//
// Only the default domain exists (P2545 gives users no way to create others).
#pragma once

#include <pthread.h>

#include <atomic>
#include <cassert>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <thread>
#include <type_traits>
#include <utility>

#include "gomap/runtime/platform.hpp"
#include "gomap/runtime/sched_point.hpp"

namespace gomap {

class rcu_domain;
rcu_domain& rcu_default_domain() noexcept;
struct rcu_access;

namespace detail {

// Two lines: x86 prefetches cache lines in adjacent pairs, so a record
// written on every read-side lock must not share a pair with another's.
inline constexpr std::size_t rcu_line_size = 2 * runtime::cache_line_size;

// The intrusive part of every retired object (P2545's rcu_obj_base keeps it inside the
// object; rcu_retire(p, d) allocates a small box holding p and d).
struct rcu_head {
  rcu_head* rcu_next = nullptr;
  void (*rcu_reclaim)(rcu_head*) noexcept = nullptr;
};

// What one gather took from one inbox: a list linked through rcu_next, freed as a whole
// once the epoch reaches tag + 2.
struct rcu_batch {
  rcu_head* head = nullptr;
  std::uint64_t tag = 0;
};

struct rcu_thread_record {
  // --- line 1: written by the owner on every outermost lock/unlock, read by scanners.
  alignas(rcu_line_size) std::atomic<std::uint64_t> state{0};  // 0 = quiescent, else epoch
  unsigned depth = 0;                                          // read-section nesting; owner only
  std::atomic<bool> in_use{true};
  rcu_thread_record* next = nullptr;  // immutable once published on the list

  // --- line 2: the retire side, so collectors draining it do not disturb readers.
  alignas(rcu_line_size) std::atomic<rcu_head*> inbox{nullptr};  // LIFO, owner pushes
  std::atomic<std::uint64_t> retired{0};  // statistics: total retired through this record
  unsigned since_collect = 0;             // owner only
};

// Readers write only their own line 1; records never share a line with each other.
static_assert(alignof(rcu_thread_record) == rcu_line_size &&
                  sizeof(rcu_thread_record) == 2 * rcu_line_size,
              "a thread record is exactly two private lines: reader side, retire side");

// The calling thread's record; constinit so the hot path is a plain TLS load.
inline constinit thread_local rcu_thread_record* rcu_tls_record = nullptr;
// True while this thread holds the collector lock (a deleter that retires must not
// re-enter collect()).
inline constinit thread_local bool rcu_tls_collecting = false;
// 0: never registered, 1: exit hook armed, 2: exit hook already ran (thread is exiting).
inline constinit thread_local int rcu_tls_phase = 0;

// Whether this build may order read sections with asymmetric fences; whether this process
// does is rcu_asymmetric, set once by the first registration before it publishes its
// record: a reader has registered, and a scan that found a record has acquired the list,
// so both read the settled value (relaxed: it is never written again).
inline constexpr bool rcu_asymmetric_build = GOMAP_ASYMMETRIC_FENCE && !GOMAP_INTERLEAVE;
inline constinit std::atomic<bool> rcu_asymmetric{false};

inline bool rcu_asymmetric_now() noexcept {
  return rcu_asymmetric_build && rcu_asymmetric.load(std::memory_order_relaxed);
}

#if GOMAP_INTERLEAVE
// Retires between collection attempts, settable by the interleave harnesses: with 1 every
// retire collects, so a handful of operations reaches tagging, advancing and freeing.
inline constinit unsigned rcu_collect_every = 64;
#endif

}  // namespace detail

// P2545's std::rcu_domain: Lockable, where lock()/unlock() open and close a read section.
class rcu_domain {
 public:
  rcu_domain(const rcu_domain&) = delete;
  rcu_domain& operator=(const rcu_domain&) = delete;

  // Enter a read section; nests. Never blocks, writes only the caller's own record.
  void lock() noexcept {
    detail::rcu_thread_record* r = detail::rcu_tls_record;
    if (r == nullptr) r = register_thread();
    if (r->depth++ != 0) return;
    GOMAP_YIELD("rcu.pin.load");
    std::uint64_t e = epoch_.load(std::memory_order_relaxed);
    for (;;) {
      // Store-then-load (Dekker): a scan that misses this store must leave the validation
      // load below seeing the scanner's epoch. Either the scan's heavy fence gives that
      // order (asymmetric, see the header comment), or both accesses are seq_cst, so that a
      // scan that misses the store is ordered before it in S.
      GOMAP_YIELD("rcu.pin.announce");
      std::uint64_t now;
      if (detail::rcu_asymmetric_now()) {
        r->state.store(e, std::memory_order_relaxed);
        runtime::asymmetric_fence_light();
        now = epoch_.load(std::memory_order_acquire);
      } else {
        r->state.store(e, std::memory_order_seq_cst);
        GOMAP_YIELD("rcu.pin.validate");
        now = epoch_.load(std::memory_order_seq_cst);
      }
      if (now == e) {
        GOMAP_RCU_NOTE(pin, r);
        return;
      }
      e = now;  // the epoch moved between our load and our announcement: re-announce
    }
  }
  bool try_lock() noexcept {
    lock();
    return true;
  }
  void unlock() noexcept {
    detail::rcu_thread_record* r = detail::rcu_tls_record;
    assert(r != nullptr && r->depth > 0 && "rcu_domain::unlock without lock");
    if (--r->depth == 0) {
      GOMAP_RCU_NOTE(unpin, r);
      GOMAP_YIELD("rcu.unpin");
      r->state.store(0, std::memory_order_release);
    }
  }

  // True if the calling thread is inside a read section (for assertions).
  bool in_read_section() const noexcept {
    const detail::rcu_thread_record* r = detail::rcu_tls_record;
    return r != nullptr && r->depth > 0;
  }

  // Schedules h->rcu_reclaim(h) to run after a grace period. Lock-free.
  void retire_head(detail::rcu_head* h) noexcept {
    detail::rcu_thread_record* r = detail::rcu_tls_record;
    if (r == nullptr) r = register_thread();
    GOMAP_RCU_NOTE(retire, h);
    GOMAP_YIELD("rcu.retire");
    // Counted before the push so that pending() never sees more reclaimed than retired.
    r->retired.store(r->retired.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
    h->rcu_next = r->inbox.load(std::memory_order_relaxed);
    GOMAP_YIELD("rcu.retire.push");  // a collector may take the inbox first
    // Release: the unlink before retire must happen-before the collector's tag RMW.
    while (!r->inbox.compare_exchange_weak(h->rcu_next, h, std::memory_order_release,
                                           std::memory_order_relaxed)) {
      GOMAP_YIELD("rcu.retire.retry");
    }
#if GOMAP_INTERLEAVE
    if (++r->since_collect >= detail::rcu_collect_every) {
#else
    if (++r->since_collect >= kCollectEvery) {
#endif
      r->since_collect = 0;
      collect(/*wait=*/false);
    }
  }

  // rcu_synchronize: returns once every read section that was active when it was called
  // has ended.
  void synchronize() noexcept {
    assert(!in_read_section() && "rcu_synchronize inside a read section would deadlock");
    GOMAP_YIELD("rcu.synchronize");
    const std::uint64_t target = epoch_.fetch_add(0, std::memory_order_seq_cst) + 2;
    advance_to(target);
    collect(/*wait=*/false);  // the epochs moved: free what became ready on the way
  }

  // rcu_barrier: returns once every deleter scheduled by a retire that happens before the
  // call has run.
  void barrier() noexcept {
    assert(!in_read_section() && "rcu_barrier inside a read section would deadlock");
    std::uint64_t target;
    {
      std::lock_guard lk(reclaim_mu_);
      gather_locked();
      target = (batch_count_ != 0 ? batch_at(batch_count_ - 1).tag : epoch_.load()) + 2;
    }
    advance_to(target);
    std::lock_guard lk(reclaim_mu_);
    free_ready_locked();
  }

  // How many retires a thread makes between attempts to collect.
  static constexpr unsigned kCollectEvery = 64;
  // Where scans pay a heavy fence each (it interrupts every running thread of the
  // process), a collection that is not waited for tries to advance the epoch only every
  // kCollectsPerAdvance-th time, and frees one ready batch more than it gathered, so that
  // the many batches one advance makes ready go back to the allocator a few at a time,
  // in pieces the per-thread caches can hold (node_cache keeps 256 blocks per size), while
  // the queue still shrinks faster than it grows.
  static constexpr unsigned kCollectsPerAdvance = 4;

 private:
  friend rcu_domain& rcu_default_domain() noexcept;
  friend struct rcu_access;
  friend union rcu_domain_holder;
  struct exit_hook;

  constexpr rcu_domain() = default;

  detail::rcu_thread_record* register_thread() noexcept;
  void unregister_thread(detail::rcu_thread_record* r) noexcept;
  void collect(bool wait) noexcept {
    if (detail::rcu_tls_collecting) return;  // called from a deleter we are running
    GOMAP_YIELD("rcu.collect");
    std::unique_lock lk(reclaim_mu_, std::defer_lock);
    if (wait) {
      lk.lock();
    } else if (!lk.try_lock()) {
      return;  // another thread is collecting; it or the next one drains our inbox
    }
    const std::size_t gathered = gather_locked();
    const bool paced = !wait && detail::rcu_asymmetric_now();
    if (!paced || ++collects_since_advance_ >= kCollectsPerAdvance) {
      collects_since_advance_ = 0;
      // Two attempts: enough to free this batch's predecessors when readers are idle.
      if (try_advance()) try_advance();
    }
    free_ready_locked(paced ? gathered + 1 : SIZE_MAX);
  }

  // The i-th oldest queued batch.
  detail::rcu_batch& batch_at(std::size_t i) noexcept {
    return batches_[(batch_first_ + i) % kBatches];
  }

  // Drains every inbox into a batch of its own at the back of the FIFO and tags the
  // batches it added with the current epoch. Returns how many batches it added.
  std::size_t gather_locked() noexcept {
    const std::size_t count_before = batch_count_;
    std::size_t first_new = batch_count_;  // the batches from here on get this gather's tag
    for (auto* r = records_.load(std::memory_order_acquire); r != nullptr; r = r->next) {
      if (r->inbox.load(std::memory_order_relaxed) == nullptr) continue;
      GOMAP_YIELD("rcu.gather.drain");
      detail::rcu_head* list = r->inbox.exchange(nullptr, std::memory_order_acq_rel);
      if (list == nullptr) continue;
      if (batch_count_ < kBatches) {
        batch_at(batch_count_++) = {list, 0};
        continue;
      }
      // The ring is full (readers have held the epoch back for a long time): splice the
      // list in front of the newest batch, which then takes this gather's tag. A later
      // tag only delays its older objects.
      detail::rcu_batch& newest = batch_at(batch_count_ - 1);
      detail::rcu_head* last = list;
      while (last->rcu_next != nullptr) last = last->rcu_next;
      last->rcu_next = newest.head;
      newest.head = list;
      if (first_new > batch_count_ - 1) first_new = batch_count_ - 1;
    }
    if (first_new == batch_count_) return 0;
    // An RMW (not a load) so the objects' unlinks join E's release sequence; sequenced
    // after the exchanges above, so the tag is no older than any of the retires.
    GOMAP_YIELD("rcu.gather.tag");
    const std::uint64_t tag = epoch_.fetch_add(0, std::memory_order_seq_cst);
    for (std::size_t i = first_new; i < batch_count_; ++i) batch_at(i).tag = tag;
    return batch_count_ - count_before;
  }

  // Frees the queued batches whose grace period has elapsed (tags are nondecreasing),
  // oldest first, at most max_batches of them.
  void free_ready_locked(std::size_t max_batches = SIZE_MAX) noexcept {
    GOMAP_YIELD("rcu.free");
    const std::uint64_t e = epoch_.load(std::memory_order_seq_cst);
    std::uint64_t n = 0;
    detail::rcu_tls_collecting = true;
    for (; max_batches != 0 && batch_count_ != 0 && batch_at(0).tag + 2 <= e; --max_batches) {
      detail::rcu_head* h = std::exchange(batch_at(0).head, nullptr);
      batch_first_ = (batch_first_ + 1) % kBatches;
      --batch_count_;
      while (h != nullptr) {
        detail::rcu_head* next = h->rcu_next;
        GOMAP_RCU_NOTE(free, h);
        h->rcu_reclaim(h);
        ++n;
        h = next;
      }
    }
    detail::rcu_tls_collecting = false;
    if (n != 0) reclaimed_.fetch_add(n, std::memory_order_relaxed);
  }

  // Moves E from e to e + 1 if every active reader announced e. Returns false if some
  // reader still lives in an older epoch.
  bool try_advance() noexcept {
    GOMAP_YIELD("rcu.advance.scan");
    std::uint64_t e = epoch_.load(std::memory_order_seq_cst);
    if (!all_quiescent_or_at(e)) return false;
    if (detail::rcu_asymmetric_now()) {
      // The scan above may have missed announcements still in flight (and records pushed
      // with them): after the heavy fence every announcement made before it is visible,
      // and any later one validates against an E >= e. A reader seen lagging above
      // needed no system call to refuse.
      runtime::asymmetric_fence_heavy();
      if (!all_quiescent_or_at(e)) return false;
    }
    GOMAP_YIELD("rcu.advance.cas");
    epoch_.compare_exchange_strong(e, e + 1, std::memory_order_seq_cst);
    return true;  // E >= e + 1 now, whether by us or by a concurrent advancer
  }

  // True if every record is quiescent or announced e. The list is read seq_cst, as it is
  // pushed: a record pushed before its owner's announcement, which precedes E's move to e
  // in S, is then on the list this scan walks.
  bool all_quiescent_or_at(std::uint64_t e) const noexcept {
    for (auto* r = records_.load(std::memory_order_seq_cst); r != nullptr; r = r->next) {
      const std::uint64_t s = r->state.load(std::memory_order_seq_cst);
      if (s != 0 && s != e) return false;
    }
    return true;
  }

  void advance_to(std::uint64_t target) noexcept {
    for (unsigned spins = 0; epoch_.load(std::memory_order_seq_cst) < target;) {
      if (try_advance()) continue;
      // A reader is inside a section begun in an older epoch: back off politely (under the
      // interleaving scheduler: let another thread run).
      if (GOMAP_SPIN("rcu.advance.wait")) continue;
      if (++spins < 64) {
        std::this_thread::yield();
      } else {
        std::this_thread::sleep_for(std::chrono::microseconds(50));
      }
    }
  }

  static void atfork_prepare() noexcept;
  static void atfork_parent() noexcept;
  static void atfork_child() noexcept;

  alignas(detail::rcu_line_size) std::atomic<std::uint64_t> epoch_{1};
  alignas(detail::rcu_line_size) std::atomic<detail::rcu_thread_record*> records_{nullptr};
  alignas(detail::rcu_line_size) runtime::sched_mutex reclaim_mu_;
  // The FIFO of gathered batches, a ring (guarded by reclaim_mu_). A gather adds one batch
  // per thread with pending retires, and batches leave two epochs later; only a reader
  // that holds the epoch back for many gathers fills the ring (gather_locked then splices).
  static constexpr std::size_t kBatches = 64;
  detail::rcu_batch batches_[kBatches] = {};
  std::size_t batch_first_ = 0;              // guarded by reclaim_mu_
  std::size_t batch_count_ = 0;              // guarded by reclaim_mu_
  unsigned collects_since_advance_ = 0;      // guarded by reclaim_mu_
  std::atomic<std::uint64_t> reclaimed_{0};  // statistics
};

// The default domain is immortal: threads may exit (and retire) after static destructors.
union rcu_domain_holder {
  rcu_domain domain;
  constexpr rcu_domain_holder() : domain() {}
  ~rcu_domain_holder() {}
};

namespace detail {
inline constinit rcu_domain_holder rcu_default_domain_holder;
}  // namespace detail

inline rcu_domain& rcu_default_domain() noexcept {
  return detail::rcu_default_domain_holder.domain;
}

struct rcu_domain::exit_hook {
  ~exit_hook() {
    detail::rcu_tls_phase = 2;
    if (detail::rcu_thread_record* r = detail::rcu_tls_record) {
      rcu_default_domain().unregister_thread(r);
    }
  }
};

inline detail::rcu_thread_record* rcu_domain::register_thread() noexcept {
  static const bool process_ready = [] {
    pthread_atfork(&atfork_prepare, &atfork_parent, &atfork_child);
    // Before the first record is published: every reader of the flag registered after this.
    if constexpr (detail::rcu_asymmetric_build) {
      detail::rcu_asymmetric.store(runtime::asymmetric_fence_init(), std::memory_order_relaxed);
    }
    return true;
  }();
  (void)process_ready;
  detail::rcu_thread_record* r = nullptr;
  // Reuse the record of an exited thread if there is one.
  for (auto* p = records_.load(std::memory_order_acquire); p != nullptr; p = p->next) {
    bool free = false;
    if (!p->in_use.load(std::memory_order_relaxed) &&
        p->in_use.compare_exchange_strong(free, true, std::memory_order_acquire)) {
      r = p;
      break;
    }
  }
  if (r == nullptr) {
    // Out of memory here ends the program (noexcept): a thread without a record cannot
    // announce its read sections, so there is no safe way to go on.
    r = new detail::rcu_thread_record;  // NOLINT(bugprone-unhandled-exception-at-new)
    r->next = records_.load(std::memory_order_relaxed);
    while (!records_.compare_exchange_weak(r->next, r, std::memory_order_seq_cst,
                                           std::memory_order_relaxed)) {
    }
  }
  detail::rcu_tls_record = r;
  if (detail::rcu_tls_phase == 0) {
    // Arms the thread-exit hook. A thread that re-registers from a later thread_local
    // destructor (phase 2) keeps its record for good: harmless, it stays quiescent.
    static thread_local exit_hook hook;
    (void)hook;
    detail::rcu_tls_phase = 1;
  }
  return r;
}

inline void rcu_domain::unregister_thread(detail::rcu_thread_record* r) noexcept {
  assert(r->depth == 0 && "thread exited inside an rcu read section");
  r->state.store(0, std::memory_order_release);
  collect(/*wait=*/false);  // our inbox stays on the record; any later collector drains it
  detail::rcu_tls_record = nullptr;
  r->since_collect = 0;
  r->in_use.store(false, std::memory_order_release);
}

inline void rcu_domain::atfork_prepare() noexcept {
  rcu_default_domain().reclaim_mu_.lock();
}
inline void rcu_domain::atfork_parent() noexcept {
  rcu_default_domain().reclaim_mu_.unlock();
}
inline void rcu_domain::atfork_child() noexcept {
  rcu_domain& d = rcu_default_domain();
  // Only the forking thread survives: the other records belong to threads that will never
  // leave their read sections or run their exit hooks, so release them.
  for (auto* r = d.records_.load(std::memory_order_acquire); r != nullptr; r = r->next) {
    if (r == detail::rcu_tls_record) continue;
    r->depth = 0;
    r->since_collect = 0;
    r->state.store(0, std::memory_order_release);
    r->in_use.store(false, std::memory_order_release);
  }
  // A thread that vanished between counting a retire and pushing it left a count with no
  // object behind (its object is lost to the child, as is all of that thread's memory).
  // Recount from what the child really holds so the statistics stay exact.
  std::uint64_t retired = 0;
  std::uint64_t held = 0;
  for (auto* r = d.records_.load(std::memory_order_acquire); r != nullptr; r = r->next) {
    retired += r->retired.load(std::memory_order_relaxed);
    for (auto* h = r->inbox.load(std::memory_order_acquire); h != nullptr; h = h->rcu_next) ++held;
  }
  for (std::size_t i = 0; i < d.batch_count_; ++i) {
    for (auto* h = d.batch_at(i).head; h != nullptr; h = h->rcu_next) ++held;
  }
  d.reclaimed_.store(retired - held, std::memory_order_relaxed);
  d.reclaim_mu_.unlock();
}

// A scoped read section (what std::scoped_lock<std::rcu_domain> gives in P2545).
class rcu_reader {
 public:
  explicit rcu_reader(rcu_domain& d = rcu_default_domain()) noexcept : d_(&d) { d_->lock(); }
  ~rcu_reader() { d_->unlock(); }
  rcu_reader(const rcu_reader&) = delete;
  rcu_reader& operator=(const rcu_reader&) = delete;

 private:
  rcu_domain* d_;
};

// P2545's rcu_obj_base: derive T from rcu_obj_base<T, D> and call p->retire() to have
// D()(p) run after a grace period, with no allocation.
template <class T, class D = std::default_delete<T>>
class rcu_obj_base : private detail::rcu_head {
 public:
  void retire(D d = D(), rcu_domain& dom = rcu_default_domain()) noexcept {
    deleter_ = std::move(d);
    this->rcu_reclaim = &reclaim;
    dom.retire_head(this);
  }

 protected:
  rcu_obj_base() = default;
  rcu_obj_base(const rcu_obj_base&) = default;
  rcu_obj_base(rcu_obj_base&&) = default;
  rcu_obj_base& operator=(const rcu_obj_base&) = default;
  rcu_obj_base& operator=(rcu_obj_base&&) = default;
  ~rcu_obj_base() = default;

 private:
  static void reclaim(detail::rcu_head* h) noexcept {
    auto* self = static_cast<rcu_obj_base*>(h);
    D d = std::move(self->deleter_);
    d(static_cast<T*>(self));
  }
  [[no_unique_address]] D deleter_{};
};

namespace detail {
template <class T, class D>
struct rcu_box final : rcu_head {
  rcu_box(T* p, D d) : ptr(p), deleter(std::move(d)) {}
  T* ptr;
  [[no_unique_address]] D deleter;
  static void reclaim(rcu_head* h) noexcept {
    auto* box = static_cast<rcu_box*>(h);
    box->deleter(box->ptr);
    delete box;
  }
};
}  // namespace detail

// P2545's rcu_retire: d(p) runs after a grace period. Throws std::bad_alloc if the small
// bookkeeping box cannot be allocated (p is then not retired).
template <class T, class D = std::default_delete<T>>
void rcu_retire(T* p, D d = D(), rcu_domain& dom = rcu_default_domain()) {
  auto* box = new detail::rcu_box<T, D>(p, std::move(d));
  box->rcu_reclaim = &detail::rcu_box<T, D>::reclaim;
  dom.retire_head(box);
}

inline void rcu_synchronize(rcu_domain& dom = rcu_default_domain()) noexcept {
  dom.synchronize();
}
inline void rcu_barrier(rcu_domain& dom = rcu_default_domain()) noexcept {
  dom.barrier();
}

// The one friend for tests: counters that are exact when the domain is quiescent.
struct rcu_access {
  static std::uint64_t epoch(const rcu_domain& d = rcu_default_domain()) noexcept {
    return d.epoch_.load(std::memory_order_seq_cst);
  }
  // Objects retired and not yet reclaimed, over all threads.
  static std::uint64_t pending(const rcu_domain& d = rcu_default_domain()) noexcept {
    std::uint64_t retired = 0;
    for (auto* r = d.records_.load(std::memory_order_acquire); r != nullptr; r = r->next) {
      retired += r->retired.load(std::memory_order_relaxed);
    }
    const std::uint64_t reclaimed = d.reclaimed_.load(std::memory_order_relaxed);
    return retired > reclaimed ? retired - reclaimed : 0;  // racy snapshot: clamp
  }
  // True if read sections are ordered by asymmetric fences in this process (known once a
  // thread has registered).
  static bool asymmetric() noexcept { return detail::rcu_asymmetric_now(); }
  static std::size_t records(const rcu_domain& d = rcu_default_domain()) noexcept {
    std::size_t n = 0;
    for (auto* r = d.records_.load(std::memory_order_acquire); r != nullptr; r = r->next) ++n;
    return n;
  }
  static std::size_t records_in_use(const rcu_domain& d = rcu_default_domain()) noexcept {
    std::size_t n = 0;
    for (auto* r = d.records_.load(std::memory_order_acquire); r != nullptr; r = r->next) {
      n += r->in_use.load(std::memory_order_acquire) ? 1 : 0;
    }
    return n;
  }
  // Counts a retire on the caller's record without pushing anything: the state a thread
  // leaves when fork() catches it between the two steps of retire_head.
  static void count_unpushed_retire(std::int64_t delta,
                                    rcu_domain& d = rcu_default_domain()) noexcept {
    if (detail::rcu_tls_record == nullptr) d.register_thread();
    detail::rcu_tls_record->retired.fetch_add(static_cast<std::uint64_t>(delta),
                                              std::memory_order_relaxed);
  }
  // One collection pass, as a retiring thread makes every kCollectEvery retires.
  static void collect(rcu_domain& d = rcu_default_domain()) noexcept { d.collect(true); }
  // The calling thread's countdown to its next collection starts over (the interleave
  // harnesses call it so that what earlier runs left behind cannot change a schedule).
  static void reset_collect_countdown(rcu_domain& d = rcu_default_domain()) noexcept {
    if (detail::rcu_tls_record == nullptr) d.register_thread();
    detail::rcu_tls_record->since_collect = 0;
  }
};

}  // namespace gomap
