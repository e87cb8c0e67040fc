// Chapter 11 tests: context cancel trees (step 1), propagateCancel's three
// paths (step 2), deadlines (step 3), values (step 4). Ideas from Go 1.19
// src/context/context_test.go; panic and error texts pinned by
// tools/groundtruth/context (context.txt).
#include <any>
#include <memory>
#include <vector>

#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "include/gort/context.h"
#include "include/gort/gort.h"
#include "include/gort/select.h"
#include "tests/04_scheduler/program.h"

namespace gort {
namespace {

using ::gort::testing::ExpectProgram;
using ::gort::testing::PanicText;
namespace ctxpkg = ::gort::context;
using ctxpkg::Ctx;

bool IsDone(const Ctx& c) {
  bool done = false;
  select(recv(c->Done(), [&] { done = true; }), default_([] {}));
  return done;
}

ctxpkg::cancelCtx* AsCancelCtx(const Ctx& c) { return dynamic_cast<ctxpkg::cancelCtx*>(c.get()); }

// A Context the package does not know: it forwards to a parent but has its
// own Done channel (Go's otherContext in context_test.go).
class otherContext final : public ctxpkg::Context {
 public:
  explicit otherContext(Ctx p) : p_(std::move(p)) {}
  std::pair<absl::Time, bool> Deadline() override { return p_->Deadline(); }
  chan<ctxpkg::Empty> Done() override { return p_->Done(); }
  ctxpkg::Error Err() override { return p_->Err(); }
  std::any Value(ctxpkg::Key k) override { return p_->Value(k); }

 private:
  Ctx p_;
};

// A Context with its own Done channel that embeds nothing of ours.
class myDoneCtx final : public ctxpkg::Context {
 public:
  myDoneCtx() : done_(make_chan<ctxpkg::Empty>()) {}
  std::pair<absl::Time, bool> Deadline() override { return {absl::Time(), false}; }
  chan<ctxpkg::Empty> Done() override { return done_; }
  ctxpkg::Error Err() override { return closed_ ? ctxpkg::Canceled : nullptr; }
  std::any Value(ctxpkg::Key) override { return std::any(); }
  void Cancel() {
    closed_ = true;
    close(done_);
  }

