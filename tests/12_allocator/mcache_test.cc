// Step 3: the mcache fast path (nextFree over the cached span) and
// Step 4: mcentral (cacheSpan, uncacheSpan, refill).
#include <cstdint>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "include/gort/rt/mheap.h"
#include "tests/12_allocator/alloc_test_util.h"

namespace gort::testing {
namespace {

using rt::uintptr;
using Step3_McacheFastPath = FreshHeap;
using Step4_Mcentral = FreshHeap;

// An mcache of our own, pointing at the empty span for every class.
struct TestCache {
  rt::mcache c;
  TestCache() { c.alloc.fill(&rt::emptymspan); }
};

TEST_F(Step3_McacheFastPath, NextFreeTakesObjectsFromTheCachedSpan) {
  TestSpan s(5);  // 48-byte objects
  TestCache tc;
  const rt::spanClass spc = s->spanclass;
  tc.c.alloc[spc.value] = s.get();
  for (uintptr i = 0; i < 100; i++) {
    rt::mspan* from = nullptr;
    ASSERT_EQ(tc.c.nextFree(spc, &from), s->base() + i * 48) << i;
    ASSERT_EQ(from, s.get());
  }
  EXPECT_EQ(s->allocCount, 100);
  EXPECT_EQ(s->freeindex, 100u);
}

// nextFree continues where nextFreeFast stops: the object at a 64-object
// boundary, with the allocCache refill that goes with it.
TEST_F(Step3_McacheFastPath, NextFreeCrossesTheAllocCacheBoundary) {
  TestSpan s(1);
  TestCache tc;
  tc.c.alloc[s->spanclass.value] = s.get();
  std::vector<uintptr> got;
  for (int i = 0; i < 130; i++) {
    uintptr v = rt::nextFreeFast(s.get());
    if (v == 0) v = tc.c.nextFree(s->spanclass, nullptr);
    got.push_back(v);
  }
  for (uintptr i = 0; i < got.size(); i++) ASSERT_EQ(got[i], s->base() + i * 8) << i;
  EXPECT_EQ(s->allocCount, 130);
}

TEST_F(Step3_McacheFastPath, NextFreeSkipsObjectsAllocatedBeforeTheSweep) {
  TestSpan s(2);
  for (uintptr i = 0; i < 70; i++) s.SetAllocBit(i);
  s->refillAllocCache(0);
  s->allocCount = 70;
  TestCache tc;
  tc.c.alloc[s->spanclass.value] = s.get();
  EXPECT_EQ(tc.c.nextFree(s->spanclass, nullptr), s->base() + 70 * 16);
  EXPECT_EQ(s->allocCount, 71);
}

TEST_F(Step4_Mcentral, CacheSpanTakesASweptPartialSpanFirst) {
  TestSpan s(4);
  s->freeindex = 10;
  s->allocCount = 10;
  rt::mcentral c;
  c.init(s->spanclass);
  c.partialSwept(rt::mheap_.sweepgen)->push(s.get());
  EXPECT_EQ(c.cacheSpan(), s.get());
  EXPECT_EQ(c.partialSwept(rt::mheap_.sweepgen)->n, 0u);
  // allocCache now starts at freeindex.
  EXPECT_EQ(rt::nextFreeFast(s.get()), s->base() + 10 * 32);
}

TEST_F(Step4_Mcentral, CacheSpanLoadsAllocCacheAtFreeindex) {
  TestSpan s(4);  // 256 objects
  for (uintptr i = 0; i < 70; i++) s.SetAllocBit(i);
  s.SetAllocBit(72);
  s->freeindex = 70;
  s->allocCount = 71;
  rt::mcentral c;
  c.init(s->spanclass);
  c.partialSwept(rt::mheap_.sweepgen)->push(s.get());
  ASSERT_EQ(c.cacheSpan(), s.get());
  // Group 64..127, shifted by 70 % 64 = 6: bit 0 is object 70, bit 2 is 72.
  EXPECT_EQ(s->allocCache & 0x7, 0b011u);
  EXPECT_EQ(rt::nextFreeFast(s.get()), s->base() + 70 * 32);
  EXPECT_EQ(rt::nextFreeFast(s.get()), s->base() + 71 * 32);
  EXPECT_EQ(rt::nextFreeFast(s.get()), s->base() + 73 * 32);
}

TEST_F(Step4_Mcentral, UncacheSpanSortsSpansByFreeSpace) {
  TestSpan partial(4), full(4);
  partial->allocCount = 1;
  partial->freeindex = 1;
  full->allocCount = static_cast<std::uint16_t>(full->nelems);
  full->freeindex = full->nelems;
  rt::mcentral c;
  c.init(partial->spanclass);
  c.uncacheSpan(partial.get());
  c.uncacheSpan(full.get());
  const std::uint32_t sg = rt::mheap_.sweepgen;
  EXPECT_EQ(c.partialSwept(sg)->head, partial.get());
  EXPECT_EQ(c.fullSwept(sg)->head, full.get());
  EXPECT_EQ(partial->sweepgen, sg);  // swept, no longer cached
  EXPECT_EQ(c.partialUnswept(sg)->n + c.fullUnswept(sg)->n, 0u);
}

// refill: the full cached span goes to the central's full set, a partial
// one comes back with sweepgen + 3 ("swept and cached").
TEST_F(Step4_Mcentral, RefillSwapsAFullSpanForAPartialOne) {
  TestSpan full(6), partial(6);
  const rt::spanClass spc = full->spanclass;
  full->allocCount = static_cast<std::uint16_t>(full->nelems);
  full->freeindex = full->nelems;
  full->sweepgen = rt::mheap_.sweepgen + 3;
  partial->allocCount = 3;
  partial->freeindex = 3;
  rt::mcentral& central = rt::mheap_.central[spc.value];
  central.partialSwept(rt::mheap_.sweepgen)->push(partial.get());
  TestCache tc;
  tc.c.alloc[spc.value] = full.get();
  tc.c.refill(spc);
  EXPECT_EQ(tc.c.alloc[spc.value], partial.get());
  EXPECT_EQ(partial->sweepgen, rt::mheap_.sweepgen + 3);
  EXPECT_EQ(central.fullSwept(rt::mheap_.sweepgen)->head, full.get());
  EXPECT_EQ(tc.c.nextFree(spc, nullptr), partial->base() + 3 * 64);
  // Leave the global central empty for the heap reset.
  central.fullSwept(rt::mheap_.sweepgen)->pop();
}

TEST_F(Step4_Mcentral, RefillOfASpanWithFreeObjectsIsFatal) {
  TestSpan s(6);
  s->allocCount = 1;
  TestCache tc;
  tc.c.alloc[s->spanclass.value] = s.get();
  EXPECT_EXIT(tc.c.refill(s->spanclass), ::testing::ExitedWithCode(2),
              "fatal error: refill of span with free space remaining");
}

}  // namespace
}  // namespace gort::testing
