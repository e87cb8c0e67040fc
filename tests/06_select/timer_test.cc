// Step 3 with timers: time.After, NewTimer, NewTicker — runtime timers
// (chapter 04) whose function does a non-blocking send (chapter 05), and
// the notes' timeout pattern in a select. Mirrors Go 1.19 src/time/sleep.go
// and tick.go. No assertion depends on how long anything took.
#include <atomic>
#include <string>

#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "include/gort/gort.h"
#include "include/gort/rt/error.h"
#include "tests/04_scheduler/program.h"
#include "tests/05_channels/chan_util.h"

namespace gort {
namespace {

using ::gort::testing::ExpectProgram;
using ::gort::testing::GoOrder;

TEST(Step3_TimerChannels, TheNotesTimeoutPattern) {
  // orders.inc, select_timeout: "timeout!" — the sender comes 10x later
  // than the timeout (Go program: 200 ms vs 20 ms; here a sender that
  // never sends before the select returns).
  ExpectProgram([] {
    auto c = make_chan<int>();
    auto release = make_chan<int>();
    go([=] {
      release.recv();  // only after the select is over
      c.try_send(1);
    });
    std::string out;
    select(recv(c, [&](int i) { out = "receive from c: " + std::to_string(i); }),
           recv(After(absl::Milliseconds(20)), [&] { out = "timeout!"; }));
    EXPECT_EQ(out, GoOrder("select_timeout"));
    close(release);
  }, {.gomaxprocs = 1});
}

TEST(Step3_TimerChannels, AValueBeatsALaterTimeout) {
  ExpectProgram([] {
    auto c = make_chan<int>(1);
    c.send(4);
    int got = 0;
    select(recv(c, [&](int v) { got = v; }), recv(After(absl::Hours(1)), [] {}));
    EXPECT_EQ(got, 4);
  }, {.gomaxprocs = 1});
}

TEST(Step3_TimerChannels, NewTimerDeliversTheTimeOnce) {
  ExpectProgram([] {
    const absl::Time start = absl::Now();
    Timer t = NewTimer(absl::Milliseconds(5));
    absl::Time fired = t.C.recv();
    EXPECT_GE(fired, start + absl::Milliseconds(5));
    EXPECT_EQ(cap(t.C), 1);
    EXPECT_FALSE(t.Stop());  // already fired
    bool selected = true;
    t.C.try_recv(&selected);
    EXPECT_FALSE(selected);  // only one value
  }, {.gomaxprocs = 1});
}

TEST(Step3_TimerChannels, StoppedTimerNeverSends) {
  ExpectProgram([] {
    Timer t = NewTimer(absl::Milliseconds(5));
    EXPECT_TRUE(t.Stop());
    Sleep(absl::Milliseconds(20));
    bool selected = true;
    t.C.try_recv(&selected);
    EXPECT_FALSE(selected);
    // Reset re-arms it.
    EXPECT_FALSE(t.Reset(absl::Milliseconds(1)));
    t.C.recv();
  }, {.gomaxprocs = 1});
}

TEST(Step3_TimerChannels, TickerTicksUntilStopped) {
  ExpectProgram([] {
    Ticker tk = NewTicker(absl::Milliseconds(2));
    for (int i = 0; i < 3; ++i) tk.C.recv();
    tk.Stop();
    // At most the one tick already buffered can still be read.
    bool selected = true;
    tk.C.try_recv(&selected);
    Sleep(absl::Milliseconds(10));
    tk.C.try_recv(&selected);
    EXPECT_FALSE(selected);
  }, {.gomaxprocs = 1});
}

TEST(Step3_TimerChannels, TickerInASelectLoop) {
  ExpectProgram([] {
    Ticker tk = NewTicker(absl::Milliseconds(1));
    auto done = make_chan<int>();
    go([=] {
      Sleep(absl::Milliseconds(10));
      close(done);
    });
    int ticks = 0;
    for (bool over = false; !over;) {
      select(recv(tk.C, [&] { ticks++; }), recv(done, [&] { over = true; }));
    }
    tk.Stop();
    EXPECT_GE(ticks, 1);
  }, {.gomaxprocs = 2});
}

TEST(Step3_TimerChannels, NonPositiveTickerIntervalPanics) {
  ExpectProgram([] {
    // Go 1.19 src/time/tick.go: panic(errors.New("non-positive interval for NewTicker")).
    EXPECT_EQ(testing::PanicText([] { NewTicker(absl::ZeroDuration()); }),
              "panic: non-positive interval for NewTicker");
    EXPECT_TRUE(Tick(absl::ZeroDuration()) == nullptr);
  }, {.gomaxprocs = 1});
}

}  // namespace
}  // namespace gort
