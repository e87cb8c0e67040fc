// Step 2: allocBits, allocCache and nextFreeFast / nextFreeIndex.
#include <cstdint>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "include/gort/rt/mheap.h"
#include "tests/12_allocator/alloc_test_util.h"

namespace gort::testing {
namespace {

using rt::uintptr;
using Step2_SpanBitmaps = FreshHeap;

TEST_F(Step2_SpanBitmaps, AllocCacheIsTheComplementOfAllocBits) {
  TestSpan s(1);  // 8-byte objects, 1024 per span
  s.SetAllocBit(0);
  s.SetAllocBit(1);
  s.SetAllocBit(5);
  s.SetAllocBit(63);
  s->refillAllocCache(0);
  EXPECT_EQ(s->allocCache, ~((1ull << 0) | (1ull << 1) | (1ull << 5) | (1ull << 63)));
  s.SetAllocBit(64);
  s->refillAllocCache(8);  // objects 64..127
  EXPECT_EQ(s->allocCache, ~1ull);
}

TEST_F(Step2_SpanBitmaps, NextFreeFastHandsOutSlotsInAddressOrder) {
  TestSpan s(4);  // 32-byte objects
  for (uintptr i = 0; i < 63; i++) {
    ASSERT_EQ(rt::nextFreeFast(s.get()), s->base() + i * 32) << i;
    ASSERT_EQ(s->freeindex, i + 1);
    ASSERT_EQ(s->allocCount, i + 1);
  }
}

// The fast path stops where allocCache must be refilled: taking object 63
// would move freeindex to 64, so it returns 0 and leaves it to
// nextFreeIndex, which reloads allocCache from allocBits.
TEST_F(Step2_SpanBitmaps, NextFreeFastStopsAtThe64ObjectBoundary) {
  TestSpan s(4);
  for (int i = 0; i < 63; i++) rt::nextFreeFast(s.get());
  EXPECT_EQ(rt::nextFreeFast(s.get()), 0u);
  EXPECT_EQ(s->freeindex, 63u);
  EXPECT_EQ(s->nextFreeIndex(), 63u);
  EXPECT_EQ(s->freeindex, 64u);
  EXPECT_EQ(s->allocCache, ~std::uint64_t{0});  // refilled for objects 64..127
  s->allocCount = 64;
  EXPECT_EQ(rt::nextFreeFast(s.get()), s->base() + 64 * 32);
}

TEST_F(Step2_SpanBitmaps, NextFreeFastSkipsAllocatedObjects) {
  TestSpan s(4);
  s.SetAllocBit(0);
  s.SetAllocBit(1);
  s.SetAllocBit(3);
  s->refillAllocCache(0);
  EXPECT_EQ(rt::nextFreeFast(s.get()), s->base() + 2 * 32);
  EXPECT_EQ(rt::nextFreeFast(s.get()), s->base() + 4 * 32);
  EXPECT_EQ(s->freeindex, 5u);
}

TEST_F(Step2_SpanBitmaps, NextFreeFastFailsOnAnEmptyCache) {
  TestSpan s(4);
  s->allocCache = 0;
  EXPECT_EQ(rt::nextFreeFast(s.get()), 0u);
  EXPECT_EQ(s->freeindex, 0u);
}

TEST_F(Step2_SpanBitmaps, NextFreeIndexFindsFreeObjectsAcrossGroups) {
  TestSpan s(1);  // 1024 objects
  // Objects 0..199 allocated except 3, 66 and 130.
  for (uintptr i = 0; i < 200; i++) {
    if (i != 3 && i != 66 && i != 130) s.SetAllocBit(i);
  }
  s->refillAllocCache(0);
  std::vector<uintptr> got;
  for (int i = 0; i < 5; i++) got.push_back(s->nextFreeIndex());
  EXPECT_THAT(got, ::testing::ElementsAre(3, 66, 130, 200, 201));
  EXPECT_EQ(s->freeindex, 202u);
}

// Object 63 free, 0..62 taken: the cache shifts by 64 (UBSan checks that
// the shift is done without C++'s undefined 64-bit shift).
TEST_F(Step2_SpanBitmaps, TheLastObjectOfAGroupIsFound) {
  TestSpan s(1);
  for (uintptr i = 0; i < 63; i++) s.SetAllocBit(i);
  s->refillAllocCache(0);
  EXPECT_EQ(s->nextFreeIndex(), 63u);
  EXPECT_EQ(s->nextFreeIndex(), 64u);
  EXPECT_EQ(s->freeindex, 65u);
}

TEST_F(Step2_SpanBitmaps, NextFreeIndexReturnsNelemsWhenTheSpanIsFull) {
  TestSpan s(3);  // 24-byte objects: 341, not a multiple of 64
  ASSERT_EQ(s->nelems, 341u);
  for (uintptr i = 0; i < 341; i++) ASSERT_EQ(s->nextFreeIndex(), i);
  EXPECT_EQ(s->nextFreeIndex(), 341u);
  EXPECT_EQ(s->freeindex, 341u);
  EXPECT_EQ(s->nextFreeIndex(), 341u);
}

TEST_F(Step2_SpanBitmaps, AllocatedBitsInTheLastGroupEndTheSearch) {
  TestSpan s(3);
  for (uintptr i = 320; i < 341; i++) s.SetAllocBit(i);
  s->freeindex = 320;
  s->refillAllocCache(320 / 8);
  EXPECT_EQ(s->nextFreeIndex(), 341u);
  EXPECT_EQ(s->freeindex, 341u);
}

}  // namespace
}  // namespace gort::testing
