// Ports of the ideas of Go 1.19 src/runtime/chan_test.go (TestChan,
// TestMultiConsumer, TestNonblockRecvRace, TestChanSendInterface), and a
// stress test on 2 ps with exact sums. They need every step of the chapter.
#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "include/gort/gort.h"
#include "tests/04_scheduler/program.h"
#include "tests/05_channels/chan_util.h"

namespace gort {
namespace {

using ::gort::testing::ExpectProgram;
using ::gort::testing::Settle;
using ::gort::testing::UnderTsan;

// TestChan: the same checks over channels of capacity 0..N.
TEST(Step5_GoChanTest, ChanMatrixOverBufferSizes) {
  ExpectProgram([] {
    // Go uses N = 200; 20 capacities cover 0, small and "bigger than every
    // batch below". ThreadSanitizer runs each operation ~10x slower: fewer.
    const int N = UnderTsan() ? 6 : 20;
    for (int cap = 0; cap < N; ++cap) {
      {
        // Ensure that receive from an empty chan blocks.
        auto c = make_chan<int>(cap);
        std::atomic<bool> recv1{false};
        std::atomic<bool> recv2{false};
        go([&] {
          c.recv();
          recv1 = true;
        });
        go([&] {
          c.recv();
          recv2 = true;
        });
        Sleep(absl::Milliseconds(1));
        EXPECT_FALSE(recv1.load() || recv2.load()) << "cap " << cap << ": receive from empty chan";
        // Ensure that non-blocking receive does not block.
        bool selected = true;
        c.try_recv(&selected);
        EXPECT_FALSE(selected);
        c.send(0);
        c.send(0);
        while (!recv1.load() || !recv2.load()) Gosched();
      }
      {
        // Ensure that send to a full chan blocks.
        auto c = make_chan<int>(cap);
        for (int i = 0; i < cap; ++i) c.send(i);
        std::atomic<bool> sent{false};
        go([&] {
          c.send(0);
          sent = true;
        });
        Sleep(absl::Milliseconds(1));
        EXPECT_FALSE(sent.load()) << "cap " << cap << ": send to full chan";
        // Ensure that non-blocking send does not block.
        EXPECT_FALSE(c.try_send(0));
        c.recv();
        while (!sent.load()) Gosched();
      }
      {
        // Ensure that we receive 0 from a closed chan.
        auto c = make_chan<int>(cap);
        for (int i = 0; i < cap; ++i) c.send(i);
        close(c);
        for (int i = 0; i < cap; ++i) EXPECT_EQ(c.recv(), i);
        auto [v, ok] = c.recv_ok();
        EXPECT_EQ(v, 0);
        EXPECT_FALSE(ok);
      }
      {
        // Ensure that close unblocks receive.
        auto c = make_chan<int>(cap);
        auto done = make_chan<bool>();
        go([&] {
          auto [v, ok] = c.recv_ok();
          done.send(v == 0 && !ok);
        });
        Sleep(absl::Milliseconds(1));
        close(c);
        EXPECT_TRUE(done.recv()) << "cap " << cap << ": received non-zero from closed chan";
      }
      {
        // Send 100 integers, ensure that we receive them non-corrupted in
        // FIFO order.
        auto c = make_chan<int>(cap);
        go([&] {
          for (int i = 0; i < 100; ++i) c.send(i);
        });
        for (int i = 0; i < 100; ++i) ASSERT_EQ(c.recv(), i) << "cap " << cap;
        // Same, but using recv2.
        go([&] {
          for (int i = 0; i < 100; ++i) c.send(i);
        });
        for (int i = 0; i < 100; ++i) {
          auto [v, ok] = c.recv_ok();
          ASSERT_TRUE(ok);
          ASSERT_EQ(v, i);
        }
      }
      {
        // Send many integers from many goroutines, ensure that we receive
        // them all, each exactly once.
        constexpr int P = 4;
        const int L = UnderTsan() ? 200 : 1000;
        auto c = make_chan<int>(cap);
        for (int p = 0; p < P; ++p) {
          go([c, L] {
            for (int i = 0; i < L; ++i) c.send(i);
          });
        }
        auto done = make_chan<std::vector<int>*>();
        for (int p = 0; p < P; ++p) {
          go([c, done, L] {
            auto* recv = new std::vector<int>(L, 0);
            for (int i = 0; i < L; ++i) (*recv)[c.recv()]++;
            done.send(recv);
          });
        }
        std::vector<int> counts(L, 0);
        for (int p = 0; p < P; ++p) {
          std::vector<int>* part = done.recv();
          for (int i = 0; i < L; ++i) counts[i] += (*part)[i];
          delete part;
        }
        for (int i = 0; i < L; ++i) ASSERT_EQ(counts[i], P) << "cap " << cap << " value " << i;
      }
      {
        // Test len/cap.
        auto c = make_chan<int>(cap);
        EXPECT_EQ(len(c), 0);
        EXPECT_EQ(gort::cap(c), cap);
        for (int i = 0; i < cap; ++i) c.send(i);
        EXPECT_EQ(len(c), cap);
        EXPECT_EQ(gort::cap(c), cap);
      }
    }
  }, {.gomaxprocs = 2});
}

// TestMultiConsumer: a producer feeds nwork workers through one channel;
// they pass every value on; the sum and count arrive exact.
TEST(Step5_GoChanTest, MultiConsumer) {
  ExpectProgram([] {
    constexpr int nwork = 23;
    const int niter = UnderTsan() ? 5000 : 27182;
    const std::vector<int> pn = {2, 3, 7, 11, 13, 17, 19, 23, 27, 31};
    auto q = make_chan<int>(nwork * 3);
    auto r = make_chan<int>(nwork * 3);
    auto done = make_chan<int>(nwork);
    // workers
    for (int i = 0; i < nwork; ++i) {
      go([q, r, done, i, &pn] {
        for (int v : q) {
          // mess with the fifo-ish nature of range
          if (pn[i % pn.size()] == v) Gosched();
          r.send(v);
        }
        done.send(1);
      });
    }
    // feeder & closer
    std::int64_t expect = 0;
    go([&] {
      for (int i = 0; i < niter; ++i) {
        int v = pn[i % pn.size()];
        expect += v;
        q.send(v);
      }
      close(q);  // no more work
      for (int i = 0; i < nwork; ++i) done.recv();  // wait for the workers
      close(r);  // ... so we can finish
    });
    // consume & check
    int n = 0;
    std::int64_t s = 0;
    for (int v : r) {
      n++;
      s += v;
    }
    EXPECT_EQ(n, niter);
    EXPECT_EQ(s, expect);  // expect was written before close(r): ordered
  }, {.gomaxprocs = 2});
}

// TestNonblockRecvRace: a non-blocking receive on a channel that holds a
// value must see it even while the channel is being closed.
TEST(Step5_GoChanTest, NonblockRecvRace) {
  ExpectProgram([] {
    const int n = UnderTsan() ? 200 : 1000;
    std::atomic<int> errors{0};
    for (int i = 0; i < n; ++i) {
      auto c = make_chan<int>(1);
      c.send(1);
      auto finished = make_chan<int>(1);
      go([c, finished, &errors] {
        bool selected = false;
        c.try_recv(&selected);
        if (!selected) errors++;  // "chan is not ready"
        finished.send(1);
      });
      close(c);
      c.recv();
      finished.recv();
    }
    EXPECT_EQ(errors.load(), 0);
  }, {.gomaxprocs = 2});
}

// TestChanSendInterface-like: what goes through a channel is a value; the
// sender's later changes don't reach the receiver.
struct Payload {
  int id = 0;
  std::string name;
  std::vector<int> items;
};

TEST(Step5_GoChanTest, ValuesAreCopiedNotShared) {
  ExpectProgram([] {
    auto c = make_chan<Payload>(1);
    Payload p{1, "first", {1, 2, 3}};
    c.send(p);
    p.id = 2;
    p.name = "changed";
    p.items.push_back(4);
    Payload got = c.recv();
    EXPECT_EQ(got.id, 1);
    EXPECT_EQ(got.name, "first");
    EXPECT_THAT(got.items, ::testing::ElementsAre(1, 2, 3));
  }, {.gomaxprocs = 1});
}

// Many senders and receivers on 2 ps, buffered and unbuffered: every value
// arrives exactly once, and the sums are exact.
TEST(Step5_GoChanTest, StressManySendersAndReceiversOnTwoPs) {
  ExpectProgram([] {
    const int kSenders = 8;
    const int kReceivers = 8;
    const int kPerSender = UnderTsan() ? 500 : 5000;
    for (int cap : {0, 1, 16}) {
      auto c = make_chan<std::int64_t>(cap);
      auto sums = make_chan<std::int64_t>(kReceivers);
      auto counts = make_chan<std::int64_t>(kReceivers);
      auto senders_done = make_chan<int>(kSenders);
      for (int s = 0; s < kSenders; ++s) {
        go([=] {
          for (int i = 0; i < kPerSender; ++i) c.send(static_cast<std::int64_t>(s) * kPerSender + i + 1);
          senders_done.send(1);
        });
      }
      for (int r = 0; r < kReceivers; ++r) {
        go([=] {
          std::int64_t sum = 0;
          std::int64_t n = 0;
          for (std::int64_t v : c) {
            sum += v;
            n++;
          }
          sums.send(sum);
          counts.send(n);
        });
      }
      for (int s = 0; s < kSenders; ++s) senders_done.recv();
      close(c);
      std::int64_t sum = 0;
      std::int64_t n = 0;
      for (int r = 0; r < kReceivers; ++r) {
        sum += sums.recv();
        n += counts.recv();
      }
      const std::int64_t total = static_cast<std::int64_t>(kSenders) * kPerSender;
      EXPECT_EQ(n, total) << "cap " << cap;
      EXPECT_EQ(sum, total * (total + 1) / 2) << "cap " << cap;
    }
  }, {.gomaxprocs = 2});
}

}  // namespace
}  // namespace gort
