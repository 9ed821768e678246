// map_keys: key and value types where Go's semantics bite.
//
//  * double keys: NaN is never found, each set(NaN) adds an entry that only
//    clear() removes; +0.0 and -0.0 are one key and set(-0.0) over +0.0
//    stores the key -0.0 (Go's needkeyupdate); ±inf are ordinary keys.
//  * std::string keys of length 0..300, looked up as std::string,
//    std::string_view and const char* (transparent), and passed back into
//    the map from references into it (aliasing during growth).
//  * a 136-byte key with a 160-byte value: both stored indirectly (> 128
//    bytes), each value self-checking so corruption shows on every read.
// Every step is checked against a model, then by the runtime's invariant
// checker.  Every input runs on both engines (Map, then SwissMap).
#include <array>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include <gomap/map.hpp>
#include <gomap/maps.hpp>
#include <gomap/swiss_map.hpp>

#include "fuzz_common.hpp"

namespace gomap_fuzz::map_keys {
namespace {

// ------------------------------------------------------------ big types
struct big_key {
  std::array<std::uint64_t, 17> w;
  bool operator==(const big_key&) const = default;
};
std::uint64_t gomap_hash(const big_key& k, std::uint64_t seed) {
  return gomap::runtime::hash_value(k.w, seed);
}
struct big_value {
  std::uint64_t w[20];
  bool operator==(const big_value&) const = default;
};
static_assert(sizeof(big_key) > 128 && sizeof(big_value) > 128);

std::uint64_t mix(std::uint64_t x) {
  x ^= x >> 31;
  x *= 0x9E3779B97F4A7C15ull;
  return x ^ (x >> 29);
}
big_key make_big_key(std::uint16_t id) {
  big_key k;
  for (std::size_t i = 0; i < k.w.size(); ++i)
    k.w[i] = i == 0 ? id : mix(std::uint64_t{id} * 31 + i);
  return k;
}
big_value make_big_value(std::uint32_t seed) {
  big_value v;
  v.w[0] = seed;
  for (std::size_t i = 1; i < 20; ++i) v.w[i] = mix(seed + i);
  return v;
}
bool big_value_sound(const big_value& v) {
  return v == make_big_value(static_cast<std::uint32_t>(v.w[0])) && (v.w[0] >> 32) == 0;
}
struct big_key_hasher {
  std::size_t operator()(const big_key& k) const noexcept { return k.w[0]; }
};

// ------------------------------------------------------------ doubles
std::uint64_t bits_of(double d) {
  return std::bit_cast<std::uint64_t>(d);
}
// +0.0 and -0.0 are one key: the model indexes by +0.0's bits.
std::uint64_t canon(double d) {
  return d == 0 ? 0 : bits_of(d);
}

// The model of a Map<double, uint32_t>: non-NaN keys by canonical bits,
// holding the stored key's exact bits and the value; NaN entries as a
// multiset of (bits, value).
struct double_model {
  std::unordered_map<std::uint64_t, std::pair<std::uint64_t, std::uint32_t>> m;
  std::multimap<std::uint64_t, std::uint32_t> nans;
  std::size_t size() const { return m.size() + nans.size(); }
};

template <template <class...> class M>
class harness {
 public:
  harness(const std::uint8_t* d, std::size_t n) : in_(d, n) {}

  void run() {
    while (!in_.empty() && step_ < 4096) {
      const std::uint8_t op = in_.byte();
      switch (op % 3) {
        case 0:
          double_op(op / 3, 0);
          break;
        case 1:
          string_op(op / 3, 0);
          break;
        default:
          big_op(op / 3, 0);
          break;
      }
      check_all();
      ++step_;
    }
  }

 private:
  void check(bool ok, const std::string& what) {
    if (!ok) fail(std::string("map_keys/") + engine_name<M<int, int>>, what, step_);
  }
  void check_all() {
    check(dm_.size() == dmodel_.size(), "double map: size " + std::to_string(dm_.size()) +
                                            " != model " + std::to_string(dmodel_.size()));
    check(sm_.size() == smodel_.size(), "string map: size");
    check(bm_.size() == bmodel_.size(), "big map: size");
    std::string e = gomap::runtime::map_access::check_invariants(dm_);
    check(e.empty(), "double map: check_invariants: " + e);
    e = gomap::runtime::map_access::check_invariants(sm_);
    check(e.empty(), "string map: check_invariants: " + e);
    e = gomap::runtime::map_access::check_invariants(bm_);
    check(e.empty(), "big map: check_invariants: " + e);
  }

