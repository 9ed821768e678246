// Word-frequency count.
//
// Why a plain Map, no lock: Go's idiom `counts[w]++` — a missing key reads
// as zero — on a map only one thread touches.  To use several threads,
// each counts its own chunk into its own Map and the results are merged
// afterwards: no sharing, so no synchronization and no detector report.
#pragma once

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include <gomap/map.hpp>

namespace examples {

using Counts = gomap::Map<std::string, std::int64_t>;

// Lower-cased runs of letters and apostrophes.
inline void count_words(std::string_view text, const Counts& counts) {
  std::string word;
  auto flush = [&] {
    if (!word.empty()) counts[word]++;
    word.clear();
  };
  for (char c : text) {
    if (std::isalpha(static_cast<unsigned char>(c)) || (c == '\'' && !word.empty()))
      word += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    else
      flush();
  }
  flush();
}

inline Counts count_words(std::string_view text) {
  Counts counts = gomap::make<std::string, std::int64_t>();
  count_words(text, counts);
  return counts;
}

// Splits at whitespace into `threads` chunks, counts each in its own Map,
// then merges.
inline Counts count_words_parallel(std::string_view text, unsigned threads) {
  std::vector<std::string_view> chunks;
  std::size_t start = 0;
  for (unsigned i = 1; i <= threads; ++i) {
    std::size_t end = i == threads ? text.size() : text.size() * i / threads;
    while (end < text.size() && !std::isspace(static_cast<unsigned char>(text[end]))) ++end;
    end = std::max(end, start);
    chunks.push_back(text.substr(start, end - start));
    start = end;
  }
  std::vector<Counts> partial(chunks.size());
  std::vector<std::thread> workers;
  for (std::size_t i = 0; i < chunks.size(); ++i)
    workers.emplace_back([&, i] { partial[i] = count_words(chunks[i]); });
  for (auto& w : workers) w.join();
  Counts total = gomap::make<std::string, std::int64_t>();
  for (const Counts& p : partial)
    for (auto&& [w, n] : p) total[w] += n;
  return total;
}

// The n most frequent words, ties by word.
inline std::vector<std::pair<std::string, std::int64_t>> top(const Counts& counts, std::size_t n) {
  std::vector<std::pair<std::string, std::int64_t>> all;
  for (auto&& [w, c] : counts) all.emplace_back(w, c);
  std::sort(all.begin(), all.end(), [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  });
  if (all.size() > n) all.resize(n);
  return all;
}

}  // namespace examples
