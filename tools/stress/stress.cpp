// stress — a bounded concurrent stress of gomap's concurrent maps, with
// invariant checks, for users' and our own ThreadSanitizer jobs
// (docs/stress.md).
//
//   stress [--map syncmap|hash_trie_map|sharded|shared_mutex|all|lossy] [--threads N]
//          [--duration SECONDS | --ops N] [--keys N]
//          [--mix read=700,write=150,delete=100,range=1,compute=49]
//          [--dist uniform|zipf] [--zipf-s S] [--seed N] [--quiet]
//   stress --racy-demo
//
// Invariants checked while it runs and at the end:
//  * no lost updates: `compute` increments counter keys atomically; each
//    thread counts its own increments, and at quiescence every counter
//    equals the sum of the threads' counts; a reader never sees a counter
//    go backwards;
//  * values are always ones some thread wrote: a value encodes (writer,
//    sequence number, a tag of its key); the writer publishes the sequence
//    number *before* writing, so a reader that sees the value must also see
//    a published number >= it (the maps' "a write synchronizes-before a read
//    that observes it" promise), and the tag must match the key read;
//  * read-your-writes on private keys (one writer each): the owner always
//    reads exactly what it last wrote or deleted;
//  * range visits no key twice and yields only valid values;
//  * at quiescence: size() == keys produced by range == keys found by
//    contains over the whole key space, and private keys match their owner.
// `--map lossy` is a deliberately broken map (lost updates) for self-tests.
// Exit status: 0 clean, 1 on any violation, 2 on a usage error.
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <optional>
#include <random>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_set>
#include <vector>

#include <gomap/hash_trie_map.hpp>
#include <gomap/map.hpp>
#include <gomap/sharded_map.hpp>
#include <gomap/sync_map.hpp>

