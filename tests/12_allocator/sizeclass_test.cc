// Step 1: size classes and span classes.
#include <cstdint>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "include/gort/rt/mheap.h"
#include "tests/12_allocator/alloc_test_util.h"

namespace gort::testing {
namespace {

using rt::uintptr;

// Go 1.19's rounding of every small size, from roundupsize.inc (observed
// through append on real Go): the class mallocgc picks must give exactly
// that block size.
TEST(Step1_SizeClasses, EverySmallSizeMapsToGosBlockSize) {
  std::size_t row = 0;
  for (uintptr size = 1; size <= rt::_MaxSmallSize; size++) {
    while (GoRoundups()[row].max_n < size) row++;
    const int c = rt::sizeToClass(size);
    ASSERT_EQ(rt::class_to_size[c], GoRoundups()[row].rounded) << "size " << size;
  }
}

TEST(Step1_SizeClasses, ClassIsTheSmallestThatFits) {
  for (uintptr size = 1; size <= rt::_MaxSmallSize; size++) {
    const int c = rt::sizeToClass(size);
    ASSERT_GE(c, 1);
    ASSERT_GE(rt::class_to_size[c], size);
    ASSERT_LT(rt::class_to_size[c - 1], size) << "size " << size;
  }
}

// Boundaries of the two lookup tables (sizeclasses.go: smallSizeMax 1024).
TEST(Step1_SizeClasses, LookupTableBoundaries) {
  EXPECT_EQ(rt::sizeToClass(1), 1);
  EXPECT_EQ(rt::sizeToClass(8), 1);
  EXPECT_EQ(rt::sizeToClass(9), 2);
  EXPECT_EQ(rt::sizeToClass(1016), 32);  // 1024-byte class
  EXPECT_EQ(rt::sizeToClass(1024), 32);
  EXPECT_EQ(rt::sizeToClass(1025), 33);  // 1152
  EXPECT_EQ(rt::sizeToClass(32768), 67);
}

// mheap.go: spanClass(sizeclass<<1) | spanClass(bool2int(noscan)).
TEST(Step1_SizeClasses, MakeSpanClassPacksClassAndNoscan) {
  for (int c = 0; c < rt::_NumSizeClasses; c++) {
    for (bool noscan : {false, true}) {
      const rt::spanClass spc = rt::makeSpanClass(static_cast<std::uint8_t>(c), noscan);
      EXPECT_EQ(spc.value, c * 2 + (noscan ? 1 : 0));
      EXPECT_EQ(spc.sizeclass(), c);
      EXPECT_EQ(spc.noscan(), noscan);
    }
  }
}

// malloc.go: tinySpanClass = spanClass(tinySizeClass<<1 | 1) = 5;
// numSpanClasses = _NumSizeClasses << 1 = 136.
TEST(Step1_SizeClasses, TinySpanClassAndCount) {
  EXPECT_EQ(rt::makeSpanClass(rt::tinySizeClass, true).value, 5);
  EXPECT_EQ(rt::numSpanClasses, 136);
}

// The table itself against Go's (objects per span and tail waste).
TEST(SizeClassTable, ObjectsPerSpanAndTailWasteMatchGo) {
  ASSERT_EQ(GoSizeClasses().size(), rt::_NumSizeClasses - 1u);
  for (const SizeClassRow& r : GoSizeClasses()) {
    const uintptr span = rt::class_to_allocnpages[r.sizeclass] * rt::pageSize;
    EXPECT_EQ(span, r.bytes_span);
    EXPECT_EQ(span / rt::class_to_size[r.sizeclass], r.objects);
    EXPECT_EQ(span % rt::class_to_size[r.sizeclass], r.tail_waste);
  }
}

// Go's class_to_divmagic: offset*divMul >> 32 equals offset/size for every
// offset inside a span of the class.
TEST(SizeClassTable, DivMagicDividesEveryOffsetInASpan) {
  for (int c = 1; c < rt::_NumSizeClasses; c++) {
    const uintptr size = rt::class_to_size[c];
    const uintptr span = rt::class_to_allocnpages[c] * rt::pageSize;
    const std::uint64_t m = rt::divMagic(size);
    for (uintptr off = 0; off < span; off += 7) {
      ASSERT_EQ((off * m) >> 32, off / size) << "class " << c << " offset " << off;
    }
  }
}

}  // namespace
}  // namespace gort::testing
