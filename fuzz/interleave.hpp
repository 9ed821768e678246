// The interleaving scheduler and the checks built on it (docs/interleave.md), shared by the
// fuzz/interleave_* harnesses and tests/sync_map/interleave_systematic_test.cpp.
//
// Needs -DGOMAP_INTERLEAVE=1 for every translation unit of the binary: gomap's concurrent
// headers then call the scheduler at their named yield points (runtime/sched_point.hpp).
//
//  * scheduler — runs 2-4 logical threads as real std::threads (a pool that lives as long
//    as the process, so no thread-exit hook runs in the middle of a schedule) but lets
//    exactly one run at a time: a baton passes at every yield point, to the thread a
//    chooser picks. A thread at a spin point (waiting for a lock holder or for a reader to
//    leave) cannot be picked again until another thread has moved, so a thread blocked on
//    a lock never holds the baton for good; if every live thread waits, that is a deadlock.
//  * choosers — from the fuzzer's bytes, from a seeded PRNG, or a depth-first enumeration
//    of all schedules with at most `bound` preemptions (CHESS's bound, loom's idea).
//  * rcu_checker — keeps books on every retired object through the reclaimer's events:
//    retired once, freed once, and never freed while a reader that was pinned when it was
//    retired is still in that read section.
//  * map_run — operations of several threads on a SyncMap or a HashTrieMap, then a
//    linearizability check of the history against a sequential model (Wing & Gong's search
//    with memoization, as Lowe's and porcupine's), the final contents and size() included.
//  * rcu_run / rw_spinlock_run — the reclaimer and the shard lock on their own.
#pragma once

#if !GOMAP_INTERLEAVE
#error "fuzz/interleave.hpp needs -DGOMAP_INTERLEAVE=1 for the whole binary"
#endif

#include <array>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include <pthread.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>

#include <gomap/hash_trie_map.hpp>
#include <gomap/rcu.hpp>
#include <gomap/runtime/rw_spinlock.hpp>
#include <gomap/runtime/sched_point.hpp>
#include <gomap/seed.hpp>
#include <gomap/sync_map.hpp>

namespace gomap_interleave {

inline constexpr unsigned max_threads = 4;

// ---------------------------------------------------------------- failure reports

// What the current run is, printed with every failure so it can be replayed.
inline std::string& run_context() {
  static std::string s;
  return s;
}

[[noreturn]] inline void fail(const std::string& what) {
  std::fprintf(stderr, "gomap interleave: %s\n  run: %s\n", what.c_str(), run_context().c_str());
  std::fflush(stderr);
  std::abort();
}

// ---------------------------------------------------------------- choosers

// Picks the next thread at a scheduling decision. The options are ordered: when can_stay,
// option 0 is the running thread (picking anything else preempts it); otherwise the
// running thread cannot go on (it finished or waits) and every option is a free switch.
class chooser {
 public:
  virtual ~chooser() = default;
  virtual unsigned choose(unsigned n, bool can_stay) = 0;
  virtual std::string describe() const { return ""; }
};

// From the fuzzer's bytes: each byte picks a thread (low 3 bits) and how many more yield
// points it keeps the baton for (high 5 bits), so short inputs still reach deep schedules.
// Past the end of the bytes the running thread goes on (a free switch picks the first).
class byte_chooser final : public chooser {
 public:
  byte_chooser(const std::uint8_t* p, std::size_t n) : p_(p), n_(n) {}
  unsigned choose(unsigned n, bool can_stay) override {
    if (can_stay && stay_ > 0) {
      --stay_;
      return 0;
    }
    if (n_ == 0) return 0;
    const std::uint8_t b = *p_++;
    --n_;
    stay_ = b >> 3;
    return (b & 7u) % n;
  }

 private:
  const std::uint8_t* p_;
  std::size_t n_;
  unsigned stay_ = 0;
};

// From a seed (splitmix64): a preemption at about one yield point in `period`.
class prng_chooser final : public chooser {
 public:
  explicit prng_chooser(std::uint64_t seed, unsigned period = 8) : s_(seed), period_(period) {}
  unsigned choose(unsigned n, bool can_stay) override {
    const std::uint64_t r = next();
    if (can_stay && r % period_ != 0) return 0;
    return static_cast<unsigned>((r >> 32) % n);
  }
  std::string describe() const override { return "prng seed " + std::to_string(seed0_); }

