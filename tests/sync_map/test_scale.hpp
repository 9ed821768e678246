// Iteration budgets for the sync_map tests: full size in the dev build, smaller under the
// sanitizers (each test binary should stay well under 20 s on 2 cores). The environment
// variable GOMAP_TEST_SCALE multiplies every budget (e.g. 0.1 for a quick run, 10 to soak).
#pragma once

#include <cstdint>
#include <cstdlib>

namespace gomap_test {

// GCC defines __SANITIZE_*__; clang answers __has_feature.
#if defined(__SANITIZE_THREAD__) || defined(__SANITIZE_ADDRESS__)
inline constexpr double kSanitizerScale = 0.1;
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer) || __has_feature(address_sanitizer)
inline constexpr double kSanitizerScale = 0.1;
#else
inline constexpr double kSanitizerScale = 1.0;
#endif
#else
inline constexpr double kSanitizerScale = 1.0;
#endif

// n scaled for this build; never below `floor`.
inline std::int64_t scaled(std::int64_t n, std::int64_t floor = 1) {
  double f = kSanitizerScale;
  if (const char* s = std::getenv("GOMAP_TEST_SCALE")) f *= std::atof(s);
  const auto v = static_cast<std::int64_t>(static_cast<double>(n) * f);
  return v < floor ? floor : v;
}

}  // namespace gomap_test