namespace {

using key_t = std::int64_t;
using value_t = std::uint64_t;
using clock_type = std::chrono::steady_clock;

// ------------------------------------------------------------- the maps
// One small adapter per map, so the driver is written once.

// Both designs of Go's sync.Map (same members): SyncMap (Go 1.19–1.23's read/dirty maps)
// and HashTrieMap (Go 1.24+'s hash-trie).
template <class M>
struct go_sync_map_adapter {
  M m;
  std::optional<value_t> load(key_t k) { return m.load(k); }
  void store(key_t k, value_t v) { m.store(k, v); }
  void erase(key_t k) { m.erase(k); }
  bool contains(key_t k) { return m.load(k).has_value(); }
  // An atomic increment: Go's LoadOrStore + CompareAndSwap loop.
  void increment(key_t k) {
    auto [cur, loaded] = m.load_or_store(k, 1);
    if (!loaded) return;
    while (!m.compare_and_swap(k, cur, cur + 1)) cur = *m.load(k);
  }
  template <class F>
  void range(F&& f) {
    m.range([&](const key_t& k, const value_t& v) { return f(k, v); });
  }
  std::size_t size() { return m.size(); }
};

struct sync_map_adapter : go_sync_map_adapter<gomap::SyncMap<key_t, value_t>> {
  static constexpr const char* name = "syncmap";
};
struct hash_trie_map_adapter : go_sync_map_adapter<gomap::HashTrieMap<key_t, value_t>> {
  static constexpr const char* name = "hash_trie_map";
};

struct sharded_adapter {
  static constexpr const char* name = "sharded";
  gomap::ShardedMap<key_t, value_t> m;
  std::optional<value_t> load(key_t k) {
    auto [v, ok] = m.lookup(k);
    return ok ? std::optional<value_t>(v) : std::nullopt;
  }
  void store(key_t k, value_t v) { m.set(k, v); }
  void erase(key_t k) { m.erase(k); }
  bool contains(key_t k) { return m.contains(k); }
  void increment(key_t k) {
    m.compute(k, [](const value_t* cur) -> std::optional<value_t> { return cur ? *cur + 1 : 1; });
  }
  template <class F>
  void range(F&& f) {
    m.range([&](const key_t& k, const value_t& v) { return f(k, v); });
  }
  std::size_t size() { return m.size(); }
};

// Go's classic answer: a plain map behind a reader-writer lock.
struct shared_mutex_adapter {
  static constexpr const char* name = "shared_mutex";
  std::shared_mutex mu;
  gomap::Map<key_t, value_t> m = gomap::make<key_t, value_t>();
  std::optional<value_t> load(key_t k) {
    std::shared_lock l(mu);
    auto [v, ok] = m.lookup(k);
    return ok ? std::optional<value_t>(v) : std::nullopt;
  }
  void store(key_t k, value_t v) {
    std::unique_lock l(mu);
    m.set(k, v);
  }
  void erase(key_t k) {
    std::unique_lock l(mu);
    m.erase(k);
  }
  bool contains(key_t k) {
    std::shared_lock l(mu);
    return m.contains(k);
  }
  void increment(key_t k) {
    std::unique_lock l(mu);
    m[k]++;
  }
  template <class F>
  void range(F&& f) {
    std::shared_lock l(mu);
    m.range([&](const key_t& k, value_t& v) { return f(k, v); });
  }
  std::size_t size() {
    std::shared_lock l(mu);
    return m.size();
  }
};

// A deliberately broken map for the driver's self-test (--map lossy): the
// increment reads and writes under separate lock holds — the classic lost
// update.  No data race (TSan stays quiet); only the invariant check sees it.
struct lossy_adapter : shared_mutex_adapter {
  static constexpr const char* name = "lossy";
  void increment(key_t k) {
    const value_t v = load(k).value_or(0);
    std::this_thread::yield();  // widen the window
    store(k, v + 1);
  }
};

// ---------------------------------------------------------------- options
struct options {
  std::vector<std::string> maps{"syncmap", "hash_trie_map", "sharded", "shared_mutex"};
  unsigned threads = 4;
  double duration = 5;
  std::uint64_t ops = 0;  // per thread; 0: run for `duration`
  std::uint64_t keys = 1024;
  unsigned w_read = 700, w_write = 150, w_delete = 100, w_range = 1, w_compute = 49;
  bool zipf = false;
  double zipf_s = 1.1;
  std::uint64_t seed = 0;
  bool quiet = false;
};

constexpr key_t counters = 16;              // counter keys: -1 .. -counters
constexpr std::uint64_t private_keys = 64;  // per thread, above the shared key space

// ------------------------------------------------------------- encoding
// value = writer (8 bits, +1 so no valid value is 0) | seq (40 bits) | key tag (16 bits)
constexpr std::uint16_t key_tag(key_t k) {
  return static_cast<std::uint16_t>((static_cast<std::uint64_t>(k) * 0x9e3779b97f4a7c15ull) >> 48);
}
constexpr value_t encode(unsigned writer, std::uint64_t seq, key_t k) {
  return (value_t{writer + 1} << 56) | ((seq & ((value_t{1} << 40) - 1)) << 16) | key_tag(k);
}
constexpr unsigned writer_of(value_t v) {
  return static_cast<unsigned>(v >> 56) - 1;
}
constexpr std::uint64_t seq_of(value_t v) {
  return (v >> 16) & ((value_t{1} << 40) - 1);
}

struct alignas(64) published_seq {
  std::atomic<std::uint64_t> seq{0};
};

// ------------------------------------------------------------ the driver
class violations {
 public:
  // Up to ten reports are printed while running, and up to ten more at
  // quiescence (`final`), so the end-state checks are never drowned out.
  void report(const std::string& what, bool final = false) {
    if ((final ? final_.fetch_add(1) : shown_.fetch_add(1)) < 10) {
      std::lock_guard l(mu_);
      std::fprintf(stderr, "VIOLATION: %s\n", what.c_str());
    }
    n_.fetch_add(1);
  }
  void report_final(const std::string& what) { report(what, true); }
  std::uint64_t count() const { return n_.load(); }

