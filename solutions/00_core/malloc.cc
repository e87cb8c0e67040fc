// mallocgc until the allocator chapter: the runtime's single allocation
// entry point, backed for now by the C++ heap.
//
// Mirrors the contract of Go 1.19 src/runtime/malloc.go mallocgc (zeroed
// memory, &zerobase for 0 bytes), not its machinery: size classes, spans and
// per-P caches arrive with the allocator chapter, and collection with the GC
// chapter. Until then nothing is freed before ReleaseHeapForTeardown().
//
// Every block carries a header linking it into one list, so teardown can
// destroy non-trivial C++ values and free the memory.
#include "include/gort/rt/malloc.h"

#include <algorithm>
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <mutex>
#include <new>

#include <sys/mman.h>

#include "include/gort/rt/error.h"
#include "include/gort/rt/sizeclasses.h"

namespace gort::rt {

alignas(std::max_align_t) char zerobase[8];

namespace {

// Linux's transparent huge page size on x86-64 and arm64 (4 KiB base pages).
constexpr uintptr kHugePageSize = uintptr{2} << 20;

struct BlockHeader {
  BlockHeader* next;
  const Type* typ;  // set only for non-trivial types: teardown destroys them
  uintptr size;     // bytes the caller asked for
  void* base;       // what std::aligned_alloc returned
};

struct Heap {
  std::mutex mu;
  BlockHeader* blocks = nullptr;  // guarded by mu
  uintptr in_use = 0;             // guarded by mu
};

Heap& heap() {
  static Heap* h = new Heap;  // never destroyed: used until process exit
  return *h;
}

}  // namespace

void* mallocgc(uintptr size, const Type* typ, bool needzero) {
  if (size == 0) return &zerobase;
  const uintptr align =
      std::max<uintptr>(alignof(std::max_align_t), typ != nullptr ? typ->align : 1);
  const uintptr header = alignUp(sizeof(BlockHeader), align);
  uintptr total = alignUp(header + size, align);
  void* base;
  if (total >= kHugePageSize) {
    // Big blocks (map bucket arrays, large slices) get transparent huge
    // pages, as Go 1.19 asks for its heap (sysUsed -> sysHugePage): one TLB
    // entry per 2 MiB instead of 512, which matters for the random access
    // pattern of a hash table.
    total = alignUp(total, kHugePageSize);
    base = std::aligned_alloc(kHugePageSize, total);
    if (base != nullptr) madvise(base, total, MADV_HUGEPAGE);
  } else {
    base = std::aligned_alloc(align, total);
  }
  if (base == nullptr) throw_("out of memory");
  char* p = static_cast<char*>(base) + header;
  auto* h = reinterpret_cast<BlockHeader*>(p - sizeof(BlockHeader));
  // Only non-trivial types are remembered: teardown must run their
  // destructors. Trivial descriptors may be short-lived (tests build them on
  // the stack), so the block must not keep a pointer to them.
  h->typ = typ != nullptr && !typ->trivial ? typ : nullptr;
  h->size = size;
  h->base = base;

  if (typ != nullptr && !typ->trivial) {
    typ->zero(p, size / typ->size);
  } else if (needzero) {
    std::memset(p, 0, size);
  }

  Heap& hp = heap();
  std::lock_guard<std::mutex> lock(hp.mu);
  h->next = hp.blocks;
  hp.blocks = h;
  hp.in_use += size;
  return p;
}

void* newarray(const Type* typ, intgo n) {
  if (n == 1) return mallocgc(typ->size, typ, true);
  if (n < 0 || (typ->size != 0 && static_cast<uintptr>(n) > maxAlloc / typ->size)) {
    panicError(std::make_shared<plainError>("runtime: allocation size out of range"));
  }
  return mallocgc(typ->size * static_cast<uintptr>(n), typ, true);
}

void ReleaseHeapForTeardown() {
  Heap& hp = heap();
  BlockHeader* blocks;
  {
    std::lock_guard<std::mutex> lock(hp.mu);
    blocks = hp.blocks;
    hp.blocks = nullptr;
    hp.in_use = 0;
  }
  while (blocks != nullptr) {
    BlockHeader* next = blocks->next;
    if (blocks->typ != nullptr) {
      blocks->typ->destroy(reinterpret_cast<char*>(blocks + 1),
                           blocks->size / blocks->typ->size);
    }
    std::free(blocks->base);
    blocks = next;
  }
}

uintptr HeapBytesInUse() {
  Heap& hp = heap();
  std::lock_guard<std::mutex> lock(hp.mu);
  return hp.in_use;
}

}  // namespace gort::rt
