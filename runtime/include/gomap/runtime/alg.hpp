// Go's hashing algorithms and random source (runtime/alg.go, hash64.go,
// rand.go), internal to gomap: the process-wide keys (alginit), memhash
// (wyhash-based, or aeshash where the CPU has AES-NI), the float and string
// hashes, and the per-thread fastrand stream.  Users hash through
// gomap::hash<T> (<gomap/hash.hpp>), which is built on these.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

#include "gomap/runtime/platform.hpp"

namespace gomap::runtime {

// Process-wide hashing state (Go: hashkey, aeskeysched, useAeshash).
struct alg_state {
  bool use_aes;
  std::uint64_t hashkey[4];
  alignas(16) std::uint8_t aeskeysched[16 * 4];
};

alg_state make_alg_state() noexcept;  // alginit

inline const alg_state& alg() noexcept {
  static const alg_state state = make_alg_state();
  return state;
}

inline constexpr std::uint64_t m1 = 0xa0761d6478bd642full;
inline constexpr std::uint64_t m2 = 0xe7037ed1a0b428dbull;
inline constexpr std::uint64_t m3 = 0x8ebc6af09c88c6e3ull;
inline constexpr std::uint64_t m4 = 0x589965cc75374cc3ull;
inline constexpr std::uint64_t m5 = 0x1d8e4e27c47d124full;

// Every random draw of gomap comes from fastrand (<gomap/seed.hpp>): a
// per-thread wyrand stream derived from the process seed and the thread's
// ordinal.  The process seed's generation (seed_epoch) changes when
// set_seed() is called; a thread whose stream belongs to an older generation
// re-derives it on its next draw.  constinit: plain TLS accesses, no guard
// (every map and every iterator draws from it).
inline constinit std::atomic<std::uint32_t> seed_epoch{1};
inline constinit thread_local std::uint32_t t_fastrand_epoch = 0;
inline constinit thread_local std::uint64_t t_fastrand_state = 0;
// Derives the calling thread's stream for the current generation (seed.cpp).
std::uint64_t fastrand_thread_seed() noexcept;
// The process seed, drawn from the OS or GOMAP_SEED at first use.
std::uint64_t process_seed() noexcept;
// n bytes derived from the process seed, for one purpose (`domain`).
void seed_bytes(void* buf, std::size_t n, std::uint64_t domain) noexcept;
// The seed for a fatal report, without locking; false before any is known.
bool seed_for_report(std::uint64_t& seed) noexcept;

// fastrand (Go's cheaprand): the next draw of this thread's stream.
inline std::uint64_t fastrand64() noexcept {
  std::uint64_t s = t_fastrand_state;
  if (t_fastrand_epoch != seed_epoch.load(std::memory_order_relaxed)) [[unlikely]]
    s = fastrand_thread_seed();
  s += m1;
  t_fastrand_state = s;
  return mix(s, s ^ m2);
}
inline std::uint32_t fastrand() noexcept {
  return static_cast<std::uint32_t>(fastrand64());
}

// memhashFallback (hash64.go).
inline std::uint64_t memhash_fallback(const void* ptr, std::uint64_t seed, std::size_t s,
                                      const alg_state& a) noexcept {
  const auto* p = static_cast<const std::uint8_t*>(ptr);
  std::uint64_t x = 0, y = 0;
  seed ^= a.hashkey[0] ^ m1;
  if (s == 0) return seed;
  if (s < 4) {
    x = p[0];
    x |= static_cast<std::uint64_t>(p[s >> 1]) << 8;
    x |= static_cast<std::uint64_t>(p[s - 1]) << 16;
  } else if (s == 4) {
    x = read32(p);
    y = x;
  } else if (s < 8) {
    x = read32(p);
    y = read32(p + s - 4);
  } else if (s == 8) {
    x = read64(p);
    y = x;
  } else if (s <= 16) {
    x = read64(p);
    y = read64(p + s - 8);
  } else {
    std::size_t l = s;
    if (l > 48) {
      std::uint64_t seed1 = seed, seed2 = seed;
      for (; l > 48; l -= 48) {
        seed = mix(read64(p) ^ m2, read64(p + 8) ^ seed);
        seed1 = mix(read64(p + 16) ^ m3, read64(p + 24) ^ seed1);
        seed2 = mix(read64(p + 32) ^ m4, read64(p + 40) ^ seed2);
        p += 48;
      }
      seed ^= seed1 ^ seed2;
    }
    for (; l > 16; l -= 16) {
      seed = mix(read64(p) ^ m2, read64(p + 8) ^ seed);
      p += 16;
    }
    x = read64(p + l - 16);
    y = read64(p + l - 8);
  }
  return mix(m5 ^ s, mix(x ^ m2, y ^ seed));
}

// memhash32Fallback / memhash64Fallback.
inline std::uint64_t memhash32_fallback(std::uint32_t v, std::uint64_t seed,
                                        const alg_state& a) noexcept {
  const std::uint64_t x = v;
  return mix(m5 ^ 4, mix(x ^ m2, x ^ seed ^ a.hashkey[0] ^ m1));
}
inline std::uint64_t memhash64_fallback(std::uint64_t v, std::uint64_t seed,
                                        const alg_state& a) noexcept {
  return mix(m5 ^ 8, mix(v ^ m2, v ^ seed ^ a.hashkey[0] ^ m1));
}

// aeshash (asm_amd64.s in Go): out of line, compiled for AES-NI, called only
// when alg().use_aes.
std::uint64_t aeshash(const void* p, std::uint64_t seed, std::size_t s) noexcept;

// memhash: Go's entry point for hashing s bytes at p.
inline std::uint64_t memhash(const void* p, std::uint64_t seed, std::size_t s) noexcept {
  const alg_state& a = alg();
  if (a.use_aes) return aeshash(p, seed, s);
  return memhash_fallback(p, seed, s, a);
}
// Fixed-size scalars (Go's memhash32/memhash64, used for integer, pointer
// and enum keys) always take the wyhash mix, inlined into the probe loop:
// about twice as fast as a call out to the AES path (which must live in a
// separately compiled function), and what Go itself runs without AES-NI.
// Go folds a per-process random key into the seed (seed ^ hashkey[0] ^ m1);
// every gomap map already has its own random seed (hash0), so the scalar
// path reads no global state: it is memhash64Fallback with hashkey[0] = m1,
// which leaves the seed as it is (one xor less on every lookup's critical
// path: lookups at 1024 keys 0.95x in an A/B, docs/swiss_map.md).
inline std::uint64_t memhash32(std::uint32_t v, std::uint64_t seed) noexcept {
  const std::uint64_t x = v;
  return mix(m5 ^ 4, mix(x ^ m2, x ^ seed));
}
inline std::uint64_t memhash64(std::uint64_t v, std::uint64_t seed) noexcept {
  return mix(m5 ^ 8, mix(v ^ m2, v ^ seed));
}

inline constexpr std::uint64_t c0 = 33054211828000289ull;  // alg.go, 64-bit
inline constexpr std::uint64_t c1 = 23344194077549503ull;

// f32hash / f64hash.
inline std::uint64_t f32hash(float f, std::uint64_t h) noexcept {
  if (f == 0) return c1 * (c0 ^ h);               // +0, -0
  if (f != f) return c1 * (c0 ^ h ^ fastrand());  // any kind of NaN
  std::uint32_t bits;
  std::memcpy(&bits, &f, 4);
  return memhash(&bits, h, 4);
}
inline std::uint64_t f64hash(double f, std::uint64_t h) noexcept {
  if (f == 0) return c1 * (c0 ^ h);
  if (f != f) return c1 * (c0 ^ h ^ fastrand());
  return memhash(&f, h, 8);
}

// strhash.
inline std::uint64_t strhash(std::string_view s, std::uint64_t h) noexcept {
  return memhash(s.data(), h, s.size());
}

}  // namespace gomap::runtime