  // ---------------------------------------------------------- doubles
  double dkey() {
    const std::uint8_t b = in_.byte();
    switch (b % 16) {
      case 0:
        return 0.0;
      case 1:
        return -0.0;
      case 2:
        return std::numeric_limits<double>::infinity();
      case 3:
        return -std::numeric_limits<double>::infinity();
      case 4: {  // a quiet NaN with a payload and sign from the input
        std::uint64_t bits = 0x7FF8000000000000ull | (in_.u16() & 0xFFFFull);
        if (b & 0x80) bits |= 0x8000000000000000ull;
        return std::bit_cast<double>(bits);
      }
      case 5:
        return std::numeric_limits<double>::denorm_min();
      case 6:
        return -std::numeric_limits<double>::max();
      case 7: {  // any bits; a NaN made quiet (signalling NaNs may be quieted by copies)
        std::uint64_t bits = in_.u64();
        if (std::isnan(std::bit_cast<double>(bits))) bits |= 0x0008000000000000ull;
        return std::bit_cast<double>(bits);
      }
      default:
        return static_cast<double>(b >> 4) - 4.0 + (b & 8 ? 0.5 : 0.0);
    }
  }

  void dset(double k, std::uint32_t v) {
    dm_.set(k, v);
    if (std::isnan(k))
      dmodel_.nans.emplace(bits_of(k), v);
    else
      dmodel_.m[canon(k)] = {bits_of(k), v};
  }
  void derase(double k) {
    dm_.erase(k);
    if (!std::isnan(k)) dmodel_.m.erase(canon(k));  // NaN: delete finds nothing
  }
  void dclear() {
    dm_.clear();
    if (dmodel_.size() != 0) dcleared_ = true;
    dmodel_.m.clear();
    dmodel_.nans.clear();
  }

  // A loop over the double map; with `mutate`, the body runs operations.
  void drange(bool mutate, int depth) {
    auto initial_nans = dmodel_.nans;
    std::multimap<std::uint64_t, std::uint32_t> seen_nans;
    range_tracker<std::uint64_t> t;
    t.start(dmodel_.m);
    const bool was_cleared = std::exchange(dcleared_, false);
    bool stopped = false;
    // Removals are not tracked per key for doubles: the body reports them.
    auto count_pair = [](const auto& mm, std::uint64_t bits, std::uint32_t v) {
      std::size_t n = 0;
      for (auto [it, end] = mm.equal_range(bits); it != end; ++it) n += it->second == v;
      return n;
    };
    dm_.range([&](const double& k, std::uint32_t& v) -> bool {
      check(!dcleared_, "double range: an entry was produced after clear()");
      if (std::isnan(k)) {
        const std::uint64_t b = bits_of(k);
        check(count_pair(seen_nans, b, v) < count_pair(dmodel_.nans, b, v),
              "double range: a NaN entry was produced that is not in the map (or twice)");
        seen_nans.emplace(b, v);
      } else {
        const std::string e =
            t.produce(dmodel_.m, canon(k), std::pair<std::uint64_t, std::uint32_t>(bits_of(k), v));
        check(e.empty(), "double range: " + e + " (key bits must match too: -0.0 vs +0.0)");
      }
      if (!mutate) return true;
      const double kc = k;
      const std::uint8_t ctl = in_.byte();
      if (ctl & 0x10) {
        if (!std::isnan(kc)) t.removed(canon(kc));
        derase(kc);
      }
      for (int i = ctl & 3; i > 0 && !in_.empty(); --i) {
        const std::uint8_t op = in_.byte();
        // Erases inside the body are tracked: do them here.
        if ((op & 7) == 0) {
          const double x = dkey();
          if (!std::isnan(x)) t.removed(canon(x));
          derase(x);
        } else if ((op & 7) == 1) {
          dclear();
        } else if ((op & 7) < 5) {
          dset(dkey(), in_.u16());
        } else if (depth < 2) {
          drange(false, depth + 1);
        }
      }
      if (ctl & 0x80) {
        stopped = true;
        return false;
      }
      return true;
    });
    if (!stopped && !dcleared_) {
      const std::string e = t.finish_complete();
      check(e.empty(), "double range: " + e);
      // NaN entries are removed only by clear: all of them must show up.
      for (const auto& [b, v] : initial_nans)
        check(count_pair(seen_nans, b, v) >= count_pair(initial_nans, b, v),
              "double range: a NaN entry present throughout was not produced");
    }
    if (!mutate) {
      check(!stopped && t.produced() == dmodel_.m.size() && seen_nans.size() == dmodel_.nans.size(),
            "double range: produced a different number of entries than the map holds");
    }
    dcleared_ = dcleared_ || was_cleared;
  }