 private:
  std::uint64_t next() {
    std::uint64_t z = (s_ += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }
  std::uint64_t s_;
  std::uint64_t seed0_ = s_;
  unsigned period_;
};

// Every schedule with at most `bound` preemptions, depth first: run, then next() moves to
// the next unexplored choice at the deepest decision that has one. Switches at a finished
// or waiting thread are free (not preemptions), as in CHESS. A decision that differs from
// what the same prefix produced last time means the run is not deterministic: a bug in the
// harness or in the scheduler, reported as a failure.
class dfs_chooser final : public chooser {
 public:
  explicit dfs_chooser(unsigned bound) : bound_(bound) {}
  // Replay one schedule (a path printed by describe()).
  dfs_chooser(unsigned bound, const std::vector<unsigned>& picks) : bound_(bound) {
    for (unsigned p : picks) path_.push_back({0, p, false});
    replay_only_ = true;
  }
  unsigned choose(unsigned n, bool can_stay) override {
    if (pos_ < path_.size()) {
      decision& d = path_[pos_++];
      if (replay_only_ && d.n == 0) {
        d.n = n;
        d.can_stay = can_stay;
        return d.pick < n ? d.pick : 0;
      }
      if (d.n != n || d.can_stay != can_stay) {
        fail("nondeterministic run: decision " + std::to_string(pos_ - 1) + " had " +
             std::to_string(d.n) + " options, now " + std::to_string(n));
      }
      return d.pick;
    }
    path_.push_back({n, 0, can_stay});
    ++pos_;
    return 0;
  }
  // Moves to the next schedule; false when all have been run.
  bool next() {
    pos_ = 0;
    if (replay_only_) return false;
    unsigned used = 0;
    for (const decision& d : path_) used += (d.can_stay && d.pick > 0) ? 1 : 0;
    while (!path_.empty()) {
      decision& d = path_.back();
      const unsigned mine = (d.can_stay && d.pick > 0) ? 1 : 0;
      const unsigned others = used - mine;
      if (d.pick + 1 < d.n && others + (d.can_stay ? 1 : 0) <= bound_) {
        ++d.pick;
        return true;
      }
      used = others;
      path_.pop_back();
    }
    return false;
  }
  std::string describe() const override {
    std::string s = "schedule";
    for (std::size_t i = 0; i < pos_ && i < path_.size(); ++i) {
      s += (i == 0 ? " " : ",") + std::to_string(path_[i].pick);
    }
    return s;
  }
  std::size_t depth() const noexcept { return path_.size(); }

 private:
  struct decision {
    unsigned n;
    unsigned pick;
    bool can_stay;
  };
  std::vector<decision> path_;
  std::size_t pos_ = 0;
  unsigned bound_;
  bool replay_only_ = false;
};

// ---------------------------------------------------------------- the thread pool

// Threads that outlive every run: a thread's exit runs gomap's rcu exit hook (a collection)
// outside any schedule, and creating threads per run would cost more than the run.
class pool {
 public:
  static pool& get() {
    static pool p;
    return p;
  }
  void post(unsigned i, std::function<void()> job) {
    worker& w = *workers_[i];
    std::lock_guard lk(w.mu);
    w.job = std::move(job);
    w.cv.notify_one();
  }
  ~pool() {
    for (auto& w : workers_) {
      {
        std::lock_guard lk(w->mu);
        w->stop = true;
      }
      w->cv.notify_one();
      w->thread.join();
    }
  }

 private:
  struct worker {
    std::mutex mu;
    std::condition_variable cv;
    std::function<void()> job;
    bool stop = false;
    std::thread thread;
  };
  pool() {
    for (unsigned i = 0; i < max_threads; ++i) {
      workers_.push_back(std::make_unique<worker>());
      worker* w = workers_.back().get();
      w->thread = std::thread([w] {
        for (;;) {
          std::function<void()> job;
          {
            std::unique_lock lk(w->mu);
            w->cv.wait(lk, [w] { return w->job || w->stop; });
            if (!w->job) return;
            job = std::move(w->job);
            w->job = nullptr;
          }
          job();
        }
      });
    }
  }
  std::vector<std::unique_ptr<worker>> workers_;
};

// ---------------------------------------------------------------- the scheduler

class scheduler final : public gomap::runtime::sched::hooks {
 public:
  explicit scheduler(chooser& c, std::uint64_t step_limit = 100000) : c_(c), limit_(step_limit) {}

  // Runs bodies[i] as logical thread i, one step at a time; returns when all have finished.
  void run(std::vector<std::function<void()>> bodies) {
    const unsigned n = static_cast<unsigned>(bodies.size());
    if (n == 0 || n > max_threads) fail("scheduler: 1..4 threads");
    n_ = n;
    idle_spins_ = 0;
    for (unsigned i = 0; i < n; ++i) th_[i] = {};
    finished_ = 0;
    {
      std::lock_guard lk(mu_);
      current_ = pick_locked(-1, false);
    }
    for (unsigned i = 0; i < n; ++i) {
      pool::get().post(i, [this, i, body = std::move(bodies[i])] { thread_main(i, body); });
    }
    std::unique_lock lk(mu_);
    cv_.wait(lk, [this] { return finished_ == n_; });
  }

  // A timestamp for the running thread's history: strictly increasing, shared by all.
  std::uint64_t now() noexcept { return clock_.fetch_add(1, std::memory_order_relaxed) + 1; }
  std::uint64_t steps() const noexcept { return steps_; }

  void at_point(const char* name, bool spin) noexcept override {
    std::unique_lock lk(mu_);
    const int self = current_;
    ++steps_;
    clock_.fetch_add(1, std::memory_order_relaxed);
    trace_[trace_pos_++ % trace_.size()] = {self, name, spin};
    if (steps_ > limit_) fail_locked("step limit reached (a livelock?)");
    if (spin) {
      th_[self].spinning = true;
    } else {
      for (unsigned j = 0; j < n_; ++j) th_[j].spinning = false;  // state may have changed
      idle_spins_ = 0;
    }
    const int next = pick_locked(self, !spin);
    if (next != self) switch_locked(lk, self, next);
  }

 private:
  struct thread_state {
    bool done = false;
    bool spinning = false;
  };
  struct trace_entry {
    int thread = -1;
    const char* name = nullptr;
    bool spin = false;
  };

