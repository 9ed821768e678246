// String interner: equal strings share one stored copy; interned strings
// compare by pointer.
//
// Why SyncMap: after warm-up almost every intern() finds its string already
// present — Go's "written once, read many times" case, where SyncMap's
// lock-free loads shine.  load_or_store makes the first insertion of a
// string race-free: concurrent first callers all get the same copy.
//
// Which design: SyncMap, once warm (a stable key set). During warm-up, or if
// new strings keep arriving, gomap::HashTrieMap (same members) avoids the
// promotions and the one mutex every new key takes.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include <gomap/sync_map.hpp>

namespace examples {

class Interner {
 public:
  // A pointer valid as long as the interner; equal strings, equal pointers.
  const std::string* intern(const std::string& s) {
    if (auto hit = table_.load(s)) return hit->get();
    return table_.load_or_store(s, std::make_shared<const std::string>(s)).first.get();
  }
  std::size_t size() const { return table_.size(); }

 private:
  gomap::SyncMap<std::string, std::shared_ptr<const std::string>> table_;
};

}  // namespace examples
