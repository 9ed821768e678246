// Shared by the gomap fuzz harnesses: an input decoder, the failure report,
// and Go's iteration invariants as a reusable tracker.
//
// Each harness defines `int run(const std::uint8_t*, std::size_t)` in its own
// namespace and exports it as LLVMFuzzerTestOneInput through
// GOMAP_FUZZ_ENTRY, unless GOMAP_FUZZ_NO_MAIN is defined: the regression
// test (tests/fuzz_regressions) links every harness into one GoogleTest
// binary and replays the committed corpora through them with GCC as well.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include <limits>

#include "gomap/map.hpp"
#include "gomap/seed.hpp"
#include "gomap/swiss_map.hpp"

namespace gomap_fuzz {

// The map harnesses run every input on both engines; a failure names the
// engine it happened on.
template <class M>
inline constexpr bool is_swiss_v = false;
template <class K, class V, class H, class E>
inline constexpr bool is_swiss_v<gomap::SwissMap<K, V, H, E>> = true;
template <class M>
inline constexpr const char* engine_name = is_swiss_v<M> ? "SwissMap" : "Map";

// The seed every input runs under.  gomap randomizes map seeds, iteration
// starts and NaN hashes; a harness that let those vary would take different
// paths on the same input (unstable coverage, crashes that do not replay).
// Each input therefore starts with gomap::set_seed(input_seed) — the one line
// any gomap fuzz target needs (docs/seed.md).
inline constexpr std::uint64_t input_seed = 0x676f6d6170667a7aull;  // "gomapfzz"

// Runs once before the first input (LLVMFuzzerInitialize): the paths gomap
// takes only the first time in a process — the seed's first use, the hash key
// schedule, the detector's thread token — so they do not count as paths of
// whichever input happens to run first (AFL++ would see them as unstable).
inline void warm_up() {
  gomap::set_seed(input_seed);
  auto m = gomap::make<std::string, double>();
  m.set(std::string(40, 'k'), 1.0);  // memhash/aeshash keys, the writer's thread token
  m.set("", 0.0);
  auto n = gomap::make<double, int>();
  n.set(std::numeric_limits<double>::quiet_NaN(), 1);  // f64hash's NaN draw
  for (auto&& e : m) (void)e;
  (void)gomap::runtime::alg();
}

// Reads the fuzzer's bytes front to back; past the end everything reads as
// zero, so a harness never needs to check before reading (loops stop on
// empty()).
class input {
 public:
  input(const std::uint8_t* data, std::size_t size) noexcept : p_(data), n_(size) {}
  bool empty() const noexcept { return n_ == 0; }
  std::size_t remaining() const noexcept { return n_; }
  std::uint8_t byte() noexcept {
    if (n_ == 0) return 0;
    --n_;
    return *p_++;
  }
  bool boolean() noexcept { return (byte() & 1) != 0; }
  // Little-endian; each read is its own statement (operand order is unspecified).
  std::uint16_t u16() noexcept {
    const unsigned lo = byte();
    return static_cast<std::uint16_t>(lo | unsigned{byte()} << 8);
  }
  std::uint32_t u32() noexcept {
    const std::uint32_t lo = u16();
    return lo | std::uint32_t{u16()} << 16;
  }
  std::uint64_t u64() noexcept {
    const std::uint64_t lo = u32();
    return lo | std::uint64_t{u32()} << 32;
  }
  // Up to `len` raw bytes (fewer at the end of the input).
  std::string_view bytes(std::size_t len) noexcept {
    if (len > n_) len = n_;
    std::string_view s(reinterpret_cast<const char*>(p_), len);
    p_ += len;
    n_ -= len;
    return s;
  }

 private:
  const std::uint8_t* p_;
  std::size_t n_;
};

// A divergence from Go's semantics or from the model: print what and where,
// then abort, so libFuzzer/AFL++ keep the input as a crash.
[[noreturn]] inline void fail(const std::string& harness, const std::string& what,
                              std::size_t step) {
  std::fprintf(stderr, "gomap fuzz [%s] step %zu: %s\n", harness.c_str(), step, what.c_str());
  std::fflush(stderr);
  std::abort();
}

// Go's iteration contract (spec: "For statements with range clause"), as
// docs/api.md states it for gomap::Map:
//  * no entry is produced twice;
//  * an entry removed before it was reached is not produced (so anything
//    produced is in the map, with its current value, when produced);
//  * an entry present from start to end and never removed is produced
//    exactly once (if the loop ran to its end);
//  * after clear() a running loop produces nothing more.
// Entries inserted during the loop may or may not be produced.
template <class K, class Hasher = std::hash<K>>
class range_tracker {
 public:
  template <class Model>
  void start(const Model& model) {
    initial_.clear();
    for (const auto& kv : model) initial_.push_back(kv.first);
  }
  // The map lost key k (erase of a present key): it may not be produced
  // again unless re-inserted, and it no longer has to be produced.
  // A key removed and inserted again is a new entry, which may be produced
  // even if the old one was.
  void removed(const K& k) {
    disturbed_.insert(k);
    seen_.erase(k);
  }
  // clear() of a non-empty map.  (Clearing an empty map is a no-op, in Go
  // 1.21 as here: a loop running over it may still produce entries inserted
  // afterwards, as entries created during iteration.)
  void cleared() noexcept { cleared_ = true; }

  // An entry was produced; "" if that is allowed.
  template <class Model, class V>
  std::string produce(const Model& model, const K& k, const V& v) {
    if (cleared_) return "an entry was produced after clear()";
    if (!seen_.insert(k).second) return "an entry was produced twice";
    auto it = model.find(k);
    if (it == model.end()) return "produced a key that is not in the map (removed before reached?)";
    if (!(it->second == v)) return "produced a value that differs from the map's current value";
    return "";
  }
  // The loop ended by itself (not by break): every entry present throughout
  // must have been produced.
  std::string finish_complete() const {
    if (cleared_) return "";
    for (const K& k : initial_)
      if (disturbed_.count(k) == 0 && seen_.count(k) == 0)
        return "an entry present throughout the loop was never produced";
    return "";
  }
  std::size_t produced() const noexcept { return seen_.size(); }

 private:
  std::vector<K> initial_;
  std::unordered_set<K, Hasher> seen_;
  std::unordered_set<K, Hasher> disturbed_;
  bool cleared_ = false;
};

}  // namespace gomap_fuzz

#ifdef GOMAP_FUZZ_NO_MAIN
#define GOMAP_FUZZ_ENTRY(fn)
#else
#define GOMAP_FUZZ_ENTRY(fn)                                                          \
  extern "C" int LLVMFuzzerInitialize(int*, char***) {                                \
    gomap_fuzz::warm_up();                                                            \
    return 0;                                                                         \
  }                                                                                   \
  extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) { \
    gomap::set_seed(gomap_fuzz::input_seed); /* every input replays alike */          \
    return fn(data, size);                                                            \
  }
#endif
