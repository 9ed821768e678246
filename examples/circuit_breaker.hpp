// Circuit breaker per downstream service.
//
// Why ShardedMap: every call records a success or failure for its service,
// so the map is written constantly, by key; compute() makes each state
// transition (closed -> open after N consecutive failures, open -> half-open
// after a cool-down, half-open -> closed or open after one trial call) one
// atomic step on that service's entry without a global lock.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include <gomap/sharded_map.hpp>

namespace examples {

class CircuitBreakers {
 public:
  using clock_type = std::chrono::steady_clock;
  enum class State { closed, open, half_open };

  CircuitBreakers(int failure_threshold, clock_type::duration cool_down)
      : threshold_(failure_threshold), cool_down_(cool_down) {}

  // May a call to `service` go out now?  In half-open state exactly one
  // trial call is let through.
  bool allow(const std::string& service, clock_type::time_point now) {
    bool ok = false;
    breakers_.compute(service, [&](const Breaker* cur) -> std::optional<Breaker> {
      Breaker b = cur ? *cur : Breaker{};
      if (b.state == State::open && now - b.opened_at >= cool_down_) {
        b.state = State::half_open;
        b.trial_in_flight = false;
      }
      if (b.state == State::closed) {
        ok = true;
      } else if (b.state == State::half_open && !b.trial_in_flight) {
        b.trial_in_flight = true;
        ok = true;
      }
      return b;
    });
    return ok;
  }

  // The outcome of a call that allow() let through.
  void record(const std::string& service, bool success, clock_type::time_point now) {
    breakers_.compute(service, [&](const Breaker* cur) -> std::optional<Breaker> {
      Breaker b = cur ? *cur : Breaker{};
      if (success) {
        b = Breaker{};  // closed, failures forgotten
      } else if (b.state == State::half_open || ++b.failures >= threshold_) {
        b.state = State::open;
        b.opened_at = now;
        b.trial_in_flight = false;
      }
      return b;
    });
  }

  State state(const std::string& service) const { return breakers_.get(service).state; }

 private:
  struct Breaker {
    State state = State::closed;
    int failures = 0;  // consecutive, while closed
    clock_type::time_point opened_at{};
    bool trial_in_flight = false;
  };
  const int threshold_;
  const clock_type::duration cool_down_;
  gomap::ShardedMap<std::string, Breaker> breakers_;
};

}  // namespace examples
