// Runtime debug settings, read from the GODEBUG environment variable the way
// Go reads its own (comma-separated name=value pairs), or set by
// gort::Options and by tests.
//
// Mirrors the `debug` variable of Go 1.19 src/runtime/runtime1.go.
//
// Knobs:
//   slicegrowth=go1.17   growslice uses the notes' pre-1.18 rule (default:
//                        go1.18, Go's current rule). Not a Go knob; ours.
#ifndef GORT_RT_DEBUG_H_
#define GORT_RT_DEBUG_H_

#include <atomic>
#include <string_view>

#include "include/gort/rt/slice.h"

namespace gort::rt {

struct DebugVars {
  std::atomic<SliceGrowth> slicegrowth{SliceGrowth::kGo118};
};

extern DebugVars debug;

// parsedebugvars applies a GODEBUG-style string ("a=1,b=2"); unknown names
// are ignored, as Go ignores them.
void parsedebugvars(std::string_view godebug);

}  // namespace gort::rt

#endif  // GORT_RT_DEBUG_H_