 private:
  std::atomic<std::uint64_t> n_{0}, shown_{0}, final_{0};
  std::mutex mu_;
};

// Zipf over [0, n): a precomputed CDF (n is a key space, small enough).
class zipf_dist {
 public:
  zipf_dist(std::uint64_t n, double s) : cdf_(n) {
    double sum = 0;
    for (std::uint64_t i = 0; i < n; ++i) cdf_[i] = sum += 1.0 / std::pow(double(i + 1), s);
    for (double& c : cdf_) c /= sum;
  }
  template <class R>
  std::uint64_t operator()(R& rng) const {
    const double u = std::uniform_real_distribution<double>(0, 1)(rng);
    return static_cast<std::uint64_t>(std::lower_bound(cdf_.begin(), cdf_.end(), u) -
                                      cdf_.begin()) %
           cdf_.size();
  }

 private:
  std::vector<double> cdf_;
};

template <class Adapter>
int run(const options& o) {
  Adapter map;
  violations bad;
  std::vector<published_seq> published(o.threads);
  std::vector<std::vector<std::uint64_t>> increments(o.threads,
                                                     std::vector<std::uint64_t>(counters));
  std::vector<std::vector<value_t>> private_model(o.threads, std::vector<value_t>(private_keys, 0));
  std::atomic<std::uint64_t> total_ops{0}, total_checks{0};
  std::atomic<bool> stop{false};
  std::atomic<unsigned> running{o.threads};
  const std::optional<zipf_dist> zipf =
      o.zipf ? std::optional<zipf_dist>(std::in_place, o.keys, o.zipf_s) : std::nullopt;
  const unsigned wsum = o.w_read + o.w_write + o.w_delete + o.w_range + o.w_compute;
  const std::uint64_t seed = o.seed ? o.seed : std::random_device{}();

  auto valid = [&](key_t k, value_t v, std::string_view where) {
    const unsigned w = writer_of(v);
    if (v == 0 || w >= o.threads || (v & 0xffff) != key_tag(k) || seq_of(v) == 0) {
      bad.report(std::string(where) + ": key " + std::to_string(k) + " holds value " +
                 std::to_string(v) + " that no thread wrote for it");
      return;
    }
    const std::uint64_t pub = published[w].seq.load(std::memory_order_acquire);
    if (seq_of(v) > pub)
      bad.report(std::string(where) + ": key " + std::to_string(k) + " shows write #" +
                 std::to_string(seq_of(v)) + " of thread " + std::to_string(w) +
                 " whose published sequence is only " + std::to_string(pub) +
                 " (write seen before what preceded it)");
  };

  auto worker = [&](unsigned t) {
    std::mt19937_64 rng(seed + t * 0x9e3779b97f4a7c15ull);
    std::vector<std::uint64_t> last_counter(counters, 0);
    std::uint64_t seq = 0, ops = 0, checks = 0;
    const key_t private_base = static_cast<key_t>(o.keys + t * private_keys);
    auto shared_key = [&] { return static_cast<key_t>(zipf ? (*zipf)(rng) : rng() % o.keys); };
    while (!stop.load(std::memory_order_relaxed) && (o.ops == 0 || ops < o.ops)) {
      const unsigned pick = static_cast<unsigned>(rng() % wsum);
      const bool priv = (rng() & 3) == 0;  // a quarter of reads/writes/deletes are private
      const std::uint64_t pi = rng() % private_keys;
      const key_t k = priv ? private_base + static_cast<key_t>(pi) : shared_key();
      if (pick < o.w_read) {
        if ((rng() & 7) == 0) {  // a counter read: never backwards
          const auto c = static_cast<std::uint64_t>(rng() % counters);
          const std::uint64_t v = map.load(-1 - static_cast<key_t>(c)).value_or(0);
          if (v < last_counter[c])
            bad.report("counter " + std::to_string(c) + " went back from " +
                       std::to_string(last_counter[c]) + " to " + std::to_string(v));
          last_counter[c] = v;
        } else if (auto v = map.load(k)) {
          valid(k, *v, "load");
          if (priv && *v != private_model[t][pi])
            bad.report("owner read of private key " + std::to_string(k) + " is not its last write");
        } else if (priv && private_model[t][pi] != 0) {
          bad.report("owner's private key " + std::to_string(k) + " vanished");
        }
        ++checks;
      } else if (pick < o.w_read + o.w_write) {
        ++seq;
        published[t].seq.store(seq, std::memory_order_release);  // before the write
        const value_t v = encode(t, seq, k);
        map.store(k, v);
        if (priv) private_model[t][pi] = v;
      } else if (pick < o.w_read + o.w_write + o.w_delete) {
        map.erase(k);
        if (priv) private_model[t][pi] = 0;
      } else if (pick < o.w_read + o.w_write + o.w_delete + o.w_range) {
        std::unordered_set<key_t> seen;
        map.range([&](key_t rk, value_t v) {
          if (!seen.insert(rk).second)
            bad.report("range visited key " + std::to_string(rk) + " twice");
          if (rk >= 0) valid(rk, v, "range");
          ++checks;
          return true;
        });
      } else {
        const auto c = static_cast<std::uint64_t>(rng() % counters);
        map.increment(-1 - static_cast<key_t>(c));
        ++increments[t][c];
      }
      ++ops;
      if ((ops & 1023) == 0) {
        total_ops.fetch_add(1024, std::memory_order_relaxed);
        total_checks.fetch_add(std::exchange(checks, 0), std::memory_order_relaxed);
      }
    }
    total_ops.fetch_add(ops & 1023, std::memory_order_relaxed);
    total_checks.fetch_add(checks, std::memory_order_relaxed);
    running.fetch_sub(1);
  };

  const auto start = clock_type::now();
  std::vector<std::thread> threads;
  for (unsigned t = 0; t < o.threads; ++t) threads.emplace_back(worker, t);
  // Progress line once a second; stop after `duration` (unless counting ops).
  auto elapsed = [&] { return std::chrono::duration<double>(clock_type::now() - start).count(); };
  double next_report = 1;
  const bool tty = ::isatty(2) != 0;  // redraw one line on a terminal, else a line each
  while (running.load() > 0) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    const double e = elapsed();
    if (o.ops == 0 && e >= o.duration) stop = true;
    if (!o.quiet && e >= next_report) {
      std::fprintf(stderr, "%s[%s %5.1fs] ops=%llu (%.0f/s) checks=%llu violations=%llu%s",
                   tty ? "\r" : "", Adapter::name, e,
                   static_cast<unsigned long long>(total_ops.load()),
                   static_cast<double>(total_ops.load()) / e,
                   static_cast<unsigned long long>(total_checks.load()),
                   static_cast<unsigned long long>(bad.count()), tty ? "" : "\n");
      next_report += 1;
    }
  }
  for (auto& t : threads) t.join();
  const double secs = elapsed();
  if (!o.quiet && tty && secs >= 1) std::fprintf(stderr, "\n");

