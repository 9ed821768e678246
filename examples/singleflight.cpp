// Five concurrent requests for the same user profile hit the backend once.
#include "singleflight.hpp"

#include <atomic>
#include <cstdio>
#include <thread>
#include <vector>

int main() {
  examples::SingleFlight<std::string> group;
  std::atomic<int> backend_calls{0};
  std::vector<std::thread> requests;
  requests.reserve(5);
  std::atomic<int> shared{0};
  for (int i = 0; i < 5; ++i)
    requests.emplace_back([&] {
      auto r = group.run("user:42", [&] {
        ++backend_calls;
        group.wait_for_waiters("user:42", 4);  // hold the call until the others have joined
        return std::string("{\"id\":42,\"name\":\"ada\"}");
      });
      shared += r.shared;
    });
  for (auto& t : requests) t.join();
  std::printf("5 requests, %d backend call(s), %d shared results\n", backend_calls.load(),
              shared.load());
  return backend_calls == 1 && shared == 5 ? 0 : 1;
}
