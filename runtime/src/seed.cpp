// The process seed and the per-thread fastrand streams (<gomap/seed.hpp>).
//
// State, all under g_mu except the published copy the fatal report reads:
//  * g_seed: the process seed; drawn from GOMAP_SEED or the OS at first use,
//    replaced by set_seed(); g_initial_seed: the first one, which the hashing
//    key schedule derives from;
//  * g_next_ordinal: how many threads have derived a stream from g_seed —
//    a thread's ordinal is the order in which it first drew after the seed
//    was set, and its stream is a pure function of (g_seed, ordinal);
//  * seed_epoch (alg.hpp): bumped by set_seed() so every thread re-derives
//    its stream (under g_mu, so the epoch a thread records always belongs to
//    the g_seed it derived from).
#include <sys/random.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>

#include "gomap/runtime/alg.hpp"
#include "gomap/seed.hpp"

namespace gomap {
namespace runtime {
namespace {

std::mutex g_mu;
bool g_initialized = false;  // g_seed drawn (or set)
std::uint64_t g_seed = 0;
// The first seed of the process (GOMAP_SEED, the OS's, or a set_seed before
// any other use): the hashing key schedule derives from it, so it does not
// change under maps that already hash with it.
std::uint64_t g_initial_seed = 0;
std::uint64_t g_next_ordinal = 0;
bool g_warned = false;
// A copy for the fatal report, which must not take g_mu.
std::atomic<std::uint64_t> g_published_seed{0};
std::atomic<bool> g_published{false};

// splitmix64: the derivation of thread streams and keys from the seed.
std::uint64_t splitmix(std::uint64_t x) noexcept {
  x += 0x9e3779b97f4a7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

std::uint64_t os_random() noexcept {
  std::uint64_t v = 0;
  if (::getrandom(&v, sizeof v, 0) != static_cast<ssize_t>(sizeof v))
    v = static_cast<std::uint64_t>(
            std::chrono::high_resolution_clock::now().time_since_epoch().count()) ^
        reinterpret_cast<std::uintptr_t>(&v);
  return v;
}

// GOMAP_SEED's value: a uint64 in decimal or 0x-prefixed hex, nothing else.
bool parse_seed(const char* s, std::uint64_t& out) noexcept {
  if (s == nullptr || *s == '\0' || *s == '-' || *s == '+' || *s == ' ') return false;
  const bool hex = s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
  if (hex && s[2] == '\0') return false;
  errno = 0;
  char* end = nullptr;
  const unsigned long long v = std::strtoull(s, &end, hex ? 16 : 10);
  if (errno == ERANGE || end == s || *end != '\0') return false;
  out = v;
  return true;
}

void publish(std::uint64_t seed) noexcept {
  g_published_seed.store(seed, std::memory_order_relaxed);
  g_published.store(true, std::memory_order_release);
}

void warn_fixed_locked(std::uint64_t seed, const char* how) noexcept {
  if (g_warned) return;
  g_warned = true;
  std::fprintf(stderr,
               "gomap: %s fixes the seed to 0x%016llx: map order replays, and hash flooding "
               "becomes possible (a fixed seed is for tests and fuzzing)\n",
               how, static_cast<unsigned long long>(seed));
}

void init_locked() noexcept {
  if (g_initialized) return;
  g_initialized = true;
  const char* env = std::getenv("GOMAP_SEED");
  if (env != nullptr) {
    if (!parse_seed(env, g_seed)) {
      std::fprintf(stderr,
                   "gomap: GOMAP_SEED=\"%s\" is not a seed: want an unsigned 64-bit integer, "
                   "decimal or 0x-prefixed hex (unset GOMAP_SEED for a random seed)\n",
                   env);
      std::abort();
    }
#if !defined(FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION)
    warn_fixed_locked(g_seed, "GOMAP_SEED");
#endif
  } else {
    g_seed = os_random();
  }
  g_initial_seed = g_seed;
  publish(g_seed);
}

}  // namespace

std::uint64_t process_seed() noexcept {
  std::lock_guard lk(g_mu);
  init_locked();
  return g_seed;
}

std::uint64_t fastrand_thread_seed() noexcept {
  std::lock_guard lk(g_mu);
  init_locked();
  const std::uint64_t ordinal = g_next_ordinal++;
  std::uint64_t s = splitmix(g_seed ^ splitmix(ordinal));
  if (s == 0) s = m1;
  t_fastrand_state = s;
  t_fastrand_epoch = seed_epoch.load(std::memory_order_relaxed);
  return s;
}

// The key schedule's stream (alginit): a domain apart from thread streams.
void seed_bytes(void* buf, std::size_t n, std::uint64_t domain) noexcept {
  auto* p = static_cast<std::uint8_t*>(buf);
  std::uint64_t initial;
  {
    std::lock_guard lk(g_mu);
    init_locked();
    initial = g_initial_seed;
  }
  std::uint64_t x = splitmix(initial ^ domain);
  for (std::size_t i = 0; i < n; i += 8) {
    x = splitmix(x);
    const std::size_t k = n - i < 8 ? n - i : 8;
    std::memcpy(p + i, &x, k);
  }
}

bool seed_for_report(std::uint64_t& seed) noexcept {
  if (!g_published.load(std::memory_order_acquire)) return false;
  seed = g_published_seed.load(std::memory_order_relaxed);
  return true;
}

}  // namespace runtime

std::uint64_t seed() noexcept {
  return runtime::process_seed();
}

namespace detail {
void set_seed(std::uint64_t seed, bool fuzzing_build) noexcept {
  {
    std::lock_guard lk(runtime::g_mu);
    if (!runtime::g_initialized) runtime::g_initial_seed = seed;
    runtime::g_initialized = true;
    runtime::g_seed = seed;
    runtime::g_next_ordinal = 0;
    runtime::seed_epoch.fetch_add(1, std::memory_order_relaxed);
    runtime::publish(seed);
    if (!fuzzing_build) runtime::warn_fixed_locked(seed, "gomap::set_seed");
  }
  runtime::fastrand_thread_seed();  // the calling thread takes ordinal 0
}
}  // namespace detail

}  // namespace gomap
