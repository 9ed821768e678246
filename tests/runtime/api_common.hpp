// Shared by the api_*_test.cpp suites (gomap::Map as Go's map[K]V, split by
// topic): the map types they use and small helpers.
#pragma once

#include <gtest/gtest.h>
#include <gomap/map.hpp>
#include <gomap/panic.hpp>

#include <array>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <memory>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

namespace api_test {

using IntMap = gomap::Map<int, int>;
using StrMap = gomap::Map<std::string, int>;
using StrMapByInt = gomap::Map<int, std::string>;

inline constexpr const char* kNilAssign = "assignment to entry in nil map";

// The what() of the gomap::panic thrown by f, or a marker when f returns
// normally.  Any other exception type escapes and fails the test.
template <class F>
std::string panic_message(F&& f) {
  try {
    f();
  } catch (const gomap::panic& p) {
    return p.what();
  }
  return "<no panic>";
}

inline double nan() {
  return std::numeric_limits<double>::quiet_NaN();
}

}  // namespace api_test
