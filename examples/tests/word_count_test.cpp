#include "word_count.hpp"

#include <gtest/gtest.h>

#include <gomap/maps.hpp>

TEST(WordCount, CountsCaseInsensitively) {
  const auto c = examples::count_words("The cat and the hat. THE END, isn't it?");
  EXPECT_EQ(c.get("the"), 3);
  EXPECT_EQ(c.get("isn't"), 1);
  EXPECT_EQ(c.get("cat"), 1);
  EXPECT_EQ(c.get("dog"), 0);
  EXPECT_FALSE(c.contains("dog"));  // reading a missing word never inserts
  EXPECT_EQ(c.size(), 7u);
  const auto t = examples::top(c, 2);
  ASSERT_EQ(t.size(), 2u);
  EXPECT_EQ(t[0], (std::pair<std::string, std::int64_t>{"the", 3}));
  EXPECT_EQ(t[1].first, "and");  // ties by word
}

TEST(WordCount, ParallelEqualsSequential) {
  std::string text;
  std::uint64_t x = 7;
  for (int i = 0; i < 20000; ++i) {
    x = x * 6364136223846793005ull + 1442695040888963407ull;
    text += "w" + std::to_string((x >> 40) % 700) + (i % 13 ? " " : ",\n");
  }
  const auto seq = examples::count_words(text);
  for (unsigned threads : {1u, 2u, 3u, 8u}) {
    const auto par = examples::count_words_parallel(text, threads);
    EXPECT_TRUE(gomap::maps::equal(seq, par)) << threads;
  }
  std::int64_t total = 0;
  for (auto&& [w, n] : seq) total += n;
  EXPECT_EQ(total, 20000);
}

TEST(WordCount, EmptyText) {
  EXPECT_EQ(examples::count_words("").size(), 0u);
  EXPECT_EQ(examples::count_words_parallel("   ", 4).size(), 0u);
}