  void thread_main(unsigned i, const std::function<void()>& body) {
    {
      std::unique_lock lk(mu_);
      cv_.wait(lk, [&] { return current_ == static_cast<int>(i); });
    }
    // A fresh collection countdown: what earlier runs left must not change this one.
    gomap::rcu_access::reset_collect_countdown();
    gomap::runtime::sched::tls_hooks = this;
    body();
    gomap::runtime::sched::tls_hooks = nullptr;
    std::lock_guard lk(mu_);
    th_[i].done = true;
    ++finished_;
    for (unsigned j = 0; j < n_; ++j) th_[j].spinning = false;  // it may have released a lock
    idle_spins_ = 0;
    current_ = finished_ == n_ ? -1 : pick_locked(static_cast<int>(i), false);
    cv_.notify_all();
  }

  // The next thread: self first when it may go on, then the others round-robin from
  // self + 1 — so that the default choice (0) is fair: two threads waiting on a third
  // cannot hand the baton back and forth forever while the third never runs.
  int pick_locked(int self, bool self_eligible) {
    int options[max_threads];
    unsigned k = 0;
    if (self_eligible) options[k++] = self;
    for (unsigned d = 1; d <= n_; ++d) {
      const unsigned j = (static_cast<unsigned>(self + 1) + d - 1) % n_;
      if (static_cast<int>(j) == self || th_[j].done || th_[j].spinning) continue;
      options[k++] = static_cast<int>(j);
    }
    if (k == 0) {
      // Every live thread is at a spin point. One of them may have seen the world change
      // between its check and its spin (a yield point sits between them), so let them
      // retry — but a long enough run of spins with no other step is a deadlock.
      if (++idle_spins_ > 64) fail_locked("deadlock: every live thread is waiting for another");
      for (unsigned d = 0; d < n_; ++d) {
        const unsigned j = (static_cast<unsigned>(self + 1) + d) % n_;
        if (!th_[j].done) options[k++] = static_cast<int>(j);
      }
      if (k == 0) fail_locked("no live thread");
    }
    if (k == 1) return options[0];
    const unsigned c = c_.choose(k, self_eligible);
    return options[c < k ? c : 0];
  }

  void switch_locked(std::unique_lock<std::mutex>& lk, int self, int next) {
    current_ = next;
    cv_.notify_all();
    cv_.wait(lk, [&] { return current_ == self; });
  }

  [[noreturn]] void fail_locked(const std::string& what) {
    std::string s = what + "\n  last yield points (thread: point):";
    const std::size_t n = trace_pos_ < trace_.size() ? trace_pos_ : trace_.size();
    for (std::size_t k = trace_pos_ - n; k < trace_pos_; ++k) {
      const trace_entry& e = trace_[k % trace_.size()];
      s += "\n    " + std::to_string(e.thread) + ": " + (e.name ? e.name : "?") +
           (e.spin ? " (waits)" : "");
    }
    s += "\n  threads:";
    for (unsigned j = 0; j < n_; ++j) {
      s += " " + std::to_string(j) + (th_[j].done ? "=done" : th_[j].spinning ? "=waits" : "=runs");
    }
    s += " (baton: " + std::to_string(current_) + ")\n  " + c_.describe();
    fail(s);
  }

  chooser& c_;
  const std::uint64_t limit_;
  std::mutex mu_;
  std::condition_variable cv_;
  int current_ = -1;
  unsigned n_ = 0;
  unsigned finished_ = 0;
  thread_state th_[max_threads];
  std::uint64_t steps_ = 0;
  unsigned idle_spins_ = 0;  // spin points in a row with every live thread waiting
  std::atomic<std::uint64_t> clock_{0};
  std::array<trace_entry, 24> trace_{};
  std::size_t trace_pos_ = 0;
};

// ---------------------------------------------------------------- the reclaimer's books

class rcu_checker final : public gomap::runtime::sched::rcu_observer {
 public:
  // Installs itself after draining what earlier code retired (its frees would be of
  // objects this checker never saw retired).
  rcu_checker() {
    gomap::rcu_barrier();
    gomap::runtime::sched::rcu_observer_ptr = this;
  }
  ~rcu_checker() { gomap::runtime::sched::rcu_observer_ptr = nullptr; }
  rcu_checker(const rcu_checker&) = delete;
  rcu_checker& operator=(const rcu_checker&) = delete;

  // No thread runs: everything retired must have been freed by an rcu_barrier.
  void check_drained() {
    gomap::rcu_barrier();
    std::lock_guard lk(mu_);
    if (!live_.empty()) {
      fail(std::to_string(live_.size()) + " retired objects were never freed by rcu_barrier");
    }
    // The domain's own statistics agree (exact when quiescent).
    if (gomap::rcu_access::pending() != 0) {
      fail("rcu_access::pending() is " + std::to_string(gomap::rcu_access::pending()) +
           " after rcu_barrier with every thread quiescent");
    }
  }
  std::uint64_t retires() const noexcept { return retires_; }
  std::uint64_t frees() const noexcept { return frees_; }

