// Iteration budgets for the sharded_map tests: full size in the dev build,
// smaller under the sanitizers, so each binary stays well under 20 s on two
// loaded cores.  GOMAP_TEST_SCALE multiplies every budget (0.1 quick, 10 soak).
#pragma once

#include <cstdint>
#include <cstdlib>

namespace sharded_test {

#if defined(__SANITIZE_THREAD__)
inline constexpr double kSanitizerScale = 0.4;
#elif defined(__SANITIZE_ADDRESS__)
inline constexpr double kSanitizerScale = 1.0;
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
inline constexpr double kSanitizerScale = 0.4;
#elif __has_feature(address_sanitizer)
inline constexpr double kSanitizerScale = 1.0;
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

}  // namespace sharded_test