  void double_op(int sub, int depth) {
    switch (sub % 8) {
      case 0:
      case 1: {
        const double k = dkey();
        dset(k, in_.u16());
        break;
      }
      case 2: {
        const double k = dkey();
        auto [v, ok] = dm_.lookup(k);
        if (std::isnan(k)) {
          check(!ok && v == 0 && !dm_.contains(k), "double: a NaN key was found");
        } else {
          auto it = dmodel_.m.find(canon(k));
          const bool want = it != dmodel_.m.end();
          check(ok == want && v == (want ? it->second.second : 0u), "double: lookup");
          check(dm_.get(k) == v, "double: get");
        }
        break;
      }
      case 3:
        derase(dkey());
        break;
      case 4:
        if ((in_.byte() & 7) == 0) dclear();
        break;
      case 5:
        drange(false, depth);
        break;
      case 6:
        drange(true, depth);
        break;
      default: {  // maps.Equal is false for a map holding NaN; Clone keeps NaN keys
        auto c = gomap::maps::clone(dm_);
        check(c.size() == dm_.size(), "double: clone size");
        check(gomap::maps::equal(c, dm_) == dmodel_.nans.empty(), "double: maps::equal with NaN");
        break;
      }
    }
  }

  // ---------------------------------------------------------- strings
  std::string skey() {
    const std::uint8_t b = in_.byte();
    std::size_t len;
    if (b < 0x80)
      len = b % 8;
    else if (b < 0xC0)
      len = b % 64;
    else
      len = in_.u16() % 301;
    const std::uint8_t fill = in_.byte();
    if (fill & 1) {
      std::string s(in_.bytes(len));
      s.resize(len, 'z');
      return s;
    }
    std::string s(len, static_cast<char>('a' + (fill >> 1) % 4));
    if (len > 0 && (fill & 0x80)) s[len - 1] = 'b';
    return s;
  }

  void sset(const std::string& k, std::uint64_t v) {
    sm_.set(k, v);
    smodel_[k] = v;
  }
  void serase(const std::string& k) {
    sm_.erase(std::string_view(k));
    if (smodel_.erase(k) != 0)
      for (auto* w : swatch_) w->removed(k);
  }
  void sclear() {
    sm_.clear();
    if (!smodel_.empty())
      for (auto* w : swatch_) w->cleared();
    smodel_.clear();
  }

  void srange(bool mutate, int depth) {
    range_tracker<std::string> t;
    t.start(smodel_);
    swatch_.push_back(&t);
    bool stopped = false;
    std::size_t n = 0;
    for (auto&& [k, v] : sm_) {
      const std::string e = t.produce(smodel_, k, v);
      check(e.empty(), "string range: " + e);
      ++n;
      if (!mutate) continue;
      const std::string kc = k;
      const std::uint8_t ctl = in_.byte();
      if (ctl & 0x10) {  // set through the map's own key: aliasing across growth
        const std::uint64_t x = in_.u16();
        sm_.set(k, x);
        smodel_[kc] = x;
      } else if (ctl & 0x20) {
        sm_.erase(k);
        if (smodel_.erase(kc) != 0)
          for (auto* w : swatch_) w->removed(kc);
      }
      for (int i = ctl & 3; i > 0 && !in_.empty(); --i) string_op(in_.byte(), depth + 1);
      if (ctl & 0x80) {
        stopped = true;
        break;
      }
    }
    std::erase(swatch_, &t);
    if (!stopped) {
      const std::string e = t.finish_complete();
      check(e.empty(), "string range: " + e);
    }
    if (!mutate) check(n == smodel_.size(), "string range: count");
  }

