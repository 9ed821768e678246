// map_growth: inputs that steer growth exactly.
//
// The harness reads the map's seed-dependent bucket choice through the
// engine (map_access::engine(m)->hash_of), so an input can say "put n keys
// into bucket b" whatever seed the map drew.  That is how it piles keys into
// overflow chains, empties them again so Go's overflow counter reaches 2^B
// (a same-size grow on the next insert), fills the table to exactly
// loadFactor*2^B (a doubling grow on the next insert), and then drives
// incremental evacuation with writes, lookups and iterators in between,
// and shrinks the map back (shrink_to_fit) under a parked iterator.
// After every step: the model, the runtime's invariant checker, and Go's
// growth rules (hashGrow fires exactly when overLoadFactor or
// tooManyOverflowBuckets says so; growth finishes; nevacuate only moves
// forward).
//
// Every input then runs again on a SwissMap (swiss_harness below), steering
// keys into chosen tables of the directory: tables filled to exactly no
// growth left, tombstones piled up and pruned, growth to 1024 slots, splits
// and directory doubling, reserve and shrink_to_fit, with loops parked
// across all of it.  After every step: the model, Go's checkInvariants, and
// Go's growth rules (a table rehashes only when full and not pruned; it
// doubles below 1024 slots and splits at 1024, doubling the directory when
// its local depth reaches the global depth).
#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include <gomap/map.hpp>
#include <gomap/swiss_map.hpp>

#include "fuzz_common.hpp"

namespace gomap_fuzz::map_growth {
namespace {

using K = std::uint64_t;
using V = std::uint64_t;
using hmap_t = gomap::runtime::hmap<K, V, gomap::hash<K>, gomap::equal_to<K>>;

// What both harnesses share: the input, the map and its model, fresh keys,
// lookups of every key, full loops and one iterator parked across growth.
template <class Map>
class growth_base {
 protected:
  using map_t = Map;
  growth_base(const std::uint8_t* d, std::size_t n) : in_(d, n) {}

  void check(bool ok, const std::string& what) {
    if (!ok) fail(std::string("map_growth/") + engine_name<Map>, what, step_);
  }
  K fresh_key() {
    K k;
    do k = next_key_++;
    while (model_.count(k) != 0);
    return k;
  }
  K fresh_key_probe(int i) const { return next_key_ + 1000003ull * (i + 1); }
  void erase(K k) {
    m_.erase(k);
    if (model_.erase(k) != 0 && park_live_) park_.removed(k);
  }

  void lookup_all() {
    for (const auto& [k, v] : model_) {
      const V* p = m_.find(k);
      check(p != nullptr && *p == v, "a key in the model is not found (or has the wrong value)");
    }
    for (int i = 0; i < 8; ++i) check(!m_.contains(fresh_key_probe(i)), "an absent key was found");
  }

  void full_range() {
    range_tracker<K> t;
    t.start(model_);
    std::size_t n = 0;
    for (auto&& [k, v] : m_) {
      const std::string e = t.produce(model_, k, v);
      check(e.empty(), "range: " + e);
      ++n;
    }
    check(n == model_.size(), "range produced a different number of entries");
  }

  // One iterator parked mid-walk across growth.
  void start_park() {
    park_ = range_tracker<K>();
    park_.start(model_);
    it_ = m_.begin();
    park_live_ = true;
    see_park();
  }
  void see_park() {
    if (it_ == std::default_sentinel) {
      const std::string e = park_.finish_complete();
      check(e.empty(), "parked iterator: " + e);
      park_live_ = false;
      it_ = typename map_t::iterator();
      return;
    }
    auto&& [k, v] = *it_;
    const std::string e = park_.produce(model_, k, v);
    check(e.empty(), "parked iterator: " + e);
  }
  void step_park() {
    if (!park_live_) return;
    ++it_;
    see_park();
  }

  input in_;
  std::size_t step_ = 0;
  map_t m_;
  std::unordered_map<K, V> model_;
  K next_key_ = 1;
  typename map_t::iterator it_;
  range_tracker<K> park_;
  bool park_live_ = false;
};

class harness : growth_base<gomap::Map<K, V>> {
 public:
  harness(const std::uint8_t* d, std::size_t n) : growth_base(d, n) {}

  void run() {
    // Start from a hint sometimes, so growth begins at a larger B.
    const std::uint8_t h = in_.byte();
    m_ = gomap::make<K, V>(h < 0xC0 ? 0 : (h & 0x3F) * 8);
    while (!in_.empty() && step_ < 2048) {
      one_op();
      check_all();
      ++step_;
    }
    while (park_live_) step_park();
  }

