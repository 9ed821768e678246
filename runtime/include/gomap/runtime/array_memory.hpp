// The memory of the engines' slot arrays: the classic engine's bucket arrays
// and overflow chunks, the Swiss engine's tables.  One policy for both:
//
//  * Small arrays (a new map's first bucket or group) come from the thread's
//    block cache (block_cache.hpp), as Go's mcache serves a small object.
//  * Over-aligned slot types go to the aligned operator new.
//
// Invariant: an array is freed with the Align and byte count it was
// allocated with.
#pragma once

#include <cstddef>
#include <new>

#include "gomap/runtime/block_cache.hpp"

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

}  // namespace gomap::runtime
