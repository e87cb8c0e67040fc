// gort::Run: the life cycle of one Go program inside this process.
//
// Mirrors the start and end of a Go process (Go 1.19 src/runtime/proc.go:
// schedinit reads GODEBUG, main runs, exit) for the parts that exist so far.
#include <cstdlib>

#include "include/gort/gort.h"
#include "include/gort/rt/debug.h"
#include "include/gort/rt/error.h"
#include "include/gort/rt/malloc.h"

namespace gort {

void Run(absl::FunctionRef<void()> main, const Options& options) {
  // A fresh runtime: default settings, then GODEBUG, then the options.
  rt::debug.slicegrowth.store(rt::SliceGrowth::kGo118);
  if (const char* env = std::getenv("GODEBUG")) rt::parsedebugvars(env);
  rt::parsedebugvars(options.godebug);

  try {
    main();
  } catch (const rt::Panic& p) {
    rt::fatalpanic(p);  // exits 2, as an unrecovered panic ends a Go process
  }

  // Teardown: nothing of this program outlives Run.
  rt::ReleaseHeapForTeardown();
  rt::debug.slicegrowth.store(rt::SliceGrowth::kGo118);
}

}  // namespace gort
