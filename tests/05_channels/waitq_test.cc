// Step 2: waitq, the FIFO of blocked sudogs, and dequeue's select rule.
//
// Mirrors Go 1.19 src/runtime/chan.go (waitq.enqueue, waitq.dequeue).
#include <deque>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "include/gort/rt/chan.h"
#include "include/gort/rt/proc.h"
#include "include/gort/rt/runtime2.h"

namespace gort {
namespace {

class Step2_Waitq : public ::testing::Test {
 protected:
  ~Step2_Waitq() override {
    for (rt::g* gp : gs_) rt::freeTestG(gp);
  }
  rt::sudog* NewSudog(bool isSelect = false) {
    sudogs_.emplace_back();
    gs_.push_back(rt::newTestG(static_cast<std::int64_t>(gs_.size() + 1)));
    rt::sudog* s = &sudogs_.back();
    s->g_ = gs_.back();
    s->isSelect = isSelect;
    return s;
  }
  std::deque<rt::sudog> sudogs_;
  std::vector<rt::g*> gs_;
};

TEST_F(Step2_Waitq, EmptyQueueDequeuesNull) {
  rt::waitq q;
  EXPECT_EQ(q.dequeue(), nullptr);
}

TEST_F(Step2_Waitq, DequeueIsFifo) {
  rt::waitq q;
  rt::sudog* a = NewSudog();
  rt::sudog* b = NewSudog();
  rt::sudog* c = NewSudog();
  q.enqueue(a);
  q.enqueue(b);
  q.enqueue(c);
  EXPECT_EQ(q.first.load(), a);
  EXPECT_EQ(q.last, c);
  EXPECT_EQ(q.dequeue(), a);
  EXPECT_EQ(q.dequeue(), b);
  EXPECT_EQ(q.dequeue(), c);
  EXPECT_EQ(q.dequeue(), nullptr);
  EXPECT_EQ(q.first.load(), nullptr);
  EXPECT_EQ(q.last, nullptr);
}

TEST_F(Step2_Waitq, EnqueueLinksBothWays) {
  rt::waitq q;
  rt::sudog* a = NewSudog();
  rt::sudog* b = NewSudog();
  q.enqueue(a);
  q.enqueue(b);
  EXPECT_EQ(a->next, b);
  EXPECT_EQ(b->prev, a);
  EXPECT_EQ(a->prev, nullptr);
  EXPECT_EQ(b->next, nullptr);
}

TEST_F(Step2_Waitq, DequeueUnlinksTheHead) {
  rt::waitq q;
  rt::sudog* a = NewSudog();
  rt::sudog* b = NewSudog();
  q.enqueue(a);
  q.enqueue(b);
  EXPECT_EQ(q.dequeue(), a);
  EXPECT_EQ(a->next, nullptr);
  EXPECT_EQ(b->prev, nullptr);
  EXPECT_EQ(q.first.load(), b);
}

TEST_F(Step2_Waitq, DequeueWinsTheSelectOfASelectingGoroutine) {
  rt::waitq q;
  rt::sudog* s = NewSudog(/*isSelect=*/true);
  q.enqueue(s);
  EXPECT_EQ(q.dequeue(), s);
  EXPECT_EQ(s->g_->selectDone.load(), 1u);  // this channel won the select
}

TEST_F(Step2_Waitq, DequeueSkipsSelectsAlreadyWonElsewhere) {
  rt::waitq q;
  rt::sudog* lost = NewSudog(/*isSelect=*/true);
  rt::sudog* plain = NewSudog();
  lost->g_->selectDone = 1;  // another case of that select fired first
  q.enqueue(lost);
  q.enqueue(plain);
  EXPECT_EQ(q.dequeue(), plain);
  EXPECT_EQ(q.dequeue(), nullptr);
}

TEST_F(Step2_Waitq, TwoSudogsOfOneSelectYieldOnlyOne) {
  // A select with two cases on one channel queues two sudogs of one g.
  rt::waitq q;
  rt::sudog* first = NewSudog(/*isSelect=*/true);
  sudogs_.emplace_back();
  rt::sudog* second = &sudogs_.back();
  second->g_ = first->g_;
  second->isSelect = true;
  q.enqueue(first);
  q.enqueue(second);
  EXPECT_EQ(q.dequeue(), first);
  EXPECT_EQ(q.dequeue(), nullptr);  // the second lost the CAS
}

}  // namespace
}  // namespace gort
