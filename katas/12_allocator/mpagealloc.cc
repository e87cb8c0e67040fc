// KATA — chapter 12, the allocator: the page allocator (step 5).
//
// Read chapters/12_allocator/README.md one step at a time and replace each GORT_KATA_TODO line with your
// implementation. Check your work with
//   bazel test //chapters/12_allocator:kata     (or ./kata test 12)
// The structs, constants and contracts are in include/gort/rt/mheap.h (read
// its header comment first: its invariants are what the tests check).
// The Go original is src/runtime/mpagealloc.go and mpallocbits.go.
#include "include/gort/rt/error.h"
#include "include/gort/rt/kata.h"
#include "include/gort/rt/mheap.h"

namespace gort::rt {

// Step 5. start = free pages at the chunk's start, end = free pages at its
// end, max = the longest free run; pack them with packPallocSum (a fully
// free chunk is 512, 512, 512).
pallocSum summarize(const pallocData& /*d*/) {
  GORT_KATA_TODO("summarize", "chapters/12_allocator/README.md#step-5-mheap-and-pages");
}

// Step 5. The lowest-addressed run of npages free pages: walk chunks_ in
// address order with their summaries, carrying a free run across adjacent
// chunks (never across a gap). Mark the pages in use, clear their
// scavenged bits (counting those bytes), re-summarize the touched chunks.
// Return {0, 0} when nothing fits. You may add private helpers (find and
// allocRange are declared for you in mheap.h).
std::pair<uintptr, uintptr> pageAlloc::alloc(uintptr /*npages*/) {
  GORT_KATA_TODO("pageAlloc::alloc", "chapters/12_allocator/README.md#step-5-mheap-and-pages");
}

// Step 5. Clear the pages' bits and re-summarize; freeing a free page is a
// fatal error.
void pageAlloc::free(uintptr /*base*/, uintptr /*npages*/) {
  GORT_KATA_TODO("pageAlloc::free", "chapters/12_allocator/README.md#step-5-mheap-and-pages");
}

}  // namespace gort::rt
