// Step 4: work stealing.
//
// Expected behaviour: Go 1.19 proc.go runqgrab/runqsteal (a thief takes
// half, rounded up, of the victim's queue; runnext only when asked) and the
// notes (seed 001: an idle p steals half of another p's local queue).
#include <atomic>
#include <cstdint>
#include <set>
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

class Step4_Steal : public ::testing::Test {
 protected:
  Step4_Steal() : thief_(rt::newTestP(0)), victim_(rt::newTestP(1)) {}
  ~Step4_Steal() override {
    rt::freeTestP(thief_);
    rt::freeTestP(victim_);
    for (rt::g* gp : gs_) rt::freeTestG(gp);
  }
  void Fill(rt::p* pp, int n) {
    for (int i = 0; i < n; i++) {
      gs_.push_back(rt::newTestG(i));
      rt::runqput(pp, gs_.back(), false);
    }
  }
  rt::p* thief_;
  rt::p* victim_;
  std::vector<rt::g*> gs_;
};

TEST_F(Step4_Steal, ThiefTakesHalfRoundedUp) {
  Fill(victim_, 7);
  rt::g* gp = rt::runqsteal(thief_, victim_, false);
  ASSERT_NE(gp, nullptr);
  // 7 - 7/2 = 4 stolen: 0,1,2 to the thief's queue, 3 returned to run.
  EXPECT_EQ(gp->goid, 3);
  EXPECT_EQ(rt::runqsnapshot(thief_).runq.size(), 3u);
  EXPECT_EQ(rt::runqsnapshot(victim_).runq.size(), 3u);
  EXPECT_EQ(rt::runqsnapshot(victim_).runq.front()->goid, 4);
}

TEST_F(Step4_Steal, RunnextIsStolenOnlyWhenAsked) {
  gs_.push_back(rt::newTestG(42));
  rt::runqput(victim_, gs_.back(), true);  // only runnext
  EXPECT_EQ(rt::runqsteal(thief_, victim_, false), nullptr);
  rt::g* gp = rt::runqsteal(thief_, victim_, true);
  ASSERT_NE(gp, nullptr);
  EXPECT_EQ(gp->goid, 42);
  EXPECT_TRUE(rt::runqempty(victim_));
}

TEST_F(Step4_Steal, GrabFromAnEmptyQueueGetsNothing) {
  std::array<std::atomic<rt::g*>, rt::kRunqSize> batch{};
  EXPECT_EQ(rt::runqgrab(victim_, &batch, 0, true), 0u);
}

TEST(Step4_StealProgram, IdlePsStealWorkFromABusyOne) {
  // main fills its own p's queue with CPU-bound goroutines; the other ps
  // have nothing and must steal to help. Each goroutine records its m.
  ExpectProgram([] {
    constexpr int kN = 64;
    std::atomic<int> done{0};
    std::vector<std::atomic<std::int64_t>> ran_on(kN);
    for (int i = 0; i < kN; i++) {
      go([&, i] {
        ran_on[i] = rt::getm()->id;
        volatile std::uint64_t x = 0;
        for (int k = 0; k < 200000; k++) x = x + k;
        done++;
      });
    }
    while (done.load() < kN) Gosched();
    std::set<std::int64_t> ms;
    for (auto& m : ran_on) ms.insert(m.load());
    EXPECT_GE(ms.size(), 2u) << "every goroutine ran on one m: nobody stole";
    std::uint64_t stolen = 0;
    for (rt::p* pp : rt::allp) stolen += pp->stoleGs.load();
    EXPECT_GT(stolen, 0u);
  }, {.gomaxprocs = 4});
}

}  // namespace
}  // namespace gort
