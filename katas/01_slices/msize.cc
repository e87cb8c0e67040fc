// KATA — chapter 01, step 1: roundupsize.
//
// Read chapters/01_slices/README.md#step-1-roundupsize, then replace the
// GORT_KATA_TODO line with your implementation. Check it with
//   bazel test //chapters/01_slices:kata     (or ./kata test 01)
// The Go original is src/runtime/msize.go.
//
// What you have (include/gort/rt/sizeclasses.h): class_to_size,
// size_to_class8, size_to_class128, _MaxSmallSize, smallSizeMax,
// smallSizeDiv, largeSizeDiv, _PageSize, divRoundUp, alignUp.
#include "include/gort/rt/kata.h"
#include "include/gort/rt/malloc.h"
#include "include/gort/rt/sizeclasses.h"

namespace gort::rt {

uintptr roundupsize(uintptr /*size*/) {
  // 1. Small sizes (below _MaxSmallSize): find the size class with the
  //    right lookup table (8-byte steps up to smallSizeMax - 8, 128-byte
  //    steps above) and return that class's object size.
  // 2. Large sizes: round up to whole pages, unless that would wrap around.
  GORT_KATA_TODO("roundupsize", "chapters/01_slices/README.md#step-1-roundupsize");
}

}  // namespace gort::rt
