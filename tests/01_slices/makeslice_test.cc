// Step 2: makeslice, and the slice header semantics built on it: nil versus
// empty, slicing that shares the backing array, bounds-check panics.
//
// Panic texts: Go 1.19, recovered by tools/groundtruth/slices/main.go
// (panics.inc, looked up by case id; the Go expression is in the JSON).
#include <cstdint>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "include/gort/gort.h"
#include "include/gort/rt/error.h"
#include "include/gort/rt/malloc.h"
#include "include/gort/slice.h"
#include "tests/01_slices/groundtruth.h"

namespace gort {
namespace {

using ::gort::groundtruth::PanicText;
using ::testing::ElementsAre;
using ::testing::Each;
using ::testing::StrEq;
using ::testing::ThrowsMessage;

// Matches a callable that panics with exactly Go's text for `case_id`.
::testing::Matcher<std::function<void()>> PanicsLikeGo(const std::string& case_id) {
  return ThrowsMessage<rt::Panic>(StrEq(PanicText(case_id)));
}

TEST(Step2_Makeslice, GivesLengthCapacityAndZeroValues) {
  Slice<std::int64_t> s = make_slice<std::int64_t>(3, 5);
  EXPECT_EQ(s.len(), 3);
  EXPECT_EQ(s.cap(), 5);
  EXPECT_FALSE(s.is_nil());
  // All cap elements exist and are zero: s[:cap(s)] is legal in Go.
  EXPECT_THAT(s.slice(0, 5), Each(0));
}

TEST(Step2_Makeslice, ZeroLengthSliceIsEmptyButNotNil) {
  Slice<int> nil_slice;
  Slice<int> empty = make_slice<int>(0);
  EXPECT_TRUE(nil_slice.is_nil());
  EXPECT_FALSE(empty.is_nil());
  EXPECT_EQ(empty.len(), 0);
  // Like Go, every 0-byte allocation shares one address, zerobase.
  EXPECT_EQ(static_cast<void*>(empty.data()), static_cast<void*>(rt::zerobase));
  // Reslicing keeps the pointer, so nil stays nil and empty stays empty.
  EXPECT_TRUE(nil_slice.slice(0, 0).is_nil());
  EXPECT_FALSE(empty.slice(0, 0).is_nil());
}

TEST(Step2_Makeslice, NonTrivialElementsStartAsZeroValues) {
  Slice<std::string> s = make_slice<std::string>(2, 4);
  EXPECT_THAT(s.slice(0, 4), Each(StrEq("")));
  s[1] = "gopher";
  EXPECT_THAT(s, ElementsAre("", "gopher"));
}

TEST(Step2_Makeslice, NegativeLengthPanics) {
  EXPECT_THAT([] { make_slice<int>(-1); }, PanicsLikeGo("makeslice_len_negative"));
}

TEST(Step2_Makeslice, LengthTooLargePanicsWithLenError) {
  // 1<<62 int64s is more than maxAlloc bytes.
  EXPECT_THAT([] { make_slice<std::int64_t>(std::int64_t{1} << 62); },
              PanicsLikeGo("makeslice_len_too_large"));
}

TEST(Step2_Makeslice, CapacityBelowLengthPanicsWithCapError) {
  EXPECT_THAT([] { make_slice<int>(2, 1); }, PanicsLikeGo("makeslice_cap_less_than_len"));
}

TEST(Step2_Makeslice, NegativeCapacityPanicsWithCapError) {
  EXPECT_THAT([] { make_slice<int>(0, -1); }, PanicsLikeGo("makeslice_cap_negative"));
}

TEST(Step2_Makeslice, CapacityTooLargePanicsWithCapError) {
  EXPECT_THAT([] { make_slice<std::int64_t>(0, std::int64_t{1} << 62); },
              PanicsLikeGo("makeslice_cap_too_large"));
}

TEST(Step2_Makeslice, ReslicingSharesTheBackingArray) {
  Slice<int> s = slice_of<int>({1, 2, 3, 4, 5});
  Slice<int> t = s.slice(1, 3);  // s[1:3]
  EXPECT_EQ(t.len(), 2);
  EXPECT_EQ(t.cap(), 4);  // cap(s) - 1
  t[0] = 20;
  EXPECT_EQ(s[1], 20);  // same array
  // t can be resliced up to its capacity, exposing s's later elements.
  EXPECT_THAT(t.slice(0, 4), ElementsAre(20, 3, 4, 5));
}

TEST(Step2_Makeslice, ThreeIndexSliceLimitsCapacity) {
  Slice<int> s = slice_of<int>({1, 2, 3, 4, 5});
  Slice<int> t = s.slice(1, 3, 3);  // s[1:3:3]
  EXPECT_EQ(t.len(), 2);
  EXPECT_EQ(t.cap(), 2);
}

TEST(Step2_Makeslice, IndexOutOfRangePanicsLikeGo) {
  Slice<int> s = slice_of<int>({1, 2, 3});
  EXPECT_THAT([&] { s[5]; }, PanicsLikeGo("index_5_len_3"));
  EXPECT_THAT([&] { s[-1]; }, PanicsLikeGo("index_negative_1_len_3"));
  Slice<int> nil_slice;
  EXPECT_THAT([&] { nil_slice[0]; }, PanicsLikeGo("index_0_nil"));
}

TEST(Step2_Makeslice, SliceBoundsOutOfRangePanicsLikeGo) {
  Slice<int> s = slice_of<int>({1, 2, 3});
  EXPECT_THAT([&] { s.slice(1, 5); }, PanicsLikeGo("slice_1_5_cap_3"));
  EXPECT_THAT([&] { s.slice(0, 5); }, PanicsLikeGo("slice_to_5_len_3_cap_3"));
  EXPECT_THAT([&] { s.slice(3, 2); }, PanicsLikeGo("slice_3_2"));
  EXPECT_THAT([&] { s.slice(4); }, PanicsLikeGo("slice_from_4_len_3"));
  EXPECT_THAT([&] { s.slice(-1); }, PanicsLikeGo("slice_from_negative_1"));
  EXPECT_THAT([&] { s.slice(0, 2, 5); }, PanicsLikeGo("slice3_0_2_5_cap_3"));
  EXPECT_THAT([&] { s.slice(0, 3, 2); }, PanicsLikeGo("slice3_0_3_2"));
  EXPECT_THAT([&] { s.slice(2, 1, 3); }, PanicsLikeGo("slice3_2_1_3"));
}

// An unrecovered panic ends the program as Go's does: Go's three lines on
// stderr and exit status 2 (tools/groundtruth/slices/uncaught_panic.txt).
TEST(Step2_MakesliceDeathTest, UnrecoveredIndexPanicExitsWithGoMessage) {
  EXPECT_EXIT(gort::Run([] {
                Slice<int> s = slice_of<int>({1, 2, 3});
                s[5] = 0;
              }),
              ::testing::ExitedWithCode(2),
              "panic: runtime error: index out of range \\[5\\] with length 3\n"
              "\n"
              "goroutine 1 \\[running\\]:");
}

TEST(Step2_MakesliceDeathTest, UnrecoveredMakeslicePanicExitsWithGoMessage) {
  EXPECT_EXIT(gort::Run([] { make_slice<int>(-1); }), ::testing::ExitedWithCode(2),
              "panic: runtime error: makeslice: len out of range\n"
              "\n"
              "goroutine 1 \\[running\\]:");
}

}  // namespace
}  // namespace gort
