// Requests against two databases reuse pooled connections.
#include "connection_pool.hpp"

#include <atomic>
#include <cstdio>

int main() {
  std::atomic<std::uint64_t> dialed{0};
  examples::ConnectionPool pool(2, [&](const std::string& dsn) {
    return std::make_unique<examples::Connection>(examples::Connection{dsn, ++dialed});
  });
  for (int request = 0; request < 10; ++request) {
    const std::string dsn = request % 2 ? "postgres://orders" : "postgres://users";
    auto c = pool.acquire(dsn);
    std::printf("request %d on %s via connection #%llu\n", request, dsn.c_str(),
                static_cast<unsigned long long>(c->id));
    pool.release(std::move(c));
  }
  std::printf("dialed %llu connections for 10 requests\n",
              static_cast<unsigned long long>(dialed.load()));
  return dialed == 2 ? 0 : 1;
}
