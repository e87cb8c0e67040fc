// Step 1: the run queues, tested as data structures (no runtime running).
//
// Expected behaviour: Go 1.19 src/runtime/proc.go (runqput, runqputslow,
// runqget, globrunqget) and the notes (seed 001: local queue of 256,
// runnext, half the local queue moves to the global queue when full).
#include <cstdint>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "include/gort/rt/proc.h"
#include "include/gort/rt/runtime2.h"

namespace gort {
namespace {

using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using ::testing::IsEmpty;

// A p and a supply of gs, plus a clean global queue, for one test.
class RunqFixture : public ::testing::Test {
 protected:
  RunqFixture() : pp_(rt::newTestP(0)) {
    rt::gomaxprocs.store(1);
    rt::sched.runq = rt::gQueue{};
    rt::sched.runqsize = 0;
  }
  ~RunqFixture() override {
    rt::sched.runq = rt::gQueue{};
    rt::sched.runqsize = 0;
    rt::freeTestP(pp_);
    for (rt::g* gp : gs_) rt::freeTestG(gp);
  }

  rt::g* G(std::int64_t goid) {
    rt::g* gp = rt::newTestG(goid);
    gs_.push_back(gp);
    return gp;
  }

  static std::vector<std::int64_t> Ids(const std::vector<rt::g*>& gs) {
    std::vector<std::int64_t> ids;
    for (rt::g* gp : gs) ids.push_back(gp->goid);
    return ids;
  }

  std::vector<std::int64_t> LocalIds() { return Ids(rt::runqsnapshot(pp_).runq); }

  std::vector<std::int64_t> GlobalIds() {
    std::vector<std::int64_t> ids;
    for (rt::g* gp = rt::sched.runq.head; gp != nullptr; gp = gp->schedlink) ids.push_back(gp->goid);
    return ids;
  }

