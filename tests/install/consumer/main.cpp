// A consumer of an installed gomap: proves headers, library and config work.
#include <gomap/gomap.hpp>

#include <iostream>
#include <string>

int main() {
  auto m = gomap::make<std::string, int>();
  m["go"] = 1;
  m["map"] += 2;
  if (gomap::to_string(m) != "map[go:1 map:2]") {
    std::cerr << "unexpected: " << m << "\n";
    return 1;
  }
  std::cout << "consumer ok: " << m << "\n";
  return 0;
}
