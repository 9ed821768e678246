// Systematic mode (docs/interleave.md): every schedule of small scenarios — two threads of
// two or three operations — with at most two preemptions (CHESS's bound; loom's idea),
// for SyncMap, HashTrieMap, the epoch reclamation and the shard lock. Every schedule is
// checked as the fuzz harnesses check theirs (fuzz/interleave.hpp): linearizability against
// a sequential map, size() at quiescence, the reclaimer's books, mutual exclusion.
//
// A failure prints the scenario and its schedule; replay that one schedule with
//   GOMAP_INTERLEAVE_SCHEDULE=<picks, comma-separated> ./interleave_systematic_test
//     --gtest_filter=<the test>
// The committed interleave fuzz corpora are replayed here too.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "interleave.hpp"

namespace gomap_fuzz {
namespace interleave_sync_map {
int run(const std::uint8_t*, std::size_t);
}
namespace interleave_hash_trie_map {
int run(const std::uint8_t*, std::size_t);
}
namespace interleave_rcu {
int run(const std::uint8_t*, std::size_t);
}
}  // namespace gomap_fuzz

namespace {

using namespace gomap_interleave;

constexpr unsigned preemption_bound = 2;
// A ceiling on schedules per scenario, so a scenario that grows cannot make CI slow; the
// scenarios below stay under it (each test asserts it explored them all).
constexpr std::size_t max_schedules = 50000;

op mk(op_kind k, std::uint8_t key, std::uint8_t old = 0) {
  op o;
  o.kind = k;
  o.key = key;
  o.old = old;
  return o;
}

// A schedule to replay alone, from GOMAP_INTERLEAVE_SCHEDULE.
bool replay_schedule(std::vector<unsigned>& picks) {
  const char* env = std::getenv("GOMAP_INTERLEAVE_SCHEDULE");
  if (env == nullptr || *env == '\0') return false;
  std::string s(env);
  std::size_t p = 0;
  while (p < s.size()) {
    picks.push_back(static_cast<unsigned>(std::stoul(s.substr(p))));
    p = s.find(',', p);
    if (p == std::string::npos) break;
    ++p;
  }
  return true;
}

// Runs `one(chooser&)` under every schedule with at most preemption_bound preemptions;
// returns how many.
template <class F>
std::size_t explore(const std::string& name, F one) {
  std::vector<unsigned> picks;
  if (replay_schedule(picks)) {
    dfs_chooser c(preemption_bound, picks);
    run_context() = name + " (replaying GOMAP_INTERLEAVE_SCHEDULE)";
    one(c);
    return 1;
  }
  dfs_chooser c(preemption_bound);
  std::size_t n = 0;
  const auto t0 = std::chrono::steady_clock::now();
  do {
    run_context() = name + " (systematic; replay: GOMAP_INTERLEAVE_SCHEDULE=<the schedule below>)";
    one(c);
    ++n;
  } while (n < max_schedules && c.next());
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf("  %-40s %6zu schedules, %.2f s\n", name.c_str(), n, s);
  EXPECT_LT(n, max_schedules) << name << ": more schedules than the ceiling; shrink it";
  return n;
}

struct sync_map_design {
  using map = gomap::SyncMap<std::uint64_t, std::string>;
  static constexpr const char* name = "SyncMap";
};
struct hash_trie_design {
  using map = gomap::HashTrieMap<std::uint64_t, std::string>;
  static constexpr const char* name = "HashTrieMap";
};

template <class D>
class InterleaveMaps : public ::testing::Test {};
using designs = ::testing::Types<sync_map_design, hash_trie_design>;
struct design_name {
  template <class D>
  static std::string GetName(int) {
    return D::name;
  }
};
TYPED_TEST_SUITE(InterleaveMaps, designs, design_name);

template <class D>
std::size_t explore_map(const std::string& what, map_scenario s) {
  return explore(std::string(D::name) + " " + what,
                 [&](chooser& c) { map_run<typename D::map>(s, c); });
}

// Ids: setup ops are 1.., then thread 0's, then thread 1's (number_ops).

TYPED_TEST(InterleaveMaps, StoreLoadSameKey) {
  map_scenario s;
  s.threads = {{mk(op_kind::store, 0), mk(op_kind::load, 0)},
               {mk(op_kind::load, 0), mk(op_kind::swap, 0)}};
  EXPECT_GT(explore_map<TypeParam>("store/load/swap", s), 10u);
}

TYPED_TEST(InterleaveMaps, NewKeysMissesAndPromotion) {
  // SyncMap: new keys go to dirty (amended), loads miss until dirty is promoted.
  map_scenario s;
  s.setup = {mk(op_kind::store, 0)};
  s.threads = {{mk(op_kind::store, 1), mk(op_kind::load, 1), mk(op_kind::load, 1)},
               {mk(op_kind::load_and_delete, 1), mk(op_kind::store, 0)}};
  EXPECT_GT(explore_map<TypeParam>("misses and promotion", s), 10u);
}

TYPED_TEST(InterleaveMaps, ExpungeAndRevive) {
  // SyncMap: k0 deleted in the read map; a store of a new key rebuilds dirty (expunging k0)
  // while another thread revives k0.
  map_scenario s;
  s.setup = {mk(op_kind::store, 0), mk(op_kind::store, 1), mk(op_kind::load, 2),
             mk(op_kind::load, 2), mk(op_kind::erase, 0)};
  s.threads = {{mk(op_kind::store, 2), mk(op_kind::load, 0)},
               {mk(op_kind::load_or_store, 0), mk(op_kind::load_and_delete, 1)}};
  EXPECT_GT(explore_map<TypeParam>("expunge and revive", s), 10u);
}

TYPED_TEST(InterleaveMaps, RepublishWhileReading) {
  // SyncMap: the first new key re-publishes the read map (retiring the old one) while a
  // reader is between loading read_ and looking the key up in it; a later retire collects.
  map_scenario s;
  s.setup = {mk(op_kind::store, 0), mk(op_kind::load, 1)};  // k0 promoted to the read map
  s.threads = {{mk(op_kind::store, 1), mk(op_kind::store, 0)}, {mk(op_kind::load, 0)}};
  EXPECT_GT(explore_map<TypeParam>("republish while reading", s), 10u);
}

TYPED_TEST(InterleaveMaps, CompareAndSwapDelete) {
  map_scenario s;
  s.setup = {mk(op_kind::store, 0)};  // k0 = v1
  s.threads = {{mk(op_kind::compare_and_swap, 0, 1), mk(op_kind::compare_and_delete, 0, 2)},
               {mk(op_kind::swap, 0), mk(op_kind::compare_and_delete, 0, 1)}};
  EXPECT_GT(explore_map<TypeParam>("compare_and_swap/delete", s), 10u);
}

TYPED_TEST(InterleaveMaps, ClearAgainstWriters) {
  map_scenario s;
  s.setup = {mk(op_kind::store, 0), mk(op_kind::store, 1)};
  s.threads = {{mk(op_kind::clear, 0), mk(op_kind::load, 1)},
               {mk(op_kind::store, 1), mk(op_kind::erase, 0)}};
  EXPECT_GT(explore_map<TypeParam>("clear against writers", s), 10u);
}

TYPED_TEST(InterleaveMaps, LoadOrComputeAgainstLoadOrStore) {
  map_scenario s;
  s.threads = {{mk(op_kind::load_or_compute, 3), mk(op_kind::erase, 3)},
               {mk(op_kind::load_or_store, 3), mk(op_kind::load_or_compute, 3)}};
  EXPECT_GT(explore_map<TypeParam>("load_or_compute", s), 10u);
}

TYPED_TEST(InterleaveMaps, DeletePrunesWhileInserting) {
  // HashTrieMap: all four keys, so some share a root slot (expand) and deleting one prunes.
  map_scenario s;
  s.setup = {mk(op_kind::store, 0), mk(op_kind::store, 1), mk(op_kind::store, 2)};
  s.threads = {{mk(op_kind::erase, 1), mk(op_kind::erase, 2)},
               {mk(op_kind::store, 3), mk(op_kind::load, 2)}};
  EXPECT_GT(explore_map<TypeParam>("delete/prune against insert", s), 10u);
}

TEST(InterleaveHashTrieMap, CollisionChains) {
  // Keys 0 and 2 share all 64 hash bits: one slot, an overflow chain.
  using map = gomap::HashTrieMap<std::uint64_t, std::string, colliding_hash>;
  map_scenario s;
  s.setup = {mk(op_kind::store, 0), mk(op_kind::store, 2)};
  s.threads = {{mk(op_kind::swap, 0), mk(op_kind::erase, 2)},
               {mk(op_kind::compare_and_swap, 2, 2), mk(op_kind::load_and_delete, 0)}};
  EXPECT_GT(explore("HashTrieMap collision chains", [&](chooser& c) { map_run<map>(s, c); }), 10u);
}

TEST(InterleaveRcu, ReadersAgainstRetire) {
  rcu_scenario s;
  s.threads = {{{rcu_op::read, 0}, {rcu_op::read, 0}}, {{rcu_op::retire, 0}, {rcu_op::collect, 0}}};
  EXPECT_GT(explore("rcu readers/retire", [&](chooser& c) { rcu_run(s, c); }), 10u);
}

TEST(InterleaveRcu, NestedReaderAgainstSynchronize) {
  rcu_scenario s;
  s.threads = {{{rcu_op::read_nested, 0}}, {{rcu_op::sync_free, 1}, {rcu_op::retire, 0}}};
  EXPECT_GT(explore("rcu nested reader/synchronize", [&](chooser& c) { rcu_run(s, c); }), 10u);
}

TEST(InterleaveRcu, TwoRetirersAndBarrier) {
  rcu_scenario s;
  s.threads = {{{rcu_op::retire, 0}, {rcu_op::read, 1}},
               {{rcu_op::retire, 1}, {rcu_op::barrier, 0}}};
  EXPECT_GT(explore("rcu retirers/barrier", [&](chooser& c) { rcu_run(s, c); }), 10u);
}

// A thread that exits hands its record back (with what it retired still in its inbox) and
// the next one reuses it; the others' read sections and collections run around that.
TEST(InterleaveRcu, ExitingThreadsAgainstReaders) {
  rcu_scenario s;
  s.threads = {{{rcu_op::thread_churn, 0}, {rcu_op::thread_churn, 1}},
               {{rcu_op::read, 0}, {rcu_op::collect, 0}}};
  EXPECT_GT(explore("rcu exiting threads/readers", [&](chooser& c) { rcu_run(s, c); }), 10u);
}

// fork() while the other thread is anywhere in a read section, a retire or a collection:
// the child's rcu_barrier must return (its fork handler released the lost threads' records).
TEST(InterleaveRcu, ForkAgainstReaderAndRetirer) {
  rcu_scenario s;
  s.threads = {{{rcu_op::fork_child, 0}}, {{rcu_op::read_nested, 0}, {rcu_op::retire, 1}}};
  EXPECT_GT(explore("rcu fork/reader/retirer", [&](chooser& c) { rcu_run(s, c); }), 10u);
}

TEST(InterleaveRwSpinlock, ReadersAndWriters) {
  std::vector<std::vector<lock_op>> t = {{lock_op::read, lock_op::write},
                                         {lock_op::write, lock_op::try_read}};
  EXPECT_GT(explore("rw_spinlock readers/writers", [&](chooser& c) { rw_spinlock_run(t, c); }),
            10u);
  std::vector<std::vector<lock_op>> u = {{lock_op::write, lock_op::try_write},
                                         {lock_op::write, lock_op::read}};
  EXPECT_GT(explore("rw_spinlock writers", [&](chooser& c) { rw_spinlock_run(u, c); }), 10u);
}

// Seeded random schedules of three and four threads (the PRNG chooser, GOMAP_SEED-style
// replay by seed): beyond what two-thread enumeration reaches.
TYPED_TEST(InterleaveMaps, RandomSchedulesFourThreads) {
  map_scenario s;
  s.setup = {mk(op_kind::store, 0)};
  s.threads = {{mk(op_kind::store, 1), mk(op_kind::load, 0)},
               {mk(op_kind::load_and_delete, 0), mk(op_kind::load_or_store, 1)},
               {mk(op_kind::clear, 0), mk(op_kind::store, 2)},
               {mk(op_kind::compare_and_swap, 0, 1), mk(op_kind::load, 2)}};
  for (std::uint64_t seed = 1; seed <= 200; ++seed) {
    prng_chooser c(seed);
    run_context() = std::string(TypeParam::name) + " four threads, " + c.describe();
    map_run<typename TypeParam::map>(s, c);
  }
}

// The committed interleave corpora, through their harnesses.
std::size_t replay(const char* harness, int (*fn)(const std::uint8_t*, std::size_t)) {
  const std::filesystem::path dir = std::filesystem::path(GOMAP_FUZZ_CORPUS_DIR) / harness;
  if (!std::filesystem::is_directory(dir)) return 0;
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    if (e.is_regular_file()) files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  for (const auto& f : files) {
    std::ifstream in(f, std::ios::binary);
    const std::vector<char> bytes((std::istreambuf_iterator<char>(in)),
                                  std::istreambuf_iterator<char>());
    gomap::set_seed(gomap_fuzz::input_seed);
    fn(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
  }
  return files.size();
}

TEST(InterleaveCorpusReplay, AllHarnesses) {
  replay("interleave_sync_map", gomap_fuzz::interleave_sync_map::run);
  replay("interleave_hash_trie_map", gomap_fuzz::interleave_hash_trie_map::run);
  replay("interleave_rcu", gomap_fuzz::interleave_rcu::run);
}

}  // namespace
