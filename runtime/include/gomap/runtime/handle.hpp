// The map handle, written once for every engine.
//
// A gomap map is a handle with Go's reference semantics: copying it copies
// the reference, and both copies see the same entries; a default-constructed
// handle is Go's nil map (reads see nothing, writes panic).  Everything a
// user touches — construction, reads, writes, the `m[k]` proxy and compound
// assignment, iteration, printing, the maps:: functions — lives here and in
// fmt.hpp / maps.hpp, against a small engine interface:
//
//   Engine::makemap(hint, hash, eq) -> Engine*   (reference count 1)
//   retain(), release()                          the handle's reference
//   len()                                        number of entries
//   access(key) -> slot    (slot: explicit bool, key(), elem())   a checked read
//   assign(key, make_elem) -> {assigned<V>, inserted}   make_elem(elem_slot*) builds a new value
//   erase(key), clear(), reserve(n)
//   might_relocate(p)      could the next write's growth work move *p?
//   hasher, eq             the map's function objects
//   stats()                Engine::stats_type
//   Engine::iterator       constructible from Engine*; key(), elem(), next(), done()
//   Engine::maptype        the type facts (maptype.hpp)
//
// A new engine supplies those and declares its handle as
//   class SwissMap : public map_handle<swiss_engine<...>, SwissMap<...>> { using base::base; };
#pragma once

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <iosfwd>
#include <iterator>
#include <memory>
#include <string>
#include <type_traits>
#include <utility>

#include "gomap/detect/guard.hpp"
#include "gomap/fmt.hpp"
#include "gomap/panic.hpp"
#include "gomap/runtime/ref.hpp"

namespace gomap {

namespace runtime {
struct map_access;

// Go evaluates every operand before a map write starts; in C++ an operand may
// be a reference into the map itself (`m.set(k, m2v)` with a value read from
// the same map, `m.erase(k)` with k from a loop over it), and the growth work
// of that very write could move the object it refers to.  This is the one
// place that decides: f(x) is called with x itself, or with a copy of x when
// x lives where the next write could relocate it.  Small trivially copyable
// operands are always copied: that is free, and immune to aliasing.
template <class Engine, class T, class F>
decltype(auto) with_stable_operand(const Engine& h, T&& x, F&& f) {
  using U = std::remove_cvref_t<T>;
  if constexpr (std::is_array_v<U>) {
    return f(std::forward<T>(x));  // a literal ("key"): never inside a map
    // NOLINTNEXTLINE(bugprone-sizeof-expression): U may be a pointer type
  } else if constexpr (std::is_trivially_copyable_v<U> && sizeof(U) <= 16) {
    U copy(x);
    return f(std::move(copy));
  } else {
    if constexpr (std::is_copy_constructible_v<U>) {
      if (h.might_relocate(std::addressof(x))) {
        U copy(std::as_const(x));
        return f(std::move(copy));
      }
    }
    return f(std::forward<T>(x));
  }
}
}  // namespace runtime

template <class H, class E>
inline constexpr bool transparent_v = requires {
  typename H::is_transparent;
}
&&requires {
  typename E::is_transparent;
};

template <class Engine, class Derived>
class map_handle {
  using maptype = typename Engine::maptype;
  using K = typename maptype::key_type;
  using V = typename maptype::elem_type;
  using Hash = typename maptype::hasher;
  using Eq = typename maptype::key_equal;
  using policy = typename maptype::policy;
  using elem_slot = typename maptype::elem_slot;

  // A lookup key: passed through when Hash and Eq are transparent (or it
  // already is a K), else converted to K once.
  template <class Q>
  static decltype(auto) lookup_key(const Q& k) {
    if constexpr (std::is_same_v<Q, K> || transparent_v<Hash, Eq>)
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
  using engine_type = Engine;
  using gomap_handle_tag = void;  // fmt and maps:: recognise handles by this

  // ---------------------------------------------------------------- handles
  map_handle() noexcept = default;  // var m map[K]V: nil
  map_handle(std::nullptr_t) noexcept {}
  // map[K]V{k1: v1, k2: v2}: non-nil; a repeated key: the last one wins.
  map_handle(std::initializer_list<std::pair<K, V>> init, Hash h = Hash{}, Eq e = Eq{})
      : h_(runtime::ref<Engine>::adopt(
            Engine::makemap(static_cast<std::int64_t>(init.size()), std::move(h), std::move(e)))) {
    for (const auto& kv : init) set(kv.first, kv.second);
  }
  Derived& operator=(std::nullptr_t) noexcept {
    h_.reset();
    return self();
  }

  // make(map[K]V, hint)
  static Derived make(std::int64_t hint = 0, Hash h = Hash{}, Eq e = Eq{}) {
    Derived m;
    m.h_ = runtime::ref<Engine>::adopt(Engine::makemap(hint, std::move(h), std::move(e)));
    return m;
  }

  // The map's hasher and key equality (defaults for a nil map).
  Hash hash_function() const { return h_ ? h_->hasher : Hash{}; }
  Eq key_eq() const { return h_ ? h_->eq : Eq{}; }

  // Does p point into this map's cells, where the growth work of the next
  // write could move it?  (Used to copy such operands before writing.)
  bool refers_into(const void* p) const noexcept { return h_ && h_->might_relocate(p); }

  bool is_nil() const noexcept { return !h_; }
  // Maps compare by identity only (Go: maps are comparable only to nil).
  friend bool operator==(const Derived& a, const Derived& b) noexcept { return a.h_ == b.h_; }
  friend bool operator==(const Derived& a, std::nullptr_t) noexcept { return a.is_nil(); }
  void swap(Derived& o) noexcept { h_.swap(o.h_); }
  friend void swap(Derived& a, Derived& b) noexcept { a.swap(b); }

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
    if (!h_) return nullptr;
    auto s = h_->access(lookup_key(k));
    if (!s) return nullptr;
    V* p = &s.elem();
    GOMAP_ASSUME(p != nullptr);  // so a caller's `if (p)` folds into the lookup's branch
    return p;
  }

