// The programs the detect tests run as child processes (a fatal error ends
// the process, so each scenario runs in its own).  Usage: child <scenario>.
// Guard-level scenarios drive the hashWriting protocol of guard.hpp in a
// fixed interleaving, so their outcome is deterministic; map-level ones are
// the ports of Go's testprog/map.go (tools/detect_rate/racers.hpp) and a
// properly locked program.
#include <pthread.h>
#include <sys/resource.h>
#include <unistd.h>

#include <gomap/detect.hpp>
#include <gomap/detect/guard.hpp>

#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <type_traits>

#include "racers.hpp"

namespace {
using namespace gomap::detect;

// A stand-in for the engine's hmap: the state and its address.
struct fake_map {
  map_state state;
};

// Runs `holder` in a thread named `name` (empty: unnamed) that stops inside
// whatever it opened until the main thread has run `prober`, which is
// expected to die.  The two are ordered by a mutex/cv pair, so there is a
// happens-before edge (and TSan sees no race).
void hold_and_probe(const char* name, const std::function<void(std::function<void()>)>& holder,
                    const std::function<void()>& prober) {
  // Never destroyed: in the builds where the prober survives, the holder
  // thread is still parked when the process exits.
  struct sync {
    std::mutex mu;
    std::condition_variable cv;
    bool held = false;
  };
  static sync* const s = new sync;
  std::thread t([&] {
    if (name[0] != '\0') pthread_setname_np(pthread_self(), name);
    holder([&] {
      {
        std::lock_guard lk(s->mu);
        s->held = true;
        s->cv.notify_one();
      }
      for (;;) pause();  // the process ends before this thread goes on
    });
  });
  {
    std::unique_lock lk(s->mu);
    s->cv.wait(lk, [&] { return s->held; });
  }
  prober();
  t.detach();
}

[[gnu::noinline]] void call_fatal_here() {
  fatal("test fatal message", reinterpret_cast<void*>(0x1234));
}

void handler_prints(const FatalInfo& info) {
  std::fprintf(stderr, "handler: %.*s map=%p\n", static_cast<int>(info.message.size()),
               info.message.data(), info.map);
  std::fflush(stderr);
}

// An Eq that parks the calling thread inside its first comparison of `key`
// once armed: a map write that compares keys is then stopped *inside* its
// hashWriting section (Go compares keys after setting the flag), which makes
// the map-level scenarios deterministic.
struct parking_eq {
  static inline std::atomic<bool> armed{false};
  static inline std::function<void()> park;
  bool operator()(int a, int b) const {
    if (a == b && a == 7 && armed.exchange(false)) park();
    return a == b;
  }
};
using parking_map = gomap::Map<int, int, gomap::hash<int>, parking_eq>;
using parking_swiss = gomap::SwissMap<int, int, gomap::hash<int>, parking_eq>;

// worker-1 overwrites key 7 and parks inside the write; then `probe` runs.
template <class M = parking_map>
void park_in_write(const std::function<void(std::type_identity_t<M>&)>& probe) {
  static M m = M::make();
  m.set(7, 1);
  hold_and_probe(
      "worker-1",
      [](std::function<void()> park) {
        parking_eq::park = std::move(park);
        parking_eq::armed = true;
        m.set(7, 2);
      },
      [&] { probe(m); });
}

constexpr int until_caught = 2'000'000'000;

// The racing threads only overlap when both are on a CPU at once.  On a
// machine crowded with other work (CI runners, parallel builds) that is rare;
// a higher scheduling weight (nice -10, where permitted: root or
// CAP_SYS_NICE; otherwise ignored) makes it likely, so a test's time bound
// is not spent waiting for the scheduler.  Set before the threads start,
// which inherit it.  The programs themselves stay Go's.
void favour_racers() {
  (void)setpriority(PRIO_PROCESS, 0, -10);
}

int run(std::string_view scenario) {
  static fake_map fm;
  const void* map = &fm;
  const std::map<std::string_view, std::function<void()>> scenarios = {
      {"fatal", [] { call_fatal_here(); }},
      {"handler",
       [] {
         set_fatal_handler(handler_prints);
         fatal("concurrent map writes", reinterpret_cast<void*>(0x42));
       }},
      {"handler-restored",
       [] {
         set_fatal_handler(handler_prints);
         const FatalHandler prev = set_fatal_handler(nullptr);
         if (prev != handler_prints) std::_Exit(3);
         fatal("concurrent map writes");
       }},
      {"handler-recursive",
       [] {
         set_fatal_handler([](const FatalInfo&) { fatal("inside the handler"); });
         fatal("concurrent map writes");
       }},
      // A writer named worker-1 holds hashWriting; the main thread starts a write.
      {"guard-writes",
       [&] {
         hold_and_probe(
             "worker-1",
             [&](auto park) {
               write_scope w(fm.state, map);
               park();
             },
             [&] { check_write(fm.state, map); });
       }},
      {"guard-writes-unnamed",
       [&] {
         hold_and_probe(
             "",
             [&](auto park) {
               write_scope w(fm.state, map);
               park();
             },
             [&] { check_write(fm.state, map); });
       }},
      {"guard-read",
       [&] {
         hold_and_probe(
             "worker-1",
             [&](auto park) {
               write_scope w(fm.state, map);
               park();
             },
             [&] { read_scope r(fm.state, map); });
       }},
      {"guard-iterate",
       [&] {
         hold_and_probe(
             "worker-1",
             [&](auto park) {
               write_scope w(fm.state, map);
               park();
             },
             [&] { iterate_scope r(fm.state, map); });
       }},
      // A second writer slipped past the check: its toggle clears the flag and
      // the first writer's final check fires, naming it.
      {"guard-toggle",
       [&] {
         std::optional<write_scope> first;
         first.emplace(fm.state, map);
         hold_and_probe(
             "worker-2",
             [&](auto park) {
               write_scope w(fm.state, map);
               park();
             },
             [&] { first.reset(); });
       }},
      // The same thread writes the map from inside its own write (e.g. a
      // value's destructor): fatal, and nobody else is named.
      {"guard-reentrant",
       [&] {
         write_scope w(fm.state, map);
         check_write(fm.state, map);
       }},
      // Strict mode: a read in progress on worker-1, the main thread writes.
      {"guard-strict-read",
       [&] {
         hold_and_probe(
             "worker-1",
             [&](auto park) {
               read_scope r(fm.state, map);
               park();
             },
             [&] { write_scope w(fm.state, map); });
       }},
      {"guard-strict-iterate",
       [&] {
         hold_and_probe(
             "worker-1",
             [&](auto park) {
               iterate_scope r(fm.state, map);
               park();
             },
             [&] { write_scope w(fm.state, map); });
       }},
      // Sequential use by several threads, ordered by joins: must not die.
      {"guard-sequential",
       [&] {
         for (int i = 0; i < 4; ++i) {
           std::thread([&] {
             check_write(fm.state, map);
             write_scope w(fm.state, map);
           }).join();
           read_scope r(fm.state, map);
         }
       }},
      // Go's programs, looping until the race is caught (the test bounds the
      // time): detection needs the two threads' operations to overlap, which
      // a loaded machine makes rare in any fixed number of iterations.
      {"map-writes",
       [] {
         favour_racers();
         gomap::racers::concurrent_map_writes(until_caught);
       }},
      {"map-read-write",
       [] {
         favour_racers();
         gomap::racers::concurrent_map_read_write(until_caught);
       }},
      {"map-iterate-write",
       [] {
         favour_racers();
         gomap::racers::concurrent_map_iterate_write(until_caught);
       }},
      {"map-locked", [] { gomap::racers::locked_mixed_ops(4, 20000); }},
      {"map-park-writes", [] { park_in_write([](parking_map& m) { m.set(8, 0); }); }},
      {"map-park-read",
       [] { park_in_write([](parking_map& m) { [[maybe_unused]] volatile int v = m.get(8); }); }},
      {"map-park-iterate",
       [] {
         park_in_write([](parking_map& m) {
           for ([[maybe_unused]] auto&& kv : m) {
           }
         });
       }},
      // The same programs on gomap::SwissMap: the same three messages.
      {"swiss-writes",
       [] {
         favour_racers();
         gomap::racers::concurrent_map_writes<gomap::SwissMap<int, int>>(until_caught);
       }},
      {"swiss-read-write",
       [] {
         favour_racers();
         gomap::racers::concurrent_map_read_write<gomap::SwissMap<int, int>>(until_caught);
       }},
      {"swiss-iterate-write",
       [] {
         favour_racers();
         gomap::racers::concurrent_map_iterate_write<gomap::SwissMap<int, int>>(until_caught);
       }},
      {"swiss-locked",
       [] {
         gomap::racers::locked_mixed_ops<gomap::SwissMap<std::uint64_t, std::uint64_t>>(4, 20000);
       }},
      {"swiss-park-writes",
       [] { park_in_write<parking_swiss>([](parking_swiss& m) { m.set(8, 0); }); }},
      {"swiss-park-read",
       [] {
         park_in_write<parking_swiss>(
             [](parking_swiss& m) { [[maybe_unused]] volatile int v = m.get(8); });
       }},
      {"swiss-park-iterate",
       [] {
         park_in_write<parking_swiss>([](parking_swiss& m) {
           for ([[maybe_unused]] auto&& kv : m) {
           }
         });
       }},
  };
  const auto it = scenarios.find(scenario);
  if (it == scenarios.end()) {
    std::fprintf(stderr, "unknown scenario %.*s\n", static_cast<int>(scenario.size()),
                 scenario.data());
    return 2;
  }
  it->second();
  return 0;
}
}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s <scenario>\n", argv[0]);
    return 2;
  }
  return run(argv[1]);
}
