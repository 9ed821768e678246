// <gomap/map.hpp> — gomap::Map<K, V>: Go's map[K]V for C++.
//
// A Map is a handle with Go's reference semantics: copying a Map copies the
// reference, and both copies see the same entries.  A default-constructed
// Map is Go's nil map: reads see nothing, writes panic.  The table itself is
// runtime::hmap, a port of Go's runtime/map.go (see runtime/hmap.hpp).
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <iterator>
#include <memory>
#include <ostream>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "gomap/fmt.hpp"
#include "gomap/hash.hpp"
#include "gomap/panic.hpp"
#include "gomap/runtime/hmap.hpp"

namespace gomap {

template <class K, class V, class Hash = gomap::hash<K>, class Eq = gomap::equal_to<K>>
class Map;

namespace detail {
template <class H, class E>
inline constexpr bool transparent_v = requires {
  typename H::is_transparent;
}
&&requires {
  typename E::is_transparent;
};
}  // namespace detail

template <class K, class V, class Hash, class Eq>
class Map {
  using hmap_type = runtime::hmap<K, V, Hash, Eq>;
  using policy = typename hmap_type::policy;
  using elem_slot = typename policy::elem_slot;

  // A lookup key: passed through when Hash and Eq are transparent (or it
  // already is a K), else converted to K once.
  template <class Q>
  static decltype(auto) lookup_key(const Q& k) {
    if constexpr (std::is_same_v<Q, K> || detail::transparent_v<Hash, Eq>)
      return (k);
    else
      return K(k);
  }

 public:
  using key_type = K;
  using mapped_type = V;
  using hasher = Hash;
  using key_equal = Eq;
  using size_type = std::size_t;

  // ---------------------------------------------------------------- handles
  Map() noexcept = default;  // var m map[K]V: nil
  Map(std::nullptr_t) noexcept {}
  // map[K]V{k1: v1, k2: v2}: non-nil; a repeated key: the last one wins.
  Map(std::initializer_list<std::pair<K, V>> init, Hash h = Hash{}, Eq e = Eq{})
      : h_(hmap_type::makemap(static_cast<std::int64_t>(init.size()), std::move(h), std::move(e))) {
    for (const auto& kv : init) set(kv.first, kv.second);
  }
  Map(const Map& o) noexcept : h_(o.h_) {
    if (h_) h_->retain();
  }
  Map(Map&& o) noexcept : h_(std::exchange(o.h_, nullptr)) {}
  Map& operator=(Map o) noexcept {
    swap(o);
    return *this;
  }
  Map& operator=(std::nullptr_t) noexcept {
    Map().swap(*this);
    return *this;
  }
  ~Map() {
    if (h_) h_->release();
  }

  // make(map[K]V, hint)
  static Map make(std::int64_t hint = 0, Hash h = Hash{}, Eq e = Eq{}) {
    Map m;
    m.h_ = hmap_type::makemap(hint, std::move(h), std::move(e));
    return m;
  }

  // The map's hasher and key equality (defaults for a nil map).
  Hash hash_function() const { return h_ ? h_->hasher : Hash{}; }
  Eq key_eq() const { return h_ ? h_->eq : Eq{}; }

  // Does p point into this map's cells, where the growth work of the next
  // write could move it?  (Used to copy such operands before writing.)
  bool refers_into(const void* p) const noexcept { return h_ && h_->might_relocate(p); }

  bool is_nil() const noexcept { return h_ == nullptr; }
  // Maps compare by identity only (Go: maps are comparable only to nil).
  friend bool operator==(const Map& a, const Map& b) noexcept { return a.h_ == b.h_; }
  friend bool operator==(const Map& a, std::nullptr_t) noexcept { return a.h_ == nullptr; }
  void swap(Map& o) noexcept { std::swap(h_, o.h_); }
  friend void swap(Map& a, Map& b) noexcept { a.swap(b); }

