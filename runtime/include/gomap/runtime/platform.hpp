// Platform and CPU-feature specifics of the map engine, in one place.
//
// Everything here is a small named building block with a portable fallback:
// the 8-byte tophash match (SSE2 on x86-64, exact SWAR elsewhere), the
// 64x64->128 multiply used by wyhash/wyrand, prefetch, the AES-NI probe, and
// whether a heap-watching sanitizer is compiled in.
#pragma once

#include <cstdint>
#include <cstring>

#if defined(__x86_64__) || defined(_M_X64)
#include <emmintrin.h>
#define GOMAP_X86_64 1
#else
#define GOMAP_X86_64 0
#endif

// Built with a sanitizer that watches the heap (ASan, TSan, MSan, HWASan):
// the runtime then leaves every allocation to the real allocator.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define GOMAP_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) || \
    __has_feature(memory_sanitizer) || __has_feature(hwaddress_sanitizer)
#define GOMAP_SANITIZED 1
#endif
#endif
#ifndef GOMAP_SANITIZED
#define GOMAP_SANITIZED 0
#endif

#if defined(GOMAP_ASSERTIONS) && GOMAP_ASSERTIONS
#include <cstdio>
#include <cstdlib>
#define GOMAP_ASSERT(cond)                                                                    \
  do {                                                                                        \
    if (!(cond)) {                                                                            \
      std::fprintf(stderr, "gomap: internal assertion failed: %s (%s:%d)\n", #cond, __FILE__, \
                   __LINE__);                                                                 \
      std::abort();                                                                           \
    }                                                                                         \
  } while (0)
#else
#define GOMAP_ASSERT(cond) ((void)0)
#endif

namespace gomap::runtime {

__extension__ using uint128 = unsigned __int128;  // GCC/Clang builtin; -Wpedantic-clean

// 64x64 -> 128 multiply, folded: math.Mul64 followed by hi^lo (Go's `mix`).
inline std::uint64_t mix(std::uint64_t a, std::uint64_t b) noexcept {
  const uint128 r = static_cast<uint128>(a) * b;
  return static_cast<std::uint64_t>(r >> 64) ^ static_cast<std::uint64_t>(r);
}

inline std::uint64_t read64(const void* p) noexcept {
  std::uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}
inline std::uint64_t read32(const void* p) noexcept {
  std::uint32_t v;
  std::memcpy(&v, p, 4);
  return v;
}

inline void prefetch(const void* p) noexcept {
  __builtin_prefetch(p, 0, 3);
}

// match_byte: bit i set iff byte i of the 8-byte group equals `b`.  Exact (no
// false positives): callers read keys only at matched positions.
inline unsigned match_byte(const std::uint8_t* group, std::uint8_t b) noexcept {
#if GOMAP_X86_64
  const __m128i g = _mm_loadl_epi64(reinterpret_cast<const __m128i*>(group));
  // Broadcast through a 32-bit multiply: _mm_set1_epi8 makes GCC spill the
  // byte through the stack (a store-forwarding stall on every probe).
  const __m128i m = _mm_cmpeq_epi8(g, _mm_set1_epi32(static_cast<int>(0x01010101u * b)));
  return static_cast<unsigned>(_mm_movemask_epi8(m)) & 0xffu;
#else
  const std::uint64_t x = read64(group) ^ (0x0101010101010101ull * b);
  const std::uint64_t lo7 = 0x7f7f7f7f7f7f7f7full;
  const std::uint64_t zero = ~(((x & lo7) + lo7) | x | lo7);  // 0x80 where byte == 0
  unsigned bits = 0;
  for (int i = 0; i < 8; ++i) bits |= static_cast<unsigned>((zero >> (8 * i + 7)) & 1u) << i;
  return bits;
#endif
}

// True when the CPU can run the aeshash path (AES-NI + SSSE3 + SSE4.1, as
// Go's alginit requires).
bool cpu_has_aes() noexcept;

}  // namespace gomap::runtime
