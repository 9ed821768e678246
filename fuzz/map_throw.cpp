// map_throw: user code that throws, at a moment the input picks.
//
// docs/api.md promises that a throwing Hash, Eq, copy or move leaves the map
// valid and every entry in place, and that the write it interrupted did not
// happen.  Here every piece of user code the engines call (the hash, the
// equality, the key's copy, the value's copy, move and assignment) counts
// down one shared bomb; before each operation the input either disarms it or
// sets the countdown, so a throw lands on any call of any operation: in the
// middle of an evacuation or a rehash (whose rollbacks then run), while an
// iterator pins the old array (keys are then copied, not moved), in clone,
// reserve, shrink_to_fit and compound assignment.
//
// After every operation, with the bomb disarmed: the size, every key of the
// model with its value, a few absent keys, the runtime's invariant checker;
// a loop parked across the throws must keep Go's iteration contract; and the
// next write must not be reported as concurrent (a writing flag left set).
// The key moves without throwing, so there are two value types: one whose
// move may throw (evacuation copies it and rolls back by destroying copies)
// and a plain integer (rollback moves it back).  Every input runs on both
// engines with both value types.
#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <utility>

#include <gomap/map.hpp>
#include <gomap/maps.hpp>
#include <gomap/swiss_map.hpp>

#include "fuzz_common.hpp"

namespace gomap_fuzz::map_throw {
namespace {

struct boom {};

// The shared countdown: -1 is disarmed; otherwise the call that finds it at
// 0 throws.
struct bomb {
  static inline int countdown = -1;
  static void tick() {
    if (countdown < 0) return;
    if (countdown-- == 0) throw boom{};
  }
};

// Copies throw, moves do not (Go keys are values: copied into the map).
struct fkey {
  std::uint64_t v = 0;
  explicit fkey(std::uint64_t x = 0) noexcept : v(x) {}
  fkey(const fkey& o) : v(o.v) { bomb::tick(); }
  fkey(fkey&& o) noexcept = default;
  fkey& operator=(const fkey& o) {
    bomb::tick();
    v = o.v;
    return *this;
  }
  fkey& operator=(fkey&&) noexcept = default;
  ~fkey() = default;
};

struct fhash {
  std::uint64_t operator()(const fkey& k, std::uint64_t seed) const {
    bomb::tick();
    return gomap::hash<std::uint64_t>{}(k.v, seed);
  }
};
struct feq {
  bool operator()(const fkey& a, const fkey& b) const {
    bomb::tick();
    return a.v == b.v;
  }
};

// Copies, moves and assignments all may throw; each throws before it
// changes anything.
struct fval {
  std::uint64_t v = 0;
  explicit fval(std::uint64_t x = 0) noexcept : v(x) {}
  fval(const fval& o) : v(o.v) { bomb::tick(); }
  fval(fval&& o) noexcept(false) : v(o.v) { bomb::tick(); }
  fval& operator=(const fval& o) {
    bomb::tick();
    v = o.v;
    return *this;
  }
  fval& operator=(fval&& o) noexcept(false) {
    bomb::tick();
    v = o.v;
    return *this;
  }
  ~fval() = default;
};

std::uint64_t raw(const fval& x) {
  return x.v;
}
std::uint64_t raw(std::uint64_t x) {
  return x;
}
template <class V>
V make_value(std::uint64_t x) {
  return V(x);
}

// Keys the input can make are below 2^16 + 256.
constexpr std::uint64_t absent_keys = std::uint64_t{1} << 40;

template <template <class...> class Map, class V>
class harness {
  using map_t = Map<fkey, V, fhash, feq>;
  using model_t = std::unordered_map<std::uint64_t, std::uint64_t>;
  using tracker_t = range_tracker<std::uint64_t>;

 public:
  harness(const std::uint8_t* d, std::size_t n) : in_(d, n) {}
  ~harness() { bomb::countdown = -1; }
  harness(const harness&) = delete;
  harness& operator=(const harness&) = delete;

  void run() {
    m_ = map_t::make(0);
    while (!in_.empty() && step_ < 1024) {
      arm();
      one_op();
      bomb::countdown = -1;
      check_all();
      ++step_;
    }
    bomb::countdown = -1;
    while (park_live_) step_park();
  }

 private:
  void check(bool ok, const std::string& what) {
    if (!ok) {
      bomb::countdown = -1;
      fail(std::string("map_throw/") + engine_name<map_t> + "/" +
               (std::is_same_v<V, fval> ? "fval" : "uint64"),
           what, step_);
    }
  }

  // One byte: below 0x80 the operation runs disarmed, otherwise the call
  // number (0..63) that throws.
  void arm() {
    const std::uint8_t b = in_.byte();
    bomb::countdown = b < 0x80 ? -1 : (b & 0x3F);
  }
  std::uint64_t key() {
    const std::uint8_t b = in_.byte();
    return b < 0xF0 ? b & 0x7F : in_.u16();
  }

  // Runs f; true if it threw the bomb (anything else escapes: a bug).
  template <class F>
  bool threw(F&& f) {
    try {
      f();
      return false;
    } catch (const boom&) {
      return true;
    }
  }

  void model_set(std::uint64_t k, std::uint64_t v) { model_[k] = v; }
  void model_erase(std::uint64_t k) {
    if (model_.erase(k) != 0 && park_live_) park_.removed(k);
  }
  void model_clear() {
    if (model_.empty()) return;
    model_.clear();
    if (park_live_) park_.cleared();
  }

