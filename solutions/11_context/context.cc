// Chapter 11: context — reference implementation.
//
// Mirrors Go 1.19 src/context/context.go.
#include <memory>
#include <utility>

#include "absl/time/clock.h"
#include "include/gort/context.h"
#include "include/gort/rt/sync.h"
#include "include/gort/select.h"

namespace gort::context {

// ---- Step 1: cancelCtx ------------------------------------------------------

chan<Empty> cancelCtx::Done() {
  if (rt::hchan* d = done.load(std::memory_order_acquire); d != nullptr) return chan<Empty>(d);
  mu.Lock();
  rt::hchan* d = done.load(std::memory_order_relaxed);
  if (d == nullptr) {
    d = make_chan<Empty>().header();
    done.store(d, std::memory_order_release);
  }
  mu.Unlock();
  return chan<Empty>(d);
}

Error cancelCtx::Err() {
  mu.Lock();
  Error e = err;
  mu.Unlock();
  return e;
}

void cancelCtx::cancel(bool removeFromParent, Error e) {
  if (e == nullptr) rt::sync::panicString("context: internal error: missing cancel error");
  mu.Lock();
  if (err != nullptr) {
    mu.Unlock();
    return;  // already cancelled
  }
  err = e;
  rt::hchan* d = done.load(std::memory_order_relaxed);
  if (d == nullptr) {
    done.store(closedchan().header(), std::memory_order_release);
  } else {
    close(chan<Empty>(d));
  }
  // The parent's lock is held while the children are cancelled, as in Go.
  for (auto& [raw, child] : children) child->cancel(false, e);
  auto dropped = std::move(children);  // Go: c.children = nil
  children.clear();
  mu.Unlock();
  dropped.clear();
  if (removeFromParent) removeChild(parent_, this);
}

// ---- Step 2: propagateCancel, parentCancelCtx, removeChild ------------------

std::shared_ptr<cancelCtx> parentCancelCtx(const Ctx& parent) {
  chan<Empty> d = parent->Done();
  if (d == closedchan() || d == nullptr) return nullptr;
  std::any v = parent->Value(&cancelCtxKey);
  auto* pp = std::any_cast<cancelCtx*>(&v);
  if (pp == nullptr) return nullptr;
  cancelCtx* p = *pp;
  // A custom Context wrapping a cancelCtx but with its own Done channel
  // must not be bypassed.
  if (p->done.load(std::memory_order_acquire) != d.header()) return nullptr;
  return p->shared_from_this();
}

void removeChild(const Ctx& parent, cancelCtx* child) {
  std::shared_ptr<cancelCtx> p = parentCancelCtx(parent);
  if (p == nullptr) return;
  p->mu.Lock();
  auto node = p->children.extract(child);  // destroyed after Unlock
  p->mu.Unlock();
}

void propagateCancel(const Ctx& parent, const std::shared_ptr<cancelCtx>& child) {
  chan<Empty> d = parent->Done();
  if (d == nullptr) return;  // case 1: the parent is never cancelled
  bool cancelled = false;
  select(recv(d, [&] { cancelled = true; }), default_([] {}));
  if (cancelled) {
    child->cancel(false, parent->Err());
    return;
  }
  if (std::shared_ptr<cancelCtx> p = parentCancelCtx(parent)) {
    // case 2: the parent is one of ours; register the child.
    p->mu.Lock();
    if (p->err != nullptr) {
      child->cancel(false, p->err);
    } else {
      p->children.emplace(child.get(), child);
    }
    p->mu.Unlock();
    return;
  }
  // case 3: an unknown Context; a goroutine watches both channels.
  goroutines.fetch_add(1);
  go([parent, child] {
    select(recv(parent->Done(), [&] { child->cancel(false, parent->Err()); }),
           recv(child->Done(), [] {}));
  });
}

// ---- Step 3: deadlines ------------------------------------------------------

void timerCtx::cancel(bool removeFromParent, Error e) {
  cancelCtx::cancel(false, e);
  if (removeFromParent) removeChild(parent_, this);
  mu.Lock();
  if (timer.has_value()) {
    timer->Stop();
    timer.reset();
  }
  mu.Unlock();
}

std::pair<Ctx, CancelFunc> WithDeadline(Ctx parent, absl::Time d) {
  if (parent == nullptr) rt::sync::panicString("cannot create context from nil parent");
  if (auto [cur, ok] = parent->Deadline(); ok && cur < d) {
    // The parent's deadline comes first: a plain cancelCtx will do.
    return WithCancel(parent);
  }
  auto c = std::make_shared<timerCtx>(parent, d);
  propagateCancel(parent, c);
  absl::Duration dur = d - absl::Now();
  if (dur <= absl::ZeroDuration()) {
    c->cancel(true, DeadlineExceeded);  // the deadline has already passed
    return {c, [c] { c->cancel(false, Canceled); }};
  }
  c->mu.Lock();
  if (c->err == nullptr) {
    std::weak_ptr<timerCtx> w = c;
    c->timer = AfterFunc(dur, [w] {
      if (auto c = w.lock()) c->cancel(true, DeadlineExceeded);
    });
  }
  c->mu.Unlock();
  return {c, [c] { c->cancel(true, Canceled); }};
}

// ---- Step 4: values ---------------------------------------------------------

std::any value(Ctx c, Key key) {
  for (;;) {
    if (auto* v = dynamic_cast<valueCtx*>(c.get())) {
      if (v->key == key) return v->val;
      c = v->parent_;
    } else if (auto* cc = dynamic_cast<cancelCtx*>(c.get())) {  // and timerCtx
      if (key == &cancelCtxKey) return std::any(cc);
      c = cc->parent_;
    } else if (dynamic_cast<emptyCtx*>(c.get()) != nullptr) {
      return std::any();
    } else {
      return c->Value(key);
    }
  }
}

}  // namespace gort::context