  void note(gomap::runtime::sched::rcu_event e, const void* p) noexcept override {
    using ev = gomap::runtime::sched::rcu_event;
    std::lock_guard lk(mu_);
    switch (e) {
      case ev::pin: {
        reader& r = readers_[p];
        r.pinned = true;
        ++r.serial;
        break;
      }
      case ev::unpin:
        readers_[p].pinned = false;
        break;
      case ev::retire: {
        ++retires_;
        auto [it, fresh] = live_.try_emplace(p);
        if (!fresh) fail("rcu: an object was retired twice before being freed");
        for (const auto& [rec, r] : readers_) {
          if (r.pinned) it->second.push_back({rec, r.serial});
        }
        break;
      }
      case ev::free: {
        ++frees_;
        auto it = live_.find(p);
        if (it == live_.end()) fail("rcu: an object was freed twice, or freed but never retired");
        for (const auto& [rec, serial] : it->second) {
          const reader& r = readers_[rec];
          if (r.pinned && r.serial == serial) {
            fail(
                "rcu: an object was freed while a reader pinned before its retirement is still "
                "in that read section");
          }
        }
        live_.erase(it);
        break;
      }
    }
  }

 private:
  struct reader {
    bool pinned = false;
    std::uint64_t serial = 0;
  };
  std::mutex mu_;
  std::unordered_map<const void*, reader> readers_;
  // retired and not yet freed -> the read sections in progress at its retirement
  std::unordered_map<const void*, std::vector<std::pair<const void*, std::uint64_t>>> live_;
  std::uint64_t retires_ = 0;
  std::uint64_t frees_ = 0;
};

// ---------------------------------------------------------------- maps: history and model

inline constexpr unsigned n_keys = 4;

enum class op_kind : std::uint8_t {
  load,
  store,
  swap,
  load_or_store,
  load_or_compute,
  load_and_delete,
  erase,
  compare_and_swap,
  compare_and_delete,
  clear,
  range,
  count_
};
inline const char* op_name(op_kind k) {
  static const char* const names[] = {"load",
                                      "store",
                                      "swap",
                                      "load_or_store",
                                      "load_or_compute",
                                      "load_and_delete",
                                      "erase",
                                      "compare_and_swap",
                                      "compare_and_delete",
                                      "clear",
                                      "range"};
  return names[static_cast<unsigned>(k)];
}

// One operation of a history. Values are small ids (0: none); op i stores id i + 1.
struct op {
  op_kind kind = op_kind::load;
  std::uint8_t key = 0;
  std::uint8_t old = 0;  // compare_and_swap / compare_and_delete: the value compared
  std::uint8_t value = 0;
  unsigned thread = 0;
  // results
  std::uint8_t r_value = 0;
  bool r_flag = false;
  std::vector<std::pair<std::uint8_t, std::uint8_t>> seen;  // range: (key, value id)
  std::uint64_t start = 0, end = 0;
};

// Values are heap strings longer than any small-string buffer: a value read after it was
// freed is a read of freed heap memory (ASan reports it; without ASan it is garbage).
inline std::string value_of(std::uint8_t id) {
  std::string s = "gomap-interleave-value-";
  s += std::to_string(id);
  return s;
}
inline std::uint8_t id_of(const std::string& s) {
  static const std::size_t prefix = std::string("gomap-interleave-value-").size();
  if (s.size() <= prefix || s.compare(0, prefix, "gomap-interleave-value-") != 0) {
    fail("a value that no operation stored: \"" + s + "\"");
  }
  return static_cast<std::uint8_t>(std::stoul(s.substr(prefix)));
}

using model_state = std::array<std::uint8_t, n_keys>;

inline std::string describe(const op& o) {
  std::string s =
      "t" + std::to_string(o.thread) + " " + op_name(o.kind) + "(k" + std::to_string(o.key);
  if (o.kind == op_kind::compare_and_swap || o.kind == op_kind::compare_and_delete) {
    s += ", old v" + std::to_string(o.old);
  }
  if (o.value != 0) s += ", v" + std::to_string(o.value);
  s += ") -> v" + std::to_string(o.r_value) + (o.r_flag ? " true" : " false");
  s += "  [" + std::to_string(o.start) + ", " + std::to_string(o.end) + "]";
  return s;
}

// Applies o to the sequential model: false if o's recorded result is not what the model
// returns in state st.
inline bool model_apply(const op& o, model_state& st) {
  std::uint8_t& cur = st[o.key];
  switch (o.kind) {
    case op_kind::load:
      return o.r_value == cur;
    case op_kind::store:
      cur = o.value;
      return true;
    case op_kind::swap:
      if (o.r_value != cur) return false;
      cur = o.value;
      return true;
    case op_kind::load_or_store:
    case op_kind::load_or_compute:
      if (cur != 0) return o.r_flag && o.r_value == cur;
      if (o.r_flag || o.r_value != o.value) return false;
      cur = o.value;
      return true;
    case op_kind::load_and_delete:
      if (o.r_value != cur) return false;
      cur = 0;
      return true;
    case op_kind::erase:
      cur = 0;
      return true;
    case op_kind::compare_and_swap: {
      const bool ok = cur != 0 && cur == o.old;
      if (o.r_flag != ok) return false;
      if (ok) cur = o.value;
      return true;
    }
    case op_kind::compare_and_delete: {
      const bool ok = cur != 0 && cur == o.old;
      if (o.r_flag != ok) return false;
      if (ok) cur = 0;
      return true;
    }
    case op_kind::clear:
      st.fill(0);
      return true;
    case op_kind::range:
    case op_kind::count_:
      return true;
  }
  return false;
}

// True if some order of ops that respects real time (a before b when a ended before b
// started) gives every op its recorded result, starting from `init` and ending in `final`.
// Memoizes (linearized set, model state) pairs already known to fail.
inline bool linearizable(const std::vector<op>& ops, const model_state& init,
                         const model_state& final_state) {
  const unsigned n = static_cast<unsigned>(ops.size());
  if (n > 30) fail("linearizable: too many operations");
  const std::uint32_t full = (std::uint32_t{1} << n) - 1;
  std::unordered_set<std::uint64_t> dead;
  auto pack = [](const model_state& st) {
    std::uint32_t v = 0;
    for (unsigned k = 0; k < n_keys; ++k) v |= std::uint32_t{st[k]} << (8 * k);
    return v;
  };
  std::function<bool(std::uint32_t, const model_state&)> dfs = [&](std::uint32_t done,
                                                                   const model_state& st) {
    if (done == full) return st == final_state;
    const std::uint64_t key = (std::uint64_t{done} << 32) | pack(st);
    if (dead.count(key) != 0) return false;
    std::uint64_t min_end = UINT64_MAX;
    for (unsigned j = 0; j < n; ++j) {
      if ((done >> j & 1) == 0 && ops[j].end < min_end) min_end = ops[j].end;
    }
    for (unsigned i = 0; i < n; ++i) {
      if ((done >> i & 1) != 0 || ops[i].start > min_end) continue;  // not minimal
      model_state next = st;
      if (model_apply(ops[i], next) && dfs(done | (std::uint32_t{1} << i), next)) return true;
    }
    dead.insert(key);
    return false;
  };
  return dfs(0, init);
}

// ---------------------------------------------------------------- maps: one run

struct map_scenario {
  std::vector<op> setup;                       // run first, on the calling thread
  std::vector<std::vector<op>> threads;        // 2-4 threads
  unsigned collect_every = 1;                  // rcu: retires between collections
  std::uint64_t seed = 0x676f6d6170696c76ull;  // gomap::set_seed
};

// Fills in value ids (op i of the whole scenario stores i + 1) and thread numbers.
inline void number_ops(map_scenario& s) {
  std::uint8_t id = 1;
  for (op& o : s.setup) o.value = id++;
  for (unsigned t = 0; t < s.threads.size(); ++t) {
    for (op& o : s.threads[t]) {
      o.thread = t;
      o.value = id++;
    }
  }
}

template <class Map>
void run_op(Map& m, op& o) {
  const std::uint64_t key = o.key;
  switch (o.kind) {
    case op_kind::load:
      if (auto v = m.load(key)) o.r_value = id_of(*v);
      break;
    case op_kind::store:
      m.store(key, value_of(o.value));
      break;
    case op_kind::swap:
      if (auto v = m.swap(key, value_of(o.value))) o.r_value = id_of(*v);
      break;
    case op_kind::load_or_store: {
      auto [v, loaded] = m.load_or_store(key, value_of(o.value));
      o.r_value = id_of(v);
      o.r_flag = loaded;
      break;
    }
    case op_kind::load_or_compute: {
      unsigned calls = 0;
      auto [v, loaded] = m.load_or_compute(key, [&] {
        ++calls;
        return value_of(o.value);
      });
      o.r_value = id_of(v);
      o.r_flag = loaded;
      if (calls > 1) fail("load_or_compute ran f more than once in one call");
      if (calls == 0 && !loaded) fail("load_or_compute stored a value f did not compute");
      break;
    }
    case op_kind::load_and_delete:
      if (auto v = m.load_and_delete(key)) o.r_value = id_of(*v);
      break;
    case op_kind::erase:
      m.erase(key);
      break;
    case op_kind::compare_and_swap:
      o.r_flag = m.compare_and_swap(key, value_of(o.old), value_of(o.value));
      break;
    case op_kind::compare_and_delete:
      o.r_flag = m.compare_and_delete(key, value_of(o.old));
      break;
    case op_kind::clear:
      m.clear();
      break;
    case op_kind::range:
      m.range([&](const std::uint64_t& k, const std::string& v) {
        if (k >= n_keys) fail("range produced a key nobody stored");
        o.seen.push_back({static_cast<std::uint8_t>(k), id_of(v)});
        return true;
      });
      break;
    case op_kind::count_:
      break;
  }
}

struct run_stats {
  std::uint64_t steps = 0;
  std::uint64_t retires = 0;
  std::uint64_t frees = 0;
};

// Runs the scenario under chooser c and checks it; aborts with a report on a violation.
template <class Map>
run_stats map_run(map_scenario s, chooser& c) {
  number_ops(s);
  gomap::set_seed(s.seed);
  gomap::detail::rcu_collect_every = s.collect_every;
  run_stats stats;
  std::vector<op> history;
  model_state init{}, final_state{};
  {
    rcu_checker books;
    {
      Map m;
      for (op& o : s.setup) {
        run_op(m, o);
        if (o.kind != op_kind::range && !model_apply(o, init)) fail("setup: " + describe(o));
      }
      scheduler sched(c);
      std::vector<std::function<void()>> bodies;
      for (auto& ops : s.threads) {
        bodies.emplace_back([&m, &ops, &sched] {
          for (op& o : ops) {
            o.start = sched.now();
            run_op(m, o);
            o.end = sched.now();
          }
        });
      }
      sched.run(std::move(bodies));
      stats.steps = sched.steps();
      // Quiescent: what the map holds, and its exact size.
      std::size_t present = 0;
      for (unsigned k = 0; k < n_keys; ++k) {
        if (auto v = m.load(k)) {
          final_state[k] = id_of(*v);
          ++present;
        }
      }
      if (m.size() != present) {
        fail("size() " + std::to_string(m.size()) + " at quiescence, " + std::to_string(present) +
             " keys present");
      }
    }
    books.check_drained();
    stats.retires = books.retires();
    stats.frees = books.frees();
  }
  gomap::detail::rcu_collect_every = 64;
  // Range: no key twice, each value one that some operation stored under that key.
  std::vector<std::unordered_set<std::uint8_t>> stored(n_keys);
  for (unsigned k = 0; k < n_keys; ++k) stored[k].insert(init[k]);
  for (auto& ops : s.threads) {
    for (op& o : ops) {
      if (o.kind != op_kind::range && o.kind != op_kind::load && o.kind != op_kind::erase &&
          o.kind != op_kind::load_and_delete && o.kind != op_kind::compare_and_delete &&
          o.kind != op_kind::clear) {
        stored[o.key].insert(o.value);
      }
    }
  }
  for (auto& ops : s.threads) {
    for (op& o : ops) {
      if (o.kind == op_kind::range) {
        std::unordered_set<std::uint8_t> keys;
        for (auto [k, v] : o.seen) {
          if (!keys.insert(k).second) fail("range produced a key twice");
          if (v == 0 || stored[k].count(v) == 0) fail("range produced a value never stored");
        }
        continue;
      }
      history.push_back(o);
    }
  }
  if (!linearizable(history, init, final_state)) {
    std::string h = "not linearizable; history:";
    for (const op& o : history) h += "\n    " + describe(o);
    h += "\n  initial state:";
    for (unsigned k = 0; k < n_keys; ++k)
      h += " k" + std::to_string(k) + "=v" + std::to_string(init[k]);
    h += "\n  final state:";
    for (unsigned k = 0; k < n_keys; ++k) {
      h += " k" + std::to_string(k) + "=v" + std::to_string(final_state[k]);
    }
    h += "\n  " + c.describe();
    fail(h);
  }
  return stats;
}

// ---------------------------------------------------------------- rcu on its own

enum class rcu_op : std::uint8_t {
  read,         // pin, load a slot, use the object, unpin
  read_nested,  // pin, load slot 0, pin again, load slot 1, use both
  retire,       // replace a slot's object, retire the old one
  sync_free,    // replace a slot's object, rcu_synchronize, then free the old one by hand
  synchronize,
  barrier,
  collect,
  thread_churn,  // a short-lived real thread reads a slot, retires its object and exits
  fork_child,    // fork(): the child reads, retires and runs rcu_barrier alone
  count_
};

// fork() from a logical thread: the child holds only the forking thread, so it leaves the
// schedule and the parent's books before rcu's own child handler runs (handlers registered
// earlier run first; this one registers during static initialization, before any thread
// meets rcu).  Otherwise that handler's unlock would wait for a thread that is not there.
inline void leave_schedule_in_child() noexcept {
  gomap::runtime::sched::tls_hooks = nullptr;
  gomap::runtime::sched::rcu_observer_ptr = nullptr;
}
inline const bool child_leaves_schedule =
    (pthread_atfork(nullptr, nullptr, &leave_schedule_in_child), true);

// clang's coverage runtime, present only in coverage builds: the forked child calls it before
// _exit (which skips the atexit hook that would write its profile).
extern "C" int __llvm_profile_write_file() __attribute__((weak));

// An object the reclaimer manages. Freeing marks it dead and keeps its memory until the
// run ends, so a reader that reaches a freed object sees `freed` in every build.
struct rcu_object;
struct rcu_graveyard;
struct rcu_object_deleter {
  void operator()(rcu_object* p) const noexcept;
};
struct rcu_object : gomap::rcu_obj_base<rcu_object, rcu_object_deleter> {
  std::atomic<bool> freed{false};
  rcu_graveyard* graveyard = nullptr;
};
struct rcu_graveyard {
  std::mutex mu;
  std::vector<std::unique_ptr<rcu_object>> dead;
};
inline void rcu_object_deleter::operator()(rcu_object* p) const noexcept {
  if (p->freed.exchange(true)) fail("rcu: an object's deleter ran twice");
  std::lock_guard lk(p->graveyard->mu);
  p->graveyard->dead.emplace_back(p);
}

struct rcu_scenario {
  std::vector<std::vector<std::pair<rcu_op, std::uint8_t>>> threads;  // (op, slot)
  unsigned collect_every = 1;
};

inline run_stats rcu_run(const rcu_scenario& s, chooser& c) {
  gomap::detail::rcu_collect_every = s.collect_every;
  run_stats stats;
  rcu_graveyard graveyard;
  {
    rcu_checker books;
    std::atomic<rcu_object*> slots[2];
    for (auto& sl : slots) {
      auto* o = new rcu_object;
      o->graveyard = &graveyard;
      sl.store(o);
    }
    auto use = [](const rcu_object* p) {
      if (p->freed.load(std::memory_order_relaxed)) fail("rcu: a reader reached a freed object");
    };
    auto replace = [&](unsigned slot) {
      auto* fresh = new rcu_object;
      fresh->graveyard = &graveyard;
      GOMAP_YIELD("test.rcu.publish");
      return slots[slot].exchange(fresh, std::memory_order_acq_rel);
    };
    scheduler sched(c);
    std::vector<std::function<void()>> bodies;
    for (const auto& ops : s.threads) {
      bodies.emplace_back([&, ops] {
        for (auto [kind, slot] : ops) {
          switch (kind) {
            case rcu_op::read: {
              gomap::rcu_reader guard;
              GOMAP_YIELD("test.rcu.load");
              const rcu_object* p = slots[slot].load(std::memory_order_acquire);
              GOMAP_YIELD("test.rcu.use");
              use(p);
              break;
            }
            case rcu_op::read_nested: {
              gomap::rcu_reader guard;
              GOMAP_YIELD("test.rcu.load");
              const rcu_object* p = slots[0].load(std::memory_order_acquire);
              {
                // The inner section through the Lockable interface's try_lock.
                std::unique_lock inner(gomap::rcu_default_domain(), std::try_to_lock);
                if (!inner.owns_lock()) fail("rcu: try_lock of a read section failed");
                GOMAP_YIELD("test.rcu.load");
                const rcu_object* q = slots[1].load(std::memory_order_acquire);
                GOMAP_YIELD("test.rcu.use");
                use(q);
              }
              GOMAP_YIELD("test.rcu.use");
              use(p);
              break;
            }
            case rcu_op::retire:
              replace(slot)->retire(rcu_object_deleter{});
              break;
            case rcu_op::sync_free: {
              rcu_object* old = replace(slot);
              gomap::rcu_synchronize();
              GOMAP_YIELD("test.rcu.free");
              rcu_object_deleter{}(old);
              break;
            }
            case rcu_op::synchronize:
              gomap::rcu_synchronize();
              break;
            case rcu_op::barrier:
              gomap::rcu_barrier();
              break;
            case rcu_op::collect:
              gomap::rcu_access::collect();
              break;
            case rcu_op::thread_churn: {
              // Outside the schedule (its yield points do nothing) while this logical
              // thread waits for it: it registers (reusing an exited thread's record when
              // there is one), and at exit hands its record back with its inbox on it.
              const std::size_t in_use = gomap::rcu_access::records_in_use();
              const std::size_t records = gomap::rcu_access::records();
              std::thread t([&, slot] {
                {
                  gomap::rcu_reader guard;
                  use(slots[slot].load(std::memory_order_acquire));
                }
                replace(slot)->retire(rcu_object_deleter{});
              });
              t.join();
              if (gomap::rcu_access::records_in_use() != in_use) {
                fail("rcu: an exited thread's record is still in use");
              }
              if (gomap::rcu_access::records() > records + 1) {
                fail("rcu: one thread added more than one record");
              }
              break;
            }
            case rcu_op::fork_child: {
              GOMAP_YIELD("test.rcu.fork");
              const pid_t pid = ::fork();
              if (pid < 0) fail("rcu: fork() failed");
              if (pid == 0) {
                // The child: rcu's fork handler released every other thread's record, so
                // rcu_barrier must return and leave nothing pending.
                int rc = gomap::runtime::sched::tls_hooks == nullptr ? 0 : 3;
                {
                  gomap::rcu_reader guard;
                  if (slots[slot].load(std::memory_order_acquire)->freed.load()) rc = 4;
                }
                replace(slot)->retire(rcu_object_deleter{});
                gomap::rcu_barrier();
                if (gomap::rcu_access::pending() != 0) rc = 5;
                // _exit skips atexit: a coverage build writes the child's profile here.
                if (&__llvm_profile_write_file != nullptr) __llvm_profile_write_file();
                ::_exit(rc);
              }
              int status = 0;
              while (::waitpid(pid, &status, 0) < 0) {
                if (errno != EINTR) fail("rcu: waitpid() failed");
              }
              if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
                fail(
                    "rcu: the forked child failed (3: still scheduled, 4: reached a freed "
                    "object, 5: retires pending after rcu_barrier): status " +
                    std::to_string(status));
              }
              break;
            }
            case rcu_op::count_:
              break;
          }
        }
      });
    }
    const std::uint64_t epoch_before = gomap::rcu_access::epoch();
    sched.run(std::move(bodies));
    stats.steps = sched.steps();
    if (gomap::rcu_access::epoch() < epoch_before) fail("rcu: the epoch went back");
    for (auto& sl : slots) sl.load()->retire(rcu_object_deleter{});
    books.check_drained();
    stats.retires = books.retires();
    stats.frees = books.frees();
  }
  gomap::detail::rcu_collect_every = 64;
  return stats;
}

// ---------------------------------------------------------------- the shard lock

// write_os_contended: a write with a contender the scheduler does not run (below).
enum class lock_op : std::uint8_t { read, write, try_read, try_write, write_os_contended, count_ };

// Threads take runtime::rw_spinlock shared or exclusive around a critical section with a
// yield point inside, and check mutual exclusion there.
inline run_stats rw_spinlock_run(const std::vector<std::vector<lock_op>>& threads, chooser& c) {
  gomap::runtime::rw_spinlock lock;
  int readers = 0, writers = 0;  // only the baton holder touches them
  scheduler sched(c);
  std::vector<std::function<void()>> bodies;
  auto shared_section = [&] {
    if (writers != 0) fail("rw_spinlock: a reader got in while a writer holds the lock");
    ++readers;
    GOMAP_YIELD("test.lock.read_section");
    --readers;
  };
  auto exclusive_section = [&] {
    if (writers != 0 || readers != 0) fail("rw_spinlock: a writer got in while the lock is held");
    ++writers;
    GOMAP_YIELD("test.lock.write_section");
    --writers;
  };
  for (const auto& ops : threads) {
    bodies.emplace_back([&, ops] {
      for (lock_op o : ops) {
        switch (o) {
          case lock_op::read:
            lock.lock_shared();
            shared_section();
            lock.unlock_shared();
            break;
          case lock_op::write:
            lock.lock();
            exclusive_section();
            lock.unlock();
            break;
          case lock_op::try_read:
            if (lock.try_lock_shared()) {
              shared_section();
              lock.unlock_shared();
            }
            break;
          case lock_op::try_write:
            if (lock.try_lock()) {
              exclusive_section();
              lock.unlock();
            }
            break;
          case lock_op::write_os_contended: {
            // A logical thread that waits hands the baton over at GOMAP_SPIN and never
            // reaches spin_backoff, the pause-then-yield wait of a real contended shard.
            // Here an OS thread outside the schedule (its points pass straight through)
            // asks for the lock this thread holds and waits the real way. Its wait
            // depends on the OS, not on the input, and the result does not: it gets
            // the lock once this thread lets go, alone in it.
            lock.lock();
            exclusive_section();
            std::atomic<bool> asking{false};
            bool alone = false;
            std::thread os([&] {
              asking.store(true);
              lock.lock();
              alone = writers == 0 && readers == 0;
              lock.unlock();
            });
            while (!asking.load()) std::this_thread::yield();
            // Long enough for its 128 pauses and some yields; no logical thread runs
            // meanwhile (this one holds the baton).
            std::this_thread::sleep_for(std::chrono::microseconds(200));
            lock.unlock();
            os.join();
            if (!alone) fail("rw_spinlock: a writer outside the schedule got in while held");
            break;
          }
          case lock_op::count_:
            break;
        }
      }
    });
  }
  sched.run(std::move(bodies));
  if (lock.state_for_testing() != 0) fail("rw_spinlock: not free after every thread left");
  run_stats stats;
  stats.steps = sched.steps();
  return stats;
}

}  // namespace gomap_interleave

