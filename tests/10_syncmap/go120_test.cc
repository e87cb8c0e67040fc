// Step 6: Go 1.20's Swap, CompareAndSwap and CompareAndDelete. Mirrors Go
// 1.20 src/sync/map.go; the expected results are its documented contract
// (Go 1.19, the ground-truth toolchain here, does not have these methods):
// Swap returns the previous value and whether there was one;
// CompareAndSwap/CompareAndDelete act only when the current value == old,
// and a key only in dirty counts a miss.
#include <atomic>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "include/gort/gort.h"
#include "include/gort/sync.h"
#include "include/gort/syncmap.h"
#include "tests/04_scheduler/program.h"

namespace gort {
namespace {

using ::gort::testing::ExpectProgram;
using ::testing::Pair;

using IntMap = sync::Map<int, int>;

int boxA = 1;
int boxB = 2;

TEST(Step6_Go120Entry, TrySwapReturnsThePreviousPointerUnlessExpunged) {
  rt::sync::entry e(&boxA);
  bool ok = false;
  EXPECT_EQ(e.trySwap(&boxB, &ok), &boxA);
  EXPECT_TRUE(ok);
  rt::sync::entry gone(rt::sync::expunged);
  EXPECT_EQ(gone.trySwap(&boxB, &ok), nullptr);
  EXPECT_FALSE(ok);
  EXPECT_EQ(gone.p.load(), rt::sync::expunged);
}

TEST(Step6_Go120, SwapReturnsThePreviousValue) {
  ExpectProgram([] {
    IntMap m;
    EXPECT_THAT(m.Swap(1, 10), Pair(0, false));  // new key
    EXPECT_THAT(m.Swap(1, 11), Pair(10, true));  // in dirty
    m.Load(1);                                   // promote
    EXPECT_THAT(m.Swap(1, 12), Pair(11, true));  // in read, lock-free
    m.Delete(1);
    EXPECT_THAT(m.Swap(1, 13), Pair(0, false));  // soft-deleted: no previous value
    EXPECT_THAT(m.Load(1), Pair(13, true));
  });
}

TEST(Step6_Go120, SwapOfAnExpungedKeyPutsItBackIntoDirty) {
  ExpectProgram([] {
    IntMap m;
    m.Store(1, 10);
    m.Store(2, 20);
    m.Load(1);
    m.Load(1);  // promote
    m.Delete(2);
    m.Store(3, 30);  // dirtyLocked expunges 2
    ASSERT_EQ(m.StatsOf(2).state, sync::EntryState::kExpunged);
    EXPECT_THAT(m.Swap(2, 21), Pair(0, false));
    sync::KeyStats s = m.StatsOf(2);
    EXPECT_TRUE(s.inDirty);
    EXPECT_EQ(s.state, sync::EntryState::kLive);
  });
}

TEST(Step6_Go120, CompareAndSwapOnlyWhenTheValueMatches) {
  ExpectProgram([] {
    sync::Map<std::string, std::string> m;
    EXPECT_FALSE(m.CompareAndSwap("k", "", "x"));  // missing key: false
    m.Store("k", "a");
    m.Load("k");  // promote
    EXPECT_FALSE(m.CompareAndSwap("k", "b", "x"));
    EXPECT_THAT(m.Load("k"), Pair("a", true));
    EXPECT_TRUE(m.CompareAndSwap("k", "a", "x"));
    EXPECT_THAT(m.Load("k"), Pair("x", true));
    m.Delete("k");
    EXPECT_FALSE(m.CompareAndSwap("k", "x", "y"));  // deleted: nothing to compare
  });
}

TEST(Step6_Go120, CompareAndSwapOfAKeyOnlyInDirtyCountsAMiss) {
  ExpectProgram([] {
    IntMap m;
    m.Store(1, 10);
    m.Store(2, 20);
    EXPECT_TRUE(m.CompareAndSwap(1, 10, 11));
    EXPECT_EQ(m.Stats().misses, 1);
    EXPECT_THAT(m.Load(1), Pair(11, true));  // second miss: promotes
    EXPECT_EQ(m.Stats().readLen, 2);
  });
}

TEST(Step6_Go120, CompareAndDeleteOnlyWhenTheValueMatches) {
  ExpectProgram([] {
    IntMap m;
    m.Store(1, 10);
    EXPECT_FALSE(m.CompareAndDelete(1, 99));
    // 1 was only in dirty: a miss, the len(dirty)-th, so dirty was promoted.
    EXPECT_EQ(m.Stats().readLen, 1);
    EXPECT_TRUE(m.CompareAndDelete(1, 10));  // now in read: a CAS to nil
    EXPECT_THAT(m.Load(1), Pair(0, false));
    EXPECT_EQ(m.StatsOf(1).state, sync::EntryState::kDeleted);
    EXPECT_FALSE(m.CompareAndDelete(1, 10));
  });
}

// Many goroutines increment one counter with a CompareAndSwap loop: no
// increment is lost.
TEST(Step6_Go120, CompareAndSwapLoopsLoseNoIncrement) {
  ExpectProgram(
      [] {
        constexpr int kG = 4, kN = 500;
        IntMap m;
        m.Store(0, 0);
        m.Load(0);
        sync::WaitGroup wg;
        for (int g = 0; g < kG; g++) {
          wg.Add(1);
          go([&] {
            for (int i = 0; i < kN; i++) {
              for (;;) {
                int v = m.Load(0).first;
                if (m.CompareAndSwap(0, v, v + 1)) break;
                Gosched();
              }
            }
            wg.Done();
          });
        }
        wg.Wait();
        EXPECT_THAT(m.Load(0), Pair(kG * kN, true));
      },
      {.gomaxprocs = 2});
}

}  // namespace
}  // namespace gort