 private:
  hmap_t* engine() const { return gomap::runtime::map_access::engine(m_); }
  std::uint64_t bucket_of(K k) const {
    hmap_t* h = engine();
    return h->hash_of(k) & ((std::uint64_t{1} << h->B) - 1);
  }

  void check_all() {
    hmap_t* h = engine();
    const gomap::MapStats s = m_.stats();
    check(m_.size() == model_.size(),
          "size " + std::to_string(m_.size()) + " != model " + std::to_string(model_.size()));
    check(s.count == model_.size() && s.B == h->B && s.bucket_count == (std::uint64_t{1} << h->B),
          "stats disagree with the map");
    check(s.growing == h->growing() && s.nevacuate == h->nevacuate, "stats: growth fields");
    if (h->growing()) check(h->nevacuate <= h->noldbuckets(), "nevacuate beyond the old array");
    const std::string inv = gomap::runtime::map_access::check_invariants(m_);
    check(inv.empty(), "check_invariants: " + inv);
  }

  // A key not in the map whose bucket (in the current array) is `target`.
  K fresh_key_for(std::uint64_t target) {
    const std::uint64_t mask = (std::uint64_t{1} << engine()->B) - 1;
    target &= mask;
    for (int tries = 0; tries < 1 << 14; ++tries) {
      const K k = next_key_++;
      if (model_.count(k) == 0 && bucket_of(k) == target) return k;
    }
    return fresh_key();
  }

  // Insert a new key and check hashGrow's decision (mapassign).
  void insert(K k) {
    hmap_t* h = engine();
    const bool was_growing = h->growing();
    const std::uint8_t b0 = h->B;
    const bool new_key = model_.count(k) == 0;
    const bool overload = hmap_t::over_load_factor(h->count + 1, b0);
    const bool too_many = hmap_t::too_many_overflow_buckets(h->noverflow, b0);
    const V v = k * 3 + step_;
    m_.set(k, v);
    model_[k] = v;
    h = engine();
    if (!new_key) {
      check(h->B == b0, "B changed on an update of an existing key");
    } else if (was_growing) {
      // growWork may finish the grow in progress; mapassign then decides
      // again (Go: `goto again`), so a doubling may start in this very
      // insert — only if the table was over the load factor.
      check(h->B == b0 || (h->B == b0 + 1 && overload),
            "B changed while a grow was in progress, without reaching the load factor");
    } else if (overload) {
      check(h->B == b0 + 1, "no doubling grow at the load factor (count " +
                                std::to_string(h->count) + ", B " + std::to_string(b0) + ")");
    } else if (too_many && h->buckets != nullptr) {
      check(h->B == b0 && (!h->growing() || h->same_size_grow()),
            "too many overflow buckets did not start a same-size grow");
    } else {
      check(h->B == b0, "B changed without a reason to grow");
    }
    // After a new key, a table that is not growing is within the load factor
    // (mapassign grows before the 6.5*2^B+1-th entry).  Only here: a delete
    // may finish a same-size grow that the table outgrew meanwhile, and Go
    // waits for the next insert to double.
    if (new_key && !h->growing())
      check(!hmap_t::over_load_factor(h->count, h->B), "map over the load factor and not growing");
  }

