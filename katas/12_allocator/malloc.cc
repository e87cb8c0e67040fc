// KATA — chapter 12, the allocator: mallocgc (step 6).
//
// Read chapters/12_allocator/README.md one step at a time and replace each GORT_KATA_TODO line with your
// implementation. Check your work with
//   bazel test //chapters/12_allocator:kata     (or ./kata test 12)
// The structs, constants and contracts are in include/gort/rt/mheap.h (read
// its header comment first: its invariants are what the tests check).
// The Go original is src/runtime/malloc.go mallocgc.
#include "include/gort/rt/error.h"
#include "include/gort/rt/kata.h"
#include "include/gort/rt/malloc.h"
#include "include/gort/rt/mheap.h"
#include "include/gort/rt/runtime2.h"

namespace gort::rt {

// Step 6. 0 bytes: &zerobase. Pin the m (acquirem; it may be null outside
// gort::Run), take the mcache with getMCache (putMCache when done), then:
//   - noscan, trivial and < maxTinySize: the tiny allocator (align the
//     offset for the size; reuse the current block if it fits, else a new
//     16-byte block from tinySpanClass, zeroed; keep whichever block has
//     more room);
//   - <= _MaxSmallSize: sizeToClass, the class's span, nextFreeFast, else
//     nextFree; zero if needzero and the span needs it;
//   - larger: allocLarge; the span holds one object (freeindex and
//     allocCount 1).
// Count every allocation in the mcache's stats (smallAllocCount of the
// class, tinyAllocCount for a shared tiny block) with ownerAdd. Under ASan,
// asanUnpoison what you hand out. Non-trivial C++ types: initNonTrivial.
void* mallocgc(uintptr /*size*/, const Type* /*typ*/, bool /*needzero*/) {
  GORT_KATA_TODO("mallocgc", "chapters/12_allocator/README.md#step-6-large-and-tiny-objects");
}

}  // namespace gort::rt
