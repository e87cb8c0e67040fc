// zerobase and newarray: the parts of malloc.go around mallocgc that no
// kata step covers. mallocgc itself is chapter 12's (solutions/12_allocator/
// malloc.cc); the heap's plumbing is in mheap.cc next to this file.
//
// Mirrors Go 1.19 src/runtime/malloc.go (zerobase, newarray).
#include <cstddef>
#include <memory>

#include "include/gort/rt/error.h"
#include "include/gort/rt/malloc.h"
#include "include/gort/rt/sizeclasses.h"

namespace gort::rt {

alignas(std::max_align_t) char zerobase[8];

void* newarray(const Type* typ, intgo n) {
  if (n == 1) return mallocgc(typ->size, typ, true);
  if (n < 0 || (typ->size != 0 && static_cast<uintptr>(n) > maxAlloc / typ->size)) {
    panicError(std::make_shared<plainError>("runtime: allocation size out of range"));
  }
  return mallocgc(typ->size * static_cast<uintptr>(n), typ, true);
}

}  // namespace gort::rt
