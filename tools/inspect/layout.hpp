// tools/inspect/layout.hpp — gomap::inspect: draw a live gomap::Map.
//
// People learn Go's map from diagrams of hmap, buckets, tophash bytes and
// overflow chains; this header draws the real thing.  It uses only the public
// introspection surface of gomap::Map (stats() and visit_buckets()), so it
// works for any key and value type and does not depend on runtime internals.
//
//   auto snap = gomap::inspect::snapshot(m);       // copy the layout once
//   std::cout << gomap::inspect::render_text(snap);
//   std::ofstream("map.svg") << gomap::inspect::render_svg(snap);
//
// A Snapshot is plain data (no reference to the map), so a tool can keep one
// per operation and draw a growth as a sequence of pictures.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "gomap/map.hpp"

namespace gomap::inspect {

inline constexpr std::size_t slots_per_bucket = BucketView::slots;  // Go's bucketCnt

// States and their Go names come from the engine (<gomap/map_stats.hpp>).
using gomap::SlotState;
using gomap::state_name;

// One slot as drawn: its raw tophash byte and its decoded state.
struct Slot {
  std::uint8_t tophash = 0;
  SlotState state = SlotState::empty_rest;
};

// One main bucket and its overflow chain.
struct Chain {
  std::uint64_t index = 0;
  bool evacuated = false;  // Go's evacuated(b) of the main bucket (old array only)
  std::vector<std::array<Slot, slots_per_bucket>> buckets;  // [0] main, then overflow

  std::size_t count(SlotState s) const noexcept {
    std::size_t n = 0;
    for (const auto& b : buckets)
      for (const Slot& t : b) n += t.state == s;
    return n;
  }
};

// The whole layout at one moment.
struct Snapshot {
  bool nil = false;
  MapStats stats;
  std::vector<Chain> current;  // 2^B chains (empty if no array is allocated yet)
  std::vector<Chain> old;      // non-empty only while growing
  std::string caption;         // what just happened (step mode), may be empty