  // Quiescence: exact checks.
  std::uint64_t final_checks = 0;
  for (std::uint64_t c = 0; c < counters; ++c) {
    std::uint64_t want = 0;
    for (unsigned t = 0; t < o.threads; ++t) want += increments[t][c];
    const std::uint64_t got = map.load(-1 - static_cast<key_t>(c)).value_or(0);
    if (got != want)
      bad.report_final("lost updates: counter " + std::to_string(c) + " is " + std::to_string(got) +
                       ", the threads incremented it " + std::to_string(want) + " times");
    ++final_checks;
  }
  for (unsigned t = 0; t < o.threads; ++t)
    for (std::uint64_t i = 0; i < private_keys; ++i) {
      const key_t k = static_cast<key_t>(o.keys + t * private_keys + i);
      const value_t want = private_model[t][i];
      const std::optional<value_t> got = map.load(k);
      if (got.value_or(0) != want)
        bad.report_final("private key " + std::to_string(k) +
                         " does not hold its owner's last write");
      ++final_checks;
    }
  std::unordered_set<key_t> ranged;
  map.range([&](key_t k, value_t v) {
    if (!ranged.insert(k).second)
      bad.report_final("final range visited key " + std::to_string(k) + " twice");
    if (k >= 0) valid(k, v, "final range");
    return true;
  });
  std::uint64_t present = 0;
  for (key_t k = -counters; k < static_cast<key_t>(o.keys + o.threads * private_keys); ++k)
    present += map.contains(k);
  const std::size_t size = map.size();
  if (size != ranged.size() || size != present)
    bad.report_final("size at quiescence: size()=" + std::to_string(size) + ", range produced " +
                     std::to_string(ranged.size()) + " keys, contains() found " +
                     std::to_string(present));
  final_checks += 3 + ranged.size();

