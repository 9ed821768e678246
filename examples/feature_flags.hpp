// Feature-flag / configuration store with subscribers notified of changes.
//
// Why Map + std::shared_mutex: reads dominate, but a reader sometimes wants
// a consistent view of *all* flags at once (snapshot()), and a change must
// be ordered with the notifications it causes.  One reader-writer lock over
// a plain gomap::Map gives both; SyncMap's range is only weakly consistent.
#pragma once

#include <cstdint>
#include <functional>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <utility>
#include <vector>

#include <gomap/map.hpp>

namespace examples {

class FeatureFlags {
 public:
  // Called with (name, old value or "" if new, new value or "" if removed).
  using Subscriber =
      std::function<void(const std::string&, const std::string&, const std::string&)>;

  std::string get(const std::string& name, const std::string& fallback = "") const {
    std::shared_lock lock(mu_);
    auto [v, ok] = flags_.lookup(name);
    return ok ? v : fallback;
  }
  bool enabled(const std::string& name) const { return get(name) == "on"; }

  // Sets a flag; subscribers hear about real changes only, in the order the
  // changes happened (notification happens under notify_mu_, outside mu_, so
  // a subscriber may read the store).
  void set(const std::string& name, const std::string& value) {
    std::lock_guard order(notify_mu_);
    std::string old;
    {
      std::unique_lock lock(mu_);
      old = flags_.get(name);
      if (flags_.contains(name) && old == value) return;
      flags_.set(name, value);
      ++version_;
    }
    notify(name, old, value);
  }

  void remove(const std::string& name) {
    std::lock_guard order(notify_mu_);
    std::string old;
    {
      std::unique_lock lock(mu_);
      auto [v, ok] = flags_.lookup(name);
      if (!ok) return;
      old = v;
      flags_.erase(name);
      ++version_;
    }
    notify(name, old, "");
  }

  // All flags, consistently, with the version they were read at.
  std::pair<std::vector<std::pair<std::string, std::string>>, std::uint64_t> snapshot() const {
    std::shared_lock lock(mu_);
    std::vector<std::pair<std::string, std::string>> all;
    for (auto&& [k, v] : flags_) all.emplace_back(k, v);
    return {all, version_};
  }

  void subscribe(Subscriber s) {
    std::lock_guard order(notify_mu_);
    subscribers_.push_back(std::move(s));
  }

 private:
  void notify(const std::string& name, const std::string& old, const std::string& value) {
    for (const Subscriber& s : subscribers_) s(name, old, value);
  }

  mutable std::shared_mutex mu_;
  gomap::Map<std::string, std::string> flags_ = gomap::make<std::string, std::string>();
  std::uint64_t version_ = 0;
  std::mutex notify_mu_;  // orders changes with their notifications
  std::vector<Subscriber> subscribers_;
};

}  // namespace examples