  rt::p* pp_;
  std::vector<rt::g*> gs_;
};

using Step1_Runq = RunqFixture;

TEST_F(Step1_Runq, PutWithNextGoesToRunnextAndKicksTheOldOneToTheTail) {
  rt::runqput(pp_, G(1), /*next=*/true);
  rt::runqput(pp_, G(2), /*next=*/true);
  rt::runqput(pp_, G(3), /*next=*/true);
  rt::RunqSnapshot snap = rt::runqsnapshot(pp_);
  ASSERT_NE(snap.runnext, nullptr);
  EXPECT_EQ(snap.runnext->goid, 3);
  EXPECT_THAT(LocalIds(), ElementsAre(1, 2));
}

TEST_F(Step1_Runq, PutWithoutNextAppendsToTheTail) {
  rt::runqput(pp_, G(1), false);
  rt::runqput(pp_, G(2), false);
  EXPECT_EQ(rt::runqsnapshot(pp_).runnext, nullptr);
  EXPECT_THAT(LocalIds(), ElementsAre(1, 2));
  EXPECT_FALSE(rt::runqempty(pp_));
}

TEST_F(Step1_Runq, GetTakesRunnextFirstAndItInheritsTheTimeSlice) {
  rt::runqput(pp_, G(1), false);
  rt::runqput(pp_, G(2), true);
  bool inherit = false;
  rt::g* gp = rt::runqget(pp_, &inherit);
  ASSERT_NE(gp, nullptr);
  EXPECT_EQ(gp->goid, 2);
  EXPECT_TRUE(inherit);
  gp = rt::runqget(pp_, &inherit);
  ASSERT_NE(gp, nullptr);
  EXPECT_EQ(gp->goid, 1);
  EXPECT_FALSE(inherit);
  EXPECT_EQ(rt::runqget(pp_, &inherit), nullptr);
  EXPECT_TRUE(rt::runqempty(pp_));
}

TEST_F(Step1_Runq, LocalQueueHolds256) {
  // Notes (seed 001): the local queue holds at most 256 gs.
  for (int i = 0; i < 256; i++) rt::runqput(pp_, G(i), false);
  EXPECT_EQ(LocalIds().size(), 256u);
  EXPECT_THAT(GlobalIds(), IsEmpty());
}

TEST_F(Step1_Runq, FullQueueMovesHalfPlusTheNewGToTheGlobalQueue) {
  // Go 1.19 runqputslow: half of the full queue (128, oldest first) and the
  // g being added move to the global queue in one batch.
  for (int i = 0; i < 256; i++) rt::runqput(pp_, G(i), false);
  rt::runqput(pp_, G(256), false);
  std::vector<std::int64_t> want_global;
  for (int i = 0; i < 128; i++) want_global.push_back(i);
  want_global.push_back(256);
  EXPECT_THAT(GlobalIds(), ElementsAreArray(want_global));
  EXPECT_EQ(rt::sched.runqsize, 129);
  std::vector<std::int64_t> want_local;
  for (int i = 128; i < 256; i++) want_local.push_back(i);
  EXPECT_THAT(LocalIds(), ElementsAreArray(want_local));
}

TEST_F(Step1_Runq, KickedRunnextOverflowsTooWhenTheQueueIsFull) {
  // 257 gs started with next=true (what `go f()` does): runnext holds the
  // last, the queue is full; one more kicks the runnext g into a full queue.
  for (int i = 0; i < 258; i++) rt::runqput(pp_, G(i), true);
  EXPECT_EQ(rt::runqsnapshot(pp_).runnext->goid, 257);
  std::vector<std::int64_t> global = GlobalIds();
  ASSERT_EQ(global.size(), 129u);
  EXPECT_EQ(global.front(), 0);
  EXPECT_EQ(global.back(), 256);  // the kicked runnext, after the batch
}

struct GlobrunqgetCase {
  std::int32_t queued;
  std::int32_t gomaxprocs;
  std::int32_t max;
  std::int32_t taken;  // 1 returned + (taken - 1) put on the local queue
};

class Step1_Globrunqget : public RunqFixture,
                          public ::testing::WithParamInterface<GlobrunqgetCase> {};

TEST_P(Step1_Globrunqget, TakesGos119Batch) {
  const GlobrunqgetCase& c = GetParam();
  rt::gomaxprocs.store(c.gomaxprocs);
  for (int i = 0; i < c.queued; i++) rt::globrunqput(G(i));
  rt::g* gp = rt::globrunqget(pp_, c.max);
  ASSERT_NE(gp, nullptr);
  EXPECT_EQ(gp->goid, 0);
  EXPECT_EQ(static_cast<std::int32_t>(LocalIds().size()), c.taken - 1);
  EXPECT_EQ(rt::sched.runqsize, c.queued - c.taken);
}

// Go 1.19 proc.go globrunqget:
//   n = min(runqsize, runqsize/gomaxprocs + 1, max if > 0, len(p.runq)/2).
// (The notes write the last cap as len(GQ)/2; Go caps by half the local
// queue, 128, as these cases show.)
INSTANTIATE_TEST_SUITE_P(
    Go119, Step1_Globrunqget,
    ::testing::Values(GlobrunqgetCase{10, 1, 0, 10},    // all 10: 10/1+1 capped at 10
                      GlobrunqgetCase{10, 4, 0, 3},     // 10/4+1
                      GlobrunqgetCase{10, 1, 1, 1},     // schedule()'s every-61st-tick call
                      GlobrunqgetCase{1000, 1, 0, 128},  // capped by half the local queue
                      GlobrunqgetCase{1000, 16, 0, 63}));  // 1000/16+1

TEST_F(Step1_Runq, GlobrunqgetOnAnEmptyQueueReturnsNothing) {
  EXPECT_EQ(rt::globrunqget(pp_, 0), nullptr);
  // globrunqput keeps FIFO order.
  rt::globrunqput(G(1));
  rt::globrunqput(G(2));
  EXPECT_THAT(GlobalIds(), ElementsAre(1, 2));
}

}  // namespace
}  // namespace gort
