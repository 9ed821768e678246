// TTL cache with a background janitor thread.
//
// Why ShardedMap: gets and sets come from many request threads and the
// janitor sweeps concurrently; ShardedMap's range() holds one shard's read
// lock at a time, so a sweep never stops the whole cache, and compute()
// lets the janitor delete an entry only if it is still the expired one.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <gomap/sharded_map.hpp>

namespace examples {

template <class V>
class TtlCache {
 public:
  using clock_type = std::chrono::steady_clock;
  using Now = std::function<clock_type::time_point()>;

  // `now` is injectable so tests can move time; the janitor sweeps every
  // `sweep_every` of real time.
  TtlCache(clock_type::duration ttl, clock_type::duration sweep_every, Now now = clock_type::now)
      : ttl_(ttl), now_(std::move(now)), janitor_([this, sweep_every] { janitor(sweep_every); }) {}

  ~TtlCache() {
    {
      std::lock_guard lock(stop_mu_);
      stop_ = true;
    }
    stop_cv_.notify_one();
    janitor_.join();
  }

  void set(const std::string& k, V v) { entries_.set(k, Entry{std::move(v), now_() + ttl_}); }

  std::optional<V> get(const std::string& k) const {
    auto [e, ok] = entries_.lookup(k);
    if (!ok || now_() >= e.expires) return std::nullopt;  // expired: the janitor removes it
    return e.value;
  }

  // Removes expired entries; returns how many.  Also run by the janitor.
  std::size_t sweep() {
    const auto now = now_();
    std::vector<std::string> expired;
    entries_.range([&](const std::string& k, const Entry& e) {
      if (now >= e.expires) expired.push_back(k);
      return true;
    });
    std::size_t removed = 0;
    for (const std::string& k : expired)  // re-check: set() may have refreshed it
      entries_.compute(k, [&](const Entry* cur) -> std::optional<Entry> {
        if (cur == nullptr) return std::nullopt;
        if (now < cur->expires) return *cur;
        ++removed;
        return std::nullopt;
      });
    sweeps_.fetch_add(1, std::memory_order_relaxed);
    return removed;
  }

  std::size_t size() const { return entries_.size(); }
  std::uint64_t sweeps() const { return sweeps_.load(std::memory_order_relaxed); }

 private:
  struct Entry {
    V value;
    clock_type::time_point expires;
  };

  void janitor(clock_type::duration every) {
    std::unique_lock lock(stop_mu_);
    while (!stop_cv_.wait_for(lock, every, [this] { return stop_; })) {
      lock.unlock();
      sweep();
      lock.lock();
    }
  }

  const clock_type::duration ttl_;
  const Now now_;
  gomap::ShardedMap<std::string, Entry> entries_;
  std::atomic<std::uint64_t> sweeps_{0};
  std::mutex stop_mu_;
  std::condition_variable stop_cv_;
  bool stop_ = false;
  std::thread janitor_;  // last: starts after everything it uses exists
};

}  // namespace examples
