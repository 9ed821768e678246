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

#include "../common/helpers.hpp"

namespace api_test {

using IntMap = gomap::Map<int, int>;
using StrMap = gomap::Map<std::string, int>;
using StrMapByInt = gomap::Map<int, std::string>;

inline constexpr const char* kNilAssign = "assignment to entry in nil map";

using gomap_test::panic_message;

inline double nan() {
  return std::numeric_limits<double>::quiet_NaN();
}

}  // namespace api_test
