// tools/inspect: the layout views of a live map (layout.hpp), the built-in
// scenarios (scenarios.hpp) and the command's step mode.
#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "layout.hpp"
#include "scenarios.hpp"
#include "swiss_layout.hpp"

namespace {

namespace fs = std::filesystem;
namespace inspect = gomap::inspect;

// ---------------------------------------------------------------------------
// A small XML well-formedness checker: prolog, one root element, balanced
// and properly nested tags, quoted attributes without duplicates, no raw '<'
// or stray '&' in text or attribute values.  Returns "" or the first problem.
class xml_checker {
 public:
  explicit xml_checker(std::string_view s) : s_(s) {}

  std::string check() {
    skip_ws();
    if (s_.substr(i_, 5) == "<?xml") {
      const auto end = s_.find("?>", i_);
      if (end == std::string_view::npos) return fail("unterminated prolog");
      i_ = end + 2;
    }
    skip_ws();
    if (!element()) return error_;
    skip_ws();
    if (i_ != s_.size()) return fail("content after the root element");
    return error_;
  }

 private:
  std::string fail(const std::string& what) {
    if (error_.empty()) error_ = what + " at offset " + std::to_string(i_);
    return error_;
  }
  void skip_ws() {
    while (i_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[i_]))) ++i_;
  }
  static bool name_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == ':' ||
           c == '.';
  }
  std::string name() {
    const std::size_t start = i_;
    while (i_ < s_.size() && name_char(s_[i_])) ++i_;
    return std::string(s_.substr(start, i_ - start));
  }
  // After '&': a known entity or a character reference.
  bool entity() {
    const auto end = s_.find(';', i_);
    if (end == std::string_view::npos || end - i_ > 10) return fail("stray '&'"), false;
    const std::string_view e = s_.substr(i_ + 1, end - i_ - 1);
    const bool ok = e == "amp" || e == "lt" || e == "gt" || e == "quot" || e == "apos" ||
                    (e.size() > 1 && e[0] == '#');
    if (!ok) return fail("unknown entity"), false;
    i_ = end + 1;
    return true;
  }
  bool element() {
    if (i_ >= s_.size() || s_[i_] != '<') return fail("expected '<'"), false;
    ++i_;
    const std::string tag = name();
    if (tag.empty()) return fail("empty tag name"), false;
    std::map<std::string, bool> seen;
    for (;;) {
      skip_ws();
      if (i_ >= s_.size()) return fail("unterminated start tag"), false;
      if (s_.substr(i_, 2) == "/>") {
        i_ += 2;
        return true;
      }
      if (s_[i_] == '>') {
        ++i_;
        break;
      }
      const std::string attr = name();
      if (attr.empty()) return fail("bad attribute in <" + tag + ">"), false;
      if (seen[attr]) return fail("duplicate attribute " + attr), false;
      seen[attr] = true;
      skip_ws();
      if (i_ >= s_.size() || s_[i_] != '=') return fail("attribute without '='"), false;
      ++i_;
      skip_ws();
      if (i_ >= s_.size() || (s_[i_] != '"' && s_[i_] != '\'')) return fail("unquoted"), false;
      const char q = s_[i_++];
      while (i_ < s_.size() && s_[i_] != q) {
        if (s_[i_] == '<') return fail("'<' in attribute value"), false;
        if (s_[i_] == '&') {
          if (!entity()) return false;
        } else {
          ++i_;
        }
      }
      if (i_ >= s_.size()) return fail("unterminated attribute value"), false;
      ++i_;
    }
    // Content, then the matching end tag.
    for (;;) {
      if (i_ >= s_.size()) return fail("missing </" + tag + ">"), false;
      if (s_[i_] == '&') {
        if (!entity()) return false;
        continue;
      }
      if (s_[i_] != '<') {
        ++i_;
        continue;
      }
      if (s_.substr(i_, 4) == "<!--") {
        const auto end = s_.find("-->", i_);
        if (end == std::string_view::npos) return fail("unterminated comment"), false;
        i_ = end + 3;
        continue;
      }
      if (s_.substr(i_, 2) == "</") {
        i_ += 2;
        const std::string close = name();
        // NOLINTNEXTLINE(performance-inefficient-string-concatenation): test message
        if (close != tag) return fail("</" + close + "> closes <" + tag + ">"), false;
        skip_ws();
        if (i_ >= s_.size() || s_[i_] != '>') return fail("bad end tag"), false;
        ++i_;
        return true;
      }
      if (!element()) return false;
    }
  }

  std::string_view s_;
  std::size_t i_ = 0;
  std::string error_;
};

