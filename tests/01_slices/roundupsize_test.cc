// Step 1: roundupsize and the size-class table.
//
// Expected values: Go 1.19, recorded by tools/groundtruth/slices/main.go
// (roundupsize observed as cap(append([]byte(nil), make([]byte, n)...)),
// the size-class table parsed from Go's sizeclasses.go).
#include <cstdint>
#include <limits>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "include/gort/rt/malloc.h"
#include "include/gort/rt/sizeclasses.h"
#include "tests/01_slices/groundtruth.h"

namespace gort {
namespace {

using ::gort::groundtruth::GoRoundupsize;
using ::gort::groundtruth::RoundupRuns;
using ::gort::groundtruth::SizeClasses;

// Not a kata step: the table in include/gort/rt/sizeclasses.h is given, and
// this checks it against Go's, row by row.
TEST(SizeClassTable, MatchesGo119) {
  ASSERT_EQ(SizeClasses().size(), rt::_NumSizeClasses - 1);
  for (const auto& row : SizeClasses()) {
    SCOPED_TRACE(::testing::Message() << "size class " << row.size_class);
    EXPECT_EQ(rt::class_to_size[row.size_class], row.bytes_obj);
    EXPECT_EQ(rt::class_to_allocnpages[row.size_class] * rt::_PageSize, row.bytes_span);
    EXPECT_EQ(row.bytes_span / row.bytes_obj, row.objects);
  }
}

TEST(Step1_Roundupsize, MatchesGoForEverySizeUpToNinePages) {
  const std::uint64_t last = RoundupRuns().back().max_size;  // 73728
  std::uint64_t mismatches = 0;
  for (std::uint64_t size = 1; size <= last; ++size) {
    const std::uint64_t want = GoRoundupsize(size);
    const std::uint64_t got = rt::roundupsize(size);
    if (got != want && ++mismatches <= 5) {
      ADD_FAILURE() << "roundupsize(" << size << ") = " << got << ", Go gives " << want;
    }
  }
  EXPECT_EQ(mismatches, 0u);
}

TEST(Step1_Roundupsize, EveryClassSizeIsAFixedPoint) {
  for (const auto& row : SizeClasses()) {
    EXPECT_EQ(rt::roundupsize(row.bytes_obj), row.bytes_obj);
  }
}

TEST(Step1_Roundupsize, OneByteMoreMovesToTheNextClass) {
  // Go 1.19: 8 -> 8 but 9 -> 16; 1024 -> 1024 but 1025 -> 1152 (the first
  // 128-byte-step class); 32768 is the last small class.
  EXPECT_EQ(rt::roundupsize(9), GoRoundupsize(9));
  EXPECT_EQ(rt::roundupsize(9), 16u);
  EXPECT_EQ(rt::roundupsize(1025), 1152u);
  EXPECT_EQ(rt::roundupsize(32767), 32768u);
}

TEST(Step1_Roundupsize, LargeSizesRoundUpToWholePages) {
  // Go 1.19: 32769 bytes is a large object, 5 pages of 8 KiB.
  EXPECT_EQ(rt::roundupsize(32769), 40960u);
  EXPECT_EQ(rt::roundupsize(65537), 73728u);
  // The page rule holds past what was recorded (Go's msize.go alignUp).
  EXPECT_EQ(rt::roundupsize(std::uint64_t{1} << 30), std::uint64_t{1} << 30);
  EXPECT_EQ(rt::roundupsize((std::uint64_t{1} << 30) + 1),
            (std::uint64_t{1} << 30) + rt::_PageSize);
}

TEST(Step1_Roundupsize, SizesThatWouldWrapAreReturnedUnchanged) {
  // msize.go: if size+_PageSize < size { return size }.
  const rt::uintptr huge = std::numeric_limits<rt::uintptr>::max() - 100;
  EXPECT_EQ(rt::roundupsize(huge), huge);
}

}  // namespace
}  // namespace gort
