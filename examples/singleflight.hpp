// Request de-duplication ("singleflight", after golang.org/x/sync/singleflight):
// concurrent requests for one key run the function once and share its result.
//
// Why Map + std::mutex: it is Go's own design — a mutex-guarded map from key
// to the call in flight.  The lock is held only to find or register a call
// (never while the function runs), and the entry must be added and removed
// together with its waiter bookkeeping, which one mutex makes trivial.
#pragma once

#include <condition_variable>
#include <exception>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>

#include <gomap/map.hpp>

namespace examples {

template <class V>
class SingleFlight {
 public:
  struct Result {
    V value;
    bool shared;  // another caller's execution produced it (Go's `shared`)
  };

  // Do: runs fn() unless a call for `key` is in flight, in which case it
  // waits for that call and returns its result (or rethrows its exception).
  template <class F>
  Result run(const std::string& key, F&& fn) {
    std::unique_lock lock(mu_);
    if (auto* in_flight = calls_.find(key)) {
      std::shared_ptr<Call> c = *in_flight;
      ++c->dups;
      cv_.notify_all();  // for waiters() observers
      cv_.wait(lock, [&] { return c->done; });
      if (c->error) std::rethrow_exception(c->error);
      return {*c->value, true};
    }
    auto c = std::make_shared<Call>();
    calls_.set(key, c);
    lock.unlock();
    try {
      c->value.emplace(fn());
    } catch (...) {
      c->error = std::current_exception();
    }
    lock.lock();
    c->done = true;
    calls_.erase(key);
    const bool shared = c->dups > 0;
    cv_.notify_all();
    lock.unlock();
    if (c->error) std::rethrow_exception(c->error);
    return {*c->value, shared};
  }

  // Callers currently waiting on the call in flight for `key`.
  int waiters(const std::string& key) const {
    std::lock_guard lock(mu_);
    auto* c = calls_.find(key);
    return c ? (*c)->dups : 0;
  }
  // Blocks until at least `n` callers wait on `key`'s call (for tests/demos).
  void wait_for_waiters(const std::string& key, int n) const {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] {
      auto* c = calls_.find(key);
      return c && (*c)->dups >= n;
    });
  }

 private:
  struct Call {
    std::optional<V> value;
    std::exception_ptr error;
    int dups = 0;
    bool done = false;
  };
  mutable std::mutex mu_;
  mutable std::condition_variable cv_;
  gomap::Map<std::string, std::shared_ptr<Call>> calls_ =
      gomap::make<std::string, std::shared_ptr<Call>>();
};

}  // namespace examples
