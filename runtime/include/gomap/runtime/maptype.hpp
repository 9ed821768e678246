// maptype: every compile-time fact an engine needs about Map<K, V, Hash, Eq>,
// defined once (Go passes a *maptype to every map function; gomap passes
// this struct as a template argument).  The bucket array, the engine and the
// iterator all read the same facts, so they cannot disagree about, say,
// whether evacuated cells keep their values.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>

#include "gomap/hash.hpp"
#include "gomap/runtime/slot_policy.hpp"

namespace gomap::runtime {

// What an engine's assign answers besides "inserted": the entry's value (the
// handle assigns through it).  One pointer, so {assigned, bool} comes back in
// two registers.  An engine's slot (a bucket or group and an index) made the
// answer three or four words, returned through memory; in the Swiss engine
// GCC copied the slot's two group pointers there with one 16-byte load of two
// 8-byte stores, a store-forwarding stall on every insert.
template <class V>
struct assigned {
  V* p;
  V& elem() const noexcept { return *p; }
};

template <class K, class V, class Hash, class Eq>
struct maptype {
  using key_type = K;
  using elem_type = V;
  using hasher = Hash;
  using key_equal = Eq;
  using policy = slot_policy<K, V>;
  using key_slot = typename policy::key_slot;
  using elem_slot = typename policy::elem_slot;

  // t.indirectkey(), t.indirectelem(): slots hold pointers to heap objects.
  static constexpr bool indirect_key = policy::indirect_key;
  static constexpr bool indirect_elem = policy::indirect_elem;
  // t.reflexivekey(): k == k for every k (false for floats: NaN).
  static constexpr bool reflexive = reflexive_key<K>::value;
  // t.needkeyupdate(): an overwrite stores the new key too (+0.0 over -0.0).
  static constexpr bool key_update = need_key_update<K>::value;
  // Cells evacuated while an iterator holds the old array keep their key (so
  // the iterator can look it up); for key types that may be != themselves
  // (NaN) they keep a copy of the value too, which is the "golden data" Go
  // returns for such keys.  (Values that cannot be copied are not kept.)
  static constexpr bool keep_values = !reflexive && std::is_copy_constructible_v<V>;
  // String keys with Go's string equality: the typed fast paths of
  // map_faststr.go apply.
  static constexpr bool faststr =
      std::is_same_v<K, std::string> && (std::is_same_v<Eq, gomap::equal_to<std::string>> ||
                                         std::is_same_v<Eq, gomap::equal_to<std::string_view>>);
  // Relocating a key or a value (evacuation, rehash) cannot throw.
  static constexpr bool nothrow_relocate_key = policy::template nothrow_relocate<K, key_slot>;
  static constexpr bool nothrow_relocate_elem = policy::template nothrow_relocate<V, elem_slot>;
  static constexpr bool nothrow_relocate = nothrow_relocate_key && nothrow_relocate_elem;
  // Nothing to run when a slot dies: destruction walks can be skipped.
  static constexpr bool trivial_slots = !indirect_key && !indirect_elem &&
                                        std::is_trivially_destructible_v<K> &&
                                        std::is_trivially_destructible_v<V>;

  static_assert(std::is_copy_constructible_v<K>,
                "gomap map keys must be copyable (Go map keys are values)");
  static_assert(std::is_nothrow_destructible_v<K> && std::is_nothrow_destructible_v<V>);

  // Call the user's hash: Go-style (key, seed), or a plain unary hasher such
  // as std::hash whose result is mixed with the seed.
  template <class Q>
  static std::uint64_t hash(const Hash& h, const Q& k, std::uint64_t seed) {
    if constexpr (std::is_invocable_v<const Hash&, const Q&, std::uint64_t>)
      return static_cast<std::uint64_t>(h(k, seed));
    else
      return memhash64(static_cast<std::uint64_t>(h(k)), seed);
  }
};

}  // namespace gomap::runtime
