// Event bus with topic subscriptions.
//
// Why SyncMap: publishing (a read of the topic's subscriber list) vastly
// outnumbers subscribing.  Each topic maps to an immutable subscriber list;
// subscribe/unsubscribe replace the list copy-on-write with
// compare_and_swap, so publish never takes a lock — Go's sync.Map
// read-mostly case, plus the CAS loop idiom.
//
// Which design: SyncMap (Go 1.19–1.23's) fits — topics are a small, stable
// key set, so after the first promotion every publish is a read-map hit.
// gomap::HashTrieMap (Go 1.24+'s) fits as well and is the better choice if
// topics are created and dropped all the time (no dirty-map promotion).
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <gomap/sync_map.hpp>

namespace examples {

class EventBus {
 public:
  using Handler = std::function<void(const std::string& topic, const std::string& payload)>;
  using SubscriptionId = std::uint64_t;

  SubscriptionId subscribe(const std::string& topic, Handler h) {
    const SubscriptionId id = next_id_.fetch_add(1) + 1;
    auto sub = std::make_shared<const Subscriber>(Subscriber{id, std::move(h)});
    update(topic, [&](List& l) { l.push_back(sub); });
    return id;
  }

  void unsubscribe(const std::string& topic, SubscriptionId id) {
    update(topic, [&](List& l) { std::erase_if(l, [id](const auto& s) { return s->id == id; }); });
  }

  // Delivers to the topic's subscribers at the time of the call; returns how
  // many.  Lock-free: one SyncMap load, then the immutable list.
  std::size_t publish(const std::string& topic, const std::string& payload) const {
    std::optional<ListPtr> subs = topics_.load(topic);
    if (!subs || !*subs) return 0;
    for (const auto& s : **subs) s->handler(topic, payload);
    return (*subs)->size();
  }

 private:
  struct Subscriber {
    SubscriptionId id;
    Handler handler;
  };
  using List = std::vector<std::shared_ptr<const Subscriber>>;
  using ListPtr = std::shared_ptr<const List>;

  // Copy-on-write: build a new list from the current one and install it
  // only if nobody replaced the current one meanwhile.
  template <class F>
  void update(const std::string& topic, F&& edit) {
    for (;;) {
      auto [cur, loaded] = topics_.load_or_store(topic, std::make_shared<const List>());
      List next = *cur;
      edit(next);
      if (topics_.compare_and_swap(topic, cur, std::make_shared<const List>(std::move(next))))
        return;
    }
  }

  std::atomic<SubscriptionId> next_id_{0};
  gomap::SyncMap<std::string, ListPtr> topics_;
};

}  // namespace examples
