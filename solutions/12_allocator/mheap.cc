// The page heap's allocation entry point and the address-to-span lookup.
//
// Mirrors Go 1.19 src/runtime/mheap.go (allocSpan, spanOf) and mbitmap.go
// (findObject).
#include <new>
#include <tuple>

#include "include/gort/rt/error.h"
#include "include/gort/rt/mheap.h"

namespace gort::rt {

mspan* mheap::allocSpan(uintptr npages, spanAllocType typ, spanClass spc) {
  lock(&lock_);
  if (!initialized) init();
  // 1. Pages: first fit by address; grow the heap if nothing fits.
  auto [base, scav] = pages.alloc(npages);
  if (base == 0) {
    if (!grow(npages)) {
      unlock(&lock_);
      return nullptr;
    }
    std::tie(base, scav) = pages.alloc(npages);
    if (base == 0) throw_("grew heap, but no adequate free space found");
  }
  // 2. Scavenged pages are back in use.
  released -= scav;
  // 3. An mspan record, initialised and entered in the arena index.
  mspan* s = new (spanalloc.alloc()) mspan();
  initSpan(s, typ, spc, base, npages);
  unlock(&lock_);
  return s;
}

mspan* spanOf(uintptr p) {
  if (mheap_.arenas == nullptr) return nullptr;
  const uintptr ri = arenaIndex(p);
  if (ri >= (uintptr{1} << arenaL2Bits)) return nullptr;
  const heapArena* ha = mheap_.arenas[ri];
  if (ha == nullptr) return nullptr;
  mspan* s = ha->spans[(p / pageSize) % pagesPerArena];
  if (s == nullptr || s->state != mSpanInUse || p < s->base() || p >= s->limit) return nullptr;
  return s;
}

uintptr findObject(uintptr p, mspan** sp, uintptr* objIndex) {
  mspan* s = spanOf(p);
  if (s == nullptr) return 0;
  const uintptr idx = s->objIndex(p);
  if (sp != nullptr) *sp = s;
  if (objIndex != nullptr) *objIndex = idx;
  return s->base() + idx * s->elemsize;
}

}  // namespace gort::rt
