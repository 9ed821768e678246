// The concurrent workloads: ports of Go's sync/map_bench_test.go (setup and
// per-goroutine loops kept) and mixed_R_W over a 2^16 key space, written once
// over an adapter with Go's sync.Map vocabulary (int64 keys and values, like
// Go's benchmarks, which use int):
//
//   bool load(k)                       Load, true on hit
//   void store(k, v)                   Store
//   std::pair<int64, bool> load_or_store(k, v)   LoadOrStore: actual, loaded
//   bool load_and_delete(k)            LoadAndDelete, true when loaded
//   void erase(k)                      Delete
//   void range(f)                      Range, f(k, v) -> bool
//   std::optional<int64> first_key()   the first key Range would give (AdversarialDelete)
//   bool swap(k, v)                    Swap, true when loaded (Go 1.20)
//   bool compare_and_swap(k, old, new) CompareAndSwap (Go 1.20)
//   bool compare_and_delete(k, old)    CompareAndDelete (Go 1.20)
//   static constexpr bool range_with_writers   Range is safe beside writers
//
// Go's RunParallel gives goroutine g the counter start g*b.N and reports wall
// time / total ops; here thread t starts at t*max_iterations and every
// benchmark uses real time and counts items, so ns/op = 1e9 / items_per_second
// is the same quantity.  Names: "<workload>/<impl>/<n>/real_time/threads:<t>".
#pragma once

#include <benchmark/benchmark.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

#include "keys.hpp"

