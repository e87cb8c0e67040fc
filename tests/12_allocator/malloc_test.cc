// Step 6: mallocgc's three paths (tiny, small, large) end to end, the
// statistics against Go's, and the typed API.
#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "include/gort/memory.h"
#include "include/gort/rt/malloc.h"
#include "include/gort/rt/mheap.h"
#include "tests/12_allocator/alloc_test_util.h"

namespace gort::testing {
namespace {

using rt::pageSize;
using rt::uintptr;
using Step6_LargeTiny = FreshHeap;
using Step6_Mallocgc = FreshHeap;

uintptr Alloc(uintptr size, const rt::Type* t = NoscanBytes()) {
  return reinterpret_cast<uintptr>(rt::mallocgc(size, t, true));
}

// facts.inc: two 8-byte pointer-free objects share a 16-byte block, the
// second at offset 8.
TEST_F(Step6_LargeTiny, TwoEightBytePointerFreeObjectsShareABlock) {
  const uintptr a = Alloc(8, rt::TypeOf<std::int64_t>());
  const uintptr b = Alloc(8, rt::TypeOf<std::int64_t>());
  EXPECT_EQ(a % rt::maxTinySize, 0u);
  EXPECT_EQ(static_cast<std::int64_t>(b - a), GoFact("tiny_second_8byte_offset"));
  EXPECT_EQ(rt::spanOf(a)->spanclass, rt::makeSpanClass(rt::tinySizeClass, true));
  // A third one needs a new block.
  const uintptr c = Alloc(8, rt::TypeOf<std::int64_t>());
  EXPECT_EQ(c % rt::maxTinySize, 0u);
  EXPECT_NE(c, a);
}

// facts.inc: pointerful 8-byte objects come from size class 1, 8 bytes
// apart, in a scan span, never in a tiny block.
TEST_F(Step6_LargeTiny, PointerfulObjectsAreNotTiny) {
  const uintptr a = Alloc(8, Pointers());
  const uintptr b = Alloc(8, Pointers());
  EXPECT_EQ(static_cast<std::int64_t>(b - a), GoFact("pointerful_8byte_neighbour_step"));
  EXPECT_EQ(rt::spanOf(a)->spanclass, rt::makeSpanClass(1, false));
  const uintptr t = Alloc(8, rt::TypeOf<std::int64_t>());
  EXPECT_NE(rt::spanOf(t), rt::spanOf(a));
}

// facts.inc: after a 4-byte object, an 8-byte one is aligned to 8.
TEST_F(Step6_LargeTiny, TinyOffsetsAreAlignedForTheSize) {
  const uintptr a = Alloc(4, rt::TypeOf<std::int32_t>());
  const uintptr b = Alloc(8, rt::TypeOf<std::int64_t>());
  EXPECT_EQ(a % 16, 0u);
  EXPECT_EQ(static_cast<std::int64_t>(b - a), GoFact("tiny_8byte_after_4byte_offset"));
  const uintptr c = Alloc(2, rt::TypeOf<std::int16_t>());
  const uintptr d = Alloc(1);
  EXPECT_EQ(c, a + 16 + 0);  // block full: a new one
  EXPECT_EQ(d, c + 2);
}

// large_pages.inc: a large object gets a span of its own of
// ceil(size / 8192) pages, starting at the object.
TEST_F(Step6_LargeTiny, LargeObjectsGetTheirOwnSpan) {
  for (const LargePagesRow& r : GoLargePages()) {
    const uintptr p = Alloc(r.size);
    rt::mspan* s = rt::spanOf(p);
    ASSERT_NE(s, nullptr) << r.size;
    EXPECT_EQ(s->base(), p);
    EXPECT_EQ(s->npages, r.pages) << r.size;
    EXPECT_EQ(s->spanclass, rt::makeSpanClass(0, true));
    EXPECT_EQ(s->elemsize, r.pages * pageSize);
    EXPECT_EQ(rt::findObject(p + r.size - 1), p);
    EXPECT_EQ(rt::findObject(p + r.size), 0u);  // past the object: tail of the last page
  }
}

TEST_F(Step6_LargeTiny, LargeObjectsAreZeroedAfterReuse) {
  const uintptr p = Alloc(100000);
  std::memset(reinterpret_cast<void*>(p), 0x5A, 100000);
  rt::mheap_.freeSpan(rt::spanOf(p));
  const uintptr q = Alloc(100000);
  ASSERT_EQ(q, p);  // first fit: the same pages
  const auto* bytes = reinterpret_cast<const unsigned char*>(q);
  EXPECT_EQ(bytes[0], 0);
  EXPECT_EQ(bytes[99999], 0);
}

TEST_F(Step6_Mallocgc, SmallObjectsComeFromTheirClassSpanInOrder) {
  const uintptr a = Alloc(100);
  const uintptr b = Alloc(100);
  EXPECT_EQ(b - a, 112u);  // class 9: 112 bytes
  EXPECT_EQ(rt::spanOf(a)->spanclass, rt::makeSpanClass(rt::sizeToClass(100), true));
  const uintptr c = Alloc(100, rt::TypeOf<std::array<void*, 12>>());
  EXPECT_EQ(rt::spanOf(c)->spanclass, rt::makeSpanClass(rt::sizeToClass(100), false));
}

TEST_F(Step6_Mallocgc, ZeroBytesIsZerobase) {
  EXPECT_EQ(rt::mallocgc(0, NoscanBytes(), true), static_cast<void*>(&rt::zerobase));
}

TEST_F(Step6_Mallocgc, ObjectsAreZeroedAndDistinct) {
  std::vector<uintptr> ptrs;
  for (int i = 0; i < 3000; i++) {
    const uintptr p = Alloc(48, Pointers());
    const auto* bytes = reinterpret_cast<const unsigned char*>(p);
    for (int k = 0; k < 48; k++) ASSERT_EQ(bytes[k], 0);
    std::memset(reinterpret_cast<void*>(p), 0xEE, 48);
    ptrs.push_back(p);
  }
  std::sort(ptrs.begin(), ptrs.end());
  for (std::size_t i = 1; i < ptrs.size(); i++) ASSERT_GE(ptrs[i] - ptrs[i - 1], 48u);
}

// A span fills, goes to the central's full set on refill, comes back to the
// partial set when an object is freed, and is handed out again.
TEST_F(Step6_Mallocgc, SpanMovesPartialToFullToPartialAcrossRefill) {
  const rt::spanClass spc = rt::makeSpanClass(1, false);
  std::vector<uintptr> objs;
  for (int i = 0; i < 1024; i++) objs.push_back(Alloc(8, Pointers()));
  rt::mspan* first = rt::spanOf(objs[0]);
  EXPECT_EQ(first->allocCount, 1024);
  const uintptr next = Alloc(8, Pointers());  // refill
  EXPECT_NE(rt::spanOf(next), first);
  rt::mcentral& c = rt::mheap_.central[spc.value];
  const std::uint32_t sg = rt::mheap_.sweepgen;
  EXPECT_EQ(c.fullSwept(sg)->head, first);
  rt::freeObjectForTest(reinterpret_cast<void*>(objs[700]));
  EXPECT_EQ(c.fullSwept(sg)->n, 0u);
  EXPECT_EQ(c.partialSwept(sg)->head, first);
  // Fill the second span, and the freed slot is the next object.
  rt::mspan* second = rt::spanOf(next);
  for (uintptr i = second->allocCount; i < second->nelems; i++) Alloc(8, Pointers());
  EXPECT_EQ(Alloc(8, Pointers()), objs[700]);
}

// memstats.inc: deltas of Go's MemStats around 512 allocations of
// make([]byte, size), tiny sizes included (Go counts a tiny allocation
// that shares a block as a malloc and a free).
TEST_F(Step6_Mallocgc, MemStatsDeltasMatchGo) {
  for (const MemStatsRow& r : GoMemStats()) {
    rt::ReleaseHeapForTeardown();  // a fresh tiny block for every size
    const rt::MemStats before = Stats();
    for (std::uint64_t i = 0; i < r.n; i++) Alloc(r.size);
    const rt::MemStats after = Stats();
    EXPECT_EQ(after.Mallocs - before.Mallocs, r.mallocs) << "size " << r.size;
    EXPECT_EQ(after.Frees - before.Frees, r.frees) << "size " << r.size;
    EXPECT_EQ(after.HeapAlloc - before.HeapAlloc, r.heap_alloc) << "size " << r.size;
    EXPECT_EQ(after.TotalAlloc - before.TotalAlloc, r.total_alloc) << "size " << r.size;
    EXPECT_EQ(after.HeapObjects - before.HeapObjects, r.heap_objects) << "size " << r.size;
  }
}

// HeapAlloc is the sum of the block sizes of the live objects.
TEST_F(Step6_Mallocgc, HeapAllocIsTheSumOfLiveBlocks) {
  std::uint64_t want = 0;
  std::uint64_t seed = 42;
  for (int i = 0; i < 5000; i++) {
    seed = seed * 6364136223846793005ull + 1442695040888963407ull;
    const uintptr size = 16 + (seed >> 33) % (i % 50 == 0 ? 200000 : 2000);
    Alloc(size, Pointers());
    want += size <= rt::_MaxSmallSize ? rt::class_to_size[rt::sizeToClass(size)]
                                      : rt::alignUp(size, pageSize);
  }
  const rt::MemStats st = Stats();
  EXPECT_EQ(st.HeapAlloc, want);
  EXPECT_EQ(st.Alloc, want);
  EXPECT_EQ(st.Mallocs, 5000u);
  EXPECT_EQ(st.HeapObjects, 5000u);
  EXPECT_GE(st.HeapInuse, st.HeapAlloc);
  EXPECT_GE(st.HeapSys, st.HeapInuse);
  EXPECT_GE(st.Sys, st.HeapSys);
  EXPECT_EQ(st.NumGC, 0u);
  EXPECT_EQ(rt::HeapBytesInUse(), want);
}

TEST_F(Step6_Mallocgc, TeardownEmptiesTheHeap) {
  for (int i = 0; i < 1000; i++) Alloc(1000);
  Alloc(1 << 20);
  EXPECT_GT(rt::HeapBytesInUse(), 0u);
  rt::ReleaseHeapForTeardown();
  EXPECT_EQ(rt::HeapBytesInUse(), 0u);
  EXPECT_EQ(Stats().HeapSys, 0u);
  EXPECT_EQ(Stats().Mallocs, 0u);
}

struct Counted {
  static inline int live = 0;
  std::string name = "zero";
  Counted() noexcept { live++; }
  Counted(const Counted& o) : name(o.name) { live++; }
  explicit Counted(std::string n) : name(std::move(n)) { live++; }
  Counted& operator=(const Counted&) = default;
  ~Counted() { live--; }
};

TEST_F(Step6_Mallocgc, NewBuildsValuesAndTeardownDestroysThem) {
  int* i = gort::New<int>(7);
  EXPECT_EQ(*i, 7);
  EXPECT_EQ(*gort::New<double>(), 0.0);
  Counted::live = 0;
  Counted* a = gort::New<Counted>();
  Counted* b = gort::New<Counted>(std::string("gopher"));
  EXPECT_EQ(a->name, "zero");
  EXPECT_EQ(b->name, "gopher");
  EXPECT_EQ(rt::findObject(reinterpret_cast<uintptr>(&b->name)), reinterpret_cast<uintptr>(b));
  EXPECT_EQ(Counted::live, 2);
  rt::ReleaseHeapForTeardown();
  EXPECT_EQ(Counted::live, 0);
}

TEST_F(Step6_Mallocgc, TypedReadMemStatsAndFreeOSMemory) {
  gort::MemStats st;
  gort::New<std::int64_t>(1);
  gort::ReadMemStats(&st);
  EXPECT_EQ(st.Mallocs, 1u);
  gort::FreeOSMemory();
  gort::ReadMemStats(&st);
  EXPECT_EQ(st.HeapReleased, st.HeapIdle);
}

#if defined(__SANITIZE_ADDRESS__)
// Free slots are poisoned: ASan reports a read of one.
TEST_F(Step6_Mallocgc, AsanCatchesUseOfAFreeSlot) {
  const uintptr a = Alloc(64);
  EXPECT_DEATH({ (void)*reinterpret_cast<volatile char*>(a + 64); }, "use-after-poison");
}
#endif

}  // namespace
}  // namespace gort::testing
