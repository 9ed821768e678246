// The sharded_map tests keep 40% of their budgets under TSan, all under ASan.
#pragma once

#include <cstdint>

#include "../common/test_scale.hpp"

namespace sharded_test {
inline std::int64_t scaled(std::int64_t n, std::int64_t floor = 1) {
  return gomap_test::scaled(n, floor, {.tsan = 0.4, .asan = 1.0});
}
}  // namespace sharded_test
