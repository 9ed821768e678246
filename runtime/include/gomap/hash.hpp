// <gomap/hash.hpp> — Go's map hash functions, seeded, and gomap::equal_to:
// the public face of hashing (the algorithms themselves are internal, in
// gomap/runtime/alg.hpp).
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

#include "gomap/runtime/alg.hpp"

namespace gomap {
namespace runtime {

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
