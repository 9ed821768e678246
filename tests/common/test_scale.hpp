// Iteration budgets for tests: full size in the dev build, scaled down under
// the sanitizers so each test binary stays well under 20 s on two loaded
// cores.  GOMAP_TEST_SCALE multiplies every budget (0.1 quick, 10 to soak).
#pragma once

#include <cstdint>
#include <cstdlib>

namespace gomap_test {

// GCC defines __SANITIZE_*__; clang answers __has_feature.
#if defined(__SANITIZE_THREAD__)
inline constexpr bool under_tsan = true;
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
inline constexpr bool under_tsan = true;
#else
inline constexpr bool under_tsan = false;
#endif
#else
inline constexpr bool under_tsan = false;
#endif

#if defined(__SANITIZE_ADDRESS__)
inline constexpr bool under_asan = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
inline constexpr bool under_asan = true;
#else
inline constexpr bool under_asan = false;
#endif
#else
inline constexpr bool under_asan = false;
#endif

// How much of a budget a component's tests keep under each sanitizer.
struct sanitizer_scale {
  double tsan = 0.1;
  double asan = 0.1;
};

// n scaled for this build; never below `floor`.
inline std::int64_t scaled(std::int64_t n, std::int64_t floor = 1, sanitizer_scale s = {}) {
  double f = under_tsan ? s.tsan : under_asan ? s.asan : 1.0;
  if (const char* e = std::getenv("GOMAP_TEST_SCALE")) f *= std::atof(e);
  const auto v = static_cast<std::int64_t>(static_cast<double>(n) * f);
  return v < floor ? floor : v;
}

}  // namespace gomap_test
