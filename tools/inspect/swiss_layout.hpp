// tools/inspect/swiss_layout.hpp — the text view of a live gomap::SwissMap:
// the directory, each table, each group's control bytes and tombstones.
//
// Control bytes are drawn as Go's table_debug.go dump does, one character
// pair per slot: `..` empty, `xx` deleted (a tombstone), else the slot's H2
// (the low 7 bits of its key's hash) in hex.  Read-only: drawing a map never
// changes it (the visitor takes const tables).
#pragma once

#include <cstdint>
#include <cstdio>
#include <map>
#include <string>

#include "gomap/swiss_map.hpp"

namespace gomap::inspect {

// One control byte as two characters.
inline std::string swiss_ctrl_text(std::uint8_t c) {
  namespace sw = gomap::runtime::swiss;
  if (c == sw::ctrl_empty) return "..";
  if (c == sw::ctrl_deleted) return "xx";
  char buf[3];
  std::snprintf(buf, sizeof buf, "%02x", c);
  return buf;
}

// The whole map; tables with more than max_groups groups show their first
// max_groups (the header line still counts every slot).
template <class K, class V, class H, class E>
std::string render_swiss_text(const gomap::SwissMap<K, V, H, E>& m, std::size_t max_groups = 16) {
  std::string out;
  if (m.is_nil()) return "SwissMap: nil\n";
  const gomap::SwissStats s = m.stats();
  out += "SwissMap: len " + std::to_string(s.count) + ", " +
         (s.small ? std::string("small (one group, no table)")
                  : "global depth " + std::to_string(s.global_depth) + ", directory of " +
                        std::to_string(s.dir_len) + ", " + std::to_string(s.tables) + " table(s)") +
         ", capacity " + std::to_string(s.capacity) + ", tombstones " +
         std::to_string(s.tombstones) + ", " + std::to_string(s.bytes) + " bytes\n";
  const auto* engine = gomap::runtime::map_access::engine(m);
  if (!s.small) {
    // Directory entries that share a table are drawn as one range.
    out += "directory:";
    std::map<const void*, int> ids;
    for (std::uint64_t i = 0; i < engine->dir->len;) {
      const auto* t = engine->dir->at(i);
      const std::uint64_t span = std::uint64_t{1} << (engine->dir->global_depth - t->local_depth);
      const int id = static_cast<int>(ids.emplace(t, static_cast<int>(ids.size())).first->second);
      out += " [" + std::to_string(i) + (span > 1 ? ".." + std::to_string(i + span - 1) : "") +
             "]=T" + std::to_string(id);
      i += span;
    }
    out += "\n";
  }
  int n = 0;
  engine->visit_tables([&](std::int64_t index, const auto& t) {
    if (index >= 0) {
      out += "T" + std::to_string(n++) + ": index " + std::to_string(index) + ", local depth " +
             std::to_string(t.local_depth) + ", capacity " + std::to_string(t.capacity) +
             ", used " + std::to_string(t.used) + ", growth left " + std::to_string(t.growth_left) +
             ", tombstones " + std::to_string(t.tombstones()) + "\n";
    } else {
      out += "small group:\n";
    }
    const std::uint64_t groups = t.length_mask + 1;
    for (std::uint64_t g = 0; g < groups && g < max_groups; ++g) {
      out += "  g" + std::to_string(g) + ":";
      for (std::size_t i = 0; i < gomap::runtime::swiss::group_slots; ++i)
        out += " " + swiss_ctrl_text(t.group_at(g).ctrls().get(i));
      out += "\n";
    }
    if (groups > max_groups)
      out += "  ... " + std::to_string(groups - max_groups) + " more groups\n";
  });
  return out;
}

}  // namespace gomap::inspect
