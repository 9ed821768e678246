// Shared by the api_*_test.cpp suites (gomap::Map and gomap::SwissMap as Go's
// map[K]V, typed over both engines, split by topic): the map types they use and small helpers.
#pragma once

#include <gtest/gtest.h>
#include <gomap/map.hpp>
#include <gomap/panic.hpp>
#include <gomap/swiss_map.hpp>

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

#include "../common/engines.hpp"
#include "../common/helpers.hpp"

namespace api_test {

using gomap_test::make_map;
using gomap_test::map_t;
template <class E>
using IntMap = map_t<E, int, int>;
template <class E>
using StrMap = map_t<E, std::string, int>;
template <class E>
using StrMapByInt = map_t<E, int, std::string>;

inline constexpr const char* kNilAssign = "assignment to entry in nil map";

using gomap_test::panic_message;

inline double nan() {
  return std::numeric_limits<double>::quiet_NaN();
}

}  // namespace api_test
