// LRU cache: a map from key to a node of a recency list.
//
// Why Map + std::mutex: every get() reorders the recency list, so every
// operation is a write; a concurrent map would not help (the list needs the
// lock anyway).  The map holds list iterators, which std::list keeps valid
// while other nodes move — the classic map + list design.
#pragma once

#include <cstddef>
#include <list>
#include <mutex>
#include <optional>
#include <utility>

#include <gomap/map.hpp>

namespace examples {

template <class K, class V>
class LruCache {
 public:
  explicit LruCache(std::size_t capacity) : capacity_(capacity) {}

  std::optional<V> get(const K& k) {
    std::lock_guard lock(mu_);
    auto* it = index_.find(k);
    if (it == nullptr) return std::nullopt;
    order_.splice(order_.begin(), order_, *it);  // most recently used first
    return (*it)->second;
  }

  // Inserts or updates; returns the evicted key, if any.
  std::optional<K> put(const K& k, V v) {
    std::lock_guard lock(mu_);
    if (auto* it = index_.find(k)) {
      (*it)->second = std::move(v);
      order_.splice(order_.begin(), order_, *it);
      return std::nullopt;
    }
    order_.emplace_front(k, std::move(v));
    index_.set(k, order_.begin());
    if (order_.size() <= capacity_) return std::nullopt;
    K victim = std::move(order_.back().first);
    index_.erase(victim);
    order_.pop_back();
    return victim;
  }

  bool erase(const K& k) {
    std::lock_guard lock(mu_);
    auto* it = index_.find(k);
    if (it == nullptr) return false;
    order_.erase(*it);
    index_.erase(k);
    return true;
  }

  std::size_t size() const {
    std::lock_guard lock(mu_);
    return index_.size();
  }

 private:
  using list_type = std::list<std::pair<K, V>>;
  const std::size_t capacity_;
  mutable std::mutex mu_;
  list_type order_;
  gomap::Map<K, typename list_type::iterator> index_ =
      gomap::make<K, typename list_type::iterator>();
};

}  // namespace examples
