// The kernel half of the platform header: asymmetric fences through membarrier(2).
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "gomap/runtime/platform.hpp"

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

}  // namespace gomap::runtime