std::string xml_error(std::string_view s) {
  return xml_checker(s).check();
}

std::size_t count_of(std::string_view hay, std::string_view needle) {
  std::size_t n = 0;
  for (auto p = hay.find(needle); p != std::string_view::npos; p = hay.find(needle, p + 1)) ++n;
  return n;
}

std::uint64_t old_buckets(const gomap::MapStats& s) {
  if (!s.growing) return 0;
  return s.same_size_grow ? s.bucket_count : s.bucket_count / 2;
}

// Every bucket drawn once, every slot once, every live entry in exactly one
// filled slot: the counts the SVG must have for any map.
void expect_counts_match(const inspect::Snapshot& snap, const std::string& svg) {
  const gomap::MapStats& st = snap.stats;
  // make() allocates the bucket array lazily, on the first insert.
  const std::uint64_t main = snap.current.empty() ? 0 : st.bucket_count;
  const std::uint64_t buckets = main + old_buckets(st) + st.overflow_buckets;
  EXPECT_EQ(snap.bucket_total(), buckets);
  EXPECT_EQ(count_of(svg, "<rect class=\"bucket\""), buckets);
  EXPECT_EQ(count_of(svg, "<rect class=\"slot\""), buckets * inspect::slots_per_bucket);
  EXPECT_EQ(count_of(svg, "data-state=\"filled\""), st.count);
  EXPECT_EQ(count_of(svg, "<line class=\"link\""), st.overflow_buckets);
  std::size_t evacuated = 0;
  for (const inspect::Chain& c : snap.old) evacuated += c.evacuated;
  EXPECT_EQ(count_of(svg, "<rect class=\"evacuated\""), evacuated);
}

TEST(XmlChecker, RejectsMalformedDocuments) {
  EXPECT_EQ(xml_error("<a><b x=\"1\"/>t&amp;t</a>"), "");
  EXPECT_NE(xml_error("<a><b></a>"), "");
  EXPECT_NE(xml_error("<a x=1/>"), "");
  EXPECT_NE(xml_error("<a x=\"1\" x=\"2\"/>"), "");
  EXPECT_NE(xml_error("<a>1 < 2</a>"), "");
  EXPECT_NE(xml_error("<a>fish & chips</a>"), "");
  EXPECT_NE(xml_error("<a/><b/>"), "");
  EXPECT_NE(xml_error("<a>"), "");
}

// All keys share one hash, so the layout is fixed whatever the seed: every
// key in bucket 0's chain, tophash 0xab.
struct const_hash {
  std::uint64_t operator()(std::int64_t, std::uint64_t) const noexcept {
    return 0xab00000000000000ull;
  }
};
using const_map = gomap::Map<std::int64_t, std::int64_t, const_hash>;

TEST(Layout, KnownMapText) {
  auto m = gomap::make<std::int64_t, std::int64_t, const_hash>(0);
  for (std::int64_t k = 0; k < 20; ++k) m.set(k, k);
  gomap::runtime::map_access::finish_growth(m);
  const std::string text = inspect::render_text(m);
  const gomap::MapStats st = m.stats();
  ASSERT_FALSE(st.growing);
  EXPECT_NE(text.find("count=20"), std::string::npos) << text;
  EXPECT_NE(text.find("new[   0] ab ab ab ab ab ab ab ab  chain=3\n"), std::string::npos) << text;
  EXPECT_NE(text.find("+ovf 1 ab ab ab ab ab ab ab ab\n"), std::string::npos) << text;
  EXPECT_NE(text.find("+ovf 2 ab ab ab ab __ __ __ __\n"), std::string::npos) << text;
  EXPECT_NE(text.find("growth: none"), std::string::npos);
  const std::string svg = inspect::render_svg(m);
  EXPECT_EQ(xml_error(svg), "");
  EXPECT_EQ(count_of(svg, "<rect class=\"bucket\""), st.bucket_count + 2);
  EXPECT_EQ(count_of(svg, "data-array=\"new\" data-index=\"0\""), 3u);
  EXPECT_EQ(count_of(svg, "data-state=\"filled\""), 20u);
  expect_counts_match(inspect::snapshot(m), svg);
}

