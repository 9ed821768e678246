// Interning the tokens of a log line: repeated tokens share storage.
#include "string_interner.hpp"

#include <cstdio>
#include <sstream>
#include <vector>

int main() {
  examples::Interner in;
  std::istringstream log("GET /a 200 GET /b 200 POST /a 500 GET /a 200");
  std::vector<const std::string*> tokens;
  for (std::string tok; log >> tok;) tokens.push_back(in.intern(tok));
  std::printf("%zu tokens, %zu distinct strings stored\n", tokens.size(), in.size());
  std::printf("first and last GET share storage: %s\n", tokens[0] == tokens[9] ? "yes" : "no");
  return tokens.size() == 12 && in.size() == 6 && tokens[0] == tokens[9] ? 0 : 1;
}
