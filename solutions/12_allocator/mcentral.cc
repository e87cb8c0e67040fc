// The central free lists, one per span class: spans with free objects for
// the mcaches, and new spans from the heap when there are none.
//
// Mirrors Go 1.19 src/runtime/mcentral.go (cacheSpan, uncacheSpan, grow).
#include "include/gort/rt/error.h"
#include "include/gort/rt/mheap.h"

namespace gort::rt {

mspan* mcentral::cacheSpan() {
  const std::uint32_t sg = mheap_.sweepgen;
  mspan* s = nullptr;
  lock(&lock_);
  // 1. A swept span with a free object.
  s = partialSwept(sg)->pop();
  // 2. After a GC (sweepgen advanced) spans wait unswept. Sweeping arrives
  //    with the GC chapter; until then sweepgen never moves and these sets
  //    stay empty.
  if (s == nullptr && (partialUnswept(sg)->head != nullptr || fullUnswept(sg)->head != nullptr)) {
    unlock(&lock_);
    throw_("mcentral: unswept spans before the GC chapter");
  }
  unlock(&lock_);
  // 3. No span: a new one from the heap (without our lock: grow takes the
  //    heap's).
  if (s == nullptr) {
    s = grow();
    if (s == nullptr) return nullptr;
  }
  // Load allocCache at freeindex: the 64-object group holding it, shifted
  // so bit 0 is object freeindex.
  const uintptr freeByteBase = s->freeindex & ~uintptr{63};
  const uintptr whichByte = freeByteBase / 8;
  s->refillAllocCache(whichByte);
  s->allocCache >>= s->freeindex % 64;
  return s;
}

void mcentral::uncacheSpan(mspan* s) {
  if (s->allocCount == 0) throw_("uncaching span but s.allocCount == 0");
  const std::uint32_t sg = mheap_.sweepgen;
  const bool stale = s->sweepgen == sg + 1;
  if (stale) throw_("mcentral: stale cached span before the GC chapter");
  s->sweepgen = sg;
  lock(&lock_);
  if (s->allocCount < s->nelems) {
    partialSwept(sg)->push(s);
  } else {
    fullSwept(sg)->push(s);
  }
  unlock(&lock_);
}

mspan* mcentral::grow() {
  const int sc = spanclass.sizeclass();
  const uintptr npages = class_to_allocnpages[sc];
  const uintptr size = class_to_size[sc];
  mspan* s = mheap_.alloc(npages, spanclass);
  if (s == nullptr) return nullptr;
  // Use division by multiplication to compute the number of objects.
  const uintptr n = s->divideByElemSize(npages << pageShift);
  s->limit = s->base() + size * n;
  return s;
}

}  // namespace gort::rt
