// The most frequent words of a short text, counted on four threads.
#include "word_count.hpp"

#include <cstdio>

int main() {
  const char* text =
      "It was the best of times, it was the worst of times, it was the age of wisdom, "
      "it was the age of foolishness, it was the epoch of belief, it was the epoch of "
      "incredulity, it was the season of Light, it was the season of Darkness";
  const auto counts = examples::count_words_parallel(text, 4);
  for (const auto& [w, n] : examples::top(counts, 5))
    std::printf("%-8s %lld\n", w.c_str(), static_cast<long long>(n));
  std::printf("%zu distinct words\n", counts.size());
  return counts.get("it") == 8 && counts.get("of") == 8 && counts.get("times") == 2 ? 0 : 1;
}
