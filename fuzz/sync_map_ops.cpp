// sync_map_ops: both designs of Go's sync.Map — gomap::SyncMap and
// gomap::HashTrieMap, <uint64_t, std::string> — against std::unordered_map,
// single-threaded (logic bugs; races are the TSan stress tests' job).  Every
// input runs through both, one after the other.
//
// For SyncMap the operation mix drives the read/dirty machinery through all
// its states: misses that promote dirty to read, stores that rebuild dirty and
// expunge deleted entries, revival of expunged keys, clear.  For HashTrieMap
// it grows and prunes the trie (keys below 64 share the top of their paths
// only by chance; 8-byte keys from the input can be anything).  Both get
// range callbacks that call back into the map (store, delete, range, clear) —
// which sync.Map allows.  Values are heap strings, so a value or entry read
// after its grace period would show up under ASan.
#include <cstdint>
#include <optional>
#include <string>
#include <type_traits>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include <gomap/hash_trie_map.hpp>
#include <gomap/sync_map.hpp>

#include "fuzz_common.hpp"

namespace gomap_fuzz::sync_map_ops {
namespace {

using K = std::uint64_t;
using V = std::string;

template <class Map>
class harness {
  // HashTrieMap's range (Go 1.24+'s) walks the trie it started on: after a
  // clear() from its callback it may go on producing entries of the old trie —
  // Go allows "any mapping for that key from any point during iteration".
  static constexpr bool range_survives_clear = std::is_same_v<Map, gomap::HashTrieMap<K, V>>;

 public:
  harness(const std::uint8_t* d, std::size_t n) : in_(d, n) {}

  void run() {
    while (!in_.empty() && step_ < 4096) {
      one_op(0);
      check(m_.size() == model_.size(),
            "size " + std::to_string(m_.size()) + " != model " + std::to_string(model_.size()));
      ++step_;
    }
    // Everything the model holds is loadable, nothing else.
    for (const auto& [k, v] : model_) check(m_.load(k) == v, "final load");
  }

 private:
  void check(bool ok, const std::string& what) {
    if (!ok) {
      fail(range_survives_clear ? "sync_map_ops (HashTrieMap)" : "sync_map_ops (SyncMap)", what,
           step_);
    }
  }
  K key() {
    const std::uint8_t b = in_.byte();
    return b < 0xF0 ? b & 0x3F : in_.u64();
  }
  V value() {
    // Long enough to live on the heap (no small-string buffer).
    const std::uint8_t b = in_.byte();
    return std::string(24 + (b & 7), static_cast<char>('a' + (b >> 3) % 26)) +
           std::to_string(step_);
  }
  std::optional<V> want(K k) const {
    auto it = model_.find(k);
    if (it == model_.end()) return std::nullopt;
    return it->second;
  }
  void removed(K k) {
    if (model_.erase(k) != 0)
      for (auto* w : watchers_) w->removed(k);
  }

  void do_range(int depth) {
    range_tracker<K> t;
    t.start(model_);
    watchers_.push_back(&t);
    const bool mutate = depth < 2 && in_.boolean();
    bool stopped = false;
    std::size_t n = 0;
    std::unordered_set<K> seen;  // after a clear(): the only check left
    const std::size_t clears_before = clears_;
    m_.range([&](const K& k, const V& v) -> bool {
      if (range_survives_clear && clears_ != clears_before) {
        check(seen.insert(k).second, "range: an entry was produced twice");
      } else {
        const std::string e = t.produce(model_, k, v);
        check(e.empty(), "range: " + e);
        seen.insert(k);
      }
      ++n;
      if (!mutate) return true;
      const std::uint8_t ctl = in_.byte();
      for (int i = ctl & 3; i > 0 && !in_.empty(); --i) one_op(depth + 1);
      if (ctl & 0x80) {
        stopped = true;
        return false;
      }
      return true;
    });
    std::erase(watchers_, &t);
    if (!stopped && !(range_survives_clear && clears_ != clears_before)) {
      const std::string e = t.finish_complete();
      check(e.empty(), "range: " + e);
    }
    if (!mutate) check(n == model_.size(), "range without writes missed or added entries");
  }

