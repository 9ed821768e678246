// gomap::panic — a Go panic, as a C++ exception.  what() is Go's message.
#pragma once

#include <stdexcept>
#include <string>

namespace gomap {

class panic : public std::runtime_error {
 public:
  explicit panic(const std::string& message) : std::runtime_error(message) {}
  explicit panic(const char* message) : std::runtime_error(message) {}
};

}  // namespace gomap