  void one_op() {
    hmap_t* h = engine();
    const std::uint8_t op = in_.byte();
    switch (op % 14) {
      case 0: {  // n new keys into one bucket: overflow chains
        const std::uint64_t target = in_.byte();
        const int n = in_.byte() % 24 + 1;
        for (int i = 0; i < n; ++i) insert(fresh_key_for(target));
        break;
      }
      case 1: {  // erase up to n keys of one bucket
        const std::uint64_t target = in_.byte() & ((std::uint64_t{1} << h->B) - 1);
        int n = in_.byte() % 24 + 1;
        std::vector<K> victims;
        for (const auto& kv : model_)
          if (n > 0 && bucket_of(kv.first) == target) {
            victims.push_back(kv.first);
            --n;
          }
        for (K k : victims) erase(k);
        break;
      }
      case 2: {  // fill to exactly loadFactor*2^B (+delta): the next insert doubles
        const int delta = static_cast<int>(in_.byte() % 5) - 2;
        const std::uint64_t cap = h->B == 0 ? 8 : 13 * (std::uint64_t{1} << h->B) / 2;
        const std::int64_t goal = static_cast<std::int64_t>(cap) + delta;
        if (goal > 3000) break;  // B <= 8: keeps an input fast
        while (static_cast<std::int64_t>(model_.size()) < goal) insert(fresh_key());
        break;
      }
      case 3: {  // churn every bucket: overflow buckets up to 2^B, then empty
        const std::uint8_t b0 = h->B;
        if (b0 > 7) break;
        const std::uint64_t nb = std::uint64_t{1} << b0;
        const int per = in_.byte() % 10 + 8;
        std::vector<K> added;
        for (std::uint64_t b = 0; b < nb && engine()->B == b0; ++b)
          for (int i = 0; i < per; ++i) {
            const K k = fresh_key_for(b);
            insert(k);
            added.push_back(k);
          }
        for (K k : added) erase(k);
        break;
      }
      case 4:
        insert(fresh_key());
        break;
      case 5: {  // erase n keys, any buckets
        int n = in_.byte() % 32;
        std::vector<K> victims;
        for (const auto& kv : model_) {
          if (n-- <= 0) break;
          victims.push_back(kv.first);
        }
        for (K k : victims) erase(k);
        break;
      }
      case 6: {  // writes that insert nothing still do growth work
        if (model_.empty()) break;
        int n = in_.byte() % 8 + 1;
        for (const auto& [k, v] : model_) {
          if (n-- <= 0) break;
          m_.set(k, v);
        }
        m_.erase(fresh_key_probe(0));
        break;
      }
      case 7:
        lookup_all();
        break;
      case 8:
        full_range();
        break;
      case 9:
        start_park();
        break;
      case 10: {
        int n = in_.byte() % 16 + 1;
        while (n-- > 0 && park_live_) step_park();
        break;
      }
      case 11: {  // reserve: grows (finishing any grow first) so n entries fit
        const std::int64_t n = in_.u16() % 4096;
        m_.reserve(n);
        check(!hmap_t::over_load_factor(static_cast<std::uint64_t>(n), engine()->B),
              "reserve(n) left too few buckets for n entries");
        break;
      }
      case 12:
        switch (in_.byte() & 3) {
          case 0:
            m_.clear();
            if (!model_.empty() && park_live_) park_.cleared();
            model_.clear();
            break;
          case 1: {  // shrink_to_fit: makemap's B for len(m), settled, chains compacted
            m_.shrink_to_fit();
            const gomap::MapStats st = m_.stats();
            const auto want = hmap_t::hint_to_B(static_cast<std::int64_t>(model_.size()));
            check(!st.growing && st.B == want, "shrink_to_fit: not makemap's B for len(m)");
            if (model_.empty()) check(engine()->buckets == nullptr, "shrink_to_fit kept buckets");
            break;
          }
          default:
            break;
        }
        break;
      default: {  // mutating loop: every produced entry triggers inserts/erases
        range_tracker<K> t;
        t.start(model_);
        const std::uint8_t ctl = in_.byte();
        int budget = 256;  // inserted entries may be produced too: bound the loop's growth
        for (auto&& [k, v] : m_) {
          const std::string e = t.produce(model_, k, v);
          check(e.empty(), "mutating range: " + e);
          const K kc = k;
          if (ctl & 1) {
            erase(kc);
            t.removed(kc);
          }
          if (budget-- > 0) {
            if (ctl & 2) insert(fresh_key_for(kc));
            if (ctl & 4) insert(fresh_key());
          }
          if (model_.size() < 512 || budget % 64 == 0) check_all();
        }
        const std::string e = t.finish_complete();
        check(e.empty(), "mutating range: " + e);
        break;
      }
    }
  }
};

// The Swiss engine under the same input.
class swiss_harness : growth_base<gomap::SwissMap<K, V>> {
  using map_t = gomap::SwissMap<K, V>;
  using engine_t = gomap::runtime::swiss::map<K, V, gomap::hash<K>, gomap::equal_to<K>>;
  using table_t = engine_t::table_t;
  static constexpr std::uint64_t max_cap = gomap::runtime::swiss::max_table_capacity;
  static constexpr std::size_t max_entries = 2500;  // two levels of splits, still fast

 public:
  swiss_harness(const std::uint8_t* d, std::size_t n) : growth_base(d, n) {}

  void run() {
    const std::uint8_t h = in_.byte();
    m_ = gomap::make_swiss<K, V>(h < 0xC0 ? 0 : (h & 0x3F) * 16);
    check_all();
    while (!in_.empty() && step_ < 2048) {
      one_op();
      check_all();
      ++step_;
    }
    while (park_live_) step_park();
  }

 private:
  engine_t* engine() const { return gomap::runtime::map_access::engine(m_); }
  table_t* table_of(K k) const {
    engine_t* e = engine();
    return e->dir == nullptr ? e->small : e->dir->table_for(e->hash_of(k));
  }
  // The table at directory entry i (mod the directory's length), or the
  // small group.
  table_t* table_at(std::uint64_t i) const {
    engine_t* e = engine();
    return e->dir == nullptr ? e->small : e->dir->at(i & (e->dir->len - 1));
  }

