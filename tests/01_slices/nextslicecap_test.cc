// Steps 3 and 4: the growth policies, before rounding.
//
// Go never shows nextslicecap's raw result, so the tests recover it from Go
// 1.19 two ways (tools/groundtruth/slices):
//   - page-sized elements ([8192]byte): the array is a large object already
//     made of whole pages, so rounding changes nothing and the capacities Go
//     reports are nextslicecap's own results;
//   - every other element size: rounding nextslicecap's result up with Go's
//     recorded roundupsize must give the capacity Go reported.
// The Go <= 1.17 rule cannot be run here (only Go 1.19 is installed); it is
// pinned by the rule as the notes state it (seed 001 "slice 如何扩容",
// seed 004 "扩容流程"), with each expected number worked out in a comment.
#include <cstdint>
#include <limits>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "include/gort/rt/sizeclasses.h"
#include "include/gort/rt/slice.h"
#include "tests/01_slices/groundtruth.h"

namespace gort {
namespace {

using ::gort::groundtruth::BulkAppends;
using ::gort::groundtruth::CapChange;
using ::gort::groundtruth::GoRoundupsize;
using ::gort::groundtruth::OneAtATime;
using ::gort::groundtruth::RoundupRuns;

constexpr std::int64_t kPageSizedElem = 8192;

// Go's roundupsize: the recorded runs, and whole pages beyond them (large
// objects, msize.go).
std::uint64_t RoundLikeGo(std::uint64_t bytes) {
  if (bytes <= RoundupRuns().back().max_size) return GoRoundupsize(bytes);
  return rt::alignUp(bytes, rt::_PageSize);
}

// The capacity growslice ends with: the policy's capacity, rounded up to the
// allocation Go really makes, in elements.
std::int64_t RoundedCap(std::int64_t elem_size, std::int64_t policy_cap) {
  return static_cast<std::int64_t>(RoundLikeGo(policy_cap * elem_size) / elem_size);
}

std::vector<CapChange> Series(std::int64_t elem_size) {
  std::vector<CapChange> rows;
  for (const CapChange& r : OneAtATime()) {
    if (r.elem_size == elem_size) rows.push_back(r);
  }
  return rows;
}

TEST(Step3_Nextslicecap, EqualsGoCapacitiesForPageSizedElements) {
  std::vector<CapChange> rows = Series(kPageSizedElem);
  ASSERT_GT(rows.size(), 10u);
  std::int64_t cap = 0;
  for (const CapChange& r : rows) {
    EXPECT_EQ(rt::nextslicecap(r.len, cap), r.cap)
        << "growing a full slice of cap " << cap << " to length " << r.len;
    cap = r.cap;
  }
}

TEST(Step3_Nextslicecap, RoundedUpMatchesGoForOneAtATimeAppends) {
  int checked = 0;
  std::int64_t elem = -1, cap = 0;
  for (const CapChange& r : OneAtATime()) {
    if (r.elem_size != elem) elem = r.elem_size, cap = 0;
    EXPECT_EQ(RoundedCap(elem, rt::nextslicecap(r.len, cap)), r.cap)
        << "elem size " << elem << ", cap " << cap << " -> len " << r.len;
    cap = r.cap;
    ++checked;
  }
  EXPECT_GT(checked, 200);
}

TEST(Step3_Nextslicecap, RoundedUpMatchesGoForBulkAppends) {
  for (const auto& b : BulkAppends()) {
    EXPECT_EQ(RoundedCap(b.elem_size, rt::nextslicecap(b.old_len + b.added, b.old_cap)),
              b.new_cap)
        << "elem " << b.elem_size << " len " << b.old_len << " cap " << b.old_cap
        << " + " << b.added;
  }
}

TEST(Step3_Nextslicecap, ThresholdIs256Elements) {
  // Go 1.19 slice.go: const threshold = 256; below it capacity doubles.
  EXPECT_EQ(rt::nextslicecap(256, 255), 510);
  // At the threshold the formula starts: 256 + (256 + 3*256)/4 = 512, so
  // the transition is smooth (2x here, tending to 1.25x).
  EXPECT_EQ(rt::nextslicecap(257, 256), 512);
  // Go 1.19 with [8192]byte elements: 512 -> 832 (= 512 + (512+768)/4).
  EXPECT_EQ(rt::nextslicecap(513, 512), 832);
}

TEST(Step3_Nextslicecap, RequestBeyondDoubleIsTakenAsIs) {
  // Notes (seed 004): if the wanted capacity exceeds twice the current one,
  // the wanted capacity is used.
  EXPECT_EQ(rt::nextslicecap(11, 5), 11);
  EXPECT_EQ(rt::nextslicecap(5000, 300), 5000);
}

TEST(Step3_Nextslicecap, OverflowFallsBackToTheRequestedLength) {
  // Go 1.19 slice.go: "Set newcap to the requested cap when the newcap
  // calculation overflowed." Go's int addition wraps; ours must not be UB.
  const std::int64_t max = std::numeric_limits<std::int64_t>::max();
  const std::int64_t old_cap = max / 2 + 1;  // doubling overflows
  EXPECT_EQ(rt::nextslicecap(max, old_cap), max);
  // Here doubling fits (2^63-2), so the 1.25x loop runs and overflows on
  // its fourth addition.
  const std::int64_t want = max - 1;               // 2^63 - 2
  const std::int64_t quarter_old = (max >> 1);     // 2^62 - 1
  EXPECT_EQ(rt::nextslicecap(want, quarter_old), want);
}

// Step 4: the rule in the notes, taught as Go <= 1.17's. Expected values are
// that rule applied by hand.
TEST(Step4_Nextslicecap117, DoublesWhileOldLengthIsBelow1024) {
  EXPECT_EQ(rt::nextslicecap117(5, 4, 4), 8);
  EXPECT_EQ(rt::nextslicecap117(1000, 600, 600), 1200);
  EXPECT_EQ(rt::nextslicecap117(1024, 1023, 1023), 2046);
}

TEST(Step4_Nextslicecap117, GrowsByAQuarterFrom1024On) {
  EXPECT_EQ(rt::nextslicecap117(1025, 1024, 1024), 1280);  // 1024 + 256
  EXPECT_EQ(rt::nextslicecap117(1281, 1280, 1280), 1600);  // 1280 + 320
  // Several quarters until big enough: 1024 -> 1280 -> 1600 -> 2000.
  EXPECT_EQ(rt::nextslicecap117(1900, 1024, 1024), 2000);
}

TEST(Step4_Nextslicecap117, TestsTheOldLengthNotTheCapacity) {
  // The notes' code compares old.len with 1024: a slice with spare room but
  // a short length still doubles.
  EXPECT_EQ(rt::nextslicecap117(2049, 1000, 2048), 4096);
  EXPECT_EQ(rt::nextslicecap117(2049, 2048, 2048), 2560);  // 2048 + 512
}

TEST(Step4_Nextslicecap117, RequestBeyondDoubleIsTakenAsIs) {
  EXPECT_EQ(rt::nextslicecap117(11, 5, 5), 11);
  EXPECT_EQ(rt::nextslicecap117(5000, 2000, 2000), 5000);
}

TEST(Step4_Nextslicecap117, OverflowFallsBackToTheRequestedLength) {
  const std::int64_t max = std::numeric_limits<std::int64_t>::max();
  const std::int64_t old_cap = max / 2 + 1;
  EXPECT_EQ(rt::nextslicecap117(max, old_cap, old_cap), max);
  // Doubling fits; the +25% loop overflows instead.
  EXPECT_EQ(rt::nextslicecap117(max - 1, max >> 1, max >> 1), max - 1);
}

}  // namespace
}  // namespace gort