  double load_factor() const noexcept {
    return stats.bucket_count ? static_cast<double>(stats.count) / stats.bucket_count : 0.0;
  }
  std::size_t bucket_total() const noexcept {
    std::size_t n = 0;
    for (const auto* a : {&current, &old})
      for (const Chain& c : *a) n += c.buckets.size();
    return n;
  }
};

template <class K, class V, class H, class E>
Snapshot snapshot(const Map<K, V, H, E>& m, std::string caption = {}) {
  Snapshot s;
  s.caption = std::move(caption);
  s.nil = m.is_nil();
  s.stats = m.stats();
  m.visit_buckets([&](const BucketView& b) {
    std::vector<Chain>& arr = b.old ? s.old : s.current;
    if (b.chain_pos == 0) {
      arr.push_back(Chain{b.index, b.old && b.evacuated, {}});
    }
    std::array<Slot, slots_per_bucket> slots{};
    for (std::size_t j = 0; j < slots_per_bucket; ++j) slots[j] = Slot{b.tophash[j], b.state[j]};
    arr.back().buckets.push_back(slots);
  });
  return s;
}

namespace detail {

inline std::string format(const char* fmt, auto... args) {
  const int n = std::snprintf(nullptr, 0, fmt, args...);
  if (n <= 0) return {};
  std::string out(static_cast<std::size_t>(n) + 1, '\0');
  std::snprintf(out.data(), out.size(), fmt, args...);
  out.pop_back();
  return out;
}

// Two characters per slot in the text view.
inline std::string slot_text(const Slot& slot) {
  switch (slot.state) {
    case SlotState::empty_rest:
      return "__";
    case SlotState::empty_one:
      return "--";
    case SlotState::evacuated_x:
      return "eX";
    case SlotState::evacuated_y:
      return "eY";
    case SlotState::evacuated_empty:
      return "e_";
    case SlotState::filled:
      return format("%02x", slot.tophash);
  }
  return "??";
}

inline std::uint64_t old_bucket_count(const MapStats& s) noexcept {
  if (!s.growing) return 0;
  return s.same_size_grow ? s.bucket_count : s.bucket_count / 2;
}

}  // namespace detail

// ------------------------------------------------------------------ text
inline std::string render_text(const Snapshot& s) {
  using detail::format;
  std::string out;
  if (!s.caption.empty()) out += "# " + s.caption + "\n";
  if (s.nil) return out + "nil map\n";
  const MapStats& st = s.stats;
  out += format("B=%u buckets=%llu count=%llu load=%.2f (grows above 6.50)\n", unsigned{st.B},
                static_cast<unsigned long long>(st.bucket_count),
                static_cast<unsigned long long>(st.count), s.load_factor());
  out += format("overflow buckets=%llu (noverflow=%u) bytes=%llu\n",
                static_cast<unsigned long long>(st.overflow_buckets), unsigned{st.noverflow},
                static_cast<unsigned long long>(st.bytes));
  if (st.growing)
    out += format("growth: %s grow in progress, nevacuate=%llu of %llu old buckets\n",
                  st.same_size_grow ? "same-size" : "doubling",
                  static_cast<unsigned long long>(st.nevacuate),
                  static_cast<unsigned long long>(detail::old_bucket_count(st)));
  else
    out += "growth: none\n";
  out +=
      "slots: xx=tophash of a live entry  __=emptyRest  --=emptyOne  eX/eY=evacuatedX/Y  "
      "e_=evacuatedEmpty\n";
  auto array = [&](const std::vector<Chain>& arr, const char* name) {
    if (arr.empty()) {
      out += format("%s array: not allocated\n", name);
      return;
    }
    out += format("%s array (%zu buckets):\n", name, arr.size());
    for (const Chain& c : arr) {
      for (std::size_t pos = 0; pos < c.buckets.size(); ++pos) {
        if (pos == 0)
          out += format("  %s[%4llu] ", name, static_cast<unsigned long long>(c.index));
        else
          out += format("  %*s+ovf %zu ", static_cast<int>(std::string_view(name).size() + 1), "",
                        pos);
        for (std::size_t j = 0; j < slots_per_bucket; ++j) {
          out += detail::slot_text(c.buckets[pos][j]);
          out += j + 1 < slots_per_bucket ? " " : "";
        }
        if (pos == 0) {
          out += format("  chain=%zu", c.buckets.size());
          if (c.evacuated) out += " evacuated";
        }
        out += "\n";
      }
    }
  };
  array(s.current, "new");
  if (st.growing) array(s.old, "old");
  return out;
}

template <class K, class V, class H, class E>
std::string render_text(const Map<K, V, H, E>& m) {
  return render_text(snapshot(m));
}

// ------------------------------------------------------------------- SVG
// Each bucket is a column of 8 slots; its overflow chain hangs below it.
// During growth the old array is drawn left of the new one, evacuated old
// buckets greyed and ticked, and an arrow marks nevacuate.
//
// Elements (for tools and tests): one <rect class="bucket" .../> per bucket
// (main or overflow, data-array="new|old", data-index, data-chain), one
// <rect class="slot" data-state="<state name>" data-tophash="0x.."/> per slot, one
// <line class="link"/> per overflow pointer, one <rect class="evacuated"/>
// overlay per evacuated old chain.
struct SvgOptions {
  std::size_t max_buckets = 128;  // per array; the rest is summarized in a note
  std::string title = "gomap::Map layout";
};

namespace detail {

inline constexpr int slot_w = 14, slot_h = 10, pad = 2, col_gap = 6, link_gap = 8;
inline constexpr int bucket_w = slot_w + 2 * pad;
inline constexpr int bucket_h = static_cast<int>(slots_per_bucket) * slot_h + 2 * pad;

inline constexpr std::string_view state_fill(SlotState s) noexcept {
  switch (s) {
    case SlotState::empty_rest:
      return "#ffffff";
    case SlotState::empty_one:
      return "#d9d9d9";
    case SlotState::evacuated_x:
      return "#f4a261";
    case SlotState::evacuated_y:
      return "#9b5de5";
    case SlotState::evacuated_empty:
      return "#8d8d8d";
    case SlotState::filled:
      return "#2a9d8f";
  }
  return "#000000";
}

inline std::string xml_escape(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

inline int chain_depth(const std::vector<Chain>& arr, std::size_t limit) {
  std::size_t d = 1;
  for (std::size_t i = 0; i < arr.size() && i < limit; ++i) d = std::max(d, arr[i].buckets.size());
  return static_cast<int>(d);
}

// Draws one array at (x0, y0); returns its width.
inline int draw_array(std::string& out, const std::vector<Chain>& arr, const char* name, int x0,
                      int y0, const SvgOptions& opt, const MapStats& st, bool old) {
  const std::size_t shown = std::min(arr.size(), opt.max_buckets);
  out += format(
      "<text class=\"array-label\" font-weight=\"bold\" x=\"%d\" y=\"%d\">%s array: %zu "
      "buckets</text>\n",
      x0, y0 - 14, name, arr.size());
  for (std::size_t i = 0; i < shown; ++i) {
    const Chain& c = arr[i];
    const int x = x0 + static_cast<int>(i) * (bucket_w + col_gap);
    if (shown <= 64 || i % 8 == 0)
      out += format(
          "<text class=\"index\" font-size=\"8\" fill=\"#555555\" text-anchor=\"middle\" x=\"%d\" "
          "y=\"%d\">%llu</text>\n",
          x + bucket_w / 2, y0 - 1, static_cast<unsigned long long>(c.index));
    for (std::size_t pos = 0; pos < c.buckets.size(); ++pos) {
      const int y = y0 + static_cast<int>(pos) * (bucket_h + link_gap);
      if (pos > 0)
        out += format(
            "<line class=\"link\" stroke=\"#264653\" stroke-width=\"1.5\" x1=\"%d\" y1=\"%d\" "
            "x2=\"%d\" y2=\"%d\"/>\n",
            x + bucket_w / 2, y - link_gap, x + bucket_w / 2, y);
      out += format(
          "<rect class=\"bucket\" data-array=\"%s\" data-index=\"%llu\" data-chain=\"%zu\" "
          "x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#264653\"/>\n",
          name, static_cast<unsigned long long>(c.index), pos, x, y, bucket_w, bucket_h);
      for (std::size_t j = 0; j < slots_per_bucket; ++j) {
        const std::uint8_t top = c.buckets[pos][j].tophash;
        const SlotState s = c.buckets[pos][j].state;
        out += format(
            "<rect class=\"slot\" data-state=\"%s\" data-tophash=\"0x%02x\" x=\"%d\" "
            "y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\" stroke=\"#bbbbbb\" "
            "stroke-width=\"0.5\"/>\n",
            std::string(state_name(s)).c_str(), unsigned{top}, x + pad,
            y + pad + static_cast<int>(j) * slot_h, slot_w, slot_h,
            std::string(state_fill(s)).c_str());
      }
    }
    if (old && c.evacuated) {
      const int h = static_cast<int>(c.buckets.size()) * (bucket_h + link_gap) - link_gap;
      out += format(
          "<rect class=\"evacuated\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" "
          "stroke=\"#e76f51\" stroke-width=\"2\" stroke-dasharray=\"4 2\"/>\n"
          "<text class=\"tick\" fill=\"#e76f51\" text-anchor=\"middle\" x=\"%d\" "
          "y=\"%d\">&#x2713;</text>\n",
          x, y0, bucket_w, h, x + bucket_w / 2, y0 + h + 12);
    }
  }
  if (old && st.growing && st.nevacuate < shown) {
    const int x = x0 + static_cast<int>(st.nevacuate) * (bucket_w + col_gap) + bucket_w / 2;
    const int y = y0 + chain_depth(arr, shown) * (bucket_h + link_gap) + 12;
    out += format(
        "<path class=\"nevacuate\" fill=\"#e76f51\" d=\"M %d %d l -5 9 l 10 0 z\"/>\n"
        "<text class=\"note\" x=\"%d\" y=\"%d\">nevacuate=%llu</text>\n",
        x, y, x - 5, y + 20, static_cast<unsigned long long>(st.nevacuate));
  }
  int w = static_cast<int>(shown) * (bucket_w + col_gap);
  if (shown < arr.size()) {
    out += format("<text class=\"note\" x=\"%d\" y=\"%d\">&#x2026; %zu more</text>\n", x0 + w,
                  y0 + bucket_h / 2, arr.size() - shown);
    w += 70;
  }
  return std::max(w, 160);
}

}  // namespace detail

inline std::string render_svg(const Snapshot& s, const SvgOptions& opt = {}) {
  using detail::format;
  const MapStats& st = s.stats;
  const int margin = 16, top = 86, gap = 40;
  std::string body;
  int x = margin;
  int depth = 1;
  if (st.growing && !s.old.empty()) {
    x += detail::draw_array(body, s.old, "old", x, top, opt, st, true) + gap;
    depth = std::max(depth, detail::chain_depth(s.old, opt.max_buckets));
  }
  if (!s.current.empty()) {
    x += detail::draw_array(body, s.current, "new", x, top, opt, st, false);
    depth = std::max(depth, detail::chain_depth(s.current, opt.max_buckets));
  } else {
    body += format("<text class=\"note\" x=\"%d\" y=\"%d\">%s</text>\n", x, top + 20,
                   s.nil ? "nil map" : "no bucket array allocated yet");
    x += 200;
  }
  const int legend_y = top + depth * (detail::bucket_h + detail::link_gap) + 48;
  const int width = std::max(x + margin, 700);
  const int height = legend_y + 30;

  std::string out;
  out += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d "
      "%d\" font-family=\"monospace\" font-size=\"11\">\n",
      width, height, width, height);
  out +=
      "<rect class=\"background\" x=\"0\" y=\"0\" width=\"100%\" height=\"100%\" "
      "fill=\"#ffffff\"/>\n";
  out += format(
      "<text class=\"title\" font-size=\"14\" font-weight=\"bold\" x=\"%d\" y=\"20\">%s</text>\n",
      margin, detail::xml_escape(opt.title).c_str());
  std::string line = format("B=%u  count=%llu  load=%.2f  overflow buckets=%llu  ", unsigned{st.B},
                            static_cast<unsigned long long>(st.count), s.load_factor(),
                            static_cast<unsigned long long>(st.overflow_buckets));
  if (st.growing)
    line += format("%s grow: nevacuate=%llu/%llu", st.same_size_grow ? "same-size" : "doubling",
                   static_cast<unsigned long long>(st.nevacuate),
                   static_cast<unsigned long long>(detail::old_bucket_count(st)));
  else
    line += "not growing";
  out += format("<text class=\"stats\" x=\"%d\" y=\"38\">%s</text>\n", margin,
                detail::xml_escape(line).c_str());
  if (!s.caption.empty())
    out += format("<text class=\"caption\" x=\"%d\" y=\"54\">%s</text>\n", margin,
                  detail::xml_escape(s.caption).c_str());
  out += body;
  // Legend: one swatch per slot state.
  int lx = margin;
  for (SlotState k : {SlotState::filled, SlotState::empty_one, SlotState::empty_rest,
                      SlotState::evacuated_x, SlotState::evacuated_y, SlotState::evacuated_empty}) {
    out += format(
        "<rect class=\"legend\" x=\"%d\" y=\"%d\" width=\"12\" height=\"10\" fill=\"%s\" "
        "stroke=\"#888888\"/><text x=\"%d\" y=\"%d\">%s</text>\n",
        lx, legend_y, std::string(detail::state_fill(k)).c_str(), lx + 16, legend_y + 9,
        std::string(state_name(k)).c_str());
    lx += 30 + static_cast<int>(state_name(k).size()) * 7;
  }
  out += "</svg>\n";
  return out;
}

template <class K, class V, class H, class E>
std::string render_svg(const Map<K, V, H, E>& m, const SvgOptions& opt = {}) {
  return render_svg(snapshot(m), opt);
}

}  // namespace gomap::inspect
