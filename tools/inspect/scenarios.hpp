// tools/inspect/scenarios.hpp — the built-in demo maps of `inspect`.
//
// Each scenario drives one map, one operation per step(), towards a moment
// worth looking at (reached()).  The command draws that moment, or in step
// mode one picture per operation around it; the tests check the pictures.
//
//   first-growth    fill an empty map until it is first caught growing
//   half-grown      a doubling growth with half of the old buckets evacuated
//   same-size-grow  100 live keys, erase-oldest/insert-new churn until the
//                   overflow chains force a same-size grow
//   collisions      a Hash with three values: long overflow chains
#pragma once

#include <cstdint>
#include <fstream>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "gomap/map.hpp"
#include "layout.hpp"

namespace gomap::inspect {

class Scenario {
 public:
  virtual ~Scenario() = default;
  virtual std::string_view name() const = 0;
  virtual std::string_view description() const = 0;
  // One map operation; returns a caption such as "set(27, 729)".
  virtual std::string step() = 0;
  // The moment this scenario is about has been reached.
  virtual bool reached() const = 0;
  virtual Snapshot snap(std::string caption) const = 0;
  virtual MapStats stats() const = 0;
  // The runtime's debug invariant checker: "" when the map is sound.
  virtual std::string check_invariants() const = 0;
  // Upper bound on steps before reached() must hold (a guard, not a tuning knob).
  virtual std::uint64_t step_limit() const { return 1'000'000; }

  // Steps until reached(); returns the number of steps taken.
  std::uint64_t run_to_moment() {
    std::uint64_t n = 0;
    while (!reached()) {
      if (++n > step_limit())
        throw std::runtime_error("scenario " + std::string(name()) + " did not reach its moment");
      step();
    }
    return n;
  }
};

namespace detail {

// A scenario over a concrete map type.
template <class K, class V, class H = gomap::hash<K>, class E = gomap::equal_to<K>>
class map_scenario : public Scenario {
 public:
  Snapshot snap(std::string caption) const override { return snapshot(m_, std::move(caption)); }
  MapStats stats() const override { return m_.stats(); }
  std::string check_invariants() const override {
    return runtime::map_access::check_invariants(m_);
  }
  const Map<K, V, H, E>& map() const { return m_; }

 protected:
  Map<K, V, H, E> m_ = Map<K, V, H, E>::make();
};

inline std::string set_caption(std::int64_t k, std::int64_t v) {
  return "set(" + std::to_string(k) + ", " + std::to_string(v) + ")";
}

class first_growth final : public map_scenario<std::int64_t, std::int64_t> {
 public:
  std::string_view name() const override { return "first-growth"; }
  std::string_view description() const override {
    return "fill an empty map until it is first caught growing";
  }
  std::string step() override {
    const std::int64_t k = next_++;
    m_.set(k, k * k);
    return set_caption(k, k * k);
  }
  // Growths of 1 and 2 old buckets finish within the insert that starts
  // them (each write evacuates two); the first one still running is B 2 -> 3.
  bool reached() const override { return m_.stats().growing; }

 private:
  std::int64_t next_ = 0;
};

class half_grown final : public map_scenario<std::int64_t, std::int64_t> {
 public:
  std::string_view name() const override { return "half-grown"; }
  std::string_view description() const override {
    return "a doubling growth (16 -> 32 buckets) caught with half the old buckets evacuated";
  }
  std::string step() override {
    const std::int64_t k = next_++;
    m_.set(k, -k);
    return set_caption(k, -k);
  }
  bool reached() const override {
    const MapStats s = m_.stats();
    return s.growing && !s.same_size_grow && s.B >= 5 && s.nevacuate * 2 >= s.bucket_count / 2;
  }

 private:
  std::int64_t next_ = 0;
};

class same_size_grow final : public map_scenario<std::int64_t, std::int64_t> {
 public:
  static constexpr std::int64_t live = 100;
  std::string_view name() const override { return "same-size-grow"; }
  std::string_view description() const override {
    return "100 live keys; erase the oldest and insert a new one until overflow buckets force a "
           "same-size grow";
  }
  std::string step() override {
    if (next_ >= live && erase_turn_) {
      erase_turn_ = false;
      const std::int64_t k = oldest_++;
      m_.erase(k);
      return "erase(" + std::to_string(k) + ")";
    }
    erase_turn_ = true;
    const std::int64_t k = next_++;
    m_.set(k, k);
    return set_caption(k, k);
  }
  bool reached() const override { return m_.stats().same_size_grow; }

 private:
  std::int64_t next_ = 0, oldest_ = 0;
  bool erase_turn_ = true;
};

// Three hash values for every key: chains grow instead of spreading.  The
// seed is ignored on purpose, so the picture is the same on every run.
struct few_hash {
  std::uint64_t operator()(std::int64_t k, std::uint64_t /*seed*/) const noexcept {
    return 0x9e3779b97f4a7c15ull * static_cast<std::uint64_t>((k % 3 + 3) % 3 + 1);
  }
};

class collisions final : public map_scenario<std::int64_t, std::int64_t, few_hash> {
 public:
  static constexpr std::int64_t keys = 60;
  std::string_view name() const override { return "collisions"; }
  std::string_view description() const override {
    return "60 keys under a Hash with only three values: three long overflow chains";
  }
  std::string step() override {
    const std::int64_t k = next_++;
    m_.set(k, k);
    return set_caption(k, k);
  }
  bool reached() const override { return m_.size() == keys && !m_.stats().growing; }
  std::uint64_t step_limit() const override { return 1000; }

 private:
  std::int64_t next_ = 0;
};

// Keys from a file (one per line): a string-keyed map, filled one line per step.
class keys_file final : public map_scenario<std::string, std::int64_t> {
 public:
  explicit keys_file(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw std::runtime_error("cannot read " + path);
    for (std::string line; std::getline(in, line);) lines_.push_back(line);
  }
  std::string_view name() const override { return "keys"; }
  std::string_view description() const override {
    return "a map[string]int64 filled with the lines of a file";
  }
  std::string step() override {
    const std::string& k = lines_[next_];
    m_.set(k, static_cast<std::int64_t>(next_));
    ++next_;
    return "set(\"" + k + "\", " + std::to_string(next_ - 1) + ")";
  }
  bool reached() const override { return next_ == lines_.size(); }

 private:
  std::vector<std::string> lines_;
  std::size_t next_ = 0;
};

}  // namespace detail

inline std::vector<std::string_view> scenario_names() {
  return {"first-growth", "half-grown", "same-size-grow", "collisions"};
}

// nullptr for an unknown name.  "keys:PATH" loads keys from a file.
inline std::unique_ptr<Scenario> make_scenario(std::string_view name) {
  if (name == "first-growth") return std::make_unique<detail::first_growth>();
  if (name == "half-grown") return std::make_unique<detail::half_grown>();
  if (name == "same-size-grow") return std::make_unique<detail::same_size_grow>();
  if (name == "collisions") return std::make_unique<detail::collisions>();
  if (name.starts_with("keys:"))
    return std::make_unique<detail::keys_file>(std::string(name.substr(5)));
  return nullptr;
}

}  // namespace gomap::inspect
