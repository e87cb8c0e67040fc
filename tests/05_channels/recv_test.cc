// Step 4: chanrecv — from the buffer, from a parked sender (directly, or
// through a full buffer), parking when empty, non-blocking receives, nil.
//
// Orders and texts come from real Go (tools/groundtruth/chan).
#include <atomic>
#include <memory>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "include/gort/gort.h"
#include "include/gort/rt/chan.h"
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
using ::gort::testing::WaitParked;

TEST(Step4_Recv, BufferIsFifoAcrossWrapAround) {
  ExpectProgram([] {
    auto ch = make_chan<int>(3);
    rt::hchan* c = ch.header();
    std::string got;
    int next = 1;
    // Keep the ring partly full while its indices go around it 3 times.
    ch.send(next++);
    ch.send(next++);
    for (int i = 0; i < 9; ++i) {
      ch.send(next++);
      absl::StrAppend(&got, ch.recv(), ",");
      EXPECT_EQ(len(ch), 2);
      EXPECT_EQ((c->recvx + 2) % 3, c->sendx);
    }
    absl::StrAppend(&got, ch.recv(), ",");
    absl::StrAppend(&got, ch.recv());
    EXPECT_EQ(got, "1,2,3,4,5,6,7,8,9,10,11");
    EXPECT_EQ(len(ch), 0);
  }, {.gomaxprocs = 1});
}

TEST(Step4_Recv, ReceiveClearsTheBufferSlot) {
  ExpectProgram([] {
    auto ch = make_chan<std::string>(2);
    ch.send(std::string(100, 'x'));
    EXPECT_EQ(ch.recv(), std::string(100, 'x'));
    // Go clears the slot (typedmemclr) so it does not keep the value alive.
    EXPECT_EQ(*static_cast<std::string*>(rt::chanbuf(ch.header(), 0)), "");
  }, {.gomaxprocs = 1});
}

TEST(Step4_Recv, EmptyChannelParksTheReceiverUntilASend) {
  ExpectProgram([] {
    auto ch = make_chan<int>(1);
    std::atomic<rt::g*> receiver{nullptr};
    std::atomic<int> got{0};
    go([&] {
      receiver = rt::getg();
      got = ch.recv();
    });
    while (receiver.load() == nullptr) Gosched();
    WaitParked(receiver.load(), rt::waitReason::waitReasonChanReceive);
    ASSERT_NE(ch.header()->recvq.first.load(), nullptr);
    ch.send(9);
    while (got.load() == 0) Gosched();
    EXPECT_EQ(got.load(), 9);
  }, {.gomaxprocs = 2});
}

TEST(Step4_Recv, UnbufferedSendCompletesOnlyWhenReceived) {
  ExpectProgram([] {
    auto ch = make_chan<int>();
    std::atomic<int> stage{0};
    go([&] {
      ch.send(1);
      stage = 1;  // after the receive below took the value
    });
    Settle();
    EXPECT_EQ(stage.load(), 0);
    EXPECT_EQ(ch.recv(), 1);
    Settle();
    EXPECT_EQ(stage.load(), 1);
  }, {.gomaxprocs = 1});
}

TEST(Step4_Recv, FullBufferWithParkedSendersTakesHeadAndRefillsTail) {
  ExpectProgram([] {
    // orders.inc, buffered_full_with_senders.
    Events ev;
    auto ch = make_chan<int>(2);
    ch.send(1);
    ch.send(2);
    for (int i = 3; i <= 4; ++i) {
      go([&ev, ch, i] {
        ch.send(i);
        ev.Say(absl::StrCat("s", i, " done"));
      });
      Settle();
    }
    ev.Say(absl::StrCat("len ", len(ch)));
    for (int i = 0; i < 4; ++i) ev.Say(absl::StrCat(ch.recv()));
    Settle();
    EXPECT_EQ(ev.Joined(), GoOrder("buffered_full_with_senders"));
  }, {.gomaxprocs = 1});
}

TEST(Step4_Recv, BlockedSendersAreServedFifo) {
  ExpectProgram([] {
    Events ev;
    auto ch = make_chan<int>();
    for (int i = 1; i <= 4; ++i) {
      go([ch, i] { ch.send(i); });
      Settle();
    }
    for (int i = 0; i < 4; ++i) ev.Say(absl::StrCat(ch.recv()));
    EXPECT_EQ(ev.Joined(), GoOrder("fifo_senders"));
  }, {.gomaxprocs = 1});
}

