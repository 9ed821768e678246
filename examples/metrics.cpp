// Four worker threads count the requests they serve, by status code.
#include "metrics.hpp"

#include <cstdio>
#include <thread>
#include <vector>

int main() {
  examples::Metrics m;
  std::vector<std::thread> workers;
  workers.reserve(4);
  for (int w = 0; w < 4; ++w)
    workers.emplace_back([&m, w] {
      for (int i = 0; i < 1000; ++i) {
        m.add("http_requests_total");
        m.add(i % 10 == 0 ? "http_status_500" : "http_status_200");
        m.add("worker_" + std::to_string(w) + "_busy_ms", 3);
      }
    });
  for (auto& t : workers) t.join();
  for (const auto& [name, value] : m.scrape())
    std::printf("%-24s %lld\n", name.c_str(), static_cast<long long>(value));
  return m.get("http_requests_total") == 4000 && m.get("http_status_500") == 400 ? 0 : 1;
}