 private:
  chan<ctxpkg::Empty> done_;
  bool closed_ = false;
};

// ---- Step 1: cancelCtx -------------------------------------------------------

TEST(Step1_Cancel, BackgroundNeverCancelled) {
  ExpectProgram([] {
    Ctx b = ctxpkg::Background();
    EXPECT_TRUE(b->Done() == nullptr);
    EXPECT_EQ(b->Err(), nullptr);
    EXPECT_FALSE(b->Deadline().second);
    EXPECT_NE(ctxpkg::TODO(), b);
  });
}

TEST(Step1_Cancel, ErrBeforeAndAfterCancel) {
  ExpectProgram([] {
    auto [c, cancel] = ctxpkg::WithCancel(ctxpkg::Background());
    EXPECT_EQ(c->Err(), nullptr);
    EXPECT_FALSE(IsDone(c));
    cancel();
    ASSERT_NE(c->Err(), nullptr);
    EXPECT_EQ(c->Err()->Error(), "context canceled");
    EXPECT_EQ(c->Err(), ctxpkg::Canceled);
    EXPECT_TRUE(IsDone(c));
    cancel();  // a second cancel does nothing
    EXPECT_EQ(c->Err(), ctxpkg::Canceled);
  });
}

TEST(Step1_Cancel, DoneChannelIdentity) {
  ExpectProgram([] {
    auto [c, cancel] = ctxpkg::WithCancel(ctxpkg::Background());
    chan<ctxpkg::Empty> d = c->Done();
    EXPECT_TRUE(d == c->Done());               // made once, then the same
    EXPECT_FALSE(d == ctxpkg::closedchan());
    cancel();
    EXPECT_TRUE(d == c->Done());               // closed in place
    // Cancelled before anyone asked: the shared closed channel.
    auto [c2, cancel2] = ctxpkg::WithCancel(ctxpkg::Background());
    cancel2();
    EXPECT_TRUE(c2->Done() == ctxpkg::closedchan());
    EXPECT_TRUE(IsDone(c2));
  });
}

TEST(Step1_Cancel, SelectOnDone) {
  ExpectProgram([] {
    auto [c, cancel] = ctxpkg::WithCancel(ctxpkg::Background());
    auto work = make_chan<int>();
    auto result = make_chan<int>(1);
    go([c = c, work, result] {
      int got = 0;
      for (;;) {
        bool stop = false;
        select(recv(c->Done(), [&] { stop = true; }), recv(work, [&](int v) { got += v; }));
        if (stop) break;
      }
      result.send(got);
    });
    work.send(1);
    work.send(2);
    cancel();
    EXPECT_EQ(result.recv(), 3);
  });
}

// ---- Step 2: propagateCancel -------------------------------------------------

TEST(Step2_Propagate, CancelFlowsDownTheTree) {
  ExpectProgram([] {
    auto [root, cancelRoot] = ctxpkg::WithCancel(ctxpkg::Background());
    auto [a, cancelA] = ctxpkg::WithCancel(root);
    auto [b, cancelB] = ctxpkg::WithCancel(root);
    auto [a1, cancelA1] = ctxpkg::WithCancel(a);
    Ctx v = ctxpkg::WithValue(a1, &cancelA1, 1);
    auto [leaf, cancelLeaf] = ctxpkg::WithCancel(v);  // registers with a1 through v
    EXPECT_EQ(AsCancelCtx(root)->NumChildren(), 2u);
    EXPECT_EQ(AsCancelCtx(a1)->NumChildren(), 1u);
    cancelA();
    EXPECT_TRUE(IsDone(a) && IsDone(a1) && IsDone(leaf));
    EXPECT_EQ(leaf->Err(), ctxpkg::Canceled);
    EXPECT_FALSE(IsDone(root) || IsDone(b));
    EXPECT_EQ(AsCancelCtx(root)->NumChildren(), 1u);  // a removed itself
    EXPECT_EQ(AsCancelCtx(a)->NumChildren(), 0u);
    cancelRoot();
    EXPECT_TRUE(IsDone(b));
    EXPECT_EQ(AsCancelCtx(root)->NumChildren(), 0u);
    EXPECT_EQ(ctxpkg::goroutines.load(), 0);
    cancelB();
    cancelA1();
    cancelLeaf();
  });
}

TEST(Step2_Propagate, ChildCancelRemovesItFromParent) {
  ExpectProgram([] {
    auto [p, cancelP] = ctxpkg::WithCancel(ctxpkg::Background());
    auto [c1, cancel1] = ctxpkg::WithCancel(p);
    auto [c2, cancel2] = ctxpkg::WithTimeout(p, absl::Hours(1));
    EXPECT_EQ(AsCancelCtx(p)->NumChildren(), 2u);
    cancel1();
    EXPECT_EQ(AsCancelCtx(p)->NumChildren(), 1u);
    cancel2();
    EXPECT_EQ(AsCancelCtx(p)->NumChildren(), 0u);
    EXPECT_FALSE(IsDone(p));
    EXPECT_FALSE(dynamic_cast<ctxpkg::timerCtx*>(c2.get())->timer.has_value());  // stopped
    cancelP();
  });
}

TEST(Step2_Propagate, ChildOfCancelledParentIsCancelledAtOnce) {
  ExpectProgram([] {
    auto [p, cancelP] = ctxpkg::WithCancel(ctxpkg::Background());
    cancelP();
    auto [c, cancel] = ctxpkg::WithCancel(p);
    EXPECT_TRUE(IsDone(c));
    EXPECT_EQ(c->Err(), ctxpkg::Canceled);
    EXPECT_EQ(AsCancelCtx(p)->NumChildren(), 0u);
    cancel();
  });
}

TEST(Step2_Propagate, ThousandChildren) {
  ExpectProgram([] {
    auto [p, cancelP] = ctxpkg::WithCancel(ctxpkg::Background());
    std::vector<Ctx> kids;
    std::vector<ctxpkg::CancelFunc> cancels;
    for (int i = 0; i < 1000; i++) {
      auto [c, cancel] = ctxpkg::WithCancel(p);
      kids.push_back(c);
      cancels.push_back(cancel);
    }
    EXPECT_EQ(AsCancelCtx(p)->NumChildren(), 1000u);
    for (int i = 0; i < 1000; i += 2) cancels[i]();
    EXPECT_EQ(AsCancelCtx(p)->NumChildren(), 500u);
    cancelP();
    EXPECT_EQ(AsCancelCtx(p)->NumChildren(), 0u);
    int done = 0;
    for (const Ctx& k : kids) done += IsDone(k) && k->Err() == ctxpkg::Canceled;
    EXPECT_EQ(done, 1000);
  });
}

TEST(Step2_Propagate, WrappedCancelCtxIsFoundWithoutGoroutine) {
  // Go's TestCustomContextGoroutines: a custom type whose Done is its
  // parent cancelCtx's Done channel still registers directly.
  ExpectProgram([] {
    ctxpkg::goroutines.store(0);
    auto [p, cancelP] = ctxpkg::WithCancel(ctxpkg::Background());
    Ctx other = std::make_shared<otherContext>(p);
    auto [c, cancel] = ctxpkg::WithCancel(other);
    EXPECT_EQ(ctxpkg::goroutines.load(), 0);
    EXPECT_EQ(AsCancelCtx(p)->NumChildren(), 1u);
    cancelP();
    EXPECT_TRUE(IsDone(c));
    cancel();
  });
}

TEST(Step2_Propagate, CustomDoneTakesGoroutinePath) {
  ExpectProgram([] {
    ctxpkg::goroutines.store(0);
    auto custom = std::make_shared<myDoneCtx>();
    auto [c, cancel] = ctxpkg::WithCancel(custom);
    EXPECT_EQ(ctxpkg::goroutines.load(), 1);
    auto [c2, cancel2] = ctxpkg::WithCancel(custom);
    EXPECT_EQ(ctxpkg::goroutines.load(), 2);
    cancel2();  // the watcher of c2 sees c2's Done and exits
    EXPECT_FALSE(IsDone(c));
    custom->Cancel();
    c->Done().recv();  // the watcher cancels c
    EXPECT_EQ(c->Err(), ctxpkg::Canceled);
    // Background is never cancelled: no goroutine, no registration.
    auto [c3, cancel3] = ctxpkg::WithCancel(ctxpkg::Background());
    EXPECT_EQ(ctxpkg::goroutines.load(), 2);
    cancel();
    cancel3();
  });
}

TEST(Step2_Propagate, ParentCancelCtx) {
  ExpectProgram([] {
    auto [p, cancelP] = ctxpkg::WithCancel(ctxpkg::Background());
    EXPECT_EQ(ctxpkg::parentCancelCtx(p).get(), AsCancelCtx(p));
    Ctx v = ctxpkg::WithValue(p, &cancelP, 7);
    EXPECT_EQ(ctxpkg::parentCancelCtx(v).get(), AsCancelCtx(p));
    EXPECT_EQ(ctxpkg::parentCancelCtx(ctxpkg::Background()), nullptr);
    EXPECT_EQ(ctxpkg::parentCancelCtx(std::make_shared<myDoneCtx>()), nullptr);
    cancelP();
    // Cancelled before anyone asked for Done: Done is closedchan, no parent.
    auto [q, cancelQ] = ctxpkg::WithCancel(ctxpkg::Background());
    cancelQ();
    EXPECT_EQ(ctxpkg::parentCancelCtx(q), nullptr);
  });
}

// ---- Step 3: deadlines -------------------------------------------------------

TEST(Step3_Deadline, TimeoutFiresWithDeadlineExceeded) {
  ExpectProgram([] {
    auto [c, cancel] = ctxpkg::WithTimeout(ctxpkg::Background(), absl::Milliseconds(10));
    auto [child, cancelChild] = ctxpkg::WithCancel(c);
    EXPECT_TRUE(c->Deadline().second);
    c->Done().recv();
    EXPECT_EQ(c->Err(), ctxpkg::DeadlineExceeded);
    EXPECT_EQ(c->Err()->Error(), "context deadline exceeded");
    EXPECT_TRUE(static_cast<const ctxpkg::deadlineExceededError&>(*c->Err()).Timeout());
    child->Done().recv();
    EXPECT_EQ(child->Err(), ctxpkg::DeadlineExceeded);
    cancel();  // after the deadline: the error stays DeadlineExceeded
    EXPECT_EQ(c->Err(), ctxpkg::DeadlineExceeded);
    cancelChild();
  });
}

TEST(Step3_Deadline, CancelBeforeDeadline) {
  ExpectProgram([] {
    auto [c, cancel] = ctxpkg::WithTimeout(ctxpkg::Background(), absl::Hours(1));
    EXPECT_FALSE(IsDone(c));
    cancel();
    EXPECT_EQ(c->Err(), ctxpkg::Canceled);
    EXPECT_FALSE(dynamic_cast<ctxpkg::timerCtx*>(c.get())->timer.has_value());
  });
}

// The notes' three WithDeadline cases.
TEST(Step3_Deadline, ParentDeadlineSoonerGivesPlainCancelCtx) {
  ExpectProgram([] {
    absl::Time soon = absl::Now() + absl::Hours(1);
    auto [p, cancelP] = ctxpkg::WithDeadline(ctxpkg::Background(), soon);
    auto [c, cancel] = ctxpkg::WithDeadline(p, soon + absl::Hours(1));
    EXPECT_EQ(dynamic_cast<ctxpkg::timerCtx*>(c.get()), nullptr);
    ASSERT_NE(AsCancelCtx(c), nullptr);
    EXPECT_EQ(c->Deadline().first, soon);  // the parent's
    EXPECT_EQ(AsCancelCtx(p)->NumChildren(), 1u);
    cancelP();
    EXPECT_TRUE(IsDone(c));
    cancel();
  });
}

TEST(Step3_Deadline, PassedDeadlineCancelsAtOnce) {
  ExpectProgram([] {
    auto [p, cancelP] = ctxpkg::WithCancel(ctxpkg::Background());
    absl::Time past = absl::Now() - absl::Seconds(1);
    auto [c, cancel] = ctxpkg::WithDeadline(p, past);
    EXPECT_TRUE(IsDone(c));
    EXPECT_EQ(c->Err(), ctxpkg::DeadlineExceeded);
    EXPECT_EQ(c->Deadline().first, past);
    EXPECT_FALSE(dynamic_cast<ctxpkg::timerCtx*>(c.get())->timer.has_value());
    EXPECT_EQ(AsCancelCtx(p)->NumChildren(), 0u);  // removed again
    cancel();
    EXPECT_EQ(c->Err(), ctxpkg::DeadlineExceeded);
    cancelP();
  });
}

TEST(Step3_Deadline, FutureDeadlineStartsTimer) {
  ExpectProgram([] {
    auto [p, cancelP] = ctxpkg::WithTimeout(ctxpkg::Background(), absl::Hours(2));
    absl::Time d = absl::Now() + absl::Hours(1);
    auto [c, cancel] = ctxpkg::WithDeadline(p, d);
    auto* tc = dynamic_cast<ctxpkg::timerCtx*>(c.get());
    ASSERT_NE(tc, nullptr);
    EXPECT_TRUE(tc->timer.has_value());
    EXPECT_EQ(c->Deadline().first, d);
    EXPECT_EQ(AsCancelCtx(p)->NumChildren(), 1u);
    cancel();
    EXPECT_FALSE(tc->timer.has_value());
    EXPECT_EQ(AsCancelCtx(p)->NumChildren(), 0u);
    cancelP();
  });
}

// ---- Step 4: values ----------------------------------------------------------

const int k1 = 0, k2 = 0, k3 = 0;

TEST(Step4_Value, NearestFirst) {
  ExpectProgram([] {
    Ctx c = ctxpkg::WithValue(ctxpkg::Background(), &k1, std::string("a"));
    c = ctxpkg::WithValue(c, &k2, 2);
    auto [cc, cancel] = ctxpkg::WithCancel(c);
    Ctx c2 = ctxpkg::WithValue(cc, &k1, std::string("b"));  // shadows
    EXPECT_EQ(std::any_cast<std::string>(c2->Value(&k1)), "b");
    EXPECT_EQ(std::any_cast<std::string>(cc->Value(&k1)), "a");
    EXPECT_EQ(std::any_cast<int>(c2->Value(&k2)), 2);
    EXPECT_FALSE(c2->Value(&k3).has_value());
    EXPECT_FALSE(ctxpkg::Background()->Value(&k1).has_value());
    // Through a custom Context too.
    Ctx other = std::make_shared<otherContext>(c2);
    Ctx c3 = ctxpkg::WithValue(other, &k3, 3);
    EXPECT_EQ(std::any_cast<int>(c3->Value(&k3)), 3);
    EXPECT_EQ(std::any_cast<std::string>(c3->Value(&k1)), "b");
    EXPECT_EQ(std::any_cast<int>(ctxpkg::value(c3, &k2)), 2);
    cancel();
  });
}

// ---- Panics (texts from tools/groundtruth/context/context.txt) ---------------

TEST(Step4_Value, PanicTexts) {
  ExpectProgram([] {
    EXPECT_EQ(PanicText([] { ctxpkg::WithValue(ctxpkg::Background(), nullptr, 1); }),
              "panic: nil key");
    EXPECT_EQ(PanicText([] { ctxpkg::WithValue(nullptr, &k1, 1); }),
              "panic: cannot create context from nil parent");
    EXPECT_EQ(PanicText([] { ctxpkg::WithCancel(nullptr); }),
              "panic: cannot create context from nil parent");
    EXPECT_EQ(PanicText([] { ctxpkg::WithTimeout(nullptr, absl::Seconds(1)); }),
              "panic: cannot create context from nil parent");
  });
}

}  // namespace
}  // namespace gort
