// Entries live 50 ms; the janitor sweeps every 10 ms and empties the cache.
#include "ttl_cache.hpp"

#include <cstdio>

int main() {
  using namespace std::chrono_literals;
  examples::TtlCache<int> cache(50ms, 10ms);
  for (int i = 0; i < 100; ++i) cache.set("key" + std::to_string(i), i);
  std::printf("cached: %zu, key7 -> %d\n", cache.size(), cache.get("key7").value_or(-1));
  // Wait (bounded) for the janitor to remove them all.
  for (int i = 0; i < 500 && cache.size() != 0; ++i) std::this_thread::sleep_for(10ms);
  std::printf("after the janitor: %zu cached, %llu sweeps\n", cache.size(),
              static_cast<unsigned long long>(cache.sweeps()));
  return cache.size() == 0 ? 0 : 1;
}
