// Replays every committed input in fuzz/corpus/<harness>/ through its
// harness (linked without libFuzzer).  A harness aborts on any divergence,
// so a regression shows up as a crashed test, with the harness's message.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "../../fuzz/fuzz_common.hpp"

namespace gomap_fuzz {
namespace map_ops {
int run(const std::uint8_t*, std::size_t);
}
namespace map_keys {
int run(const std::uint8_t*, std::size_t);
}
namespace map_growth {
int run(const std::uint8_t*, std::size_t);
}
namespace map_throw {
int run(const std::uint8_t*, std::size_t);
}
namespace hash {
int run(const std::uint8_t*, std::size_t);
}
namespace sync_map_ops {
int run(const std::uint8_t*, std::size_t);
}
namespace sharded_ops {
int run(const std::uint8_t*, std::size_t);
}
}  // namespace gomap_fuzz

namespace {

using harness_fn = int (*)(const std::uint8_t*, std::size_t);

// Runs every file of the harness's corpus; returns how many.
std::size_t replay(const char* harness, harness_fn fn) {
  const std::filesystem::path dir = std::filesystem::path(GOMAP_FUZZ_CORPUS_DIR) / harness;
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::directory_iterator(dir))
    if (e.is_regular_file()) files.push_back(e.path());
  std::sort(files.begin(), files.end());
  for (const auto& f : files) {
    std::ifstream in(f, std::ios::binary);
    const std::vector<char> bytes((std::istreambuf_iterator<char>(in)),
                                  std::istreambuf_iterator<char>());
    SCOPED_TRACE(f.string());
    gomap::set_seed(gomap_fuzz::input_seed);  // as LLVMFuzzerTestOneInput does
    fn(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
  }
  return files.size();
}

TEST(FuzzCorpusReplay, MapOps) {
  EXPECT_GT(replay("map_ops", gomap_fuzz::map_ops::run), 0u);
}
TEST(FuzzCorpusReplay, MapKeys) {
  EXPECT_GT(replay("map_keys", gomap_fuzz::map_keys::run), 0u);
}
TEST(FuzzCorpusReplay, MapGrowth) {
  EXPECT_GT(replay("map_growth", gomap_fuzz::map_growth::run), 0u);
}
TEST(FuzzCorpusReplay, MapThrow) {
  EXPECT_GT(replay("map_throw", gomap_fuzz::map_throw::run), 0u);
}
TEST(FuzzCorpusReplay, Hash) {
  EXPECT_GT(replay("hash", gomap_fuzz::hash::run), 0u);
}
#ifdef GOMAP_FUZZ_HAVE_SYNC_MAP
TEST(FuzzCorpusReplay, SyncMapOps) {
  EXPECT_GT(replay("sync_map_ops", gomap_fuzz::sync_map_ops::run), 0u);
}
#endif
#ifdef GOMAP_FUZZ_HAVE_SHARDED_MAP
TEST(FuzzCorpusReplay, ShardedOps) {
  EXPECT_GT(replay("sharded_ops", gomap_fuzz::sharded_ops::run), 0u);
}
#endif

}  // namespace
