// gomap_oracle_replay: replays a gomap oracle trace on one of gomap's map
// engines and prints one result line per operation, exactly as
// tests/oracle/go/main.go does on Go's runtime map (format: docs/oracle.md).
// Public API only.
//
//   gomap_oracle_replay [--engine NAME] [TRACE]   (standard input without TRACE)
//   gomap_oracle_replay --list-engines
//
// The engines are the table `engines` at the end of this file (default: the
// first, `map`, gomap::Map); a new map class with Map's API joins with one line.
//
// Where the API offers several spellings of one Go operation (m.get(k) and
// m[k], m.size() and gomap::len(m), std::string and std::string_view keys...),
// the spelling alternates with the trace line number so each one is compared.
#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <exception>
#include <fstream>
#include <iostream>
#include <limits>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <utility>
#include <vector>

#include <gomap/map.hpp>
#include <gomap/maps.hpp>
#include <gomap/swiss_map.hpp>

namespace {

using std::int64_t;
constexpr int nslots = 4;

struct bad_trace {
  std::string why;
};

int64_t parse_int(std::string_view s) {
  int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || p != s.data() + s.size())
    throw bad_trace{"bad integer `" + std::string(s) + "`"};
  return v;
}

// strconv.FormatFloat(f, 'g', -1, 64): the shortest digits that round-trip,
// in %e form when the exponent is < -4 or >= 6 (Go's eprec for shortest), else %f.
std::string go_format_float(double f) {
  if (std::isnan(f)) return "NaN";
  if (std::isinf(f)) return f > 0 ? "+Inf" : "-Inf";
  if (f == 0) return std::signbit(f) ? "-0" : "0";
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, f, std::chars_format::scientific);
  std::string_view sci(buf, static_cast<std::size_t>(r.ptr - buf));  // -d.ddde+XX
  std::string out;
  if (sci.front() == '-') {
    out += '-';
    sci.remove_prefix(1);
  }
  const auto e = sci.find('e');
  std::string digits;
  for (char c : sci.substr(0, e))
    if (c != '.') digits += c;
  const int exp =
      static_cast<int>(parse_int(sci[e + 1] == '+' ? sci.substr(e + 2) : sci.substr(e + 1)));
  const int nd = static_cast<int>(digits.size());
  if (exp < -4 || exp >= 6) {
    out += digits[0];
    if (nd > 1) out += "." + digits.substr(1);
    out += exp < 0 ? "e-" : "e+";
    const int ax = exp < 0 ? -exp : exp;
    if (ax < 10) out += '0';
    out += std::to_string(ax);
    return out;
  }
  const int dp = exp + 1;  // digits before the decimal point
  if (dp <= 0) return out + "0." + std::string(static_cast<std::size_t>(-dp), '0') + digits;
  if (dp >= nd) return out + digits + std::string(static_cast<std::size_t>(dp - nd), '0');
  return out + digits.substr(0, static_cast<std::size_t>(dp)) + "." +
         digits.substr(static_cast<std::size_t>(dp));
}

// Key types: parse and print trace tokens, fmt's order, NaN-ness.
template <class K>
struct key_ops;

template <>
struct key_ops<int64_t> {
  static int64_t parse(std::string_view s) { return parse_int(s); }
  static std::string format(int64_t k) { return std::to_string(k); }
  static bool less(int64_t a, int64_t b) { return a < b; }
  static bool is_nan(int64_t) { return false; }
};

template <>
struct key_ops<double> {
  static double parse(std::string_view s) {
    if (s == "NaN") return std::numeric_limits<double>::quiet_NaN();
    if (s == "+Inf") return std::numeric_limits<double>::infinity();
    if (s == "-Inf") return -std::numeric_limits<double>::infinity();
    double v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc{} || p != s.data() + s.size())
      throw bad_trace{"bad float `" + std::string(s) + "`"};
    return v;
  }
  static std::string format(double k) { return go_format_float(k); }
  static bool less(double a, double b) { return a < b || (std::isnan(a) && !std::isnan(b)); }
  static bool is_nan(double k) { return std::isnan(k); }
};

