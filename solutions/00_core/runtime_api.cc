// The runtime package's functions behind include/gort/go.h.
//
// Mirrors Go 1.19 src/runtime/debug.go (GOMAXPROCS, NumCPU,
// NumGoroutine) and src/time/sleep.go (AfterFunc, Timer.Stop/Reset).
#include <functional>
#include <utility>

#include "include/gort/go.h"
#include "include/gort/rt/lock.h"
#include "include/gort/rt/malloc.h"
#include "include/gort/rt/proc.h"
#include "include/gort/rt/runtime2.h"
#include "include/gort/rt/sched_internal.h"
#include "include/gort/rt/time.h"

namespace gort {

int GOMAXPROCS(int n) {
  lock(&rt::sched.lock);
  const int ret = rt::gomaxprocs.load();
  unlock(&rt::sched.lock);
  if (n <= 0 || n == ret) return ret;
  rt::stopTheWorld("GOMAXPROCS");
  rt::newprocs = n;
  rt::startTheWorld();
  return ret;
}

int NumGoroutine() { return rt::gcount(); }

int NumCPU() { return rt::ncpu.load(); }

void PreemptPoint() { rt::checkPreempt(); }

namespace {

// Runs on the scheduler when the timer fires: start the goroutine (Go:
// goFunc).
void goFunc(void* arg, std::uintptr_t /*seq*/) {
  auto* state = static_cast<Timer::State*>(arg);
  go(state->f);
}

}  // namespace

Timer AfterFunc(absl::Duration d, std::function<void()> f) {
  // The state lives in the runtime heap, as a Go *Timer would: it stays
  // valid while the timer is pending even if the caller drops the handle.
  auto* state = static_cast<Timer::State*>(
      rt::mallocgc(sizeof(Timer::State), rt::TypeOf<Timer::State>(), /*needzero=*/true));
  state->f = std::move(f);
  state->t.f = &goFunc;
  state->t.arg = state;
  state->t.when = rt::nanotime() + absl::ToInt64Nanoseconds(d);
  rt::addtimer(&state->t);
  return Timer(state);
}

bool Timer::Stop() { return rt::deltimer(&state_->t); }

bool Timer::Reset(absl::Duration d) {
  return rt::modtimer(&state_->t, rt::nanotime() + absl::ToInt64Nanoseconds(d), 0);
}

}  // namespace gort
