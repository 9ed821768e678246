// Process-wide hashing state and the AES-NI hash (Go: alginit, aeshash*).
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <thread>

#include "gomap/hash.hpp"

#if GOMAP_X86_64
#include <cpuid.h>
#include <immintrin.h>
#endif

namespace gomap::runtime {

bool cpu_has_aes() noexcept {
#if GOMAP_X86_64
  unsigned a = 0, b = 0, c = 0, d = 0;
  if (!__get_cpuid(1, &a, &b, &c, &d)) return false;
  const bool aes = (c >> 25) & 1u, ssse3 = (c >> 9) & 1u, sse41 = (c >> 19) & 1u;
  return aes && ssse3 && sse41;
#else
  return false;
#endif
}

// alginit.  GOMAP_HASH=memhash forces the portable hash (for testing both).
alg_state make_alg_state() noexcept {
  alg_state s{};
  const char* force = std::getenv("GOMAP_HASH");
  s.use_aes = cpu_has_aes() && !(force && std::strcmp(force, "memhash") == 0);
  // Go draws the keys from the OS; gomap derives them from the process seed
  // (random by default, <gomap/seed.hpp>), so a fixed seed replays hashes.
  seed_bytes(s.hashkey, sizeof s.hashkey, 0x68617368u /* "hash" */);
  for (auto& k : s.hashkey) k |= 1;  // make sure these numbers are odd
  seed_bytes(s.aeskeysched, sizeof s.aeskeysched, 0x61657321u /* "aes!" */);
  return s;
}

#if GOMAP_X86_64
namespace {

#define GOMAP_AES_TARGET __attribute__((target("aes,ssse3,sse4.1")))

GOMAP_AES_TARGET inline __m128i enc(__m128i x, __m128i k) noexcept {
  return _mm_aesenc_si128(x, k);
}

GOMAP_AES_TARGET inline __m128i load16(const std::uint8_t* p) noexcept {
  return _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
}

// Up to 16 bytes without reading past the end: overlapping 8- or 4-byte
// reads (the length is mixed into the seed, so overlaps cannot collide).
GOMAP_AES_TARGET inline __m128i load_upto16(const std::uint8_t* p, std::size_t s) noexcept {
  if (s >= 8)
    return _mm_set_epi64x(static_cast<long long>(read64(p + s - 8)),
                          static_cast<long long>(read64(p)));
  if (s >= 4)
    return _mm_set_epi64x(static_cast<long long>(read32(p + s - 4)),
                          static_cast<long long>(read32(p)));
  if (s > 0) {
    const std::uint64_t v = p[0] | static_cast<std::uint64_t>(p[s >> 1]) << 8 |
                            static_cast<std::uint64_t>(p[s - 1]) << 16;
    return _mm_set_epi64x(0, static_cast<long long>(v));
  }
  return _mm_setzero_si128();
}

}  // namespace

// aeshashbody: the seed block carries the length in its upper half (Go's
// PINSRW/PSHUFHW); blocks of 16 bytes run in up to four independent lanes,
// the last block of each range overlapping the end of the data.
GOMAP_AES_TARGET std::uint64_t aeshash(const void* ptr, std::uint64_t seed,
                                       std::size_t s) noexcept {
  const auto* ks = reinterpret_cast<const __m128i*>(alg().aeskeysched);
  const auto* p = static_cast<const std::uint8_t*>(ptr);
  const __m128i sd = _mm_set_epi64x(static_cast<long long>(s * 0x0001000100010001ull),
                                    static_cast<long long>(seed));
  const __m128i s0 = enc(_mm_xor_si128(sd, ks[0]), ks[1]);
  if (s <= 16) {
    __m128i x = _mm_xor_si128(load_upto16(p, s), s0);
    x = enc(x, s0);
    x = enc(x, ks[2]);
    x = enc(x, ks[3]);
    return static_cast<std::uint64_t>(_mm_cvtsi128_si64(x));
  }
  const __m128i s1 = enc(_mm_xor_si128(sd, ks[1]), ks[2]);
  if (s <= 32) {
    __m128i a = _mm_xor_si128(load16(p), s0);
    __m128i b = _mm_xor_si128(load16(p + s - 16), s1);
    a = enc(enc(enc(a, s0), ks[2]), ks[3]);
    b = enc(enc(enc(b, s1), ks[2]), ks[3]);
    return static_cast<std::uint64_t>(_mm_cvtsi128_si64(_mm_xor_si128(a, b)));
  }
  const __m128i s2 = enc(_mm_xor_si128(sd, ks[2]), ks[3]);
  const __m128i s3 = enc(_mm_xor_si128(sd, ks[3]), ks[0]);
  __m128i l0 = s0, l1 = s1, l2 = s2, l3 = s3;
  if (s <= 64) {
    l0 = enc(_mm_xor_si128(load16(p), l0), s0);
    l1 = enc(_mm_xor_si128(load16(p + 16), l1), s1);
    l2 = enc(_mm_xor_si128(load16(p + s - 32), l2), s2);
    l3 = enc(_mm_xor_si128(load16(p + s - 16), l3), s3);
  } else {
    std::size_t l = s;
    for (; l > 64; l -= 64, p += 64) {
      l0 = enc(_mm_xor_si128(load16(p), l0), s0);
      l1 = enc(_mm_xor_si128(load16(p + 16), l1), s1);
      l2 = enc(_mm_xor_si128(load16(p + 32), l2), s2);
      l3 = enc(_mm_xor_si128(load16(p + 48), l3), s3);
    }
    p += l;  // the last 64 bytes, overlapping what the loop already took
    l0 = enc(_mm_xor_si128(load16(p - 64), l0), s0);
    l1 = enc(_mm_xor_si128(load16(p - 48), l1), s1);
    l2 = enc(_mm_xor_si128(load16(p - 32), l2), s2);
    l3 = enc(_mm_xor_si128(load16(p - 16), l3), s3);
  }
  l0 = enc(enc(l0, ks[2]), ks[3]);
  l1 = enc(enc(l1, ks[3]), ks[0]);
  l2 = enc(enc(l2, ks[0]), ks[1]);
  l3 = enc(enc(l3, ks[1]), ks[2]);
  const __m128i x = enc(_mm_xor_si128(_mm_xor_si128(l0, l1), _mm_xor_si128(l2, l3)), s0);
  return static_cast<std::uint64_t>(_mm_cvtsi128_si64(x));
}

#else  // no AES path on this architecture: alg().use_aes is always false.

std::uint64_t aeshash(const void* p, std::uint64_t seed, std::size_t s) noexcept {
  return memhash_fallback(p, seed, s, alg());
}

#endif

}  // namespace gomap::runtime
