// Flags flipped at run time; a subscriber logs every change.
#include "feature_flags.hpp"

#include <cstdio>

int main() {
  examples::FeatureFlags flags;
  int changes = 0;
  flags.subscribe([&](const std::string& name, const std::string& old, const std::string& now) {
    ++changes;
    std::printf("flag %s: '%s' -> '%s'\n", name.c_str(), old.c_str(), now.c_str());
  });
  flags.set("new-checkout", "off");
  flags.set("new-checkout", "on");
  flags.set("new-checkout", "on");  // no change, no notification
  flags.set("max-upload-mb", "64");
  flags.remove("max-upload-mb");
  std::printf("new-checkout enabled: %s\n", flags.enabled("new-checkout") ? "yes" : "no");
  return changes == 4 && flags.enabled("new-checkout") ? 0 : 1;
}
