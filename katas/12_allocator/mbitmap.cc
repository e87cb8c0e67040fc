// KATA — chapter 12, the allocator: span bitmaps and the allocCache (step 2), objIndex (step 5).
//
// Read chapters/12_allocator/README.md one step at a time and replace each GORT_KATA_TODO line with your
// implementation. Check your work with
//   bazel test //chapters/12_allocator:kata     (or ./kata test 12)
// The structs, constants and contracts are in include/gort/rt/mheap.h (read
// its header comment first: its invariants are what the tests check).
// The Go original is src/runtime/mbitmap.go and malloc.go nextFreeFast.
#include "include/gort/rt/error.h"
#include "include/gort/rt/kata.h"
#include "include/gort/rt/mheap.h"

namespace gort::rt {

// Step 2. Assemble the 8 bytes of allocBits at whichByte little-endian
// into a 64-bit word and store its complement (1 = free) in allocCache.
void mspan::refillAllocCache(uintptr /*whichByte*/) {
  GORT_KATA_TODO("mspan::refillAllocCache", "chapters/12_allocator/README.md#step-2-span-bitmaps");
}

// Step 2. ctz(allocCache) is the distance from freeindex to the next free
// object; when allocCache is empty, move to the next 64-object group and
// refill. Return nelems when the span is full. Keep freeindex and
// allocCache in step, and refill when freeindex lands on a multiple of 64.
uintptr mspan::nextFreeIndex() {
  GORT_KATA_TODO("mspan::nextFreeIndex", "chapters/12_allocator/README.md#step-2-span-bitmaps");
}

// Step 2. The fast path: only what allocCache already knows. Return 0 if
// it has no free bit, if the object is past nelems, or if taking it would
// put freeindex on a 64-object boundary (a refill is due: nextFree's job).
uintptr nextFreeFast(mspan* /*s*/) {
  GORT_KATA_TODO("nextFreeFast", "chapters/12_allocator/README.md#step-2-span-bitmaps");
}

// Step 5. The index of the object holding p, without a division: use
// divideByElemSize on the offset from the span's base.
uintptr mspan::objIndex(uintptr /*p*/) const {
  GORT_KATA_TODO("mspan::objIndex", "chapters/12_allocator/README.md#step-5-mheap-and-pages");
}

}  // namespace gort::rt
