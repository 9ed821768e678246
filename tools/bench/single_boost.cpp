// boost::unordered_flat_map (Boost 1.81) rows of the single-threaded workloads.
#include <boost/unordered/unordered_flat_map.hpp>

#include "adapters.hpp"
#include "single.hpp"

namespace {
template <class K, class V>
using boost_map = boost::unordered_flat_map<K, V>;

const bool registered = [] {
  gomap_bench::register_single<gomap_bench::StdLikeAdapter<boost_map>>("boost_unordered_flat_map");
  return true;
}();
}  // namespace
