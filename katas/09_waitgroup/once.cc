// KATA — chapter 09, step 2: sync.Once's slow path.
//
// Read chapters/09_waitgroup/README.md#step-2-once. The fast path (one
// atomic load of done) is inline in include/gort/rt/sync.h. Mirrors Go
// 1.19 src/sync/once.go.
#include <cstdint>

#include "include/gort/rt/kata.h"
#include "include/gort/rt/sync.h"

namespace gort::rt::sync {

// Lock m; if done is still 0, call f(arg) and then set done = 1 — also when
// f panics (a C++ exception: use an object whose destructor stores done and
// unlocks m, the way Go uses two defers).
void Once::doSlow(void (* /*f*/)(void*), void* /*arg*/) {
  GORT_KATA_TODO("Once::doSlow", "chapters/09_waitgroup/README.md#step-2-once");
}

}  // namespace gort::rt::sync
