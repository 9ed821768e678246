// An order service publishes events; billing and email subscribe.
#include "event_bus.hpp"

#include <cstdio>

int main() {
  examples::EventBus bus;
  int billed = 0, emailed = 0;
  bus.subscribe("order.created", [&](const std::string& t, const std::string& p) {
    ++billed;
    std::printf("billing got %s: %s\n", t.c_str(), p.c_str());
  });
  auto email = bus.subscribe("order.created", [&](const std::string& t, const std::string& p) {
    ++emailed;
    std::printf("email got %s: %s\n", t.c_str(), p.c_str());
  });
  bus.publish("order.created", "{\"order\":1}");
  bus.unsubscribe("order.created", email);
  bus.publish("order.created", "{\"order\":2}");
  const auto nobody = bus.publish("order.cancelled", "{\"order\":1}");
  std::printf("billing %d, email %d, order.cancelled reached %zu\n", billed, emailed, nobody);
  return billed == 2 && emailed == 1 && nobody == 0 ? 0 : 1;
}
