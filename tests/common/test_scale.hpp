// Iteration budgets for tests, the one scale helper of every suite: full size
// in the dev build, scaled down under the sanitizers so each test binary
// stays well under 20 s on two loaded cores.  GOMAP_TEST_SCALE multiplies
// every budget (0.1 quick, 10 to soak).
#pragma once

#include <cstdint>
#include <cstdlib>

#include "gomap/runtime/platform.hpp"

namespace gomap_test {

inline constexpr bool under_tsan = gomap::runtime::under_tsan;
inline constexpr bool under_asan = gomap::runtime::under_asan;

// How much of a budget a component's tests keep under each sanitizer.
struct sanitizer_scale {
  double tsan = 0.1;
  double asan = 0.1;
};
// The default (SyncMap, rcu): a tenth under either sanitizer.
inline constexpr sanitizer_scale default_budget{};
// ShardedMap's tests: 40% under TSan (its races are the point), all under ASan.
inline constexpr sanitizer_scale sharded_budget{.tsan = 0.4, .asan = 1.0};

// n scaled for this build; never below `floor`.
inline std::int64_t scaled(std::int64_t n, std::int64_t floor = 1,
                           sanitizer_scale s = default_budget) {
  double f = under_tsan ? s.tsan : under_asan ? s.asan : 1.0;
  if (const char* e = std::getenv("GOMAP_TEST_SCALE")) f *= std::atof(e);
  const auto v = static_cast<std::int64_t>(static_cast<double>(n) * f);
  return v < floor ? floor : v;
}

}  // namespace gomap_test
