// The single-threaded workloads of docs/bench.md, written once as templates
// over an adapter so every implementation runs exactly the same code.
//
// An adapter A provides, for key K and value V:
//   A::template map_t<K, V>        the map type
//   A::template make<K, V>(hint)   a fresh map; hint 0 means "no hint" (Go: make(map[K]V))
//   A::set(m, k, v)                m[k] = v
//   A::find(m, k)                  pointer to the value or nullptr
//   A::erase(m, k)                 delete(m, k)
//   A::for_each(m, f)              for k, v := range m { f(k, v) }
//   A::clear(m)                    clear(m)
//
// Benchmark names are "<workload>/<impl>/<n>"; every benchmark reports items
// (operations), so ns per operation = 1e9 / items_per_second, in CPU time of
// the benchmark thread (wall time: that times real_time / cpu_time).  The
// insert workloads also report the thread's minor page faults per operation
// (counter flt_per_op).  tools/bench/merge.py relies on all of these.
#pragma once

#include <benchmark/benchmark.h>
#include <sys/resource.h>

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "keys.hpp"

namespace gomap_bench {

using BigKey = std::array<std::int64_t, 3>;  // Go: type BigKey [3]int64
using BigVal = std::array<std::int64_t, 3>;

struct Keys {
  KeySet ks;
  MixedOps mixed;
};

// One fresh stream per size: make_keys, then the mixed op stream (keys.go: newKeys).
inline const Keys& keys(std::size_t n) {
  static std::map<std::size_t, Keys> cache;
  auto it = cache.find(n);
  if (it == cache.end()) {
    SplitMix64 rng;
    Keys k;
    k.ks = make_keys(n, rng);
    k.mixed = make_mixed_ops(n, rng);
    it = cache.emplace(n, std::move(k)).first;
  }
  return it->second;
}

struct StrKeys {
  std::vector<std::string> present, order;
};
inline const StrKeys& str_keys(std::size_t n, int width) {
  static std::map<std::pair<std::size_t, int>, StrKeys> cache;
  auto it = cache.find({n, width});
  if (it == cache.end()) {
    const auto& k = keys(n).ks;
    it =
        cache
            .emplace(std::pair{n, width}, StrKeys{to_hex(k.present, width), to_hex(k.order, width)})
            .first;
  }
  return it->second;
}

inline constexpr std::size_t n16 = std::size_t{1} << 16;
inline constexpr std::size_t n17 = std::size_t{1} << 17;
inline constexpr std::size_t n20 = std::size_t{1} << 20;

inline void set_items(benchmark::State& st, std::size_t per_iteration) {
  st.SetItemsProcessed(st.iterations() * static_cast<std::int64_t>(per_iteration));
}

// Minor page faults of the calling thread so far: a fresh map's large arrays
// come from mmap and go back on destruction, so each round faults them in again.
inline long minor_faults() {
  rusage ru{};
  getrusage(RUSAGE_THREAD, &ru);
  return ru.ru_minflt;
}

// insert / insert_hint: fresh map (destroyed inside the timed region, as Go's
// garbage collector runs inside Go's), N distinct keys in generation order.
template <class A>
void bm_insert(benchmark::State& st, std::size_t n, bool hint) {
  const auto& k = keys(n).ks.present;
  const long faults = minor_faults();
  for (auto _ : st) {
    auto m = A::template make<std::uint64_t, std::uint64_t>(hint ? n : 0);
    for (std::size_t i = 0; i < n; ++i) A::set(m, k[i], std::uint64_t{i});
    benchmark::DoNotOptimize(m);
  }
  st.counters["flt_per_op"] = static_cast<double>(minor_faults() - faults) /
                              (static_cast<double>(st.iterations()) * static_cast<double>(n));
  set_items(st, n);
}

template <class A, class K>
auto filled(const std::vector<K>& present) {
  auto m = A::template make<K, std::uint64_t>(0);
  for (std::size_t i = 0; i < present.size(); ++i) A::set(m, present[i], std::uint64_t{i});
  return m;
}

// The read-only workloads share one filled map per key set: Google Benchmark
// calls a benchmark several times while it sizes the iteration count, and
// lookup_hit, lookup_miss and iterate of one size follow each other, so
// keeping the last map saves rebuilding a 2^20-entry map for each call.
template <class A, class K>
auto& filled_shared(const std::vector<K>& present) {
  using map_type = decltype(filled<A>(present));
  static const void* cached_for = nullptr;
  static std::optional<map_type> cached;
  if (cached_for != &present) {
    cached.reset();
    cached.emplace(filled<A>(present));
    cached_for = &present;
  }
  return *cached;
}

// lookup_hit / lookup_miss / strNN_lookup_hit: one pass over the probe list per iteration.
template <class A, class K>
void lookup_pass(benchmark::State& st, const std::vector<K>& present,
                 const std::vector<K>& probes) {
  auto& m = filled_shared<A>(present);
  for (auto _ : st) {
    std::uint64_t sum = 0;
    for (const auto& key : probes) {
      if (auto* v = A::find(m, key)) sum += *v;
    }
    benchmark::DoNotOptimize(sum);
  }
  set_items(st, probes.size());
}

template <class A>
void bm_lookup_hit(benchmark::State& st, std::size_t n) {
  lookup_pass<A>(st, keys(n).ks.present, keys(n).ks.order);
}
template <class A>
void bm_lookup_miss(benchmark::State& st, std::size_t n) {
  lookup_pass<A>(st, keys(n).ks.present, keys(n).ks.absent);
}
template <class A>
void bm_str_lookup_hit(benchmark::State& st, std::size_t n, int width) {
  const auto& s = str_keys(n, width);
  lookup_pass<A>(st, s.present, s.order);
}

// str16_insert: insert into a fresh map, keys of 16 hex digits (std::string:
// each insert copies the key, and the handle checks whether the operand lives
// in the map, which a map of many tables must answer without visiting each).
template <class A>
void bm_str_insert(benchmark::State& st, std::size_t n, int width) {
  const auto& s = str_keys(n, width);
  for (auto _ : st) {
    auto m = A::template make<std::string, std::uint64_t>(0);
    for (std::size_t i = 0; i < n; ++i) A::set(m, s.present[i], std::uint64_t{i});
    benchmark::DoNotOptimize(m);
  }
  set_items(st, n);
}

// The ring of 2N keys (present then absent) that churn and mixed walk: the
// live window is ring[lo, hi), erases take the oldest key, inserts the next.
inline std::vector<std::uint64_t> ring(std::size_t n) {
  std::vector<std::uint64_t> r = keys(n).ks.present;
  const auto& a = keys(n).ks.absent;
  r.insert(r.end(), a.begin(), a.end());
  return r;
}

// churn: steady state at N; one erase plus one insert per op.
template <class A>
void bm_churn(benchmark::State& st, std::size_t n) {
  const auto r = ring(n);
  const std::size_t mask = 2 * n - 1;
  auto m = filled<A>(keys(n).ks.present);
  std::size_t lo = 0, hi = n;
  for (auto _ : st) {
    for (std::size_t i = 0; i < n; ++i) {
      A::erase(m, r[lo++ & mask]);
      A::set(m, r[hi++ & mask], std::uint64_t{i});
    }
  }
  set_items(st, n);
}

// mixed_80_10_10: 80% hit lookups (uniform over the older half of the live
// window), 10% inserts, 10% erases.
template <class A>
void bm_mixed(benchmark::State& st, std::size_t n) {
  const auto r = ring(n);
  const auto& ops = keys(n).mixed;
  const std::size_t mask = 2 * n - 1, half = n / 2 - 1;
  auto m = filled<A>(keys(n).ks.present);
  std::size_t lo = 0, hi = n;
  for (auto _ : st) {
    std::uint64_t sum = 0;
    for (std::size_t i = 0; i < n; ++i) {
      switch (ops.op[i]) {
        case Op::lookup:
          if (auto* v = A::find(m, r[(lo + (ops.arg[i] & half)) & mask])) sum += *v;
          break;
        case Op::insert:
          A::set(m, r[hi++ & mask], std::uint64_t{i});
          break;
        case Op::erase:
          A::erase(m, r[lo++ & mask]);
          break;
      }
    }
    benchmark::DoNotOptimize(sum);
  }
  set_items(st, n);
}

// iterate: one full range loop; ns per element.
template <class A>
void bm_iterate(benchmark::State& st, std::size_t n) {
  auto& m = filled_shared<A>(keys(n).ks.present);
  for (auto _ : st) {
    std::uint64_t sum = 0;
    A::for_each(m, [&](const std::uint64_t&, const std::uint64_t& v) { sum += v; });
    benchmark::DoNotOptimize(sum);
  }
  set_items(st, n);
}

// clear_reuse: the map is kept; each iteration clears it and fills it again.
template <class A>
void bm_clear_reuse(benchmark::State& st, std::size_t n) {
  const auto& k = keys(n).ks.present;
  auto m = filled<A>(k);
  for (auto _ : st) {
    A::clear(m);
    for (std::size_t i = 0; i < n; ++i) A::set(m, k[i], std::uint64_t{i});
    benchmark::DoNotOptimize(m);
  }
  set_items(st, n);
}

// bytes_per_entry: heap bytes live after inserting N keys into an unhinted
// map, counted by alloc_count.cpp (the key vectors are built before).
template <class A>
void bm_bytes_per_entry(benchmark::State& st, std::size_t n) {
  const auto& k = keys(n).ks.present;
  double per_entry = 0;
  for (auto _ : st) {
    const std::int64_t before = live_bytes();
    {
      auto m = filled<A>(k);
      per_entry = static_cast<double>(live_bytes() - before) / static_cast<double>(n);
      benchmark::DoNotOptimize(m);
    }
  }
  st.counters["bytes_per_entry"] = per_entry;
  set_items(st, n);
}

// ---- ports of Go's runtime/map_benchmark_test.go (one map access per op) ----

template <class A, class K, class V>
void lookup_one(benchmark::State& st, const std::vector<std::pair<K, V>>& entries, const K& probe) {
  auto m = A::template make<K, V>(0);
  for (const auto& [k, v] : entries) A::set(m, k, v);
  for (auto _ : st) {
    auto* p = A::find(m, probe);
    benchmark::DoNotOptimize(p);
  }
  set_items(st, 1);
}

// MegMap: seven 1 MiB+1 keys, an absent 1 MiB probe (Go's fmt.Sprint of a rune
// is its number, so the suffixes are "65".."71").
template <class A>
void bm_meg_map(benchmark::State& st) {
  std::vector<std::pair<std::string, bool>> e;
  for (int suffix = 'A'; suffix <= 'G'; ++suffix)
    e.emplace_back(std::string((1 << 20) - 1, 'X') + std::to_string(suffix), true);
  lookup_one<A>(st, e, std::string((1 << 20) - 1, 'X') + "k");
}
template <class A>
void bm_meg_one_map(benchmark::State& st) {
  lookup_one<A>(st, std::vector<std::pair<std::string, bool>>{{std::string(1 << 20, 'X'), true}},
                std::string(1 << 20, 'Y'));
}
template <class A>
void bm_meg_eq_map(benchmark::State& st) {
  lookup_one<A>(st, std::vector<std::pair<std::string, bool>>{{std::string(1 << 20, 'X'), true}},
                std::string(1 << 20, 'X'));
}
template <class A>
void bm_meg_empty_map(benchmark::State& st) {
  lookup_one<A>(st, std::vector<std::pair<std::string, bool>>{}, std::string(1 << 20, 'X'));
}
template <class A>
void bm_small_str_map(benchmark::State& st) {
  std::vector<std::pair<std::string, bool>> e;
  for (int suffix = 'A'; suffix <= 'G'; ++suffix) e.emplace_back(std::to_string(suffix), true);
  lookup_one<A>(st, e, std::string("k"));
}
template <class A>
void bm_string_keys_eight(benchmark::State& st, std::size_t key_size) {
  std::vector<std::pair<std::string, bool>> e;
  for (std::size_t i = 0; i < 8; ++i) e.emplace_back(std::string(i + 1, 'K'), true);
  lookup_one<A>(st, e, std::string(key_size, 'K'));
}
template <class A>
void bm_same_length_map(benchmark::State& st) {
  const std::string s1 = "foo" + std::string(100, '-') + "bar";
  const std::string s2 = "goo" + std::string(100, '-') + "ber";
  lookup_one<A>(st, std::vector<std::pair<std::string, bool>>{{s1, true}, {s2, true}}, s1);
}
template <class A>
void bm_big_key_map(benchmark::State& st) {
  lookup_one<A>(st, std::vector<std::pair<BigKey, bool>>{{BigKey{3, 4, 5}, true}}, BigKey{3, 4, 5});
}
template <class A>
void bm_big_val_map(benchmark::State& st) {
  lookup_one<A>(st, std::vector<std::pair<BigKey, BigVal>>{{BigKey{3, 4, 5}, BigVal{6, 7, 8}}},
                BigKey{3, 4, 5});
}
template <class A>
void bm_small_key_map(benchmark::State& st) {
  lookup_one<A>(st, std::vector<std::pair<std::int16_t, bool>>{{std::int16_t{5}, true}},
                std::int16_t{5});
}
template <class A>
void bm_new_empty_map(benchmark::State& st) {
  for (auto _ : st) {
    auto m = A::template make<std::int64_t, std::int64_t>(0);
    benchmark::DoNotOptimize(m);
  }
  set_items(st, 1);
}
template <class A>
void bm_new_small_map(benchmark::State& st) {
  for (auto _ : st) {
    auto m = A::template make<std::int64_t, std::int64_t>(0);
    A::set(m, std::int64_t{0}, std::int64_t{0});
    A::set(m, std::int64_t{1}, std::int64_t{1});
    benchmark::DoNotOptimize(m);
  }
  set_items(st, 1);
}
template <class A>
void iter_small(benchmark::State& st, int entries) {
  auto m = A::template make<std::int64_t, bool>(0);
  for (std::int64_t i = 0; i < entries; ++i) A::set(m, i, true);
  for (auto _ : st) {
    int count = 0;
    A::for_each(m, [&](const std::int64_t&, const bool&) { ++count; });
    benchmark::DoNotOptimize(count);
  }
  set_items(st, 1);
}

template <class A>
void register_single(const std::string& impl) {
  auto reg = [&](const std::string& workload, std::size_t n, auto fn) {
    // CPU time of the thread, not wall time: the machines are shared, and
    // Go's side measures its process CPU time the same way (go/map_test.go).
    return benchmark::RegisterBenchmark((workload + "/" + impl + "/" + std::to_string(n)).c_str(),
                                        fn);
  };
  for (std::size_t n : {std::size_t{1} << 10, std::size_t{1} << 20}) {
    reg("insert", n, [n](benchmark::State& st) { bm_insert<A>(st, n, false); });
    reg("insert_hint", n, [n](benchmark::State& st) { bm_insert<A>(st, n, true); });
    reg("lookup_hit", n, [n](benchmark::State& st) { bm_lookup_hit<A>(st, n); });
    reg("lookup_miss", n, [n](benchmark::State& st) { bm_lookup_miss<A>(st, n); });
    reg("iterate", n, [n](benchmark::State& st) { bm_iterate<A>(st, n); });
  }
  reg("churn", n16, [](benchmark::State& st) { bm_churn<A>(st, n16); });
  reg("str16_lookup_hit", n16, [](benchmark::State& st) { bm_str_lookup_hit<A>(st, n16, 16); });
  reg("str64_lookup_hit", n16, [](benchmark::State& st) { bm_str_lookup_hit<A>(st, n16, 64); });
  reg("str16_insert", n17, [](benchmark::State& st) { bm_str_insert<A>(st, n17, 16); });
  reg("mixed_80_10_10", n16, [](benchmark::State& st) { bm_mixed<A>(st, n16); });
  reg("clear_reuse", n16, [](benchmark::State& st) { bm_clear_reuse<A>(st, n16); });
  reg("bytes_per_entry", n20, [](benchmark::State& st) {
    bm_bytes_per_entry<A>(st, n20);
  })->Iterations(1);

  reg("MegMap", 7, [](benchmark::State& st) { bm_meg_map<A>(st); });
  reg("MegOneMap", 1, [](benchmark::State& st) { bm_meg_one_map<A>(st); });
  reg("MegEqMap", 1, [](benchmark::State& st) { bm_meg_eq_map<A>(st); });
  reg("MegEmptyMap", 0, [](benchmark::State& st) { bm_meg_empty_map<A>(st); });
  reg("SmallStrMap", 7, [](benchmark::State& st) { bm_small_str_map<A>(st); });
  for (std::size_t ks : {std::size_t{16}, std::size_t{32}, std::size_t{64}, std::size_t{1} << 20}) {
    const std::string suffix = ks == (std::size_t{1} << 20) ? "1M" : std::to_string(ks);
    reg("MapStringKeysEight_" + suffix, 8,
        [ks](benchmark::State& st) { bm_string_keys_eight<A>(st, ks); });
  }
  reg("SameLengthMap", 2, [](benchmark::State& st) { bm_same_length_map<A>(st); });
  reg("BigKeyMap", 1, [](benchmark::State& st) { bm_big_key_map<A>(st); });
  reg("BigValMap", 1, [](benchmark::State& st) { bm_big_val_map<A>(st); });
  reg("SmallKeyMap", 1, [](benchmark::State& st) { bm_small_key_map<A>(st); });
  reg("NewEmptyMap", 0, [](benchmark::State& st) { bm_new_empty_map<A>(st); });
  reg("NewSmallMap", 2, [](benchmark::State& st) { bm_new_small_map<A>(st); });
  // The same loop: a C++ map is on the heap either way (Go's row of this
  // name makes its map escape, where Go's NewSmallMap keeps it on the stack).
  reg("NewSmallMapEscapes", 2, [](benchmark::State& st) { bm_new_small_map<A>(st); });
  reg("MapIter", 8, [](benchmark::State& st) { iter_small<A>(st, 8); });
  reg("MapIterEmpty", 0, [](benchmark::State& st) { iter_small<A>(st, 0); });
}

}  // namespace gomap_bench
