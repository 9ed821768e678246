// ThreadSanitizer's view of a gomap map: each operation is a read or write of
// the map object, tagged with the map's type name ("gomap::Map", ...) through
// TSan's external-tag API, so an unsynchronized pair is reported as a race on
// that type with both stacks — the counterpart of Go's -race instrumentation
// (racereadpc/racewritepc in map.go).  Everything here is empty unless
// compiled with -fsanitize=thread (GOMAP_TSAN, from the platform header).
#pragma once

#include "gomap/runtime/platform.hpp"

#if GOMAP_TSAN
// From <sanitizer/tsan_interface.h>, declared here so GCC builds need no
// clang resource directory.
extern "C" {
void* __tsan_external_register_tag(const char* object_type);
void __tsan_external_assign_tag(void* addr, void* tag);
void __tsan_external_read(void* addr, void* caller_pc, void* tag);
void __tsan_external_write(void* addr, void* caller_pc, void* tag);
}
#endif

namespace gomap::detect {

inline constexpr bool tsan = GOMAP_TSAN != 0;

// The type name of the classic engine's maps; each engine passes its own.
inline constexpr char map_type_name[] = "gomap::Map";
inline constexpr char swiss_map_type_name[] = "gomap::SwissMap";

#if GOMAP_TSAN
// One registered tag per map type name.
template <const char* Name>
inline void* tsan_map_tag() noexcept {
  static void* const tag = __tsan_external_register_tag(Name);
  return tag;
}
// Not inlined, so the return address is a pc inside the map operation: TSan
// shows it as the top frame of the access.
//
// The heap block holding the map is tagged too: an operation may touch the
// map's fields before its check (Go's own order: count == 0 first), and a
// race TSan finds there is then reported as "Location is gomap::Map object"
// rather than an anonymous heap block.  (A no-op for non-heap addresses.)
template <const char* Name = map_type_name>
[[gnu::noinline]] inline void tsan_map_read(const void* map) noexcept {
  void* const tag = tsan_map_tag<Name>();
  __tsan_external_assign_tag(const_cast<void*>(map), tag);
  __tsan_external_read(const_cast<void*>(map), __builtin_return_address(0), tag);
}
template <const char* Name = map_type_name>
[[gnu::noinline]] inline void tsan_map_write(const void* map) noexcept {
  void* const tag = tsan_map_tag<Name>();
  __tsan_external_assign_tag(const_cast<void*>(map), tag);
  __tsan_external_write(const_cast<void*>(map), __builtin_return_address(0), tag);
}
#else
template <const char* Name = map_type_name>
inline void tsan_map_read(const void*) noexcept {}
template <const char* Name = map_type_name>
inline void tsan_map_write(const void*) noexcept {}
#endif

}  // namespace gomap::detect
