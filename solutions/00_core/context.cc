// The parts of context.go that no kata step covers: Background, TODO,
// closedchan, the Value methods that defer to value(), and the With*
// constructors other than WithDeadline. Chapter 11's functions
// (solutions/11_context, katas/11_context) do the rest.
//
// Mirrors Go 1.19 src/context/context.go.
#include <any>
#include <memory>
#include <utility>

#include "absl/time/clock.h"
#include "include/gort/context.h"
#include "include/gort/rt/sync.h"

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

std::any cancelCtx::Value(Key key) {
  if (key == &cancelCtxKey) return std::any(this);
  return value(parent_, key);
}

std::any valueCtx::Value(Key k) {
  if (key == k) return val;
  return value(parent_, k);
}

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
