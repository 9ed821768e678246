// std::unordered_map rows of the single-threaded workloads.
#include "adapters.hpp"
#include "single.hpp"

namespace {
const bool registered = [] {
  gomap_bench::register_single<gomap_bench::StdLikeAdapter<gomap_bench::std_unordered_map>>(
      "std_unordered_map");
  return true;
}();
}  // namespace
