// The runtime side of Go slices: the slice header and the functions the
// compiler calls for make([]T, len, cap), append and copy.
//
// Mirrors Go 1.19 src/runtime/slice.go. The growth-policy part of
// growslice is split out as nextslicecap (the name later Go releases use
// for it), so each policy can be read (and written, in the kata) on its own.
//
// Invariants of a slice header s:
//   0 <= s.len <= s.cap;
//   s.array == nullptr only for a nil slice (then len == cap == 0);
//   elements [0, s.cap) of s.array are constructed values of the element
//   type (zero values where nothing was stored), so s[:cap] is always safe.
#ifndef GORT_RT_SLICE_H_
#define GORT_RT_SLICE_H_

#include "include/gort/rt/type.h"
#include "include/gort/rt/types.h"

namespace gort::rt {

// Go's runtime.slice: what a []T variable holds.
struct slice {
  void* array = nullptr;  // first element; null for a nil slice
  intgo len = 0;          // elements in use
  intgo cap = 0;          // elements the backing array has room for
};

// makeslice allocates the backing array for make([]T, len, cap) and returns
// it; elements are zero values. Panics with Go's errors:
//   "makeslice: len out of range" if len < 0 or len*size overflows/exceeds
//   maxAlloc; otherwise "makeslice: cap out of range" if cap < len or
//   cap*size is too large. A 0-byte request returns &zerobase (not null).
// Slices chapter, step 2.
void* makeslice(const Type* et, intgo len, intgo cap);

// Which growth rule growslice applies (GODEBUG=slicegrowth=go1.17 selects
// the older one; see debug.h).
enum class SliceGrowth {
  kGo118,  // Go 1.18 and later: threshold 256, smooth transition (default)
  kGo117,  // the rule in the notes: double below 1024, then +25%
};

// nextslicecap returns the capacity (in elements, before rounding up to a
// size class) that growslice picks when a slice of capacity oldCap must hold
// newLen elements, by Go 1.18+'s rule. Requires newLen > oldCap.
// Slices chapter, step 3.
intgo nextslicecap(intgo newLen, intgo oldCap);

// nextslicecap117 is the same decision by the notes' rule for Go <= 1.17:
// double while the old length is below 1024, else grow by a quarter until
// big enough. `oldLen` is the length the notes' code tests. Step 4.
intgo nextslicecap117(intgo newLen, intgo oldLen, intgo oldCap);

// growslice allocates a larger backing array for append: room for at least
// newLen elements (newLen > old.cap), capacity chosen by the active policy
// and rounded up so the array fills its size class. Copies old.len elements,
// returns {new array, old.len, new cap}: the caller (append) sets the length
// and stores the appended values into [old.len, newLen). Elements from
// newLen on are zero values; [old.len, newLen) are zero values too for
// non-trivial types, and left unset for trivial ones (Go skips clearing
// what append overwrites at once).
// Panics "growslice: cap out of range" when newLen < old.cap or the array
// would exceed maxAlloc. Step 5.
slice growslice(const Type* et, slice old, intgo newLen);

// slicecopy copies min(fromLen, toLen) elements of `width` bytes, handling
// overlap, and returns that count: Go's copy() for pointer-free elements.
// Step 6.
intgo slicecopy(void* toPtr, intgo toLen, const void* fromPtr, intgo fromLen,
                uintptr width);

// typedslicecopy is copy() for element types that need their type (Go:
// mbarrier.go, where it adds write barriers; here non-trivial C++ values are
// copy-assigned through typ->assign). Same contract as slicecopy. Step 6.
intgo typedslicecopy(const Type* typ, void* dstPtr, intgo dstLen,
                     const void* srcPtr, intgo srcLen);

}  // namespace gort::rt

#endif  // GORT_RT_SLICE_H_
