// Timer machinery: adding, deleting and running timers on per-p heaps.
// The heap operations themselves are chapter 04's step 5
// (solutions/04_scheduler/timers.cc).
//
// Mirrors Go 1.19 src/runtime/time.go (addtimer, deltimer, modtimer,
// checkTimers, runtimer, timeSleep, wakeNetPoller), simplified as time.h
// explains.
#include "include/gort/rt/time.h"

#include "include/gort/rt/error.h"
#include "include/gort/rt/lock.h"
#include "include/gort/rt/proc.h"
#include "include/gort/rt/sched_internal.h"

namespace gort::rt {
namespace {

// The "netpoller" of gort: one m at a time sleeps here until the earliest
// timer (sched.lastpoll == 0 while it does). 1 = woken.
std::atomic<std::uint32_t> timerWake{0};

// Locks the p that holds t, or returns null if t is in no heap.
p* lockTimerP(timer* t) {
  for (;;) {
    p* pp = __atomic_load_n(&t->pp, __ATOMIC_ACQUIRE);
    if (pp == nullptr) return nullptr;
    lock(&pp->timersLock);
    if (__atomic_load_n(&t->pp, __ATOMIC_ACQUIRE) == pp) return pp;
    unlock(&pp->timersLock);
  }
}

void updateTimer0When(p* pp) {
  pp->timer0When.store(pp->timers.empty() ? 0 : pp->timers[0]->when);
}

// runtimer runs the first timer of pp. REQUIRES: pp->timersLock held; it is
// released while f runs and held again on return.
void runtimer(p* pp, std::int64_t now) {
  timer* t = pp->timers[0];
  if (t->period > 0) {
    // Leave in heap but adjust next time to fire.
    std::int64_t delta = t->when - now;
    t->when += t->period * (1 + -delta / t->period);
    if (t->when < 0) t->when = INT64_MAX;  // check for overflow
    siftdownTimer(pp->timers, 0);
  } else {
    dodeltimer(pp, 0);
    __atomic_store_n(&t->pp, nullptr, __ATOMIC_RELEASE);
  }
  updateTimer0When(pp);
  t->status = timerRunning;
  auto f = t->f;
  void* arg = t->arg;
  std::uintptr_t seq = t->seq;
  unlock(&pp->timersLock);
  f(arg, seq);
  lock(&pp->timersLock);
  if (t->status == timerRunning) t->status = t->pp != nullptr ? timerWaiting : timerNoStatus;
}

}  // namespace

void addtimer(timer* t) {
  if (t->when <= 0) t->when = INT64_MAX;  // when must be positive; overflow check
  m* mp = acquirem();
  p* pp = mp->p_;
  lock(&pp->timersLock);
  t->status = timerWaiting;
  doaddtimer(pp, t);
  __atomic_store_n(&t->pp, pp, __ATOMIC_RELEASE);
  updateTimer0When(pp);
  const std::int64_t when = t->when;
  unlock(&pp->timersLock);
  wakeNetPoller(when);
  releasem(mp);
}

bool deltimer(timer* t) {
  p* pp = lockTimerP(t);
  if (pp == nullptr) {
    // Not in a heap: never started, already ran, or running right now.
    if (t->status == timerRunning) t->status = timerDeleted;
    return false;
  }
  if (t->status == timerRunning) {
    // A periodic timer whose f is running: stop it from coming back.
    dodeltimer(pp, t->index);
    __atomic_store_n(&t->pp, nullptr, __ATOMIC_RELEASE);
    t->status = timerDeleted;
    updateTimer0When(pp);
    unlock(&pp->timersLock);
    return false;
  }
  dodeltimer(pp, t->index);
  __atomic_store_n(&t->pp, nullptr, __ATOMIC_RELEASE);
  t->status = timerNoStatus;
  updateTimer0When(pp);
  unlock(&pp->timersLock);
  return true;
}

bool modtimer(timer* t, std::int64_t when, std::int64_t period) {
  bool pending = deltimer(t);
  t->when = when;
  t->period = period;
  addtimer(t);
  return pending;
}

std::int64_t checkTimers(p* pp, std::int64_t now, std::int64_t* pollUntil, bool* ran) {
  *ran = false;
  std::int64_t next = pp->timer0When.load();
  if (next == 0) {
    *pollUntil = 0;
    return now;
  }
  if (now == 0) now = nanotime();
  if (now < next) {
    *pollUntil = next;
    return now;
  }
  lock(&pp->timersLock);
  while (!pp->timers.empty() && pp->timers[0]->when <= now) {
    runtimer(pp, now);
    *ran = true;
  }
  *pollUntil = pp->timers.empty() ? 0 : pp->timers[0]->when;
  unlock(&pp->timersLock);
  return now;
}

std::int64_t nobarrierWakeTime(p* pp) { return pp->timer0When.load(); }

std::int64_t timeSleepUntil() {
  std::int64_t next = 0;
  lock(&sched.lock);
  for (p* pp : allp) {
    std::int64_t w = pp->timer0When.load();
    if (w != 0 && (next == 0 || w < next)) next = w;
  }
  unlock(&sched.lock);
  return next;
}

void wakeNetPoller(std::int64_t when) {
  if (sched.lastpoll.load() == 0) {
    // An m is sleeping until a timer: wake it if this one is earlier.
    std::int64_t pollerPollUntil = sched.pollUntil.load();
    if (pollerPollUntil == 0 || pollerPollUntil > when) {
      if (timerWake.exchange(1) == 0) futexwakeup(&timerWake, 1);
    }
  } else {
    wakep();
  }
}

bool timerSleep(std::int64_t until) {
  static std::atomic<bool> sleeperActive{false};
  bool expected = false;
  if (!sleeperActive.compare_exchange_strong(expected, true)) return false;
  // Publish "sleeping" (lastpoll == 0) only after arming the futex word, so
  // a waker that sees lastpoll == 0 always finds something to wake.
  timerWake.store(0);
  sched.pollUntil.store(until);
  sched.lastpoll.store(0);
  while (timerWake.load() == 0 && !sched.exiting.load()) {
    std::int64_t left = until - nanotime();
    if (left <= 0) break;
    futexsleep(&timerWake, 0, left);
  }
  sched.pollUntil.store(0);
  sched.lastpoll.store(nanotime());
  sleeperActive.store(false);
  return true;
}

void wakeTimerSleeperForExit() {
  if (timerWake.exchange(1) == 0) futexwakeup(&timerWake, 1);
}

void movetimers(p* to, p* from) {
  lock(&from->timersLock);
  lock(&to->timersLock);
  for (timer* t : from->timers) {
    doaddtimer(to, t);
    __atomic_store_n(&t->pp, to, __ATOMIC_RELEASE);
  }
  from->timers.clear();
  from->numTimers.store(0);
  updateTimer0When(from);
  updateTimer0When(to);
  unlock(&to->timersLock);
  unlock(&from->timersLock);
}

namespace {

void goroutineReady(void* arg, std::uintptr_t /*seq*/) { goready(static_cast<g*>(arg)); }

// Adds the sleep timer once the g is parked, so the timer cannot fire (and
// goready the g) before the g has finished parking (Go: resetForSleep).
bool resetForSleep(g* gp, void* /*unused*/) {
  addtimer(gp->timer_);
  return true;
}

}  // namespace

void timeSleep(std::int64_t ns) {
  if (ns <= 0) return;
  g* gp = getg();
  if (gp->timer_ == nullptr) gp->timer_ = new timer;
  timer* t = gp->timer_;
  t->f = &goroutineReady;
  t->arg = gp;
  t->period = 0;
  t->when = nanotime() + ns;
  if (t->when < 0) t->when = INT64_MAX;  // overflow
  gopark(&resetForSleep, nullptr, waitReason::waitReasonSleep);
}

}  // namespace gort::rt
