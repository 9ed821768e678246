// The classic engine's introspection: stats(), the read-only bucket visitor
// (tools/inspect draws maps with it) and the invariant checker that tests and
// the growth fuzzer run after every operation (Go 1.24's table_debug.go plays
// this role for the Swiss map).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "gomap/map_stats.hpp"

namespace gomap::runtime {

// A tophash byte, decoded for the public BucketView.
constexpr SlotState slot_state(std::uint8_t top) noexcept {
  switch (top) {
    case empty_rest:
      return SlotState::empty_rest;
    case empty_one:
      return SlotState::empty_one;
    case evacuated_x:
      return SlotState::evacuated_x;
    case evacuated_y:
      return SlotState::evacuated_y;
    case evacuated_empty:
      return SlotState::evacuated_empty;
    default:
      return SlotState::filled;
  }
}

template <class K, class V, class Hash, class Eq>
MapStats hmap<K, V, Hash, Eq>::stats() const noexcept {
  MapStats s;
  s.B = B;
  s.count = count;
  s.noverflow = noverflow;
  s.bucket_count = bucket_shift(B);
  s.growing = growing();
  s.same_size_grow = same_size_grow();
  s.nevacuate = nevacuate;
  s.bytes = sizeof(hmap);
  for (array* a : {buckets, oldbuckets}) {
    if (!a) continue;
    s.overflow_buckets += a->overflow_used;
    s.bytes += a->bytes();
  }
  if constexpr (maptype::indirect_key || maptype::indirect_elem) {
    constexpr std::uint64_t per =
        (maptype::indirect_key ? sizeof(K) : 0) + (maptype::indirect_elem ? sizeof(V) : 0);
    s.bytes += per * count;
  }
  return s;
}

// Read-only walk over every bucket (current array, then old), for tools.
template <class K, class V, class Hash, class Eq>
template <class F>
void hmap<K, V, Hash, Eq>::visit_buckets(F&& f) const {
  auto walk = [&](array* a, bool old) {
    if (!a) return;
    for (std::uint64_t i = 0; i < a->nmain; ++i) {
      std::uint32_t pos = 0;
      for (bucket* b = a->at(i); b != nullptr; b = b->overflow, ++pos) {
        BucketView v;
        v.old = old;
        v.index = i;
        v.chain_pos = pos;
        v.tophash = b->tophash;
        for (std::size_t j = 0; j < bucket_cnt; ++j) v.state[j] = slot_state(b->tophash[j]);
        v.evacuated = a->at(i)->evacuated();
        v.has_overflow = b->overflow != nullptr;
        f(v);
      }
    }
  };
  walk(buckets, false);
  walk(oldbuckets, true);
}

// Debug invariant checker (fuzzers, tests): returns "" or what is wrong.
//  - every live cell's key is findable (reflexive keys) and count matches;
//  - emptyRest is exact: after an emptyRest, every later cell of the chain
//    is empty;
//  - evacuation marks: old buckets below nevacuate are evacuated, an
//    evacuated chain holds only evacuation marks, a non-evacuated chain
//    none, and new buckets fed by a non-evacuated old bucket are empty;
//  - overflow accounting matches the chains.
template <class K, class V, class Hash, class Eq>
std::string hmap<K, V, Hash, Eq>::check_invariants() {
  auto fail = [](const std::string& what) { return what; };
  std::uint64_t live = 0;
  auto check_chain_empty_rest = [&](bucket* head, bool old_array) -> std::string {
    bool rest = false;
    for (bucket* b = head; b != nullptr; b = b->overflow) {
      for (std::size_t i = 0; i < bucket_cnt; ++i) {
        const std::uint8_t t = b->tophash[i];
        if (rest && t != empty_rest) return "cell after emptyRest is not emptyRest";
        if (t == empty_rest) rest = true;
        if (!old_array && t > empty_one && t < min_top_hash)
          return "evacuation mark in the current array";
      }
    }
    return "";
  };
  if (buckets == nullptr) return count == 0 ? "" : fail("count > 0 without buckets");
  if (buckets->B != B) return "B disagrees with the bucket array";
  for (array* a : {buckets, oldbuckets}) {
    if (!a) continue;
    std::uint64_t links = 0;
    for (std::uint64_t i = 0; i < a->nmain; ++i)
      for (bucket* b = a->at(i)->overflow; b != nullptr; b = b->overflow) ++links;
    if (links != a->overflow_used) return "overflow_used disagrees with the chains";
  }
  for (std::uint64_t i = 0; i < buckets->nmain; ++i) {
    if (std::string e = check_chain_empty_rest(buckets->at(i), false); !e.empty()) return e;
    for (bucket* b = buckets->at(i); b != nullptr; b = b->overflow)
      for (std::size_t j = 0; j < bucket_cnt; ++j)
        if (b->tophash[j] >= min_top_hash) {
          ++live;
          if constexpr (maptype::reflexive)
            if (tophash(hash_of(b->key(j))) != b->tophash[j])
              return "tophash does not match the key's hash";
        }
  }
  if (oldbuckets) {
    const std::uint64_t nold = noldbuckets();
    if (oldbuckets->nmain != nold) return "old array size disagrees with B";
    if (nevacuate > nold) return "nevacuate beyond the old array";
    for (std::uint64_t i = 0; i < nold; ++i) {
      bucket* ob = oldbuckets->at(i);
      const bool ev = ob->evacuated();
      if (i < nevacuate && !ev) return "bucket below nevacuate not evacuated";
      for (bucket* b = ob; b != nullptr; b = b->overflow)
        for (std::size_t j = 0; j < bucket_cnt; ++j) {
          const std::uint8_t t = b->tophash[j];
          const bool mark = t > empty_one && t < min_top_hash;
          if (ev && !mark) return "evacuated chain has a non-evacuated cell";
          if (!ev && mark) return "non-evacuated chain has an evacuation mark";
          if (!ev && t >= min_top_hash) ++live;
        }
      if (!ev) {
        if (std::string e = check_chain_empty_rest(ob, true); !e.empty()) return e;
        const std::uint64_t x = i, y = i + (same_size_grow() ? 0 : nold);
        for (std::uint64_t d : {x, y}) {
          // (empty overflow buckets may be linked by a rolled-back evacuation)
          for (bucket* nb = buckets->at(d); nb != nullptr; nb = nb->overflow)
            for (std::size_t j = 0; j < bucket_cnt; ++j)
              if (nb->tophash[j] != empty_rest)
                return "new bucket fed by a non-evacuated bucket is not empty";
        }
      }
    }
  }
  if (live != count)
    return "count " + std::to_string(count) + " != live cells " + std::to_string(live);
  if constexpr (maptype::reflexive) {
    // Every live key is findable through the normal lookup path.
    auto findable = [&](bucket* head) -> bool {
      for (bucket* b = head; b != nullptr; b = b->overflow)
        for (std::size_t j = 0; j < bucket_cnt; ++j)
          if (b->tophash[j] >= min_top_hash) {
            slot s = find(b->key(j));
            if (!s || s.b != b || s.i != j) return false;
          }
      return true;
    };
    for (std::uint64_t i = 0; i < buckets->nmain; ++i)
      if (!findable(buckets->at(i))) return "a live key is not findable";
    if (oldbuckets)
      for (std::uint64_t i = 0; i < oldbuckets->nmain; ++i)
        if (!oldbuckets->at(i)->evacuated() && !findable(oldbuckets->at(i)))
          return "a live key in the old array is not findable";
  }
  return "";
}

}  // namespace gomap::runtime
