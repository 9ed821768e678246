// Websocket connection registry: register / unregister / broadcast.
//
// Why SyncMap: each connection's own thread registers and unregisters its
// own id — Go's second sync.Map case ("goroutines read, write, and overwrite
// entries for disjoint sets of keys") — and broadcast ranges over a
// lock-free snapshot of the read map without blocking those threads.
//
// Which design: connections come and go all the time, so gomap::HashTrieMap
// (Go 1.24+'s sync.Map, same members) fits better than SyncMap: registering a
// new id locks one trie node instead of SyncMap's map-wide mutex, and a
// broadcast's range takes no lock at all, where SyncMap's first range after
// new keys promotes (copies) the dirty map under that mutex.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <gomap/sync_map.hpp>

namespace examples {

// Stands in for a socket: records what was sent to it.
class Socket {
 public:
  explicit Socket(std::uint64_t id) : id_(id) {}
  std::uint64_t id() const { return id_; }
  void send(const std::string& msg) {
    std::lock_guard lock(mu_);
    sent_.push_back(msg);
  }
  std::vector<std::string> sent() const {
    std::lock_guard lock(mu_);
    return sent_;
  }

 private:
  std::uint64_t id_;
  mutable std::mutex mu_;
  std::vector<std::string> sent_;
};

class Registry {
 public:
  std::shared_ptr<Socket> connect() {
    auto s = std::make_shared<Socket>(next_id_.fetch_add(1) + 1);
    conns_.store(s->id(), s);
    return s;
  }
  void disconnect(std::uint64_t id) { conns_.erase(id); }

  std::shared_ptr<Socket> find(std::uint64_t id) const { return conns_.load(id).value_or(nullptr); }

  // Sends to every registered connection except `from` (0: none excluded);
  // returns how many were sent to.  The shared_ptr keeps a socket alive
  // while we send, even if it disconnects meanwhile.
  std::size_t broadcast(const std::string& msg, std::uint64_t from = 0) const {
    std::size_t n = 0;
    conns_.range([&](const std::uint64_t& id, const std::shared_ptr<Socket>& s) {
      if (id != from) {
        s->send(msg);
        ++n;
      }
      return true;
    });
    return n;
  }

  std::size_t size() const { return conns_.size(); }

 private:
  std::atomic<std::uint64_t> next_id_{0};
  gomap::SyncMap<std::uint64_t, std::shared_ptr<Socket>> conns_;
};

}  // namespace examples