  // ------------------------------------------------------------------ reads
  // v := m[k] — the zero value when absent; never inserts.
  template <class Q = K>
  V get(const Q& k) const {
    if (V* p = find(k)) return *p;
    return V{};
  }
  // v, ok := m[k]
  template <class Q = K>
  std::pair<V, bool> lookup(const Q& k) const {
    if (V* p = find(k)) return {*p, true};
    return {V{}, false};
  }
  // _, ok := m[k]
  template <class Q = K>
  bool contains(const Q& k) const {
    return find(k) != nullptr;
  }
  // Pointer to the stored value or nullptr; valid until the next mutation.
  template <class Q = K>
  V* find(const Q& k) const {
    if (h_ == nullptr) return nullptr;
    auto s = h_->access(lookup_key(k));
    return s ? &s.elem() : nullptr;
  }

  // len(m)
  size_type size() const noexcept { return h_ ? static_cast<size_type>(h_->count) : 0; }
  bool empty() const noexcept { return size() == 0; }

  // ----------------------------------------------------------------- writes
  // m[k] = v
  template <class KArg, class VArg>
  requires std::is_constructible_v<K, KArg&&> && std::is_constructible_v<V, VArg&&>
  void set(KArg&& k, VArg&& v) const {
    hmap_type& h = writable();
    if constexpr (!std::is_same_v<std::remove_cvref_t<VArg>, V>) {
      // Go evaluates the right-hand side before assigning: build the V now,
      // before growth work could move what a view (string_view, ...) sees.
      return set(std::forward<KArg>(k), V(std::forward<VArg>(v)));
      // NOLINTNEXTLINE(bugprone-sizeof-expression): V may be a pointer type
    } else if constexpr (std::is_trivially_copyable_v<V> && sizeof(V) <= 16) {
      if (!std::is_rvalue_reference_v<VArg&&>) {
        V copy(v);  // free, and immune to aliasing the map's own cells
        return set(std::forward<KArg>(k), std::move(copy));
      }
    } else if constexpr (std::is_copy_constructible_v<V>) {
      // A value taken from this very map must not move under us.
      if (h.might_relocate(std::addressof(v))) {
        V copy(std::as_const(v));
        return set(std::forward<KArg>(k), std::move(copy));
      }
    }
    auto [s, inserted] = h.assign(to_key(std::forward<KArg>(k)), [&](elem_slot* where) {
      policy::template construct<V>(where, std::forward<VArg>(v));
    });
    if (!inserted) s.elem() = std::forward<VArg>(v);
  }

  // m[k] op= d, m[k]++: Go's semantics — a missing key reads as the zero
  // value, then assigns.  If op throws, a new key is not inserted.
  template <class KArg, class Op>
  V& update(KArg&& k, Op&& op) const {
    hmap_type& h = writable();
    auto [s, inserted] = h.assign(to_key(std::forward<KArg>(k)), [&](elem_slot* where) {
      V tmp{};
      op(tmp);
      policy::template construct<V>(where, std::move(tmp));
    });
    if (!inserted) op(s.elem());
    return s.elem();
  }

  // delete(m, k): a no-op on a missing key and on a nil map.
  template <class Q = K>
  void erase(const Q& k) const {
    if (h_ == nullptr) return;
    h_->erase(lookup_key(k));
  }

  // clear(m), Go 1.21: every entry goes, NaN keys included; running loops
  // produce nothing more; a no-op on nil.
  void clear() const {
    if (h_) h_->clear();
  }

  // Like a late make hint: grows so that n entries fit without growth.
  void reserve(std::int64_t n) const { writable().reserve(n); }

  // ------------------------------------------------------------ operator[]
  template <class Q>
  class reference;
  template <class T>
  static constexpr bool is_reference_v = requires {
    typename T::is_gomap_map_reference;
  };
  template <class Q>
  reference<Q> operator[](const Q& k) const {
    return reference<Q>(*this, k);
  }
  reference<K> operator[](const K& k) const { return reference<K>(*this, k); }

  // -------------------------------------------------------------- iteration
  using entry = std::pair<const K&, V&>;

  class iterator {
   public:
    using iterator_category = std::input_iterator_tag;
    using iterator_concept = std::input_iterator_tag;
    using value_type = std::pair<K, V>;
    using difference_type = std::ptrdiff_t;
    using reference = entry;

