// KATA — chapter 01, steps 2 to 6: makeslice, nextslicecap, nextslicecap117,
// growslice, slicecopy and typedslicecopy.
//
// Read chapters/01_slices/README.md, one step at a time, and replace each
// GORT_KATA_TODO line with your implementation. Check your work with
//   bazel test //chapters/01_slices:kata     (or ./kata test 01)
// The Go original is src/runtime/slice.go. The contracts are in
// include/gort/rt/slice.h; panic helpers in include/gort/rt/error.h
// (panicError + errorString); memory from mallocgc (include/gort/rt/malloc.h).
#include "include/gort/rt/slice.h"

#include "include/gort/rt/debug.h"
#include "include/gort/rt/error.h"
#include "include/gort/rt/kata.h"
#include "include/gort/rt/malloc.h"
#include "include/gort/rt/sizeclasses.h"

namespace gort::rt {

// Step 2. Check len and cap the way Go does (which error wins matters: the
// tests pin both texts), then allocate cap elements with mallocgc.
void* makeslice(const Type* /*et*/, intgo /*len*/, intgo /*cap*/) {
  GORT_KATA_TODO("makeslice", "chapters/01_slices/README.md#step-2-makeslice");
}

// Step 3. Go 1.18+'s rule: newLen beyond double wins; below the threshold
// double; above it grow smoothly towards 1.25x. Mind overflow.
intgo nextslicecap(intgo /*newLen*/, intgo /*oldCap*/) {
  GORT_KATA_TODO("nextslicecap", "chapters/01_slices/README.md#step-3-nextslicecap");
}

// Step 4. The notes' rule for Go <= 1.17 (1024 and +25%).
intgo nextslicecap117(intgo /*newLen*/, intgo /*oldLen*/, intgo /*oldCap*/) {
  GORT_KATA_TODO("nextslicecap117",
                 "chapters/01_slices/README.md#step-4-nextslicecap117");
}

// Step 5. Pick the policy from debug.slicegrowth, round the byte size up
// with roundupsize, recompute the capacity from it, check for overflow,
// allocate, copy the old elements (et->trivial: memmove; else et->assign).
// Read the contract in include/gort/rt/slice.h: which elements must be zero?
slice growslice(const Type* /*et*/, slice /*old*/, intgo /*newLen*/) {
  GORT_KATA_TODO("growslice", "chapters/01_slices/README.md#step-5-growslice");
}

// Step 6. copy(): min of the two lengths, overlap allowed.
intgo slicecopy(void* /*toPtr*/, intgo /*toLen*/, const void* /*fromPtr*/,
                intgo /*fromLen*/, uintptr /*width*/) {
  GORT_KATA_TODO("slicecopy", "chapters/01_slices/README.md#step-6-copy");
}

// Step 6. The same for non-trivial element types, through typ->assign.
intgo typedslicecopy(const Type* /*typ*/, void* /*dstPtr*/, intgo /*dstLen*/,
                     const void* /*srcPtr*/, intgo /*srcLen*/) {
  GORT_KATA_TODO("typedslicecopy", "chapters/01_slices/README.md#step-6-copy");
}

}  // namespace gort::rt
