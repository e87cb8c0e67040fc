// KATA — chapter 12, the allocator: the central lists (step 4).
//
// Read chapters/12_allocator/README.md one step at a time and replace each GORT_KATA_TODO line with your
// implementation. Check your work with
//   bazel test //chapters/12_allocator:kata     (or ./kata test 12)
// The structs, constants and contracts are in include/gort/rt/mheap.h (read
// its header comment first: its invariants are what the tests check).
// The Go original is src/runtime/mcentral.go.
#include "include/gort/rt/error.h"
#include "include/gort/rt/kata.h"
#include "include/gort/rt/mheap.h"

namespace gort::rt {

// Step 4. Under lock_: pop a swept partial span. (Unswept sets stay empty
// until the GC chapter.) Without one, grow (outside the lock). Then load
// allocCache for the 64-object group holding freeindex and shift it so bit
// 0 is object freeindex.
mspan* mcentral::cacheSpan() {
  GORT_KATA_TODO("mcentral::cacheSpan", "chapters/12_allocator/README.md#step-4-mcentral");
}

// Step 4. The span is no longer cached: sweepgen = mheap_.sweepgen; push it
// on partialSwept if it has a free object, else on fullSwept (under lock_).
void mcentral::uncacheSpan(mspan* /*s*/) {
  GORT_KATA_TODO("mcentral::uncacheSpan", "chapters/12_allocator/README.md#step-4-mcentral");
}

// Step 4 (tested in step 5, since it needs allocSpan). A new span of
// class_to_allocnpages pages from mheap_.alloc; limit = base + nelems *
// elemsize.
mspan* mcentral::grow() {
  GORT_KATA_TODO("mcentral::grow", "chapters/12_allocator/README.md#step-4-mcentral");
}

}  // namespace gort::rt
