// roundupsize: the block size mallocgc really returns for a request.
//
// Mirrors Go 1.19 src/runtime/msize.go.
#include "include/gort/rt/malloc.h"
#include "include/gort/rt/sizeclasses.h"

namespace gort::rt {

uintptr roundupsize(uintptr size) {
  if (size < _MaxSmallSize) {
    // Small: the size of the smallest class that fits. Two lookup tables
    // keep the arrays short: 8-byte steps up to 1 KiB, 128-byte steps above.
    if (size <= smallSizeMax - 8) {
      return class_to_size[size_to_class8[divRoundUp(size, smallSizeDiv)]];
    }
    return class_to_size[size_to_class128[divRoundUp(size - smallSizeMax, largeSizeDiv)]];
  }
  // Large: whole pages. A size this close to the top of the address space
  // would wrap; return it unchanged and let the caller's checks fail.
  if (size + _PageSize < size) return size;
  return alignUp(size, _PageSize);
}

}  // namespace gort::rt
