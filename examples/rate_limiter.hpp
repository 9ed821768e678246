// Per-client rate limiter: a token bucket per client id.
//
// Why ShardedMap: every request *writes* its client's bucket (refill, take a
// token), so a read-optimized SyncMap would only add indirection; compute()
// does the whole read-modify-write of one key atomically under one shard's
// lock, while requests of other clients proceed on other shards.
#pragma once

#include <algorithm>
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include <gomap/sharded_map.hpp>

namespace examples {

class RateLimiter {
 public:
  using clock_type = std::chrono::steady_clock;

  // `burst` tokens at most; `per_second` tokens added per second.
  RateLimiter(double burst, double per_second) : burst_(burst), rate_(per_second) {}

  // One request of `client` at `now`: true if allowed (a token was taken).
  bool allow(const std::string& client, clock_type::time_point now) {
    bool allowed = false;
    buckets_.compute(client, [&](const Bucket* cur) -> std::optional<Bucket> {
      Bucket b = cur ? *cur : Bucket{burst_, now};
      const double elapsed = std::chrono::duration<double>(now - b.last).count();
      if (elapsed > 0) b.tokens = std::min(burst_, b.tokens + elapsed * rate_);
      b.last = std::max(b.last, now);
      allowed = b.tokens >= 1.0;
      if (allowed) b.tokens -= 1.0;
      return b;
    });
    return allowed;
  }

  // Forgets clients idle long enough to have a full bucket again (memory
  // bound for many one-off clients).
  void forget_idle(clock_type::time_point now) {
    std::vector<std::string> idle;
    buckets_.range([&](const std::string& k, const Bucket& b) {
      if (full_at(b, now)) idle.push_back(k);
      return true;
    });
    for (const std::string& k : idle)  // re-checked under the lock: a request may have come in
      buckets_.compute(k, [&](const Bucket* cur) -> std::optional<Bucket> {
        if (cur == nullptr || full_at(*cur, now)) return std::nullopt;
        return *cur;
      });
  }

  std::size_t clients() const { return buckets_.size(); }

 private:
  struct Bucket {
    double tokens;
    clock_type::time_point last;
  };
  bool full_at(const Bucket& b, clock_type::time_point now) const {
    return b.tokens + std::chrono::duration<double>(now - b.last).count() * rate_ >= burst_;
  }

  double burst_, rate_;
  gomap::ShardedMap<std::string, Bucket> buckets_;
};

}  // namespace examples
