// Go's sync/map_bench_test.go workloads on both sync.Map designs — gomap::SyncMap<int64, int64>
// and gomap::HashTrieMap<int64, int64> — to set beside
//   go test sync -run NONE -bench 'LoadMostly|LoadOrStore|Range|Adversarial|DeleteCollision' -cpu
//   1,2
// (Go's names: BenchmarkLoadMostlyHits/*sync.Map-2 is BM_LoadMostlyHits<SyncMap>/threads:2 here).
#include <gomap/hash_trie_map.hpp>
#include <gomap/sync_map.hpp>

#include <benchmark/benchmark.h>

#include <cstdint>
#include <memory>

namespace {

using SyncMap = gomap::SyncMap<std::int64_t, std::int64_t>;
using HashTrieMap = gomap::HashTrieMap<std::int64_t, std::int64_t>;
template <class Map>
std::unique_ptr<Map> m;

// Go's benchMap gives goroutine `id` the start value id*b.N; any disjoint start does here.
std::int64_t start(const benchmark::State& s) {
  return static_cast<std::int64_t>(s.thread_index()) << 40;
}

template <class Map>
void fresh(const benchmark::State&) {
  m<Map> = std::make_unique<Map>();
}
template <class Map>
void done(const benchmark::State&) {
  m<Map>.reset();
  gomap::rcu_barrier();
}

template <class Map, int Hits>
void setup_hits(const benchmark::State& s) {
  fresh<Map>(s);
  for (int i = 0; i < Hits; ++i) m<Map>->load_or_store(i, i);
  for (int i = 0; i < Hits * 2; ++i) m<Map>->load(i % Hits);  // prime to a steady state
}

template <class Map>
void BM_LoadMostlyHits(benchmark::State& state) {
  constexpr std::int64_t hits = 1023, misses = 1;
  std::int64_t i = start(state);
  for (auto _ : state) benchmark::DoNotOptimize(m<Map>->load(i++ % (hits + misses)));
}

template <class Map>
void BM_LoadMostlyMisses(benchmark::State& state) {
  constexpr std::int64_t hits = 1, misses = 1023;
  std::int64_t i = start(state);
  for (auto _ : state) benchmark::DoNotOptimize(m<Map>->load(i++ % (hits + misses)));
}

template <class Map>
void BM_LoadOrStoreBalanced(benchmark::State& state) {
  constexpr std::int64_t hits = 128, misses = 128;
  std::int64_t i = start(state);
  for (auto _ : state) {
    const std::int64_t j = i % (hits + misses);
    if (j < hits) {
      if (!m<Map>->load_or_store(j, i).second) state.SkipWithError("unexpected miss");
    } else {
      if (m<Map>->load_or_store(i, i).second) state.SkipWithError("failed to store");
    }
    ++i;
  }
}

template <class Map>
void BM_LoadOrStoreUnique(benchmark::State& state) {
  std::int64_t i = start(state);
  for (auto _ : state) {
    m<Map>->load_or_store(i, i);
    ++i;
  }
}

template <class Map>
void setup_zero(const benchmark::State& s) {
  fresh<Map>(s);
  m<Map>->load_or_store(0, 0);
}

template <class Map>
void BM_LoadOrStoreCollision(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(m<Map>->load_or_store(0, 0));
}

template <class Map>
void BM_DeleteCollision(benchmark::State& state) {
  for (auto _ : state) m<Map>->erase(0);
}

template <class Map>
void setup_1024(const benchmark::State& s) {
  fresh<Map>(s);
  for (int i = 0; i < 1024; ++i) m<Map>->store(i, i);
}

template <class Map>
void BM_Range(benchmark::State& state) {
  for (auto _ : state) {
    m<Map>->range([](const std::int64_t&, const std::int64_t&) { return true; });
  }
}

// Stores a new value whenever the map was promoted, otherwise loads a missing key: every
// load takes the mutex.
template <class Map>
void BM_AdversarialAlloc(benchmark::State& state) {
  std::int64_t i = start(state), stores = 0, loads_since_store = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(m<Map>->load(i));
    if (++loads_since_store > stores) {
      m<Map>->load_or_store(i, stores);
      loads_since_store = 0;
      ++stores;
    }
    ++i;
  }
}

// Periodically deletes one key and adds another in a large map.
template <class Map>
void BM_AdversarialDelete(benchmark::State& state) {
  std::int64_t i = start(state);
  for (auto _ : state) {
    benchmark::DoNotOptimize(m<Map>->load(i));
    if (i % 1024 == 0) {
      m<Map>->range([](const std::int64_t& k, const std::int64_t&) {
        m<Map>->erase(k);
        return false;
      });
      m<Map>->store(i, i);
    }
    ++i;
  }
}

// GO_BENCH(fn, setup[, template arguments after the map]) registers fn for both designs.
#define GO_BENCH_ONE(fn, Map, ...) \
  BENCHMARK_TEMPLATE(fn, Map)      \
      ->Setup(__VA_ARGS__)         \
      ->Teardown(done<Map>)        \
      ->ThreadRange(1, 2)          \
      ->UseRealTime()
#define GO_BENCH(fn, setup, ...)                         \
  GO_BENCH_ONE(fn, SyncMap, setup<SyncMap __VA_ARGS__>); \
  GO_BENCH_ONE(fn, HashTrieMap, setup<HashTrieMap __VA_ARGS__>)

GO_BENCH(BM_LoadMostlyHits, setup_hits, , 1023);
GO_BENCH(BM_LoadMostlyMisses, setup_hits, , 1);
GO_BENCH(BM_LoadOrStoreBalanced, setup_hits, , 128);
GO_BENCH(BM_LoadOrStoreUnique, fresh);
GO_BENCH(BM_LoadOrStoreCollision, setup_zero);
GO_BENCH(BM_Range, setup_1024);
GO_BENCH(BM_AdversarialAlloc, fresh);
GO_BENCH(BM_AdversarialDelete, setup_1024);
GO_BENCH(BM_DeleteCollision, setup_zero);

}  // namespace

BENCHMARK_MAIN();
