// Two processes try to register the same instance name; the second is refused.
#include "service_registry.hpp"

#include <cstdio>

int main() {
  examples::ServiceRegistry reg;
  const examples::Endpoint first{"10.0.0.5", 8080, 1}, second{"10.0.0.6", 8080, 2};
  const bool a = reg.register_instance("orders-1", first);
  examples::Endpoint holder;
  const bool b = reg.register_instance("orders-1", second, &holder);
  std::printf("process 1 registered: %d; process 2 registered: %d (held by %s:%u)\n", a, b,
              holder.host.c_str(), unsigned{holder.port});
  const bool stolen = reg.deregister("orders-1", second);  // not ours: refused
  auto e = reg.resolve("orders-1");
  std::printf("orders-1 -> %s:%u\n", e->host.c_str(), unsigned{e->port});
  return a && !b && !stolen && e->owner == 1 ? 0 : 1;
}
