// detect_cost: what detection costs per map operation.  Built three times
// (GOMAP_DETECT=0, default, GOMAP_DETECT_STRICT=1) from this one file;
// compare the same benchmark across the three binaries.
#include <benchmark/benchmark.h>

#include <gomap/map.hpp>

#include <cstdint>

namespace {
constexpr std::uint64_t entries = 1 << 12;

gomap::Map<std::uint64_t, std::uint64_t> filled() {
  auto m = gomap::make<std::uint64_t, std::uint64_t>(static_cast<std::int64_t>(entries));
  for (std::uint64_t i = 0; i < entries; ++i) m[i] = i;
  return m;
}

void BM_GetHit(benchmark::State& state) {
  auto m = filled();
  std::uint64_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(m.get(i++ & (entries - 1)));
}
BENCHMARK(BM_GetHit);

void BM_Contains(benchmark::State& state) {
  auto m = filled();
  std::uint64_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(m.contains(i++ & (2 * entries - 1)));
}
BENCHMARK(BM_Contains);

void BM_SetExisting(benchmark::State& state) {
  auto m = filled();
  std::uint64_t i = 0;
  for (auto _ : state) {
    m.set(i & (entries - 1), i);
    ++i;
  }
}
BENCHMARK(BM_SetExisting);

void BM_InsertErase(benchmark::State& state) {
  auto m = filled();
  std::uint64_t i = 0;
  for (auto _ : state) {
    const std::uint64_t k = entries + (i++ & 1023);
    m.set(k, k);
    m.erase(k);
  }
}
BENCHMARK(BM_InsertErase);

void BM_Iterate4096(benchmark::State& state) {
  auto m = filled();
  for (auto _ : state) {
    std::uint64_t sum = 0;
    for (auto&& [k, v] : m) sum += v;
    benchmark::DoNotOptimize(sum);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(entries));
}
BENCHMARK(BM_Iterate4096);

}  // namespace

BENCHMARK_MAIN();
