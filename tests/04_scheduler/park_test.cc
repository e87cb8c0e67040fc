// Step 3: gopark, goready and Gosched; deadlock detection.
//
// Deadlock texts and exit code: Go 1.19, recorded by
// tools/groundtruth/scheduler/regen.sh (deadlock.txt).
#include <atomic>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "include/gort/gort.h"
#include "include/gort/rt/proc.h"
#include "include/gort/rt/runtime2.h"
#include "tests/04_scheduler/program.h"

namespace gort {
namespace {

using ::gort::testing::ExpectProgram;
using ::testing::ElementsAre;

// Parks the current goroutine forever with the given wait reason.
void ParkForever(rt::waitReason reason) { rt::gopark(nullptr, nullptr, reason); }

TEST(Step3_Park, GoreadyWakesAParkedGoroutine) {
  ExpectProgram([] {
    std::vector<std::string> events;
    std::atomic<rt::g*> parked{nullptr};
    go([&] {
      events.push_back("parking");
      parked = rt::getg();
      rt::gopark(nullptr, nullptr, rt::waitReason::waitReasonChanReceive);
      events.push_back("woken");
    });
    while (parked.load() == nullptr) Gosched();
    // Wait until it has really parked (status is set on g0 after the switch).
    while (rt::readgstatus(parked.load()) != rt::_Gwaiting) Gosched();
    EXPECT_EQ(parked.load()->waitreason, rt::waitReason::waitReasonChanReceive);
    events.push_back("readying");
    rt::goready(parked.load());
    // goready put it in runnext: it runs as soon as main yields.
    Gosched();
    EXPECT_THAT(events, ElementsAre("parking", "readying", "woken"));
  }, {.gomaxprocs = 1});
}

TEST(Step3_Park, UnlockfReturningFalseResumesAtOnce) {
  ExpectProgram([] {
    int calls = 0;
    rt::gopark(
        [](rt::g* gp, void* arg) {
          ++*static_cast<int*>(arg);
          return rt::readgstatus(gp) != rt::_Gwaiting;  // false: it is waiting
        },
        &calls, rt::waitReason::waitReasonSleep);
    EXPECT_EQ(calls, 1);  // and we are running again
  }, {.gomaxprocs = 1});
}

TEST(Step3_Park, GoschedLetsAnotherGoroutineRunOnOneP) {
  ExpectProgram([] {
    std::vector<int> order;
    go([&] { order.push_back(2); });
    order.push_back(1);
    Gosched();  // main to the global queue; the new goroutine runs
    order.push_back(3);
    EXPECT_THAT(order, ElementsAre(1, 2, 3));
  }, {.gomaxprocs = 1});
}

TEST(Step3_Park, GoexitEndsOnlyTheCallingGoroutine) {
  ExpectProgram([] {
    std::atomic<bool> after_goexit{false};
    std::atomic<bool> finished{false};
    go([&] {
      Goexit();
      after_goexit = true;  // never reached
    });
    go([&] { finished = true; });
    while (!finished.load()) Gosched();
    EXPECT_FALSE(after_goexit.load());
  }, {.gomaxprocs = 1});
}

TEST(Step3_ParkDeathTest, AllGoroutinesAsleepIsAFatalDeadlock) {
  EXPECT_EXIT(gort::Run([] { ParkForever(rt::waitReason::waitReasonChanReceive); }),
              ::testing::ExitedWithCode(2),
              "fatal error: all goroutines are asleep - deadlock!\n"
              "\n"
              "goroutine 1 \\[chan receive\\]:");
}

TEST(Step3_ParkDeathTest, DeadlockHeaderNamesTheWaitReason) {
  EXPECT_EXIT(gort::Run([] { ParkForever(rt::waitReason::waitReasonSelectNoCases); }),
              ::testing::ExitedWithCode(2),
              "fatal error: all goroutines are asleep - deadlock!\n"
              "\n"
              "goroutine 1 \\[select \\(no cases\\)\\]:");
}

TEST(Step3_ParkDeathTest, DeadlockListsEveryBlockedGoroutine) {
  EXPECT_EXIT(gort::Run([] {
                go([] { ParkForever(rt::waitReason::waitReasonSemacquire); });
                go([] { ParkForever(rt::waitReason::waitReasonSyncCondWait); });
                ParkForever(rt::waitReason::waitReasonChanReceive);
              }, {.gomaxprocs = 2}),
              ::testing::ExitedWithCode(2),
              "goroutine 1 \\[chan receive\\]:(.|\n)*goroutine [23] \\[(semacquire|sync.Cond.Wait)\\]:");
}

TEST(Step3_ParkDeathTest, MainGoexitWithNothingLeftIsADeadlock) {
  EXPECT_EXIT(gort::Run([] { Goexit(); }), ::testing::ExitedWithCode(2),
              "fatal error: no goroutines \\(main called runtime.Goexit\\) - deadlock!");
}

TEST(Step3_Park, SleepingGoroutinesAreNotADeadlock) {
  ExpectProgram([] { Sleep(absl::Milliseconds(20)); }, {.gomaxprocs = 1});
}

}  // namespace
}  // namespace gort
