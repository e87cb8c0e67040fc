// GODEBUG-style runtime settings.
//
// Mirrors Go 1.19 src/runtime/runtime1.go (dbgvars, parsedebugvars).
#include "include/gort/rt/debug.h"

#include <string_view>
#include <utility>

#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"

namespace gort::rt {

DebugVars debug;

void parsedebugvars(std::string_view godebug) {
  // Debian's abseil has its own string_view type, distinct from std's.
  const absl::string_view text(godebug.data(), godebug.size());
  for (absl::string_view field : absl::StrSplit(text, ',', absl::SkipEmpty())) {
    std::pair<absl::string_view, absl::string_view> kv =
        absl::StrSplit(field, absl::MaxSplits('=', 1));
    if (kv.first == "slicegrowth") {
      if (kv.second == "go1.17") {
        debug.slicegrowth.store(SliceGrowth::kGo117);
      } else if (kv.second == "go1.18") {
        debug.slicegrowth.store(SliceGrowth::kGo118);
      }
    }
  }
}

}  // namespace gort::rt
