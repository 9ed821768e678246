// ShardedMap's shard lock, chosen by measurement: the same sharded map
// (runtime::sharded_map, default shard count) with std::shared_mutex, with
// runtime::rw_spinlock, and — as a reference, not a candidate — with a plain
// std::mutex taken for reads too.
//
// Workloads are docs/bench.md's mixed_R_W over 2^16 present uint64 keys (the
// key stream of tools/bench: splitmix64 from 0x9E3779B97F4A7C15, uniform or
// Zipf s=0.99 over the key list, one draw for read-or-write): R% lookups
// (contains), the rest stores (set).  mixed_99_1 is the read-heavy mix,
// mixed_90_10 the standard one (uniform and Zipf), mixed_50_50 and
// mixed_10_90 the write-heavy ones.  Threads: 1 and every core (at least 2).
// Real time, items counted: ns/op = 1e9 / items_per_second (per thread count,
// as tools/bench reports it).
//
//   build/release/tools/lockbench/gomap_lockbench --benchmark_repetitions=3
//       --benchmark_report_aggregates_only=true   (one command line)
#include <benchmark/benchmark.h>
#include <gomap/sharded_map.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <thread>
#include <vector>

namespace {

using u64 = std::uint64_t;

// A std::mutex behind the shared-lock interface: every read takes it
// exclusively (the reference row).
class exclusive_mutex {
 public:
  void lock() { mu_.lock(); }
  bool try_lock() { return mu_.try_lock(); }
  void unlock() { mu_.unlock(); }
  void lock_shared() { mu_.lock(); }
  bool try_lock_shared() { return mu_.try_lock(); }
  void unlock_shared() { mu_.unlock(); }

 private:
  std::mutex mu_;
};

template <class Lock>
using sharded = gomap::runtime::sharded_map<u64, u64, gomap::hash<u64>, gomap::equal_to<u64>, Lock>;

constexpr std::size_t kKeys = std::size_t{1} << 16;
constexpr std::size_t kStream = std::size_t{1} << 16;  // power of two

struct splitmix64 {
  u64 state = 0x9E3779B97F4A7C15ull;
  u64 next() {
    u64 z = (state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
};

struct stream {
  std::vector<u64> keys;  // the 2^16 present keys
  std::vector<u64> key;   // per op
  std::vector<std::uint8_t> write;
};

// tools/bench/concurrent.hpp's make_mixed_stream, draw for draw.
stream make_stream(int read_pct, bool zipf) {
  splitmix64 rng;
  stream s;
  s.keys.resize(kKeys);
  for (auto& k : s.keys) k = rng.next();
  std::vector<double> cdf;
  if (zipf) {
    cdf.resize(kKeys);
    double sum = 0;
    for (std::size_t r = 0; r < kKeys; ++r)
      cdf[r] = (sum += 1.0 / std::pow(static_cast<double>(r + 1), 0.99));
    for (auto& c : cdf) c /= sum;
  }
  s.key.resize(kStream);
  s.write.resize(kStream);
  for (std::size_t j = 0; j < kStream; ++j) {
    const u64 u = rng.next();
    std::size_t idx;
    if (zipf) {
      const double x = static_cast<double>(u >> 11) * 0x1.0p-53;
      idx = static_cast<std::size_t>(std::lower_bound(cdf.begin(), cdf.end(), x) - cdf.begin());
      idx = std::min(idx, kKeys - 1);
    } else {
      idx = static_cast<std::size_t>(u % kKeys);
    }
    s.key[j] = s.keys[idx];
    s.write[j] = (rng.next() % 100) >= static_cast<u64>(read_pct);
  }
  return s;
}

template <class Lock, int ReadPct, bool Zipf>
struct workload {
  static const stream& ops() {
    static const stream s = make_stream(ReadPct, Zipf);
    return s;
  }
  static inline std::unique_ptr<sharded<Lock>> map;

  // Runs once per benchmark run, before any of its threads start.
  static void setup(const benchmark::State&) {
    map = std::make_unique<sharded<Lock>>();
    for (u64 k : ops().keys) map->set(k, k);
  }
  static void teardown(const benchmark::State&) { map.reset(); }

  static void run(benchmark::State& st) {
    const stream& s = ops();
    sharded<Lock>& m = *map;
    u64 i = static_cast<u64>(st.thread_index()) * static_cast<u64>(st.max_iterations);
    for (auto _ : st) {
      const std::size_t j = static_cast<std::size_t>(i) & (kStream - 1);
      if (s.write[j]) {
        m.set(s.key[j], i);
      } else {
        benchmark::DoNotOptimize(m.contains(s.key[j]));
      }
      ++i;
    }
    st.SetItemsProcessed(st.iterations());
  }
};

std::vector<int> thread_counts() {
  return {1, std::max(2, static_cast<int>(std::thread::hardware_concurrency()))};
}

template <class Lock, int ReadPct, bool Zipf>
void reg(const std::string& name, const std::string& lock) {
  using W = workload<Lock, ReadPct, Zipf>;
  auto* b = benchmark::RegisterBenchmark((name + "/" + lock).c_str(), W::run);
  b->Setup(W::setup)->Teardown(W::teardown)->UseRealTime();
  for (int t : thread_counts()) b->Threads(t);
}

// Interleaved, so the candidates of one workload run back to back (the
// machine's load drifts).
template <int ReadPct, bool Zipf>
void reg_workload(const std::string& name) {
  reg<std::shared_mutex, ReadPct, Zipf>(name, "shared_mutex");
  reg<gomap::runtime::rw_spinlock, ReadPct, Zipf>(name, "rw_spinlock");
  reg<exclusive_mutex, ReadPct, Zipf>(name, "mutex");
}

const bool registered = [] {
  reg_workload<99, false>("mixed_99_1");
  reg_workload<90, false>("mixed_90_10");
  reg_workload<90, true>("mixed_90_10_zipf");
  reg_workload<50, false>("mixed_50_50");
  reg_workload<10, false>("mixed_10_90");
  return true;
}();

}  // namespace
