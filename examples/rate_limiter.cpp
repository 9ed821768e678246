// Two clients against a 3-request burst, 1 request/s limiter.
#include "rate_limiter.hpp"

#include <cstdio>

int main() {
  using namespace std::chrono_literals;
  examples::RateLimiter limiter(3, 1);
  const auto t0 = examples::RateLimiter::clock_type::now();
  int allowed_a = 0, allowed_b = 0;
  for (int i = 0; i < 5; ++i) allowed_a += limiter.allow("10.0.0.1", t0);
  allowed_b += limiter.allow("10.0.0.2", t0);
  std::printf("burst of 5 from 10.0.0.1: %d allowed; 10.0.0.2: %d allowed\n", allowed_a, allowed_b);
  const bool later = limiter.allow("10.0.0.1", t0 + 1s);
  std::printf("10.0.0.1 one second later: %s\n", later ? "allowed" : "refused");
  return allowed_a == 3 && allowed_b == 1 && later ? 0 : 1;
}