  const std::uint64_t ops = total_ops.load(), checks = total_checks.load() + final_checks;
  std::printf(
      "stress %s: threads=%u keys=%llu dist=%s ops=%llu in %.2fs (%.0f ops/s) checks=%llu "
      "violations=%llu%s\n",
      Adapter::name, o.threads, static_cast<unsigned long long>(o.keys),
      o.zipf ? "zipf" : "uniform", static_cast<unsigned long long>(ops), secs,
      static_cast<double>(ops) / secs, static_cast<unsigned long long>(checks),
      static_cast<unsigned long long>(bad.count()), bad.count() ? "  FAILED" : "");
  std::fflush(stdout);
  return bad.count() ? 1 : 0;
}

// -------------------------------------------------------------- racy demo
// Unsynchronized writers on a plain Map: Go's runtime would kill this
// program with "fatal error: concurrent map writes"; so does gomap.  The map
// is filled first, so the racing writes overwrite in place: two writers that
// both slip past the flag check before either sets it then race on a value,
// not on growth, and the run ends in the detector's report rather than in
// memory freed under another writer (which ASan would report first).
[[noreturn]] void racy_child() {
  auto m = gomap::make<int, int>(4096);
  for (int k = 0; k < 4096; ++k) m.set(k, 0);
  std::vector<std::thread> ts;
  ts.reserve(4);
  for (int t = 0; t < 4; ++t)
    ts.emplace_back([m, t] {
      const auto until = clock_type::now() + std::chrono::seconds(20);
      for (int i = 0; clock_type::now() < until; ++i) m.set((i * 4 + t) % 4096, i);
    });
  for (auto& t : ts) t.join();
  std::_Exit(3);  // not detected within the bound
}