    iterator() = default;
    entry operator*() const { return {*it_.key(), *it_.elem()}; }
    struct arrow {
      entry e;
      const entry* operator->() const { return &e; }
    };
    arrow operator->() const { return arrow{**this}; }
    iterator& operator++() {
      it_.next();
      return *this;
    }
    void operator++(int) { ++*this; }
    friend bool operator==(const iterator& i, std::default_sentinel_t) noexcept {
      return i.it_.done();
    }

   private:
    friend class Map;
    explicit iterator(hmap_type* h) : it_(h) {}
    runtime::hiter<K, V, Hash, Eq> it_;
  };

  // for k, v := range m — a fresh random start on every loop.
  iterator begin() const { return iterator(h_); }
  std::default_sentinel_t end() const noexcept { return {}; }

  // m.range(f): f(const K&, V&) returns false to stop (or void).
  template <class F>
  void range(F&& f) const {
    for (runtime::hiter<K, V, Hash, Eq> it(h_); !it.done(); it.next()) {
      if constexpr (std::is_void_v<std::invoke_result_t<F&, const K&, V&>>) {
        f(std::as_const(*it.key()), *it.elem());
      } else {
        if (!f(std::as_const(*it.key()), *it.elem())) return;
      }
    }
  }

  // ---------------------------------------------------------- introspection
  MapStats stats() const noexcept { return h_ ? h_->stats() : MapStats{}; }
  template <class F>
  void visit_buckets(F&& f) const {
    if (h_) h_->visit_buckets(f);
  }

 private:
  friend struct runtime::map_access;

  hmap_type& writable() const {
    // mapassign on a nil map
    if (h_ == nullptr) throw gomap::panic("assignment to entry in nil map");
    return *h_;
  }

  template <class KArg>
  static decltype(auto) to_key(KArg&& k) {
    if constexpr (std::is_same_v<std::remove_cvref_t<KArg>, K>)
      return std::forward<KArg>(k);
    else
      return K(std::forward<KArg>(k));
  }

  hmap_type* h_ = nullptr;
};

// m[k]: reading converts to V (a lookup, never an insertion); assigning or
// compound-assigning through it is mapassign.  A short-lived proxy: it
// refers to the map and the key, so use it within the expression that made
// it.  Q is the caller's key type (transparent lookups never build a K).
template <class K, class V, class Hash, class Eq>
template <class Q>
class Map<K, V, Hash, Eq>::reference {
 public:
  using is_gomap_map_reference = void;

  reference(const Map& m, const Q& k) noexcept : m_(m), key_(k) {}
  reference(const reference&) = default;

  operator V() const { return m_.get(key_); }
  V value() const { return m_.get(key_); }

  reference& operator=(const V& v) {
    m_.set(K(key_), v);
    return *this;
  }
  reference& operator=(V&& v) {
    m_.set(K(key_), std::move(v));
    return *this;
  }
  reference& operator=(const reference& o) { return *this = o.value(); }

  // The right-hand side is evaluated before the write begins, as in Go
  // (`m[a] += m[b]`): a proxy is read into a V first, and an operand that
  // lives inside this map is copied before growth work could move it.
#define GOMAP_COMPOUND(op)                                                                \
  template <class T>                                                                      \
  reference& operator op(const T& d) {                                                    \
    if constexpr (is_reference_v<T>) {                                                    \
      const V rhs = d.value();                                                            \
      m_.update(K(key_), [&rhs](V& x) { x op rhs; });                                     \
    } else if constexpr (std::is_arithmetic_v<T>) {                                       \
      const T rhs = d; /* a scalar: copying is free */                                    \
      m_.update(K(key_), [rhs](V& x) { x op rhs; });                                      \
    } else if constexpr (!std::is_same_v<T, V> && std::is_constructible_v<V, const T&>) { \
      const V rhs(d); /* a view (string_view, ...) may see into the map */                \
      m_.update(K(key_), [&rhs](V& x) { x op rhs; });                                     \
    } else if constexpr (std::is_copy_constructible_v<T>) {                               \
      if (m_.refers_into(std::addressof(d))) {                                            \
        const T rhs(d);                                                                   \
        m_.update(K(key_), [&rhs](V& x) { x op rhs; });                                   \
      } else {                                                                            \
        m_.update(K(key_), [&d](V& x) { x op d; });                                       \
      }                                                                                   \
    } else {                                                                              \
      m_.update(K(key_), [&d](V& x) { x op d; });                                         \
    }                                                                                     \
    return *this;                                                                         \
  }
  GOMAP_COMPOUND(+=)
  GOMAP_COMPOUND(-=)
  GOMAP_COMPOUND(*=)
  GOMAP_COMPOUND(/=)
  GOMAP_COMPOUND(%=)
  GOMAP_COMPOUND(&=)
  GOMAP_COMPOUND(|=)
  GOMAP_COMPOUND(^=)
  GOMAP_COMPOUND(<<=)
  GOMAP_COMPOUND(>>=)
#undef GOMAP_COMPOUND

