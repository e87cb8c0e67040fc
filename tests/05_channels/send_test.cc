// Step 3: chansend — hand-off to a parked receiver, the ring buffer,
// parking when full, non-blocking sends, send on closed and nil channels.
//
// These tests use no chanrecv (step 4): a "hand-parked" receiver queues a
// sudog and parks exactly as chanrecv's blocking path does, and a blocked
// sender is released by hand as chanrecv's recv() would. Orders and texts
// come from real Go (tools/groundtruth/chan, orders.inc and deaths.inc).
#include <atomic>
#include <memory>
#include <string>
#include <utility>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "include/gort/gort.h"
#include "include/gort/rt/chan.h"
#include "include/gort/rt/error.h"
#include "include/gort/rt/lock.h"
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

// Receives from c the way chanrecv's blocking path does, without chanrecv.
template <class T>
std::pair<T, bool> HandParkedRecv(rt::hchan* c) {
  T v{};
  rt::g* gp = rt::getg();
  rt::sudog* s = rt::acquireSudog();
  s->elem = &v;
  s->g_ = gp;
  s->c = c;
  gp->waiting = s;
  gp->param = nullptr;
  rt::lock(&c->lock);
  c->recvq.enqueue(s);
  rt::goparkunlock(&c->lock, rt::waitReason::waitReasonChanReceive);
  gp = rt::getg();
  const bool ok = s->success;
  gp->waiting = nullptr;
  gp->param = nullptr;
  s->c = nullptr;
  s->elem = nullptr;
  rt::releaseSudog(s);
  return {std::move(v), ok};
}

// Takes the value of the first blocked sender on c, as chanrecv's recv()
// does for an unbuffered channel, without chanrecv.
template <class T>
T HandTakeFromSender(rt::hchan* c) {
  rt::lock(&c->lock);
  rt::sudog* sg = c->sendq.dequeue();
  EXPECT_NE(sg, nullptr);
  T v = std::move(*static_cast<T*>(sg->elem));
  sg->elem = nullptr;
  rt::g* gp = sg->g_;
  rt::unlock(&c->lock);
  gp->param = sg;
  sg->success = true;
  rt::goready(gp);
  return v;
}

TEST(Step3_Send, BufferedSendsFillTheRingAndWrapSendx) {
  ExpectProgram([] {
    auto ch = make_chan<int>(3);
    rt::hchan* c = ch.header();
    ch.send(1);
    EXPECT_EQ(c->sendx, 1u);
    ch.send(2);
    ch.send(3);
    EXPECT_EQ(c->qcount.load(), 3u);
    EXPECT_EQ(c->sendx, 0u);  // wrapped around
    EXPECT_EQ(c->recvx, 0u);
    for (int i = 0; i < 3; ++i) EXPECT_EQ(*static_cast<int*>(rt::chanbuf(c, i)), i + 1);
    EXPECT_EQ(len(ch), 3);
  }, {.gomaxprocs = 1});
}

TEST(Step3_Send, SendToAParkedReceiverBypassesTheBuffer) {
  ExpectProgram([] {
    auto ch = make_chan<int>(2);
    rt::hchan* c = ch.header();
    std::pair<int, bool> got{0, false};
    rt::g* receiver = nullptr;
    go([&] {
      receiver = rt::getg();
      got = HandParkedRecv<int>(c);
    });
    Settle();
    WaitParked(receiver, rt::waitReason::waitReasonChanReceive);
    ch.send(42);
    EXPECT_EQ(c->qcount.load(), 0u);  // straight to the receiver
    EXPECT_EQ(c->recvq.first.load(), nullptr);
    Settle();
    EXPECT_EQ(got.first, 42);
    EXPECT_TRUE(got.second);  // sudog.success
  }, {.gomaxprocs = 1});
}

TEST(Step3_Send, TheSenderKeepsRunningAfterAHandOff) {
  ExpectProgram([] {
    // orders.inc, handoff_sender_continues: the readied receiver waits in
    // runnext until the sender blocks.
    Events ev;
    auto ch = make_chan<int>();
    go([&] { ev.Say(absl::StrCat("recv ", HandParkedRecv<int>(ch.header()).first)); });
    Settle();
    ch.send(1);
    ev.Say("sent");
    Settle();
    EXPECT_EQ(ev.Joined(), GoOrder("handoff_sender_continues"));
  }, {.gomaxprocs = 1});
}

TEST(Step3_Send, TheReadiedReceiverTakesRunnext) {
  ExpectProgram([] {
    // orders.inc, handoff_runnext: "receiver|other|main".
    Events ev;
    auto ch = make_chan<int>();
    go([&] {
      HandParkedRecv<int>(ch.header());
      ev.Say("receiver");
    });
    Settle();
    go([&] { ev.Say("other"); });  // in runnext now
    ch.send(1);                     // the receiver takes runnext; other goes to runq
    Gosched();
    ev.Say("main");
    Settle();
    EXPECT_EQ(ev.Joined(), GoOrder("handoff_runnext"));
  }, {.gomaxprocs = 1});
}

