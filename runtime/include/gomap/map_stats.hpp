// <gomap/map_stats.hpp> — what m.stats() and m.visit_buckets() tell about a
// classic gomap::Map (for tests, tools such as tools/inspect, and the
// curious).  Read-only views; nothing here can change a map.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace gomap {

// m.stats()
struct MapStats {
  std::uint8_t B = 0;                  // log2 of the main bucket array
  std::uint64_t count = 0;             // live entries
  std::uint16_t noverflow = 0;         // Go's approximate overflow counter
  std::uint64_t overflow_buckets = 0;  // exact overflow buckets linked (current + old arrays)
  std::uint64_t bucket_count = 0;      // 2^B
  bool growing = false;
  bool same_size_grow = false;
  std::uint64_t nevacuate = 0;  // progress counter for evacuation
  std::uint64_t bytes = 0;      // memory held by the map (header, arrays, indirect objects)
};

// m.stats() of a gomap::SwissMap (Go 1.24+'s map).
struct SwissStats {
  std::uint64_t count = 0;        // live entries
  bool small = false;             // the map is a single group (no table)
  std::uint64_t dir_len = 0;      // directory entries (1 << global_depth); 0 while small
  std::uint8_t global_depth = 0;  // hash bits that select a table
  std::uint64_t tables = 0;       // distinct tables (0 while small)
  std::uint64_t capacity = 0;     // slots, over all tables (8 for the small group)
  std::uint64_t tombstones = 0;   // deleted slots not yet reclaimed
  bool growing = false;           // always false: a table grows at once
  std::uint64_t bytes = 0;        // memory held (header, directory, groups, indirect objects)
};

// A slot's state, decoded from its tophash byte by the engine.
enum class SlotState : std::uint8_t {
  empty_rest,       // empty, and nothing after it in the chain
  empty_one,        // empty
  evacuated_x,      // evacuated to the first half of the larger table
  evacuated_y,      // evacuated to the second half
  evacuated_empty,  // empty, bucket evacuated
  filled,           // a live entry; its tophash byte is the top of its hash
};

// The name Go's map.go gives each state.
inline constexpr std::string_view state_name(SlotState s) noexcept {
  switch (s) {
    case SlotState::empty_rest:
      return "emptyRest";
    case SlotState::empty_one:
      return "emptyOne";
    case SlotState::evacuated_x:
      return "evacuatedX";
    case SlotState::evacuated_y:
      return "evacuatedY";
    case SlotState::evacuated_empty:
      return "evacuatedEmpty";
    case SlotState::filled:
      return "filled";
  }
  return "?";
}

// One bucket, as the read-only layout visitor sees it.
struct BucketView {
  static constexpr std::size_t slots = 8;  // Go's bucketCnt
  bool old = false;                        // in the old array (growth in progress)
  std::uint64_t index = 0;                 // main bucket index in its array
  std::uint32_t chain_pos = 0;             // 0 for the main bucket, 1.. for overflow buckets
  const std::uint8_t* tophash = nullptr;   // the 8 raw tophash bytes
  SlotState state[slots] = {};             // each slot's state, decoded
  bool evacuated = false;                  // Go's evacuated(b) of the chain's main bucket
  bool has_overflow = false;
};

}  // namespace gomap
