// <gomap/detect.hpp> — the public knobs of gomap's concurrent-misuse detector.
//
// Every gomap::Map carries Go's hashWriting flag and checks it where Go's
// runtime does (docs/api.md).  On detection the process prints
// `fatal error: <message>` and aborts, as Go's runtime.fatal does.  The report
// (the other writer, the thread, its stack) and GOMAP_TRACEBACK=none|single|all
// are described in docs/detect.md; build switches in <gomap/detect/config.hpp>.
#pragma once

#include <string_view>

namespace gomap::detect {

// What a fatal handler receives.  `message` has no `fatal error: ` prefix.
struct FatalInfo {
  std::string_view message;
  const void* map;
};

using FatalHandler = void (*)(const FatalInfo&);

// Installs `h` to be called instead of the default report; returns the previous
// handler.  nullptr restores the default.  The process aborts if `h` returns.
FatalHandler set_fatal_handler(FatalHandler h) noexcept;

// Go's runtime.fatal: report `message` about `map` and abort.  Never returns.
[[noreturn]] void fatal(std::string_view message, const void* map = nullptr) noexcept;

}  // namespace gomap::detect
