// interleave_rcu: gomap's epoch-based reclamation (rcu.hpp) and the shard lock
// (runtime/rw_spinlock.hpp) under schedules the fuzzer chooses (docs/interleave.md).
//   byte 0: bit 0 picks the component; threads 2 + (b >> 1) % 3; retires between
//           collections (bits 3-4: 1, 2, 4, 64)
//   then per thread one byte (1 + b % 4 operations) and one byte per operation; the rest
//   is the schedule.
// rcu: readers must never reach a freed object (freed objects stay mapped, marked), and
// the reclaimer's books must balance; rw_spinlock: mutual exclusion, and free at the end.
#include <cstddef>
#include <cstdint>

#include "interleave.hpp"

namespace gomap_fuzz::interleave_rcu {

int run(const std::uint8_t* data, std::size_t size) {
  using namespace gomap_interleave;
  gomap_fuzz::input in(data, size);
  const std::uint8_t b0 = in.byte();
  const unsigned n_threads = 2 + (b0 >> 1) % 3;
  if ((b0 & 1) == 0) {
    rcu_scenario s;
    static constexpr unsigned every[] = {1, 2, 4, 64};
    s.collect_every = every[(b0 >> 3) & 3];
    s.threads.resize(n_threads);
    for (auto& ops : s.threads) {
      const unsigned n = 1 + in.byte() % 4;
      for (unsigned i = 0; i < n; ++i) {
        const std::uint8_t b = in.byte();
        const unsigned kinds = static_cast<unsigned>(rcu_op::count_);
        auto kind = static_cast<rcu_op>(b % kinds);
        // fork() costs milliseconds under ASan: one fork byte in four forks, the rest read.
        if (kind == rcu_op::fork_child && b / kinds / 2 % 4 != 0) kind = rcu_op::read;
        ops.push_back({kind, static_cast<std::uint8_t>(b / kinds % 2)});
      }
    }
    byte_chooser c(data + (size - in.remaining()), in.remaining());
    run_context() = "interleave_rcu input (rcu)";
    rcu_run(s, c);
  } else {
    std::vector<std::vector<lock_op>> threads(n_threads);
    for (auto& ops : threads) {
      const unsigned n = 1 + in.byte() % 4;
      for (unsigned i = 0; i < n; ++i) {
        ops.push_back(static_cast<lock_op>(in.byte() % static_cast<unsigned>(lock_op::count_)));
      }
    }
    byte_chooser c(data + (size - in.remaining()), in.remaining());
    run_context() = "interleave_rcu input (rw_spinlock)";
    rw_spinlock_run(threads, c);
  }
  return 0;
}

}  // namespace gomap_fuzz::interleave_rcu

GOMAP_FUZZ_ENTRY(gomap_fuzz::interleave_rcu::run)
