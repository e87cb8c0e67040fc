// Slices: makeslice, growslice (with both growth policies) and copy.
//
// Mirrors Go 1.19 src/runtime/slice.go. nextslicecap is the policy half of
// growslice (later Go releases split it out under that name);
// nextslicecap117 is the rule the notes teach (Go <= 1.17). typedslicecopy
// mirrors mbarrier.go's.
//
// growslice's contract with append (the compiler side, include/gort/slice.h):
// it returns a header whose len is still old.len; append sets the new length
// and stores the appended values into the zero values growslice left there.
#include "include/gort/rt/slice.h"

#include <cstring>
#include <memory>

#include "include/gort/rt/debug.h"
#include "include/gort/rt/error.h"
#include "include/gort/rt/malloc.h"
#include "include/gort/rt/sizeclasses.h"

namespace gort::rt {
namespace {

[[noreturn]] void panicmakeslicelen() {
  panicError(std::make_shared<errorString>("makeslice: len out of range"));
}

[[noreturn]] void panicmakeslicecap() {
  panicError(std::make_shared<errorString>("makeslice: cap out of range"));
}

[[noreturn]] void panicgrowslicecap() {
  panicError(std::make_shared<errorString>("growslice: cap out of range"));
}

// a * b, and whether it overflowed (Go's math.MulUintptr).
uintptr MulUintptr(uintptr a, uintptr b, bool* overflow) {
  uintptr product;
  *overflow = __builtin_mul_overflow(a, b, &product);
  return product;
}

bool isPowerOfTwo(uintptr x) { return (x & (x - 1)) == 0; }

}  // namespace

void* makeslice(const Type* et, intgo len, intgo cap) {
  bool overflow;
  uintptr mem = MulUintptr(et->size, static_cast<uintptr>(cap), &overflow);
  if (overflow || mem > maxAlloc || len < 0 || len > cap) {
    // Report the length if the length alone is bad: the caller wrote
    // make([]T, len) and never mentioned a capacity.
    mem = MulUintptr(et->size, static_cast<uintptr>(len), &overflow);
    if (overflow || mem > maxAlloc || len < 0) panicmakeslicelen();
    panicmakeslicecap();
  }
  return mallocgc(mem, et, /*needzero=*/true);
}

intgo nextslicecap(intgo newLen, intgo oldCap) {
  intgo newcap = oldCap;
  const intgo doublecap = addWrap(newcap, newcap);
  if (newLen > doublecap) return newLen;

  constexpr intgo threshold = 256;
  if (oldCap < threshold) return doublecap;
  // From 2x for small slices towards 1.25x for large ones, smoothly. The
  // 0 < newcap check stops the loop if the addition overflows.
  while (0 < newcap && newcap < newLen) {
    newcap = addWrap(newcap, addWrap(newcap, 3 * threshold) / 4);
  }
  // On overflow, settle for exactly what was asked.
  if (newcap <= 0) return newLen;
  return newcap;
}

intgo nextslicecap117(intgo newLen, intgo oldLen, intgo oldCap) {
  intgo newcap = oldCap;
  const intgo doublecap = addWrap(newcap, newcap);
  if (newLen > doublecap) return newLen;
  if (oldLen < 1024) return doublecap;
  while (0 < newcap && newcap < newLen) newcap = addWrap(newcap, newcap / 4);
  if (newcap <= 0) return newLen;
  return newcap;
}

slice growslice(const Type* et, slice old, intgo newLen) {
  if (newLen < old.cap) panicgrowslicecap();

  if (et->size == 0) {
    // Zero-sized elements need no memory, but append must not produce a
    // nil pointer with a non-zero length.
    return slice{&zerobase, old.len, newLen};
  }

  intgo newcap = debug.slicegrowth.load(std::memory_order_relaxed) == SliceGrowth::kGo117
                     ? nextslicecap117(newLen, old.len, old.cap)
                     : nextslicecap(newLen, old.cap);

  // Round the array up to a whole size-class block and keep what fits: the
  // allocator would hand out those bytes anyway. Go specialises the common
  // element sizes to avoid a division; the arithmetic is the same.
  bool overflow;
  uintptr lenmem, capmem;
  const uintptr size = et->size;
  if (size == 1) {
    lenmem = static_cast<uintptr>(old.len);
    capmem = roundupsize(static_cast<uintptr>(newcap));
    overflow = static_cast<uintptr>(newcap) > maxAlloc;
    newcap = static_cast<intgo>(capmem);
  } else if (size == kPtrSize) {
    lenmem = static_cast<uintptr>(old.len) * kPtrSize;
    capmem = roundupsize(static_cast<uintptr>(newcap) * kPtrSize);
    overflow = static_cast<uintptr>(newcap) > maxAlloc / kPtrSize;
    newcap = static_cast<intgo>(capmem / kPtrSize);
  } else if (isPowerOfTwo(size)) {
    const uintptr shift = static_cast<uintptr>(__builtin_ctzll(size)) & 63;
    lenmem = static_cast<uintptr>(old.len) << shift;
    capmem = roundupsize(static_cast<uintptr>(newcap) << shift);
    overflow = static_cast<uintptr>(newcap) > (maxAlloc >> shift);
    newcap = static_cast<intgo>(capmem >> shift);
  } else {
    lenmem = static_cast<uintptr>(old.len) * size;
    capmem = MulUintptr(size, static_cast<uintptr>(newcap), &overflow);
    capmem = roundupsize(capmem);
    newcap = static_cast<intgo>(capmem / size);
  }
  if (overflow || capmem > maxAlloc) panicgrowslicecap();

  // The old array is left as it was: other slices may still share it.
  void* p;
  if (et->trivial) {
    // Plain memory: append is about to overwrite [old.len, newLen), so,
    // like Go for pointer-free elements, clear only what lies beyond it.
    const uintptr newlenmem = static_cast<uintptr>(newLen) * size;
    p = mallocgc(capmem, et, /*needzero=*/false);
    std::memset(static_cast<char*>(p) + newlenmem, 0, capmem - newlenmem);
    if (lenmem > 0) std::memmove(p, old.array, lenmem);
  } else {
    // C++ objects: mallocgc constructs zero values in the whole array, and
    // the old elements are copy-assigned over the first old.len of them.
    p = mallocgc(capmem, et, /*needzero=*/true);
    if (old.len > 0) et->assign(p, old.array, static_cast<uintptr>(old.len));
  }
  return slice{p, old.len, newcap};
}

intgo slicecopy(void* toPtr, intgo toLen, const void* fromPtr, intgo fromLen,
                uintptr width) {
  if (fromLen == 0 || toLen == 0) return 0;
  const intgo n = fromLen < toLen ? fromLen : toLen;
  if (width == 0) return n;
  const uintptr size = static_cast<uintptr>(n) * width;
  if (size == 1) {
    // Go's fast path: a single byte needs no memmove call.
    *static_cast<unsigned char*>(toPtr) = *static_cast<const unsigned char*>(fromPtr);
  } else {
    std::memmove(toPtr, fromPtr, size);
  }
  return n;
}

intgo typedslicecopy(const Type* typ, void* dstPtr, intgo dstLen,
                     const void* srcPtr, intgo srcLen) {
  const intgo n = dstLen < srcLen ? dstLen : srcLen;
  if (n == 0 || dstPtr == srcPtr) return n;
  if (typ->trivial) {
    std::memmove(dstPtr, srcPtr, static_cast<uintptr>(n) * typ->size);
  } else {
    typ->assign(dstPtr, srcPtr, static_cast<uintptr>(n));
  }
  return n;
}

}  // namespace gort::rt
