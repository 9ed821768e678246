// <gomap/fmt.hpp> — Go's fmt for map printing: %v formatting of keys and
// values, and fmt's key order (internal/fmtsort).
//
//  * numbers ascending, NaN before everything else; false before true;
//    strings lexicographic by bytes; pointers by address; pairs, tuples and
//    arrays field by field (Go structs and arrays);
//  * %v: integers in decimal, floats as strconv.FormatFloat(f, 'g', -1)
//    (1e+06, 1.5, NaN, +Inf, -0), strings unquoted, bool true/false,
//    pointers 0x..., nil pointers <nil>, pairs/tuples {a b}, arrays [a b],
//    nested gomap maps recursively; other types through operator<< if they
//    have one.
//
// Light on purpose: every user of <gomap/map.hpp> includes it, so it pulls
// no <ostream>, <sstream> or <ranges>.  Values printed through their own
// operator<< go through one compiled helper (runtime/src/fmt.cpp) that owns
// the string stream.
#pragma once

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <iosfwd>
#include <string>
#include <string_view>
#include <system_error>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "gomap/hash.hpp"

namespace gomap::fmt {

// `os << v` is well-formed (std::ostream may still be incomplete here: only
// non-member operator<< are seen then, which is what user types provide).
template <class T>
concept streamable = requires(std::ostream& os, const T& v) {
  os << v;
};

// A Go slice or array: anything with begin() and end().
template <class T>
concept sequence = std::is_array_v<T> || requires(const T& v) {
  v.begin();
  v.end();
};

// Every gomap map handle (Map, and any later engine's) says so by a tag.
template <class T>
    struct is_gomap_map : std::bool_constant < requires {
  typename T::gomap_handle_tag;
} > {};

namespace detail {
// out += the text `put(os, v)` writes to a std::ostream (runtime/src/fmt.cpp).
void append_streamed(std::string& out, void (*put)(std::ostream&, const void*), const void* v);
}  // namespace detail

// strconv.FormatFloat(f, 'g', -1, bits) with fmt's sign rules.
template <class F>
void append_float(std::string& out, F f) {
  if (std::isnan(f)) {
    out += "NaN";
    return;
  }
  if (std::isinf(f)) {
    out += f > 0 ? "+Inf" : "-Inf";
    return;
  }
  char sci[64];
  auto r = std::to_chars(sci, sci + sizeof sci, f, std::chars_format::scientific);
  std::string_view s(sci, static_cast<std::size_t>(r.ptr - sci));
  // exponent of the shortest representation: Go uses %e when exp < -4 || exp >= 6.
  const auto epos = s.find('e');
  const int exp = std::atoi(std::string(s.substr(epos + 1)).c_str());
  if (exp < -4 || exp >= 6) {
    // Go: mantissa, 'e', sign, at least two exponent digits — same as to_chars.
    out.append(s);
    return;
  }
  char fix[512];
  auto r2 = std::to_chars(fix, fix + sizeof fix, f, std::chars_format::fixed);
  out.append(fix, static_cast<std::size_t>(r2.ptr - fix));
}

template <class T>
void append_value(std::string& out, const T& v);

template <class Tuple, std::size_t... I>
void append_fields(std::string& out, const Tuple& t, std::index_sequence<I...>) {
  ((out += (I == 0 ? "" : " "), append_value(out, std::get<I>(t))), ...);
}

template <class T>
void append_value(std::string& out, const T& v) {
  if constexpr (std::is_same_v<T, bool>) {
    out += v ? "true" : "false";
  } else if constexpr (std::is_floating_point_v<T>) {
    append_float(out, v);
  } else if constexpr (std::is_same_v<T, char> || std::is_same_v<T, signed char>) {
    out += std::to_string(static_cast<int>(v));  // Go's byte/int8 print as numbers
  } else if constexpr (std::is_same_v<T, unsigned char>) {
    out += std::to_string(static_cast<unsigned>(v));
  } else if constexpr (std::is_integral_v<T>) {
    out += std::to_string(v);
  } else if constexpr (std::is_enum_v<T>) {
    out += std::to_string(static_cast<std::underlying_type_t<T>>(v));
  } else if constexpr (runtime::is_string_like_v<T>) {
    if constexpr (std::is_pointer_v<T>) {
      if (v == nullptr) {
        out += "<nil>";
        return;
      }
    }
    out += std::string_view(v);
  } else if constexpr (std::is_pointer_v<T> || std::is_null_pointer_v<T>) {
    if (v == nullptr) {
      out += "<nil>";
    } else {
      char buf[32];
      std::snprintf(buf, sizeof buf, "0x%llx",
                    static_cast<unsigned long long>(reinterpret_cast<std::uintptr_t>(v)));
      out += buf;
    }
  } else if constexpr (runtime::is_tuple_like<T>::value) {
    out += '{';
    append_fields(out, v, std::make_index_sequence<std::tuple_size_v<T>>{});
    out += '}';
  } else if constexpr (is_gomap_map<T>::value) {
    out += to_string(v);
  } else if constexpr (sequence<T> && !streamable<T>) {
    // Go arrays and slices (std::array, std::vector, std::span, ...): [a b c];
    // a nil slice is [].
    out += '[';
    bool first = true;
    for (const auto& e : v) {
      if (!first) out += ' ';
      first = false;
      append_value(out, e);
    }
    out += ']';
  } else if constexpr (streamable<T>) {
    detail::append_streamed(
        out, [](std::ostream& os, const void* p) { os << *static_cast<const T*>(p); }, &v);
  } else {
    out += "{?}";
  }
}

// fmtsort's compare: -1, 0, +1.
template <class T>
int compare(const T& a, const T& b) {
  if constexpr (std::is_floating_point_v<T>) {
    if (a < b) return -1;
    if (a > b) return 1;
    if (a == b) return 0;
    const bool na = std::isnan(a), nb = std::isnan(b);
    if (na && !nb) return -1;
    if (!na && nb) return 1;
    return 0;
  } else if constexpr (runtime::is_string_like_v<T>) {
    const std::string_view x(a), y(b);
    return x < y ? -1 : (y < x ? 1 : 0);
  } else if constexpr (std::is_pointer_v<T>) {
    const auto x = reinterpret_cast<std::uintptr_t>(a), y = reinterpret_cast<std::uintptr_t>(b);
    return x < y ? -1 : (y < x ? 1 : 0);
  } else if constexpr (runtime::is_tuple_like<T>::value) {
    int c = 0;
    std::apply(
        [&](const auto&... xs) {
          std::apply([&](const auto&... ys) { ((c == 0 ? (c = compare(xs, ys)) : 0), ...); }, b);
        },
        a);
    return c;
  } else if constexpr (runtime::is_std_array<T>::value) {
    for (std::size_t i = 0; i < a.size(); ++i)
      if (int c = compare(a[i], b[i]); c != 0) return c;
    return 0;
  } else if constexpr (requires { a < b; }) {
    return a < b ? -1 : (b < a ? 1 : 0);
  } else {
    return 0;  // unordered: keep iteration order, as fmtsort does for incomparable kinds
  }
}

// fmt.Sprint(m) for any gomap map handle: map[k1:v1 k2:v2] with keys in
// fmt's sorted order.
template <class M>
std::string sprint_map(const M& m) {
  using K = typename M::key_type;
  using V = typename M::mapped_type;
  std::vector<std::pair<const K*, const V*>> entries;
  entries.reserve(m.size());
  m.range([&](const K& k, V& v) { entries.emplace_back(&k, &v); });
  std::stable_sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) {
    return fmt::compare(*a.first, *b.first) < 0;
  });
  std::string out = "map[";
  bool first = true;
  for (const auto& [k, v] : entries) {
    if (!first) out += ' ';
    first = false;
    append_value(out, *k);
    out += ':';
    append_value(out, *v);
  }
  out += ']';
  return out;
}

}  // namespace gomap::fmt
