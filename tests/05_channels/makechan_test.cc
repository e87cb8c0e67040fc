// Step 1: makechan, len and cap.
//
// The three allocation cases and the checks are Go 1.19's makechan
// (src/runtime/chan.go); the panic text is recorded from real Go by
// tools/groundtruth/chan/regen.sh (deaths.inc, panic_makechan).
#include <cstdint>
#include <memory>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "include/gort/gort.h"
#include "include/gort/rt/chan.h"
#include "include/gort/rt/error.h"
#include "include/gort/rt/malloc.h"
#include "tests/05_channels/chan_util.h"

namespace gort {
namespace {

using ::testing::HasSubstr;

class Step1_Makechan : public ::testing::Test {
 protected:
  ~Step1_Makechan() override { rt::ReleaseHeapForTeardown(); }
};

TEST_F(Step1_Makechan, UnbufferedChannelIsTheHchanAlone) {
  rt::hchan* c = rt::makechan(rt::TypeOf<std::int64_t>(), 0);
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->dataqsiz, 0u);
  EXPECT_EQ(c->qcount.load(), 0u);
  EXPECT_EQ(c->elemsize, 8);
  EXPECT_EQ(c->elemtype, rt::TypeOf<std::int64_t>());
  // Go points buf at the hchan itself when there is no buffer.
  EXPECT_EQ(c->buf, static_cast<void*>(c));
  EXPECT_EQ(c->closed.load(), 0u);
  EXPECT_EQ(c->recvq.first.load(), nullptr);
  EXPECT_EQ(c->sendq.first.load(), nullptr);
}

TEST_F(Step1_Makechan, PointerFreeElementsShareTheHchansBlock) {
  rt::hchan* c = rt::makechan(rt::TypeOf<std::int32_t>(), 5);
  EXPECT_EQ(c->dataqsiz, 5u);
  EXPECT_EQ(c->elemsize, 4);
  EXPECT_EQ(c->buf, reinterpret_cast<char*>(c) + rt::hchanSize);
  EXPECT_EQ(rt::hchanSize % rt::maxAlign, 0u);
}

TEST_F(Step1_Makechan, ElementsWithPointersGetTheirOwnBuffer) {
  rt::hchan* c = rt::makechan(rt::TypeOf<int*>(), 3);
  EXPECT_NE(c->buf, reinterpret_cast<char*>(c) + rt::hchanSize);
  EXPECT_NE(c->buf, static_cast<void*>(c));
}

TEST_F(Step1_Makechan, CppObjectsGetABufferOfZeroValues) {
  rt::hchan* c = rt::makechan(rt::TypeOf<std::string>(), 4);
  EXPECT_NE(c->buf, reinterpret_cast<char*>(c) + rt::hchanSize);
  EXPECT_EQ(c->elemsize, sizeof(std::string));
  for (rt::uintgo i = 0; i < 4; ++i) {
    EXPECT_EQ(*static_cast<std::string*>(rt::chanbuf(c, i)), "");
  }
}

TEST_F(Step1_Makechan, ChanbufIndexesSlotsByElemsize) {
  rt::hchan* c = rt::makechan(rt::TypeOf<std::int64_t>(), 4);
  EXPECT_EQ(rt::chanbuf(c, 3), static_cast<char*>(c->buf) + 24);
}

TEST_F(Step1_Makechan, LenAndCap) {
  rt::hchan* c = rt::makechan(rt::TypeOf<std::int64_t>(), 7);
  EXPECT_EQ(rt::chanlen(c), 0);
  EXPECT_EQ(rt::chancap(c), 7);
  c->qcount = 3;  // as if three values were buffered
  EXPECT_EQ(rt::chanlen(c), 3);
}

TEST_F(Step1_Makechan, LenAndCapOfNilAreZero) {
  // tools/groundtruth/chan orders.inc, nonblocking_table: "nil len 0 cap 0".
  EXPECT_THAT(testing::GoOrder("nonblocking_table"), HasSubstr("nil len 0 cap 0"));
  EXPECT_EQ(rt::chanlen(nullptr), 0);
  EXPECT_EQ(rt::chancap(nullptr), 0);
}

TEST_F(Step1_Makechan, NegativeSizePanics) {
  try {
    rt::makechan(rt::TypeOf<std::int64_t>(), -1);
    FAIL() << "no panic";
  } catch (const rt::Panic& p) {
    // deaths.inc, panic_makechan.
    EXPECT_EQ(std::string("panic: ") + p.what(), testing::GoDeath("panic_makechan").line1);
    EXPECT_TRUE(p.value().RuntimeError());
  }
}

TEST_F(Step1_Makechan, SizeTimesElemsizeOverflowingPanics) {
  EXPECT_THROW(rt::makechan(rt::TypeOf<std::int64_t>(), std::int64_t{1} << 61), rt::Panic);
  // Above maxAlloc - hchanSize (Go: mem > maxAlloc-hchanSize).
  EXPECT_THROW(rt::makechan(rt::TypeOf<std::int64_t>(), std::int64_t{1} << 45), rt::Panic);
}

TEST_F(Step1_Makechan, TypedMakeChan) {
  auto ch = make_chan<int>(2);
  EXPECT_FALSE(ch.is_nil());
  EXPECT_EQ(cap(ch), 2);
  EXPECT_EQ(len(ch), 0);
  chan<int> copy = ch;
  EXPECT_TRUE(copy == ch);  // copies share the channel
  chan<int> nil;
  EXPECT_TRUE(nil == nullptr);
  EXPECT_EQ(cap(nil), 0);
}

struct Big {
  char bytes[1 << 16];
};

struct alignas(16) OverAligned {
  char b[16];
};

TEST(Step1_MakechanDeathTest, ElementOf64KiBThrows) {
  EXPECT_EXIT(rt::makechan(rt::TypeOf<Big>(), 1), ::testing::ExitedWithCode(2),
              "fatal error: makechan: invalid channel element type");
}

TEST(Step1_MakechanDeathTest, AlignmentAboveMaxAlignThrows) {
  EXPECT_EXIT(rt::makechan(rt::TypeOf<OverAligned>(), 1), ::testing::ExitedWithCode(2),
              "fatal error: makechan: bad alignment");
}

}  // namespace
}  // namespace gort
