// inspect — draw a live gomap::Map: text and SVG views of hmap, the bucket
// arrays, tophash bytes, overflow chains and evacuation (docs/inspect.md).
//
//   inspect list
//   inspect show SCENARIO [--svg FILE] [--max-buckets N]
//   inspect step SCENARIO --out DIR [--before N] [--after N] [--gif]
//   inspect swiss N [--erase M] [--max-groups G]
//
// SCENARIO is one of the built-in demos (first-growth, half-grown,
// same-size-grow, collisions) or keys:PATH (a map[string]int64 of the lines
// of PATH).  `swiss` draws a gomap::SwissMap<int64, int64> holding the keys
// 0..N-1 after erasing every other key below M (tombstones): its directory,
// tables and control bytes (swiss_layout.hpp).  Exit status: 0 on success, 1 on a bad invariant or
// I/O error, 2 on a usage error.
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

#include "layout.hpp"
#include "scenarios.hpp"
#include "swiss_layout.hpp"

namespace {

namespace fs = std::filesystem;
using gomap::inspect::Scenario;
using gomap::inspect::Snapshot;

int usage() {
  std::cerr << "usage: inspect list\n"
               "       inspect show SCENARIO [--svg FILE] [--max-buckets N]\n"
               "       inspect step SCENARIO --out DIR [--before N] [--after N] [--gif]\n"
               "       inspect swiss N [--erase M] [--max-groups G]\n"
               "SCENARIO: first-growth | half-grown | same-size-grow | collisions | keys:PATH\n";
  return 2;
}

bool write_file(const fs::path& p, const std::string& data) {
  std::ofstream out(p, std::ios::binary);
  out << data;
  out.close();
  if (!out) {
    std::cerr << "inspect: cannot write " << p << "\n";
    return false;
  }
  return true;
}

// The real ImageMagick (Debian's `imagemagick`), not some other `convert`.
bool have_imagemagick() {
  FILE* p = ::popen("convert -version 2>/dev/null", "r");
  if (!p) return false;
  char buf[256];
  std::string head;
  while (std::fgets(buf, sizeof buf, p)) head += buf;
  ::pclose(p);
  return head.find("ImageMagick") != std::string::npos;
}

bool sound(const Scenario& sc) {
  const std::string bad = sc.check_invariants();
  if (!bad.empty()) std::cerr << "inspect: invariant violated: " << bad << "\n";
  return bad.empty();
}

int show(Scenario& sc, const std::string& svg_path, std::size_t max_buckets) {
  const std::uint64_t steps = sc.run_to_moment();
  if (!sound(sc)) return 1;
  const Snapshot snap = sc.snap(std::string(sc.name()) + ": " + std::string(sc.description()) +
                                " (after " + std::to_string(steps) + " operations)");
  std::cout << gomap::inspect::render_text(snap);
  if (!svg_path.empty()) {
    gomap::inspect::SvgOptions opt;
    opt.max_buckets = max_buckets;
    opt.title = "gomap::Map — " + std::string(sc.name());
    if (!write_file(svg_path, gomap::inspect::render_svg(snap, opt))) return 1;
    std::cerr << "wrote " << svg_path << "\n";
  }
  return 0;
}

// One picture per operation: `before` operations leading to the moment, the
// moment, then each operation while the growth is still running (at most
// `after` more).
int step(Scenario& sc, const fs::path& dir, std::size_t before, std::size_t after, bool gif,
         std::size_t max_buckets) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) {
    std::cerr << "inspect: cannot create " << dir << ": " << ec.message() << "\n";
    return 1;
  }
  std::deque<Snapshot> recent;
  std::uint64_t n = 0;
  recent.push_back(sc.snap("op 0: make()"));
  while (!sc.reached()) {
    if (++n > sc.step_limit()) {
      std::cerr << "inspect: scenario did not reach its moment\n";
      return 1;
    }
    std::string what = sc.step();
    recent.push_back(sc.snap("op " + std::to_string(n) + ": " + what));
    if (recent.size() > before + 1) recent.pop_front();
  }
  if (!sound(sc)) return 1;
  std::vector<Snapshot> frames(recent.begin(), recent.end());
  for (std::size_t i = 0; i < after && sc.stats().growing; ++i) {
    std::string what = sc.step();
    frames.push_back(sc.snap("op " + std::to_string(++n) + ": " + what));
  }
  if (!sound(sc)) return 1;
  gomap::inspect::SvgOptions opt;
  opt.max_buckets = max_buckets;
  opt.title = "gomap::Map — " + std::string(sc.name());
  std::vector<std::string> files;
  for (std::size_t i = 0; i < frames.size(); ++i) {
    char name[32];
    std::snprintf(name, sizeof name, "frame-%04zu.svg", i);
    files.push_back((dir / name).string());
    if (!write_file(files.back(), gomap::inspect::render_svg(frames[i], opt))) return 1;
    std::cout << name << "  " << frames[i].caption << "\n";
  }
  std::cout << "wrote " << frames.size() << " frames to " << dir.string() << "\n";
  if (gif) {
    if (!have_imagemagick()) {
      std::cerr << "inspect: --gif needs ImageMagick's convert (apt-get install imagemagick); "
                   "skipped\n";
      return 0;
    }
    // ImageMagick's own SVG renderer (used when librsvg's rsvg-convert is
    // absent) gives up on class attributes; it gets copies without them.
    const fs::path plain = dir / "gif-frames";
    fs::create_directories(plain, ec);
    std::string cmd = "convert -delay 40 -loop 0";
    for (std::size_t i = 0; i < files.size(); ++i) {
      std::string svg = gomap::inspect::render_svg(frames[i], opt);
      for (auto p = svg.find(" class=\""); p != std::string::npos; p = svg.find(" class=\"", p))
        svg.replace(p, 8, " data-class=\"");
      const fs::path f = plain / fs::path(files[i]).filename();
      if (!write_file(f, svg)) return 1;
      cmd += " '" + f.string() + "'";
    }
    const std::string out = (dir / "growth.gif").string();
    cmd += " '" + out + "'";
    const int rc = std::system(cmd.c_str());
    fs::remove_all(plain, ec);
    if (rc != 0) {
      std::cerr << "inspect: convert failed\n";
      return 1;
    }
    std::cout << "wrote " << out << "\n";
  }
  return 0;
}

