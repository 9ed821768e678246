// sharded_ops: gomap::ShardedMap<uint64_t, uint64_t> against
// std::unordered_map, single-threaded (logic bugs; races are the TSan
// stress tests' job).
//
// Besides the plain operations: compute callbacks that insert, update,
// delete, leave absent, throw (the shard lock must be released and the key
// unchanged), or call back into the same map (ShardedMap throws
// gomap::panic instead of deadlocking, and must stay usable); range callbacks
// that stop early or re-enter; shard statistics that must add up to size().
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <utility>

#include <gomap/sharded_map.hpp>

#include "fuzz_common.hpp"

namespace gomap_fuzz::sharded_ops {
namespace {

using K = std::uint64_t;
using V = std::uint64_t;
using map_t = gomap::ShardedMap<K, V>;

struct user_error : std::runtime_error {
  user_error() : std::runtime_error("user error") {}
};

class harness {
 public:
  harness(const std::uint8_t* d, std::size_t n) : in_(d, n), m_(in_.byte() % 9) {}

  void run() {
    check(m_.shard_count() >= 1 && (m_.shard_count() & (m_.shard_count() - 1)) == 0,
          "shard_count is not a power of two");
    while (!in_.empty() && step_ < 4096) {
      one_op();
      check(m_.size() == model_.size(),
            "size " + std::to_string(m_.size()) + " != model " + std::to_string(model_.size()));
      ++step_;
    }
    std::uint64_t total = 0;
    for (std::size_t i = 0; i < m_.shard_count(); ++i)
      total += gomap::runtime::sharded_map_access::shard_stats(m_, i).count;
    check(total == model_.size(), "shard stats do not add up to size()");
  }

 private:
  void check(bool ok, const std::string& what) {
    if (!ok) fail("sharded_ops", what, step_);
  }
  K key() {
    const std::uint8_t b = in_.byte();
    return b < 0xF0 ? b & 0x7F : in_.u64();
  }
  std::optional<V> want(K k) const {
    auto it = model_.find(k);
    if (it == model_.end()) return std::nullopt;
    return it->second;
  }

  template <class F>
  void expect_reentry_panic(F&& f, const char* what) {
    try {
      f();
    } catch (const gomap::panic&) {
      return;
    }
    check(false, std::string(what) + " from inside a callback did not panic");
  }

