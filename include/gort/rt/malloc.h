// The runtime's allocation entry points.
//
// Mirrors Go 1.19 src/runtime/malloc.go (mallocgc) and msize.go
// (roundupsize).
//
// Every runtime allocation (slice backing arrays now; maps, channels and
// goroutine records later) goes through mallocgc, so the allocator chapter
// can replace what sits behind it in one place.
#ifndef GORT_RT_MALLOC_H_
#define GORT_RT_MALLOC_H_

#include "include/gort/rt/type.h"
#include "include/gort/rt/types.h"

namespace gort::rt {

// zerobase: the address of every 0-byte allocation, as in Go. A zero-length
// slice made by makeslice points here, which is what makes it non-nil.
extern char zerobase[8];

// mallocgc allocates `size` bytes for values of type `typ` (null for untyped
// bytes). The memory holds zero values: all zero bytes when `needzero` or
// when typ is non-trivial (then typ->zero constructs size / typ->size zero
// values). A size of 0 returns &zerobase. A non-trivial typ must outlive
// the allocation (TypeOf<T>() descriptors live for the whole process).
//
// Until the allocator and GC chapters land, memory comes from the C++ heap
// and lives until ReleaseHeapForTeardown(); there is no collector yet.
// Thread-safe.
void* mallocgc(uintptr size, const Type* typ, bool needzero);

// newobject allocates one zero value of typ (Go: newobject, the
// implementation of new(T)).
inline void* newobject(const Type* typ) { return mallocgc(typ->size, typ, true); }

// newarray allocates n zero values of typ (Go: newarray). Panics like Go
// when n * typ->size overflows or exceeds maxAlloc.
void* newarray(const Type* typ, intgo n);

// Frees everything mallocgc has handed out, destroying non-trivial values
// first. Called when a runtime is torn down (and by benchmarks between
// rounds); every pointer into the heap is dead afterwards.
void ReleaseHeapForTeardown();

// Bytes currently held by mallocgc blocks (for tests and benchmarks).
uintptr HeapBytesInUse();

// roundupsize returns the size of the block mallocgc really hands out for a
// request of `size` bytes: the size of the smallest size class that fits
// for small sizes (< _MaxSmallSize), else `size` rounded up to whole pages.
// Slices chapter, step 1.
uintptr roundupsize(uintptr size);

}  // namespace gort::rt

#endif  // GORT_RT_MALLOC_H_
