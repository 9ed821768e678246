// Three clients join a chat room; one leaves; messages are broadcast.
#include "websocket_registry.hpp"

#include <cstdio>

int main() {
  examples::Registry room;
  auto alice = room.connect(), bob = room.connect(), carol = room.connect();
  room.broadcast("alice: hi", alice->id());
  room.disconnect(bob->id());
  room.broadcast("carol: bob left", carol->id());
  for (const auto& s : {alice, bob, carol}) {
    std::printf("connection %llu received:", static_cast<unsigned long long>(s->id()));
    for (const auto& m : s->sent()) std::printf(" [%s]", m.c_str());
    std::printf("\n");
  }
  return room.size() == 2 && alice->sent().size() == 1 && bob->sent().size() == 1 ? 0 : 1;
}
