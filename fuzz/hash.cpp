// hash: Go's hash properties for gomap::hash (runtime/alg.go, hash64.go).
//
//  * determinism: the same value and seed hash alike, every time;
//  * +0.0 and -0.0 hash alike (float and double); every NaN hashes to a
//    fresh random value;
//  * std::string, std::string_view, const char* and memhash agree, at any
//    length and any alignment of the bytes (each hash reads an exactly-sized
//    heap copy, so ASan catches a read past the end);
//  * the portable memhash32/memhash64 agree with memhash of 4 and 8 bytes
//    (hash64.go computes them the same way), and the AES and portable paths
//    are each deterministic;
//  * pairs, tuples and arrays chain the seed field by field, as Go hashes
//    structs and arrays.
#include <array>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <memory>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>

#include <gomap/hash.hpp>

#include "fuzz_common.hpp"

namespace gomap_fuzz::hash {
namespace {

namespace rt = gomap::runtime;

class harness {
 public:
  harness(const std::uint8_t* d, std::size_t n) : in_(d, n) {}

  void run() {
    while (!in_.empty() && step_ < 256) {
      one_op();
      ++step_;
    }
  }

 private:
  void check(bool ok, const std::string& what) {
    if (!ok) fail("hash", what, step_);
  }

  // `len` bytes at `align` bytes past a 16-byte boundary, in a heap block
  // that ends exactly at the last byte.
  struct placed {
    std::unique_ptr<std::uint8_t[]> block;
    const std::uint8_t* p;
  };
  static placed place(std::string_view bytes, std::size_t align) {
    placed out;
    out.block.reset(new std::uint8_t[align + (bytes.empty() ? 1 : bytes.size())]);
    std::uint8_t* p = out.block.get() + align;
    if (!bytes.empty()) std::memcpy(p, bytes.data(), bytes.size());
    out.p = p;
    return out;
  }

  void bytes_op(std::uint64_t seed) {
    std::size_t len = in_.byte();
    if (len >= 0xF0) len = in_.u16() % 1024;  // the long-input loops (> 48, > 64 bytes)
    const std::size_t a1 = in_.byte() % 16, a2 = in_.byte() % 16;
    const std::string data(in_.bytes(len));
    // A heap block exactly as long as the data: any over-read is a heap overflow.
    std::unique_ptr<std::uint8_t[]> tight(new std::uint8_t[data.size() ? data.size() : 1]);
    if (!data.empty()) std::memcpy(tight.get(), data.data(), data.size());
    placed x = place(data, a1), y = place(data, a2);
    const std::size_t n = data.size();

    const std::uint64_t h = rt::memhash(tight.get(), seed, n);
    check(h == rt::memhash(x.p, seed, n) && h == rt::memhash(y.p, seed, n),
          "memhash depends on the alignment of the bytes (len " + std::to_string(n) + ")");
    const std::uint64_t hf = rt::memhash_fallback(tight.get(), seed, n, rt::alg());
    check(hf == rt::memhash_fallback(x.p, seed, n, rt::alg()) &&
              hf == rt::memhash_fallback(y.p, seed, n, rt::alg()),
          "memhash_fallback depends on the alignment of the bytes");
    if (rt::alg().use_aes) {
      const std::uint64_t ha = rt::aeshash(tight.get(), seed, n);
      check(ha == rt::aeshash(x.p, seed, n) && ha == h, "aeshash: alignment or dispatch");
    }

    const std::string_view sv(reinterpret_cast<const char*>(x.p), n);
    const std::string s(sv);
    check(gomap::hash<std::string>{}(s, seed) == h, "hash<std::string> != memhash of its bytes");
    check(gomap::hash<std::string_view>{}(sv, seed) == h, "hash<string_view> != hash<string>");
    check(rt::strhash(sv, seed) == h, "strhash != memhash");
    if (s.find('\0') == std::string::npos) {
      check(gomap::hash<const char*>{}(s.c_str(), seed) == h, "hash<const char*> != hash<string>");
      check(gomap::hash<std::string>{}(s.c_str(), seed) == h,
            "transparent hash<string>(const char*) != hash<string>");
    }
    // The fixed-size entry points agree with memhash (portable path).
    if (n == 4) {
      std::uint32_t v;
      std::memcpy(&v, x.p, 4);
      check(rt::memhash32_fallback(v, seed, rt::alg()) == hf, "memhash32 != memhash(4 bytes)");
      check(gomap::hash<std::uint32_t>{}(v, seed) == rt::memhash32(v, seed), "hash<uint32_t>");
    }
    if (n == 8) {
      std::uint64_t v;
      std::memcpy(&v, x.p, 8);
      check(rt::memhash64_fallback(v, seed, rt::alg()) == hf, "memhash64 != memhash(8 bytes)");
      check(gomap::hash<std::uint64_t>{}(v, seed) == rt::memhash64(v, seed), "hash<uint64_t>");
    }
  }

