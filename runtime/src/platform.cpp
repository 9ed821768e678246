// The kernel half of the platform header: asymmetric fences through membarrier(2), and
// aligned pages for the huge-page arena (mmap(2), madvise(2)).
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "gomap/runtime/platform.hpp"

#if defined(__linux__)
#include <sys/mman.h>
#endif
#include <new>

#if GOMAP_ASYMMETRIC_FENCE
#include <linux/membarrier.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

namespace gomap::runtime {

#if GOMAP_ASYMMETRIC_FENCE
namespace {

long membarrier(int cmd) noexcept {
  return syscall(__NR_membarrier, cmd, 0U, 0);
}

}  // namespace

bool asymmetric_fence_init() noexcept {
  // GOMAP_ASYMMETRIC_FENCE=0 in the environment keeps the hot sides on real fences (to
  // compare the two, or on a kernel whose membarrier misbehaves).
  if (const char* v = std::getenv("GOMAP_ASYMMETRIC_FENCE"); v != nullptr && v[0] == '0') {
    return false;
  }
  const long cmds = membarrier(MEMBARRIER_CMD_QUERY);
  if (cmds < 0 || (cmds & MEMBARRIER_CMD_PRIVATE_EXPEDITED) == 0) return false;
  // Registration belongs to the address space: threads created later and children made by
  // fork() share it (exec starts over, with a new runtime).
  return membarrier(MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED) == 0;
}

void asymmetric_fence_heavy() noexcept {
  if (membarrier(MEMBARRIER_CMD_PRIVATE_EXPEDITED) == 0) return;
  // Only an unregistered process gets an error, and init registered this one: a kernel
  // that takes the barrier back leaves no safe way to go on.
  std::fprintf(stderr, "fatal error: membarrier(PRIVATE_EXPEDITED): %s\n", std::strerror(errno));
  std::abort();
}
#else
bool asymmetric_fence_init() noexcept {
  return false;
}
void asymmetric_fence_heavy() noexcept {
  std::atomic_thread_fence(std::memory_order_seq_cst);
}
#endif

#if defined(__linux__)
void* map_aligned_pages(std::size_t bytes, std::size_t align) noexcept {
  // Map align more than asked, then give back the head and the tail that lie
  // outside the aligned stretch.
  const std::size_t span = bytes + align;
  void* raw = mmap(nullptr, span, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (raw == MAP_FAILED) return nullptr;
  auto* const base = static_cast<unsigned char*>(raw);
  const std::uintptr_t lo = reinterpret_cast<std::uintptr_t>(raw);
  const std::size_t head = ((lo + align - 1) & ~(std::uintptr_t{align} - 1)) - lo;
  if (head > 0) munmap(base, head);
  if (span - head > bytes) munmap(base + head + bytes, span - head - bytes);
  void* p = base + head;
  // Advice only: a kernel without THP (or with it set to "never") ignores it.
  (void)madvise(p, bytes, MADV_HUGEPAGE);
  return p;
}
void unmap_pages(void* p, std::size_t bytes, std::size_t align) noexcept {
  (void)align;
  munmap(p, bytes);
}
#else
void* map_aligned_pages(std::size_t bytes, std::size_t align) noexcept {
  void* p = ::operator new (bytes, std::align_val_t{align}, std::nothrow);
  if (p != nullptr) std::memset(p, 0, bytes);
  return p;
}
void unmap_pages(void* p, std::size_t bytes, std::size_t align) noexcept {
  (void)bytes;
  ::operator delete (p, std::align_val_t{align});
}
#endif

}  // namespace gomap::runtime
