// Step 6: copy (slicecopy and typedslicecopy).
//
// Expected results follow the Go spec for copy ("copies min(len(dst),
// len(src)) elements ... the ranges may overlap"), which the notes quote as
// `func copy(dst, src []T) int`.
#include <cstdint>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "include/gort/gort.h"
#include "include/gort/slice.h"

namespace gort {
namespace {

using ::testing::ElementsAre;

TEST(Step6_Copy, CopiesTheShorterLength) {
  gort::Run([] {
    Slice<int> dst = make_slice<int>(2);
    EXPECT_EQ(copy(dst, slice_of<int>({7, 8, 9})), 2);
    EXPECT_THAT(dst, ElementsAre(7, 8));
    Slice<int> big = make_slice<int>(5);
    EXPECT_EQ(copy(big, slice_of<int>({1, 2})), 2);
    EXPECT_THAT(big, ElementsAre(1, 2, 0, 0, 0));
  });
}

TEST(Step6_Copy, NilOrEmptySidesCopyNothing) {
  gort::Run([] {
    Slice<int> nil_slice;
    Slice<int> dst = make_slice<int>(3);
    EXPECT_EQ(copy(dst, nil_slice), 0);
    EXPECT_EQ(copy(nil_slice, dst), 0);
  });
}

TEST(Step6_Copy, OverlappingCopyShiftsRight) {
  gort::Run([] {
    Slice<int> s = slice_of<int>({1, 2, 3, 4, 5});
    EXPECT_EQ(copy(s.slice(1), s), 4);  // copy(s[1:], s)
    EXPECT_THAT(s, ElementsAre(1, 1, 2, 3, 4));
  });
}

TEST(Step6_Copy, OverlappingCopyShiftsLeft) {
  gort::Run([] {
    Slice<int> s = slice_of<int>({1, 2, 3, 4, 5});
    EXPECT_EQ(copy(s, s.slice(1)), 4);  // copy(s, s[1:])
    EXPECT_THAT(s, ElementsAre(2, 3, 4, 5, 5));
  });
}

TEST(Step6_Copy, SingleByteCopy) {
  gort::Run([] {
    Slice<std::uint8_t> dst = make_slice<std::uint8_t>(1);
    EXPECT_EQ(copy(dst, slice_of<std::uint8_t>({42, 43})), 1);
    EXPECT_EQ(dst[0], 42);
  });
}

TEST(Step6_Copy, NonTrivialElementsAreCopyAssigned) {
  gort::Run([] {
    Slice<std::string> s = slice_of<std::string>({"a", "bb", "ccc", "dddd"});
    EXPECT_EQ(copy(s.slice(1), s), 3);
    EXPECT_THAT(s, ElementsAre("a", "a", "bb", "ccc"));
    Slice<std::string> t = make_slice<std::string>(2);
    EXPECT_EQ(copy(t, s), 2);
    t[0] = "changed";
    EXPECT_EQ(s[0], "a");  // copies, not shares
  });
}

TEST(Step6_Copy, AppendingASliceToItselfIsSafe) {
  // append(s, t...) copies t with slicecopy, after growslice if needed.
  gort::Run([] {
    Slice<int> s = slice_of<int>({1, 2, 3});
    s = append(s, spread(s));  // append(s, s...)
    EXPECT_THAT(s, ElementsAre(1, 2, 3, 1, 2, 3));
    s = append(s, s[0]);  // an element of the array being replaced
    EXPECT_EQ(s[6], 1);
  });
}

TEST(Step6_Copy, CopyingOutOfABigArrayLetsItGo) {
  // The sub-slice pitfall from the notes: a small slice of a big array keeps
  // the whole array alive. copy into a fresh slice holds only what it needs.
  gort::Run([] {
    Slice<std::int64_t> big = make_slice<std::int64_t>(1 << 16);
    big[10] = 7;
    Slice<std::int64_t> window = big.slice(10, 12);
    EXPECT_EQ(window.cap(), (1 << 16) - 10);  // pins all of big
    Slice<std::int64_t> own = make_slice<std::int64_t>(window.len());
    copy(own, window);
    EXPECT_EQ(own.cap(), 2);
    EXPECT_NE(own.data(), window.data());
    EXPECT_THAT(own, ElementsAre(7, 0));
  });
}

}  // namespace
}  // namespace gort
