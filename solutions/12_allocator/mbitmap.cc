// Span bitmaps: allocBits, the allocCache window over them, and the
// fastest allocation path, nextFreeFast.
//
// Mirrors Go 1.19 src/runtime/mbitmap.go (refillAllocCache, nextFreeIndex,
// objIndex) and malloc.go (nextFreeFast).
#include <bit>

#include "include/gort/rt/error.h"
#include "include/gort/rt/mheap.h"

namespace gort::rt {

namespace {

// x >> n with Go's meaning for n == 64 (0); in C++ that shift is undefined.
std::uint64_t shr(std::uint64_t x, int n) { return n >= 64 ? 0 : x >> n; }

}  // namespace

void mspan::refillAllocCache(uintptr whichByte) {
  // Eight bytes of allocBits, little-endian: byte 0 holds objects
  // whichByte*8 .. whichByte*8+7. Complement: 1 now means free.
  const std::uint8_t* bytes = allocBits + whichByte;
  std::uint64_t aCache = 0;
  for (int i = 0; i < 8; i++) aCache |= static_cast<std::uint64_t>(bytes[i]) << (8 * i);
  allocCache = ~aCache;
}

uintptr mspan::nextFreeIndex() {
  uintptr sfreeindex = freeindex;
  const uintptr snelems = nelems;
  if (sfreeindex == snelems) return sfreeindex;
  if (sfreeindex > snelems) throw_("s.freeindex > s.nelems");

  std::uint64_t aCache = allocCache;
  int bitIndex = std::countr_zero(aCache);
  while (bitIndex == 64) {
    // Nothing free in this 64-object group: move to the next one.
    sfreeindex = (sfreeindex + 64) & ~uintptr{63};
    if (sfreeindex >= snelems) {
      freeindex = snelems;
      return snelems;
    }
    refillAllocCache(sfreeindex / 8);
    aCache = allocCache;
    bitIndex = std::countr_zero(aCache);
  }
  const uintptr result = sfreeindex + static_cast<uintptr>(bitIndex);
  if (result >= snelems) {
    freeindex = snelems;
    return snelems;
  }
  allocCache = shr(allocCache, bitIndex + 1);
  sfreeindex = result + 1;
  if (sfreeindex % 64 == 0 && sfreeindex != snelems) {
    // Crossed into the next group: load its bits.
    refillAllocCache(sfreeindex / 8);
  }
  freeindex = sfreeindex;
  return result;
}

uintptr nextFreeFast(mspan* s) {
  const int theBit = std::countr_zero(s->allocCache);
  if (theBit < 64) {
    const uintptr result = s->freeindex + static_cast<uintptr>(theBit);
    if (result < s->nelems) {
      const uintptr freeidx = result + 1;
      // A refill is due at a 64-object boundary: leave it to nextFree.
      if (freeidx % 64 == 0 && freeidx != s->nelems) return 0;
      s->allocCache = shr(s->allocCache, theBit + 1);
      s->freeindex = freeidx;
      s->allocCount++;
      return result * s->elemsize + s->base();
    }
  }
  return 0;
}

uintptr mspan::objIndex(uintptr p) const {
  return divideByElemSize(p - base());
}

}  // namespace gort::rt