  void one_op() {
    const std::uint8_t op = in_.byte();
    switch (op % 11) {
      case 0:
      case 1: {
        const K k = key();
        const V v = in_.u16();
        m_.set(k, v);
        model_[k] = v;
        break;
      }
      case 2: {
        const K k = key();
        const std::optional<V> w = want(k);
        auto [v, ok] = m_.lookup(k);
        check(ok == w.has_value() && v == w.value_or(0), "lookup");
        check(m_.get(k) == w.value_or(0) && m_.contains(k) == w.has_value(), "get/contains");
        break;
      }
      case 3: {
        const K k = key();
        m_.erase(k);
        model_.erase(k);
        break;
      }
      case 4: {
        const K k = key();
        const V v = in_.u16();
        const std::optional<V> w = want(k);
        auto [actual, loaded] = m_.load_or_store(k, v);
        check(loaded == w.has_value() && actual == w.value_or(v), "load_or_store");
        if (!w) model_[k] = v;
        break;
      }
      case 5: {  // compute: insert / update / delete / keep absent / throw / re-enter
        const K k = key();
        const std::uint8_t how = in_.byte();
        const V nv = in_.u16();
        const std::optional<V> w = want(k);
        int calls = 0;
        auto f = [&](const V* cur) -> std::optional<V> {
          ++calls;
          check((cur != nullptr) == w.has_value() && (!cur || *cur == *w),
                "compute: f saw the wrong current value");
          switch (how % 6) {
            case 0:
              return std::nullopt;
            case 1:
              return nv;
            case 2:
              return cur ? std::optional<V>(*cur + nv) : std::nullopt;
            case 3:
              throw user_error();
            case 4:
              m_.get(k);
              return nv;  // re-entry: must throw gomap::panic
            default:
              return cur ? std::nullopt : std::optional<V>(nv);
          }
        };
        std::optional<V> expect;
        switch (how % 6) {
          case 0:
            expect = std::nullopt;
            break;
          case 1:
            expect = nv;
            break;
          case 2:
            expect = w ? std::optional<V>(*w + nv) : std::nullopt;
            break;
          case 5:
            expect = w ? std::nullopt : std::optional<V>(nv);
            break;
          default:
            break;
        }
        if (how % 6 == 3) {
          try {
            m_.compute(k, f);
            check(false, "compute: f's exception did not propagate");
          } catch (const user_error&) {
          }
        } else if (how % 6 == 4) {
          expect_reentry_panic([&] { m_.compute(k, f); }, "get");
        } else {
          const std::optional<V> got = m_.compute(k, f);
          check(got == expect, "compute: result");
          if (expect)
            model_[k] = *expect;
          else
            model_.erase(k);
        }
        check(calls == 1, "compute: f was not called exactly once");
        // A throwing f leaves the key as it was, and the shard unlocked.
        check(m_.lookup(k) == std::pair<V, bool>(want(k).value_or(0), want(k).has_value()),
              "compute: key differs from the model afterwards");
        break;
      }
      case 6: {  // range: every entry once, or stop early
        range_tracker<K> t;
        t.start(model_);
        const std::uint8_t stop_after = in_.byte();
        std::size_t n = 0;
        m_.range([&](const K& k, const V& v) -> bool {
          const std::string e = t.produce(model_, k, v);
          check(e.empty(), "range: " + e);
          return ++n != stop_after;
        });
        if (n != stop_after) {
          check(n == model_.size(), "range: produced a different number of entries");
          const std::string e = t.finish_complete();
          check(e.empty(), "range: " + e);
        }
        break;
      }
      case 7: {  // range whose callback re-enters the map
        if (model_.empty()) break;
        const std::uint8_t which = in_.byte();
        const K k = key();
        bool called = false;
        m_.range([&](const K&, const V&) {
          called = true;
          switch (which % 4) {
            case 0:
              expect_reentry_panic([&] { m_.set(k, 1); }, "set");
              break;
            case 1:
              expect_reentry_panic([&] { m_.size(); }, "size");
              break;
            case 2:
              expect_reentry_panic([&] { m_.range([](const K&, const V&) { return true; }); },
                                   "range");
              break;
            default:
              expect_reentry_panic([&] { m_.erase(k); }, "erase");
              break;
          }
          return false;
        });
        check(called, "range over a non-empty map called nothing");
        break;
      }
      case 8: {
        const K k = key();
        check(gomap::runtime::sharded_map_access::shard_of(m_, k) ==
                      gomap::runtime::sharded_map_access::shard_of(m_, k) &&
                  gomap::runtime::sharded_map_access::shard_of(m_, k) < m_.shard_count(),
              "shard_of is not stable or out of range");
        break;
      }
      case 9: {  // a run of inserts: grows the shards' maps
        const K base = in_.u16();
        for (int i = in_.byte(); i > 0; --i) {
          m_.set(base + static_cast<K>(i), static_cast<V>(i));
          model_[base + static_cast<K>(i)] = static_cast<V>(i);
        }
        break;
      }
      default:
        if ((in_.byte() & 3) == 0) {
          m_.clear();
          model_.clear();
        } else {
          check(m_.empty() == model_.empty(), "empty()");
        }
        break;
    }
  }

  input in_;
  std::size_t step_ = 0;
  map_t m_;
  std::unordered_map<K, V> model_;
};

}  // namespace

int run(const std::uint8_t* data, std::size_t size) {
  harness(data, size).run();
  return 0;
}

}  // namespace gomap_fuzz::sharded_ops

GOMAP_FUZZ_ENTRY(gomap_fuzz::sharded_ops::run)
