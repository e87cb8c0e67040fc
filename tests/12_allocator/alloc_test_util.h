// Helpers for the allocator chapter's tests: a fresh heap per test, spans
// built by hand over a buffer (so the bitmap and mcache steps need no heap),
// and the Go 1.19 ground truth tables.
#ifndef GORT_TESTS_12_ALLOCATOR_ALLOC_TEST_UTIL_H_
#define GORT_TESTS_12_ALLOCATOR_ALLOC_TEST_UTIL_H_

#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string_view>
#include <vector>

#include "gtest/gtest.h"
#include "include/gort/rt/malloc.h"
#include "include/gort/rt/mheap.h"
#include "include/gort/rt/type.h"

namespace gort::testing {

// Go 1.19's size-class table as tools/groundtruth/slices recorded it from
// $GOROOT/src/runtime/sizeclasses.go.
struct SizeClassRow {
  int sizeclass;
  std::uint64_t bytes_obj, bytes_span, objects, tail_waste, max_waste_x100;
};
inline const std::vector<SizeClassRow>& GoSizeClasses() {
  static const auto* rows = new std::vector<SizeClassRow>{
#include "tools/groundtruth/slices/size_classes.inc"
  };
  return *rows;
}

// roundupsize runs observed on Go 1.19 ({max_n, rounded}).
struct RoundupRow {
  std::uint64_t max_n, rounded;
};
inline const std::vector<RoundupRow>& GoRoundups() {
  static const auto* rows = new std::vector<RoundupRow>{
#include "tools/groundtruth/slices/roundupsize.inc"
  };
  return *rows;
}

// MemStats deltas around n allocations of make([]byte, size) on Go 1.19.
struct MemStatsRow {
  std::uint64_t size, n, mallocs, frees, heap_alloc, total_alloc, heap_objects;
};
inline const std::vector<MemStatsRow>& GoMemStats() {
  static const auto* rows = new std::vector<MemStatsRow>{
#include "tools/groundtruth/allocator/memstats.inc"
  };
  return *rows;
}

struct LargePagesRow {
  std::uint64_t size, pages;
};
inline const std::vector<LargePagesRow>& GoLargePages() {
  static const auto* rows = new std::vector<LargePagesRow>{
#include "tools/groundtruth/allocator/large_pages.inc"
  };
  return *rows;
}

struct Fact {
  std::string_view name;
  std::int64_t value;
};
inline std::int64_t GoFact(std::string_view name) {
  static const Fact facts[] = {
#include "tools/groundtruth/allocator/facts.inc"
  };
  for (const Fact& f : facts) {
    if (f.name == name) return f.value;
  }
  ADD_FAILURE() << "no ground truth fact " << name;
  return -1;
}

inline bool UnderSanitizer() {
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
  return true;
#else
  return false;
#endif
}

// Every test starts and ends with an empty heap (no arenas, no spans, no
// statistics), so addresses and counters are those of a fresh process.
class FreshHeap : public ::testing::Test {
 protected:
  void SetUp() override {
    rt::ReleaseHeapForTeardown();
    rt::lock(&rt::mheap_.lock_);
    if (!rt::mheap_.initialized) rt::mheap_.init();
    rt::unlock(&rt::mheap_.lock_);
  }
  void TearDown() override { rt::ReleaseHeapForTeardown(); }

  static rt::MemStats Stats() {
    rt::MemStats st;
    rt::ReadMemStats(&st);
    return st;
  }
};

// A span of size class `sizeclass` built by hand over a heap-allocated
// buffer (not in the arena index): fresh bitmaps, nothing allocated.
struct TestSpan {
  std::unique_ptr<char[]> mem;
  rt::mspan span;

  explicit TestSpan(int sizeclass, bool noscan = true) {
    const rt::uintptr npages = rt::class_to_allocnpages[sizeclass];
    const rt::uintptr bytes = npages * rt::pageSize;
    mem.reset(new char[bytes + rt::pageSize]);
    const rt::uintptr base = rt::alignUp(reinterpret_cast<rt::uintptr>(mem.get()), rt::pageSize);
    span.init(base, npages);
    span.spanclass = rt::spanClass{static_cast<std::uint8_t>(sizeclass << 1 | (noscan ? 1 : 0))};
    span.elemsize = rt::class_to_size[sizeclass];
    span.nelems = bytes / span.elemsize;
    span.divMul = rt::divMagic(span.elemsize);
    span.limit = base + span.nelems * span.elemsize;
    rt::lock(&rt::mheap_.lock_);
    span.allocBits = rt::newAllocBits(span.nelems);
    span.gcmarkBits = rt::newMarkBits(span.nelems);
    rt::unlock(&rt::mheap_.lock_);
    span.allocCache = ~std::uint64_t{0};
    span.state = rt::mSpanInUse;
  }
  rt::mspan* operator->() { return &span; }
  rt::mspan* get() { return &span; }
  void SetAllocBit(rt::uintptr i) { span.allocBits[i / 8] |= static_cast<std::uint8_t>(1u << (i % 8)); }
};

inline const rt::Type* NoscanBytes() { return rt::TypeOf<std::uint8_t>(); }
inline const rt::Type* Pointers() { return rt::TypeOf<void*>(); }

}  // namespace gort::testing

#endif  // GORT_TESTS_12_ALLOCATOR_ALLOC_TEST_UTIL_H_
