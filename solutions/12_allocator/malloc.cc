// mallocgc: the runtime's one allocation entry point. Three paths, as in
// Go: the tiny allocator (pointer-free, < 16 bytes, packed into 16-byte
// blocks), small objects (<= 32 KiB) from the P's mcache by size class, and
// large objects with a span of their own.
//
// Mirrors Go 1.19 src/runtime/malloc.go (mallocgc). No GC yet: no assist
// credit, no heap bitmap writes, no profiling samples.
#include <cstring>

#include "include/gort/rt/error.h"
#include "include/gort/rt/malloc.h"
#include "include/gort/rt/mheap.h"
#include "include/gort/rt/runtime2.h"

namespace gort::rt {

void* mallocgc(uintptr size, const Type* typ, bool needzero) {
  if (size == 0) return &zerobase;
  const uintptr reqsize = size;
  const bool nontrivial = typ != nullptr && !typ->trivial;
  const bool noscan = typ == nullptr || typ->ptrdata == 0;

  // Pin the m (no preemption, no migration): the P and its mcache are ours
  // until releasem.
  m* mp = acquirem();
  if (mp != nullptr) {
    if (mp->mallocing != 0) throw_("malloc deadlock");
    mp->mallocing = 1;
  }
  mcache* c = getMCache(mp);
  mspan* span = nullptr;
  void* x = nullptr;
  if (size <= _MaxSmallSize) {
    if (noscan && size < maxTinySize && !nontrivial) {
      // Tiny allocator: combine several pointer-free allocations in one
      // 16-byte block; the block lives as long as any of them. Align the
      // offset for the size (8-byte values at 8, 4-byte at 4, ...).
      uintptr off = c->tinyoffset;
      if ((size & 7) == 0) {
        off = alignUp(off, 8);
      } else if ((size & 3) == 0) {
        off = alignUp(off, 4);
      } else if ((size & 1) == 0) {
        off = alignUp(off, 2);
      }
      if (off + size <= maxTinySize && c->tiny != 0) {
        // It fits into the existing block.
        x = reinterpret_cast<void*>(c->tiny + off);
        c->tinyoffset = off + size;
        ownerAdd(c->stats.tinyAllocCount, 1);
        asanUnpoison(c->tiny + off, size);
        putMCache(c);
        if (mp != nullptr) {
          mp->mallocing = 0;
          releasem(mp);
        }
        return x;
      }
      // A new 16-byte block.
      span = c->alloc[makeSpanClass(tinySizeClass, true).value];
      uintptr v = nextFreeFast(span);
      if (v == 0) v = c->nextFree(makeSpanClass(tinySizeClass, true), &span);
      ownerAdd(c->stats.smallAllocCount[tinySizeClass], 1);
      asanUnpoison(v, maxTinySize);
      x = reinterpret_cast<void*>(v);
      std::memset(x, 0, maxTinySize);
      asanPoison(v + size, maxTinySize - size);
      // Keep whichever block has more room left: the new one or the old.
      if (size < c->tinyoffset || c->tiny == 0) {
        c->tiny = v;
        c->tinyoffset = size;
      }
      size = maxTinySize;
    } else {
      const std::uint8_t sizeclass = sizeToClass(size);
      size = class_to_size[sizeclass];
      const spanClass spc = makeSpanClass(sizeclass, noscan);
      span = c->alloc[spc.value];
      uintptr v = nextFreeFast(span);
      if (v == 0) v = c->nextFree(spc, &span);
      ownerAdd(c->stats.smallAllocCount[sizeclass], 1);
      x = reinterpret_cast<void*>(v);
      asanUnpoison(v, reqsize);
      if (needzero && span->needzero) std::memset(x, 0, reqsize);
    }
  } else {
    span = c->allocLarge(size, noscan);
    span->freeindex = 1;
    span->allocCount = 1;
    x = reinterpret_cast<void*>(span->base());
    size = span->elemsize;
    asanUnpoison(span->base(), reqsize);
    if (needzero && span->needzero) std::memset(x, 0, reqsize);
  }
  putMCache(c);
  if (mp != nullptr) {
    mp->mallocing = 0;
    releasem(mp);
  }
  // C++ values that are not plain memory: construct them and remember to
  // destroy them.
  if (nontrivial) initNonTrivial(span, x, reqsize, typ);
  return x;
}

}  // namespace gort::rt
