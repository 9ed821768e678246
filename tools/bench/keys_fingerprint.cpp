// Prints the fingerprint of every generated key set and op stream; the Go side
// (go/keys_test.go: Fingerprint) folds the same data, and tools/bench/run
// refuses to compare results when the two disagree.
#include <cstdint>
#include <cstdio>

#include "concurrent.hpp"
#include "single.hpp"

int main() {
  using namespace gomap_bench;
  std::uint64_t h = 14695981039346656037ULL;
  auto mix = [&](std::uint64_t x) { h = (h ^ x) * 1099511628211ULL; };
  const auto& k = keys(1024);
  for (auto v : k.ks.order) mix(v);
  for (auto v : k.ks.absent) mix(v);
  for (std::size_t i = 0; i < k.mixed.op.size(); ++i) {
    mix(static_cast<std::uint64_t>(k.mixed.op[i]));
    mix(k.mixed.arg[i]);
  }
  for (char c : hex_key(k.ks.present[0], 64) + hex_key(k.ks.present[1], 16))
    mix(static_cast<unsigned char>(c));
  for (bool zipf : {false, true}) {
    const auto s = conc::make_mixed_stream(90, zipf);
    for (std::size_t j = 0; j < s.key.size(); ++j) {
      mix(static_cast<std::uint64_t>(s.key[j]));
      if (s.write[j]) mix(1);
    }
  }
  std::printf("keys-fingerprint %016llx\n", static_cast<unsigned long long>(h));
}
