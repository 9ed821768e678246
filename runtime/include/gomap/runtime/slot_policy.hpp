// Slots: how an engine stores one key or one value in raw memory.
//
// A key or value larger than 128 bytes is stored indirectly: the slot holds
// a pointer to a heap object (Go: indirectkey / indirectelem).  The policy
// below (abseil's "slot policy" idea) is the only code that knows which;
// engines construct, destroy, relocate and copy slots only through it, and
// know whether a slot is alive from their own metadata (a tophash or a
// control byte), never from the slot.
#pragma once

#include <cstddef>
#include <memory>
#include <new>
#include <type_traits>
#include <utility>

#include "gomap/runtime/platform.hpp"

namespace gomap::runtime {

// Keys and values larger than this are stored indirectly.
inline constexpr std::size_t max_key_size = 128;
inline constexpr std::size_t max_elem_size = 128;

// How a slot holds a K and a V: inline, or through a heap pointer when large.
template <class K, class V>
struct slot_policy {
  // NOLINTNEXTLINE(bugprone-sizeof-expression): K, V may be pointer types
  static constexpr bool indirect_key = sizeof(K) > max_key_size;
  // NOLINTNEXTLINE(bugprone-sizeof-expression): K, V may be pointer types
  static constexpr bool indirect_elem = sizeof(V) > max_elem_size;
  using key_slot = std::conditional_t<indirect_key, K*, K>;
  using elem_slot = std::conditional_t<indirect_elem, V*, V>;

  // A slot is indirect exactly when it holds a T* rather than a T (T may
  // itself be a pointer type: Map<int, Entry*> stores its pointers inline).
  template <class T, class Slot>
  static constexpr bool indirect_slot = !std::is_same_v<T, Slot>;

  template <class T, class Slot>
  static T& get(Slot* s) noexcept {
    if constexpr (indirect_slot<T, Slot>)
      return **s;
    else
      return *std::launder(s);
  }

  // A slot's size (Slot may be a pointer: an indirect slot).
  template <class Slot>
  // NOLINTNEXTLINE(bugprone-sizeof-expression): the size of the slot itself is the point
  static constexpr std::size_t slot_bytes = sizeof(Slot);

  // Under AddressSanitizer a slot is poisoned while it holds no object:
  // every way into a slot (construct, relocate, copy) unpoisons it first,
  // and destroy poisons it again.
  template <class T, class Slot, class... Args>
  static void construct(Slot* s, Args&&... args) {
    unpoison(s, slot_bytes<Slot>);
    try {
      if constexpr (indirect_slot<T, Slot>)
        ::new (static_cast<void*>(s)) Slot(new T(std::forward<Args>(args)...));
      else
        ::new (static_cast<void*>(s)) T(std::forward<Args>(args)...);
    } catch (...) {
      poison(s, slot_bytes<Slot>);
      throw;
    }
  }

  template <class T, class Slot>
  static void destroy(Slot* s) noexcept {
    if constexpr (indirect_slot<T, Slot>)
      delete *s;
    else
      std::destroy_at(std::launder(s));
    poison(s, slot_bytes<Slot>);
  }

  // Relocation during evacuation.  Indirect slots move by pointer and never
  // throw; inline slots move when that cannot throw, copy otherwise (so a
  // failed evacuation can be rolled back with the source intact).
  template <class T, class Slot>
  static constexpr bool nothrow_relocate =
      indirect_slot<T, Slot> || std::is_nothrow_move_constructible_v<T>;

  template <class T, class Slot>
  static void relocate(Slot* dst, Slot* src) noexcept(nothrow_relocate<T, Slot>) {
    unpoison(dst, slot_bytes<Slot>);
    if constexpr (indirect_slot<T, Slot>) {
      ::new (static_cast<void*>(dst)) Slot(*src);
      *src = nullptr;
    } else if constexpr (std::is_nothrow_move_constructible_v<T>) {
      ::new (static_cast<void*>(dst)) T(std::move(get<T>(src)));
    } else {
      try {
        ::new (static_cast<void*>(dst)) T(std::as_const(get<T>(src)));
      } catch (...) {
        poison(dst, slot_bytes<Slot>);
        throw;
      }
    }
  }

  // A copy that leaves the source in place (keys kept for iterators).
  template <class T, class Slot>
  static void copy(Slot* dst, const Slot* src) {
    unpoison(dst, slot_bytes<Slot>);
    try {
      if constexpr (indirect_slot<T, Slot>)
        ::new (static_cast<void*>(dst)) Slot(new T(**src));
      else
        ::new (static_cast<void*>(dst)) T(*std::launder(src));
    } catch (...) {
      poison(dst, slot_bytes<Slot>);
      throw;
    }
  }

  // Undo a nothrow relocate: move the object back from dst into src.
  template <class T, class Slot>
  static void unrelocate(Slot* src, Slot* dst) noexcept {
    if constexpr (indirect_slot<T, Slot>) {
      *src = *dst;
      poison(dst, slot_bytes<Slot>);
    } else {
      destroy<T>(src);
      unpoison(src, slot_bytes<Slot>);
      ::new (static_cast<void*>(src)) T(std::move(get<T>(dst)));
      destroy<T>(dst);
    }
  }
};

}  // namespace gomap::runtime
