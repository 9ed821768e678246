// <gomap/hash.hpp> — Go's map hash functions, seeded, and gomap::equal_to.
//
// gomap::hash<T> is a callable `std::uint64_t(const T&, std::uint64_t seed)`
// implementing Go's algorithms (runtime/alg.go, hash64.go):
//  * memhash: the wyhash-based portable hash, or — when the CPU has AES-NI,
//    SSSE3 and SSE4.1, chosen once at startup like Go's useAeshash — an
//    aeshash-style hash.  Both use per-process random keys (hashkey /
//    aeskeysched), so hash values differ between runs, as in Go.
//  * f32hash/f64hash: +0.0 and -0.0 hash alike; every NaN hashes to a fresh
//    random value (so NaN keys are never found again).
//  * strings hash their bytes; string_view and const char* hash alike
//    (transparent lookup, Go's m[string(bytes)]).
//  * pairs, tuples and arrays hash field by field, chaining the seed, the
//    way Go hashes structs and arrays.
//  * any type with `std::uint64_t gomap_hash(const T&, std::uint64_t seed)`
//    found by ADL.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>

#include "gomap/runtime/platform.hpp"

namespace gomap {
namespace runtime {

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

// The calling thread's wyrand state; 0 until seeded.  constinit: a plain TLS
// access, no guard (every map and every iterator draws from it).
inline constinit thread_local std::uint64_t t_fastrand_state = 0;
std::uint64_t fastrand_seed() noexcept;  // nonzero, from the OS

// fastrand: a per-thread wyrand stream, seeded from the OS.
inline std::uint64_t fastrand64() noexcept {
  std::uint64_t s = t_fastrand_state;
  if (s == 0) [[unlikely]]
    s = fastrand_seed();
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

// aeshash, aeshash32, aeshash64 (asm_amd64.s in Go): out of line, compiled
// for AES-NI, called only when alg().use_aes.
std::uint64_t aeshash(const void* p, std::uint64_t seed, std::size_t s) noexcept;
std::uint64_t aeshash32(std::uint32_t v, std::uint64_t seed) noexcept;
std::uint64_t aeshash64(std::uint64_t v, std::uint64_t seed) noexcept;

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
// Go folds a per-process key (hashkey[0]) into the seed; every gomap map
// already has its own random seed (hash0), so the scalar path reads no
// global state at all — no initialization check on the hot path.
// aeshash32/aeshash64 remain available (and tested) for callers who want them.
inline std::uint64_t memhash32(std::uint32_t v, std::uint64_t seed) noexcept {
  const std::uint64_t x = v;
  return mix(m5 ^ 4, mix(x ^ m2, x ^ seed ^ m1));
}
inline std::uint64_t memhash64(std::uint64_t v, std::uint64_t seed) noexcept {
  return mix(m5 ^ 8, mix(v ^ m2, v ^ seed ^ m1));
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

template <class T>
inline constexpr bool is_string_like_v =
    std::is_same_v<T, std::string> || std::is_same_v<T, std::string_view> ||
    std::is_same_v<T, const char*> || std::is_same_v<T, char*>;

template <class T>
struct is_tuple_like : std::false_type {};
template <class A, class B>
struct is_tuple_like<std::pair<A, B>> : std::true_type {};
template <class... Ts>
struct is_tuple_like<std::tuple<Ts...>> : std::true_type {};

template <class T>
struct is_std_array : std::false_type {};
template <class T, std::size_t N>
struct is_std_array<std::array<T, N>> : std::true_type {};

template <class T>
concept adl_hashable = requires(const T& v, std::uint64_t seed) {
  { gomap_hash(v, seed) } -> std::convertible_to<std::uint64_t>;
};

template <class T>
std::uint64_t hash_value(const T& v, std::uint64_t seed);

template <class T>
concept go_hashable = std::is_arithmetic_v<T> || std::is_enum_v<T> || std::is_pointer_v<T> ||
    std::is_null_pointer_v<T> || is_string_like_v<T> || is_tuple_like<T>::value ||
    is_std_array<T>::value || adl_hashable<T>;

// typehash: hash one value of type T the way Go's compiler-generated hash
// for the corresponding Go type would.
template <class T>
std::uint64_t hash_value(const T& v, std::uint64_t seed) {
  if constexpr (std::is_same_v<T, float>) {
    return f32hash(v, seed);
  } else if constexpr (std::is_same_v<T, double>) {
    return f64hash(v, seed);
  } else if constexpr (std::is_floating_point_v<T>) {
    static_assert(sizeof(T) == 0, "gomap::hash: long double has no Go counterpart");
    return 0;
  } else if constexpr (std::is_same_v<T, const char*> || std::is_same_v<T, char*> ||
                       is_string_like_v<T>) {
    return strhash(std::string_view(v), seed);
  } else if constexpr (std::is_integral_v<T> || std::is_enum_v<T> || std::is_pointer_v<T>) {
    if constexpr (sizeof(T) == 8) {
      std::uint64_t x;
      std::memcpy(&x, &v, 8);
      return memhash64(x, seed);
    } else if constexpr (sizeof(T) == 4) {
      std::uint32_t x;
      std::memcpy(&x, &v, 4);
      return memhash32(x, seed);
    } else {
      return memhash(&v, seed, sizeof(T));
    }
  } else if constexpr (std::is_null_pointer_v<T>) {
    return memhash64(0, seed);
  } else if constexpr (is_tuple_like<T>::value) {
    std::uint64_t h = seed;
    std::apply([&h](const auto&... f) { ((h = hash_value(f, h)), ...); }, v);
    return h;
  } else if constexpr (is_std_array<T>::value) {
    std::uint64_t h = seed;
    for (const auto& e : v) h = hash_value(e, h);
    return h;
  } else if constexpr (adl_hashable<T>) {
    return static_cast<std::uint64_t>(gomap_hash(v, seed));
  } else {
    static_assert(sizeof(T) == 0,
                  "gomap::hash<T>: T is not comparable in Go's sense; provide "
                  "gomap_hash(const T&, std::uint64_t) or a custom Hash");
    return 0;
  }
}

// Go's t.reflexivekey(): k == k for every k.  False for floats and anything
// built from them; false (conservatively) for types gomap cannot see into.
template <class T>
struct reflexive_key
    : std::bool_constant<std::is_integral_v<T> || std::is_enum_v<T> || std::is_pointer_v<T> ||
                         std::is_null_pointer_v<T> || is_string_like_v<T>> {};
template <class A, class B>
struct reflexive_key<std::pair<A, B>>
    : std::bool_constant<reflexive_key<A>::value && reflexive_key<B>::value> {};
template <class... Ts>
struct reflexive_key<std::tuple<Ts...>> : std::bool_constant<(reflexive_key<Ts>::value && ...)> {};
template <class T, std::size_t N>
struct reflexive_key<std::array<T, N>> : reflexive_key<T> {};

// Go's t.needkeyupdate(): overwriting an entry also overwrites its key
// (+0.0 replaced by -0.0).  Go also lists strings (to share a smaller
// backing store); in C++ equal strings are indistinguishable, so no.
template <class T>
struct need_key_update : std::is_floating_point<T> {};
template <class A, class B>
struct need_key_update<std::pair<A, B>>
    : std::bool_constant<need_key_update<A>::value || need_key_update<B>::value> {};
template <class... Ts>
struct need_key_update<std::tuple<Ts...>>
    : std::bool_constant<(need_key_update<Ts>::value || ...)> {};
template <class T, std::size_t N>
struct need_key_update<std::array<T, N>> : need_key_update<T> {};

}  // namespace runtime

// gomap::hash<T>: seeded, Go's algorithms.
template <class T>
struct hash {
  std::uint64_t operator()(const T& v, std::uint64_t seed) const
      noexcept(noexcept(runtime::hash_value(v, seed))) {
    return runtime::hash_value(v, seed);
  }
};

// Strings hash transparently: std::string, std::string_view and const char*
// of the same bytes hash alike.
template <>
struct hash<std::string> {
  using is_transparent = void;
  std::uint64_t operator()(std::string_view s, std::uint64_t seed) const noexcept {
    return runtime::strhash(s, seed);
  }
};
template <>
struct hash<std::string_view> : hash<std::string> {};

template <class T>
struct equal_to {
  bool operator()(const T& a, const T& b) const noexcept(noexcept(a == b)) { return a == b; }
};
template <>
struct equal_to<std::string> {
  using is_transparent = void;
  bool operator()(std::string_view a, std::string_view b) const noexcept { return a == b; }
};
template <>
struct equal_to<std::string_view> : equal_to<std::string> {};

}  // namespace gomap
