// The racing programs of Go's runtime/testdata/testprog/map.go, ported: two
// threads misuse one map without a lock, yielding between operations as the
// Go versions call runtime.Gosched().  Each returns if the detector missed the
// race; a detection ends the process with `fatal error: ...`.  Shared by the
// death tests (tests/detect) and the detection-rate tool (tools/detect_rate);
// each takes the map type (gomap::Map by default, or gomap::SwissMap).
#pragma once

#include <pthread.h>

#include <gomap/map.hpp>
#include <gomap/swiss_map.hpp>

#include <cstdint>
#include <mutex>
#include <thread>
#include <vector>

namespace gomap::racers {

// Names the calling thread the way a program would ("worker-1").
inline void name_thread(const char* name) {
  pthread_setname_np(pthread_self(), name);
}

// concurrentMapWrites
template <class M = gomap::Map<int, int>>
inline void concurrent_map_writes(int iterations) {
  auto m = M::make();
  std::thread a([&] {
    name_thread("worker-1");
    for (int i = 0; i < iterations; ++i) {
      m[5] = 0;
      std::this_thread::yield();
    }
  });
  std::thread b([&] {
    name_thread("worker-2");
    for (int i = 0; i < iterations; ++i) {
      m[6] = 0;
      std::this_thread::yield();
    }
  });
  a.join();
  b.join();
}

// concurrentMapReadWrite
template <class M = gomap::Map<int, int>>
inline void concurrent_map_read_write(int iterations) {
  auto m = M::make();
  std::thread a([&] {
    name_thread("worker-1");
    for (int i = 0; i < iterations; ++i) {
      m[5] = 0;
      std::this_thread::yield();
    }
  });
  std::thread b([&] {
    name_thread("worker-2");
    for (int i = 0; i < iterations; ++i) {
      [[maybe_unused]] volatile int v = m.get(6);
      std::this_thread::yield();
    }
  });
  a.join();
  b.join();
}

// concurrentMapIterateWrite
template <class M = gomap::Map<int, int>>
inline void concurrent_map_iterate_write(int iterations) {
  auto m = M::make();
  std::thread a([&] {
    name_thread("worker-1");
    for (int i = 0; i < iterations; ++i) {
      m[5] = 0;
      std::this_thread::yield();
    }
  });
  std::thread b([&] {
    name_thread("worker-2");
    for (int i = 0; i < iterations; ++i) {
      for ([[maybe_unused]] auto&& kv : m) {
      }
      std::this_thread::yield();
    }
  });
  a.join();
  b.join();
}

// The same kind of traffic done right: `threads` threads, `ops` mixed
// operations each (set, compound assign, get, contains, erase, a short
// iteration now and then, a rare clear) on one map behind a std::mutex.
// Must never trip the detector nor ThreadSanitizer.  Returns the final size.
template <class M = gomap::Map<std::uint64_t, std::uint64_t>>
inline std::int64_t locked_mixed_ops(int threads, int ops) {
  auto m = M::make();
  std::mutex mu;
  std::vector<std::thread> ts;
  for (int t = 0; t < threads; ++t) {
    ts.emplace_back([&, t] {
      std::uint64_t x = 0x9e3779b97f4a7c15ull * static_cast<std::uint64_t>(t + 1);
      for (int i = 0; i < ops; ++i) {
        x ^= x << 13;  // xorshift64: cheap, deterministic per thread
        x ^= x >> 7;
        x ^= x << 17;
        const std::uint64_t k = x % 4096;
        std::lock_guard lk(mu);
        switch (x >> 60) {
          case 0:
          case 1:
          case 2:
          case 3:
            m[k] = x;
            break;
          case 4:
          case 5:
            m[k] += 1;
            break;
          case 6:
          case 7:
          case 8: {
            [[maybe_unused]] volatile auto v = m.get(k);
            break;
          }
          case 9:
          case 10: {
            [[maybe_unused]] volatile bool c = m.contains(k);
            break;
          }
          case 11:
          case 12:
          case 13:
            m.erase(k);
            break;
          case 14: {
            int n = 0;
            for ([[maybe_unused]] auto&& kv : m) {
              if (++n == 8) break;
            }
            break;
          }
          default:
            if (x % 64 == 0) m.clear();
            break;
        }
      }
    });
  }
  for (auto& t : ts) t.join();
  return static_cast<std::int64_t>(m.size());
}

}  // namespace gomap::racers
