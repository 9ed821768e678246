// Service registry: instance name -> endpoint; registering a name that is
// already taken is refused.
//
// Why SyncMap: lookups (every outgoing call resolves a name) dominate;
// registrations are rare.  load_or_store is exactly "register unless
// present" in one atomic step, and compare_and_delete lets an instance
// deregister only its own registration, never a successor's.
//
// Which design: SyncMap — registrations are rare and the name set is stable,
// the case its read map is built for. gomap::HashTrieMap has the same members
// and would do as well.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <gomap/sync_map.hpp>

namespace examples {

struct Endpoint {
  std::string host;
  std::uint16_t port = 0;
  std::uint64_t owner = 0;  // which process registered it

  friend bool operator==(const Endpoint&, const Endpoint&) = default;
};

class ServiceRegistry {
 public:
  // True if registered; false if the name was taken (`existing` tells by whom).
  bool register_instance(const std::string& name, const Endpoint& e, Endpoint* existing = nullptr) {
    auto [actual, loaded] = services_.load_or_store(name, e);
    if (loaded && existing) *existing = actual;
    return !loaded;
  }

  // Removes the registration only if it is still `e` (ours).
  bool deregister(const std::string& name, const Endpoint& e) {
    return services_.compare_and_delete(name, e);
  }

  std::optional<Endpoint> resolve(const std::string& name) const { return services_.load(name); }

  std::vector<std::string> names() const {
    std::vector<std::string> out;
    services_.range([&](const std::string& k, const Endpoint&) {
      out.push_back(k);
      return true;
    });
    return out;
  }

 private:
  gomap::SyncMap<std::string, Endpoint> services_;
};

}  // namespace examples
