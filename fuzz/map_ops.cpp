// map_ops: gomap::Map<uint64_t, uint64_t> and gomap::SwissMap<uint64_t,
// uint64_t> against std::unordered_map (every input runs on both engines).
//
// The input is a sequence of operations on four handle slots (nil maps,
// shared handles, clones) and two parked iterators.  Every result is checked
// against a model after every step, plus the runtime's invariant checker,
// plus Go's iteration invariants for every loop — including loops whose
// bodies run further operations (erase, insert, growth, clear, nested loops)
// on the map being walked.
#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include <gomap/map.hpp>
#include <gomap/maps.hpp>
#include <gomap/swiss_map.hpp>

#include "fuzz_common.hpp"

namespace gomap_fuzz::map_ops {
namespace {

using K = std::uint64_t;
using V = std::uint64_t;
using tracker_t = range_tracker<K>;

// One Go map's expected contents, shared by every handle to that map, and
// the loops currently walking it (told about removals and clear).
struct model_t {
  std::unordered_map<K, V> m;
  std::vector<tracker_t*> watchers;

  void set(K k, V v) { m[k] = v; }
  void erase(K k) {
    if (m.erase(k) != 0)
      for (tracker_t* w : watchers) w->removed(k);
  }
  void clear() {
    if (m.empty()) return;
    m.clear();
    for (tracker_t* w : watchers) w->cleared();
  }
};

// A loop's registration with the model of the map it walks.
struct watch {
  std::shared_ptr<model_t> model;
  tracker_t t;
  explicit watch(std::shared_ptr<model_t> md) : model(std::move(md)) {
    t.start(model->m);
    model->watchers.push_back(&t);
  }
  watch(const watch&) = delete;
  watch& operator=(const watch&) = delete;
  ~watch() { std::erase(model->watchers, &t); }
};

template <class map_t>
struct handle {
  map_t map;  // nil when model is null
  std::shared_ptr<model_t> model;
};

// An iterator left mid-walk while other operations run.
template <class map_t>
struct parked {
  typename map_t::iterator it;
  std::unique_ptr<watch> w;
  bool live = false;
};

constexpr int slot_count = 4;
constexpr int max_depth = 3;

template <class map_t>
class harness {
  using handle = map_ops::handle<map_t>;
  using parked = map_ops::parked<map_t>;

 public:
  harness(const std::uint8_t* d, std::size_t n) : in_(d, n) {}

  void run() {
    while (!in_.empty() && step_ < 4096) {
      one_op(0);
      check_all();
      ++step_;
    }
    // Finish parked iterators: their loops must complete correctly too.
    for (parked& p : parks_)
      while (p.live) step_park(p);
  }

 private:
  void check(bool ok, const std::string& what) {
    if (!ok) fail(std::string("map_ops/") + engine_name<map_t>, what, step_);
  }

  // Mostly a small key space (collisions, re-insertion), sometimes any key.
  K key() {
    const std::uint8_t b = in_.byte();
    if (b < 0xF0) return b & 0x7F;
    return in_.u64();
  }
  V value() { return in_.u16() | (std::uint64_t{step_} << 16); }
  handle& slot() { return slots_[in_.byte() % slot_count]; }

  void check_map(const handle& h) {
    if (!h.model) {
      check(h.map.is_nil() && h.map.size() == 0, "nil slot is not a nil map");
      return;
    }
    check(!h.map.is_nil(), "non-nil slot holds a nil map");
    check(h.map.size() == h.model->m.size(), "size " + std::to_string(h.map.size()) + " != model " +
                                                 std::to_string(h.model->m.size()));
    check(h.map.stats().count == h.model->m.size(), "stats().count != size");
    const std::string inv = gomap::runtime::map_access::check_invariants(h.map);
    check(inv.empty(), "check_invariants: " + inv);
  }
  void check_all() {
    for (const handle& h : slots_) check_map(h);
  }