  void one_op(int depth) {
    const std::uint8_t op = in_.byte();
    switch (op % 12) {
      case 0:
      case 1: {  // Store
        const K k = key();
        V v = value();
        m_.store(k, v);
        model_[k] = std::move(v);
        break;
      }
      case 2: {  // Load
        const K k = key();
        check(m_.load(k) == want(k), "load");
        break;
      }
      case 3: {  // LoadOrStore
        const K k = key();
        V v = value();
        auto [actual, loaded] = m_.load_or_store(k, v);
        const std::optional<V> w = want(k);
        check(loaded == w.has_value() && actual == (w ? *w : v), "load_or_store");
        if (!w) model_[k] = std::move(v);
        break;
      }
      case 4: {  // LoadAndDelete
        const K k = key();
        check(m_.load_and_delete(k) == want(k), "load_and_delete");
        removed(k);
        break;
      }
      case 5: {  // Delete
        const K k = key();
        m_.erase(k);
        removed(k);
        break;
      }
      case 6: {  // Swap
        const K k = key();
        V v = value();
        check(m_.swap(k, v) == want(k), "swap: previous value");
        model_[k] = std::move(v);
        break;
      }
      case 7: {  // CompareAndSwap, with the current value or a wrong one
        const K k = key();
        const std::optional<V> w = want(k);
        const bool right = in_.boolean() && w;
        const V old = right ? *w : value();
        V nv = value();
        const bool expect = w && *w == old;
        check(m_.compare_and_swap(k, old, nv) == expect, "compare_and_swap");
        if (expect) model_[k] = std::move(nv);
        break;
      }
      case 8: {  // CompareAndDelete
        const K k = key();
        const std::optional<V> w = want(k);
        const V old = (in_.boolean() && w) ? *w : value();
        const bool expect = w && *w == old;
        check(m_.compare_and_delete(k, old) == expect, "compare_and_delete");
        if (expect) removed(k);
        break;
      }
      case 9:
        do_range(depth);
        break;
      case 10: {  // load_or_compute: f runs exactly when the key is absent
        const K k = key();
        V v = value();
        int calls = 0;
        auto [actual, loaded] = m_.load_or_compute(k, [&] {
          ++calls;
          return v;
        });
        const std::optional<V> w = want(k);
        check(loaded == w.has_value() && calls == (w ? 0 : 1) && actual == (w ? *w : v),
              "load_or_compute");
        if (!w) model_[k] = std::move(v);
        break;
      }
      default:
        if ((in_.byte() & 3) == 0) {  // Clear
          // Go's Range may still reflect old mappings after Clear; SyncMap
          // expunges what clear() drops, so a loop sees only keys stored again
          // since (with their current values): clear counts as deleting each key.
          // HashTrieMap's loop goes on over the old trie (range_survives_clear).
          m_.clear();
          ++clears_;
          std::vector<K> keys;
          for (const auto& kv : model_) keys.push_back(kv.first);
          for (K k : keys) removed(k);
        } else {  // a burst of missing-key loads: misses promote dirty to read
          for (int i = in_.byte() % 32; i > 0; --i) {
            const K k = 1000 + static_cast<K>(i);
            check(m_.load(k) == want(k), "load (miss burst)");
          }
        }
        break;
    }
  }

  input in_;
  std::size_t step_ = 0;
  std::size_t clears_ = 0;
  Map m_;
  std::unordered_map<K, V> model_;
  std::vector<range_tracker<K>*> watchers_;
};

}  // namespace

int run(const std::uint8_t* data, std::size_t size) {
  harness<gomap::SyncMap<K, V>>(data, size).run();
  harness<gomap::HashTrieMap<K, V>>(data, size).run();
  // Reclaim everything the map retired, so each input ends with no memory
  // pending (libFuzzer's per-input leak check) and a double retire shows up
  // as a double free here rather than in some later input.
  gomap::rcu_default_domain().barrier();
  return 0;
}

}  // namespace gomap_fuzz::sync_map_ops

GOMAP_FUZZ_ENTRY(gomap_fuzz::sync_map_ops::run)
