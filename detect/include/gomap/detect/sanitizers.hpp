// ThreadSanitizer's view of a gomap::Map: each operation is a read or write of
// the map object, tagged "gomap::Map" through TSan's external-tag API, so an
// unsynchronized pair is reported as a race on gomap::Map with both stacks —
// the counterpart of Go's -race instrumentation (racereadpc/racewritepc in
// map.go).  Everything here is empty unless compiled with -fsanitize=thread.
#pragma once

#if defined(__SANITIZE_THREAD__)
#define GOMAP_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define GOMAP_TSAN 1
#endif
#endif
#ifndef GOMAP_TSAN
#define GOMAP_TSAN 0
#endif

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

#if GOMAP_TSAN
inline void* tsan_map_tag() noexcept {
  static void* const tag = __tsan_external_register_tag("gomap::Map");
  return tag;
}
// Not inlined, so the return address is a pc inside the map operation: TSan
// shows it as the top frame of the access.
//
// The heap block holding the map is tagged too: an operation may touch the
// map's fields before its check (Go's own order: count == 0 first), and a
// race TSan finds there is then reported as "Location is gomap::Map object"
// rather than an anonymous heap block.  (A no-op for non-heap addresses.)
[[gnu::noinline]] inline void tsan_map_read(const void* map) noexcept {
  void* const tag = tsan_map_tag();
  __tsan_external_assign_tag(const_cast<void*>(map), tag);
  __tsan_external_read(const_cast<void*>(map), __builtin_return_address(0), tag);
}
[[gnu::noinline]] inline void tsan_map_write(const void* map) noexcept {
  void* const tag = tsan_map_tag();
  __tsan_external_assign_tag(const_cast<void*>(map), tag);
  __tsan_external_write(const_cast<void*>(map), __builtin_return_address(0), tag);
}
#else
inline void tsan_map_read(const void*) noexcept {}
inline void tsan_map_write(const void*) noexcept {}
#endif

}  // namespace gomap::detect