  // len(m)
  size_type size() const noexcept { return h_ ? static_cast<size_type>(h_->len()) : 0; }
  bool empty() const noexcept { return size() == 0; }

  // ----------------------------------------------------------------- writes
  // m[k] = v
  template <class KArg, class VArg>
  requires std::is_constructible_v<K, KArg&&> && std::is_constructible_v<V, VArg&&>
  void set(KArg&& k, VArg&& v) const {
    Engine& h = writable();
    if constexpr (!std::is_same_v<std::remove_cvref_t<VArg>, V>) {
      // Go evaluates the right-hand side before assigning: build the V now,
      // before growth work could move what a view (string_view, ...) sees.
      set(std::forward<KArg>(k), V(std::forward<VArg>(v)));
    } else {
      runtime::with_stable_operand(h, std::forward<VArg>(v), [&](auto&& sv) {
        using SV = decltype(sv);
        auto [s, inserted] = assign(h, std::forward<KArg>(k), [&](elem_slot* where) {
          policy::template construct<V>(where, std::forward<SV>(sv));
        });
        if (!inserted) s.elem() = std::forward<SV>(sv);
      });
    }
  }

  // m[k] op= d, m[k]++: Go's semantics — a missing key reads as the zero
  // value, then assigns.  If op throws, a new key is not inserted.
  template <class KArg, class Op>
  V& update(KArg&& k, Op&& op) const {
    Engine& h = writable();
    auto [s, inserted] = assign(h, std::forward<KArg>(k), [&](elem_slot* where) {
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
    if (!h_) return;
    runtime::with_stable_operand(*h_, lookup_key(k), [&](const auto& key) { h_->erase(key); });
  }

  // clear(m), Go 1.21: every entry goes, NaN keys included; running loops
  // produce nothing more; a no-op on nil.
  void clear() const {
    if (h_) h_->clear();
  }

  // Like a late make hint: grows so that n entries fit without growth.
  void reserve(std::int64_t n) const { writable().reserve(n); }

  // Rebuild at the size a fresh map gets for len(m) entries, keeping the
  // handle, the seed and the guarantees of a loop in progress; never
  // automatic (beyond Go: golang/go#20135).  A no-op on nil.
  void shrink_to_fit() const {
    if (h_) h_->shrink_to_fit();
  }

  // ------------------------------------------------------------ operator[]
  template <class Q>
  class reference;
  template <class T>
  static constexpr bool is_reference_v = requires {
    typename T::is_gomap_map_reference;
  };
  template <class Q>
  reference<Q> operator[](const Q& k) const {
    return reference<Q>(self(), k);
  }
  reference<K> operator[](const K& k) const { return reference<K>(self(), k); }

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
    friend class map_handle;
    explicit iterator(Engine* h) : it_(h) {}
    typename Engine::iterator it_;
  };

  // for k, v := range m — a fresh random start on every loop.
  iterator begin() const { return iterator(h_.get()); }
  std::default_sentinel_t end() const noexcept { return {}; }

  // m.range(f): f(const K&, V&) returns false to stop (or void).
  template <class F>
  void range(F&& f) const {
    for (typename Engine::iterator it(h_.get()); !it.done(); it.next()) {
      if constexpr (std::is_void_v<std::invoke_result_t<F&, const K&, V&>>) {
        f(std::as_const(*it.key()), *it.elem());
      } else {
        if (!f(std::as_const(*it.key()), *it.elem())) return;
      }
    }
  }

  // ---------------------------------------------------------- introspection
  typename Engine::stats_type stats() const noexcept {
    return h_ ? h_->stats() : typename Engine::stats_type{};
  }
  template <class F>
  void visit_buckets(F&& f) const {
    if (h_) h_->visit_buckets(f);
  }

 protected:
  // Copy, move and destruction: the ref<> member's.
  map_handle(const map_handle&) noexcept = default;
  map_handle(map_handle&&) noexcept = default;
  map_handle& operator=(const map_handle&) noexcept = default;
  map_handle& operator=(map_handle&&) noexcept = default;
  ~map_handle() = default;

 private:
  friend struct runtime::map_access;

  Derived& self() noexcept { return static_cast<Derived&>(*this); }
  const Derived& self() const noexcept { return static_cast<const Derived&>(*this); }

  Engine& writable() const {
    // mapassign on a nil map
    if (!h_) throw gomap::panic("assignment to entry in nil map");
    return *h_;
  }

  template <class KArg>
  static decltype(auto) to_key(KArg&& k) {
    if constexpr (std::is_same_v<std::remove_cvref_t<KArg>, K>)
      return std::forward<KArg>(k);
    else
      return K(std::forward<KArg>(k));
  }

  // mapassign with the key made a K and safe from growth work.
  template <class KArg, class MakeElem>
  static auto assign(Engine& h, KArg&& k, MakeElem&& make_elem) {
    return runtime::with_stable_operand(h, to_key(std::forward<KArg>(k)), [&](auto&& key) {
      return h.assign(std::forward<decltype(key)>(key), make_elem);
    });
  }

  runtime::ref<Engine> h_;
};

// m[k]: reading converts to V (a lookup, never an insertion); assigning or
// compound-assigning through it is mapassign.  A short-lived proxy: it
// refers to the map and the key, so use it within the expression that made
// it.  Q is the caller's key type (transparent lookups never build a K).
template <class Engine, class Derived>
template <class Q>
class map_handle<Engine, Derived>::reference {
 public:
  using is_gomap_map_reference = void;

