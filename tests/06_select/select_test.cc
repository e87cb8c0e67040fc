// Step 3: selectgo — pass 1 (something ready, in random order), default,
// pass 2 (park on every channel), pass 3 (leave the others' queues clean);
// fairness, nil cases, duplicate channels, close during a select, panics
// and deadlocks. Texts and orders from real Go (tools/groundtruth/chan);
// TestSelectFairness and TestPseudoRandomSend are ports of Go 1.19
// src/runtime/chan_test.go.
#include <atomic>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "include/gort/gort.h"
#include "include/gort/rt/chan.h"
#include "include/gort/rt/error.h"
#include "tests/04_scheduler/program.h"
#include "tests/05_channels/chan_util.h"

namespace gort {
namespace {

using ::gort::testing::ExpectProgram;
using ::gort::testing::GoDeath;
using ::gort::testing::GoDeathRegex;
using ::gort::testing::GoOrder;
using ::gort::testing::Settle;
using ::gort::testing::UnderTsan;
using ::gort::testing::WaitParked;

TEST(Step3_Select, AReadyReceiveIsChosen) {
  ExpectProgram([] {
    auto a = make_chan<int>(1);
    auto b = make_chan<int>(1);
    b.send(5);
    int got = 0;
    const int chosen = select(recv(a, [&](int v) { got = -v; }), recv(b, [&](int v) { got = v; }));
    EXPECT_EQ(chosen, 1);
    EXPECT_EQ(got, 5);
  }, {.gomaxprocs = 1});
}

TEST(Step3_Select, AReadySendIsChosen) {
  ExpectProgram([] {
    auto full = make_chan<int>(1);
    full.send(0);
    auto room = make_chan<int>(1);
    bool sent = false;
    select(send(full, 1, [] { ADD_FAILURE() << "full channel chosen"; }),
           send(room, 2, [&] { sent = true; }));
    EXPECT_TRUE(sent);
    EXPECT_EQ(room.recv(), 2);
  }, {.gomaxprocs = 1});
}

TEST(Step3_Select, DefaultOnlyWhenNothingIsReady) {
  ExpectProgram([] {
    auto a = make_chan<int>();
    auto b = make_chan<int>(1);
    int which = -1;
    which = select(recv(a), recv(b), default_([] {}));
    EXPECT_EQ(which, 2);  // nothing ready: default
    b.send(1);
    for (int i = 0; i < 50; ++i) {
      which = select(recv(a), recv(b), default_([] {}));
      EXPECT_EQ(which, 1);  // b was ready: default never taken
      b.send(1);
    }
  }, {.gomaxprocs = 1});
}

TEST(Step3_Select, SelectFairness) {
  // TestSelectFairness: two always-ready channels and two never-ready ones;
  // each ready one should win about half of 10,000 selects. Go's bound:
  // |cnt1/trials - 0.5| <= 4.891676 / (2 * sqrt(trials)), six nines.
  ExpectProgram([] {
    constexpr int trials = 10000;
    auto c1 = make_chan<std::uint8_t>(trials + 1);
    auto c2 = make_chan<std::uint8_t>(trials + 1);
    for (int i = 0; i < trials + 1; ++i) {
      c1.send(1);
      c2.send(2);
    }
    auto c3 = make_chan<std::uint8_t>();
    auto c4 = make_chan<std::uint8_t>();
    auto out = make_chan<std::uint8_t>();
    auto done = make_chan<std::uint8_t>();
    auto finished = make_chan<int>();
    go([=] {
      for (bool quit = false; !quit;) {
        std::uint8_t b = 0;
        auto take = [&](std::uint8_t v) { b = v; };
        select(recv(c3, take), recv(c4, take), recv(c1, take), recv(c2, take));
        select(send(out, b), recv(done, [&] { quit = true; }));
      }
      finished.send(1);
    });
    int cnt1 = 0;
    int cnt2 = 0;
    for (int i = 0; i < trials; ++i) {
      const std::uint8_t b = out.recv();
      ASSERT_TRUE(b == 1 || b == 2) << "unexpected value " << int{b};
      (b == 1 ? cnt1 : cnt2)++;
    }
    const double r = static_cast<double>(cnt1) / trials;
    const double e = std::fabs(r - 0.5);
    EXPECT_LE(e, 4.891676 / (2 * std::sqrt(static_cast<double>(trials))))
        << "unfair select: in " << trials << " trials, results were " << cnt1 << ", " << cnt2;
    close(done);
    finished.recv();
  }, {.gomaxprocs = 1, .seed = 1});
}

TEST(Step3_Select, ReadyCasesAreChosenUniformlyChiSquare) {
  // Four always-ready cases, 10,000 selects: chi-square with 3 degrees of
  // freedom; 30.66 is its 1 - 1e-6 quantile.
  ExpectProgram([] {
    constexpr int trials = 10000;
    std::vector<chan<int>> cs;
    for (int k = 0; k < 4; ++k) {
      cs.push_back(make_chan<int>(trials));
      for (int i = 0; i < trials; ++i) cs[k].send(k);
    }
    int cnt[4] = {};
    auto take = [&](int v) { cnt[v]++; };
    for (int i = 0; i < trials; ++i) {
      select(recv(cs[0], take), recv(cs[1], take), recv(cs[2], take), recv(cs[3], take));
    }
    const double r = trials / 4.0;
    double chi2 = 0;
    for (int k = 0; k < 4; ++k) chi2 += (cnt[k] - r) * (cnt[k] - r) / r;
    EXPECT_LT(chi2, 30.66) << cnt[0] << " " << cnt[1] << " " << cnt[2] << " " << cnt[3];
  }, {.gomaxprocs = 1, .seed = 1});
}

TEST(Step3_Select, PseudoRandomSend) {
  // TestPseudoRandomSend: a select with two send cases on one channel
  // picks each about half the time.
  ExpectProgram([] {
    constexpr int n = 100;
    for (int chanCap : {0, n}) {
      auto c = make_chan<int>(chanCap);
      std::vector<int> l(n);
      auto done = make_chan<bool>();
      go([&] {
        for (int i = 0; i < n; ++i) {
          Gosched();
          l[i] = c.recv();
        }
        done.send(true);
      });
      for (int i = 0; i < n; ++i) select(send(c, 1), send(c, 0));
      done.recv();
      int n0 = 0;
      int n1 = 0;
      for (int v : l) (v == 0 ? n0 : n1)++;
      EXPECT_GT(n0, n / 10) << "cap " << chanCap;
      EXPECT_GT(n1, n / 10) << "cap " << chanCap;
    }
  }, {.gomaxprocs = 2, .seed = 1});
}

TEST(Step3_Select, NilChannelCasesAreNeverChosen) {
  ExpectProgram([] {
    chan<int> nil;
    auto ready = make_chan<int>(100);
    for (int i = 0; i < 100; ++i) ready.send(i);
    for (int i = 0; i < 100; ++i) {
      const int which = select(recv(nil), send(nil, 1), recv(ready), default_([] {}));
      EXPECT_EQ(which, 2);
    }
    // Only nil cases and a default: the default.
    EXPECT_EQ(select(recv(nil), send(nil, 1), default_([] {})), 2);
  }, {.gomaxprocs = 1});
}

TEST(Step3_Select, TheSameChannelInSeveralCases) {
  ExpectProgram([] {
    auto c = make_chan<int>(2);
    c.send(1);
    c.send(2);
    std::vector<int> got;
    for (int i = 0; i < 2; ++i) {
      select(recv(c, [&](int v) { got.push_back(v); }), recv(c, [&](int v) { got.push_back(v); }));
    }
    EXPECT_THAT(got, ::testing::ElementsAre(1, 2));

    // A blocked select with both a send and a receive on one unbuffered
    // channel: the invariant's exception, both queues hold its sudogs.
    auto u = make_chan<int>();
    std::atomic<int> result{0};
    go([&] {
      select(recv(u, [&](int v) { result = 100 + v; }), send(u, 7, [&] { result = 7; }));
    });
    Settle();
    EXPECT_NE(u.header()->recvq.first.load(), nullptr);
    EXPECT_NE(u.header()->sendq.first.load(), nullptr);
    EXPECT_EQ(u.recv(), 7);  // takes the select's send
    Settle();
    EXPECT_EQ(result.load(), 7);
    // Pass 3 removed the receive sudog too.
    EXPECT_EQ(u.header()->recvq.first.load(), nullptr);
    EXPECT_EQ(u.header()->sendq.first.load(), nullptr);
  }, {.gomaxprocs = 1});
}

TEST(Step3_Select, ABlockedSelectIsWokenByOneCaseAndLeavesNoSudogs) {
  ExpectProgram([] {
    auto a = make_chan<int>();
    auto b = make_chan<std::string>();
    auto c = make_chan<int>(1);
    c.send(0);  // full: a send case on it blocks
    std::string got;
    std::atomic<rt::g*> selector{nullptr};
    go([&] {
      selector = rt::getg();
      select(recv(a, [&](int v) { got = absl::StrCat("a", v); }),
             recv(b, [&](std::string s) { got = "b" + s; }),
             send(c, 1, [&] { got = "c"; }));
    });
    Settle();
    WaitParked(selector.load(), rt::waitReason::waitReasonSelect);
    EXPECT_NE(a.header()->recvq.first.load(), nullptr);
    EXPECT_NE(b.header()->recvq.first.load(), nullptr);
    EXPECT_NE(c.header()->sendq.first.load(), nullptr);
    b.send("x");
    Settle();
    EXPECT_EQ(got, "bx");
    EXPECT_EQ(a.header()->recvq.first.load(), nullptr);
    EXPECT_EQ(c.header()->sendq.first.load(), nullptr);
    EXPECT_EQ(len(c), 1);  // the send case did not happen
  }, {.gomaxprocs = 1});
}

TEST(Step3_Select, SendAndReceiveCasesMixed) {
  ExpectProgram([] {
    auto in = make_chan<int>();
    auto out = make_chan<int>();
    // An echo loop that selects between receiving and sending.
    go([=] {
      std::vector<int> pending;
      for (int received = 0, sent = 0; sent < 10;) {
        if (pending.empty()) {
          pending.push_back(in.recv());
          received++;
          continue;
        }
        if (received < 10) {
          select(recv(in, [&](int v) {
                   pending.push_back(v);
                   received++;
                 }),
                 send(out, pending.front(), [&] {
                   pending.erase(pending.begin());
                   sent++;
                 }));
        } else {
          out.send(pending.front());
          pending.erase(pending.begin());
          sent++;
        }
      }
    });
    go([=] {
      for (int i = 0; i < 10; ++i) in.send(i);
    });
    int sum = 0;
    std::vector<int> got;
    for (int i = 0; i < 10; ++i) got.push_back(out.recv());
    for (int v : got) sum += v;
    EXPECT_EQ(sum, 45);
    EXPECT_THAT(got, ::testing::ElementsAre(0, 1, 2, 3, 4, 5, 6, 7, 8, 9));  // FIFO kept
  }, {.gomaxprocs = 2});
}

TEST(Step3_Select, CloseWakesABlockedSelectWithOkFalse) {
  ExpectProgram([] {
    auto a = make_chan<int>();
    auto b = make_chan<int>();
    std::atomic<int> result{-1};
    go([&] {
      select(recv(a, [&](int v, bool ok) { result = ok ? v : 1000 + v; }),
             recv(b, [&](int, bool) { result = -2; }));
    });
    Settle();
    close(a);
    Settle();
    EXPECT_EQ(result.load(), 1000);  // zero value, ok == false
    EXPECT_EQ(b.header()->recvq.first.load(), nullptr);
  }, {.gomaxprocs = 1});
}

TEST(Step3_Select, AClosedChannelIsAlwaysReadyToReceive) {
  ExpectProgram([] {
    auto closed = make_chan<int>();
    close(closed);
    auto never = make_chan<int>();
    for (int i = 0; i < 20; ++i) {
      bool ok = true;
      EXPECT_EQ(select(recv(never), recv(closed, [&](int, bool k) { ok = k; })), 1);
      EXPECT_FALSE(ok);
    }
  }, {.gomaxprocs = 1});
}

TEST(Step3_Select, OneCaseSelectsAreChannelOperations) {
  ExpectProgram([] {
    auto c = make_chan<int>(1);
    EXPECT_EQ(select(send(c, 3), default_([] {})), 0);
    EXPECT_EQ(select(send(c, 4), default_([] {})), 1);  // full
    int v = 0;
    EXPECT_EQ(select(recv(c, [&](int x) { v = x; })), 0);
    EXPECT_EQ(v, 3);
    EXPECT_EQ(select(recv(c), default_([] {})), 1);  // empty
    EXPECT_EQ(select(default_([] {})), 0);
  }, {.gomaxprocs = 1});
}

TEST(Step3_Select, SelectSendOnClosedPanicsEvenWhenAnotherCaseIsReady) {
  ExpectProgram([] {
    auto closed = make_chan<int>(1);
    close(closed);
    auto never = make_chan<int>();
    EXPECT_EQ(testing::PanicText([&] { select(send(closed, 1), recv(never)); }),
              GoDeath("panic_select_send_closed").line1);
  }, {.gomaxprocs = 1});
}

TEST(Step3_Select, ClosingTheChannelOfABlockedSendCasePanicsInTheSelect) {
  ExpectProgram([] {
    auto c = make_chan<int>();
    auto d = make_chan<int>();
    std::atomic<bool> panicked{false};
    go([&] {
      panicked = testing::PanicText([&] { select(send(c, 1), recv(d)); }) ==
                 GoDeath("panic_select_send_closed").line1;
    });
    Settle();
    close(c);
    Settle();
    EXPECT_TRUE(panicked.load());
    EXPECT_EQ(d.header()->recvq.first.load(), nullptr);
  }, {.gomaxprocs = 1});
}

TEST(Step3_Select, StressManySelectorsOnTwoPs) {
  // Producers select over two shared input channels; consumers select over
  // them too and a quit channel. Every value arrives exactly once.
  ExpectProgram([] {
    const int kProducers = 4;
    const int kConsumers = 4;
    const int kPer = UnderTsan() ? 400 : 4000;
    auto x = make_chan<std::int64_t>();
    auto y = make_chan<std::int64_t>(8);
    auto results = make_chan<std::int64_t>(kConsumers * 2);
    auto produced = make_chan<int>(kProducers);
    auto quit = make_chan<int>();
    for (int p = 0; p < kProducers; ++p) {
      go([=] {
        for (int i = 0; i < kPer; ++i) {
          const std::int64_t v = static_cast<std::int64_t>(p) * kPer + i + 1;
          select(send(x, v), send(y, v));
        }
        produced.send(1);
      });
    }
    for (int k = 0; k < kConsumers; ++k) {
      go([=] {
        std::int64_t sum = 0;
        std::int64_t n = 0;
        for (bool done = false; !done;) {
          auto take = [&](std::int64_t v) {
            sum += v;
            n++;
          };
          select(recv(x, take), recv(y, take), recv(quit, [&] { done = true; }));
        }
        // Drain what is left in y after quit.
        bool selected = true;
        while (true) {
          auto [v, ok] = y.try_recv(&selected);
          if (!selected) break;
          sum += v;
          n++;
        }
        results.send(sum);
        results.send(n);
      });
    }
    for (int p = 0; p < kProducers; ++p) produced.recv();
    close(quit);
    std::int64_t sum = 0;
    std::int64_t n = 0;
    for (int k = 0; k < kConsumers; ++k) {
      sum += results.recv();
      n += results.recv();
    }
    const std::int64_t total = static_cast<std::int64_t>(kProducers) * kPer;
    EXPECT_EQ(n, total);
    EXPECT_EQ(sum, total * (total + 1) / 2);
  }, {.gomaxprocs = 2});
}

TEST(Step3_SelectDeathTest, ABlockedSelectWithNothingLeftDeadlocks) {
  EXPECT_EXIT(gort::Run([] {
                auto c = make_chan<int>();
                auto d = make_chan<int>();
                select(recv(c), send(d, 1));
              }),
              ::testing::ExitedWithCode(GoDeath("deadlock_select").exit_code),
              GoDeathRegex("deadlock_select"));
}

TEST(Step3_SelectDeathTest, EmptySelectBlocksForever) {
  EXPECT_EXIT(gort::Run([] { select(); }),
              ::testing::ExitedWithCode(GoDeath("deadlock_select_no_cases").exit_code),
              GoDeathRegex("deadlock_select_no_cases"));
}

TEST(Step3_SelectDeathTest, OneNilCaseIsAReceiveOnNil) {
  // The compiler turns a one-case select into the plain operation.
  EXPECT_EXIT(gort::Run([] { select(recv(chan<int>())); }),
              ::testing::ExitedWithCode(GoDeath("deadlock_select_nil").exit_code),
              GoDeathRegex("deadlock_select_nil"));
}

TEST(Step3_SelectDeathTest, UnrecoveredSelectSendOnClosedEndsTheProgram) {
  EXPECT_EXIT(gort::Run([] {
                auto c = make_chan<int>();
                auto d = make_chan<int>();
                close(c);
                select(send(c, 1), recv(d));
              }),
              ::testing::ExitedWithCode(GoDeath("panic_select_send_closed").exit_code),
              GoDeathRegex("panic_select_send_closed"));
}

}  // namespace
}  // namespace gort