TEST(Step4_Recv, BlockedReceiversAreServedFifoAndRunLastReadiedFirst) {
  ExpectProgram([] {
    // orders.inc, fifo_receivers: r1 gets 10 (FIFO), but each send puts
    // its receiver in runnext, so r4 runs first.
    Events ev;
    auto ch = make_chan<int>();
    for (int i = 1; i <= 4; ++i) {
      go([&ev, ch, i] {
        int v = ch.recv();
        ev.Say(absl::StrCat("r", i, " got ", v));
      });
      Settle();
    }
    for (int i = 1; i <= 4; ++i) ch.send(10 * i);
    Settle();
    EXPECT_EQ(ev.Joined(), GoOrder("fifo_receivers"));
  }, {.gomaxprocs = 1});
}

TEST(Step4_Recv, HandOffsGoThroughRunnext) {
  ExpectProgram([] {
    Events ev;
    auto ch = make_chan<int>();
    go([&] { ev.Say(absl::StrCat("recv ", ch.recv())); });
    Settle();
    ch.send(1);
    ev.Say("sent");
    Settle();
    EXPECT_EQ(ev.Joined(), GoOrder("handoff_sender_continues"));

    Events ev2;
    go([&] {
      ch.recv();
      ev2.Say("receiver");
    });
    Settle();
    go([&] { ev2.Say("other"); });
    ch.send(1);
    Gosched();
    ev2.Say("main");
    Settle();
    EXPECT_EQ(ev2.Joined(), GoOrder("handoff_runnext"));
  }, {.gomaxprocs = 1});
}

TEST(Step4_Recv, NonBlockingReceivesThatWouldBlockSelectNothing) {
  ExpectProgram([] {
    // orders.inc, nonblocking_table: "nil recv: default|open recv: default".
    EXPECT_THAT(GoOrder("nonblocking_table"), ::testing::HasSubstr("nil recv: default|open recv: default"));
    int v = 5;
    rt::recvResult r = rt::selectnbrecv(&v, nullptr);
    EXPECT_FALSE(r.selected);
    auto ch = make_chan<int>(1);
    bool selected = true;
    ch.try_recv(&selected);
    EXPECT_FALSE(selected);
    ch.send(3);
    auto [x, ok] = ch.try_recv(&selected);
    EXPECT_TRUE(selected);
    EXPECT_TRUE(ok);
    EXPECT_EQ(x, 3);
  }, {.gomaxprocs = 1});
}

TEST(Step4_Recv, NonBlockingReceiveTakesFromAParkedSender) {
  ExpectProgram([] {
    auto ch = make_chan<int>();
    go([ch] { ch.send(8); });
    Settle();
    bool selected = false;
    auto [x, ok] = ch.try_recv(&selected);
    EXPECT_TRUE(selected);
    EXPECT_TRUE(ok);
    EXPECT_EQ(x, 8);
  }, {.gomaxprocs = 1});
}

TEST(Step4_Recv, ReceiveIntoNothingDropsTheValue) {
  ExpectProgram([] {
    auto ch = make_chan<int>(1);
    ch.send(1);
    EXPECT_TRUE(ch.recv_drop());  // <-ch
    EXPECT_EQ(len(ch), 0);
  }, {.gomaxprocs = 1});
}

TEST(Step4_Recv, MoveOnlyAndStringValuesArriveIntact) {
  ExpectProgram([] {
    auto ch = make_chan<std::unique_ptr<int>>();
    go([ch] { ch.send(std::make_unique<int>(11)); });
    std::unique_ptr<int> p = ch.recv();
    ASSERT_NE(p, nullptr);
    EXPECT_EQ(*p, 11);

    auto sc = make_chan<std::string>(1);
    std::string s = "original";
    sc.send(s);  // a copy goes in
    s[0] = 'X';  // changing ours afterwards does not change what was sent
    EXPECT_EQ(sc.recv(), "original");
  }, {.gomaxprocs = 1});
}

TEST(Step4_RecvDeathTest, ReceiveWithNoSenderDeadlocks) {
  EXPECT_EXIT(gort::Run([] { make_chan<int>().recv(); }),
              ::testing::ExitedWithCode(GoDeath("deadlock_recv").exit_code),
              GoDeathRegex("deadlock_recv"));
}

TEST(Step4_RecvDeathTest, ReceiveOnNilBlocksForever) {
  EXPECT_EXIT(gort::Run([] { chan<int>().recv(); }),
              ::testing::ExitedWithCode(GoDeath("deadlock_recv_nil").exit_code),
              GoDeathRegex("deadlock_recv_nil"));
}

}  // namespace
}  // namespace gort