  void check_all() {
    engine_t* e = engine();
    const gomap::SwissStats s = m_.stats();
    check(m_.size() == model_.size(),
          "size " + std::to_string(m_.size()) + " != model " + std::to_string(model_.size()));
    check(s.count == model_.size(), "stats().count != size");
    check(s.small == (e->dir == nullptr), "stats().small disagrees with the map");
    check(!s.growing, "a Swiss map is never growing between operations");
    if (e->dir != nullptr) {
      check(s.dir_len == e->dir->len && s.global_depth == e->dir->global_depth,
            "stats: directory fields");
      check(s.tables >= 1 && s.tables <= s.dir_len, "stats: table count");
      e->dir->for_each_table([&](table_t* t) {
        check(t->capacity <= max_cap, "a table beyond Go's maxTableCapacity");
        check(t->local_depth <= e->dir->global_depth, "local depth beyond the global depth");
      });
    } else {
      check(s.tombstones == 0, "a small map with tombstones");
    }
    const std::string inv = gomap::runtime::map_access::check_invariants(m_);
    check(inv.empty(), "check_invariants: " + inv);
  }

  // A key not in the map that lands in table t (any key if t is small).
  K fresh_key_for(const table_t* t) {
    for (int tries = 0; tries < 1 << 14; ++tries) {
      const K k = fresh_key();
      if (table_of(k) == t) return k;
    }
    return fresh_key();
  }

  // Insert (or update) k and check PutSlot's decision.
  void insert(K k) {
    engine_t* e = engine();
    const bool was_small = e->dir == nullptr;
    const std::uint64_t used0 = e->used;
    const bool new_key = model_.count(k) == 0;
    table_t* t = table_of(k);
    const std::uint64_t gl = t ? t->growth_left : 0, cap = t ? t->capacity : 0;
    const std::uint64_t tomb = t ? t->tombstones() : 0;
    const std::uint8_t ld = t ? t->local_depth : 0;
    const std::uint8_t gd = was_small ? 0 : e->dir->global_depth;
    const V v = k * 3 + step_;
    m_.set(k, v);
    model_[k] = v;
    e = engine();
    table_t* t2 = table_of(k);
    check(*m_.find(k) == v, "the value just set is not there");
    if (was_small) {
      // putSlotSmall, or growToTable when the group holds 8 entries.
      if (used0 < gomap::runtime::swiss::group_slots) {
        check(e->dir == nullptr, "a small map with room left grew");
      } else {
        check(e->dir != nullptr && e->dir->len == 1 && t2->capacity == 16,
              "a full small map did not grow to one table of 16 slots");
      }
      return;
    }
    if (!new_key) {
      check(t2 == t, "an update of an existing key changed its table");
      return;
    }
    // The same table, not a new one the allocator placed at t's old address
    // (a rehash frees t, and the table that grew or split out of it may land
    // there): a grown table has twice the capacity, a split one more depth.
    const bool same_table = t2 == t && t2->capacity == cap && t2->local_depth == ld;
    if (same_table) {
      check(gl > 0 || tomb > 0, "a full table without tombstones took a key without rehashing");
      return;
    }
    check(gl == 0, "a table with growth left was rehashed");
    if (cap < max_cap) {
      check(t2->capacity == 2 * cap && t2->local_depth == ld, "grow did not double the table");
    } else {
      // A split may cascade: when every entry falls on the new key's side,
      // that half is full again and splits too (Go's PutSlot loops).
      check(t2->capacity == max_cap && t2->local_depth > ld,
            "a full table at maxTableCapacity did not split (capacity " +
                std::to_string(t2->capacity) + ", local depth " + std::to_string(ld) + " -> " +
                std::to_string(t2->local_depth) + ")");
      check(e->dir->global_depth == std::max(gd, t2->local_depth),
            "the directory did not double exactly when a split needed a new bit");
    }
  }

  std::uint64_t room() const { return room_of(m_); }
  static std::uint64_t room_of(const map_t& m) {
    engine_t* e = gomap::runtime::map_access::engine(m);
    if (e->dir == nullptr) return gomap::runtime::swiss::group_slots;
    std::uint64_t r = 0;
    e->dir->for_each_table([&r](table_t* t) { r += t->used + t->growth_left; });
    return r;
  }

