// interleave_sync_map: gomap::SyncMap under schedules the fuzzer chooses
// (docs/interleave.md). The input is the operations of 2-4 threads on keys 0..3 and the
// schedule; every run must be linearizable against a sequential map, size() exact at
// quiescence, and the reclaimer's books balanced (fuzz/interleave.hpp).
#include <cstddef>
#include <cstdint>
#include <string>

#include "interleave.hpp"

namespace gomap_fuzz::interleave_sync_map {

int run(const std::uint8_t* data, std::size_t size) {
  gomap_fuzz::input in(data, size);
  gomap_interleave::map_scenario s = gomap_interleave::decode_map_scenario(in);
  gomap_interleave::byte_chooser c(data + (size - in.remaining()), in.remaining());
  gomap_interleave::run_context() = "interleave_sync_map input (replay: the harness binary on it)";
  gomap_interleave::map_run<gomap::SyncMap<std::uint64_t, std::string>>(std::move(s), c);
  return 0;
}

}  // namespace gomap_fuzz::interleave_sync_map

GOMAP_FUZZ_ENTRY(gomap_fuzz::interleave_sync_map::run)
