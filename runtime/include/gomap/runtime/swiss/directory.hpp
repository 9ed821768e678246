// The Swiss engine's directory (Go 1.24+'s Map.dirPtr/dirLen): 2^global_depth
// table pointers, the top global_depth bits of a hash selecting one
// (extendible hashing).  A table of local depth d < global_depth occupies
// 2^(global_depth - d) consecutive entries starting at its `index`.
//
// Go's iterators read the map's current directory and follow it when it
// doubles; gomap also rebuilds maps (reserve, shrink_to_fit), after which
// a loop in progress must go on over the tables it knew.  So a directory is
// reference counted like a table: the map holds its current one, each
// iterator the one it last read; a directory holds one reference to each
// distinct table in it.
//
// A directory also marks the tables that may be full (growth_left == 0),
// one bit per entry, at the table's first entry: the next insert into such
// a table moves its entries, so an operand that lives in one must be copied
// first (map::might_relocate).  Invariant: every full table's bit is set.
// A bit may outlive its table's fullness; the walk that reads the bits
// clears those.  (Walking every table instead cost each insert of a
// non-trivial operand one header load per table: 4x the insert time of
// string keys at 2^20.)
#pragma once

#include <atomic>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <new>

#include "gomap/runtime/ref.hpp"
#include "gomap/runtime/swiss/table.hpp"

namespace gomap::runtime::swiss {

template <class MT>
class directory {
 public:
  using table_t = table<MT>;

  std::atomic<std::uint32_t> refs{1};
  std::uint64_t len = 0;          // 1 << global_depth
  std::uint8_t global_depth = 0;  // bits of the hash that select a table
  std::uint8_t index_shift = 63;  // Go's globalShift - 1: 63 - global_depth (index_of)

  // A directory of 2^depth entries, all null (the caller installs tables).
  static directory* make(std::uint8_t depth) {
    const std::uint64_t n = std::uint64_t{1} << depth;
    void* mem = ::operator new(alloc_bytes(n));
    auto* d = ::new (mem) directory;
    d->len = n;
    d->global_depth = depth;
    d->index_shift = static_cast<std::uint8_t>(63 - depth);
    for (std::uint64_t i = 0; i < n; ++i) d->entries()[i] = nullptr;
    for (std::uint64_t w = 0; w < full_words(n); ++w) d->full_bits()[w] = 0;
    return d;
  }
  directory(const directory&) = delete;
  directory& operator=(const directory&) = delete;

  void retain() noexcept { refs.fetch_add(1, std::memory_order_relaxed); }
  void release() noexcept {
    if (drop_reference(refs)) {
      for_each_table([](table_t* t) { t->release(); });
      this->~directory();
      ::operator delete(static_cast<void*>(this));
    }
  }

  // Free a directory whose tables the caller already freed (a rebuild that
  // failed before it was installed).
  void free_shell() noexcept {
    this->~directory();
    ::operator delete(static_cast<void*>(this));
  }

  // Held by someone besides the map (an iterator)?
  bool shared() const noexcept { return refs.load(std::memory_order_acquire) > 1; }

  // directoryIndex: the top global_depth bits.  Go shifts by 64 - depth
  // after testing dirLen == 1 (a shift by 64 is not 0); two shifts give 0
  // for depth 0 without the branch.
  std::uint64_t index_of(std::uint64_t hash) const noexcept { return (hash >> 1) >> index_shift; }
  table_t* at(std::uint64_t i) const noexcept { return entries()[i]; }
  table_t* table_for(std::uint64_t hash) const noexcept { return at(index_of(hash)); }

  // replaceTable: install t at every entry it covers.  The directory's
  // reference to t is the caller's (a fresh table's first); the caller also
  // drops the directory's reference to the table t replaces.
  void replace_table(table_t* t) noexcept {
    const std::uint64_t n = std::uint64_t{1} << (global_depth - t->local_depth);
    const auto first = static_cast<std::uint64_t>(t->index);
    for (std::uint64_t i = 0; i < n; ++i) entries()[first + i] = t;
    mark_if_full(t);
  }

  // t (a table of this directory) has just become full.
  void mark_full(const table_t* t) noexcept { set_bit(static_cast<std::uint64_t>(t->index)); }
  void mark_if_full(const table_t* t) noexcept {
    if (t->growth_left == 0) mark_full(t);
  }
  bool marked_full(const table_t* t) const noexcept {
    const auto i = static_cast<std::uint64_t>(t->index);
    return (full_bits()[i / 64] & bit(i)) != 0;
  }
  // A doubled directory: table i of `from` is table 2i here.
  void inherit_full_marks(const directory& from) noexcept {
    for (std::uint64_t w = 0; w < full_words(from.len); ++w)
      for (std::uint64_t b = from.full_bits()[w]; b != 0; b &= b - 1) {
        set_bit(2 * (64 * w + static_cast<unsigned>(std::countr_zero(b))));
      }
  }
  // Does f(t) hold for a full table t?  Clears the bits of tables that are
  // no longer full (or no longer start there).
  template <class F>
  bool any_full_table(F&& f) noexcept {
    for (std::uint64_t w = 0; w < full_words(len); ++w) {
      for (std::uint64_t b = full_bits()[w]; b != 0; b &= b - 1) {
        const std::uint64_t i = 64 * w + static_cast<unsigned>(std::countr_zero(b));
        const table_t* t = at(i);
        if (t->growth_left != 0 || static_cast<std::uint64_t>(t->index) != i) {
          full_bits()[w] &= ~bit(i);
          continue;
        }
        if (f(t)) return true;
      }
    }
    return false;
  }
  void set(std::uint64_t i, table_t* t) noexcept { entries()[i] = t; }

  // Every distinct table once (a table's entries are consecutive).
  template <class F>
  void for_each_table(F&& f) const {
    table_t* last = nullptr;
    for (std::uint64_t i = 0; i < len; ++i) {
      table_t* t = at(i);
      if (t == last || t == nullptr) continue;
      f(t);
      last = t;
    }
  }
  std::uint64_t bytes() const noexcept { return alloc_bytes(len); }

 private:
  directory() = default;
  ~directory() = default;
  // Layout: [directory][table* x len][full bits: one word per 64 entries]
  static std::uint64_t full_words(std::uint64_t n) noexcept { return (n + 63) / 64; }
  static std::size_t alloc_bytes(std::uint64_t n) noexcept {
    return sizeof(directory) + n * sizeof(table_t*) + full_words(n) * sizeof(std::uint64_t);
  }
  table_t** entries() const noexcept {
    return reinterpret_cast<table_t**>(const_cast<directory*>(this) + 1);
  }
  std::uint64_t* full_bits() const noexcept {
    return reinterpret_cast<std::uint64_t*>(entries() + len);
  }
  static std::uint64_t bit(std::uint64_t i) noexcept { return std::uint64_t{1} << (i % 64); }
  void set_bit(std::uint64_t i) noexcept { full_bits()[i / 64] |= bit(i); }
};

}  // namespace gomap::runtime::swiss
