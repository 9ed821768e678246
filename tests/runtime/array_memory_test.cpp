// The engines' array memory (runtime/array_memory.hpp): arrays of
// huge_array_bytes and up carry the transparent-huge-page advice, smaller
// ones do not, and a classic map sized for 2^20 entries puts its bucket
// array there.  The advice is read back from the kernel: the VmFlags line
// of /proc/self/smaps shows "hg" for a range advised MADV_HUGEPAGE, whatever
// the machine's THP setting.
#include <gtest/gtest.h>
#include <gomap/map.hpp>
#include <gomap/runtime/array_memory.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

namespace {

using gomap::runtime::allocate_array;
using gomap::runtime::deallocate_array;
using gomap::runtime::huge_array_bytes;

// The VmFlags of the mapping that holds p, or "" if none does.
std::string vm_flags_at(const void* p) {
  const auto addr = reinterpret_cast<std::uintptr_t>(p);
  std::ifstream smaps("/proc/self/smaps");
  std::string line;
  bool inside = false;
  while (std::getline(smaps, line)) {
    unsigned long lo = 0;
    unsigned long hi = 0;
    if (std::sscanf(line.c_str(), "%lx-%lx ", &lo, &hi) == 2 && line.find(' ') > 8) {
      inside = addr >= lo && addr < hi;
      continue;
    }
    if (inside && line.rfind("VmFlags:", 0) == 0) return line;
  }
  return "";
}

bool advised_huge(const void* p) {
  std::istringstream flags(vm_flags_at(p));
  std::string f;
  while (flags >> f)
    if (f == "hg") return true;
  return false;
}

TEST(ArrayMemory, SmallArraysAreNotAdvised) {
  const std::size_t bytes = huge_array_bytes / 4;
  void* p = allocate_array<16>(bytes);
  ASSERT_NE(vm_flags_at(p), "") << "no mapping found in /proc/self/smaps";
  EXPECT_FALSE(advised_huge(static_cast<char*>(p) + bytes / 2));
  deallocate_array<16>(p, bytes);
}

TEST(ArrayMemory, LargeArraysAreAdvisedHugePages) {
  const std::size_t bytes = 2 * huge_array_bytes;
  void* p = allocate_array<16>(bytes);
  // The middle of the array lies in a whole 2 MiB-aligned stretch.
  EXPECT_TRUE(advised_huge(static_cast<char*>(p) + bytes / 2)) << vm_flags_at(p);
  deallocate_array<16>(p, bytes);
}

TEST(ArrayMemory, OverAlignedLargeArraysAreAdvisedHugePages) {
  const std::size_t bytes = 2 * huge_array_bytes;
  void* p = allocate_array<64>(bytes);
  EXPECT_EQ(reinterpret_cast<std::uintptr_t>(p) % 64, 0u);
  EXPECT_TRUE(advised_huge(static_cast<char*>(p) + bytes / 2)) << vm_flags_at(p);
  deallocate_array<64>(p, bytes);
}

TEST(ArrayMemory, ClassicMapOfAMillionEntriesUsesHugePages) {
  auto m = gomap::make<std::uint64_t, std::uint64_t>(1 << 20);
  auto* h = gomap::runtime::map_access::engine(m);
  ASSERT_NE(h->buckets, nullptr);
  // Bucket 2^16 of 2^17 is in the middle of a 19 MB array.
  EXPECT_TRUE(advised_huge(h->buckets->at(std::uint64_t{1} << 16))) << vm_flags_at(h->buckets);
  m[1] = 2;
  EXPECT_EQ(m[1], 2u);
}

}  // namespace
