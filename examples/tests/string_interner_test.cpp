#include "string_interner.hpp"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

TEST(StringInterner, EqualStringsSamePointer) {
  examples::Interner in;
  const std::string* a = in.intern("alpha");
  EXPECT_EQ(in.intern(std::string("alp") + "ha"), a);
  EXPECT_NE(in.intern("beta"), a);
  EXPECT_EQ(*a, "alpha");
  EXPECT_EQ(in.size(), 2u);
}

// Concurrent first interning of the same strings: every thread gets the
// same pointer for a string.
TEST(StringInterner, ConcurrentInternAgrees) {
  examples::Interner in;
  constexpr int threads = 4, words = 300;
  std::vector<std::vector<const std::string*>> got(threads);
  std::vector<std::thread> ts;
  ts.reserve(threads);
  for (int t = 0; t < threads; ++t)
    ts.emplace_back([&, t] {
      for (int w = 0; w < words; ++w) got[t].push_back(in.intern("w" + std::to_string(w)));
    });
  for (auto& t : ts) t.join();
  for (int t = 1; t < threads; ++t) EXPECT_EQ(got[t], got[0]);
  for (int w = 0; w < words; ++w) EXPECT_EQ(*got[0][w], "w" + std::to_string(w));
  EXPECT_EQ(in.size(), static_cast<std::size_t>(words));
}
