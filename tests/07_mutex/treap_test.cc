// Step 1: the semaRoot treap (queue, dequeue, rotations).
//
// The structure is Go 1.19's (src/runtime/sema.go): a binary search tree
// by address whose nodes obey a min-heap on random tickets, with a wait
// list per address. These tests drive a private semaRoot directly (no
// scheduler needed) and check the invariants after every operation.
#include <algorithm>
#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <random>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "include/gort/rt/runtime2.h"
#include "include/gort/rt/sema.h"

namespace gort {
namespace {

using rt::semaRoot;
using rt::sudog;
using Addr = std::atomic<std::uint32_t>;

std::uintptr_t U(const void* p) { return reinterpret_cast<std::uintptr_t>(p); }

// Checks BST order by address, heap order by ticket, parent links, odd
// tickets; returns the number of treap nodes.
int CheckTreap(const sudog* t, const sudog* parent, std::uintptr_t lo, std::uintptr_t hi) {
  if (t == nullptr) return 0;
  EXPECT_EQ(t->parent, parent);
  EXPECT_GE(U(t->elem), lo);
  EXPECT_LT(U(t->elem), hi);
  EXPECT_EQ(t->ticket & 1, 1u) << "treap tickets are fastrand() | 1";
  if (parent != nullptr) {
    EXPECT_LE(parent->ticket, t->ticket) << "heap order on tickets";
  }
  return 1 + CheckTreap(t->prev, t, lo, U(t->elem)) + CheckTreap(t->next, t, U(t->elem) + 1, hi);
}

int CheckTreap(const semaRoot& root) { return CheckTreap(root.treap, nullptr, 0, UINTPTR_MAX); }

sudog* Dequeue(semaRoot* root, Addr* a) {
  std::int64_t now = -1;
  sudog* s = root->dequeue(a, &now);
  EXPECT_EQ(now, 0);
  return s;
}

class Step1_Treap : public ::testing::Test {
 protected:
  sudog* NewSudog() {
    sudogs_.push_back(std::make_unique<sudog>());
    return sudogs_.back().get();
  }
  semaRoot root_;
  std::vector<std::unique_ptr<sudog>> sudogs_;
};

TEST_F(Step1_Treap, FirstWaiterBecomesTheRootWithAnOddTicket) {
  Addr a;
  sudog* s = NewSudog();
  root_.queue(&a, s, false);
  EXPECT_EQ(root_.treap, s);
  EXPECT_EQ(s->elem, &a);
  EXPECT_EQ(s->ticket & 1, 1u);
  EXPECT_EQ(s->parent, nullptr);
  EXPECT_EQ(CheckTreap(root_), 1);
}

TEST_F(Step1_Treap, WaitersOnOneAddressShareOneNodeAndLeaveFifo) {
  Addr a;
  sudog* s1 = NewSudog();
  sudog* s2 = NewSudog();
  sudog* s3 = NewSudog();
  root_.queue(&a, s1, false);
  root_.queue(&a, s2, false);
  root_.queue(&a, s3, false);
  EXPECT_EQ(CheckTreap(root_), 1);
  EXPECT_EQ(root_.treap, s1);
  EXPECT_EQ(s1->waitlink, s2);
  EXPECT_EQ(s2->waitlink, s3);
  EXPECT_EQ(s1->waittail, s3);
  EXPECT_EQ(Dequeue(&root_, &a), s1);
  EXPECT_EQ(root_.treap, s2) << "the next waiter takes over the node";
  EXPECT_EQ(Dequeue(&root_, &a), s2);
  EXPECT_EQ(Dequeue(&root_, &a), s3);
  EXPECT_EQ(root_.treap, nullptr);
  EXPECT_EQ(Dequeue(&root_, &a), nullptr);
}

TEST_F(Step1_Treap, LifoWaiterTakesTheNodeAndLeavesFirst) {
  Addr a;
  sudog* s1 = NewSudog();
  sudog* s2 = NewSudog();
  sudog* s3 = NewSudog();
  root_.queue(&a, s1, false);
  root_.queue(&a, s2, false);
  const std::uint32_t ticket = s1->ticket;
  root_.queue(&a, s3, /*lifo=*/true);
  EXPECT_EQ(root_.treap, s3);
  EXPECT_EQ(s3->ticket, ticket) << "s3 inherits the node's ticket";
  EXPECT_EQ(s3->waitlink, s1);
  EXPECT_EQ(s3->waittail, s2);
  EXPECT_EQ(CheckTreap(root_), 1);
  EXPECT_EQ(Dequeue(&root_, &a), s3);
  EXPECT_EQ(Dequeue(&root_, &a), s1);
  EXPECT_EQ(Dequeue(&root_, &a), s2);
}

TEST_F(Step1_Treap, LifoOnASingleWaiterSetsTheTailToTheOldNode) {
  Addr a;
  sudog* s1 = NewSudog();
  sudog* s2 = NewSudog();
  root_.queue(&a, s1, false);
  root_.queue(&a, s2, true);
  EXPECT_EQ(s2->waittail, s1);
  EXPECT_EQ(s1->waittail, nullptr);
  EXPECT_EQ(Dequeue(&root_, &a), s2);
  EXPECT_EQ(Dequeue(&root_, &a), s1);
}

TEST_F(Step1_Treap, DequeueClearsTheLinksReleaseSudogChecks) {
  Addr a, b;
  sudog* s1 = NewSudog();
  sudog* s2 = NewSudog();
  root_.queue(&a, s1, false);
  root_.queue(&b, s2, false);
  sudog* s = Dequeue(&root_, &a);
  ASSERT_EQ(s, s1);
  EXPECT_EQ(s->elem, nullptr);
  EXPECT_EQ(s->ticket, 0u);
  EXPECT_EQ(s->parent, nullptr);
  EXPECT_EQ(s->next, nullptr);
  EXPECT_EQ(s->prev, nullptr);
  EXPECT_EQ(s->waitlink, nullptr);
  EXPECT_EQ(CheckTreap(root_), 1);
}

TEST_F(Step1_Treap, DequeueOfAnAddressWithoutWaitersReturnsNull) {
  Addr a, b;
  root_.queue(&a, NewSudog(), false);
  EXPECT_EQ(Dequeue(&root_, &b), nullptr);
  EXPECT_EQ(CheckTreap(root_), 1);
}

TEST_F(Step1_Treap, RotateLeftAndRightKeepTheSearchOrder) {
  // Hand-built tree over three addresses: x(a[0]) with right child y(a[1]),
  // and b = y's left child... addresses in order a[0] < a[1] < a[2].
  Addr addrs[3];
  sudog* x = NewSudog();
  sudog* y = NewSudog();
  sudog* c = NewSudog();
  x->elem = &addrs[0];
  c->elem = &addrs[1];
  y->elem = &addrs[2];
  // x -> (nil, y), y -> (c, nil)
  root_.treap = x;
  x->next = y;
  y->parent = x;
  y->prev = c;
  c->parent = y;
  root_.rotateLeft(x);
  // y -> (x, nil), x -> (nil, c)
  EXPECT_EQ(root_.treap, y);
  EXPECT_EQ(y->parent, nullptr);
  EXPECT_EQ(y->prev, x);
  EXPECT_EQ(x->parent, y);
  EXPECT_EQ(x->next, c);
  EXPECT_EQ(c->parent, x);
  EXPECT_EQ(y->next, nullptr);
  root_.rotateRight(y);
  EXPECT_EQ(root_.treap, x);
  EXPECT_EQ(x->parent, nullptr);
  EXPECT_EQ(x->next, y);
  EXPECT_EQ(y->parent, x);
  EXPECT_EQ(y->prev, c);
  EXPECT_EQ(c->parent, y);
  EXPECT_EQ(x->prev, nullptr);
}

TEST_F(Step1_Treap, RotationBelowTheRootUpdatesTheParentsChild) {
  Addr addrs[3];
  sudog* p = NewSudog();
  sudog* x = NewSudog();
  sudog* y = NewSudog();
  p->elem = &addrs[0];
  x->elem = &addrs[1];
  y->elem = &addrs[2];
  root_.treap = p;
  p->next = x;
  x->parent = p;
  x->next = y;
  y->parent = x;
  root_.rotateLeft(x);
  EXPECT_EQ(p->next, y);
  EXPECT_EQ(y->parent, p);
  EXPECT_EQ(y->prev, x);
  EXPECT_EQ(x->parent, y);
  EXPECT_EQ(root_.treap, p);
}

TEST_F(Step1_Treap, ThousandAddressesStayASearchTreeAndAHeapUntilEmpty) {
  constexpr int kAddrs = 1000;
  std::vector<Addr> addrs(kAddrs);
  std::vector<int> order(kAddrs);
  for (int i = 0; i < kAddrs; i++) order[i] = i;
  std::mt19937 rng(42);
  std::shuffle(order.begin(), order.end(), rng);
  // Two waiters on every address, the second sometimes LIFO.
  std::map<int, std::vector<sudog*>> expected;  // dequeue order per address
  for (int i : order) {
    sudog* s1 = NewSudog();
    sudog* s2 = NewSudog();
    root_.queue(&addrs[i], s1, false);
    bool lifo = i % 3 == 0;
    root_.queue(&addrs[i], s2, lifo);
    expected[i] = lifo ? std::vector<sudog*>{s2, s1} : std::vector<sudog*>{s1, s2};
  }
  ASSERT_EQ(CheckTreap(root_), kAddrs);
  // Depth stays logarithmic in expectation; 1000 nodes fit well under 60.
  std::function<int(const sudog*)> depth = [&](const sudog* t) {
    return t == nullptr ? 0 : 1 + std::max(depth(t->prev), depth(t->next));
  };
  EXPECT_LT(depth(root_.treap), 60);
  std::shuffle(order.begin(), order.end(), rng);
  int left = kAddrs;
  for (int i : order) {
    EXPECT_EQ(Dequeue(&root_, &addrs[i]), expected[i][0]);
    EXPECT_EQ(CheckTreap(root_), left);
    EXPECT_EQ(Dequeue(&root_, &addrs[i]), expected[i][1]);
    EXPECT_EQ(CheckTreap(root_), --left);
  }
  EXPECT_EQ(root_.treap, nullptr);
}

TEST(SemTable, HasGos251CacheLinePaddedRoots) {
  // Go 1.19 sema.go: semTabSize = 251, rootFor = (addr >> 3) % semTabSize.
  EXPECT_EQ(rt::semTabSize, 251u);
  EXPECT_EQ(sizeof(rt::semTableEntry) % 64, 0u);
  EXPECT_EQ(rt::semroot(reinterpret_cast<void*>(8 * 252)), &rt::semtable[1].root);
}

}  // namespace
}  // namespace gort
