// Step 5: closechan, and the operations table of the notes (seed 001,
// "Channel"): nil / closed / open channel x close / send / receive, cell by
// cell, each cell's Go 1.19 behaviour recorded by tools/groundtruth/chan.
//
//              | nil channel    | closed channel      | open channel
//   close      | panic          | panic               | closes it
//   send       | blocks forever | panic               | blocks or sends
//   receive    | blocks forever | never blocks: rest  | blocks or receives
//              |                | of buffer, then 0   |
#include <atomic>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "include/gort/gort.h"
#include "include/gort/rt/chan.h"
#include "include/gort/rt/error.h"
#include "include/gort/rt/proc.h"
#include "include/gort/rt/runtime2.h"
#include "tests/04_scheduler/program.h"
#include "tests/05_channels/chan_util.h"

namespace gort {
namespace {

using ::gort::testing::Events;
using ::gort::testing::ExpectProgram;
using ::gort::testing::GoDeath;
using ::gort::testing::GoDeathRegex;
using ::gort::testing::GoOrder;
using ::gort::testing::Settle;

using ::gort::testing::PanicText;

// ---- the operations table --------------------------------------------

TEST(Step5_OperationsTable, CloseNilPanics) {
  ExpectProgram([] {
    EXPECT_EQ(PanicText([] { close(chan<int>()); }), GoDeath("panic_close_nil").line1);
  }, {.gomaxprocs = 1});
}

TEST(Step5_OperationsTable, CloseClosedPanics) {
  ExpectProgram([] {
    auto ch = make_chan<int>();
    close(ch);
    EXPECT_EQ(PanicText([&] { close(ch); }), GoDeath("panic_close_closed").line1);
  }, {.gomaxprocs = 1});
}

TEST(Step5_OperationsTable, CloseOpenSucceeds) {
  ExpectProgram([] {
    auto ch = make_chan<int>(2);
    EXPECT_EQ(PanicText([&] { close(ch); }), "");
    EXPECT_EQ(ch.header()->closed.load(), 1u);
  }, {.gomaxprocs = 1});
}

TEST(Step5_OperationsTableDeathTest, SendNilBlocksForever) {
  EXPECT_EXIT(gort::Run([] { chan<int>().send(1); }),
              ::testing::ExitedWithCode(GoDeath("deadlock_send_nil").exit_code),
              GoDeathRegex("deadlock_send_nil"));
}

TEST(Step5_OperationsTable, SendClosedPanics) {
  ExpectProgram([] {
    auto ch = make_chan<int>(1);
    close(ch);
    EXPECT_EQ(PanicText([&] { ch.send(1); }), GoDeath("panic_send_closed").line1);
  }, {.gomaxprocs = 1});
}

TEST(Step5_OperationsTable, SendOpenSendsOrBlocks) {
  ExpectProgram([] {
    auto ch = make_chan<int>(1);
    EXPECT_TRUE(ch.try_send(1));   // room: sends
    EXPECT_FALSE(ch.try_send(2));  // full: would block
  }, {.gomaxprocs = 1});
}

TEST(Step5_OperationsTableDeathTest, ReceiveNilBlocksForever) {
  EXPECT_EXIT(gort::Run([] { chan<int>().recv(); }),
              ::testing::ExitedWithCode(GoDeath("deadlock_recv_nil").exit_code),
              GoDeathRegex("deadlock_recv_nil"));
}

TEST(Step5_OperationsTable, ReceiveClosedDrainsTheBufferThenGivesZeroForever) {
  ExpectProgram([] {
    // orders.inc, closed_drain: "7 true|8 true|0 false|0 false|len 0 cap 3".
    Events ev;
    auto ch = make_chan<int>(3);
    ch.send(7);
    ch.send(8);
    close(ch);
    for (int i = 0; i < 4; ++i) {
      auto [v, ok] = ch.recv_ok();
      ev.Say(absl::StrCat(v, ok ? " true" : " false"));
    }
    ev.Say(absl::StrCat("len ", len(ch), " cap ", cap(ch)));
    EXPECT_EQ(ev.Joined(), GoOrder("closed_drain"));
  }, {.gomaxprocs = 1});
}

TEST(Step5_OperationsTable, ReceiveClosedNeverBlocksEvenWithoutWaiting) {
  ExpectProgram([] {
    // orders.inc, nonblocking_table: "closed recv: 0 false".
    EXPECT_THAT(GoOrder("nonblocking_table"), ::testing::HasSubstr("closed recv: 0 false"));
    auto ch = make_chan<std::string>();
    close(ch);
    bool selected = false;
    auto [v, ok] = ch.try_recv(&selected);
    EXPECT_TRUE(selected);
    EXPECT_FALSE(ok);
    EXPECT_EQ(v, "");
  }, {.gomaxprocs = 1});
}

TEST(Step5_OperationsTable, ReceiveOpenReceivesOrBlocks) {
  ExpectProgram([] {
    auto ch = make_chan<int>(1);
    bool selected = true;
    ch.try_recv(&selected);
    EXPECT_FALSE(selected);  // empty: would block
    ch.send(4);
    EXPECT_EQ(ch.recv(), 4);
  }, {.gomaxprocs = 1});
}

// ---- close and the blocked -------------------------------------------

TEST(Step5_Close, CloseWakesEveryReceiverWithTheZeroValue) {
  ExpectProgram([] {
    // orders.inc, close_wakes_receivers: "closed|r1 0 false|r4 0 false|
    // r3 0 false|r2 0 false". closechan readies from a stack (gList), each
    // goready through runnext.
    Events ev;
    auto ch = make_chan<int>();
    for (int i = 1; i <= 4; ++i) {
      go([&ev, ch, i] {
        auto [v, ok] = ch.recv_ok();
        ev.Say(absl::StrCat("r", i, " ", v, ok ? " true" : " false"));
      });
      Settle();
    }
    close(ch);
    ev.Say("closed");
    Settle();
    EXPECT_EQ(ev.Joined(), GoOrder("close_wakes_receivers"));
  }, {.gomaxprocs = 1});
}

TEST(Step5_Close, CloseWakesEveryBlockedSenderWhichPanics) {
  ExpectProgram([] {
    auto ch = make_chan<int>();
    std::atomic<int> panicked{0};
    for (int i = 0; i < 5; ++i) {
      go([&panicked, ch] {
        if (PanicText([&] { ch.send(1); }) == GoDeath("panic_send_closed").line1) panicked++;
      });
    }
    Settle();
    close(ch);
    Settle();
    EXPECT_EQ(panicked.load(), 5);
    EXPECT_EQ(ch.header()->sendq.first.load(), nullptr);
  }, {.gomaxprocs = 2});
}

TEST(Step5_Close, RangeReceivesUntilClosed) {
  ExpectProgram([] {
    auto ch = make_chan<int>();
    go([ch] {
      for (int i = 0; i < 5; ++i) ch.send(i);
      close(ch);
    });
    std::string got;
    for (int v : ch) absl::StrAppend(&got, v);
    EXPECT_EQ(got, "01234");
  }, {.gomaxprocs = 2});
}

TEST(Step5_Close, RangeOverMoveOnlyValues) {
  ExpectProgram([] {
    auto ch = make_chan<std::unique_ptr<int>>(4);
    for (int i = 0; i < 4; ++i) ch.send(std::make_unique<int>(i));
    close(ch);
    int sum = 0;
    for (auto&& p : ch) sum += *p;
    EXPECT_EQ(sum, 6);
  }, {.gomaxprocs = 1});
}

TEST(Step5_Close, ALeakedSenderStaysBlockedForever) {
  ExpectProgram([] {
    // orders.inc, leak: "before 1|after 11": nobody receives, so the
    // senders never end (a goroutine leak; Go has no way to collect them).
    Events ev;
    ev.Say(absl::StrCat("before ", NumGoroutine()));
    for (int i = 0; i < 10; ++i) {
      auto c = make_chan<int>();
      go([c] { c.send(1); });
    }
    Settle();
    ev.Say(absl::StrCat("after ", NumGoroutine()));
    EXPECT_EQ(ev.Joined(), GoOrder("leak"));
  }, {.gomaxprocs = 1});
}

TEST(Step5_Close, BufferedChannelAsAGoroutinePool) {
  // The notes' goroutine pool (seed 001): a buffered channel of capacity 5
  // used as a semaphore lets at most 5 of 20 tasks run at once. The tasks
  // wait for a release instead of sleeping, so nothing depends on timing.
  ExpectProgram([] {
    constexpr int kLimit = 5;
    constexpr int kTasks = 20;
    auto pool = make_chan<int>(kLimit);
    auto release = make_chan<int>();
    auto done = make_chan<int>(kTasks);
    std::atomic<int> running{0};
    std::atomic<int> peak{0};
    go([=, &running, &peak] {
      for (int i = 0; i < kTasks; ++i) {
        pool.send(1);  // Add(1): blocks while 5 tasks hold the pool
        go([=, &running, &peak] {
          int now = ++running;
          int p = peak.load();
          while (now > p && !peak.compare_exchange_weak(p, now)) {
          }
          release.recv();  // the task's work
          --running;
          pool.recv();  // Done()
          done.send(1);
        });
      }
    });
    while (running.load() < kLimit) Gosched();
    Settle();
    EXPECT_EQ(running.load(), kLimit);  // the 6th task waits for room
    EXPECT_EQ(len(pool), kLimit);
    for (int i = 0; i < kTasks; ++i) release.send(1);
    for (int i = 0; i < kTasks; ++i) done.recv();  // Wait()
    EXPECT_EQ(peak.load(), kLimit);
    EXPECT_EQ(len(pool), 0);
  }, {.gomaxprocs = 2});
}

TEST(Step5_CloseDeathTest, SenderBlockedWhenTheChannelClosesPanics) {
  EXPECT_EXIT(gort::Run([] {
                auto ch = make_chan<int>();
                go([ch] {
                  Sleep(absl::Milliseconds(20));
                  close(ch);
                });
                ch.send(1);
              }),
              ::testing::ExitedWithCode(GoDeath("panic_send_closed_while_blocked").exit_code),
              GoDeathRegex("panic_send_closed_while_blocked"));
}

TEST(Step5_CloseDeathTest, RangeOverAnUnclosedChannelDeadlocks) {
  EXPECT_EXIT(gort::Run([] {
                auto ch = make_chan<int>(1);
                ch.send(1);
                for (int v : ch) (void)v;
              }),
              ::testing::ExitedWithCode(GoDeath("deadlock_range").exit_code),
              GoDeathRegex("deadlock_range"));
}

TEST(Step5_CloseDeathTest, CloseOfNilEndsTheProgram) {
  EXPECT_EXIT(gort::Run([] { close(chan<int>()); }),
              ::testing::ExitedWithCode(GoDeath("panic_close_nil").exit_code),
              GoDeathRegex("panic_close_nil"));
}

TEST(Step5_CloseDeathTest, CloseOfClosedEndsTheProgram) {
  EXPECT_EXIT(gort::Run([] {
                auto ch = make_chan<int>();
                close(ch);
                close(ch);
              }),
              ::testing::ExitedWithCode(GoDeath("panic_close_closed").exit_code),
              GoDeathRegex("panic_close_closed"));
}

}  // namespace
}  // namespace gort
