// Connection pool keyed by DSN: idle connections are reused per database,
// new ones opened up to a limit per DSN.
//
// Why Map + std::mutex: acquire and release each touch several things that
// must change together (the DSN's idle list and its open count), and the
// critical sections are tiny — one plain mutex over a gomap::Map is the
// simplest correct design; a concurrent map would still need a per-pool lock.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

#include <gomap/map.hpp>

namespace examples {

struct Connection {
  std::string dsn;
  std::uint64_t id;
};

class ConnectionPool {
 public:
  using Dialer = std::function<std::unique_ptr<Connection>(const std::string& dsn)>;

  ConnectionPool(std::size_t max_per_dsn, Dialer dial)
      : max_per_dsn_(max_per_dsn), dial_(std::move(dial)) {}

  // A connection to `dsn`: an idle one if any, else a new one; nullptr when
  // the DSN is at its limit (the caller retries or fails the request).
  std::unique_ptr<Connection> acquire(const std::string& dsn) {
    {
      std::lock_guard lock(mu_);
      Pool& p = pool(dsn);
      if (!p.idle.empty()) {
        auto c = std::move(p.idle.back());
        p.idle.pop_back();
        return c;
      }
      if (p.open >= max_per_dsn_) return nullptr;
      ++p.open;  // reserve the slot, then dial without holding the lock
    }
    try {
      return dial_(dsn);
    } catch (...) {
      std::lock_guard lock(mu_);
      --pool(dsn).open;
      throw;
    }
  }

  // Gives a connection back for reuse (or closes it when `broken`).
  void release(std::unique_ptr<Connection> c, bool broken = false) {
    std::lock_guard lock(mu_);
    Pool& p = pool(c->dsn);
    if (broken)
      --p.open;
    else
      p.idle.push_back(std::move(c));
  }

  struct Stats {
    std::size_t open = 0, idle = 0;
  };
  Stats stats(const std::string& dsn) const {
    std::lock_guard lock(mu_);
    const auto* p = pools_.find(dsn);
    if (p == nullptr) return {};
    return {(*p)->open, (*p)->idle.size()};
  }
  std::size_t dsns() const {
    std::lock_guard lock(mu_);
    return pools_.size();
  }

 private:
  struct Pool {
    std::size_t open = 0;
    std::vector<std::unique_ptr<Connection>> idle;
  };
  // Map values are copied like Go values; a Pool owns connections, so the
  // map holds it by pointer.
  Pool& pool(const std::string& dsn) {
    if (auto* p = pools_.find(dsn)) return **p;
    auto p = std::make_shared<Pool>();
    pools_.set(dsn, p);
    return *p;
  }

  const std::size_t max_per_dsn_;
  Dialer dial_;
  mutable std::mutex mu_;
  gomap::Map<std::string, std::shared_ptr<Pool>> pools_ =
      gomap::make<std::string, std::shared_ptr<Pool>>();
};

}  // namespace examples
