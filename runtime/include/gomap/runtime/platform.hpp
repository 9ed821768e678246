// Platform, CPU and sanitizer specifics, in one place (the role of Go's
// race0.go / asan0.go and the GOARCH-specific files).  Nothing else in gomap
// tests a compiler, CPU or sanitizer macro; it asks here:
//
//   GOMAP_X86_64        the SSE2 group match and the pause instruction
//   GOMAP_TSAN          built with ThreadSanitizer (the detector tags maps)
//   GOMAP_ASAN          built with AddressSanitizer (dead slots are poisoned)
//   GOMAP_SANITIZED     a sanitizer that watches the heap is present, so the
//                       runtime leaves every allocation to the real allocator
//   GOMAP_FUZZING       a fuzzing build (FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION):
//                       no state carried from one input to the next
//   GOMAP_INTERLEAVE    the interleaving scheduler's yield points are live
//                       (-DGOMAP_INTERLEAVE=1, interleave tests and fuzz harnesses
//                       only; runtime/sched_point.hpp)
//   GOMAP_ASSERT(c)     engine invariant checks, on with -DGOMAP_ASSERTIONS=1
//                       (the dev and asan presets)
//   GOMAP_ASSUME(c)     a fact for the optimizer (an assertion where those are on)
//   GOMAP_ASYMMETRIC_FENCE  asymmetric_fence_*() can use the kernel (membarrier(2)
//                       on Linux, not under ThreadSanitizer, which cannot see it)
//   cache_line_size     the one cache-line constant
//   cpu_relax()         one spin-wait pause
//   match_byte(), high_bits()  the 8-byte group matches (SSE2 on x86-64, SWAR
//                       elsewhere; the SWAR versions are compiled and tested
//                       everywhere); simd_group_match says which
#pragma once

#include <atomic>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <type_traits>

#if defined(__x86_64__) || defined(_M_X64)
#include <emmintrin.h>
#define GOMAP_X86_64 1
#else
#define GOMAP_X86_64 0
#endif

// GCC defines __SANITIZE_*__; clang answers __has_feature.
#if defined(__has_feature)
#define GOMAP_HAS_FEATURE(x) __has_feature(x)
#else
#define GOMAP_HAS_FEATURE(x) 0
#endif

#if defined(__SANITIZE_THREAD__) || GOMAP_HAS_FEATURE(thread_sanitizer)
#define GOMAP_TSAN 1
#else
#define GOMAP_TSAN 0
#endif

#if defined(__SANITIZE_ADDRESS__) || GOMAP_HAS_FEATURE(address_sanitizer)
#define GOMAP_ASAN 1
#else
#define GOMAP_ASAN 0
#endif

#if GOMAP_TSAN || GOMAP_ASAN || GOMAP_HAS_FEATURE(memory_sanitizer) || \
    GOMAP_HAS_FEATURE(hwaddress_sanitizer)
#define GOMAP_SANITIZED 1
#else
#define GOMAP_SANITIZED 0
#endif

#if defined(__linux__) && !GOMAP_TSAN
#define GOMAP_ASYMMETRIC_FENCE 1
#else
#define GOMAP_ASYMMETRIC_FENCE 0
#endif

#if defined(FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION)
#define GOMAP_FUZZING 1
#else
#define GOMAP_FUZZING 0
#endif

// Off unless a test or fuzz build asks (the whole binary, see runtime/sched_point.hpp).
#if !defined(GOMAP_INTERLEAVE)
#define GOMAP_INTERLEAVE 0
#endif

#if GOMAP_ASAN
// From <sanitizer/asan_interface.h>, declared here so GCC builds need no
// clang resource directory.
// NOLINTBEGIN(bugprone-reserved-identifier): the sanitizer's own interface names
extern "C" {
void __asan_poison_memory_region(void const volatile* addr, std::size_t size);
void __asan_unpoison_memory_region(void const volatile* addr, std::size_t size);
}
// NOLINTEND(bugprone-reserved-identifier)
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