  // A loop that mutates nothing: exactly the model's entries, each once.
  void full_range(const handle& h, bool use_for) {
    tracker_t t;
    std::unordered_map<K, V> empty;
    const auto& m = h.model ? h.model->m : empty;
    t.start(m);
    std::size_t n = 0;
    auto see = [&](const K& k, const V& v) {
      const std::string e = t.produce(m, k, v);
      check(e.empty(), "full range: " + e);
      ++n;
    };
    if (use_for) {
      for (auto&& [k, v] : h.map) see(k, v);
    } else {
      h.map.range([&](const K& k, V& v) { see(k, v); });
    }
    check(n == m.size(), "full range produced " + std::to_string(n) + " of " +
                             std::to_string(m.size()) + " entries");
    const std::string e = t.finish_complete();
    check(e.empty(), "full range: " + e);
  }

  // A loop whose body runs operations of its own.
  void mutating_range(const handle& h, bool use_for, int depth) {
    if (!h.model) {
      for (auto&& kv : h.map) {
        (void)kv;
        check(false, "loop over a nil map produced an entry");
      }
      return;
    }
    map_t map = h.map;  // keeps the map alive whatever the body does to the slot
    watch w(h.model);
    const std::shared_ptr<model_t> model = h.model;
    bool stopped = false;
    auto body = [&](const K& k, V& v) -> bool {
      const std::string e = w.t.produce(model->m, k, v);
      check(e.empty(), "mutating range: " + e);
      const K kc = k;
      const std::uint8_t ctl = in_.byte();
      // Before anything else mutates the map, k and v are valid references.
      if (ctl & 0x10) {
        const V x = value();
        v = x;
        model->set(kc, x);
      } else if (ctl & 0x20) {
        map.erase(k);  // erase the current key through the map's own reference
        model->erase(kc);
      } else if (ctl & 0x40) {
        const V x = value();
        map.set(k, x);  // a key that lives in the map: aliasing must be handled
        model->set(kc, x);
      }
      for (int i = ctl & 3; i > 0 && !in_.empty(); --i) one_op(depth + 1);
      if (ctl & 0x80) {
        stopped = true;
        return false;
      }
      return true;
    };
    if (use_for) {
      for (auto&& [k, v] : map)
        if (!body(k, v)) break;
    } else {
      map.range(body);
    }
    if (!stopped) {
      const std::string e = w.t.finish_complete();
      check(e.empty(), "mutating range: " + e);
    }
  }

  void start_park(parked& p, const handle& h) {
    p = parked{};
    if (h.model) p.w = std::make_unique<watch>(h.model);
    p.it = h.map.begin();
    p.live = true;
    see_park(p);
  }
  void see_park(parked& p) {
    if (p.it == std::default_sentinel) {
      if (p.w) {
        const std::string e = p.w->t.finish_complete();
        check(e.empty(), "parked iterator: " + e);
      }
      p = parked{};
      return;
    }
    check(p.w != nullptr, "iterator over a nil map produced an entry");
    auto&& [k, v] = *p.it;
    const std::string e = p.w->t.produce(p.w->model->m, k, v);
    check(e.empty(), "parked iterator: " + e);
  }
  void step_park(parked& p) {
    if (!p.live) return;
    ++p.it;
    see_park(p);
  }

  template <class F>
  void expect_nil_panic(F&& f, const char* what) {
    try {
      f();
    } catch (const gomap::panic& e) {
      check(std::string(e.what()) == "assignment to entry in nil map",
            std::string(what) + ": wrong panic message: " + e.what());
      return;
    }
    check(false, std::string(what) + " on a nil map did not panic");
  }

  void do_set(handle& h, K k, V v) {
    if (!h.model) return expect_nil_panic([&] { h.map.set(k, v); }, "set");
    h.map.set(k, v);
    h.model->set(k, v);
  }
  void do_erase(handle& h, K k) {
    h.map.erase(k);
    if (h.model) h.model->erase(k);
  }
  V expect_get(const handle& h, K k, bool* ok) {
    if (!h.model) {
      *ok = false;
      return 0;
    }
    auto it = h.model->m.find(k);
    *ok = it != h.model->m.end();
    return *ok ? it->second : 0;
  }

  std::int64_t hint() {
    switch (in_.byte() % 6) {
      case 0:
        return -1;
      case 1:
        return std::int64_t{1} << 62;
      case 2:
        return 0;
      case 3:
        return in_.byte();
      case 4:
        return in_.u16() % 2048;
      default:
        return -static_cast<std::int64_t>(in_.u64() >> 1);
    }
  }

