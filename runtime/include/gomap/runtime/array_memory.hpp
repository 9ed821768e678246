// The memory of the engines' slot arrays: the classic engine's bucket arrays
// and overflow chunks, the Swiss engine's tables.  One policy for both:
//
//  * Small arrays (a new map's first bucket or group) come from the thread's
//    block cache (block_cache.hpp), as Go's mcache serves a small object.
//  * Large arrays (huge_array_bytes and up) are backed by transparent huge
//    pages where the kernel allows (advise_huge_pages, platform.hpp).  A
//    fresh C++ array is faulted in page by page, where Go's heap keeps the
//    pages of arrays it freed; with 2 MiB pages a 2^20-entry classic map
//    takes an eighth of the faults (docs/swiss_map.md, "Large tables and
//    the kernel").  Every large array is written in full when it is made (its control
//    bytes or tophash are set), so huge pages add no resident memory.
//  * Over-aligned slot types go to the aligned operator new.
//
// Invariant: an array is freed with the Align and byte count it was
// allocated with.
#pragma once

#include <cstddef>
#include <new>

#include "gomap/runtime/block_cache.hpp"
#include "gomap/runtime/platform.hpp"

namespace gomap::runtime {

// Arrays this large get the huge-page hint: the smallest size that always
// holds a whole 2 MiB-aligned stretch.
inline constexpr std::size_t huge_array_bytes = std::size_t{4} << 20;

template <std::size_t Align>
void* allocate_array(std::size_t bytes) {
  void* p;
  if constexpr (Align <= __STDCPP_DEFAULT_NEW_ALIGNMENT__)
    p = block_cache::allocate(bytes);
  else
    p = ::operator new (bytes, std::align_val_t{Align});
  if (bytes >= huge_array_bytes) advise_huge_pages(p, bytes);
  return p;
}

template <std::size_t Align>
void deallocate_array(void* p, std::size_t bytes) noexcept {
  if constexpr (Align <= __STDCPP_DEFAULT_NEW_ALIGNMENT__)
    block_cache::deallocate(p, bytes);
  else
    ::operator delete (p, std::align_val_t{Align});
}

}  // namespace gomap::runtime
