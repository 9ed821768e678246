// Two threads write one gomap::Map with no synchronization between them.  The
// relaxed flag orders the writes in time (so Go's detector, which needs them to
// overlap, stays quiet) without creating a happens-before edge, so
// ThreadSanitizer must report the pair as a race on gomap::Map.  Without
// -fsanitize=thread the program just prints the map.
#include <gomap/gomap.hpp>

#include <atomic>
#include <iostream>
#include <thread>

int main() {
  auto m = gomap::make<int, int>();
  std::atomic<bool> first_done{false};
  std::thread a([&] {
    m[1] = 1;
    first_done.store(true, std::memory_order_relaxed);
  });
  std::thread b([&] {
    while (!first_done.load(std::memory_order_relaxed)) std::this_thread::yield();
    m[2] = 2;
  });
  a.join();
  b.join();
  std::cout << m << "\n";
  return 0;
}