  reference(const Derived& m, const Q& k) noexcept : m_(m), key_(k) {}
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

  // m[k] op= d.  The right-hand side is evaluated before the write begins, as
  // in Go (`m[a] += m[b]`): a proxy is read into a V first, a view
  // (string_view, ...) that may see into the map becomes a V, and any other
  // operand goes through with_stable_operand.
  template <class T, class Op>
  reference& compound(const T& d, Op op) {
    if constexpr (is_reference_v<T>) {
      const V rhs = d.value();
      m_.update(K(key_), [&rhs, &op](V& x) { op(x, rhs); });
    } else if constexpr (!std::is_arithmetic_v<T> && !std::is_same_v<T, V> &&
                         std::is_constructible_v<V, const T&>) {
      const V rhs(d);
      m_.update(K(key_), [&rhs, &op](V& x) { op(x, rhs); });
    } else {
      runtime::with_stable_operand(m_.writable(), d, [&](const auto& rhs) {
        m_.update(K(key_), [&rhs, &op](V& x) { op(x, rhs); });
      });
    }
    return *this;
  }
#define GOMAP_COMPOUND(op)                                   \
  template <class T>                                         \
  reference& operator op(const T& d) {                       \
    return compound(d, [](V& x, const auto& y) { x op y; }); \
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
  const Derived& m_;
  const Q& key_;
};

namespace runtime {
// The one friend for tests, fuzzers and tools: reaches the engine behind a
// handle without making internals public.
struct map_access {
  template <class E, class D>
  static E* engine(const map_handle<E, D>& m) noexcept {
    return m.h_.get();
  }
  // The debug invariant checker: "" when the map is sound, else what is wrong.
  template <class E, class D>
  static std::string check_invariants(const map_handle<E, D>& m) {
    return m.h_ ? m.h_->check_invariants() : std::string();
  }
  // Drive growth to completion (for tools that want a settled layout); a
  // no-op for engines that grow a table at once.
  template <class E, class D>
  static void finish_growth(const map_handle<E, D>& m) {
    if constexpr (requires { m.h_->finish_growth(); }) {
      if (!m.h_ || !m.h_->growing()) return;
      detect::write_scope ws(m.h_->state, m.h_.get());
      m.h_->finish_growth();
    }
  }
};
}  // namespace runtime

// len(m), clear(m)
template <class E, class D>
std::size_t len(const map_handle<E, D>& m) noexcept {
  return m.size();
}
template <class E, class D>
void clear(const map_handle<E, D>& m) {
  m.clear();
}

// fmt.Sprint(m): map[k1:v1 k2:v2] with keys in fmt's sorted order.
template <class E, class D>
std::string to_string(const map_handle<E, D>& m) {
  return fmt::sprint_map(m);
}
template <class E, class D>
std::ostream& operator<<(std::ostream& os, const map_handle<E, D>& m) {
  return os << to_string(m);
}

}  // namespace gomap