  void check_map(const map_t& m, const model_t& model, const char* which) {
    const std::string w(which);
    check(m.size() == model.size(),
          w + ": size " + std::to_string(m.size()) + " != model " + std::to_string(model.size()));
    for (const auto& [k, v] : model) {
      const V* p = m.find(fkey(k));
      check(p != nullptr, w + ": key " + std::to_string(k) + " lost");
      check(raw(*p) == v, w + ": key " + std::to_string(k) + " has a wrong value");
    }
    for (std::uint64_t k = absent_keys; k < absent_keys + 4; ++k)  // no operation makes these
      check(!m.contains(fkey(k)), w + ": an absent key was found");
    const std::string inv = gomap::runtime::map_access::check_invariants(m);
    check(inv.empty(), w + ": check_invariants: " + inv);
  }
  void check_all() {
    check_map(m_, model_, "map");
    if (clone_live_) check_map(clone_, clone_model_, "clone");
  }

  void start_park() {
    park_ = tracker_t();
    park_.start(model_);
    park_live_ = true;
    if (threw([&] { it_ = m_.begin(); })) return drop_park();
    see_park();
  }
  void see_park() {
    if (it_ == std::default_sentinel) {
      const std::string e = park_.finish_complete();
      check(e.empty(), "parked iterator: " + e);
      return drop_park();
    }
    auto&& [k, v] = *it_;
    const std::string e = park_.produce(model_, k.v, raw(v));
    check(e.empty(), "parked iterator: " + e);
  }
  // A throw out of ++ ends the loop for the harness: the iterator must still
  // be safe to destroy (what it would produce next is not specified).
  void step_park() {
    if (!park_live_) return;
    if (threw([&] { ++it_; })) return drop_park();
    see_park();
  }
  void drop_park() {
    it_ = typename map_t::iterator();
    park_live_ = false;
  }

  void one_op() {
    switch (in_.byte() % 12) {
      case 0: {  // m[k] = v, with the key and value passed as lvalues (copied in)
        const fkey k(key());
        const V v = make_value<V>(in_.u16() | std::uint64_t{step_} << 16);
        if (!threw([&] { m_.set(k, v); })) model_set(k.v, raw(v));
        break;
      }
      case 1: {  // a run of inserts: drives growth and evacuation
        const std::uint64_t base = in_.u16();
        const int n = in_.byte();
        for (int i = 0; i < n; ++i) {
          const fkey k(base + static_cast<std::uint64_t>(i));
          const V v = make_value<V>(k.v * 7 + step_);
          if (threw([&] { m_.set(k, v); })) break;
          model_set(k.v, raw(v));
        }
        break;
      }
      case 2: {  // v, ok := m[k]
        const std::uint64_t k = key();
        const V* p = nullptr;
        if (threw([&] { p = m_.find(fkey(k)); })) break;
        auto it = model_.find(k);
        check((p != nullptr) == (it != model_.end()), "find: presence");
        if (p) check(raw(*p) == it->second, "find: value");
        break;
      }
      case 3: {  // delete(m, k)
        const std::uint64_t k = key();
        if (!threw([&] { m_.erase(fkey(k)); })) model_erase(k);
        break;
      }
      case 4: {  // a run of deletes
        const std::uint64_t base = in_.u16() & 0x1FF;
        const int n = in_.byte();
        for (int i = 0; i < n; ++i) {
          const std::uint64_t k = base + static_cast<std::uint64_t>(i);
          if (threw([&] { m_.erase(fkey(k)); })) break;
          model_erase(k);
        }
        break;
      }
      case 5:  // clear(m): no user code runs, so nothing may throw
        m_.clear();
        model_clear();
        break;
      case 6: {  // reserve: finishes growth, then doubles (evacuations)
        const std::int64_t n = in_.u16() % 4096;
        (void)threw([&] { m_.reserve(n); });
        break;
      }
      case 7: {  // m[k] op= d: a new key is inserted only if op does not throw
        const std::uint64_t k = key();
        const std::uint64_t d = in_.byte();
        if (!threw([&] { m_.update(fkey(k), [d](V& x) { x = make_value<V>(raw(x) + d); }); }))
          model_[k] += d;
        break;
      }
      case 8: {  // maps.Clone: on a throw the copy is gone, the source untouched
        map_t c;
        if (threw([&] { c = gomap::maps::clone(m_); })) break;
        clone_ = std::move(c);
        clone_model_ = model_;
        clone_live_ = true;
        break;
      }
      case 9:  // park an iterator (pins the array: evacuation then copies keys)
        start_park();
        break;
      case 10:
        step_park();
        break;
      default: {  // shrink_to_fit where the engine has it, else drop the loop
        if constexpr (requires { m_.shrink_to_fit(); }) {
          if (in_.boolean()) {
            (void)threw([&] { m_.shrink_to_fit(); });
            break;
          }
        }
        drop_park();
        break;
      }
    }
  }

  input in_;
  std::size_t step_ = 0;
  map_t m_;
  model_t model_;
  map_t clone_;
  model_t clone_model_;
  bool clone_live_ = false;
  typename map_t::iterator it_;
  tracker_t park_;
  bool park_live_ = false;
};

}  // namespace

int run(const std::uint8_t* data, std::size_t size) {
  harness<gomap::Map, fval>(data, size).run();
  harness<gomap::Map, std::uint64_t>(data, size).run();
  harness<gomap::SwissMap, fval>(data, size).run();
  harness<gomap::SwissMap, std::uint64_t>(data, size).run();
  return 0;
}

}  // namespace gomap_fuzz::map_throw

GOMAP_FUZZ_ENTRY(gomap_fuzz::map_throw::run)
