// detect_racer <scenario> [iterations]: one of Go's racing map programs
// (racers.hpp), for tools/detect_rate.  Exits 0 if the race went unnoticed.
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "racers.hpp"

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s writes|read-write|iterate-write [iterations]\n", argv[0]);
    return 2;
  }
  const std::string_view s = argv[1];
  const int n = argc > 2 ? std::atoi(argv[2]) : 10000;  // Go's loop count
  if (s == "writes") {
    gomap::racers::concurrent_map_writes(n);
  } else if (s == "read-write") {
    gomap::racers::concurrent_map_read_write(n);
  } else if (s == "iterate-write") {
    gomap::racers::concurrent_map_iterate_write(n);
  } else {
    std::fprintf(stderr, "unknown scenario\n");
    return 2;
  }
  return 0;
}