TEST(Layout, DeletedSlotsShowEmptyOneThenEmptyRest) {
  auto m = gomap::make<std::int64_t, std::int64_t, const_hash>(0);
  for (std::int64_t k = 0; k < 3; ++k) m.set(k, k);  // slots 0, 1, 2 of bucket 0
  m.erase(1);
  EXPECT_NE(inspect::render_text(m).find("new[   0] ab -- ab __ __ __ __ __"), std::string::npos)
      << inspect::render_text(m);
  const std::string svg = inspect::render_svg(m);
  EXPECT_EQ(count_of(svg, "data-state=\"emptyOne\""), 1u);
  m.erase(2);  // slot 2 was the last: it and slot 1 become emptyRest
  EXPECT_NE(inspect::render_text(m).find("new[   0] ab __ __ __ __ __ __ __"), std::string::npos)
      << inspect::render_text(m);
  EXPECT_EQ(count_of(inspect::render_svg(m), "data-state=\"emptyOne\""), 0u);
}

// A SwissMap with a constant hash: every key has the same H2 (the hash's low
// 7 bits: 00) and the same probe sequence, so the drawing is known exactly.
using const_swiss = gomap::SwissMap<std::int64_t, std::int64_t, const_hash>;

TEST(SwissLayout, SmallMapIsOneGroup) {
  auto m = const_swiss::make(0);
  for (std::int64_t k = 0; k < 3; ++k) m.set(k, k);
  const std::string text = inspect::render_swiss_text(m);
  EXPECT_NE(text.find("len 3, small (one group, no table)"), std::string::npos) << text;
  EXPECT_NE(text.find("  g0: 00 00 00 .. .. .. .. ..\n"), std::string::npos) << text;
  EXPECT_EQ(inspect::render_swiss_text(const_swiss()), "SwissMap: nil\n");
}

TEST(SwissLayout, TablesDirectoryAndTombstones) {
  auto m = gomap::make_swiss<std::int64_t, std::int64_t>();
  for (std::int64_t k = 0; k < 2000; ++k) m.set(k, k);
  for (std::int64_t k = 0; k < 400; k += 2) m.erase(k);
  const gomap::SwissStats st = m.stats();
  ASSERT_FALSE(st.small);
  ASSERT_GT(st.tables, 1u);
  const std::string text = inspect::render_swiss_text(m, 1'000'000);
  EXPECT_NE(text.find("directory: [0]"), std::string::npos) << text;
  EXPECT_EQ(count_of(text, ", local depth "), st.tables) << text;
  EXPECT_EQ(count_of(text, " xx"), st.tombstones) << text;
  std::size_t full = 0;
  for (std::size_t p = text.find("  g"); p != std::string::npos; p = text.find("  g", p + 1)) {
    const std::size_t colon = text.find(':', p), eol = text.find('\n', p);
    for (std::size_t c = colon + 2; c + 1 < eol; c += 3)
      full += text.compare(c, 2, "..") != 0 && text.compare(c, 2, "xx") != 0;
  }
  EXPECT_EQ(full, 1800u);
}

TEST(Layout, NilAndEmptyMaps) {
  gomap::Map<int, int> nil;
  EXPECT_EQ(inspect::render_text(nil), "nil map\n");
  const std::string svg = inspect::render_svg(nil);
  EXPECT_EQ(xml_error(svg), "");
  EXPECT_EQ(count_of(svg, "<rect class=\"bucket\""), 0u);
  auto empty = gomap::make<int, int>();
  const std::string esvg = inspect::render_svg(empty);
  EXPECT_EQ(xml_error(esvg), "");
  expect_counts_match(inspect::snapshot(empty), esvg);
  if (inspect::snapshot(empty).current.empty()) {
    EXPECT_NE(inspect::render_text(empty).find("new array: not allocated"), std::string::npos);
  }
}

