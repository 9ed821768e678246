// huge_arena: the tables of large Swiss maps, packed into 2 MiB chunks that
// the kernel may back with transparent huge pages.
//
// Why: a map of 2^20 entries is about 1,500 tables of 17 KiB, each its own
// malloc block on 4 KiB pages.  Every lookup reads a table header, a control
// word and a slot, in different pages of a 34 MB spread: a TLB miss on most of
// them.  absl's and boost's maps keep their control bytes in one dense array,
// whose pages stay in the TLB.  With the tables in huge pages, 17 TLB entries
// cover the whole map (measured in docs/swiss_map.md).
//
// Invariants:
//  * A chunk is `chunk_bytes`, aligned to `chunk_bytes`, and holds blocks of
//    one size after a one-line header; the block of address p belongs to the
//    chunk at p rounded down to `chunk_bytes`.
//  * A size class (one block size, in multiples of 64 bytes) keeps the chunks
//    that have a free block on a list; a full chunk is on no list.
//  * A chunk whose last block is freed is kept for reuse (at most
//    `retained_chunks` of them, across all sizes, so that a map rebuilt in a
//    loop does not fault its pages in again) or returned to the kernel.
//  * One mutex guards everything: blocks are taken only when a table is made
//    (a split or a rebuild, each of which moves hundreds of entries), and
//    freed from whichever thread drops the table's last reference.
//  * held_bytes() counts every chunk with a live block, whole: what the maps
//    hold of the process's memory (the benchmarks' bytes-per-entry counts it).
//  * Off for the engines under the heap-watching sanitizers and in fuzzing
//    builds (`engine_enabled`), as the block cache is: ASan and TSan see each
//    table as its own allocation.  The arena itself is tested directly under
//    both (tests/runtime/huge_arena_test.cpp); freed blocks are poisoned.
#pragma once

#include <cstddef>
#include <cstdint>

#include "gomap/runtime/platform.hpp"

namespace gomap::runtime::huge_arena {

inline constexpr std::size_t chunk_bytes = std::size_t{2} << 20;
inline constexpr std::size_t block_align = 64;
// Blocks smaller than this stay with malloc (a chunk must hold many).
inline constexpr std::size_t min_block = 8 << 10;
inline constexpr std::size_t max_block = chunk_bytes / 16;
inline constexpr unsigned retained_chunks = 16;
inline constexpr bool engine_enabled = !sanitized && !fuzzing_build;

// A block of at least `bytes` (min_block <= bytes <= max_block), aligned to
// block_align; null when the kernel refuses a chunk or too many sizes are in
// use (the caller falls back to its usual allocator).
void* allocate(std::size_t bytes) noexcept;
// Frees a block from allocate(bytes), from any thread.
void deallocate(void* p, std::size_t bytes) noexcept;

// Bytes of the chunks that hold a live block.
std::size_t held_bytes() noexcept;
// Chunks kept empty for reuse, and chunks mapped in all (for tests).
std::size_t retained_count() noexcept;
std::size_t mapped_count() noexcept;

}  // namespace gomap::runtime::huge_arena
