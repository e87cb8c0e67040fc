// Size classes and span classes: which class a small request falls in, and
// how a span's class packs the size class with the noscan bit.
//
// Mirrors Go 1.19 src/runtime/sizeclasses.go (the tables, in
// include/gort/rt/sizeclasses.h), malloc.go (the class lookup inlined in
// mallocgc) and mheap.go (makeSpanClass).
#include "include/gort/rt/mheap.h"

namespace gort::rt {

spanClass makeSpanClass(std::uint8_t sizeclass, bool noscan) {
  return spanClass{static_cast<std::uint8_t>(sizeclass << 1 | (noscan ? 1 : 0))};
}

std::uint8_t sizeToClass(uintptr size) {
  if (size <= smallSizeMax - 8) return size_to_class8[divRoundUp(size, smallSizeDiv)];
  return size_to_class128[divRoundUp(size - smallSizeMax, largeSizeDiv)];
}

}  // namespace gort::rt