bool parse_number(std::string_view text, std::size_t& dst) {
  const std::string v(text);
  char* end = nullptr;
  dst = std::strtoull(v.c_str(), &end, 10);
  return !v.empty() && *end == '\0';
}

// inspect swiss N [--erase M] [--max-groups G]
int swiss(const std::vector<std::string_view>& args) {
  std::size_t n = 0, erase = 0, max_groups = 16;
  if (args.size() < 2 || !parse_number(args[1], n)) return usage();
  for (std::size_t i = 2; i < args.size(); ++i) {
    if (i + 1 >= args.size()) return usage();
    if (args[i] == "--erase") {
      if (!parse_number(args[++i], erase)) return usage();
    } else if (args[i] == "--max-groups") {
      if (!parse_number(args[++i], max_groups)) return usage();
    } else {
      return usage();
    }
  }
  auto m = gomap::make_swiss<std::int64_t, std::int64_t>();
  for (std::size_t k = 0; k < n; ++k) m.set(static_cast<std::int64_t>(k), 0);
  for (std::size_t k = 0; k < erase && k < n; k += 2) m.erase(static_cast<std::int64_t>(k));
  const std::string bad = gomap::runtime::map_access::check_invariants(m);
  if (!bad.empty()) {
    std::cerr << "inspect: invariant violated: " << bad << "\n";
    return 1;
  }
  std::cout << gomap::inspect::render_swiss_text(m, max_groups);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string_view> args(argv + 1, argv + argc);
  if (args.empty()) return usage();
  if (args[0] == "swiss") return swiss(args);
  if (args[0] == "list") {
    for (std::string_view n : gomap::inspect::scenario_names()) {
      auto sc = gomap::inspect::make_scenario(n);
      std::cout << n << "\t" << sc->description() << "\n";
    }
    return 0;
  }
  if ((args[0] != "show" && args[0] != "step") || args.size() < 2) return usage();
  std::unique_ptr<Scenario> sc;
  try {
    sc = gomap::inspect::make_scenario(args[1]);
  } catch (const std::exception& e) {
    std::cerr << "inspect: " << e.what() << "\n";
    return 1;
  }
  if (!sc) {
    std::cerr << "inspect: unknown scenario '" << args[1] << "'\n";
    return usage();
  }
  std::string svg, out;
  std::size_t before = 4, after = 200, max_buckets = 128;
  bool gif = false;
  for (std::size_t i = 2; i < args.size(); ++i) {
    auto value = [&]() -> std::string_view { return i + 1 < args.size() ? args[++i] : ""; };
    auto number = [&](std::size_t& dst) {
      const std::string v(value());
      char* end = nullptr;
      dst = std::strtoull(v.c_str(), &end, 10);
      return !v.empty() && *end == '\0';
    };
    if (args[i] == "--svg") {
      svg = value();
    } else if (args[i] == "--out") {
      out = value();
    } else if (args[i] == "--gif") {
      gif = true;
    } else if (args[i] == "--before") {
      if (!number(before)) return usage();
    } else if (args[i] == "--after") {
      if (!number(after)) return usage();
    } else if (args[i] == "--max-buckets") {
      if (!number(max_buckets)) return usage();
    } else {
      return usage();
    }
  }
  try {
    if (args[0] == "show") return show(*sc, svg, max_buckets);
    if (out.empty()) return usage();
    return step(*sc, out, before, after, gif, max_buckets);
  } catch (const std::exception& e) {
    std::cerr << "inspect: " << e.what() << "\n";
    return 1;
  }
}