  reference& operator++() {
    m_.update(K(key_), [](V& x) { ++x; });
    return *this;
  }
  reference& operator--() {
    m_.update(K(key_), [](V& x) { --x; });
    return *this;
  }
  void operator++(int) {
    ++*this;
  }
  void operator--(int) {
    --*this;
  }

  // m["a"] == 1 with V = int64_t: any operand V compares with, not just V.
  template <class T>
  requires(!is_reference_v<T> && std::equality_comparable_with<V, T>) friend bool operator==(
      const reference& a, const T& b) {
    return a.value() == b;
  }
  friend std::ostream& operator<<(std::ostream& os, const reference& r) {
    std::string s;
    fmt::append_value(s, r.value());
    return os << s;
  }

 private:
  const Map& m_;
  const Q& key_;
};

// make(map[K]V) / make(map[K]V, n)
template <class K, class V, class Hash = gomap::hash<K>, class Eq = gomap::equal_to<K>>
Map<K, V, Hash, Eq> make(std::int64_t hint = 0, Hash h = Hash{}, Eq e = Eq{}) {
  return Map<K, V, Hash, Eq>::make(hint, std::move(h), std::move(e));
}

// len(m), clear(m)
template <class K, class V, class H, class E>
std::size_t len(const Map<K, V, H, E>& m) noexcept {
  return m.size();
}
template <class K, class V, class H, class E>
void clear(const Map<K, V, H, E>& m) {
  m.clear();
}

namespace runtime {
// The one friend for tests, fuzzers and tools: reaches the engine behind a
// handle without making internals public.
struct map_access {
  template <class K, class V, class H, class E>
  static hmap<K, V, H, E>* engine(const Map<K, V, H, E>& m) noexcept {
    return m.h_;
  }
  // The debug invariant checker: "" when the map is sound, else what is wrong.
  template <class K, class V, class H, class E>
  static std::string check_invariants(const Map<K, V, H, E>& m) {
    return m.h_ ? m.h_->check_invariants() : std::string();
  }
  // Drive growth to completion (for tools that want a settled layout).
  template <class K, class V, class H, class E>
  static void finish_growth(const Map<K, V, H, E>& m) {
    if (m.h_ && m.h_->growing()) {
      detect::write_scope ws(m.h_->state, m.h_);
      m.h_->finish_growth();
    }
  }
};
}  // namespace runtime

namespace fmt {
template <class K, class V, class H, class E>
struct is_gomap_map<Map<K, V, H, E>> : std::true_type {};
}  // namespace fmt

// fmt.Sprint(m): map[k1:v1 k2:v2] with keys in fmt's sorted order.
template <class K, class V, class H, class E>
std::string to_string(const Map<K, V, H, E>& m) {
  std::vector<std::pair<const K*, const V*>> entries;
  entries.reserve(m.size());
  m.range([&](const K& k, V& v) { entries.emplace_back(&k, &v); });
  std::stable_sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) {
    return fmt::compare(*a.first, *b.first) < 0;
  });
  std::string out = "map[";
  bool first = true;
  for (const auto& [k, v] : entries) {
    if (!first) out += ' ';
    first = false;
    fmt::append_value(out, *k);
    out += ':';
    fmt::append_value(out, *v);
  }
  out += ']';
  return out;
}

template <class K, class V, class H, class E>
std::ostream& operator<<(std::ostream& os, const Map<K, V, H, E>& m) {
  return os << to_string(m);
}

}  // namespace gomap