  void string_op(int sub, int depth) {
    switch (sub % 8) {
      case 0:
      case 1: {
        const std::string k = skey();
        sset(k, in_.u64());
        break;
      }
      case 2: {
        const std::string k = skey();
        auto it = smodel_.find(k);
        const bool want = it != smodel_.end();
        const std::uint64_t wv = want ? it->second : 0;
        auto [v, ok] = sm_.lookup(k);
        check(ok == want && v == wv, "string: lookup(std::string)");
        check(sm_.get(std::string_view(k)) == wv, "string: get(string_view)");
        check(sm_.contains(std::string_view(k)) == want, "string: contains(string_view)");
        if (k.find('\0') == std::string::npos)
          check(sm_.contains(k.c_str()) == want, "string: contains(const char*)");
        break;
      }
      case 3:
        serase(skey());
        break;
      case 4: {
        const std::string k = skey();
        const std::uint64_t d = in_.byte();
        sm_[k] += d;
        smodel_[k] += d;
        break;
      }
      case 5:
        srange(false, depth);
        break;
      case 6:
        if (depth < 2) srange(true, depth);
        break;
      default:
        if ((in_.byte() & 7) == 0) {
          sclear();
        } else {
          auto c = gomap::maps::clone(sm_);
          check(gomap::maps::equal(c, sm_), "string: clone is not equal");
        }
        break;
    }
  }

  // ---------------------------------------------------------- big
  void bset(std::uint16_t id, std::uint32_t seed) {
    bm_.set(make_big_key(id), make_big_value(seed));
    bmodel_[make_big_key(id)] = make_big_value(seed);
  }
  void big_op(int sub, int depth) {
    switch (sub % 6) {
      case 0:
      case 1: {
        const std::uint16_t id = in_.byte();
        bset(id, in_.u32() >> 1);
        break;
      }
      case 2: {
        const big_key k = make_big_key(in_.byte());
        const big_value* p = bm_.find(k);
        auto it = bmodel_.find(k);
        check((p != nullptr) == (it != bmodel_.end()), "big: find");
        if (p) check(big_value_sound(*p) && *p == it->second, "big: value corrupted");
        break;
      }
      case 3: {
        const big_key k = make_big_key(in_.byte());
        bm_.erase(k);
        bmodel_.erase(k);
        break;
      }
      case 4: {  // a run of inserts: growth moves indirect cells
        const std::uint16_t base = in_.byte();
        const int n = in_.byte();
        for (int i = 0; i < n; ++i) bset(static_cast<std::uint16_t>(base + i), in_.u16());
        break;
      }
      default: {  // range, erasing some as it goes
        const std::uint8_t salt = in_.byte();
        const std::size_t before = bmodel_.size();
        std::size_t n = 0;
        for (auto&& [k, v] : bm_) {
          ++n;
          auto it = bmodel_.find(k);
          check(it != bmodel_.end() && big_value_sound(v) && it->second == v,
                "big range: entry differs from the model");
          if ((k.w[0] + salt) % 3 == 0) {
            const big_key kc = k;
            bm_.erase(kc);
            bmodel_.erase(kc);
          }
        }
        check(n <= before, "big range: produced more entries than the map held");
        if (salt == 0) {
          bm_.clear();
          bmodel_.clear();
        }
        (void)depth;
        break;
      }
    }
  }

  input in_;
  std::size_t step_ = 0;
  M<double, std::uint32_t> dm_ = M<double, std::uint32_t>::make();
  double_model dmodel_;
  bool dcleared_ = false;
  M<std::string, std::uint64_t> sm_ = M<std::string, std::uint64_t>::make();
  std::unordered_map<std::string, std::uint64_t> smodel_;
  std::vector<range_tracker<std::string>*> swatch_;
  M<big_key, big_value> bm_ = M<big_key, big_value>::make();
  std::unordered_map<big_key, big_value, big_key_hasher> bmodel_;
};

}  // namespace

int run(const std::uint8_t* data, std::size_t size) {
  harness<gomap::Map>(data, size).run();
  harness<gomap::SwissMap>(data, size).run();
  return 0;
}

}  // namespace gomap_fuzz::map_keys

GOMAP_FUZZ_ENTRY(gomap_fuzz::map_keys::run)
