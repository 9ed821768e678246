// gomap_core_roundtrip: how long one cache line takes to go from one core to
// another and back, right now.  tools/bench/run calls it around every
// concurrent run and merge.py sets aside the rounds taken while it was slow.
//
// Why: on a VM the two vCPUs are wherever the host puts them.  On the 2-vCPU
// EPYC VM of 2026-12-06 this round trip was 75-120 ns for minutes and then
// 216-400 ns for minutes (the vCPUs on cores that share less cache), and
// every contended 2-thread row followed it: HashTrieMap SwapCollision at 2
// threads read 70-90 ns in the fast spells and 255-340 ns in the slow ones,
// in the same binary.  A 2-thread comparison between a C++ run made in one
// spell and a Go run made in the other measures the host, not the maps.
//
// Output: one line, the median over 7 batches of ns per round trip between
// two threads pinned to the first two CPUs this process may use (unpinned if
// it may use only one; then the number only says so).
#include <pthread.h>
#include <sched.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <thread>
#include <vector>

namespace {

// The first n CPUs of this process's affinity mask.
std::vector<int> usable_cpus(std::size_t n) {
  std::vector<int> cpus;
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof set, &set) != 0) return cpus;
  for (int c = 0; c < CPU_SETSIZE && cpus.size() < n; ++c) {
    if (CPU_ISSET(c, &set)) cpus.push_back(c);
  }
  return cpus;
}

void pin(int cpu) {
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(cpu, &set);
  pthread_setaffinity_np(pthread_self(), sizeof set, &set);
}

// ns per round trip of one batch: the line holds 2i+1 when the main thread
// has served round i, 2i+2 when the partner has answered it.
double one_batch(const std::vector<int>& cpus, long rounds) {
  alignas(128) std::atomic<long> line{0};
  std::thread partner([&] {
    if (cpus.size() == 2) pin(cpus[1]);
    for (long i = 0; i < rounds; ++i) {
      while (line.load(std::memory_order_acquire) != 2 * i + 1) {
      }
      line.store(2 * i + 2, std::memory_order_release);
    }
  });
  if (cpus.size() == 2) pin(cpus[0]);
  const auto start = std::chrono::steady_clock::now();
  for (long i = 0; i < rounds; ++i) {
    line.store(2 * i + 1, std::memory_order_release);
    while (line.load(std::memory_order_acquire) != 2 * i + 2) {
    }
  }
  const auto stop = std::chrono::steady_clock::now();
  partner.join();
  return std::chrono::duration<double, std::nano>(stop - start).count() /
         static_cast<double>(rounds);
}

}  // namespace

int main() {
  const std::vector<int> cpus = usable_cpus(2);
  std::vector<double> batches(7);
  for (double& b : batches) b = one_batch(cpus, 200000);
  std::nth_element(batches.begin(), batches.begin() + 3, batches.end());
  std::printf("%.1f\n", batches[3]);
  return 0;
}