// GOMAP_ASSUME: a fact the optimizer may use (checked where assertions are
// on; under UBSan a false one is reported as reaching unreachable code).
#if defined(GOMAP_ASSERTIONS) && GOMAP_ASSERTIONS
#define GOMAP_ASSUME(cond) GOMAP_ASSERT(cond)
#else
#define GOMAP_ASSUME(cond)                \
  do {                                    \
    if (!(cond)) __builtin_unreachable(); \
  } while (0)
#endif

namespace gomap::runtime {

inline constexpr bool under_tsan = GOMAP_TSAN != 0;
inline constexpr bool under_asan = GOMAP_ASAN != 0;
inline constexpr bool sanitized = GOMAP_SANITIZED != 0;
inline constexpr bool fuzzing_build = GOMAP_FUZZING != 0;

// The cache-line size on every CPU gomap targets (x86-64, arm64).  Objects
// written by different threads are padded to it; where x86's adjacent-line
// prefetcher matters, users pad to two lines.
// (std::hardware_destructive_interference_size is not used: GCC warns that
// it may change between compiler versions, which would change the ABI.)
inline constexpr std::size_t cache_line_size = 64;

// One step of a spin-wait: tells the CPU that this is a busy loop.
inline void cpu_relax() noexcept {
#if GOMAP_X86_64
  _mm_pause();
#elif defined(__aarch64__)
  asm volatile("yield" ::: "memory");
#endif
}

// Asymmetric fences: a store-load fence split between a hot side and a rare side (Linux
// membarrier(2), as liburcu's "memb" flavour and folly's asymmetric_thread_fence_* use
// it). The hot side is a compiler barrier; the heavy side makes every running thread of
// the process execute a full barrier before it returns, so for any pair the two behave as
// seq_cst fences would. init registers the process and says whether the heavy side is the
// kernel's; where it is not (no membarrier, another OS, ThreadSanitizer), callers must put
// real fences on their hot side, and asymmetric_fence_heavy is a plain seq_cst fence.
bool asymmetric_fence_init() noexcept;
void asymmetric_fence_heavy() noexcept;
inline void asymmetric_fence_light() noexcept {
  std::atomic_signal_fence(std::memory_order_seq_cst);
}

// Mark memory dead / alive for AddressSanitizer (no-ops elsewhere).
inline void poison(const void* p, std::size_t n) noexcept {
#if GOMAP_ASAN
  __asan_poison_memory_region(p, n);
#else
  (void)p, (void)n;
#endif
}
inline void unpoison(const void* p, std::size_t n) noexcept {
#if GOMAP_ASAN
  __asan_unpoison_memory_region(p, n);
#else
  (void)p, (void)n;
#endif
}

__extension__ using uint128 = unsigned __int128;  // GCC/Clang builtin; -Wpedantic-clean

// 64x64 -> 128 multiply, folded: math.Mul64 followed by hi^lo (Go's `mix`).
// On x86-64 one MUL, written out: from the 128-bit product GCC 12 stores the
// low half to the stack and loads it back when SSE registers are live (the
// Swiss lookup loop: two store/reload pairs per hash).  Interleaved A/B,
// 9 rounds, fastest round: SwissMap lookup_hit 1024 0.94x, lookup_miss 1024
// 0.97x (1% noise), the 2^20 rows 1.00-1.03x (3-4%).
inline std::uint64_t mix(std::uint64_t a, std::uint64_t b) noexcept {
#if GOMAP_X86_64 && defined(__GNUC__)
  std::uint64_t hi;
  __asm__("mulq %[b]" : "+a"(a), "=d"(hi) : [b] "rm"(b) : "cc");
  return a ^ hi;
#else
  const uint128 r = static_cast<uint128>(a) * b;
  return static_cast<std::uint64_t>(r >> 64) ^ static_cast<std::uint64_t>(r);
#endif
}

// The index of the lowest set bit of x != 0 (a 32- or 64-bit word), as a
// 64-bit value.  For std::countr_zero GCC 12 emits a zeroing `xor` before
// TZCNT (old Intel cores' false dependency) and a sign extension of its int
// result after it: two instructions on every slot a probe matches.  A 32-bit
// word takes a 32-bit TZCNT, whose write clears the register's upper half,
// so it is not widened first.
template <class W>
inline std::size_t lowest_set_bit(W x) noexcept {
  static_assert(std::is_same_v<W, std::uint32_t> || std::is_same_v<W, std::uint64_t>);
#if GOMAP_X86_64 && defined(__GNUC__)
  std::uint64_t i;
  if constexpr (sizeof(W) == 8)
    __asm__("tzcntq %[x], %[i]" : [i] "=r"(i) : [x] "rm"(x) : "cc");
  else
    __asm__("tzcntl %[x], %k[i]" : [i] "=r"(i) : [x] "rm"(x) : "cc");
  return i;
#else
  return static_cast<std::size_t>(std::countr_zero(x));
#endif
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

// match_byte_swar: bit i set iff byte i of the 8-byte group equals `b`.
// Exact (no false positives, unlike Go's bitsetH2 trick): the classic engine
// reads keys only at matched positions and trusts a miss.
inline unsigned match_byte_swar(const std::uint8_t* group, std::uint8_t b) noexcept {
  const std::uint64_t x = read64(group) ^ (0x0101010101010101ull * b);
  const std::uint64_t lo7 = 0x7f7f7f7f7f7f7f7full;
  const std::uint64_t zero = ~(((x & lo7) + lo7) | x | lo7);  // 0x80 where byte == 0
  unsigned bits = 0;
  for (int i = 0; i < 8; ++i) bits |= static_cast<unsigned>((zero >> (8 * i + 7)) & 1u) << i;
  return bits;
}

#if GOMAP_X86_64
// The same with SSE2: one compare and a movemask.
inline unsigned match_byte_sse2(const std::uint8_t* group, std::uint8_t b) noexcept {
  const __m128i g = _mm_loadl_epi64(reinterpret_cast<const __m128i*>(group));
  // Broadcast through a 32-bit multiply: _mm_set1_epi8 makes GCC spill the
  // byte through the stack (a store-forwarding stall on every probe).
  const __m128i m = _mm_cmpeq_epi8(g, _mm_set1_epi32(static_cast<int>(0x01010101u * b)));
  return static_cast<unsigned>(_mm_movemask_epi8(m)) & 0xffu;
}
#endif

// The group match the engines use.
inline unsigned match_byte(const std::uint8_t* group, std::uint8_t b) noexcept {
#if GOMAP_X86_64
  return match_byte_sse2(group, b);
#else
  return match_byte_swar(group, b);
#endif
}

// high_bits_swar: bit i set iff the high bit of byte i of the 8-byte group
// is set (the multiply gathers the eight bits into the top byte).
inline unsigned high_bits_swar(const std::uint8_t* group) noexcept {
  return static_cast<unsigned>(((read64(group) & 0x8080808080808080ull) * 0x0002040810204081ull) >>
                               56);
}

// The same with SSE2: a movemask (the upper 8 lanes are zero).
#if GOMAP_X86_64
inline unsigned high_bits_sse2(const std::uint8_t* group) noexcept {
  return static_cast<unsigned>(
      _mm_movemask_epi8(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(group))));
}
#endif

inline unsigned high_bits(const std::uint8_t* group) noexcept {
#if GOMAP_X86_64
  return high_bits_sse2(group);
#else
  return high_bits_swar(group);
#endif
}

// Does match_byte / high_bits beat 64-bit SWAR arithmetic that leaves its
// marks in place (the Swiss group's portable matches)?  On x86-64 it does,
// and Go's compiler makes the same choice there (its ctrlGroup matches are
// SSE2 intrinsics on amd64 and SWAR elsewhere).
inline constexpr bool simd_group_match = GOMAP_X86_64 != 0;

// True when the CPU can run the aeshash path (AES-NI + SSSE3 + SSE4.1, as
// Go's alginit requires).
bool cpu_has_aes() noexcept;

}  // namespace gomap::runtime