template <>
struct key_ops<std::string> {
  static std::string parse(std::string_view s) {
    if (s.empty() || s[0] != 'x' || s.size() % 2 != 1) throw bad_trace{"string keys are x<hex>"};
    std::string out;
    for (std::size_t i = 1; i < s.size(); i += 2) {
      unsigned b = 0;
      auto [p, ec] = std::from_chars(s.data() + i, s.data() + i + 2, b, 16);
      if (ec != std::errc{} || p != s.data() + i + 2)
        throw bad_trace{"bad hex in `" + std::string(s) + "`"};
      out += static_cast<char>(b);
    }
    return out;
  }
  static std::string format(const std::string& k) {
    static constexpr char hex[] = "0123456789abcdef";
    std::string out = "x";
    for (unsigned char c : k) {
      out += hex[c >> 4];
      out += hex[c & 15];
    }
    return out;
  }
  static bool less(const std::string& a, const std::string& b) { return a < b; }  // bytewise
  static bool is_nan(const std::string&) { return false; }
};

template <class K>
struct entry {
  K k;
  int64_t v;
};

// Map's stats() is bucket-level (MapStats), SwissMap's table-level
// (SwissStats); each reports the states its design has.
template <class M>
concept has_stats = requires(const M& m) {
  m.stats().same_size_grow;
};
template <class M>
concept has_swiss_stats = requires(const M& m) {
  m.stats().global_depth;
};

// Which of Go's map states the trace reached (gomap's stats(), not compared
// with Go): printed on stderr as `coverage name=count ...` when the
// environment variable GOMAP_ORACLE_COVERAGE is set; oracle.py sums them.
struct coverage {
  long ops_growing = 0;         // ops after which a map was doubling
  long ops_same_size_grow = 0;  // ops after which a map was growing at the same size
  long ops_overflow = 0;        // ops after which a map had overflow buckets
  long miter_started_growing = 0;
  long miter_grew_inside = 0;  // the map started a growth during the loop
  long miter_nonempty = 0;
  unsigned max_B = 0;
  long ops_tables = 0;      // SwissMap: ops after which a map had a directory of tables
  long ops_split = 0;       // SwissMap: ... more than one table (a split happened)
  long ops_tombstones = 0;  // SwissMap: ... tombstones
  unsigned max_global_depth = 0;

  template <class M>
  void sample(const M& m) {
    if (m.is_nil()) return;
    if constexpr (has_stats<M>) {
      const auto st = m.stats();
      ops_growing += st.growing && !st.same_size_grow;
      ops_same_size_grow += st.same_size_grow;
      ops_overflow += st.overflow_buckets > 0;
      max_B = std::max(max_B, static_cast<unsigned>(st.B));
    } else if constexpr (has_swiss_stats<M>) {
      const auto st = m.stats();
      ops_tables += !st.small;
      ops_split += st.tables > 1;
      ops_tombstones += st.tombstones > 0;
      max_global_depth = std::max(max_global_depth, static_cast<unsigned>(st.global_depth));
    }
  }
  void print() const {
    std::cerr << "coverage ops_growing=" << ops_growing
              << " ops_same_size_grow=" << ops_same_size_grow << " ops_overflow=" << ops_overflow
              << " miter_nonempty=" << miter_nonempty
              << " miter_started_growing=" << miter_started_growing
              << " miter_grew_inside=" << miter_grew_inside << " max_B=" << max_B
              << " ops_tables=" << ops_tables << " ops_split=" << ops_split
              << " ops_tombstones=" << ops_tombstones << " max_global_depth=" << max_global_depth
              << "\n";
  }
};

template <template <class...> class Engine, class K>
class replayer {
 public:
  coverage cov;

  // After each op, the map it named (stats() walks the buckets: big maps now and then).
  void sample(std::string_view slot_text, long line) {
    if (slot_text.empty() || slot_text[0] < '0' || slot_text[0] >= '0' + nslots) return;
    const map& m = slots_[static_cast<std::size_t>(slot_text[0] - '0')];
    if (m.size() <= 512 || line % 16 == 0) cov.sample(m);
  }

  using map = Engine<K, int64_t>;
  using ko = key_ops<K>;

