// A login, some requests, a logout and an expiry, against SessionStore.
#include "session_store.hpp"

#include <cstdio>

int main() {
  using namespace std::chrono_literals;
  examples::SessionStore store(30min);
  const auto t0 = examples::clock_type::now();
  store.create("s-1", "ada", 1, t0);
  store.create("s-2", "grace", 2, t0);
  if (auto s = store.get("s-1", t0 + 10min)) std::printf("s-1 -> %s\n", s->user.c_str());
  store.touch("s-1", t0 + 20min);
  store.destroy("s-2");
  std::printf("s-2 after logout: %s\n", store.get("s-2", t0 + 20min) ? "live" : "gone");
  std::printf("s-1 at +45min (touched at +20): %s\n",
              store.get("s-1", t0 + 45min) ? "live" : "gone");
  std::printf("s-1 at +51min: %s\n", store.get("s-1", t0 + 51min) ? "live" : "gone");
  return store.size() == 0 ? 0 : 1;
}
