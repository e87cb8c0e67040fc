// KATA — chapter 10, step 6: the Go 1.20 additions.
//
// Read chapters/10_syncmap/README.md#step-6-go-120-swap-compareandswap-compareanddelete.
// Mirrors Go 1.20 src/sync/map.go.
#include "include/gort/rt/kata.h"
#include "include/gort/rt/map.h"
#include "include/gort/rt/syncmap.h"

namespace gort::rt::sync {

// Like tryStore, but return the previous p.
void* entry::trySwap(void* /*box*/, bool* /*ok*/) {
  GORT_KATA_TODO("entry::trySwap",
                 "chapters/10_syncmap/README.md#step-6-go-120-swap-compareandswap-compareanddelete");
}

void* entry::swapLocked(void* /*box*/) {
  GORT_KATA_TODO("entry::swapLocked",
                 "chapters/10_syncmap/README.md#step-6-go-120-swap-compareandswap-compareanddelete");
}

bool entry::tryCompareAndSwap(const void* /*old*/, void* /*box*/,
                              bool (* /*eq*/)(const void*, const void*)) {
  GORT_KATA_TODO("entry::tryCompareAndSwap",
                 "chapters/10_syncmap/README.md#step-6-go-120-swap-compareandswap-compareanddelete");
}

// Store's structure, with swaps; loaded means the previous p was a box.
void* Map::Swap(const maptype* /*t*/, const void* /*key*/, void* /*box*/, bool* /*loaded*/) {
  GORT_KATA_TODO("Map::Swap",
                 "chapters/10_syncmap/README.md#step-6-go-120-swap-compareandswap-compareanddelete");
}

bool Map::CompareAndSwap(const maptype* /*t*/, const void* /*key*/, const void* /*old*/,
                         void* /*box*/, bool (* /*eq*/)(const void*, const void*)) {
  GORT_KATA_TODO("Map::CompareAndSwap",
                 "chapters/10_syncmap/README.md#step-6-go-120-swap-compareandswap-compareanddelete");
}

bool Map::CompareAndDelete(const maptype* /*t*/, const void* /*key*/, const void* /*old*/,
                           bool (* /*eq*/)(const void*, const void*)) {
  GORT_KATA_TODO("Map::CompareAndDelete",
                 "chapters/10_syncmap/README.md#step-6-go-120-swap-compareandswap-compareanddelete");
}

}  // namespace gort::rt::sync
