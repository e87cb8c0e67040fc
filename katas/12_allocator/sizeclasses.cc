// KATA — chapter 12, the allocator: size classes and span classes (step 1).
//
// Read chapters/12_allocator/README.md one step at a time and replace each GORT_KATA_TODO line with your
// implementation. Check your work with
//   bazel test //chapters/12_allocator:kata     (or ./kata test 12)
// The structs, constants and contracts are in include/gort/rt/mheap.h (read
// its header comment first: its invariants are what the tests check).
// The Go original is src/runtime/sizeclasses.go and the class lookup in malloc.go mallocgc.
#include "include/gort/rt/kata.h"
#include "include/gort/rt/mheap.h"

namespace gort::rt {

// Step 1. Pack the size class in the high 7 bits and noscan in bit 0.
spanClass makeSpanClass(std::uint8_t /*sizeclass*/, bool /*noscan*/) {
  GORT_KATA_TODO("makeSpanClass", "chapters/12_allocator/README.md#step-1-size-classes");
}

// Step 1. Look the class up in size_to_class8 (sizes up to smallSizeMax-8,
// indexed by divRoundUp(size, smallSizeDiv)) or size_to_class128 (larger
// small sizes, indexed by divRoundUp(size - smallSizeMax, largeSizeDiv)).
std::uint8_t sizeToClass(uintptr /*size*/) {
  GORT_KATA_TODO("sizeToClass", "chapters/12_allocator/README.md#step-1-size-classes");
}

}  // namespace gort::rt