  std::string op(const std::vector<std::string_view>& f, long line) {
    line_ = line;
    const std::string_view name = f[0];
    auto need = [&](std::size_t n) {
      if (f.size() != n + 1)
        throw bad_trace{std::string(name) + " takes " + std::to_string(n) + " arguments"};
    };
    const bool alt = line % 2 == 1;  // which spelling of the operation to use
    if (name == "make") {
      need(2);
      slot_ref(f[1]) = map::make(parse_int(f[2]));
      return "make ok";
    }
    if (name == "nil") {
      need(1);
      slot_ref(f[1]) = map{};
      return "nil ok";
    }
    if (name == "lit") return lit(f);
    if (name == "alias") {
      need(2);
      slot_ref(f[1]) = slot(f[2]);
      return "alias ok";
    }
    if (name == "swap") {
      need(2);
      slot_ref(f[1]).swap(slot_ref(f[2]));
      return "swap ok";
    }
    if (name == "clone") {
      need(2);
      slot_ref(f[1]) = gomap::maps::clone(slot(f[2]));
      return "clone ok";
    }
    if (name == "copy") {
      need(2);
      map& dst = slot_ref(f[1]);
      const map& src = slot(f[2]);
      return "copy " + ok_or_panic([&] { gomap::maps::copy(dst, src); });
    }
    if (name == "isnil") {
      need(1);
      const map& m = slot(f[1]);
      return std::string("isnil ") + bool_text(alt ? m == nullptr : m.is_nil());
    }
    if (name == "set") {
      need(3);
      map& m = slot_ref(f[1]);
      K k = ko::parse(f[2]);
      const int64_t v = parse_int(f[3]);
      return "set " + ok_or_panic([&] {
               if (alt)
                 m[k] = v;
               else
                 m.set(k, v);
             });
    }
    if (name == "add") {
      need(3);
      map& m = slot_ref(f[1]);
      K k = ko::parse(f[2]);
      const int64_t d = parse_int(f[3]);
      return "add " + ok_or_panic([&] {
               if (d == 1 && alt)
                 ++m[k];
               else if (d == 1)
                 m[k]++;
               else if (d == -1 && alt)
                 --m[k];
               else
                 m[k] += d;
             });
    }
    if (name == "get") {
      need(2);
      const map& m = slot(f[1]);
      const K k = ko::parse(f[2]);
      int64_t v;
      if constexpr (std::is_same_v<K, std::string>) {
        if (line % 4 == 1) {
          v = m.get(std::string_view(k));
          return "get " + std::to_string(v);
        }
      }
      if (alt)
        v = m[k];
      else
        v = m.get(k);
      return "get " + std::to_string(v);
    }
    if (name == "lookup") {
      need(2);
      const map& m = slot(f[1]);
      const K k = ko::parse(f[2]);
      if (alt) {
        const int64_t* p = m.find(k);
        return "lookup " + std::to_string(p ? *p : 0) + " " + bool_text(p != nullptr);
      }
      std::pair<int64_t, bool> r;
      if constexpr (std::is_same_v<K, std::string>)
        r = line % 4 == 0 ? m.lookup(std::string_view(k)) : m.lookup(k);
      else
        r = m.lookup(k);
      return "lookup " + std::to_string(r.first) + " " + bool_text(r.second);
    }
    if (name == "has") {
      need(2);
      const map& m = slot(f[1]);
      const K k = ko::parse(f[2]);
      if constexpr (std::is_same_v<K, std::string>)
        if (alt) return std::string("has ") + bool_text(m.contains(std::string_view(k)));
      return std::string("has ") + bool_text(m.contains(k));
    }
    if (name == "erase") {
      need(2);
      map& m = slot_ref(f[1]);
      const K k = ko::parse(f[2]);
      if constexpr (std::is_same_v<K, std::string>)
        if (alt) {
          m.erase(std::string_view(k));
          return "erase ok";
        }
      m.erase(k);
      return "erase ok";
    }
    if (name == "clear") {
      need(1);
      map& m = slot_ref(f[1]);
      if (alt)
        gomap::clear(m);
      else
        m.clear();
      return "clear ok";
    }
    if (name == "len") {
      need(1);
      const map& m = slot(f[1]);
      const auto n = alt ? static_cast<long long>(gomap::len(m)) : static_cast<long long>(m.size());
      return "len " + std::to_string(n);
    }
    if (name == "reserve") {
      need(2);
      map& m = slot_ref(f[1]);
      const int64_t n = parse_int(f[2]);
      return ok_or_panic([&] { m.reserve(n); }) == "ok" ? "reserve ok" : "reserve panic";
    }
    if (name == "iter") {
      need(1);
      std::vector<entry<K>> es;
      for (auto&& [k, v] : slot(f[1])) es.push_back({k, v});
      return "iter " + entries_text(std::move(es));
    }
    if (name == "keys") {
      need(1);
      std::vector<K> ks = gomap::maps::keys(slot(f[1]));
      std::sort(ks.begin(), ks.end(), [](const K& a, const K& b) { return ko::less(a, b); });
      std::string out = "keys " + std::to_string(ks.size());
      for (const K& k : ks) out += " " + ko::format(k);
      return out;
    }
    if (name == "values") {
      need(1);
      std::vector<int64_t> vs = gomap::maps::values(slot(f[1]));
      std::sort(vs.begin(), vs.end());
      std::string out = "values " + std::to_string(vs.size());
      for (int64_t v : vs) out += " " + std::to_string(v);
      return out;
    }
    if (name == "fmt") {
      need(1);
      const map& m = slot(f[1]);
      if (alt) {
        std::ostringstream os;
        os << m;
        return "fmt " + os.str();
      }
      return "fmt " + gomap::to_string(m);
    }
    if (name == "equal") {
      need(2);
      return std::string("equal ") + bool_text(gomap::maps::equal(slot(f[1]), slot(f[2])));
    }
    if (name == "delfunc") {
      need(2);
      const int64_t rem = parse_int(f[2]);
      gomap::maps::delete_func(
          slot_ref(f[1]), [rem](const K&, const int64_t& v) { return ((v % 3) + 3) % 3 == rem; });
      return "delfunc ok";
    }
    if (name == "miter") return miter(f);
    throw bad_trace{"unknown op `" + std::string(name) + "`"};
  }