int racy_demo(const char* self) {
  int err[2];
  if (::pipe(err) != 0) return 1;
  const pid_t pid = ::fork();
  if (pid < 0) return 1;
  if (pid == 0) {
    ::dup2(err[1], 2);
    ::close(err[0]);
    ::close(err[1]);
    ::execl(self, self, "--racy-child", static_cast<char*>(nullptr));
    std::_Exit(127);
  }
  ::close(err[1]);
  std::string out;
  char buf[4096];
  for (ssize_t n; (n = ::read(err[0], buf, sizeof buf)) > 0;)
    out.append(buf, static_cast<std::size_t>(n));
  ::close(err[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  std::printf("racy demo: 4 threads call set() on one gomap::Map without a lock (in a child)\n");
  const auto nl = out.find('\n');
  const std::string first = out.substr(0, nl);
  if (WIFSIGNALED(status))
    std::printf("child killed by signal %d (%s)\n", WTERMSIG(status), strsignal(WTERMSIG(status)));
  else
    std::printf("child exited with status %d\n", WEXITSTATUS(status));
  std::printf("its report began:\n");
  std::size_t shown = 0, pos = 0;
  while (pos < out.size() && shown < 8) {
    const auto e = out.find('\n', pos);
    std::printf("  | %s\n", out.substr(pos, e - pos).c_str());
    pos = e == std::string::npos ? out.size() : e + 1;
    ++shown;
  }
  const bool detected = WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT &&
                        (first == "fatal error: concurrent map writes" ||
                         first == "fatal error: concurrent map read and map write");
  std::printf("%s\n", detected ? "detected, as Go's runtime would: the race killed the process"
                               : "NOT detected as expected");
  return detected ? 0 : 1;
}

// ---------------------------------------------------------------- parsing
int usage() {
  std::fprintf(
      stderr,
      "usage: stress [--map syncmap|hash_trie_map|sharded|shared_mutex|all] [--threads N]\n"
      "              [--duration SECONDS | --ops N] [--keys N]\n"
      "              [--mix read=700,write=150,delete=100,range=1,compute=49]\n"
      "              [--dist uniform|zipf] [--zipf-s S] [--seed N] [--quiet]\n"
      "       stress --racy-demo\n");
  return 2;
}

bool parse_u64(std::string_view s, std::uint64_t& out) {
  if (s.empty()) return false;
  char* end = nullptr;
  const std::string str(s);
  out = std::strtoull(str.c_str(), &end, 10);
  return *end == '\0';
}

bool parse_mix(std::string_view s, options& o) {
  o.w_read = o.w_write = o.w_delete = o.w_range = o.w_compute = 0;
  while (!s.empty()) {
    const auto comma = s.find(',');
    const std::string_view item = s.substr(0, comma);
    s = comma == std::string_view::npos ? std::string_view{} : s.substr(comma + 1);
    const auto eq = item.find('=');
    std::uint64_t w = 0;
    if (eq == std::string_view::npos || !parse_u64(item.substr(eq + 1), w) || w > 1'000'000)
      return false;
    const std::string_view name = item.substr(0, eq);
    unsigned* dst = name == "read"      ? &o.w_read
                    : name == "write"   ? &o.w_write
                    : name == "delete"  ? &o.w_delete
                    : name == "range"   ? &o.w_range
                    : name == "compute" ? &o.w_compute
                                        : nullptr;
    if (!dst) return false;
    *dst = static_cast<unsigned>(w);
  }
  return o.w_read + o.w_write + o.w_delete + o.w_range + o.w_compute > 0;
}

}  // namespace

int main(int argc, char** argv) {
  options o;
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    auto value = [&]() -> std::string_view { return i + 1 < argc ? argv[++i] : ""; };
    std::uint64_t n = 0;
    if (a == "--racy-demo") return racy_demo(argv[0]);
    if (a == "--racy-child") racy_child();
    if (a == "--map") {
      const std::string_view m = value();
      if (m == "all") continue;
      if (m != "syncmap" && m != "hash_trie_map" && m != "sharded" && m != "shared_mutex" &&
          m != "lossy")
        return usage();
      o.maps = {std::string(m)};
    } else if (a == "--threads") {
      if (!parse_u64(value(), n) || n == 0 || n > 200) return usage();
      o.threads = static_cast<unsigned>(n);
    } else if (a == "--duration") {
      const std::string v(value());
      char* end = nullptr;
      o.duration = std::strtod(v.c_str(), &end);
      if (v.empty() || *end != '\0' || !(o.duration > 0)) return usage();
    } else if (a == "--ops") {
      if (!parse_u64(value(), o.ops) || o.ops == 0) return usage();
    } else if (a == "--keys") {
      if (!parse_u64(value(), o.keys) || o.keys == 0 || o.keys > (1u << 24)) return usage();
    } else if (a == "--mix") {
      if (!parse_mix(value(), o)) return usage();
    } else if (a == "--dist") {
      const std::string_view d = value();
      if (d != "uniform" && d != "zipf") return usage();
      o.zipf = d == "zipf";
    } else if (a == "--zipf-s") {
      const std::string v(value());
      char* end = nullptr;
      o.zipf_s = std::strtod(v.c_str(), &end);
      if (v.empty() || *end != '\0' || !(o.zipf_s > 0)) return usage();
    } else if (a == "--seed") {
      if (!parse_u64(value(), o.seed)) return usage();
    } else if (a == "--quiet") {
      o.quiet = true;
    } else {
      return usage();
    }
  }
  int rc = 0;
  for (const std::string& m : o.maps) {
    int r = 0;
    if (m == "syncmap") r = run<sync_map_adapter>(o);
    if (m == "hash_trie_map") r = run<hash_trie_map_adapter>(o);
    if (m == "sharded") r = run<sharded_adapter>(o);
    if (m == "shared_mutex") r = run<shared_mutex_adapter>(o);
    if (m == "lossy") r = run<lossy_adapter>(o);
    rc = std::max(rc, r);
  }
  return rc;
}
