// Key generation shared by every C++ benchmark; tools/bench/go/keys.go is its
// line-for-line twin, so both sides hash exactly the same keys in the same order.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

namespace gomap_bench {

inline constexpr std::uint64_t seed = 0x9E3779B97F4A7C15ULL;

// splitmix64 (Steele, Lea, Flood): a bijection of its counter, so the first
// 2^64 outputs are distinct and no key set needs de-duplication.
struct SplitMix64 {
  std::uint64_t state = seed;
  std::uint64_t next() {
    std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
};

// Fisher–Yates driven by the caller's stream (the same one that drew the keys).
template <class T>
void shuffle(std::vector<T>& v, SplitMix64& rng) {
  for (std::size_t i = v.size(); i > 1; --i) {
    std::size_t j = static_cast<std::size_t>(rng.next() % i);
    std::swap(v[i - 1], v[j]);
  }
}

// Fixed-length lowercase hex, zero-padded (Go: fmt.Sprintf("%016x") / "%064x").
inline std::string hex_key(std::uint64_t k, int width) {
  char buf[80];
  std::snprintf(buf, sizeof buf, "%0*llx", width, static_cast<unsigned long long>(k));
  return std::string(buf, static_cast<std::size_t>(width));
}

// The key sets of one size n, drawn in this order from one fresh stream:
// n present keys, n absent keys, then the shuffled lookup order of the present
// keys, then (for the mixed workload) the op sequence.
struct KeySet {
  std::vector<std::uint64_t> present, absent, order;
};

inline KeySet make_keys(std::size_t n, SplitMix64& rng) {
  KeySet ks;
  ks.present.resize(n);
  ks.absent.resize(n);
  for (auto& k : ks.present) k = rng.next();
  for (auto& k : ks.absent) k = rng.next();
  ks.order = ks.present;
  shuffle(ks.order, rng);
  return ks;
}

inline std::vector<std::string> to_hex(const std::vector<std::uint64_t>& v, int width) {
  std::vector<std::string> out;
  out.reserve(v.size());
  for (auto k : v) out.push_back(hex_key(k, width));
  return out;
}

// mixed_80_10_10 op stream of one pass of n ops: exactly n/10 inserts and
// n/10 erases (so the map is back at n entries after every pass), shuffled;
// arg is a random 32-bit number choosing the looked-up key.
enum class Op : std::uint8_t { lookup, insert, erase };
struct MixedOps {
  std::vector<Op> op;
  std::vector<std::uint32_t> arg;
};

inline MixedOps make_mixed_ops(std::size_t n, SplitMix64& rng) {
  MixedOps m;
  m.op.assign(n, Op::lookup);
  for (std::size_t i = 0; i < n / 10; ++i) {
    m.op[i] = Op::insert;
    m.op[n / 10 + i] = Op::erase;
  }
  shuffle(m.op, rng);
  m.arg.resize(n);
  for (auto& a : m.arg) a = static_cast<std::uint32_t>(rng.next() >> 32);
  return m;
}

// Live heap bytes allocated by this thread through operator new (alloc_count.cpp).
std::int64_t live_bytes();

}  // namespace gomap_bench