TEST(Layout, CaptionAndTitleAreEscaped) {
  auto m = gomap::make<std::string, int>();
  m.set("<&>", 1);
  inspect::SvgOptions opt;
  opt.title = "a <b> & \"c\"";
  const std::string svg = inspect::render_svg(inspect::snapshot(m, "set(\"<&>\", 1)"), opt);
  EXPECT_EQ(xml_error(svg), "");
  EXPECT_NE(svg.find("a &lt;b&gt; &amp; &quot;c&quot;"), std::string::npos);
}

TEST(Layout, MaxBucketsLimitsTheDrawing) {
  auto m = gomap::make<int, int>(1000);
  for (int i = 0; i < 1000; ++i) m.set(i, i);
  gomap::runtime::map_access::finish_growth(m);
  inspect::SvgOptions opt;
  opt.max_buckets = 16;
  const std::string svg = inspect::render_svg(m, opt);
  EXPECT_EQ(xml_error(svg), "");
  EXPECT_EQ(count_of(svg, "data-chain=\"0\""), 16u);
  EXPECT_NE(svg.find(std::to_string(m.stats().bucket_count - 16) + " more"), std::string::npos);
}

// ---------------------------------------------------------------------------
// The four built-in scenarios reach their moment with a sound map, and their
// pictures are well-formed with the expected element counts.
class ScenarioTest : public testing::TestWithParam<std::string> {};

TEST_P(ScenarioTest, ReachesItsMomentAndRenders) {
  auto sc = inspect::make_scenario(GetParam());
  ASSERT_NE(sc, nullptr);
  sc->run_to_moment();
  ASSERT_EQ(sc->check_invariants(), "");
  const inspect::Snapshot snap = sc->snap("moment");
  const gomap::MapStats& st = snap.stats;
  if (GetParam() == "first-growth") {
    EXPECT_TRUE(st.growing);
    EXPECT_EQ(st.B, 3);  // growths of 1 and 2 old buckets finish within one insert
    EXPECT_EQ(snap.old.size(), 4u);
  } else if (GetParam() == "half-grown") {
    EXPECT_TRUE(st.growing);
    EXPECT_FALSE(st.same_size_grow);
    EXPECT_GE(st.nevacuate * 2, snap.old.size());
    EXPECT_LT(st.nevacuate, snap.old.size());
    EXPECT_EQ(snap.old.size() * 2, snap.current.size());
  } else if (GetParam() == "same-size-grow") {
    EXPECT_TRUE(st.same_size_grow);
    EXPECT_EQ(st.count, 100u);
    EXPECT_EQ(snap.old.size(), snap.current.size());
  } else if (GetParam() == "collisions") {
    EXPECT_FALSE(st.growing);
    EXPECT_EQ(st.count, 60u);
    std::size_t used = 0;
    for (const inspect::Chain& c : snap.current) {
      if (c.count(inspect::SlotState::filled) == 0) continue;
      ++used;
      EXPECT_EQ(c.count(inspect::SlotState::filled), 20u);  // keys 0..59 by k % 3
      EXPECT_EQ(c.buckets.size(), 3u);
    }
    EXPECT_EQ(used, 3u);
  }
  // Evacuated old chains are exactly those Go's evacuated(b) reports: every
  // old bucket below nevacuate, and their slots hold only evacuation marks.
  for (const inspect::Chain& c : snap.old) {
    if (c.index < st.nevacuate) {
      EXPECT_TRUE(c.evacuated) << c.index;
    }
    if (c.evacuated) {
      EXPECT_EQ(c.count(inspect::SlotState::filled), 0u);
      EXPECT_EQ(c.count(inspect::SlotState::empty_one), 0u);
    }
  }
  const std::string svg = inspect::render_svg(snap);
  EXPECT_EQ(xml_error(svg), "");
  expect_counts_match(snap, svg);
  const std::string text = inspect::render_text(snap);
  EXPECT_NE(text.find("B=" + std::to_string(st.B) + " "), std::string::npos);
  EXPECT_EQ(count_of(text, "chain="), snap.current.size() + snap.old.size());
}

INSTANTIATE_TEST_SUITE_P(Builtin, ScenarioTest,
                         testing::Values("first-growth", "half-grown", "same-size-grow",
                                         "collisions"),
                         [](const auto& info) {
                           std::string n = info.param;
                           for (char& c : n)
                             if (c == '-') c = '_';
                           return n;
                         });

