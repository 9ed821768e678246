// Go's sync/map_bench_test.go workloads on gomap::SyncMap<int64, int64>, to set beside
//   go test sync -run NONE -bench 'LoadMostly|LoadOrStore|Range|Adversarial|DeleteCollision' -cpu
//   1,2
// (Go's names: BenchmarkLoadMostlyHits/*sync.Map-2 is BM_LoadMostlyHits/threads:2 here).
#include <gomap/sync_map.hpp>

#include <benchmark/benchmark.h>

#include <cstdint>
#include <memory>

namespace {

using Map = gomap::SyncMap<std::int64_t, std::int64_t>;
std::unique_ptr<Map> m;

// Go's benchMap gives goroutine `id` the start value id*b.N; any disjoint start does here.
std::int64_t start(const benchmark::State& s) {
  return static_cast<std::int64_t>(s.thread_index()) << 40;
}

void fresh(const benchmark::State&) {
  m = std::make_unique<Map>();
}
void done(const benchmark::State&) {
  m.reset();
  gomap::rcu_barrier();
}

template <int Hits>
void setup_hits(const benchmark::State& s) {
  fresh(s);
  for (int i = 0; i < Hits; ++i) m->load_or_store(i, i);
  for (int i = 0; i < Hits * 2; ++i) m->load(i % Hits);  // prime to a steady state
}

void BM_LoadMostlyHits(benchmark::State& state) {
  constexpr std::int64_t hits = 1023, misses = 1;
  std::int64_t i = start(state);
  for (auto _ : state) benchmark::DoNotOptimize(m->load(i++ % (hits + misses)));
}

void BM_LoadMostlyMisses(benchmark::State& state) {
  constexpr std::int64_t hits = 1, misses = 1023;
  std::int64_t i = start(state);
  for (auto _ : state) benchmark::DoNotOptimize(m->load(i++ % (hits + misses)));
}

void BM_LoadOrStoreBalanced(benchmark::State& state) {
  constexpr std::int64_t hits = 128, misses = 128;
  std::int64_t i = start(state);
  for (auto _ : state) {
    const std::int64_t j = i % (hits + misses);
    if (j < hits) {
      if (!m->load_or_store(j, i).second) state.SkipWithError("unexpected miss");
    } else {
      if (m->load_or_store(i, i).second) state.SkipWithError("failed to store");
    }
    ++i;
  }
}

void BM_LoadOrStoreUnique(benchmark::State& state) {
  std::int64_t i = start(state);
  for (auto _ : state) {
    m->load_or_store(i, i);
    ++i;
  }
}

void setup_zero(const benchmark::State& s) {
  fresh(s);
  m->load_or_store(0, 0);
}

void BM_LoadOrStoreCollision(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(m->load_or_store(0, 0));
}

void BM_DeleteCollision(benchmark::State& state) {
  for (auto _ : state) m->erase(0);
}

void setup_1024(const benchmark::State& s) {
  fresh(s);
  for (int i = 0; i < 1024; ++i) m->store(i, i);
}

void BM_Range(benchmark::State& state) {
  for (auto _ : state) {
    m->range([](const std::int64_t&, const std::int64_t&) { return true; });
  }
}

// Stores a new value whenever the map was promoted, otherwise loads a missing key: every
// load takes the mutex.
void BM_AdversarialAlloc(benchmark::State& state) {
  std::int64_t i = start(state), stores = 0, loads_since_store = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(m->load(i));
    if (++loads_since_store > stores) {
      m->load_or_store(i, stores);
      loads_since_store = 0;
      ++stores;
    }
    ++i;
  }
}

// Periodically deletes one key and adds another in a large map.
void BM_AdversarialDelete(benchmark::State& state) {
  std::int64_t i = start(state);
  for (auto _ : state) {
    benchmark::DoNotOptimize(m->load(i));
    if (i % 1024 == 0) {
      m->range([](const std::int64_t& k, const std::int64_t&) {
        m->erase(k);
        return false;
      });
      m->store(i, i);
    }
    ++i;
  }
}

#define GO_BENCH(fn, setup) \
  BENCHMARK(fn)->Setup(setup)->Teardown(done)->ThreadRange(1, 2)->UseRealTime()

GO_BENCH(BM_LoadMostlyHits, setup_hits<1023>);
GO_BENCH(BM_LoadMostlyMisses, setup_hits<1>);
GO_BENCH(BM_LoadOrStoreBalanced, setup_hits<128>);
GO_BENCH(BM_LoadOrStoreUnique, fresh);
GO_BENCH(BM_LoadOrStoreCollision, setup_zero);
GO_BENCH(BM_Range, setup_1024);
GO_BENCH(BM_AdversarialAlloc, fresh);
GO_BENCH(BM_AdversarialDelete, setup_1024);
GO_BENCH(BM_DeleteCollision, setup_zero);

}  // namespace

BENCHMARK_MAIN();
