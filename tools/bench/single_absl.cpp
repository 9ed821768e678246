// absl::flat_hash_map rows of the single-threaded workloads.
#include <absl/container/flat_hash_map.h>

#include "adapters.hpp"
#include "single.hpp"

namespace {
template <class K, class V>
using absl_map = absl::flat_hash_map<K, V>;

const bool registered = [] {
  gomap_bench::register_single<gomap_bench::StdLikeAdapter<absl_map>>("absl_flat_hash_map");
  return true;
}();
}  // namespace