namespace gomap_bench::conc {

using i64 = std::int64_t;

// ---- the mixed_R_W op stream (keys.go: newMixedStream) ----

inline constexpr std::size_t mixed_keys = std::size_t{1} << 16;
inline constexpr std::size_t stream_len = std::size_t{1} << 16;  // power of two

struct MixedStream {
  std::vector<i64> key;  // per op: the key
  std::vector<std::uint8_t> write;
};

// Zipf(s) over ranks 1..n: the CDF, sampled by binary search with a 53-bit uniform.
inline std::vector<double> zipf_cdf(std::size_t n, double s) {
  std::vector<double> cdf(n);
  double sum = 0;
  for (std::size_t r = 0; r < n; ++r)
    cdf[r] = (sum += 1.0 / std::pow(static_cast<double>(r + 1), s));
  for (auto& c : cdf) c /= sum;
  return cdf;
}

// One fresh stream: 2^16 keys, then per op one draw for the key index and one
// for read-or-write.  The map is filled with all keys first, so reads hit.
inline MixedStream make_mixed_stream(int read_pct, bool zipf) {
  SplitMix64 rng;
  std::vector<i64> keys(mixed_keys);
  for (auto& k : keys) k = static_cast<i64>(rng.next());
  std::vector<double> cdf;
  if (zipf) cdf = zipf_cdf(mixed_keys, 0.99);
  MixedStream ms;
  ms.key.resize(stream_len);
  ms.write.resize(stream_len);
  for (std::size_t j = 0; j < stream_len; ++j) {
    const std::uint64_t u = rng.next();
    std::size_t idx;
    if (zipf) {
      const double x = static_cast<double>(u >> 11) * 0x1.0p-53;
      idx = static_cast<std::size_t>(std::lower_bound(cdf.begin(), cdf.end(), x) - cdf.begin());
      if (idx >= mixed_keys) idx = mixed_keys - 1;
    } else {
      idx = static_cast<std::size_t>(u % mixed_keys);
    }
    ms.key[j] = keys[idx];
    ms.write[j] = (rng.next() % 100) >= static_cast<std::uint64_t>(read_pct);
  }
  return ms;
}

// The map shared by all threads of one run of workload W on A.  It is made in
// Google Benchmark's Setup hook, which runs once per run before any thread
// starts, and freed in Teardown after all threads have joined.
template <class A, class W>
std::unique_ptr<A> shared_map;

template <class A, class W>
void setup(const benchmark::State&) {
  shared_map<A, W> = std::make_unique<A>();
  W::setup(*shared_map<A, W>);
}
// Teardown also makes glibc settle the freed map now.  A run that stored a
// million keys leaves a million small chunks in malloc's fast bins, and glibc
// merges them (malloc_consolidate) on the next request of 1 KiB or more,
// whoever makes it: without this, the next run's first such request (its map
// growing) paid for the previous run's frees inside its timed loop, 70-150 ms
// in one go, and LoadOrStoreUnique at 2 threads read 3.8 ms/op in 2 of 3
// rounds.  malloc_trim consolidates every arena (and gives whole free pages
// back, which a fresh process would not have had either).
template <class A, class W>
void teardown(const benchmark::State&) {
  shared_map<A, W>.reset();
#if defined(__GLIBC__)
  malloc_trim(0);
#endif
}

template <class A, class W>
void run(benchmark::State& st) {
  W::per_g(st, *shared_map<A, W>,
           static_cast<i64>(st.thread_index()) * static_cast<i64>(st.max_iterations));
  st.SetItemsProcessed(st.iterations());
}

// ---- Go's sync/map_bench_test.go ----

template <i64 Hits, i64 Misses>
struct LoadMostly {
  template <class A>
  static void setup(A& m) {
    for (i64 i = 0; i < Hits; ++i) m.load_or_store(i, i);
    for (i64 i = 0; i < Hits * 2; ++i) m.load(i % Hits);  // prime to a steady state
  }
  template <class A>
  static void per_g(benchmark::State& st, A& m, i64 i) {
    for (auto _ : st) {
      benchmark::DoNotOptimize(m.load(i % (Hits + Misses)));
      ++i;
    }
  }
};
using LoadMostlyHits = LoadMostly<1023, 1>;
using LoadMostlyMisses = LoadMostly<1, 1023>;

struct Prime128 {
  template <class A>
  static void setup(A& m) {
    for (i64 i = 0; i < 128; ++i) m.load_or_store(i, i);
    for (i64 i = 0; i < 256; ++i) m.load(i % 128);
  }
};

struct LoadOrStoreBalanced : Prime128 {
  template <class A>
  static void per_g(benchmark::State& st, A& m, i64 i) {
    for (auto _ : st) {
      const i64 j = i % 256;
      if (j < 128) {
        if (!m.load_or_store(j, i).second) st.SkipWithError("unexpected miss");
      } else {
        if (m.load_or_store(i, i).second) st.SkipWithError("failed to store");
      }
      ++i;
    }
  }
};

struct NoSetup {
  template <class A>
  static void setup(A&) {}
};
struct StoreZero {
  template <class A>
  static void setup(A& m) {
    m.load_or_store(0, 0);
  }
};

struct LoadOrStoreUnique : NoSetup {
  template <class A>
  static void per_g(benchmark::State& st, A& m, i64 i) {
    for (auto _ : st) {
      benchmark::DoNotOptimize(m.load_or_store(i, i));
      ++i;
    }
  }
};
struct LoadOrStoreCollision : StoreZero {
  template <class A>
  static void per_g(benchmark::State& st, A& m, i64) {
    for (auto _ : st) benchmark::DoNotOptimize(m.load_or_store(0, 0));
  }
};
struct LoadAndDeleteBalanced : Prime128 {
  template <class A>
  static void per_g(benchmark::State& st, A& m, i64 i) {
    for (auto _ : st) {
      const i64 j = i % 256;
      benchmark::DoNotOptimize(m.load_and_delete(j < 128 ? j : i));
      ++i;
    }
  }
};
struct LoadAndDeleteUnique : NoSetup {
  template <class A>
  static void per_g(benchmark::State& st, A& m, i64 i) {
    for (auto _ : st) benchmark::DoNotOptimize(m.load_and_delete(i++));
  }
};
struct LoadAndDeleteCollision : StoreZero {
  template <class A>
  static void per_g(benchmark::State& st, A& m, i64) {
    for (auto _ : st) benchmark::DoNotOptimize(m.load_and_delete(0));
  }
};
struct DeleteCollision : StoreZero {
  template <class A>
  static void per_g(benchmark::State& st, A& m, i64) {
    for (auto _ : st) m.erase(0);
  }
};

struct Fill1024 {
  template <class A>
  static void setup(A& m) {
    for (i64 i = 0; i < 1024; ++i) m.store(i, i);
  }
};
struct Range : Fill1024 {
  template <class A>
  static void per_g(benchmark::State& st, A& m, i64) {
    for (auto _ : st) m.range([](i64, i64) { return true; });
  }
};

// AdversarialAlloc: store a new value whenever the map would be promoted to
// clean, otherwise load a unique missing key.
struct AdversarialAlloc : NoSetup {
  template <class A>
  static void per_g(benchmark::State& st, A& m, i64 i) {
    i64 stores = 0, loads_since_store = 0;
    for (auto _ : st) {
      m.load(i);
      if (++loads_since_store > stores) {
        m.load_or_store(i, stores);
        loads_since_store = 0;
        ++stores;
      }
      ++i;
    }
  }
};

// AdversarialDelete: periodically delete one key and add a different one.
// Go deletes inside Range; here the first key is taken from Range and deleted
// after it (the same operations, and legal for maps whose range holds a lock).
struct AdversarialDelete : Fill1024 {
  template <class A>
  static void per_g(benchmark::State& st, A& m, i64 i) {
    for (auto _ : st) {
      m.load(i);
      if (i % 1024 == 0) {
        if (auto k = m.first_key()) m.erase(*k);
        m.store(i, i);
      }
      ++i;
    }
  }
};

// ---- Go 1.20's additions to sync/map_bench_test.go (Go 1.19 lacks them, so
// these rows compare the C++ maps only) ----

template <i64 Hits, i64 Misses>
struct PrimeHits {
  template <class A>
  static void setup(A& m) {
    for (i64 i = 0; i < Hits; ++i) m.load_or_store(i, i);
    for (i64 i = 0; i < Hits * 2; ++i) m.load(i % Hits);
  }
};

struct SwapCollision : StoreZero {
  template <class A>
  static void per_g(benchmark::State& st, A& m, i64) {
    for (auto _ : st) benchmark::DoNotOptimize(m.swap(0, 0));
  }
};
template <i64 Hits, i64 Misses>
struct SwapMostly : PrimeHits<Hits, Misses> {
  template <class A>
  static void per_g(benchmark::State& st, A& m, i64 i) {
    for (auto _ : st) {
      if (i % (Hits + Misses) < Hits) {
        const i64 v = i % (Hits + Misses);
        m.swap(v, v);
      } else {
        m.swap(i, i);
        m.erase(i);
      }
      ++i;
    }
  }
};
struct CompareAndSwapCollision : StoreZero {
  template <class A>
  static void per_g(benchmark::State& st, A& m, i64) {
    for (auto _ : st) {
      if (m.compare_and_swap(0, 0, 42)) m.compare_and_swap(0, 42, 0);
    }
  }
};
struct CompareAndSwapNoExistingKey : NoSetup {
  template <class A>
  static void per_g(benchmark::State& st, A& m, i64 i) {
    for (auto _ : st) {
      if (m.compare_and_swap(i, 0, 0)) m.erase(i);
      ++i;
    }
  }
};
struct CompareAndSwapValueNotEqual {
  template <class A>
  static void setup(A& m) {
    m.store(0, 0);
  }
  template <class A>
  static void per_g(benchmark::State& st, A& m, i64) {
    for (auto _ : st) benchmark::DoNotOptimize(m.compare_and_swap(0, 1, 2));
  }
};
template <i64 Hits, i64 Misses>
struct CompareAndSwapMostly : PrimeHits<Hits, Misses> {
  template <class A>
  static void per_g(benchmark::State& st, A& m, i64 i) {
    for (auto _ : st) {
      const i64 v = i % (Hits + Misses) < Hits ? i % (Hits + Misses) : i;
      benchmark::DoNotOptimize(m.compare_and_swap(v, v, v));
      ++i;
    }
  }
};
struct CompareAndDeleteCollision : StoreZero {
  template <class A>
  static void per_g(benchmark::State& st, A& m, i64) {
    for (auto _ : st) {
      if (m.compare_and_delete(0, 0)) m.store(0, 0);
    }
  }
};
template <i64 Hits, i64 Misses>
struct CompareAndDeleteMostly : PrimeHits<Hits, Misses> {
  template <class A>
  static void per_g(benchmark::State& st, A& m, i64 i) {
    for (auto _ : st) {
      const i64 v = i % (Hits + Misses) < Hits ? i % (Hits + Misses) : i;
      if (m.compare_and_delete(v, v)) m.store(v, v);
      ++i;
    }
  }
};

// ---- mixed_R_W: R% loads, the rest stores, over 2^16 present keys ----

template <int ReadPct, bool Zipf>
struct Mixed {
  static const MixedStream& stream() {
    static const MixedStream s = make_mixed_stream(ReadPct, Zipf);
    return s;
  }
  template <class A>
  static void setup(A& m) {
    const auto& s = stream();
    SplitMix64 rng;  // the same 2^16 keys the stream draws from
    for (std::size_t j = 0; j < mixed_keys; ++j) {
      const auto k = static_cast<i64>(rng.next());
      m.store(k, k);
    }
    (void)s;
  }
  template <class A>
  static void per_g(benchmark::State& st, A& m, i64 i) {
    const auto& s = stream();
    for (auto _ : st) {
      const std::size_t j = static_cast<std::size_t>(i) & (stream_len - 1);
      if (s.write[j]) {
        m.store(s.key[j], i);
      } else {
        benchmark::DoNotOptimize(m.load(s.key[j]));
      }
      ++i;
    }
  }
};

// bytes_per_entry: heap bytes live after storing 2^16 keys from one thread.
template <class A>
void bm_bytes_per_entry(benchmark::State& st, std::size_t n) {
  double per_entry = 0;
  for (auto _ : st) {
    const std::int64_t before = live_bytes();
    {
      auto m = std::make_unique<A>();
      SplitMix64 rng;
      for (std::size_t j = 0; j < n; ++j) {
        const auto k = static_cast<i64>(rng.next());
        m->store(k, k);
      }
      per_entry = static_cast<double>(live_bytes() - before) / static_cast<double>(n);
    }
  }
  st.counters["bytes_per_entry"] = per_entry;
  st.SetItemsProcessed(st.iterations() * static_cast<std::int64_t>(n));
}

inline std::vector<int> thread_counts() {
  const int all = std::max(2, static_cast<int>(std::thread::hardware_concurrency()));
  return {1, all};
}

template <class W>
inline constexpr std::type_identity<W> as{};  // names a workload type as an argument

// count_memory: false for maps whose memory bypasses operator new (TBB's
// scalable allocator).
template <class A>
void register_concurrent(const std::string& impl, bool count_memory = true) {
  auto reg = [&]<class W>(const std::string& workload, std::size_t n, std::type_identity<W>) {
    auto* b = benchmark::RegisterBenchmark(
        (workload + "/" + impl + "/" + std::to_string(n)).c_str(), run<A, W>);
    b->Setup(setup<A, W>)->Teardown(teardown<A, W>)->UseRealTime();
    for (int t : thread_counts()) b->Threads(t);
  };
  reg("LoadMostlyHits", 1023, as<LoadMostlyHits>);
  reg("LoadMostlyMisses", 1, as<LoadMostlyMisses>);
  reg("LoadOrStoreBalanced", 128, as<LoadOrStoreBalanced>);
  reg("LoadOrStoreUnique", 0, as<LoadOrStoreUnique>);
  reg("LoadOrStoreCollision", 1, as<LoadOrStoreCollision>);
  reg("LoadAndDeleteBalanced", 128, as<LoadAndDeleteBalanced>);
  reg("LoadAndDeleteUnique", 0, as<LoadAndDeleteUnique>);
  reg("LoadAndDeleteCollision", 1, as<LoadAndDeleteCollision>);
  reg("DeleteCollision", 1, as<DeleteCollision>);
  reg("Range", 1024, as<Range>);
  reg("AdversarialAlloc", 0, as<AdversarialAlloc>);
  if constexpr (A::range_with_writers) reg("AdversarialDelete", 1024, as<AdversarialDelete>);
  reg("SwapCollision", 1, as<SwapCollision>);
  reg("SwapMostlyHits", 1023, as<SwapMostly<1023, 1>>);
  reg("SwapMostlyMisses", 1, as<SwapMostly<1, 1023>>);
  reg("CompareAndSwapCollision", 1, as<CompareAndSwapCollision>);
  reg("CompareAndSwapNoExistingKey", 0, as<CompareAndSwapNoExistingKey>);
  reg("CompareAndSwapValueNotEqual", 1, as<CompareAndSwapValueNotEqual>);
  reg("CompareAndSwapMostlyHits", 1023, as<CompareAndSwapMostly<1023, 1>>);
  reg("CompareAndSwapMostlyMisses", 1, as<CompareAndSwapMostly<1, 1023>>);
  reg("CompareAndDeleteCollision", 1, as<CompareAndDeleteCollision>);
  reg("CompareAndDeleteMostlyHits", 1023, as<CompareAndDeleteMostly<1023, 1>>);
  reg("CompareAndDeleteMostlyMisses", 1, as<CompareAndDeleteMostly<1, 1023>>);
  reg("mixed_50_50", mixed_keys, as<Mixed<50, false>>);
  reg("mixed_90_10", mixed_keys, as<Mixed<90, false>>);
  reg("mixed_99_1", mixed_keys, as<Mixed<99, false>>);
  reg("mixed_90_10_zipf", mixed_keys, as<Mixed<90, true>>);
  if (count_memory) {
    // The mixed workloads' 2^16 keys, and 2^20 (the size the single-threaded memory row uses).
    for (std::size_t n : {mixed_keys, std::size_t{1} << 20}) {
      benchmark::RegisterBenchmark(
          ("conc_bytes_per_entry/" + impl + "/" + std::to_string(n)).c_str(),
          [n](benchmark::State& st) { bm_bytes_per_entry<A>(st, n); })
          ->Iterations(1)
          ->UseRealTime();
    }
  }
}

}  // namespace gomap_bench::conc
