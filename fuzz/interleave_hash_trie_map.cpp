// interleave_hash_trie_map: gomap::HashTrieMap under schedules the fuzzer chooses
// (docs/interleave.md). The input is the operations of 2-4 threads on keys 0..3 and the
// schedule; every run must be linearizable against a sequential map, size() exact at
// quiescence, and the reclaimer's books balanced (fuzz/interleave.hpp).
#include <cstddef>
#include <cstdint>
#include <string>

#include "interleave.hpp"

namespace gomap_fuzz::interleave_hash_trie_map {

int run(const std::uint8_t* data, std::size_t size) {
  gomap_fuzz::input in(data, size);
  gomap_interleave::map_scenario s = gomap_interleave::decode_map_scenario(in);
  gomap_interleave::byte_chooser c(data + (size - in.remaining()), in.remaining());
  gomap_interleave::run_context() =
      "interleave_hash_trie_map input (replay: the harness binary on it)";
  // Byte 1's low bit (the seed variation's): full-hash collisions, so the overflow chains
  // are under test too.
  if (size > 1 && (data[1] & 1) != 0) {
    gomap_interleave::map_run<
        gomap::HashTrieMap<std::uint64_t, std::string, gomap_interleave::colliding_hash>>(
        std::move(s), c);
  } else {
    gomap_interleave::map_run<gomap::HashTrieMap<std::uint64_t, std::string>>(std::move(s), c);
  }
  return 0;
}

}  // namespace gomap_fuzz::interleave_hash_trie_map

GOMAP_FUZZ_ENTRY(gomap_fuzz::interleave_hash_trie_map::run)
