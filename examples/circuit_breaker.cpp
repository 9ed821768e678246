// The payments service fails; its breaker opens, cools down, and closes
// again after a successful trial call.  Search is unaffected throughout.
#include "circuit_breaker.hpp"

#include <cstdio>

int main() {
  using namespace std::chrono_literals;
  using State = examples::CircuitBreakers::State;
  examples::CircuitBreakers cb(3, 5s);
  const auto t0 = examples::CircuitBreakers::clock_type::now();
  for (int i = 0; i < 3; ++i)
    if (cb.allow("payments", t0)) cb.record("payments", false, t0);
  std::printf("payments after 3 failures: %s\n",
              cb.state("payments") == State::open ? "open" : "not open");
  const bool refused = !cb.allow("payments", t0 + 1s);
  const bool search = cb.allow("search", t0 + 1s);
  const bool trial = cb.allow("payments", t0 + 6s);
  cb.record("payments", true, t0 + 6s);
  std::printf("refused while open: %d, search allowed: %d, trial after cool-down: %d, state: %s\n",
              refused, search, trial, cb.state("payments") == State::closed ? "closed" : "other");
  return refused && search && trial && cb.state("payments") == State::closed ? 0 : 1;
}
