// KATA — chapter 11: context.
//
// Read chapters/11_context/README.md. The structs are given in
// include/gort/context.h; Background, TODO, closedchan and the With*
// constructors other than WithDeadline are written for you below.
// Mirrors Go 1.19 src/context/context.go.
#include <memory>
#include <utility>

#include "absl/time/clock.h"
#include "include/gort/context.h"
#include "include/gort/rt/kata.h"
#include "include/gort/rt/sync.h"
#include "include/gort/select.h"

namespace gort::context {

Ctx Background() {
  static const Ctx* background = new Ctx(std::make_shared<emptyCtx>("context.Background"));
  return *background;
}

Ctx TODO() {
  static const Ctx* todo = new Ctx(std::make_shared<emptyCtx>("context.TODO"));
  return *todo;
}

chan<Empty> closedchan() {
  // Go closes it in init(); we make it on first use (a channel needs the
  // runtime's heap).
  static rt::hchan* c = [] {
    chan<Empty> ch = make_chan<Empty>();
    close(ch);
    return ch.header();
  }();
  return chan<Empty>(c);
}

// ---- Step 1: cancelCtx ------------------------------------------------------

chan<Empty> cancelCtx::Done() {
  GORT_KATA_TODO("cancelCtx::Done", "chapters/11_context/README.md#step-1-cancelctx");
}

Error cancelCtx::Err() {
  GORT_KATA_TODO("cancelCtx::Err", "chapters/11_context/README.md#step-1-cancelctx");
}

std::any cancelCtx::Value(Key key) {
  if (key == &cancelCtxKey) return std::any(this);
  return value(parent_, key);
}

void cancelCtx::cancel(bool /*removeFromParent*/, Error /*e*/) {
  GORT_KATA_TODO("cancelCtx::cancel", "chapters/11_context/README.md#step-1-cancelctx");
}

// ---- Step 2: propagateCancel, parentCancelCtx, removeChild ------------------

std::shared_ptr<cancelCtx> parentCancelCtx(const Ctx& /*parent*/) {
  GORT_KATA_TODO("parentCancelCtx", "chapters/11_context/README.md#step-2-propagatecancel");
}

void removeChild(const Ctx& parent, cancelCtx* /*child*/) {
  if (parent->Done() == nullptr) return;  // given: step 1 needs only Background parents
  GORT_KATA_TODO("removeChild", "chapters/11_context/README.md#step-2-propagatecancel");
}

void propagateCancel(const Ctx& parent, const std::shared_ptr<cancelCtx>& /*child*/) {
  if (parent->Done() == nullptr) return;  // given: case 1, the parent is never cancelled
  GORT_KATA_TODO("propagateCancel", "chapters/11_context/README.md#step-2-propagatecancel");
}

// ---- Step 3: deadlines ------------------------------------------------------

void timerCtx::cancel(bool /*removeFromParent*/, Error /*e*/) {
  GORT_KATA_TODO("timerCtx::cancel", "chapters/11_context/README.md#step-3-deadlines");
}

std::pair<Ctx, CancelFunc> WithDeadline(Ctx /*parent*/, absl::Time /*d*/) {
  GORT_KATA_TODO("WithDeadline", "chapters/11_context/README.md#step-3-deadlines");
}

// ---- Step 4: values ---------------------------------------------------------

std::any valueCtx::Value(Key k) {
  if (key == k) return val;
  return value(parent_, k);
}

std::any value(Ctx /*c*/, Key /*key*/) {
  GORT_KATA_TODO("value", "chapters/11_context/README.md#step-4-values");
}

// ---- Given: constructors ----------------------------------------------------

std::pair<Ctx, CancelFunc> WithCancel(Ctx parent) {
  if (parent == nullptr) rt::sync::panicString("cannot create context from nil parent");
  auto c = std::make_shared<cancelCtx>(parent);
  propagateCancel(parent, c);
  return {c, [c] { c->cancel(true, Canceled); }};
}

std::pair<Ctx, CancelFunc> WithTimeout(Ctx parent, absl::Duration timeout) {
  return WithDeadline(std::move(parent), absl::Now() + timeout);
}

Ctx WithValue(Ctx parent, Key key, std::any val) {
  if (parent == nullptr) rt::sync::panicString("cannot create context from nil parent");
  if (key == nullptr) rt::sync::panicString("nil key");
  return std::make_shared<valueCtx>(std::move(parent), key, std::move(val));
}

}  // namespace gort::context
