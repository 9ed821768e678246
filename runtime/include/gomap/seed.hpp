// <gomap/seed.hpp> — one seed for all of gomap's randomness.
//
// gomap randomizes what Go randomizes: every map's hash seed, the start of
// every iteration, the hash of every NaN, ShardedMap's shard seed.  All of it
// comes from one process seed, random by default (as in Go).  Fixing it makes
// a run replayable:
//
//   GOMAP_SEED=<uint64>        (decimal or 0x-prefixed hex; read once, at first use)
//   gomap::set_seed(s)         (from code: a test, a fuzz target's entry point)
//   gomap::seed()              the seed in effect (the random one if none was set)
//
// What replays (docs/seed.md has the full contract): a single-threaded program
// that makes the same calls after the same seed gets the same hash seeds,
// iteration orders and NaN hashes.  Each thread draws from its own stream,
// derived from the seed and the order in which threads first used gomap since
// the seed was set.  The hashing key schedule (Go's hashkey/aeskeysched) is
// derived from the process's first seed (GOMAP_SEED, the random one, or a
// set_seed() before any other use of gomap) and never changes after.
//
// A fixed seed makes hash flooding possible: it is for tests and fuzzing.
// gomap prints a one-line warning on stderr when a seed is fixed in a build
// that is not a fuzzing build (FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION).
#pragma once

#include <cstdint>

namespace gomap {

namespace detail {
void set_seed(std::uint64_t seed, bool fuzzing_build) noexcept;
}  // namespace detail

// The process seed in effect.
std::uint64_t seed() noexcept;

// Fix the process seed: every thread's stream restarts from it (the calling
// thread first).  Safe to call at any time, from any thread; maps made before
// keep their hash seeds.
inline void set_seed(std::uint64_t seed) noexcept {
#if defined(FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION)
  detail::set_seed(seed, true);
#else
  detail::set_seed(seed, false);
#endif
}

}  // namespace gomap