  void one_op() {
    const std::uint8_t op = in_.byte();
    switch (op % 15) {
      case 0: {  // n new keys into one table
        table_t* t = table_at(in_.byte());
        const int n = in_.byte() % 32 + 1;
        for (int i = 0; i < n && model_.size() < max_entries; ++i) insert(fresh_key_for(t));
        break;
      }
      case 1: {  // erase up to n keys of one table: tombstones in full groups
        table_t* t = table_at(in_.byte());
        int n = in_.byte() % 64 + 1;
        std::vector<K> victims;
        for (const auto& kv : model_)
          if (n > 0 && table_of(kv.first) == t) {
            victims.push_back(kv.first);
            --n;
          }
        for (K k : victims) erase(k);
        break;
      }
      case 2: {  // fill one table to exactly no growth left, maybe one more key
        table_t* t = table_at(in_.byte());
        const bool one_more = in_.boolean();
        if (t == nullptr || engine()->dir == nullptr) break;
        while (t->growth_left > 0 && model_.size() < max_entries) insert(fresh_key_for(t));
        if (one_more && t->growth_left == 0) insert(fresh_key_for(t));
        break;
      }
      case 3:
        if (model_.size() < max_entries) insert(fresh_key());
        break;
      case 4: {  // erase n keys, any tables
        int n = in_.byte() % 64;
        std::vector<K> victims;
        for (const auto& kv : model_) {
          if (n-- <= 0) break;
          victims.push_back(kv.first);
        }
        for (K k : victims) erase(k);
        break;
      }
      case 5: {  // updates of existing keys
        int n = in_.byte() % 8 + 1;
        std::vector<K> keys;
        for (const auto& kv : model_) {
          if (n-- <= 0) break;
          keys.push_back(kv.first);
        }
        for (K k : keys) insert(k);
        break;
      }
      case 6:
        lookup_all();
        break;
      case 7:
        full_range();
        break;
      case 8:
        start_park();
        break;
      case 9: {
        int n = in_.byte() % 16 + 1;
        while (n-- > 0 && park_live_) step_park();
        break;
      }
      case 10: {  // reserve(n): room for n entries over the tables
        const std::int64_t n = in_.u16() % 8192;
        const std::uint64_t before = room();
        m_.reserve(n);
        // NewMap's room for n: Go's sizing rounds down, so it may be a few
        // entries short of n (16 tables of 448 for 7174).
        const std::uint64_t fresh = room_of(gomap::make_swiss<K, V>(n));
        const auto want = static_cast<std::uint64_t>(n);
        check(room() >= (before >= want ? want : fresh),
              "reserve(n) left less room than before or than make(n) gives");
        break;
      }
      case 11: {  // shrink_to_fit: a fresh map's size for len(m)
        m_.shrink_to_fit();
        engine_t* e = engine();
        if (model_.size() <= gomap::runtime::swiss::group_slots)
          check(e->dir == nullptr, "shrink_to_fit of a map of <= 8 entries is not small");
        check(m_.stats().tombstones == 0, "shrink_to_fit left tombstones");
        break;
      }
      case 12:
        if ((in_.byte() & 3) == 0) {
          m_.clear();
          if (!model_.empty() && park_live_) park_.cleared();
          model_.clear();
        }
        break;
      case 13: {  // churn one table: insert then erase, tombstones pile up
        table_t* t = table_at(in_.byte());
        const int n = in_.byte() % 64 + 8;
        std::vector<K> added;
        for (int i = 0; i < n && model_.size() < max_entries; ++i) {
          const K k = fresh_key_for(t);
          insert(k);
          added.push_back(k);
          t = table_of(k);
        }
        for (K k : added) erase(k);
        break;
      }
      default: {  // mutating loop: every produced entry triggers inserts/erases
        range_tracker<K> t;
        t.start(model_);
        const std::uint8_t ctl = in_.byte();
        int budget = 256;
        for (auto&& [k, v] : m_) {
          const std::string e = t.produce(model_, k, v);
          check(e.empty(), "mutating range: " + e);
          const K kc = k;
          if (ctl & 1) {
            erase(kc);
            t.removed(kc);
          }
          if (budget-- > 0 && model_.size() < max_entries) {
            if (ctl & 2) insert(fresh_key_for(table_of(kc)));
            if (ctl & 4) insert(fresh_key());
          }
          if (model_.size() < 512 || budget % 64 == 0) check_all();
        }
        const std::string e = t.finish_complete();
        check(e.empty(), "mutating range: " + e);
        break;
      }
    }
  }
};

}  // namespace

int run(const std::uint8_t* data, std::size_t size) {
  harness(data, size).run();
  swiss_harness(data, size).run();
  return 0;
}

}  // namespace gomap_fuzz::map_growth

GOMAP_FUZZ_ENTRY(gomap_fuzz::map_growth::run)
