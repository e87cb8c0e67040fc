// Step 5: growslice, and append built on it.
//
// Capacities: Go 1.19, recorded by tools/groundtruth/slices/main.go
// (one_at_a_time.inc, bulk_append.inc); the Go <= 1.17 sequence is the
// notes' rule rounded with Go 1.19's recorded roundupsize.
#include <array>
#include <cstring>
#include <cstdint>
#include <limits>
#include <set>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "include/gort/gort.h"
#include "include/gort/rt/debug.h"
#include "include/gort/rt/error.h"
#include "include/gort/rt/malloc.h"
#include "include/gort/rt/slice.h"
#include "include/gort/slice.h"
#include "tests/01_slices/groundtruth.h"
#include "tests/01_slices/test_types.h"

namespace gort {
namespace {

using ::gort::groundtruth::BulkAppends;
using ::gort::groundtruth::CapChange;
using ::gort::groundtruth::OneAtATime;
using ::gort::groundtruth::PanicText;
using ::gort::testing::ByteArrayType;
using ::gort::testing::HeapReleaser;
using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using ::testing::StrEq;
using ::testing::ThrowsMessage;

// Appends one element at a time up to `limit` the way compiled Go code does
// (growslice only when len would exceed cap) and records each cap change.
std::vector<CapChange> GrowOneAtATime(std::int64_t elem_size, std::int64_t limit) {
  const rt::Type et = ByteArrayType(elem_size);
  std::vector<CapChange> changes;
  rt::slice s;
  for (std::int64_t len = 1; len <= limit; ++len) {
    if (len > s.cap) {
      s = rt::growslice(&et, s, len);
      changes.push_back({elem_size, len, s.cap});
    }
    s.len = len;
  }
  return changes;
}

class Step5_GrowsliceOneAtATime : public ::testing::TestWithParam<std::int64_t> {
 protected:
  HeapReleaser release_;
};

TEST_P(Step5_GrowsliceOneAtATime, CapacitiesMatchGo) {
  std::vector<CapChange> want;
  for (const CapChange& r : OneAtATime()) {
    if (r.elem_size == GetParam()) want.push_back(r);
  }
  ASSERT_FALSE(want.empty());
  std::vector<CapChange> got = GrowOneAtATime(GetParam(), want.back().len);
  ASSERT_EQ(got.size(), want.size());
  for (std::size_t i = 0; i < want.size(); ++i) {
    EXPECT_EQ(got[i].len, want[i].len) << "change #" << i;
    EXPECT_EQ(got[i].cap, want[i].cap) << "change #" << i << " at len " << want[i].len;
  }
}

std::vector<std::int64_t> RecordedElemSizes() {
  std::set<std::int64_t> sizes;
  for (const CapChange& r : OneAtATime()) sizes.insert(r.elem_size);
  return {sizes.begin(), sizes.end()};
}

INSTANTIATE_TEST_SUITE_P(Go119, Step5_GrowsliceOneAtATime,
                         ::testing::ValuesIn(RecordedElemSizes()));

TEST(Step5_Growslice, BulkAppendCapacitiesMatchGo) {
  HeapReleaser release;
  for (const auto& b : BulkAppends()) {
    const rt::Type et = ByteArrayType(b.elem_size);
    rt::slice old{rt::makeslice(&et, b.old_len, b.old_cap), b.old_len, b.old_cap};
    rt::slice grown = rt::growslice(&et, old, b.old_len + b.added);
    EXPECT_EQ(grown.cap, b.new_cap) << "elem " << b.elem_size << " len " << b.old_len
                                    << " cap " << b.old_cap << " + " << b.added;
    EXPECT_EQ(grown.len, b.old_len) << "growslice leaves the length to append";
  }
}

TEST(Step5_Growslice, NotesExampleFiveInt64sBecomeCapacitySix) {
  // Notes (seed 004): 5 elements of 8 bytes = 40 bytes, rounded up to the
  // 48-byte class, so the new capacity is 48 / 8 = 6. Go 1.19 agrees
  // (bulk_append.inc row {8, 2, 2, 3, 6}).
  gort::Run([] {
    Slice<std::int64_t> s = slice_of<std::int64_t>({1, 2});
    s = append(s, 3, 4, 5);
    EXPECT_EQ(s.len(), 5);
    EXPECT_EQ(s.cap(), 6);
    EXPECT_THAT(s, ElementsAre(1, 2, 3, 4, 5));
  });
}

TEST(Step5_Growslice, TypedAppendFollowsGoCapacities) {
  // []int64 appended one value at a time, as in Go 1.19: the same caps as
  // the recorded elem-size-8 series.
  gort::Run([] {
    std::vector<std::int64_t> want;
    for (const CapChange& r : OneAtATime()) {
      if (r.elem_size == 8 && r.len <= 5000) want.push_back(r.cap);
    }
    std::vector<std::int64_t> got;
    Slice<std::int64_t> s;
    for (std::int64_t i = 0; i < 5000; ++i) {
      std::int64_t before = s.cap();
      s = append(s, i);
      if (s.cap() != before) got.push_back(s.cap());
    }
    EXPECT_THAT(got, ElementsAreArray(want));
    EXPECT_EQ(s[4999], 4999);
  });
}

TEST(Step5_Growslice, Go117PolicyFollowsTheNotesRule) {
  // GODEBUG=slicegrowth=go1.17 selects the notes' rule. For []int64:
  // doubling up to 1024, then 1.25x, each rounded to a size class:
  // 1024 -> 1280 (10240 B, a class) -> 1600*8 = 12800 B -> 13568 B = 1696
  // -> 2120*8 = 16960 -> 18432 B = 2304 -> ...
  gort::Run(
      [] {
        std::vector<std::int64_t> caps;
        Slice<std::int64_t> s;
        for (std::int64_t i = 0; i < 20000; ++i) {
          std::int64_t before = s.cap();
          s = append(s, i);
          if (s.cap() != before && s.cap() >= 1024) caps.push_back(s.cap());
        }
        EXPECT_THAT(caps, ElementsAre(1024, 1280, 1696, 2304, 3072, 4096, 5120, 7168,
                                      9216, 12288, 15360, 19456, 24576));
      },
      Options{.godebug = "slicegrowth=go1.17"});
}

TEST(Step5_Growslice, GrowthCopiesAndLeavesTheOldArrayAlone) {
  gort::Run([] {
    Slice<int> a = slice_of<int>({1, 2, 3});  // len 3, cap 3: full
    Slice<int> b = append(a, 4);              // must move to a new array
    b[0] = 100;
    EXPECT_EQ(a[0], 1);  // a still sees its own array
    EXPECT_THAT(b, ElementsAre(100, 2, 3, 4));
  });
}

TEST(Step5_Growslice, AppendWithinCapacityWritesIntoTheSharedArray) {
  // The interview classic: two appends to the same short slice with spare
  // capacity overwrite each other, because neither needs to grow.
  gort::Run([] {
    Slice<int> base = make_slice<int>(3, 10);
    Slice<int> x = append(base, 1);
    Slice<int> y = append(base, 2);
    EXPECT_EQ(x[3], 2);  // y's append wrote over x's element
    EXPECT_EQ(x.data(), y.data());
  });
}

TEST(Step5_Growslice, ThreeIndexSliceForcesAppendToCopy) {
  gort::Run([] {
    Slice<int> s = slice_of<int>({1, 2, 3, 4, 5});
    Slice<int> head = s.slice(0, 2, 2);  // s[0:2:2]: no spare capacity
    head = append(head, 99);
    EXPECT_EQ(s[2], 3);  // s is untouched
    EXPECT_THAT(head, ElementsAre(1, 2, 99));
  });
}

TEST(Step5_Growslice, NonTrivialElementsSurviveGrowth) {
  gort::Run([] {
    Slice<std::string> s;
    for (int i = 0; i < 100; ++i) s = append(s, std::string(30, static_cast<char>('a' + i % 26)));
    EXPECT_EQ(s.len(), 100);
    EXPECT_THAT(s[27], StrEq(std::string(30, 'b')));
    Slice<std::string> old = s.slice(0, 1, 1);
    Slice<std::string> grown = append(old, std::string("new"));
    EXPECT_THAT(grown, ElementsAre(std::string(30, 'a'), "new"));
    EXPECT_THAT(s[1], StrEq(std::string(30, 'b')));
  });
}

TEST(Step5_Growslice, ElementsPastTheNewLengthAreZero) {
  // The contract in include/gort/rt/slice.h: after growslice, everything
  // from newLen to the new cap is a zero value (Go: memclr of the tail), so
  // s[:cap(s)] exposes zeros, never stale bytes.
  HeapReleaser release;
  const rt::Type et = ByteArrayType(8);
  rt::slice s{rt::makeslice(&et, 3, 3), 3, 3};
  std::memset(s.array, 0xAB, 3 * 8);
  rt::slice grown = rt::growslice(&et, s, 5);
  ASSERT_GT(grown.cap, 5);  // doubling leaves room past newLen
  const unsigned char* bytes = static_cast<const unsigned char*>(grown.array);
  for (int i = 0; i < 3 * 8; ++i) EXPECT_EQ(bytes[i], 0xAB) << "old element byte " << i;
  for (std::int64_t i = 5 * 8; i < grown.cap * 8; ++i) EXPECT_EQ(bytes[i], 0) << "tail byte " << i;
}

TEST(Step5_Growslice, NonTrivialElementsPastTheOldLengthAreZeroValues) {
  gort::Run([] {
    Slice<std::string> s = slice_of<std::string>({"x", "y"});
    Slice<std::string> grown = append(s, std::string("z"));
    // Everything up to cap is a constructed, empty string.
    EXPECT_THAT(grown.slice(3, grown.cap()), ::testing::Each(StrEq("")));
    EXPECT_THAT(grown, ElementsAre("x", "y", "z"));
  });
}

TEST(Step5_Growslice, ZeroSizedElementsNeedNoMemory) {
  // Go's growslice: zero-sized elements get &zerobase and the requested cap.
  const rt::Type empty = ByteArrayType(0);
  rt::slice s = rt::growslice(&empty, rt::slice{}, 5);
  EXPECT_EQ(s.array, static_cast<void*>(rt::zerobase));
  EXPECT_EQ(s.cap, 5);
}

TEST(Step5_Growslice, LengthOverflowPanicsLikeGo) {
  // Go: append to a []struct{} of length MaxInt; the new length wraps
  // negative and growslice refuses it.
  const rt::Type empty = ByteArrayType(0);
  const std::int64_t max = std::numeric_limits<std::int64_t>::max();
  rt::slice s{rt::zerobase, max, max};
  EXPECT_THAT([&] { rt::growslice(&empty, s, rt::addWrap(max, 1)); },
              ThrowsMessage<rt::Panic>(StrEq(PanicText("growslice_len_overflow"))));
}

TEST(Step5_Growslice, MoreThanMaxAllocPanicsLikeGo) {
  // Go: append([]byte(nil), big...) with len(big) = 1<<50 > maxAlloc.
  const rt::Type byte_type = ByteArrayType(1);
  EXPECT_THAT([&] { rt::growslice(&byte_type, rt::slice{}, std::int64_t{1} << 50); },
              ThrowsMessage<rt::Panic>(StrEq(PanicText("growslice_cap_over_max_alloc"))));
}

}  // namespace
}  // namespace gort
