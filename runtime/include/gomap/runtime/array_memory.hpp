// The memory of the engines' slot arrays: the classic engine's bucket arrays
// and overflow chunks, the Swiss engine's tables.  One policy for both:
//
//  * Small arrays (a new map's first bucket or group) come from the thread's
//    block cache (block_cache.hpp), as Go's mcache serves a small object.
//  * Over-aligned slot types go to the aligned operator new.
//  * The tables of large Swiss maps may come from the huge-page arena
//    (huge_arena.hpp); the caller remembers which.
//
// Invariant: an array is freed with the Align and byte count it was
// allocated with.
#pragma once

#include <cstddef>
#include <new>

#include "gomap/runtime/block_cache.hpp"
#include "gomap/runtime/huge_arena.hpp"

namespace gomap::runtime {

template <std::size_t Align>
void* allocate_array(std::size_t bytes) {
  if constexpr (Align <= __STDCPP_DEFAULT_NEW_ALIGNMENT__)
    return block_cache::allocate(bytes);
  else
    return ::operator new (bytes, std::align_val_t{Align});
}

template <std::size_t Align>
void deallocate_array(void* p, std::size_t bytes) noexcept {
  if constexpr (Align <= __STDCPP_DEFAULT_NEW_ALIGNMENT__)
    block_cache::deallocate(p, bytes);
  else
    ::operator delete (p, std::align_val_t{Align});
}

// A block from the huge-page arena, or null (arena off, or refused): the
// caller then takes allocate_array and frees with the matching call.
template <std::size_t Align>
void* allocate_arena_array(std::size_t bytes) noexcept {
  if constexpr (Align <= huge_arena::block_align && huge_arena::engine_enabled)
    return huge_arena::allocate(bytes);
  else
    return nullptr;
}

}  // namespace gomap::runtime
