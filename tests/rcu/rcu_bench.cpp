// Read-side cost of the reclamation guard (gomap::rcu_reader) against std::shared_mutex,
// one "read section" = enter, load a shared pointer, read through it, leave.
//   cmake --preset release -B build/sync-release
//   cmake --build build/sync-release --target rcu_bench &&
//   build/sync-release/tests/sync_map/rcu_bench
#include <gomap/rcu.hpp>

#include <benchmark/benchmark.h>

#include <atomic>
#include <mutex>
#include <shared_mutex>

namespace {

struct Payload {
  long value = 42;
};

Payload payload;
std::atomic<Payload*> shared{&payload};
std::shared_mutex rw;

// No protection at all: the floor.
void BM_Unprotected(benchmark::State& state) {
  for (auto _ : state) {
    benchmark::DoNotOptimize(shared.load(std::memory_order_acquire)->value);
  }
}

void BM_RcuReader(benchmark::State& state) {
  for (auto _ : state) {
    gomap::rcu_reader guard;
    benchmark::DoNotOptimize(shared.load(std::memory_order_acquire)->value);
  }
}

// A nested section (as SyncMap::range -> callback -> load does) costs only the counter.
void BM_RcuReaderNested(benchmark::State& state) {
  gomap::rcu_reader outer;
  for (auto _ : state) {
    gomap::rcu_reader guard;
    benchmark::DoNotOptimize(shared.load(std::memory_order_acquire)->value);
  }
}

void BM_SharedMutex(benchmark::State& state) {
  for (auto _ : state) {
    std::shared_lock lk(rw);
    benchmark::DoNotOptimize(shared.load(std::memory_order_acquire)->value);
  }
}

// Readers while one extra thread keeps retiring (writers move the epoch).
void BM_RcuReaderWithRetirer(benchmark::State& state) {
  if (state.thread_index() == 0) {
    for (auto _ : state) {
      auto* p = new Payload;
      gomap::rcu_retire(p);
    }
  } else {
    for (auto _ : state) {
      gomap::rcu_reader guard;
      benchmark::DoNotOptimize(shared.load(std::memory_order_acquire)->value);
    }
  }
}

void BM_SharedMutexWithWriter(benchmark::State& state) {
  if (state.thread_index() == 0) {
    for (auto _ : state) {
      std::unique_lock lk(rw);
      benchmark::DoNotOptimize(shared.load(std::memory_order_relaxed)->value);
    }
  } else {
    for (auto _ : state) {
      std::shared_lock lk(rw);
      benchmark::DoNotOptimize(shared.load(std::memory_order_acquire)->value);
    }
  }
}

BENCHMARK(BM_Unprotected)->ThreadRange(1, 2)->UseRealTime();
BENCHMARK(BM_RcuReader)->ThreadRange(1, 2)->UseRealTime();
BENCHMARK(BM_RcuReaderNested)->ThreadRange(1, 2)->UseRealTime();
BENCHMARK(BM_SharedMutex)->ThreadRange(1, 2)->UseRealTime();
BENCHMARK(BM_RcuReaderWithRetirer)->Threads(2)->UseRealTime();
BENCHMARK(BM_SharedMutexWithWriter)->Threads(2)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
