// Step 5: the page allocator, allocSpan, and the page-to-span lookup
// (spanOf, findObject). Includes mcentral::grow (Step 4's function, which
// needs allocSpan to have something to grow from).
#include <sys/mman.h>

#include <cstdint>
#include <cstring>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "include/gort/rt/mheap.h"
#include "tests/12_allocator/alloc_test_util.h"

namespace gort::testing {
namespace {

using rt::pageSize;
using rt::uintptr;
using Step5_MheapPages = FreshHeap;

// A page allocator over a fake address range: it never touches the pages.
constexpr uintptr kFakeBase = uintptr{0x100000000000};

struct FakePages {
  rt::pageAlloc pa;
  explicit FakePages(uintptr chunks = 2) {
    pa.madviseEnabled = false;
    pa.grow(kFakeBase, chunks * rt::pallocChunkBytes);
  }
  ~FakePages() { pa.reset(); }
  uintptr Alloc(uintptr n) { return pa.alloc(n).first; }
};

uintptr Page(uintptr i) { return kFakeBase + i * pageSize; }

TEST(Step5_PageAlloc, FirstFitByAddress) {
  FakePages p;
  EXPECT_EQ(p.Alloc(1), Page(0));
  EXPECT_EQ(p.Alloc(3), Page(1));
  EXPECT_EQ(p.Alloc(2), Page(4));
  p.pa.free(Page(0), 1);
  EXPECT_EQ(p.Alloc(2), Page(6));  // the 1-page hole is too small
  EXPECT_EQ(p.Alloc(1), Page(0));  // ... but takes a single page
}

TEST(Step5_PageAlloc, FreedNeighboursCoalesce) {
  FakePages p;
  const uintptr a = p.Alloc(2), b = p.Alloc(2), c = p.Alloc(2);
  p.Alloc(1);  // keeps the run from reaching the free tail
  p.pa.free(b, 2);
  p.pa.free(a, 2);
  EXPECT_EQ(p.Alloc(4), a);
  p.pa.free(c, 2);
  EXPECT_EQ(p.Alloc(2), c);
}

TEST(Step5_PageAlloc, RunsCrossChunkBoundaries) {
  FakePages p;
  EXPECT_EQ(p.Alloc(511), Page(0));
  EXPECT_EQ(p.Alloc(2), Page(511));  // pages 511 and 512: two chunks
  EXPECT_EQ(p.Alloc(400), Page(513));
  EXPECT_EQ(p.Alloc(111), Page(913));  // exactly the rest
  EXPECT_EQ(p.pa.alloc(1).first, 0u);
}

TEST(Step5_PageAlloc, ARunLongerThanTheFreeSpaceFails) {
  FakePages p;
  EXPECT_EQ(p.pa.alloc(1025).first, 0u);
  EXPECT_EQ(p.Alloc(1024), Page(0));
  EXPECT_EQ(p.pa.alloc(1).first, 0u);
}

TEST(Step5_PageAlloc, RunsDoNotCrossGapsInTheAddressSpace) {
  rt::pageAlloc pa;
  pa.madviseEnabled = false;
  pa.grow(kFakeBase, rt::pallocChunkBytes);
  pa.grow(kFakeBase + 2 * rt::pallocChunkBytes, rt::pallocChunkBytes);  // a gap between
  EXPECT_EQ(pa.alloc(300).first, kFakeBase);
  EXPECT_EQ(pa.alloc(300).first, kFakeBase + 2 * rt::pallocChunkBytes);
  pa.reset();
}

TEST(Step5_PageAlloc, SummariesTrackStartMaxEnd) {
  FakePages p(1);
  const rt::pageAlloc::chunk* ch = p.pa.chunkOf(kFakeBase);
  ASSERT_NE(ch, nullptr);
  EXPECT_EQ(rt::sumMax(ch->sum), 512u);
  p.Alloc(3);     // pages 0-2
  p.Alloc(10);    // 3-12
  p.pa.free(Page(3), 10);
  p.Alloc(500);   // 3..502 (first fit), leaving 503..511 free
  EXPECT_EQ(rt::sumStart(ch->sum), 0u);
  EXPECT_EQ(rt::sumEnd(ch->sum), 9u);
  EXPECT_EQ(rt::sumMax(ch->sum), 9u);
  p.pa.free(Page(0), 3);
  EXPECT_EQ(rt::sumStart(ch->sum), 3u);
  EXPECT_EQ(rt::sumMax(ch->sum), 9u);
}

TEST(Step5_PageAlloc, SummarizeFindsTheLongestRun) {
  rt::pallocData d;
  EXPECT_EQ(rt::summarize(d), rt::packPallocSum(512, 512, 512));
  d.alloc[0] = 0b1110;            // pages 1-3 in use
  d.alloc[2] = ~std::uint64_t{0};  // pages 128-191 in use
  d.alloc[7] = std::uint64_t{1} << 63;  // page 511 in use
  const rt::pallocSum s = rt::summarize(d);
  EXPECT_EQ(rt::sumStart(s), 1u);
  EXPECT_EQ(rt::sumEnd(s), 0u);
  EXPECT_EQ(rt::sumMax(s), 511u - 192u);  // pages 192..510
}

TEST(Step5_PageAlloc, FreshPagesCountAsScavenged) {
  FakePages p;
  auto [base, scav] = p.pa.alloc(4);
  EXPECT_EQ(scav, 4 * pageSize);  // never touched
  p.pa.free(base, 4);
  EXPECT_EQ(p.pa.alloc(4).second, 0u);  // used once: not scavenged any more
  p.pa.free(base, 4);
  EXPECT_EQ(p.pa.scavenge(~uintptr{0}), 4 * pageSize);
  EXPECT_EQ(p.pa.alloc(4).second, 4 * pageSize);
}

TEST_F(Step5_MheapPages, SpansLiveIn64MiBArenasAtGosAddresses) {
  rt::mspan* s = rt::mheap_.alloc(1, rt::makeSpanClass(1, false));
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->base() % pageSize, 0u);
  EXPECT_EQ(rt::heapArenaBytes, static_cast<uintptr>(GoFact("heap_arena_bytes")));
  ASSERT_EQ(rt::mheap_.allArenas.size(), 1u);
  EXPECT_EQ(rt::mheap_.allArenas[0] % rt::heapArenaBytes, 0u);
  if (!UnderSanitizer()) {
    // facts.inc: Go's first heap addresses are 0x00c0_xxxx_xxxx.
    EXPECT_EQ(static_cast<std::int64_t>(s->base() >> 32), GoFact("first_arena_hint_high_bits"));
  }
  EXPECT_EQ(s->state, rt::mSpanInUse);
  EXPECT_EQ(s->nelems, 1024u);
  EXPECT_EQ(s->elemsize, 8u);
}

TEST_F(Step5_MheapPages, AllocSpanIsFirstFitAndFreedSpansAreReused) {
  const rt::spanClass spc = rt::makeSpanClass(0, true);
  rt::mspan* a = rt::mheap_.alloc(1, spc);
  rt::mspan* b = rt::mheap_.alloc(1, spc);
  rt::mspan* c = rt::mheap_.alloc(1, spc);
  EXPECT_EQ(b->base(), a->base() + pageSize);
  EXPECT_EQ(c->base(), b->base() + pageSize);
  const uintptr abase = a->base();
  rt::mheap_.freeSpan(b);
  rt::mheap_.freeSpan(a);
  rt::mspan* d = rt::mheap_.alloc(2, spc);  // a and b's pages, coalesced
  EXPECT_EQ(d->base(), abase);
}

TEST_F(Step5_MheapPages, SpanOfMapsEveryPageOfASpan) {
  rt::mspan* s = rt::mheap_.alloc(5, rt::makeSpanClass(0, true));
  for (uintptr off = 0; off < 5 * pageSize; off += 512) {
    ASSERT_EQ(rt::spanOf(s->base() + off), s) << off;
  }
  EXPECT_EQ(rt::spanOf(s->base() + 5 * pageSize), nullptr);  // the next, free page
  EXPECT_EQ(rt::spanOf(reinterpret_cast<uintptr>(&s)), nullptr);  // the C++ stack
  EXPECT_EQ(rt::spanOf(0), nullptr);
}

TEST_F(Step5_MheapPages, SpanOfForgetsFreedSpans) {
  rt::mspan* s = rt::mheap_.alloc(2, rt::makeSpanClass(0, true));
  const uintptr base = s->base();
  rt::mheap_.freeSpan(s);
  EXPECT_EQ(rt::spanOf(base), nullptr);
}

// Interior pointers: every byte of an object leads back to its start.
TEST_F(Step5_MheapPages, FindObjectForEveryByteOfEveryClass) {
  for (int c = 1; c < rt::_NumSizeClasses; c++) {
    rt::mspan* s = rt::mheap_.alloc(rt::class_to_allocnpages[c], rt::makeSpanClass(c, false));
    s->limit = s->base() + s->nelems * s->elemsize;
    for (uintptr i : {uintptr{0}, s->nelems / 2, s->nelems - 1}) {
      const uintptr obj = s->base() + i * s->elemsize;
      for (uintptr b = 0; b < s->elemsize; b++) {
        rt::mspan* got = nullptr;
        uintptr idx = 0;
        ASSERT_EQ(rt::findObject(obj + b, &got, &idx), obj) << "class " << c << " byte " << b;
        ASSERT_EQ(got, s);
        ASSERT_EQ(idx, i);
      }
    }
    // The tail waste after the last object belongs to no object.
    if (s->limit < s->base() + s->npages * pageSize) {
      EXPECT_EQ(rt::findObject(s->limit), 0u);
    }
  }
}

// mcentral::grow (Step 4) makes spans with Go's objects per span and tail
// waste (size_classes.inc, from Go 1.19's sizeclasses.go).
TEST_F(Step5_MheapPages, CentralGrowGivesGosObjectsPerSpanAndTailWaste) {
  for (const SizeClassRow& r : GoSizeClasses()) {
    rt::mcentral c;
    c.init(rt::makeSpanClass(static_cast<std::uint8_t>(r.sizeclass), true));
    rt::mspan* s = c.grow();
    ASSERT_NE(s, nullptr);
    EXPECT_EQ(s->npages * pageSize, r.bytes_span);
    EXPECT_EQ(s->nelems, r.objects) << "class " << r.sizeclass;
    EXPECT_EQ(s->base() + s->npages * pageSize - s->limit, r.tail_waste) << "class " << r.sizeclass;
  }
}

TEST_F(Step5_MheapPages, HeapGrowsByWhole4MiBChunks) {
  EXPECT_EQ(Stats().HeapSys, 0u);
  rt::mheap_.alloc(1, rt::makeSpanClass(0, true));
  EXPECT_EQ(Stats().HeapSys, rt::pallocChunkBytes);
  EXPECT_EQ(Stats().HeapInuse, pageSize);
  rt::mheap_.alloc(rt::pallocChunkPages, rt::makeSpanClass(0, true));  // does not fit in the rest
  EXPECT_EQ(Stats().HeapSys, 2 * rt::pallocChunkBytes);
  EXPECT_EQ(Stats().HeapIdle, Stats().HeapSys - Stats().HeapInuse);
}

TEST_F(Step5_MheapPages, FreshPagesNeedNoZeroingReusedOnesDo) {
  rt::mspan* s = rt::mheap_.alloc(2, rt::makeSpanClass(0, true));
  EXPECT_FALSE(s->needzero);
  const uintptr base = s->base();
  rt::asanUnpoison(base, 2 * pageSize);
  std::memset(reinterpret_cast<void*>(base), 0xAB, 2 * pageSize);
  rt::mheap_.freeSpan(s);
  rt::mspan* t = rt::mheap_.alloc(2, rt::makeSpanClass(0, true));
  ASSERT_EQ(t->base(), base);
  EXPECT_TRUE(t->needzero);
}

TEST_F(Step5_MheapPages, FreeOSMemoryReleasesFreePages) {
  rt::mspan* s = rt::mheap_.alloc(16, rt::makeSpanClass(0, true));
  const uintptr base = s->base();
  rt::asanUnpoison(base, 16 * pageSize);
  std::memset(reinterpret_cast<void*>(base), 0xCD, 16 * pageSize);
  rt::mheap_.freeSpan(s);
  const rt::MemStats before = Stats();
  // Fresh memory counts as released already (Go: grow adds it as released).
  EXPECT_EQ(before.HeapReleased, before.HeapIdle - 16 * pageSize);
  const uintptr n = rt::FreeOSMemory();
  EXPECT_EQ(n, 16 * pageSize);
  const rt::MemStats after = Stats();
  EXPECT_EQ(after.HeapReleased, before.HeapReleased + 16 * pageSize);
  EXPECT_EQ(after.HeapReleased, after.HeapIdle);
  // MADV_DONTNEED: the pages read back as zero.
  rt::mspan* t = rt::mheap_.alloc(16, rt::makeSpanClass(0, true));
  ASSERT_EQ(t->base(), base);
  rt::asanUnpoison(base, 16 * pageSize);
  EXPECT_EQ(*reinterpret_cast<unsigned char*>(base + 5 * pageSize), 0);
  EXPECT_EQ(Stats().HeapReleased, after.HeapReleased - 16 * pageSize);
}

}  // namespace
}  // namespace gort::testing
