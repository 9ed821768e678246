// Tests of gomap/rcu.hpp, the epoch-based reclamation under SyncMap.
#include <gomap/rcu.hpp>

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <mutex>
#include <thread>
#include <vector>

#include "../common/test_scale.hpp"

namespace {

using gomap::rcu_access;
using gomap_test::scaled;

// Counts live instances; its payload lets readers detect a freed or reused object.
struct Tracked : gomap::rcu_obj_base<Tracked> {
  static inline std::atomic<std::int64_t> live{0};
  explicit Tracked(std::uint64_t v) : value(v), check(~v) { live.fetch_add(1); }
  ~Tracked() {
    check = value;  // poison: a reader that sees value == check read a dead object
    live.fetch_sub(1);
  }
  Tracked(const Tracked&) = delete;
  Tracked& operator=(const Tracked&) = delete;
  std::uint64_t value;
  std::uint64_t check;
};

TEST(Rcu, RetireRunsDeleterAfterBarrier) {
  const auto before = Tracked::live.load();
  int deleted = 0;
  auto* t = new Tracked(1);
  gomap::rcu_retire(t, [&deleted](Tracked* p) {
    ++deleted;
    delete p;
  });
  gomap::rcu_barrier();
  EXPECT_EQ(deleted, 1);
  EXPECT_EQ(Tracked::live.load(), before);

  (new Tracked(2))->retire();  // rcu_obj_base: no allocation, default_delete
  gomap::rcu_barrier();
  EXPECT_EQ(Tracked::live.load(), before);
  EXPECT_EQ(rcu_access::pending(), 0u);
}

TEST(Rcu, ScopedLockingAndNesting) {
  auto& d = gomap::rcu_default_domain();
  EXPECT_FALSE(d.in_read_section());
  {
    std::scoped_lock lk(d);  // P2545 spelling
    EXPECT_TRUE(d.in_read_section());
    {
      gomap::rcu_reader inner;
      EXPECT_TRUE(d.in_read_section());
      ASSERT_TRUE(d.try_lock());
      d.unlock();
    }
    EXPECT_TRUE(d.in_read_section());
  }
  EXPECT_FALSE(d.in_read_section());
  gomap::rcu_synchronize();  // nothing to wait for
}

// A retired object survives as long as a reader that began before the retire is inside
// its section, however many collections run meanwhile.
TEST(Rcu, ReaderDelaysReclamation) {
  std::atomic<Tracked*> shared{new Tracked(7)};
  std::atomic<int> phase{0};
  std::thread reader([&] {
    gomap::rcu_reader guard;
    Tracked* p = shared.load();
    phase.store(1);
    while (phase.load() != 2) std::this_thread::yield();
    // The writer retired p and collected many times; p must still be intact.
    EXPECT_EQ(p->value, 7u);
    EXPECT_EQ(p->check, ~std::uint64_t{7});
  });
  while (phase.load() != 1) std::this_thread::yield();
  const auto live = Tracked::live.load();
  Tracked* old = shared.exchange(new Tracked(8));
  old->retire();
  for (int i = 0; i < 100; ++i) rcu_access::collect();
  EXPECT_EQ(Tracked::live.load(), live + 1);  // old and the new one both alive
  EXPECT_GE(rcu_access::pending(), 1u);
  phase.store(2);
  reader.join();
  gomap::rcu_barrier();
  EXPECT_EQ(Tracked::live.load(), live);
  delete shared.load();
}

// A reader that holds the epoch back while a writer retires and collects again and again:
// each collection queues one more batch, far more than the collector's ring of batches
// holds, so later ones are spliced into the newest. Nothing retired after the reader began
// may be freed before it leaves, and everything is freed once it has.
TEST(Rcu, LongReaderOverflowsTheBatchRing) {
  std::atomic<Tracked*> shared{new Tracked(0)};
  std::atomic<int> phase{0};
  std::vector<Tracked*> seen;
  std::thread reader([&] {
    gomap::rcu_reader guard;
    phase.store(1);
    while (phase.load() != 2) {
      Tracked* p = shared.load();
      seen.push_back(p);
      std::this_thread::yield();
    }
    // Every object this reader loaded must still be intact: all were retired after it
    // entered its section.
    for (Tracked* p : seen) EXPECT_NE(p->value, p->check);
  });
  while (phase.load() != 1) std::this_thread::yield();
  const auto live = Tracked::live.load();
  const auto pending = rcu_access::pending();
  constexpr int rounds = 300;  // collections, each after one retire: > the ring's 64 batches
  for (int i = 1; i <= rounds; ++i) {
    shared.exchange(new Tracked(static_cast<std::uint64_t>(i)))->retire();
    rcu_access::collect();
  }
  EXPECT_EQ(Tracked::live.load(), live + rounds);  // nothing freed: the reader holds them
  EXPECT_EQ(rcu_access::pending(), pending + rounds);
  phase.store(2);
  reader.join();
  gomap::rcu_barrier();
  EXPECT_EQ(Tracked::live.load(), live);  // the retired ones gone, the shared one left
  EXPECT_EQ(rcu_access::pending(), 0u);
  delete shared.load();
}
// rcu_synchronize must not return while a reader that began before it is inside.
TEST(Rcu, SynchronizeWaitsForReaders) {
  std::atomic<int> phase{0};
  std::atomic<bool> synchronized{false};
  std::thread reader([&] {
    gomap::rcu_reader guard;
    phase.store(1);
    while (phase.load() != 2) std::this_thread::yield();
    // The synchronizer has started; give it many chances to return too early.
    for (int i = 0; i < 1000; ++i) {
      EXPECT_FALSE(synchronized.load());
      std::this_thread::yield();
    }
  });
  while (phase.load() != 1) std::this_thread::yield();
  std::thread sync([&] {
    phase.store(2);
    gomap::rcu_synchronize();
    synchronized.store(true);
  });
  reader.join();
  sync.join();
  EXPECT_TRUE(synchronized.load());
}

// Readers dereference a pointer that a writer keeps replacing and retiring. ASan catches
// any use after free; the poison check catches it without ASan.
TEST(Rcu, ReadersNeverSeeFreedObjects) {
  const auto live_before = Tracked::live.load();
  std::atomic<Tracked*> shared{new Tracked(0)};
  std::atomic<bool> stop{false};
  std::atomic<std::uint64_t> bad{0};
  std::vector<std::thread> readers;
  readers.reserve(3);
  for (int t = 0; t < 3; ++t) {
    readers.emplace_back([&] {
      while (!stop.load(std::memory_order_relaxed)) {
        gomap::rcu_reader guard;
        Tracked* p = shared.load(std::memory_order_acquire);
        if (p->check != ~p->value) bad.fetch_add(1);
      }
    });
  }
  const std::int64_t n = scaled(1'000'000, 10'000);
  for (std::int64_t i = 1; i <= n; ++i) {
    Tracked* old =
        shared.exchange(new Tracked(static_cast<std::uint64_t>(i)), std::memory_order_acq_rel);
    old->retire();
  }
  stop.store(true);
  for (auto& t : readers) t.join();
  delete shared.load();
  gomap::rcu_barrier();
  EXPECT_EQ(bad.load(), 0u);
  EXPECT_EQ(Tracked::live.load(), live_before);
  EXPECT_EQ(rcu_access::pending(), 0u);
}

// Retired memory is freed within a bounded number of epochs once readers move on: the
// number of live retired objects stays bounded while readers keep entering and leaving.
// A reader descheduled inside its section legitimately holds reclamation back, so when
// the bound is exceeded we wait until every reader has completed fresh sections, collect,
// and require the bound then.
TEST(Rcu, ReclamationIsBounded) {
  constexpr int kReaders = 2;
  constexpr std::uint64_t kBound = 1 << 15;
  const auto live_before = Tracked::live.load();
  std::atomic<Tracked*> shared{new Tracked(0)};
  std::atomic<bool> stop{false};
  struct alignas(128) Progress {
    std::atomic<std::uint64_t> sections{0};
  };
  Progress progress[kReaders];
  std::vector<std::thread> readers;
  readers.reserve(kReaders);
  for (int t = 0; t < kReaders; ++t) {
    readers.emplace_back([&, t] {
      while (!stop.load(std::memory_order_relaxed)) {
        {
          gomap::rcu_reader guard;
          Tracked* p = shared.load(std::memory_order_acquire);
          EXPECT_EQ(p->check, ~p->value);
        }
        progress[t].sections.fetch_add(1, std::memory_order_release);
      }
    });
  }
  auto wait_readers_move_on = [&] {
    std::uint64_t seen[kReaders];
    for (int t = 0; t < kReaders; ++t) seen[t] = progress[t].sections.load();
    for (int t = 0; t < kReaders; ++t) {
      while (progress[t].sections.load() < seen[t] + 2) std::this_thread::yield();
    }
  };
  const std::uint64_t epoch0 = rcu_access::epoch();
  const std::int64_t n = scaled(2'000'000, 20'000);
  std::uint64_t max_pending = 0;
  int recoveries = 0;
  for (std::int64_t i = 1; i <= n; ++i) {
    shared.exchange(new Tracked(static_cast<std::uint64_t>(i)))->retire();
    if (i % 1024 != 0) continue;
    std::uint64_t pending = rcu_access::pending();
    for (int attempt = 0; pending > kBound && attempt < 100; ++attempt) {
      ++recoveries;
      wait_readers_move_on();
      rcu_access::collect();
      rcu_access::collect();
      rcu_access::collect();
      pending = rcu_access::pending();
    }
    ASSERT_LE(pending, kBound) << "retired objects are not being reclaimed";
    max_pending = std::max(max_pending, pending);
  }
  stop.store(true);
  for (auto& t : readers) t.join();
  delete shared.load();
  // Many epochs went by, not one big batch at the end.
  EXPECT_GT(rcu_access::epoch() - epoch0, static_cast<std::uint64_t>(n) / 4096);
  gomap::rcu_barrier();
  EXPECT_EQ(rcu_access::pending(), 0u);
  EXPECT_EQ(Tracked::live.load(), live_before);
  std::printf("[ info ] %lld retires, max pending %llu, recoveries %d\n", static_cast<long long>(n),
              static_cast<unsigned long long>(max_pending), recoveries);
}

// Many threads retire concurrently; a barrier afterwards runs every deleter exactly once.
TEST(Rcu, ConcurrentRetireAndBarrier) {
  std::atomic<std::int64_t> deleted{0};
  const std::int64_t per_thread = scaled(200'000, 2'000);
  std::vector<std::thread> threads;
  threads.reserve(4);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (std::int64_t i = 0; i < per_thread; ++i) {
        if (i % 3 == 0) {
          gomap::rcu_reader guard;  // retire inside a read section is allowed
          gomap::rcu_retire(new int(static_cast<int>(i)), [&deleted](int* p) {
            deleted.fetch_add(1, std::memory_order_relaxed);
            delete p;
          });
        } else {
          gomap::rcu_retire(new int(t), [&deleted](int* p) {
            deleted.fetch_add(1, std::memory_order_relaxed);
            delete p;
          });
        }
        if (t == 0 && i % 10'000 == 0) gomap::rcu_barrier();
        if (t == 1 && i % 10'000 == 0) gomap::rcu_synchronize();
      }
    });
  }
  for (auto& t : threads) t.join();
  gomap::rcu_barrier();
  EXPECT_EQ(deleted.load(), 4 * per_thread);
}

// A deleter may retire further objects; they run on a later collection.
TEST(Rcu, DeleterMayRetire) {
  std::atomic<int> runs{0};
  struct Chain {
    std::atomic<int>* runs;
    int left;
  };
  struct Del {
    void operator()(Chain* c) const {
      c->runs->fetch_add(1);
      if (c->left > 0) gomap::rcu_retire(new Chain{c->runs, c->left - 1}, Del{});
      delete c;
    }
  };
  gomap::rcu_retire(new Chain{&runs, 3}, Del{});
  for (int i = 0; i < 4; ++i) gomap::rcu_barrier();
  EXPECT_EQ(runs.load(), 4);
  EXPECT_EQ(rcu_access::pending(), 0u);
}

// Read sections order their announcement with asymmetric fences where the build and the
// kernel allow it (membarrier(2) on Linux; never under ThreadSanitizer, which cannot see
// the kernel's barrier), and with seq_cst fences where GOMAP_ASYMMETRIC_FENCE=0 asks for
// them: ctest runs this whole file both ways (rcu_test and rcu_test_symmetric).
TEST(Rcu, ReadSectionsUseAsymmetricFencesWhereTheKernelHasThem) {
  { gomap::rcu_reader g; }  // registers this thread: the mode is chosen by then
  const char* env = std::getenv("GOMAP_ASYMMETRIC_FENCE");
  const bool off = env != nullptr && env[0] == '0';
  const bool expected = gomap::detail::rcu_asymmetric_build && !off;
  EXPECT_EQ(rcu_access::asymmetric(), expected)
      << "this machine runs Linux with membarrier(PRIVATE_EXPEDITED); a kernel without it "
         "would leave read sections on seq_cst fences";
}

// Thread records are released at thread exit and reused by later threads.
TEST(Rcu, ThreadsUnregisterAtExit) {
  {
    std::thread warm([] { gomap::rcu_reader g; });
    warm.join();
  }
  const auto in_use = rcu_access::records_in_use();
  const auto total = rcu_access::records();
  for (int i = 0; i < 50; ++i) {
    std::thread t([] {
      { gomap::rcu_reader g; }
      gomap::rcu_retire(new int(1));
    });
    t.join();
    EXPECT_EQ(rcu_access::records_in_use(), in_use);
  }
  EXPECT_EQ(rcu_access::records(), total);
  gomap::rcu_barrier();  // the exited threads' retires are still reclaimed
  EXPECT_EQ(rcu_access::pending(), 0u);
}

// fork() while other threads sit inside read sections with retires pending: the child can
// still synchronize and reclaim. The threads park before the fork without allocating
// (LLVM 14's ASan allocator has no fork handlers: a child could inherit its lock held);
// a fork that lands mid-retire is ForkDuringUnfinishedRetireKeepsCountsExact's case.
TEST(Rcu, ForkLeavesChildUsable) {
  std::atomic<bool> stop{false};
  std::atomic<int> inside{0};
  std::vector<std::thread> threads;
  threads.reserve(2);
  for (int t = 0; t < 2; ++t) {
    threads.emplace_back([&] {
      gomap::rcu_reader long_section;  // still open when fork() happens
      for (int i = 0; i < 100; ++i) gomap::rcu_retire(new int(3));
      inside.fetch_add(1);
      while (!stop.load()) std::this_thread::yield();
    });
  }
  while (inside.load() != 2) std::this_thread::yield();
  const pid_t pid = fork();
  ASSERT_NE(pid, -1);
  if (pid == 0) {
    alarm(60);  // a hang in the child becomes a failure, not a stuck test
    int deleted = 0;
    gomap::rcu_retire(new int(4), [&deleted](int* p) {
      ++deleted;
      delete p;
    });
    gomap::rcu_synchronize();
    gomap::rcu_barrier();
    { gomap::rcu_reader g; }
    _exit(deleted == 1 && rcu_access::pending() == 0 ? 0 : 1);
  }
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  stop.store(true);
  for (auto& t : threads) t.join();
  EXPECT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
  gomap::rcu_barrier();
}

// fork() that lands inside another thread's retire_head, after it counted the retire and
// before it pushed the object: the child's statistics must not count the lost object.
TEST(Rcu, ForkDuringUnfinishedRetireKeepsCountsExact) {
  gomap::rcu_barrier();
  std::atomic<int> step{0};
  std::thread stuck([&] {
    rcu_access::count_unpushed_retire(1);
    step.store(1);
    while (step.load() != 2) std::this_thread::yield();
    rcu_access::count_unpushed_retire(-1);  // the parent's copy finishes "unpushed"
  });
  while (step.load() != 1) std::this_thread::yield();
  const pid_t pid = fork();
  ASSERT_NE(pid, -1);
  if (pid == 0) {
    alarm(60);
    gomap::rcu_retire(new int(5));
    gomap::rcu_barrier();
    _exit(rcu_access::pending() == 0 ? 0 : 1);
  }
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  step.store(2);
  stuck.join();
  EXPECT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
  gomap::rcu_barrier();
  EXPECT_EQ(rcu_access::pending(), 0u);
}

}  // namespace