  void one_op(int depth) {
    const std::uint8_t op = in_.byte();
    switch (op % 24) {
      case 0: {  // m[k] = v
        handle& h = slot();
        const K k = key();
        do_set(h, k, value());
        break;
      }
      case 1: {  // v := m[k]
        const handle& h = slot();
        const K k = key();
        bool ok;
        const V want = expect_get(h, k, &ok);
        check(h.map.get(k) == want, "get");
        check(h.map[k] == want, "operator[] read");
        check(h.map.size() == (h.model ? h.model->m.size() : 0), "a read inserted");
        break;
      }
      case 2: {  // v, ok := m[k]
        const handle& h = slot();
        const K k = key();
        bool ok;
        const V want = expect_get(h, k, &ok);
        auto [v, found] = h.map.lookup(k);
        check(found == ok && v == want, "lookup");
        check(h.map.contains(k) == ok, "contains");
        const V* p = h.map.find(k);
        check((p != nullptr) == ok && (!p || *p == want), "find");
        break;
      }
      case 3: {  // delete(m, k)
        handle& h = slot();
        do_erase(h, key());
        break;
      }
      case 4: {  // clear(m)
        handle& h = slot();
        if (in_.boolean())
          h.map.clear();
        else
          gomap::clear(h.map);
        if (h.model) h.model->clear();
        break;
      }
      case 5: {  // reserve(n)
        handle& h = slot();
        const std::int64_t n = hint();
        if (!h.model) {
          try {
            h.map.reserve(n);
            check(false, "reserve on a nil map did not panic");
          } catch (const gomap::panic&) {
          }
        } else {
          h.map.reserve(n);
        }
        break;
      }
      case 6: {  // len(m)
        const handle& h = slot();
        const std::size_t want = h.model ? h.model->m.size() : 0;
        check(gomap::len(h.map) == want && h.map.empty() == (want == 0), "len/empty");
        break;
      }
      case 7: {  // for k, v := range m (no mutation)
        const bool use_for = in_.boolean();
        full_range(slot(), use_for);
        break;
      }
      case 8: {  // range with a body that runs operations
        const bool use_for = in_.boolean();
        const handle& h = slot();
        if (depth < max_depth) mutating_range(h, use_for, depth);
        break;
      }
      case 9: {  // compound assignment
        handle& h = slot();
        const K k = key();
        const std::uint8_t which = in_.byte();
        const V d = in_.byte();
        if (!h.model) {
          expect_nil_panic([&] { h.map[k] += d; }, "m[k] += d");
          break;
        }
        V& mv = h.model->m[k];  // missing reads as zero, then assigns
        switch (which % 5) {
          case 0:
            h.map[k] += d;
            mv += d;
            break;
          case 1:
            ++h.map[k];
            ++mv;
            break;
          case 2:
            h.map[k]--;
            mv--;
            break;
          case 3:
            h.map[k] ^= d;
            mv ^= d;
            break;
          default:
            h.map[k] = d;
            mv = d;
            break;
        }
        break;
      }
      case 10: {  // b := a (handle copy)
        const handle& a = slot();
        handle& b = slot();
        b = a;
        break;
      }
      case 11: {  // b := maps.Clone(a)
        const handle& a = slot();
        handle& b = slot();
        handle c;
        c.map = gomap::maps::clone(a.map);
        if (a.model) {
          c.model = std::make_shared<model_t>();
          c.model->m = a.model->m;
        }
        check(c.map.is_nil() == a.map.is_nil(), "clone: nil-ness");
        check(c.map != a.map || a.map.is_nil(), "clone shares the map");
        b = std::move(c);
        break;
      }
      case 12: {  // make(map[K]V, hint)
        handle& b = slot();
        b.map = map_t::make(hint());
        b.model = std::make_shared<model_t>();
        break;
      }
      case 13: {  // var m map[K]V
        handle& b = slot();
        if (in_.boolean())
          b.map = nullptr;
        else
          b.map = map_t();
        b.model.reset();
        check(b.map == nullptr, "nil handle");
        break;
      }
      case 14: {  // swap handles
        handle& a = slot();
        handle& b = slot();
        a.map.swap(b.map);
        std::swap(a.model, b.model);
        break;
      }
      case 15: {
        parked& p = parks_[in_.byte() & 1];
        const handle& h = slot();
        start_park(p, h);
        break;
      }
      case 16:
        step_park(parks_[in_.byte() & 1]);
        break;
      case 17:
        parks_[in_.byte() & 1] = parked{};
        break;
      case 18: {  // a run of inserts: drives growth
        handle& h = slot();
        const K base = in_.u16();
        const int n = in_.byte();
        for (int i = 0; i < n; ++i) do_set(h, base + static_cast<K>(i), value());
        break;
      }
      case 19: {  // a run of deletes
        handle& h = slot();
        const K base = in_.u16();
        const int n = in_.byte();
        for (int i = 0; i < n; ++i) do_erase(h, base + static_cast<K>(i));
        break;
      }
      case 20: {  // maps.Equal, maps.Keys, maps.Values
        const handle& a = slot();
        const handle& b = slot();
        static const std::unordered_map<K, V> none;
        const auto& ma = a.model ? a.model->m : none;
        const auto& mb = b.model ? b.model->m : none;
        check(gomap::maps::equal(a.map, b.map) == (ma == mb), "maps::equal");
        std::vector<K> ks = gomap::maps::keys(a.map);
        std::vector<V> vs = gomap::maps::values(a.map);
        std::vector<K> sk = gomap::maps::sorted_keys(a.map);
        check(ks.size() == ma.size() && vs.size() == ma.size(), "maps::keys/values size");
        std::vector<K> want_k;
        std::vector<V> want_v;
        for (const auto& [k, v] : ma) {
          want_k.push_back(k);
          want_v.push_back(v);
        }
        std::sort(want_k.begin(), want_k.end());
        std::sort(want_v.begin(), want_v.end());
        std::sort(ks.begin(), ks.end());
        std::sort(vs.begin(), vs.end());
        check(ks == want_k && vs == want_v && sk == want_k, "maps::keys/values/sorted_keys");
        break;
      }
      case 21: {  // maps.Copy(dst, src)
        handle& dst = slot();
        const handle& src = slot();
        const bool src_empty = !src.model || src.model->m.empty();
        if (!dst.model && !src_empty) {
          expect_nil_panic([&] { gomap::maps::copy(dst.map, src.map); }, "maps::copy");
          break;
        }
        gomap::maps::copy(dst.map, src.map);
        if (dst.model && src.model && dst.model != src.model)
          for (const auto& [k, v] : std::unordered_map<K, V>(src.model->m)) dst.model->set(k, v);
        break;
      }
      case 22: {  // maps.DeleteFunc
        handle& h = slot();
        const std::uint8_t salt = in_.byte();
        auto pred = [salt](K k, V v) { return ((k * 0x9E3779B97F4A7C15ull + v + salt) >> 61) & 1; };
        gomap::maps::delete_func(h.map, [&](const K& k, V& v) { return pred(k, v) != 0; });
        if (h.model) {
          std::vector<K> gone;
          for (const auto& [k, v] : h.model->m)
            if (pred(k, v)) gone.push_back(k);
          for (K k : gone) h.model->erase(k);
        }
        break;
      }
      default: {  // map[K]V{k1: v1, k2: v2, k1: v3}: the last one wins
        handle& b = slot();
        const K k1 = key(), k2 = key();
        const V v1 = value(), v2 = value(), v3 = value();
        b.map = map_t{{k1, v1}, {k2, v2}, {k1, v3}};
        b.model = std::make_shared<model_t>();
        b.model->set(k1, v1);
        b.model->set(k2, v2);
        b.model->set(k1, v3);
        break;
      }
    }
  }

  input in_;
  std::size_t step_ = 0;
  handle slots_[slot_count];
  parked parks_[2];
};

}  // namespace

int run(const std::uint8_t* data, std::size_t size) {
  harness<gomap::Map<K, V>>(data, size).run();
  harness<gomap::SwissMap<K, V>>(data, size).run();
  return 0;
}

}  // namespace gomap_fuzz::map_ops

GOMAP_FUZZ_ENTRY(gomap_fuzz::map_ops::run)