namespace gomap_interleave {

// A hash under which keys 0 and 2, and 1 and 3, collide in all 64 bits: HashTrieMap then
// keeps them in overflow chains (its collision paths), SyncMap's Map in one bucket.
struct colliding_hash {
  std::uint64_t operator()(const std::uint64_t& k, std::uint64_t seed) const noexcept {
    return gomap::hash<std::uint64_t>{}(k & 1, seed);
  }
};

}  // namespace gomap_interleave

// ---------------------------------------------------------------- fuzz input decoding

#include "fuzz_common.hpp"

namespace gomap_interleave {

// A map scenario from the fuzzer's bytes; what is left over is the schedule.
//   byte 0: threads (2 + b % 3) and retires between collections (bits 2-3: 1, 2, 4, 64)
//   byte 1: the gomap seed's variation (the maps' hash seeds: trie shapes)
//   byte 2: setup operations (b % 6), then two bytes per operation, then per thread one
//   byte (1 + b % 4 operations) and two bytes per operation.
// An operation: kind (b % 11), key (b / 11 % 4); second byte: the compared value.
inline map_scenario decode_map_scenario(gomap_fuzz::input& in) {
  map_scenario s;
  const std::uint8_t b0 = in.byte();
  const unsigned n_threads = 2 + b0 % 3;
  static constexpr unsigned every[] = {1, 2, 4, 64};
  s.collect_every = every[(b0 >> 2) & 3];
  s.seed = gomap_fuzz::input_seed + in.byte();
  std::vector<std::uint8_t> old_raw;
  auto one = [&] {
    op o;
    const std::uint8_t b = in.byte();
    o.kind = static_cast<op_kind>(b % static_cast<unsigned>(op_kind::count_));
    o.key = static_cast<std::uint8_t>(b / static_cast<unsigned>(op_kind::count_) % n_keys);
    old_raw.push_back(in.byte());
    return o;
  };
  const unsigned n_setup = in.byte() % 6;
  for (unsigned i = 0; i < n_setup; ++i) s.setup.push_back(one());
  s.threads.resize(n_threads);
  for (auto& ops : s.threads) {
    const unsigned n = 1 + in.byte() % 4;
    for (unsigned i = 0; i < n; ++i) ops.push_back(one());
  }
  // The compared value: any operation's value (all ops are numbered from 1).
  const unsigned total = static_cast<unsigned>(old_raw.size());
  std::size_t k = 0;
  auto fix = [&](op& o) { o.old = static_cast<std::uint8_t>(1 + old_raw[k++] % total); };
  for (op& o : s.setup) fix(o);
  for (auto& ops : s.threads) {
    for (op& o : ops) fix(o);
  }
  return s;
}

}  // namespace gomap_interleave