 private:
  std::array<map, nslots> slots_{};
  long line_ = 0;

  static const char* bool_text(bool b) { return b ? "true" : "false"; }

  static int slot_index(std::string_view s) {
    const int64_t i = parse_int(s);
    if (i < 0 || i >= nslots) throw bad_trace{"bad slot `" + std::string(s) + "`"};
    return static_cast<int>(i);
  }
  map& slot_ref(std::string_view s) { return slots_[static_cast<std::size_t>(slot_index(s))]; }
  const map& slot(std::string_view s) { return slot_ref(s); }

  // A gomap::panic is Go's panic: print its message as the Go replayer does.
  template <class F>
  static std::string ok_or_panic(F&& f) {
    try {
      f();
      return "ok";
    } catch (const gomap::panic& p) {
      return std::string("panic ") + p.what();
    }
  }

  static void sort_entries(std::vector<entry<K>>& es) {
    std::sort(es.begin(), es.end(), [](const entry<K>& a, const entry<K>& b) {
      if (ko::less(a.k, b.k)) return true;
      if (ko::less(b.k, a.k)) return false;
      return a.v < b.v;  // only NaN keys tie
    });
  }

  static std::string entries_text(std::vector<entry<K>> es, bool sorted = true) {
    if (sorted) sort_entries(es);
    std::string out = std::to_string(es.size());
    for (const entry<K>& e : es) out += " " + ko::format(e.k) + ":" + std::to_string(e.v);
    return out;
  }

  static std::string map_text(const map& m) {
    std::vector<entry<K>> es;
    for (auto&& [k, v] : m) es.push_back({k, v});
    return entries_text(std::move(es));
  }

  std::string lit(const std::vector<std::string_view>& f) {
    if (f.size() < 2 || f.size() % 2 != 0) throw bad_trace{"lit takes SLOT then KEY VALUE pairs"};
    std::vector<std::pair<K, int64_t>> kv;
    for (std::size_t i = 2; i < f.size(); i += 2)
      kv.emplace_back(ko::parse(f[i]), parse_int(f[i + 1]));
    map m;
    // Map{{k, v}, ...} needs the list at compile time: spell out small sizes.
    switch (kv.size()) {
      case 0:
        m = map::make();
        break;
      case 1:
        m = map{{kv[0].first, kv[0].second}};
        break;
      case 2:
        m = map{{kv[0].first, kv[0].second}, {kv[1].first, kv[1].second}};
        break;
      case 3:
        m = map{
            {kv[0].first, kv[0].second}, {kv[1].first, kv[1].second}, {kv[2].first, kv[2].second}};
        break;
      case 4:
        m = map{{kv[0].first, kv[0].second},
                {kv[1].first, kv[1].second},
                {kv[2].first, kv[2].second},
                {kv[3].first, kv[3].second}};
        break;
      default:
        m = map::make();
        for (auto& [k, v] : kv) m.set(k, v);
    }
    slot_ref(f[1]) = m;
    return "lit ok";
  }