TEST(Step3_Send, AFullBufferParksTheSender) {
  ExpectProgram([] {
    auto ch = make_chan<int>(1);
    rt::hchan* c = ch.header();
    ch.send(1);
    bool done = false;
    rt::g* sender = nullptr;
    go([&] {
      sender = rt::getg();
      ch.send(2);
      done = true;
    });
    Settle();
    WaitParked(sender, rt::waitReason::waitReasonChanSend);
    EXPECT_FALSE(done);
    ASSERT_NE(c->sendq.first.load(), nullptr);
    EXPECT_EQ(c->sendq.first.load()->g_, sender);
    EXPECT_EQ(*static_cast<int*>(c->sendq.first.load()->elem), 2);  // points at its value
    EXPECT_EQ(HandTakeFromSender<int>(c), 2);
    Settle();
    EXPECT_TRUE(done);
  }, {.gomaxprocs = 1});
}

TEST(Step3_Send, UnbufferedSendWaitsForAReceiver) {
  ExpectProgram([] {
    auto ch = make_chan<std::string>();
    std::atomic<bool> done{false};
    std::atomic<rt::g*> sender{nullptr};
    go([&] {
      sender = rt::getg();
      ch.send("hello");
      done = true;
    });
    Settle();
    while (sender.load() == nullptr) Gosched();
    WaitParked(sender.load(), rt::waitReason::waitReasonChanSend);
    EXPECT_FALSE(done);  // nobody took it yet
    EXPECT_EQ(HandTakeFromSender<std::string>(ch.header()), "hello");
    Settle();
    EXPECT_TRUE(done);
  }, {.gomaxprocs = 2});
}

TEST(Step3_Send, BlockedSendersQueueInFifoOrder) {
  ExpectProgram([] {
    auto ch = make_chan<int>();
    for (int i = 1; i <= 4; ++i) {
      go([ch, i] { ch.send(i); });
      Settle();
    }
    std::string got;
    for (int i = 0; i < 4; ++i) {
      absl::StrAppend(&got, i ? "|" : "", HandTakeFromSender<int>(ch.header()));
    }
    EXPECT_EQ(got, GoOrder("fifo_senders"));  // "1|2|3|4"
  }, {.gomaxprocs = 1});
}

TEST(Step3_Send, NonBlockingSendsThatWouldBlockReturnFalse) {
  ExpectProgram([] {
    // orders.inc, nonblocking_table: "nil send: default|open send: default".
    EXPECT_THAT(GoOrder("nonblocking_table"),
                ::testing::StartsWith("nil send: default|open send: default"));
    int v = 1;
    EXPECT_FALSE(rt::selectnbsend(nullptr, &v));
    auto unbuffered = make_chan<int>();
    EXPECT_FALSE(rt::selectnbsend(unbuffered.header(), &v));
    auto full = make_chan<int>(1);
    EXPECT_TRUE(full.try_send(1));
    EXPECT_FALSE(full.try_send(2));
    EXPECT_EQ(len(full), 1);
  }, {.gomaxprocs = 1});
}

TEST(Step3_Send, NonBlockingSendToAParkedReceiverSucceeds) {
  ExpectProgram([] {
    auto ch = make_chan<int>();
    int got = 0;
    go([&] { got = HandParkedRecv<int>(ch.header()).first; });
    Settle();
    EXPECT_TRUE(ch.try_send(7));
    Settle();
    EXPECT_EQ(got, 7);
  }, {.gomaxprocs = 1});
}

TEST(Step3_Send, SendOnAClosedChannelPanics) {
  ExpectProgram([] {
    auto ch = make_chan<int>(1);
    ch.header()->closed = 1;  // as closechan (step 5) leaves it
    EXPECT_EQ(testing::PanicText([&] { ch.send(1); }), GoDeath("panic_send_closed").line1);
    EXPECT_EQ(len(ch), 0);
  }, {.gomaxprocs = 1});
}

TEST(Step3_Send, MoveOnlyValuesAreMovedIntoTheBuffer) {
  ExpectProgram([] {
    auto ch = make_chan<std::unique_ptr<int>>(1);
    auto p = std::make_unique<int>(5);
    int* raw = p.get();
    ch.send(std::move(p));
    auto* slot = static_cast<std::unique_ptr<int>*>(rt::chanbuf(ch.header(), 0));
    EXPECT_EQ(slot->get(), raw);
  }, {.gomaxprocs = 1});
}

TEST(Step3_SendDeathTest, SendWithNoReceiverDeadlocks) {
  EXPECT_EXIT(gort::Run([] { make_chan<int>().send(1); }),
              ::testing::ExitedWithCode(GoDeath("deadlock_send").exit_code),
              GoDeathRegex("deadlock_send"));
}

TEST(Step3_SendDeathTest, SendOnNilBlocksForever) {
  EXPECT_EXIT(gort::Run([] { chan<int>().send(1); }),
              ::testing::ExitedWithCode(GoDeath("deadlock_send_nil").exit_code),
              GoDeathRegex("deadlock_send_nil"));
}

TEST(Step3_SendDeathTest, UnrecoveredSendOnClosedEndsTheProgram) {
  EXPECT_EXIT(gort::Run([] {
                auto ch = make_chan<int>(1);
                ch.header()->closed = 1;
                ch.send(1);
              }),
              ::testing::ExitedWithCode(GoDeath("panic_send_closed").exit_code),
              GoDeathRegex("panic_send_closed"));
}

}  // namespace
}  // namespace gort
