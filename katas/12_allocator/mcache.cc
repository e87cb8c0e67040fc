// KATA — chapter 12, the allocator: the per-P cache: nextFree (step 3), refill (step 4), allocLarge (step 6).
//
// Read chapters/12_allocator/README.md one step at a time and replace each GORT_KATA_TODO line with your
// implementation. Check your work with
//   bazel test //chapters/12_allocator:kata     (or ./kata test 12)
// The structs, constants and contracts are in include/gort/rt/mheap.h (read
// its header comment first: its invariants are what the tests check).
// The Go original is src/runtime/malloc.go nextFree and mcache.go.
#include "include/gort/rt/error.h"
#include "include/gort/rt/kata.h"
#include "include/gort/rt/mheap.h"

namespace gort::rt {

// Step 3. Next free object of the cached span of class spc (nextFreeIndex);
// if the span is full, refill and try the new span. Count the object
// (allocCount) and report the span through sp when it is not null. Go's
// sanity checks throw with its texts ("freeIndex is not valid").
uintptr mcache::nextFree(spanClass /*spc*/, mspan** /*sp*/) {
  GORT_KATA_TODO("mcache::nextFree", "chapters/12_allocator/README.md#step-3-mcache-fast-path");
}

// Step 4. The cached span must be full ("refill of span with free space
// remaining"). Give it back to its mcentral (unless it is &emptymspan),
// take a new one with cacheSpan, mark it cached (sweepgen + 3).
void mcache::refill(spanClass /*spc*/) {
  GORT_KATA_TODO("mcache::refill", "chapters/12_allocator/README.md#step-4-mcentral");
}

// Step 6. A span of its own: ceil(size / pageSize) pages of span class
// (0, noscan) from mheap_.alloc; count it in stats (largeAlloc bytes of
// whole pages, largeAllocCount); its limit is base + size.
mspan* mcache::allocLarge(uintptr /*size*/, bool /*noscan*/) {
  GORT_KATA_TODO("mcache::allocLarge", "chapters/12_allocator/README.md#step-6-large-and-tiny-objects");
}

}  // namespace gort::rt