  struct action {
    char kind;  // '-', 'c', 'd', 's'
    K k{};
    int64_t v = 0;

    // A scheduled mutation.  A set on a nil map panics: the schedule goes on.
    void apply(map& m) const {
      switch (kind) {
        case 'c':
          m.clear();
          break;
        case 'd':
          m.erase(k);
          break;
        case 's':
          try {
            m.set(k, v);
          } catch (const gomap::panic&) {
          }
          break;
        default:
          break;
      }
    }
  };

  static action parse_action(std::string_view tok) {
    if (tok == "-") return {'-'};
    if (tok == "c") return {'c'};
    std::vector<std::string_view> p;
    for (std::size_t start = 0;;) {
      const auto comma = tok.find(',', start);
      p.push_back(tok.substr(start, comma - start));
      if (comma == std::string_view::npos) break;
      start = comma + 1;
    }
    if (p[0] == "d" && p.size() == 2) return {'d', ko::parse(p[1])};
    if (p[0] == "s" && p.size() == 3) return {'s', ko::parse(p[1]), parse_int(p[2])};
    throw bad_trace{"bad miter action `" + std::string(tok) + "`"};
  }

  // One step's actions: A or A/A/...
  static std::vector<action> parse_step(std::string_view tok) {
    std::vector<action> as;
    for (std::size_t start = 0;;) {
      const auto slash = tok.find('/', start);
      as.push_back(parse_action(tok.substr(start, slash - start)));
      if (slash == std::string_view::npos) return as;
      start = slash + 1;
    }
  }

  // miter: a loop that mutates the map as it goes (docs/oracle.md).
  std::string miter(const std::vector<std::string_view>& f) {
    if (f.size() < 6) throw bad_trace{"miter needs SLOT MODE FORM STOP ACTIONS..."};
    map& m = slot_ref(f[1]);
    std::string_view mode = f[2];
    const std::string_view form = f[3];
    if (mode != "keep" && mode != "del" && mode != "upd") throw bad_trace{"bad miter mode"};
    if (form != "for" && form != "fn") throw bad_trace{"bad miter form"};
    const int64_t stop = parse_int(f[4]);
    if (stop < 0) throw bad_trace{"bad miter stop"};
    std::vector<std::vector<action>> acts;
    // Keys named by the schedule, and keys there before the loop (NaN keys
    // never qualify; -0.0 and +0.0 are one key under <, as in Go).
    std::set<K> touched;
    for (std::size_t i = 5; i < f.size(); ++i) {
      acts.push_back(parse_step(f[i]));
      for (const action& a : acts.back())
        if ((a.kind == 'd' || a.kind == 's') && !ko::is_nan(a.k)) touched.insert(a.k);
    }
    std::set<K> initial;
    for (auto&& [k, v] : m)
      if (!ko::is_nan(k) && !touched.count(k)) initial.insert(k);
    if (stop > 0) mode = "keep";
    std::string before = map_text(m);
    std::vector<entry<K>> seen;
    std::size_t next = 0;
    struct shape {
      unsigned B = 0;
      bool growing = false;
    };
    auto shape_of = [](const map& mm) {
      if constexpr (has_stats<map>) {
        const auto st = mm.stats();
        return shape{static_cast<unsigned>(st.B), static_cast<bool>(st.growing)};
      } else {
        return shape{};
      }
    };
    const shape st0 = shape_of(m);
    bool grew = false;
    // One loop step; false ends the loop.
    auto body = [&](const K& kref, int64_t& vref) -> bool {
      // k and v are references into the map: copy them before mutating it.
      // NOLINTNEXTLINE(performance-unnecessary-copy-initialization)
      const K k = kref;
      const int64_t v = vref;
      seen.push_back({k, v});
      if (!ko::is_nan(k) && initial.count(k)) {
        if (mode == "del")
          m.erase(k);
        else if (mode == "upd")
          m.set(k, v + 1);
      }
      if (next < acts.size())
        for (const action& a : acts[next++]) a.apply(m);
      // stats() walks the buckets: sample small maps at every step, big ones now and then.
      if (st0.B <= 6 || seen.size() % 64 == 0) {
        const shape st = shape_of(m);
        grew = grew || st.B != st0.B || (st.growing && !st0.growing);
      }
      return !(stop > 0 && static_cast<int64_t>(seen.size()) == stop);
    };
    if (form == "for") {
      for (auto&& [k, v] : m)
        if (!body(k, v)) break;
    } else {
      m.range([&](const K& k, int64_t& v) -> bool { return body(k, v); });
    }
    cov.miter_nonempty += !seen.empty();
    cov.miter_started_growing += st0.growing;
    cov.miter_grew_inside += grew;
    for (; next < acts.size(); ++next)
      for (const action& a : acts[next]) a.apply(m);
    return "miter " + before + " | " + entries_text(std::move(seen), false) + " | " + map_text(m);
  }
};

