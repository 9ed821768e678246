// Session store: session id -> user record, with expiry.
//
// Why SyncMap: every request looks its session up, while sessions are
// written once at login and removed at logout or expiry — Go's first
// sync.Map case ("an entry is only ever written once but read many times").
// Loads of keys in the read map take no lock and write no shared cache line,
// so request threads do not contend.
//
// Which design: with steady logins the key set keeps changing, which is
// SyncMap's weak spot (every new key takes its one mutex, and a load of a
// session created since the last promotion takes it too until misses promote
// the whole dirty map). gomap::HashTrieMap — same members, drop-in — fits
// that churn better: a login locks one trie node, loads never lock.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include <gomap/sync_map.hpp>

namespace examples {

using clock_type = std::chrono::steady_clock;

struct Session {
  std::string user;
  std::int64_t user_id = 0;
  clock_type::time_point expires;

  friend bool operator==(const Session&, const Session&) = default;
};

class SessionStore {
 public:
  explicit SessionStore(clock_type::duration ttl) : ttl_(ttl) {}

  // Creates a session; false if the id is taken (ids must be unique).
  bool create(const std::string& id, std::string user, std::int64_t user_id,
              clock_type::time_point now) {
    return !sessions_.load_or_store(id, Session{std::move(user), user_id, now + ttl_}).second;
  }

  // The live session, or nullopt.  An expired session is removed — with
  // compare_and_delete, so a session refreshed concurrently survives.
  std::optional<Session> get(const std::string& id, clock_type::time_point now) {
    std::optional<Session> s = sessions_.load(id);
    if (!s) return std::nullopt;
    if (now >= s->expires) {
      sessions_.compare_and_delete(id, *s);
      return std::nullopt;
    }
    return s;
  }

  // Extends a live session's expiry (sliding expiration); false if gone.
  bool touch(const std::string& id, clock_type::time_point now) {
    for (;;) {
      std::optional<Session> s = get(id, now);
      if (!s) return false;
      Session fresh = *s;
      fresh.expires = now + ttl_;
      if (sessions_.compare_and_swap(id, *s, fresh)) return true;  // else: raced, retry
    }
  }

  void destroy(const std::string& id) { sessions_.erase(id); }
  std::size_t size() const { return sessions_.size(); }

 private:
  clock_type::duration ttl_;
  gomap::SyncMap<std::string, Session> sessions_;
};

}  // namespace examples
