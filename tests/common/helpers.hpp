// Small helpers shared by the test suites.
#pragma once

#include <cstddef>
#include <string>
#include <thread>
#include <vector>

#include "gomap/panic.hpp"

namespace gomap_test {

// The what() of the gomap::panic thrown by f, or "<no panic>" when f returns
// normally.  Any other exception type escapes and fails the test.
template <class F>
std::string panic_message(F&& f) {
  try {
    f();
  } catch (const gomap::panic& p) {
    return p.what();
  }
  return "<no panic>";
}

// Runs f(0) .. f(n-1) on n threads and joins them.
template <class F>
void run_threads(int n, F&& f) {
  std::vector<std::thread> ts;
  ts.reserve(static_cast<std::size_t>(n));
  for (int t = 0; t < n; ++t) ts.emplace_back([&f, t] { f(t); });
  for (auto& t : ts) t.join();
}

}  // namespace gomap_test
