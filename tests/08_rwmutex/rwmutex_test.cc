// Chapter 08: sync.RWMutex. Go's own test ideas (src/sync/rwmutex_test.go:
// TestParallelReaders, HammerRWMutex with its exact activity invariant)
// plus the writer-preference scenarios, step by step, on one p.
//
// Fatal texts, exit status and wait reasons: Go 1.19, recorded by
// tools/groundtruth/sync/regen.sh (fatal.txt, cases rwmutex-*).
#include <atomic>
#include <cstdint>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "include/gort/gort.h"
#include "include/gort/rt/proc.h"
#include "include/gort/rt/runtime2.h"
#include "include/gort/rt/sync.h"
#include "include/gort/sync.h"
#include "tests/04_scheduler/program.h"
#include "tests/07_mutex/sync_testing.h"

namespace gort {
namespace {

using ::gort::testing::ExpectProgram;
using ::gort::testing::MS;
using ::gort::testing::WaitUntilParked;
using ::testing::ElementsAre;
namespace rs = ::gort::rt::sync;

constexpr std::int32_t kMax = rs::rwmutexMaxReaders;

TEST(RWMutexConstants, AreGos) {
  // Go 1.19 src/sync/rwmutex.go: const rwmutexMaxReaders = 1 << 30.
  EXPECT_EQ(rs::rwmutexMaxReaders, 1 << 30);
  // Mutex (8 bytes) + writerSem, readerSem, readerCount, readerWait: 24
  // bytes, unsafe.Sizeof(sync.RWMutex{}) in Go 1.19.
  EXPECT_EQ(sizeof(rs::RWMutex), 24u);
}

// ---- Step 1: readers --------------------------------------------------------

TEST(Step1_Readers, RLockAndRUnlockCountReaders) {
  sync::RWMutex rw;
  rw.RLock();
  rw.RLock();
  rw.RLock();
  EXPECT_EQ(rw.ReaderCount(), 3);
  rw.RUnlock();
  EXPECT_EQ(rw.ReaderCount(), 2);
  rw.RUnlock();
  rw.RUnlock();
  EXPECT_EQ(rw.ReaderCount(), 0);
  EXPECT_EQ(rw.ReaderWait(), 0);
}

// Go's TestParallelReaders: all readers hold the lock at the same time.
TEST(Step1_Readers, ManyReadersHoldTheLockAtTheSameTime) {
  ExpectProgram([] {
    static sync::RWMutex rw;
    constexpr int kReaders = 8;
    std::atomic<int> inside{0};
    std::atomic<int> done{0};
    for (int i = 0; i < kReaders; i++) {
      go([&] {
        rw.RLock();
        inside++;
        // Every reader waits here until all are inside: only possible if
        // the read lock is shared.
        while (inside.load() < kReaders) Gosched();
        rw.RUnlock();
        done++;
      });
    }
    while (done.load() < kReaders) Gosched();
    EXPECT_EQ(rw.ReaderCount(), 0);
  }, {.gomaxprocs = 2});
}

TEST(Step2_Writers, TheLastDepartingReaderWakesTheWriter) {
  ExpectProgram([] {
    static sync::RWMutex rw;
    std::atomic<rt::g*> w{nullptr};
    std::atomic<bool> writing{false};
    rw.RLock();
    rw.RLock();
    rw.RLock();
    go([&] {
      w = rt::getg();
      rw.Lock();
      writing = true;
      rw.Unlock();
    });
    WaitUntilParked(w);
    EXPECT_EQ(rw.ReaderCount(), 3 - kMax) << "negative: a writer is pending";
    EXPECT_EQ(rw.ReaderWait(), 3);
    rw.RUnlock();
    EXPECT_EQ(rw.ReaderWait(), 2);
    rw.RUnlock();
    EXPECT_EQ(rw.ReaderWait(), 1);
    Gosched();
    EXPECT_FALSE(writing.load());
    EXPECT_EQ(rt::readgstatus(w.load()), rt::_Gwaiting);
    rw.RUnlock();  // the last one
    EXPECT_EQ(rw.ReaderWait(), 0);
    while (!writing.load()) Gosched();
    EXPECT_EQ(rw.ReaderCount(), 0);
  }, {.gomaxprocs = 1});
}

// fatal.txt, case rwmutex-runlock-unlocked.
TEST(Step1_ReadersDeathTest, RUnlockOfAnUnlockedRWMutexIsFatal) {
  EXPECT_EXIT(gort::Run([] {
                sync::RWMutex rw;
                rw.RUnlock();
              }),
              ::testing::ExitedWithCode(2),
              "fatal error: sync: RUnlock of unlocked RWMutex\n\ngoroutine 1 \\[running\\]:");
}

// fatal.txt, case rwmutex-runlock-while-write-locked: r+1 == -rwmutexMaxReaders.
TEST(Step2_WritersDeathTest, RUnlockWhileWriteLockedIsFatal) {
  EXPECT_EXIT(gort::Run([] {
                sync::RWMutex rw;
                rw.Lock();
                rw.RUnlock();
              }),
              ::testing::ExitedWithCode(2), "fatal error: sync: RUnlock of unlocked RWMutex");
}

// fatal.txt, case rwmutex-rlock-after-lock.
TEST(Step2_WritersDeathTest, RLockWhileWriteLockedDeadlocksInSemacquire) {
  EXPECT_EXIT(gort::Run([] {
                sync::RWMutex rw;
                rw.Lock();
                rw.RLock();
              }),
              ::testing::ExitedWithCode(2),
              "fatal error: all goroutines are asleep - deadlock!\n\ngoroutine 1 \\[semacquire\\]:");
}

// ---- Step 2: writers --------------------------------------------------------

TEST(Step2_Writers, LockFlipsReaderCountNegativeAndUnlockRestoresIt) {
  sync::RWMutex rw;
  rw.Lock();
  EXPECT_EQ(rw.ReaderCount(), -kMax);
  EXPECT_EQ(rw.WriterMutexState(), MS(true, false, false, 0));
  rw.Unlock();
  EXPECT_EQ(rw.ReaderCount(), 0);
  EXPECT_EQ(rw.WriterMutexState(), MS(false, false, false, 0));
}

TEST(Step2_Writers, APendingWriterBlocksNewReaders) {
  ExpectProgram([] {
    static sync::RWMutex rw;
    std::vector<const char*> order;
    std::atomic<rt::g*> w{nullptr};
    std::atomic<rt::g*> r{nullptr};
    rw.RLock();
    go([&] {
      w = rt::getg();
      rw.Lock();
      order.push_back("writer");
      rw.Unlock();
    });
    WaitUntilParked(w);
    // A reader arriving now queues behind the writer, although only a
    // reader holds the lock: readers cannot starve a writer.
    go([&] {
      r = rt::getg();
      rw.RLock();
      order.push_back("late reader");
      rw.RUnlock();
    });
    WaitUntilParked(r);
    EXPECT_EQ(r.load()->waitreason, rt::waitReason::waitReasonSemacquire);
    EXPECT_EQ(rw.ReaderCount(), 2 - kMax);
    rw.RUnlock();
    while (order.size() < 2) Gosched();
    EXPECT_THAT(order, ElementsAre("writer", "late reader"));
  }, {.gomaxprocs = 1});
}

TEST(Step2_Writers, WriterUnlockReleasesEveryBlockedReader) {
  ExpectProgram([] {
    static sync::RWMutex rw;
    constexpr int kReaders = 5;
    std::atomic<int> reading{0};
    std::atomic<bool> release{false};
    rw.Lock();
    for (int i = 0; i < kReaders; i++) {
      std::atomic<rt::g*> r{nullptr};
      go([&] {
        r = rt::getg();
        rw.RLock();
        reading++;
        while (!release.load()) Gosched();
        rw.RUnlock();
      });
      WaitUntilParked(r);
    }
    EXPECT_EQ(rw.ReaderCount(), kReaders - kMax);
    EXPECT_EQ(reading.load(), 0);
    rw.Unlock();
    EXPECT_EQ(rw.ReaderCount(), kReaders);
    while (reading.load() < kReaders) Gosched();
    release = true;
    while (rw.ReaderCount() != 0) Gosched();
  }, {.gomaxprocs = 1});
}

TEST(Step2_Writers, WritersQueueOnTheInnerMutex) {
  ExpectProgram([] {
    static sync::RWMutex rw;
    std::atomic<rt::g*> w{nullptr};
    std::atomic<bool> wrote{false};
    rw.Lock();
    go([&] {
      w = rt::getg();
      rw.Lock();
      wrote = true;
      rw.Unlock();
    });
    WaitUntilParked(w);
    EXPECT_EQ(rw.WriterMutexState(), MS(true, false, false, 1));
    EXPECT_EQ(rw.ReaderCount(), -kMax) << "the second writer has not reached readerCount";
    rw.Unlock();
    while (!wrote.load()) Gosched();
  }, {.gomaxprocs = 1});
}

// Go's HammerRWMutex: readers add 1 to activity, writers 10000; a reader
// must see no writer (activity < 10000), a writer must be alone (exactly
// 10000).
void HammerRWMutex(int procs, int writers, int readers) {
  ExpectProgram([writers, readers] {
    static sync::RWMutex rw;
    static std::atomic<std::int32_t> activity{0};
    static std::atomic<int> violations{0};
    constexpr int kIter = 1000;
    std::atomic<int> done{0};
    auto writer = [&] {
      for (int i = 0; i < kIter; i++) {
        rw.Lock();
        if (activity.fetch_add(10000) + 10000 != 10000) violations++;
        if (i % 50 == 0) Gosched();  // readers and writers must wait meanwhile
        if (activity.fetch_add(-10000) - 10000 != 0) violations++;
        rw.Unlock();
      }
      done++;
    };
    auto reader = [&] {
      for (int i = 0; i < kIter; i++) {
        rw.RLock();
        std::int32_t n = activity.fetch_add(1) + 1;
        if (n < 1 || n >= 10000) violations++;
        if (i % 50 == 0) Gosched();
        activity.fetch_add(-1);
        rw.RUnlock();
      }
      done++;
    };
    int started = 0;
    for (int i = 0; i < std::max(writers, readers); i++) {
      if (i < writers) {
        go(writer);
        started++;
      }
      if (i < readers) {
        go(reader);
        started++;
      }
    }
    while (done.load() < started) Gosched();
    EXPECT_EQ(violations.load(), 0);
    EXPECT_EQ(activity.load(), 0);
    EXPECT_EQ(rw.ReaderCount(), 0);
    EXPECT_EQ(rw.ReaderWait(), 0);
  }, {.gomaxprocs = procs});
}

TEST(Step2_Writers, HammerOneWriterManyReadersOnTwoPs) { HammerRWMutex(2, 1, 5); }
TEST(Step2_Writers, HammerManyWritersManyReadersOnTwoPs) { HammerRWMutex(2, 4, 4); }
TEST(Step2_Writers, HammerOnOneP) { HammerRWMutex(1, 2, 6); }

// fatal.txt, cases rwmutex-unlock-unlocked and rwmutex-unlock-read-locked.
TEST(Step2_WritersDeathTest, UnlockOfAnUnlockedRWMutexIsFatal) {
  EXPECT_EXIT(gort::Run([] {
                sync::RWMutex rw;
                rw.Unlock();
              }),
              ::testing::ExitedWithCode(2),
              "fatal error: sync: Unlock of unlocked RWMutex\n\ngoroutine 1 \\[running\\]:");
}

TEST(Step2_WritersDeathTest, UnlockOfAReadLockIsFatal) {
  EXPECT_EXIT(gort::Run([] {
                sync::RWMutex rw;
                rw.RLock();
                rw.Unlock();
              }),
              ::testing::ExitedWithCode(2), "fatal error: sync: Unlock of unlocked RWMutex");
}

// fatal.txt, case rwmutex-lock-after-rlock.
TEST(Step2_WritersDeathTest, LockWhileReadLockedDeadlocksInSemacquire) {
  EXPECT_EXIT(gort::Run([] {
                sync::RWMutex rw;
                rw.RLock();
                rw.Lock();
              }),
              ::testing::ExitedWithCode(2),
              "fatal error: all goroutines are asleep - deadlock!\n\ngoroutine 1 \\[semacquire\\]:");
}

// ---- Step 3: TryRLock and TryLock -----------------------------------------------

TEST(Step3_Try, TryRLockSucceedsAlongsideReadersAndFailsUnderAWriter) {
  sync::RWMutex rw;
  EXPECT_TRUE(rw.TryRLock());
  EXPECT_TRUE(rw.TryRLock());
  EXPECT_EQ(rw.ReaderCount(), 2);
  rw.RUnlock();
  rw.RUnlock();
  rw.Lock();
  EXPECT_FALSE(rw.TryRLock());
  EXPECT_EQ(rw.ReaderCount(), -kMax);
  rw.Unlock();
}

TEST(Step3_Try, TryLockNeedsNoReadersAndNoWriter) {
  sync::RWMutex rw;
  rw.RLock();
  EXPECT_FALSE(rw.TryLock());
  EXPECT_EQ(rw.WriterMutexState(), MS(false, false, false, 0)) << "w released again";
  EXPECT_EQ(rw.ReaderCount(), 1);
  rw.RUnlock();
  EXPECT_TRUE(rw.TryLock());
  EXPECT_EQ(rw.ReaderCount(), -kMax);
  EXPECT_FALSE(rw.TryLock());
  rw.Unlock();
}

TEST(Step3_Try, RLockerLocksForReading) {
  sync::RWMutex rw;
  sync::Locker l = rw.RLocker();
  l.Lock();
  l.Lock();
  EXPECT_EQ(rw.ReaderCount(), 2);
  EXPECT_FALSE(rw.TryLock());
  l.Unlock();
  l.Unlock();
  EXPECT_TRUE(rw.TryLock());
  rw.Unlock();
}

}  // namespace
}  // namespace gort