template <template <class...> class Engine, class K>
int run(std::istream& in, long line) {
  replayer<Engine, K> r;
  std::string text;
  std::string out;
  while (std::getline(in, text)) {
    ++line;
    if (text.empty() || text[0] == '#') continue;
    std::vector<std::string_view> f;
    std::string_view s(text);
    for (std::size_t i = 0; i < s.size();) {
      while (i < s.size() && s[i] == ' ') ++i;
      std::size_t j = i;
      while (j < s.size() && s[j] != ' ') ++j;
      if (j > i) f.push_back(s.substr(i, j - i));
      i = j;
    }
    if (f.empty()) continue;
    try {
      out = r.op(f, line);
    } catch (const bad_trace& e) {
      std::cout.flush();
      std::cerr << "gomap_oracle_replay: line " << line << ": " << e.why << "\n";
      return 2;
    } catch (const std::exception& e) {
      out = std::string(f[0]) + " exception " + e.what();  // never expected: shows as a mismatch
    }
    std::cout << out << '\n';
    if (f.size() > 1) r.sample(f[1], line);
  }
  if (std::getenv("GOMAP_ORACLE_COVERAGE")) r.cov.print();
  return 0;
}

// A trace of one key type on one engine.
template <template <class...> class Engine>
int run_keytype(std::istream& in, long line, const std::string& keytype) {
  if (keytype == "int64") return run<Engine, std::int64_t>(in, line);
  if (keytype == "float64") return run<Engine, double>(in, line);
  if (keytype == "string") return run<Engine, std::string>(in, line);
  std::cerr << "gomap_oracle_replay: unknown key type " << keytype << "\n";
  return 2;
}

// The engines under test, by the name --engine and oracle.py's --engines take.
struct engine {
  std::string_view name;
  int (*run)(std::istream&, long, const std::string&);
};
constexpr std::array engines{
    engine{"map", run_keytype<gomap::Map>},
    engine{"swiss", run_keytype<gomap::SwissMap>},
};

}  // namespace

int main(int argc, char** argv) {
  std::ios::sync_with_stdio(false);
  const engine* e = &engines.front();
  const char* path = nullptr;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--list-engines") {
      for (const engine& x : engines) std::cout << x.name << "\n";
      return 0;
    }
    if (arg == "--engine" && i + 1 < argc) {
      const std::string_view want = argv[++i];
      e = nullptr;
      for (const engine& x : engines)
        if (x.name == want) e = &x;
      if (e == nullptr) {
        std::cerr << "gomap_oracle_replay: unknown engine " << want << " (--list-engines)\n";
        return 2;
      }
    } else if (path == nullptr && !arg.starts_with("--")) {
      path = argv[i];
    } else {
      std::cerr << "usage: gomap_oracle_replay [--engine NAME] [TRACE] | --list-engines\n";
      return 2;
    }
  }
  std::ifstream file;
  if (path != nullptr) {
    file.open(path, std::ios::binary);
    if (!file) {
      std::cerr << "gomap_oracle_replay: cannot open " << path << "\n";
      return 2;
    }
  }
  std::istream& in = path != nullptr ? static_cast<std::istream&>(file) : std::cin;
  std::string text;
  long line = 0;
  while (std::getline(in, text)) {
    ++line;
    if (text.empty() || text[0] == '#') continue;
    std::istringstream hs(text);
    std::string magic, version, keytype;
    hs >> magic >> version >> keytype;
    if (magic != "gomap-trace" || version != "1") break;
    return e->run(in, line, keytype);
  }
  std::cerr << "gomap_oracle_replay: expected header `gomap-trace 1 KEYTYPE`\n";
  return 2;
}
