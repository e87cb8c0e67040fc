// The per-P cache: the next free object of a class, refills from mcentral,
// large objects straight from the heap.
//
// Mirrors Go 1.19 src/runtime/malloc.go (nextFree) and mcache.go (refill,
// allocLarge).
#include "include/gort/rt/error.h"
#include "include/gort/rt/mheap.h"

namespace gort::rt {

uintptr mcache::nextFree(spanClass spc, mspan** sp) {
  mspan* s = alloc[spc.value];
  uintptr freeIndex = s->nextFreeIndex();
  if (freeIndex == s->nelems) {
    // The span is full.
    if (s->allocCount != s->nelems) throw_("s.allocCount != s.nelems && freeIndex == s.nelems");
    refill(spc);
    s = alloc[spc.value];
    freeIndex = s->nextFreeIndex();
  }
  if (freeIndex >= s->nelems) throw_("freeIndex is not valid");
  const uintptr v = freeIndex * s->elemsize + s->base();
  s->allocCount++;
  if (s->allocCount > s->nelems) throw_("s.allocCount > s.nelems");
  if (sp != nullptr) *sp = s;
  return v;
}

void mcache::refill(spanClass spc) {
  // Return the current cached span to the central lists.
  mspan* s = alloc[spc.value];
  if (s->allocCount != s->nelems) throw_("refill of span with free space remaining");
  if (s != &emptymspan) {
    if (s->sweepgen != mheap_.sweepgen + 3) throw_("bad sweepgen in refill");
    mheap_.central[spc.value].uncacheSpan(s);
  }
  // Get a new cached span from the central lists.
  s = mheap_.central[spc.value].cacheSpan();
  if (s == nullptr) throw_("out of memory");
  if (s->allocCount == s->nelems) throw_("span has no free space");
  // Swept and cached: sweepgen + 3 (see mspan::sweepgen).
  s->sweepgen = mheap_.sweepgen + 3;
  alloc[spc.value] = s;
}

mspan* mcache::allocLarge(uintptr size, bool noscan) {
  if (size + pageSize < size) throw_("out of memory");
  uintptr npages = size >> pageShift;
  if ((size & _PageMask) != 0) npages++;
  const spanClass spc = makeSpanClass(0, noscan);
  mspan* s = mheap_.alloc(npages, spc);
  if (s == nullptr) throw_("out of memory");
  ownerAdd(stats.largeAlloc, npages * pageSize);
  ownerAdd(stats.largeAllocCount, 1);
  // The object's end; the rest of the last page is tail waste.
  s->limit = s->base() + size;
  return s;
}

}  // namespace gort::rt
