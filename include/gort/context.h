// gort::context: Go's context package (cancel trees, deadlines, values).
//
//   auto [ctx, cancel] = gort::context::WithCancel(gort::context::Background());
//   gort::go([ctx = ctx] { select(recv(ctx->Done(), [] { ... }), ...); });
//   cancel();                    // ctx->Err()->Error() == "context canceled"
//
// A Context is held by std::shared_ptr (Go's interface value; nullptr is a
// nil Context). The structs below are Go's; chapter 11 writes their
// methods (solutions/11_context/context.cc, katas/11_context/context.cc).
// Everything that locks or makes channels must run inside gort::Run.
//
// Mirrors Go 1.19 src/context/context.go.
#ifndef GORT_CONTEXT_H_
#define GORT_CONTEXT_H_

#include <any>
#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "absl/time/time.h"
#include "include/gort/chan.h"
#include "include/gort/go.h"
#include "include/gort/rt/error.h"
#include "include/gort/sync.h"

namespace gort::context {

// struct{}: the element type of Done channels.
struct Empty {};

// Go's `error` as contexts return it; nullptr is nil.
using Error = std::shared_ptr<const rt::error>;
// A value key: compared by identity (use the address of a static object).
// Go's keys are any comparable value; identity is what packages use.
using Key = const void*;

// The Context interface.
class Context {
 public:
  virtual ~Context() = default;
  // deadline, ok: ok is false when no deadline is set.
  virtual std::pair<absl::Time, bool> Deadline() = 0;
  // A channel closed when the context is cancelled; nil if it never is.
  virtual chan<Empty> Done() = 0;
  // nil until Done is closed; then Canceled or DeadlineExceeded.
  virtual Error Err() = 0;
  // The value for key, nearest context first; an empty std::any is nil.
  virtual std::any Value(Key key) = 0;
};
using Ctx = std::shared_ptr<Context>;
using CancelFunc = std::function<void()>;

// context.Canceled: "context canceled".
class canceledError final : public rt::error {
 public:
  std::string Error() const override { return "context canceled"; }
};
// context.DeadlineExceeded: "context deadline exceeded", a timeout.
class deadlineExceededError final : public rt::error {
 public:
  std::string Error() const override { return "context deadline exceeded"; }
  bool Timeout() const { return true; }
  bool Temporary() const { return true; }
};
inline const Error Canceled = std::make_shared<const canceledError>();
inline const Error DeadlineExceeded = std::make_shared<const deadlineExceededError>();

// emptyCtx: Background and TODO. Never cancelled, no values, no deadline.
class emptyCtx final : public Context {
 public:
  explicit emptyCtx(const char* name) : name_(name) {}
  std::pair<absl::Time, bool> Deadline() override { return {absl::Time(), false}; }
  chan<Empty> Done() override { return chan<Empty>(); }
  Error Err() override { return nullptr; }
  std::any Value(Key) override { return std::any(); }
  std::string String() const { return name_; }

 private:
  const char* name_;
};

// Background: the root of every tree. TODO: the same, for code not yet
// decided which context to use.
Ctx Background();
Ctx TODO();

// &cancelCtxKey: cancelCtx.Value returns the cancelCtx itself for it.
inline const int cancelCtxKey = 0;

// closedchan: one shared, closed channel, given to a cancelCtx cancelled
// before anyone asked for its Done channel.
chan<Empty> closedchan();

// goroutines: how many watcher goroutines propagateCancel started (Go keeps
// the same counter for its tests).
inline std::atomic<std::int32_t> goroutines{0};

// cancelCtx: can be cancelled; cancelling it cancels its children.
class cancelCtx : public Context, public std::enable_shared_from_this<cancelCtx> {
 public:
  explicit cancelCtx(Ctx parent) : parent_(std::move(parent)) {}
  std::pair<absl::Time, bool> Deadline() override { return parent_->Deadline(); }
  chan<Empty> Done() override;
  Error Err() override;
  std::any Value(Key key) override;
  // Closes done, cancels every child and, if removeFromParent, takes c out
  // of its parent's children.
  virtual void cancel(bool removeFromParent, Error err);

  const Ctx& parent() const { return parent_; }
  // For tests: how many children are registered now.
  std::size_t NumChildren() {
    mu.Lock();
    std::size_t n = children.size();
    mu.Unlock();
    return n;
  }

  Ctx parent_;      // Go: the embedded Context
  sync::Mutex mu;   // protects the fields below
  std::atomic<rt::hchan*> done{nullptr};  // created lazily, closed by cancel
  // Set to empty by the first cancel (Go: nil map).
  std::map<cancelCtx*, std::shared_ptr<cancelCtx>> children;
  Error err;        // set non-nil by the first cancel
};

// timerCtx: a cancelCtx with a deadline and a timer that cancels it then.
class timerCtx final : public cancelCtx {
 public:
  timerCtx(Ctx parent, absl::Time d) : cancelCtx(std::move(parent)), deadline(d) {}
  std::pair<absl::Time, bool> Deadline() override { return {deadline, true}; }
  void cancel(bool removeFromParent, Error err) override;

  std::optional<Timer> timer;  // under cancelCtx.mu
  absl::Time deadline;
};

// valueCtx: one key-value pair; everything else comes from the parent.
class valueCtx final : public Context {
 public:
  valueCtx(Ctx parent, Key key, std::any val)
      : parent_(std::move(parent)), key(key), val(std::move(val)) {}
  std::pair<absl::Time, bool> Deadline() override { return parent_->Deadline(); }
  chan<Empty> Done() override { return parent_->Done(); }
  Error Err() override { return parent_->Err(); }
  std::any Value(Key key) override;

  Ctx parent_;
  Key key;
  std::any val;
};

// value walks up the chain from c looking for key (Go 1.19's loop).
std::any value(Ctx c, Key key);
// The cancelCtx underneath parent, if parent's Done is that cancelCtx's.
std::shared_ptr<cancelCtx> parentCancelCtx(const Ctx& parent);
// Arranges for child to be cancelled when parent is.
void propagateCancel(const Ctx& parent, const std::shared_ptr<cancelCtx>& child);
// Takes child out of its parent's children.
void removeChild(const Ctx& parent, cancelCtx* child);

std::pair<Ctx, CancelFunc> WithCancel(Ctx parent);
std::pair<Ctx, CancelFunc> WithDeadline(Ctx parent, absl::Time d);
std::pair<Ctx, CancelFunc> WithTimeout(Ctx parent, absl::Duration timeout);
Ctx WithValue(Ctx parent, Key key, std::any val);

}  // namespace gort::context

#endif  // GORT_CONTEXT_H_
