// Step 1: the deferpool (Go 1.19 panic.go newdefer/freedefer).
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "include/gort/gort.h"
#include "include/gort/rt/panic.h"
#include "include/gort/rt/runtime2.h"

namespace gort {
namespace {

using ::testing::ExitedWithCode;
using ::testing::HasSubstr;

// The p this goroutine runs on (gomaxprocs 1: always p0).
rt::p* CurrentP() { return rt::getm()->p_; }

std::int32_t CentralPoolSize() {
  std::int32_t n = 0;
  for (rt::_defer* d = rt::sched.deferpool; d != nullptr; d = d->link) n++;
  return n;
}

TEST(Step1_Deferpool, NewdeferReturnsACleanHeapRecord) {
  gort::Run([] {
    rt::_defer* d = rt::newdefer();
    ASSERT_NE(d, nullptr);
    EXPECT_TRUE(d->heap);
    EXPECT_FALSE(d->started);
    EXPECT_EQ(d->fn, nullptr);
    EXPECT_EQ(d->_panic, nullptr);
    EXPECT_EQ(d->link, nullptr);
    rt::freedefer(d);
  }, {.gomaxprocs = 1});
}

TEST(Step1_Deferpool, FreedRecordIsTheNextOneHandedOut) {
  // The per-p pool is a stack: the record freed last comes back first.
  gort::Run([] {
    rt::_defer* a = rt::newdefer();
    rt::_defer* b = rt::newdefer();
    rt::freedefer(a);
    rt::freedefer(b);
    EXPECT_EQ(rt::newdefer(), b);
    EXPECT_EQ(rt::newdefer(), a);
    rt::freedefer(a);
    rt::freedefer(b);
  }, {.gomaxprocs = 1});
}

TEST(Step1_Deferpool, FreedRecordIsCleared) {
  gort::Run([] {
    rt::_defer* d = rt::newdefer();
    d->started = true;
    d->sp = 1234;
    rt::freedefer(d);
    rt::_defer* again = rt::newdefer();
    ASSERT_EQ(again, d);
    EXPECT_FALSE(again->started);
    EXPECT_EQ(again->sp, 0u);
    EXPECT_EQ(again->link, nullptr);
    rt::freedefer(again);
  }, {.gomaxprocs = 1});
}

TEST(Step1_Deferpool, FullLocalPoolMovesHalfToTheCentralPool) {
  // Go: deferpoolbuf [32]*_defer; when it is full, freedefer moves half
  // (16) to sched.deferpool before pushing.
  gort::Run([] {
    rt::p* pp = CurrentP();
    const std::int32_t capacity = static_cast<std::int32_t>(pp->deferpoolbuf.size());
    ASSERT_EQ(capacity, 32);
    std::vector<rt::_defer*> ds;
    for (int i = 0; i < capacity + 1; i++) ds.push_back(rt::newdefer());
    EXPECT_EQ(pp->ndeferpool, 0);
    for (int i = 0; i < capacity; i++) rt::freedefer(ds[i]);
    EXPECT_EQ(pp->ndeferpool, capacity);
    EXPECT_EQ(CentralPoolSize(), 0);
    rt::freedefer(ds[capacity]);
    EXPECT_EQ(pp->ndeferpool, capacity / 2 + 1);
    EXPECT_EQ(CentralPoolSize(), capacity / 2);
  }, {.gomaxprocs = 1});
}

TEST(Step1_Deferpool, EmptyLocalPoolRefillsHalfFromTheCentralPool) {
  gort::Run([] {
    rt::p* pp = CurrentP();
    std::vector<rt::_defer*> ds;
    for (int i = 0; i < 33; i++) ds.push_back(rt::newdefer());
    for (rt::_defer* d : ds) rt::freedefer(d);  // 17 local, 16 central
    std::vector<rt::_defer*> again;
    for (int i = 0; i < 17; i++) again.push_back(rt::newdefer());
    EXPECT_EQ(pp->ndeferpool, 0);
    EXPECT_EQ(CentralPoolSize(), 16);
    // The next one refills the local pool with 16 (half its capacity),
    // then pops one of them.
    again.push_back(rt::newdefer());
    EXPECT_EQ(CentralPoolSize(), 0);
    EXPECT_EQ(pp->ndeferpool, 15);
    for (rt::_defer* d : again) rt::freedefer(d);
  }, {.gomaxprocs = 1});
}

TEST(Step1_DeferpoolDeathTest, FreeingARecordWithAPendingCallThrows) {
  // Go: throw("freedefer with d.fn != nil").
  EXPECT_EXIT(gort::Run([] {
                rt::_defer* d = rt::newdefer();
                d->fn = [](rt::_defer*) {};
                rt::freedefer(d);
              }),
              ExitedWithCode(2), HasSubstr("fatal error: freedefer with d.fn != nil"));
}

TEST(Step1_DeferpoolDeathTest, FreeingARecordOfARunningPanicThrows) {
  // Go: throw("freedefer with d._panic != nil").
  EXPECT_EXIT(gort::Run([] {
                rt::_defer* d = rt::newdefer();
                rt::_panic p;
                d->_panic = &p;
                rt::freedefer(d);
              }),
              ExitedWithCode(2), HasSubstr("fatal error: freedefer with d._panic != nil"));
}

}  // namespace
}  // namespace gort
