// The one place fmt printing touches iostreams: values that print through
// their own operator<< (types gomap's %v rules do not know) are written to a
// string stream here, so <gomap/fmt.hpp> stays free of <sstream>.
#include <sstream>
#include <string>

#include "gomap/fmt.hpp"

namespace gomap::fmt::detail {

void append_streamed(std::string& out, void (*put)(std::ostream&, const void*), const void* v) {
  std::ostringstream os;
  put(os, v);
  out += os.str();
}

}  // namespace gomap::fmt::detail
