// A 3-entry cache of user names: the least recently used one is evicted.
#include "lru_cache.hpp"

#include <cstdio>
#include <string>

int main() {
  examples::LruCache<int, std::string> cache(3);
  cache.put(1, "ada");
  cache.put(2, "grace");
  cache.put(3, "barbara");
  cache.get(1);  // 1 is now the most recent; 2 the least
  auto evicted = cache.put(4, "frances");
  std::printf("evicted user %d\n", evicted.value_or(-1));
  std::printf("user 2 cached: %s, user 1 cached: %s\n", cache.get(2) ? "yes" : "no",
              cache.get(1) ? "yes" : "no");
  return evicted == 2 ? 0 : 1;
}
