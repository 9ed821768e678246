// The huge-page arena (runtime/huge_arena.hpp): blocks, chunks, reuse, the
// sizes it refuses, frees from other threads (this binary also runs under
// ThreadSanitizer: "concurrent" in its name), and the Swiss engine's use of it.
#include "gomap/runtime/huge_arena.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <set>
#include <thread>
#include <vector>


namespace arena = gomap::runtime::huge_arena;

namespace {

// A SwissMap table of 1024 slots of uint64_t -> uint64_t is about this big.
constexpr std::size_t table_bytes = 17472;

std::uintptr_t chunk_of(const void* p) {
  return reinterpret_cast<std::uintptr_t>(p) & ~(arena::chunk_bytes - 1);
}

}  // namespace

TEST(HugeArena, BlocksAreAlignedDistinctAndPackedIntoChunks) {
  const std::size_t held0 = arena::held_bytes();
  std::vector<void*> blocks;
  std::set<std::uintptr_t> chunks;
  for (int i = 0; i < 300; ++i) {
    void* p = arena::allocate(table_bytes);
    ASSERT_NE(p, nullptr);
    EXPECT_EQ(reinterpret_cast<std::uintptr_t>(p) % arena::block_align, 0u);
    // The block lies inside its chunk, after the chunk's header line.
    EXPECT_GE(reinterpret_cast<std::uintptr_t>(p), chunk_of(p) + arena::block_align);
    EXPECT_LE(reinterpret_cast<std::uintptr_t>(p) + table_bytes, chunk_of(p) + arena::chunk_bytes);
    std::memset(p, i & 0xff, table_bytes);  // writable, the whole block
    blocks.push_back(p);
    chunks.insert(chunk_of(p));
  }
  // No two blocks overlap: every block still holds its own byte.
  for (std::size_t i = 0; i < blocks.size(); ++i) {
    const auto* b = static_cast<const unsigned char*>(blocks[i]);
    ASSERT_EQ(b[0], i & 0xff);
    ASSERT_EQ(b[table_bytes - 1], i & 0xff);
  }
  const std::size_t per_chunk = (arena::chunk_bytes - arena::block_align) / table_bytes;
  EXPECT_EQ(chunks.size(), (300 + per_chunk - 1) / per_chunk);
  EXPECT_EQ(arena::held_bytes() - held0, chunks.size() * arena::chunk_bytes);
  for (void* p : blocks) arena::deallocate(p, table_bytes);
  EXPECT_EQ(arena::held_bytes(), held0);
}

TEST(HugeArena, FreedBlocksAndEmptyChunksAreReused) {
  void* a = arena::allocate(table_bytes);
  ASSERT_NE(a, nullptr);
  void* b = arena::allocate(table_bytes);
  arena::deallocate(b, table_bytes);
  void* c = arena::allocate(table_bytes);
  EXPECT_EQ(c, b);  // the chunk's free list first
  arena::deallocate(c, table_bytes);
  arena::deallocate(a, table_bytes);

  // Empty chunks are kept (up to retained_chunks), so a map rebuilt in a
  // loop does not go back to the kernel for its pages.
  // Beyond that, an empty chunk goes back to the kernel.
  const std::size_t per_chunk = (arena::chunk_bytes - arena::block_align) / table_bytes;
  std::vector<void*> blocks(per_chunk * (arena::retained_chunks + 4));
  for (void*& p : blocks) p = arena::allocate(table_bytes);
  EXPECT_GE(arena::mapped_count(), arena::retained_chunks + 4);
  for (void* p : blocks) arena::deallocate(p, table_bytes);
  EXPECT_EQ(arena::retained_count(), arena::retained_chunks);
  // No block is live: every chunk still mapped is a retained one.
  const std::size_t mapped_after_free = arena::mapped_count();
  EXPECT_EQ(mapped_after_free, arena::retained_count());
  for (std::size_t i = 0; i < 100; ++i) blocks[i] = arena::allocate(table_bytes);
  EXPECT_EQ(arena::mapped_count(), mapped_after_free);  // served from retained chunks
  for (std::size_t i = 0; i < 100; ++i) arena::deallocate(blocks[i], table_bytes);
}

TEST(HugeArena, RefusesSizesOutsideItsRange) {
  EXPECT_EQ(arena::allocate(0), nullptr);
  EXPECT_EQ(arena::allocate(arena::min_block - arena::block_align), nullptr);
  EXPECT_EQ(arena::allocate(arena::max_block + 1), nullptr);
  void* p = arena::allocate(arena::max_block);
  ASSERT_NE(p, nullptr);
  arena::deallocate(p, arena::max_block);
}

TEST(HugeArena, FreesFromAnotherThread) {
  constexpr std::size_t rounds = 2000;
  // Three sizes, so three classes share the mutex.
  auto size_of = [](std::size_t i) { return table_bytes + arena::block_align * (i % 3); };
  std::vector<void*> handed(rounds);
  std::thread producer([&] {
    for (std::size_t i = 0; i < rounds; ++i) {
      handed[i] = arena::allocate(size_of(i));
      std::memset(handed[i], 1, size_of(i));
    }
  });
  // Meanwhile this thread allocates and frees blocks of its own.
  for (std::size_t i = 0; i < rounds; ++i) {
    void* p = arena::allocate(table_bytes);
    ASSERT_NE(p, nullptr);
    std::memset(p, 2, table_bytes);
    arena::deallocate(p, table_bytes);
  }
  producer.join();
  std::thread consumer([&] {
    for (std::size_t i = 0; i < rounds; ++i) arena::deallocate(handed[i], size_of(i));
  });
  consumer.join();
}

#if GOMAP_ASAN
// Under AddressSanitizer a freed block is poisoned until it is handed out
// again, so a table used after its last reference is reported.
TEST(HugeArenaDeathTest, FreedBlocksArePoisoned) {
  void* p = arena::allocate(table_bytes);
  ASSERT_NE(p, nullptr);
  arena::deallocate(p, table_bytes);
  EXPECT_DEATH(static_cast<volatile unsigned char*>(p)[100] = 1, "use-after-poison");
}
#endif
