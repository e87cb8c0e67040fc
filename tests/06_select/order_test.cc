// Steps 1 and 2: the poll order, the lock order, locking each channel once,
// and removing a sudog from the middle of a wait queue.
//
// Mirrors the top of Go 1.19 selectgo (src/runtime/select.go): "generate
// permuted order", "sort the cases by Hchan address", sellock, selunlock,
// and waitq.dequeueSudoG.
#include <algorithm>
#include <array>
#include <cstdint>
#include <deque>
#include <map>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "include/gort/gort.h"
#include "include/gort/rt/chan.h"
#include "include/gort/rt/malloc.h"
#include "tests/04_scheduler/program.h"

namespace gort {
namespace {

using ::gort::testing::ExpectProgram;
using ::testing::UnorderedElementsAre;

class Step1_SelectOrder : public ::testing::Test {
 protected:
  ~Step1_SelectOrder() override { rt::ReleaseHeapForTeardown(); }
  rt::hchan* NewChan() { return rt::makechan(rt::TypeOf<int>(), 1); }
};

TEST_F(Step1_SelectOrder, PollOrderIsAPermutationOfTheCasesWithChannels) {
  std::array<rt::scase, 5> cases{};
  cases[0].c = NewChan();
  cases[1].c = nullptr;  // a nil channel: left out of both orders
  cases[2].c = NewChan();
  cases[3].c = NewChan();
  cases[4].c = nullptr;
  std::array<std::uint16_t, 10> order{};
  const int n = rt::selectorder(cases.data(), 5, order.data(), order.data() + 5);
  ASSERT_EQ(n, 3);
  EXPECT_THAT(std::vector<int>(order.begin(), order.begin() + 3), UnorderedElementsAre(0, 2, 3));
  EXPECT_THAT(std::vector<int>(order.begin() + 5, order.begin() + 8), UnorderedElementsAre(0, 2, 3));
}

TEST_F(Step1_SelectOrder, LockOrderSortsByChannelAddress) {
  constexpr int kCases = 40;
  std::vector<rt::hchan*> chans;
  for (int i = 0; i < 13; ++i) chans.push_back(NewChan());
  std::array<rt::scase, kCases> cases{};
  for (int i = 0; i < kCases; ++i) cases[i].c = chans[(i * 7) % chans.size()];  // duplicates
  std::array<std::uint16_t, 2 * kCases> order{};
  for (int round = 0; round < 20; ++round) {
    const int n = rt::selectorder(cases.data(), kCases, order.data(), order.data() + kCases);
    ASSERT_EQ(n, kCases);
    const std::uint16_t* lockorder = order.data() + kCases;
    std::vector<int> seen;
    for (int i = 0; i < n; ++i) {
      seen.push_back(lockorder[i]);
      if (i > 0) {
        ASSERT_LE(reinterpret_cast<std::uintptr_t>(cases[lockorder[i - 1]].c),
                  reinterpret_cast<std::uintptr_t>(cases[lockorder[i]].c));
      }
    }
    std::sort(seen.begin(), seen.end());
    for (int i = 0; i < kCases; ++i) ASSERT_EQ(seen[i], i);  // each case once
  }
}

TEST_F(Step1_SelectOrder, PollOrderIsUniform) {
  // All 3! = 6 orders of three cases, 6000 draws: chi-square with 5
  // degrees of freedom; 35.9 is its 1 - 1e-6 quantile, so a fair shuffle
  // fails once in a million runs.
  std::array<rt::scase, 3> cases{};
  for (auto& cas : cases) cas.c = NewChan();
  std::map<std::array<std::uint16_t, 3>, int> counts;
  constexpr int kDraws = 6000;
  std::array<std::uint16_t, 6> order{};
  for (int i = 0; i < kDraws; ++i) {
    rt::selectorder(cases.data(), 3, order.data(), order.data() + 3);
    counts[{order[0], order[1], order[2]}]++;
  }
  ASSERT_EQ(counts.size(), 6u);
  double chi2 = 0;
  const double expected = kDraws / 6.0;
  for (const auto& [perm, n] : counts) chi2 += (n - expected) * (n - expected) / expected;
  EXPECT_LT(chi2, 35.9);
}

class Step2_SelLock : public ::testing::Test {
 protected:
  ~Step2_SelLock() override { rt::ReleaseHeapForTeardown(); }
};

TEST_F(Step2_SelLock, SellockLocksEachChannelOnceAndSelunlockReleasesAll) {
  ExpectProgram([] {
    rt::hchan* a = rt::makechan(rt::TypeOf<int>(), 0);
    rt::hchan* b = rt::makechan(rt::TypeOf<int>(), 0);
    std::array<rt::scase, 4> cases{};
    cases[0].c = a;
    cases[1].c = b;
    cases[2].c = a;  // the same channel twice: locked once (else self-deadlock)
    cases[3].c = b;
    std::array<std::uint16_t, 8> order{};
    const int n = rt::selectorder(cases.data(), 4, order.data(), order.data() + 4);
    rt::sellock(cases.data(), order.data() + 4, n);
    EXPECT_NE(a->lock.key.load(), 0u);
    EXPECT_NE(b->lock.key.load(), 0u);
    rt::selunlock(cases.data(), order.data() + 4, n);
    EXPECT_EQ(a->lock.key.load(), 0u);
    EXPECT_EQ(b->lock.key.load(), 0u);
  }, {.gomaxprocs = 1});
}

TEST_F(Step2_SelLock, DequeueSudoGRemovesFromAnywhere) {
  std::deque<rt::sudog> s(4);
  rt::waitq q;
  for (auto& x : s) q.enqueue(&x);
  q.dequeueSudoG(&s[1]);  // middle
  EXPECT_EQ(s[0].next, &s[2]);
  EXPECT_EQ(s[2].prev, &s[0]);
  q.dequeueSudoG(&s[3]);  // tail
  EXPECT_EQ(q.last, &s[2]);
  q.dequeueSudoG(&s[0]);  // head
  EXPECT_EQ(q.first.load(), &s[2]);
  q.dequeueSudoG(&s[2]);  // the only one
  EXPECT_EQ(q.first.load(), nullptr);
  EXPECT_EQ(q.last, nullptr);
}

TEST_F(Step2_SelLock, DequeueSudoGOfAnAlreadyRemovedSudogDoesNothing) {
  std::deque<rt::sudog> s(2);
  rt::waitq q;
  q.enqueue(&s[0]);
  q.enqueue(&s[1]);
  rt::sudog* head = q.dequeue();  // the waker took s[0]
  ASSERT_EQ(head, &s[0]);
  q.dequeueSudoG(&s[0]);  // pass 3 does not know: must be harmless
  EXPECT_EQ(q.first.load(), &s[1]);
  EXPECT_EQ(q.last, &s[1]);
}

}  // namespace
}  // namespace gort
