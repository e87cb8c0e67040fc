// Channel timers: time.NewTimer, time.After, time.NewTicker, time.Tick.
//
// Mirrors Go 1.19 src/time/sleep.go (NewTimer, After, sendTime) and
// src/time/tick.go (NewTicker, Ticker.Stop/Reset). The timer itself is a
// runtime timer on the current p's heap (chapter 04, step 5) whose function
// does a non-blocking send of the current time on a channel of capacity 1
// (chapter 05): a reader that is late finds one value waiting, and a tick
// that finds the previous value still unread is dropped, never queued.
//
//   select(recv(c, [&](int v) { ... }),           // select {
//          recv(After(absl::Seconds(1)),           // case v := <-c: ...
//               [&] { timeout = true; }));         // case <-time.After(time.Second): ...
//                                                  // }
#ifndef GORT_TIME_H_
#define GORT_TIME_H_

#include <memory>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "include/gort/chan.h"
#include "include/gort/go.h"
#include "include/gort/rt/chan.h"
#include "include/gort/rt/error.h"
#include "include/gort/rt/lock.h"
#include "include/gort/rt/malloc.h"
#include "include/gort/rt/time.h"

namespace gort {

namespace internal {

// sendTime is the runtime timer function of channel timers: it runs on the
// scheduler and must not block, so it sends only if there is room.
// Go: select { case c <- Now(): default: }
inline void sendTime(void* c, std::uintptr_t /*seq*/) {
  absl::Time now = absl::Now();
  rt::selectnbsend(static_cast<rt::hchan*>(c), &now);
}

inline std::int64_t when(absl::Duration d) {
  std::int64_t t = rt::nanotime();
  if (d <= absl::ZeroDuration()) return t;
  return t + absl::ToInt64Nanoseconds(d);
}

}  // namespace internal

// time.NewTimer: a Timer that sends the current time on its channel C once,
// after at least d. Stop and Reset behave as Go's: Stop does not drain C.
inline Timer NewTimer(absl::Duration d) {
  chan<absl::Time> c = make_chan<absl::Time>(1);
  auto* state = static_cast<Timer::State*>(
      rt::mallocgc(sizeof(Timer::State), rt::TypeOf<Timer::State>(), /*needzero=*/true));
  state->t.f = &internal::sendTime;
  state->t.arg = c.header();
  state->t.when = internal::when(d);
  rt::addtimer(&state->t);
  return Timer(state, c);
}

// time.After: NewTimer(d).C. The timer cannot be stopped; it goes away when
// it fires.
inline chan<absl::Time> After(absl::Duration d) { return NewTimer(d).C; }

// A time.Ticker: delivers the time on C every period. A slow reader misses
// ticks rather than queueing them.
class Ticker {
 public:
  chan<absl::Time> C;

  // Turns the ticker off; no more ticks are sent. Does not close C.
  void Stop() { rt::deltimer(t_); }

  // Stops the ticker and resets its period to d; the next tick arrives d
  // from now. Panics "non-positive interval for Ticker.Reset" for d <= 0.
  void Reset(absl::Duration d) {
    if (d <= absl::ZeroDuration()) {
      rt::panicError(std::make_shared<rt::plainError>("non-positive interval for Ticker.Reset"));
    }
    rt::modtimer(t_, internal::when(d), absl::ToInt64Nanoseconds(d));
  }

  Ticker(rt::timer* t, chan<absl::Time> c) : C(c), t_(t) {}

 private:
  rt::timer* t_;
};

// time.NewTicker. Panics "non-positive interval for NewTicker" for d <= 0
// (Go panics with errors.New(...), which prints the same text).
inline Ticker NewTicker(absl::Duration d) {
  if (d <= absl::ZeroDuration()) {
    rt::panicError(std::make_shared<rt::plainError>("non-positive interval for NewTicker"));
  }
  // Give the channel a 1-element time buffer. If the client falls behind
  // while reading, we drop ticks on the floor until the client catches up.
  chan<absl::Time> c = make_chan<absl::Time>(1);
  auto* t = static_cast<rt::timer*>(
      rt::mallocgc(sizeof(rt::timer), rt::TypeOf<rt::timer>(), /*needzero=*/true));
  t->f = &internal::sendTime;
  t->arg = c.header();
  t->when = internal::when(d);
  t->period = absl::ToInt64Nanoseconds(d);
  rt::addtimer(t);
  return Ticker(t, c);
}

// time.Tick: NewTicker(d).C, or the nil channel for d <= 0.
inline chan<absl::Time> Tick(absl::Duration d) {
  if (d <= absl::ZeroDuration()) return chan<absl::Time>();
  return NewTicker(d).C;
}

}  // namespace gort

#endif  // GORT_TIME_H_
