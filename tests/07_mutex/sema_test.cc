// Step 2: semacquire1 and semrelease1 on the scheduler.
//
// Deadlock text, exit status and wait reason: Go 1.19, recorded by
// tools/groundtruth/sync/regen.sh (fatal.txt, cases mutex-lock-twice and
// waitgroup-wait-forever: "goroutine 1 [semacquire]:").
#include <atomic>
#include <cstdint>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "include/gort/gort.h"
#include "include/gort/rt/proc.h"
#include "include/gort/rt/runtime2.h"
#include "include/gort/rt/sema.h"
#include "tests/04_scheduler/program.h"
#include "tests/07_mutex/sync_testing.h"

namespace gort {
namespace {

using ::gort::testing::ExpectProgram;
using ::gort::testing::WaitUntilParked;
using ::testing::ElementsAre;
using Sema = std::atomic<std::uint32_t>;

TEST(Step2_Sema, CansemacquireTakesACountOnlyWhenThereIsOne) {
  Sema s{2};
  EXPECT_TRUE(rt::cansemacquire(&s));
  EXPECT_TRUE(rt::cansemacquire(&s));
  EXPECT_FALSE(rt::cansemacquire(&s));
  EXPECT_EQ(s.load(), 0u);
}

TEST(Step2_Sema, AcquireWithACountDoesNotPark) {
  ExpectProgram([] {
    Sema s{1};
    rt::semacquire(&s);
    EXPECT_EQ(s.load(), 0u);
    EXPECT_EQ(rt::semroot(&s)->nwait.load(), 0u);
  }, {.gomaxprocs = 1});
}

TEST(Step2_Sema, ReleaseWithoutWaitersLeavesTheCount) {
  ExpectProgram([] {
    Sema s{0};
    rt::semrelease(&s);
    rt::semrelease(&s);
    EXPECT_EQ(s.load(), 2u);
  }, {.gomaxprocs = 1});
}

TEST(Step2_Sema, AcquireParksWithReasonSemacquireUntilARelease) {
  ExpectProgram([] {
    static Sema s{0};
    std::atomic<rt::g*> waiter{nullptr};
    std::atomic<bool> acquired{false};
    go([&] {
      waiter = rt::getg();
      rt::semacquire(&s);
      acquired = true;
    });
    WaitUntilParked(waiter);
    EXPECT_EQ(waiter.load()->waitreason, rt::waitReason::waitReasonSemacquire);
    EXPECT_STREQ(rt::waitReasonString(waiter.load()->waitreason), "semacquire");
    EXPECT_EQ(rt::semroot(&s)->nwait.load(), 1u);
    EXPECT_FALSE(acquired.load());
    rt::semrelease(&s);
    EXPECT_EQ(rt::semroot(&s)->nwait.load(), 0u);
    while (!acquired.load()) Gosched();
    EXPECT_EQ(s.load(), 0u) << "the waiter consumed the count";
  }, {.gomaxprocs = 1});
}

TEST(Step2_Sema, WaitersAreWokenInArrivalOrder) {
  ExpectProgram([] {
    static Sema s{0};
    std::vector<int> woken;
    for (int i = 0; i < 5; i++) {
      std::atomic<rt::g*> w{nullptr};
      go([&, i] {
        w = rt::getg();
        rt::semacquire(&s);
        woken.push_back(i);
      });
      WaitUntilParked(w);
    }
    for (int i = 0; i < 5; i++) {
      rt::semrelease(&s);
      while (static_cast<int>(woken.size()) < i + 1) Gosched();
    }
    EXPECT_THAT(woken, ElementsAre(0, 1, 2, 3, 4));
  }, {.gomaxprocs = 1});
}

TEST(Step2_Sema, LifoWaiterIsWokenBeforeEarlierOnes) {
  ExpectProgram([] {
    static Sema s{0};
    std::vector<int> woken;
    for (int i = 0; i < 3; i++) {
      std::atomic<rt::g*> w{nullptr};
      go([&, i] {
        w = rt::getg();
        rt::semacquire1(&s, /*lifo=*/i == 2, 0, 0);
        woken.push_back(i);
      });
      WaitUntilParked(w);
    }
    for (int i = 0; i < 3; i++) {
      rt::semrelease(&s);
      while (static_cast<int>(woken.size()) < i + 1) Gosched();
    }
    EXPECT_THAT(woken, ElementsAre(2, 0, 1));
  }, {.gomaxprocs = 1});
}

TEST(Step2_Sema, HandoffRunsTheWaiterBeforeTheReleaserContinues) {
  ExpectProgram([] {
    static Sema s{0};
    std::vector<const char*> events;
    std::atomic<rt::g*> w{nullptr};
    go([&] {
      w = rt::getg();
      rt::semacquire(&s);
      events.push_back("waiter acquired");
    });
    WaitUntilParked(w);
    rt::semrelease1(&s, /*handoff=*/true, 0);
    events.push_back("releaser continues");
    EXPECT_THAT(events, ElementsAre("waiter acquired", "releaser continues"));
    EXPECT_EQ(s.load(), 0u);
  }, {.gomaxprocs = 1});
}

TEST(Step2_Sema, WithoutHandoffTheReleaserCanTakeTheCountBack) {
  ExpectProgram([] {
    static Sema s{0};
    std::atomic<rt::g*> w{nullptr};
    std::atomic<bool> acquired{false};
    go([&] {
      w = rt::getg();
      rt::semacquire(&s);
      acquired = true;
    });
    WaitUntilParked(w);
    rt::semrelease1(&s, /*handoff=*/false, 0);
    // The waiter is runnable but not running (one p): the count is still
    // there, and a running goroutine takes it first. The waiter wakes,
    // finds nothing and queues again.
    EXPECT_FALSE(acquired.load());
    EXPECT_TRUE(rt::cansemacquire(&s));
    while (rt::readgstatus(w.load()) != rt::_Gwaiting || rt::semroot(&s)->nwait.load() == 0) {
      Gosched();
    }
    EXPECT_FALSE(acquired.load());
    rt::semrelease(&s);
    while (!acquired.load()) Gosched();
  }, {.gomaxprocs = 1});
}

TEST(Step2_Sema, CountingSemaphoreBoundsConcurrencyOnTwoPs) {
  ExpectProgram([] {
    static Sema s{1};  // a binary semaphore used as a lock
    static std::int64_t counter = 0;
    constexpr int kG = 4, kN = 2000;
    std::atomic<int> done{0};
    for (int i = 0; i < kG; i++) {
      go([&] {
        for (int j = 0; j < kN; j++) {
          rt::semacquire(&s);
          counter++;
          rt::semrelease(&s);
        }
        done++;
      });
    }
    while (done.load() < kG) Gosched();
    EXPECT_EQ(counter, kG * kN);
    EXPECT_EQ(s.load(), 1u);
  }, {.gomaxprocs = 2});
}

TEST(Step2_Sema, WaitersOnManyAddressesOfOneRootWakeByAddress) {
  // Semaphores 251 * 8 bytes apart hash to the same semaRoot (Go 1.19
  // rootFor: (addr >> 3) % 251), so their waiters share one treap.
  ExpectProgram([] {
    constexpr int kAddrs = 40;
    constexpr std::size_t kStride = rt::semTabSize * 8 / sizeof(Sema);
    static Sema sems[kAddrs * kStride];
    rt::semaRoot* root = rt::semroot(&sems[0]);
    std::vector<int> woken;
    for (int i = 0; i < kAddrs; i++) {
      ASSERT_EQ(rt::semroot(&sems[i * kStride]), root);
      std::atomic<rt::g*> w{nullptr};
      go([&, i] {
        w = rt::getg();
        rt::semacquire(&sems[i * kStride]);
        woken.push_back(i);
      });
      WaitUntilParked(w);
    }
    EXPECT_EQ(root->nwait.load(), static_cast<std::uint32_t>(kAddrs));
    // Release in an order unrelated to arrival or address: each release
    // wakes exactly the goroutine waiting on that address.
    std::vector<int> order;
    for (int i = 0; i < kAddrs; i++) order.push_back((i * 17) % kAddrs);
    for (int k = 0; k < kAddrs; k++) {
      rt::semrelease(&sems[order[k] * kStride]);
      while (static_cast<int>(woken.size()) < k + 1) Gosched();
      EXPECT_EQ(woken.back(), order[k]);
    }
    EXPECT_EQ(root->nwait.load(), 0u);
    EXPECT_EQ(root->treap, nullptr);
  }, {.gomaxprocs = 1});
}

TEST(Step2_SemaDeathTest, AcquireWithNobodyToReleaseIsADeadlockInSemacquire) {
  EXPECT_EXIT(gort::Run([] {
                static Sema s{0};
                rt::semacquire(&s);
              }),
              ::testing::ExitedWithCode(2),
              "fatal error: all goroutines are asleep - deadlock!\n\ngoroutine 1 \\[semacquire\\]:");
}

}  // namespace
}  // namespace gort
