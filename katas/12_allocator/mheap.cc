// KATA — chapter 12, the allocator: allocSpan and the page-to-span lookup (step 5).
//
// Read chapters/12_allocator/README.md one step at a time and replace each GORT_KATA_TODO line with your
// implementation. Check your work with
//   bazel test //chapters/12_allocator:kata     (or ./kata test 12)
// The structs, constants and contracts are in include/gort/rt/mheap.h (read
// its header comment first: its invariants are what the tests check).
// The Go original is src/runtime/mheap.go allocSpan, spanOf and mbitmap.go findObject.
#include "include/gort/rt/error.h"
#include "include/gort/rt/kata.h"
#include "include/gort/rt/mheap.h"

namespace gort::rt {

// Step 5. Under lock_ (init() the heap on first use): pages.alloc(npages),
// growing the heap once if nothing fits; the scavenged bytes are no longer
// released; an mspan from spanalloc (construct it with placement new) set
// up by initSpan.
mspan* mheap::allocSpan(uintptr /*npages*/, spanAllocType /*typ*/, spanClass /*spc*/) {
  GORT_KATA_TODO("mheap::allocSpan", "chapters/12_allocator/README.md#step-5-mheap-and-pages");
}

// Step 5. arenas[arenaIndex(p)] (null outside the heap), then its spans
// entry for p's page; only an in-use span with base <= p < limit counts.
mspan* spanOf(uintptr /*p*/) {
  GORT_KATA_TODO("spanOf", "chapters/12_allocator/README.md#step-5-mheap-and-pages");
}

// Step 5. spanOf, then objIndex: the object's base, span and index.
uintptr findObject(uintptr /*p*/, mspan** /*sp*/, uintptr* /*objIndex*/) {
  GORT_KATA_TODO("findObject", "chapters/12_allocator/README.md#step-5-mheap-and-pages");
}

}  // namespace gort::rt
