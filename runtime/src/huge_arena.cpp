// The huge-page arena (huge_arena.hpp): chunks, size classes, one mutex.
#include "gomap/runtime/huge_arena.hpp"

#include <mutex>
#include <new>

namespace gomap::runtime::huge_arena {
namespace {

struct size_class;

// The header in a chunk's first line.  Blocks follow it.
struct chunk {
  size_class* cls;
  chunk* prev;             // on cls's list of chunks with room
  chunk* next;             // (or, empty and retained, on the retained list)
  void* free;              // freed blocks, linked through their first word
  std::uint32_t live;      // blocks handed out
  std::uint32_t carved;    // blocks handed out at least once, from the front
  std::uint32_t capacity;  // blocks that fit
  bool listed;             // on cls's list
};
static_assert(sizeof(chunk) <= block_align);

struct size_class {
  std::size_t block = 0;  // 0: the class is unused
  chunk* with_room = nullptr;
};

inline constexpr unsigned max_classes = 16;

struct state {
  std::mutex mu;
  size_class classes[max_classes];
  chunk* retained = nullptr;
  unsigned retained_n = 0;
  std::size_t held = 0;  // chunks with a live block
  std::size_t mapped = 0;
};

// Never destroyed: a table freed during static destruction (a map in a
// global) still finds the arena.
state& arena() {
  alignas(state) static unsigned char storage[sizeof(state)];
  static state* s = ::new (storage) state;
  return *s;
}

chunk* chunk_of(void* p) noexcept {
  const std::uintptr_t into = reinterpret_cast<std::uintptr_t>(p) & (chunk_bytes - 1);
  return reinterpret_cast<chunk*>(static_cast<unsigned char*>(p) - into);
}

bool full(const chunk* c) noexcept {
  return c->free == nullptr && c->carved == c->capacity;
}

void link(size_class* cls, chunk* c) noexcept {
  c->prev = nullptr;
  c->next = cls->with_room;
  if (c->next != nullptr) c->next->prev = c;
  cls->with_room = c;
  c->listed = true;
}

void unlink(size_class* cls, chunk* c) noexcept {
  if (c->prev != nullptr)
    c->prev->next = c->next;
  else
    cls->with_room = c->next;
  if (c->next != nullptr) c->next->prev = c->prev;
  c->prev = c->next = nullptr;
  c->listed = false;
}

size_class* class_for(state& s, std::size_t block) noexcept {
  for (size_class& c : s.classes) {
    if (c.block == block) return &c;
    if (c.block == 0) {
      c.block = block;
      return &c;
    }
  }
  return nullptr;
}

// A chunk for cls: a retained one, or fresh pages from the kernel.
chunk* new_chunk(state& s, size_class* cls) noexcept {
  chunk* c = s.retained;
  if (c != nullptr) {
    s.retained = c->next;
    --s.retained_n;
  } else {
    void* p = map_aligned_pages(chunk_bytes, chunk_bytes);
    if (p == nullptr) return nullptr;
    ++s.mapped;
    c = static_cast<chunk*>(p);
  }
  c->cls = cls;
  c->prev = c->next = nullptr;
  c->free = nullptr;
  c->live = 0;
  c->carved = 0;
  c->capacity = static_cast<std::uint32_t>((chunk_bytes - block_align) / cls->block);
  c->listed = false;
  return c;
}

// The last block of c was freed: keep c for reuse, or give it back.
void retire(state& s, chunk* c) noexcept {
  if (s.retained_n < retained_chunks) {
    c->next = s.retained;
    s.retained = c;
    ++s.retained_n;
    return;
  }
  --s.mapped;
  unmap_pages(c, chunk_bytes, chunk_bytes);
}

}  // namespace

void* allocate(std::size_t bytes) noexcept {
  const std::size_t block = (bytes + block_align - 1) & ~(block_align - 1);
  if (block < min_block || block > max_block) return nullptr;
  state& s = arena();
  std::lock_guard<std::mutex> lock(s.mu);
  size_class* cls = class_for(s, block);
  if (cls == nullptr) return nullptr;
  chunk* c = cls->with_room;
  if (c == nullptr) {
    c = new_chunk(s, cls);
    if (c == nullptr) return nullptr;
    link(cls, c);
  }
  void* p;
  if (c->free != nullptr) {
    p = c->free;
    unpoison(p, sizeof(void*));
    c->free = *static_cast<void**>(p);
  } else {
    p = reinterpret_cast<unsigned char*>(c) + block_align + std::size_t{c->carved} * block;
    ++c->carved;
  }
  if (c->live++ == 0) s.held += chunk_bytes;
  if (full(c)) unlink(cls, c);
  unpoison(p, block);
  return p;
}

void deallocate(void* p, std::size_t bytes) noexcept {
  (void)bytes;
  state& s = arena();
  std::lock_guard<std::mutex> lock(s.mu);
  chunk* c = chunk_of(p);
  size_class* cls = c->cls;
  GOMAP_ASSERT(cls->block == ((bytes + block_align - 1) & ~(block_align - 1)));
  GOMAP_ASSERT(c->live > 0);
  *static_cast<void**>(p) = c->free;
  c->free = p;
  poison(p, cls->block);
  if (!c->listed) link(cls, c);
  if (--c->live == 0) {
    s.held -= chunk_bytes;
    unlink(cls, c);
    retire(s, c);
  }
}

std::size_t held_bytes() noexcept {
  state& s = arena();
  std::lock_guard<std::mutex> lock(s.mu);
  return s.held;
}

std::size_t retained_count() noexcept {
  state& s = arena();
  std::lock_guard<std::mutex> lock(s.mu);
  return s.retained_n;
}

std::size_t mapped_count() noexcept {
  state& s = arena();
  std::lock_guard<std::mutex> lock(s.mu);
  return s.mapped;
}

}  // namespace gomap::runtime::huge_arena
