// Metrics / event aggregation: counters per key, bumped from many threads.
//
// Why ShardedMap: the workload is nearly all writes (increments) spread over
// many keys.  compute() makes each increment one atomic read-modify-write
// under the lock of the key's shard, so threads bumping different metrics
// rarely meet; SyncMap would allocate a new value box per increment.
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <gomap/sharded_map.hpp>

namespace examples {

class Metrics {
 public:
  void add(const std::string& name, std::int64_t delta = 1) {
    counters_.compute(name, [delta](const std::int64_t* cur) -> std::optional<std::int64_t> {
      return (cur ? *cur : 0) + delta;
    });
  }

  std::int64_t get(const std::string& name) const { return counters_.get(name); }

  // Every counter, sorted by name (a scrape).  Weakly consistent across
  // shards while writers run, exact once they stop.
  std::vector<std::pair<std::string, std::int64_t>> scrape() const {
    std::vector<std::pair<std::string, std::int64_t>> out;
    counters_.range([&](const std::string& k, const std::int64_t& v) {
      out.emplace_back(k, v);
      return true;
    });
    std::sort(out.begin(), out.end());
    return out;
  }

  // Reads and zeroes one counter atomically (for delta-style exporters).
  std::int64_t take(const std::string& name) {
    std::int64_t was = 0;
    counters_.compute(name, [&](const std::int64_t* cur) -> std::optional<std::int64_t> {
      if (cur) was = *cur;
      return std::nullopt;
    });
    return was;
  }

 private:
  gomap::ShardedMap<std::string, std::int64_t> counters_;
};

}  // namespace examples