  void float_op(std::uint64_t seed) {
    const std::uint64_t bits = in_.u64();
    const double d = std::bit_cast<double>(bits);
    const float f = std::bit_cast<float>(static_cast<std::uint32_t>(bits));
    const gomap::hash<double> hd;
    const gomap::hash<float> hf;
    check(hd(0.0, seed) == hd(-0.0, seed), "hash<double>: +0.0 and -0.0 differ");
    check(hf(0.0f, seed) == hf(-0.0f, seed), "hash<float>: +0.0 and -0.0 differ");
    if (std::isnan(d)) {
      // Go: every NaN hashes to a random value.  Eight equal draws in a row
      // would be a broken random source, not bad luck.
      const std::uint64_t first = hd(d, seed);
      bool differs = false;
      for (int i = 0; i < 8 && !differs; ++i) differs = hd(d, seed) != first;
      check(differs, "hash<double>(NaN) is not random");
    } else {
      // NOLINTNEXTLINE(misc-redundant-expression): the determinism check calls twice on purpose
      check(hd(d, seed) == hd(d, seed), "hash<double> is not deterministic");
      if (d != 0)
        check(hd(d, seed) == rt::memhash(&d, seed, 8), "hash<double> != memhash of its bits");
    }
    if (std::isnan(f)) {
      const std::uint64_t first = hf(f, seed);
      bool differs = false;
      for (int i = 0; i < 8 && !differs; ++i) differs = hf(f, seed) != first;
      check(differs, "hash<float>(NaN) is not random");
    } else {
      // NOLINTNEXTLINE(misc-redundant-expression): the determinism check calls twice on purpose
      check(hf(f, seed) == hf(f, seed), "hash<float> is not deterministic");
    }
  }

  void int_op(std::uint64_t seed) {
    const std::uint64_t v = in_.u64();
    check(gomap::hash<std::uint64_t>{}(v, seed) == gomap::hash<std::uint64_t>{}(v, seed),
          "hash<uint64_t> is not deterministic");
    check(gomap::hash<std::int64_t>{}(static_cast<std::int64_t>(v), seed) ==
              gomap::hash<std::uint64_t>{}(v, seed),
          "hash<int64_t> != hash<uint64_t> of the same bits");
    const auto u8 = static_cast<std::uint8_t>(v);
    const auto u16 = static_cast<std::uint16_t>(v);
    check(gomap::hash<std::uint8_t>{}(u8, seed) == rt::memhash(&u8, seed, 1), "hash<uint8_t>");
    check(gomap::hash<std::uint16_t>{}(u16, seed) == rt::memhash(&u16, seed, 2), "hash<uint16_t>");
    // Structs and arrays: fields hashed in order, each seeded with the last.
    const auto u32 = static_cast<std::uint32_t>(v >> 32);
    const std::uint64_t chain =
        gomap::hash<std::uint32_t>{}(u32, gomap::hash<std::uint16_t>{}(u16, seed));
    check(gomap::hash<std::pair<std::uint16_t, std::uint32_t>>{}({u16, u32}, seed) == chain,
          "hash<pair> does not chain the seed field by field");
    check(gomap::hash<std::tuple<std::uint16_t, std::uint32_t>>{}({u16, u32}, seed) == chain,
          "hash<tuple> does not chain the seed field by field");
    const std::array<std::uint64_t, 2> arr{v, ~v};
    check(gomap::hash<std::array<std::uint64_t, 2>>{}(arr, seed) ==
              gomap::hash<std::uint64_t>{}(~v, gomap::hash<std::uint64_t>{}(v, seed)),
          "hash<array> does not chain the seed element by element");
  }

  void one_op() {
    const std::uint8_t op = in_.byte();
    std::uint64_t seed;
    switch (op >> 6) {
      case 0:
        seed = 0;
        break;
      case 1:
        seed = in_.byte();
        break;
      default:
        seed = in_.u64();
        break;
    }
    switch (op % 3) {
      case 0:
        bytes_op(seed);
        break;
      case 1:
        float_op(seed);
        break;
      default:
        int_op(seed);
        break;
    }
  }

  input in_;
  std::size_t step_ = 0;
};

}  // namespace

int run(const std::uint8_t* data, std::size_t size) {
  harness(data, size).run();
  return 0;
}

}  // namespace gomap_fuzz::hash

GOMAP_FUZZ_ENTRY(gomap_fuzz::hash::run)