// ---------------------------------------------------------------------------
// The command: step mode writes one well-formed picture per operation, the
// first few before the growth, then one per insert until it is finished.
std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

fs::path scratch_dir(const std::string& name) {
  const fs::path dir =
      fs::temp_directory_path() / ("gomap-inspect-test-" + name + "-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  // NOLINTNEXTLINE(performance-no-automatic-move): copying is fine in a test
  return dir;
}

TEST(Command, StepModeWritesOneFramePerOperation) {
  const fs::path dir = scratch_dir("step");
  const std::string cmd = std::string(GOMAP_INSPECT_EXE) + " step first-growth --out " +
                          dir.string() + " --before 3 > " + (dir.string() + ".log");
  ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
  std::vector<fs::path> frames;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().extension() == ".svg") frames.push_back(e.path());
  std::sort(frames.begin(), frames.end());
  // 3 before, the moment (growth started, 2 of 4 old buckets evacuated at
  // most), then inserts until it finishes: at least one more frame.
  ASSERT_GE(frames.size(), 5u);
  for (const fs::path& f : frames) EXPECT_EQ(xml_error(read_file(f)), "") << f;
  EXPECT_NE(read_file(frames[2]).find("not growing"), std::string::npos);
  EXPECT_NE(read_file(frames[3]).find("doubling grow"), std::string::npos);
  EXPECT_NE(read_file(frames.back()).find("not growing"), std::string::npos);
  for (std::size_t i = 3; i + 1 < frames.size(); ++i) {
    EXPECT_NE(read_file(frames[i]).find("doubling grow"), std::string::npos) << i;
  }
  const std::string log = read_file(dir.string() + ".log");
  EXPECT_NE(log.find("wrote " + std::to_string(frames.size()) + " frames"), std::string::npos)
      << log;
  fs::remove_all(dir);
  fs::remove(dir.string() + ".log");
}

TEST(Command, ShowWritesTextAndSvgAndRejectsUnknownScenarios) {
  const fs::path dir = scratch_dir("show");
  fs::create_directories(dir);
  const std::string svg = (dir / "m.svg").string(), log = (dir / "out.txt").string();
  const std::string cmd = std::string(GOMAP_INSPECT_EXE) + " show collisions --svg " + svg + " > " +
                          log + " 2>/dev/null";
  ASSERT_EQ(std::system(cmd.c_str()), 0);
  EXPECT_EQ(xml_error(read_file(svg)), "");
  EXPECT_NE(read_file(log).find("count=60"), std::string::npos);
  const std::string bad = std::string(GOMAP_INSPECT_EXE) + " show no-such 2>/dev/null";
  const int rc = std::system(bad.c_str());
  EXPECT_TRUE(WIFEXITED(rc) && WEXITSTATUS(rc) == 2) << rc;
  fs::remove_all(dir);
}

// A second opinion on well-formedness from Python's XML parser, when present.
TEST(Command, PythonXmlParserAcceptsTheSvg) {
  if (std::system("python3 -c 'import xml.etree.ElementTree' >/dev/null 2>&1") != 0)
    GTEST_SKIP() << "python3 not installed";
  const fs::path dir = scratch_dir("py");
  fs::create_directories(dir);
  auto sc = inspect::make_scenario("half-grown");
  sc->run_to_moment();
  const fs::path f = dir / "h.svg";
  std::ofstream(f) << inspect::render_svg(sc->snap("half-grown"));
  const std::string cmd =
      "python3 -c 'import sys, xml.etree.ElementTree as E; r = E.parse(sys.argv[1]).getroot(); "
      "sys.exit(0 if r.tag.endswith(\"svg\") else 1)' " +
      f.string();
  EXPECT_EQ(std::system(cmd.c_str()), 0);
  fs::remove_all(dir);
}

}  // namespace

TEST(Command, SwissDrawsTheMap) {
  const fs::path dir = scratch_dir("swiss");
  fs::create_directories(dir);
  const std::string out = (dir / "swiss.txt").string();
  const std::string cmd =
      std::string(GOMAP_INSPECT_EXE) + " swiss 2000 --erase 400 --max-groups 2 > " + out;
  ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
  std::ifstream in(out);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_NE(text.find("SwissMap: len 1800"), std::string::npos) << text;
  EXPECT_NE(text.find("more groups"), std::string::npos) << text;
}
