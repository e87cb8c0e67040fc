// Creating goroutines and the scheduling loop: newproc, schedule,
// findrunnable, execute.
//
// Mirrors Go 1.19 src/runtime/proc.go. Chapter 04, step 2.
//
// The loop, on each m's g0:
//   schedule -> (every 61st tick: one g from the global queue)
//            -> runqget (runnext first, then the local queue)
//            -> findrunnable (local, global, steal, else park the m)
//            -> execute(gp): switch to gp's stack.
// A g comes back to g0 through mcall (gopark, gosched, goexit), and the
// function mcall runs on g0 ends by calling schedule again.
#include "include/gort/rt/error.h"
#include "include/gort/rt/fastrand.h"
#include "include/gort/rt/proc.h"
#include "include/gort/rt/runtime2.h"
#include "include/gort/rt/sched_internal.h"
#include "include/gort/rt/stack.h"
#include "include/gort/rt/time.h"

namespace gort::rt {

g* newproc(funcval fn) {
  m* mp = acquirem();  // disable preemption: we hold our p in a local
  p* pp = mp->p_;

  g* newg = gfget(pp);
  if (newg == nullptr) {
    newg = malg();
    casgstatus(newg, _Gidle, _Gdead);
    allgadd(newg);  // publishes with status _Gdead, so nobody looks at it
  }
  newg->startfn = fn;
  newg->goid = static_cast<std::int64_t>(sched.goidgen.fetch_add(1) + 1);
  newg->waitreason = waitReason::waitReasonZero;
  casgstatus(newg, _Gdead, _Grunnable);

  runqput(pp, newg, true);
  if (mainStarted.load(std::memory_order_relaxed)) wakep();
  releasem(mp);
  return newg;
}

void execute(g* gp, bool inheritTime) {
  m* mp = getm();
  // Assign gp->m before entering _Grunning so running gs have an m.
  mp->curg = gp;
  gp->m_ = mp;
  casgstatus(gp, _Grunnable, _Grunning);
  gp->waitsince = 0;
  gp->preempt.store(false, std::memory_order_relaxed);
  if (!inheritTime) mp->p_->schedtick++;
  if (gp->sched.sp == 0) {
    // First run: give the g a stack (a reused g keeps its old one) and a
    // frame that starts it.
    if (gp->stack_.lo == 0) gp->stack_ = stackalloc();
    gostartcall(gp, &goroutineStart);
  }
  gogo(gp);
}

void schedule() {
  m* mp = getm();
  if (mp->locks.load(std::memory_order_relaxed) != 0) throw_("schedule: holding locks");

top:
  p* pp = mp->p_;
  pp->preempt.store(false, std::memory_order_relaxed);

  if (sched.gcwaiting.load() != 0) {
    gcstopm();
    goto top;
  }
  mexitIfExiting();

  // Run due timers first: they may make gs runnable.
  std::int64_t pollUntil;
  bool ran;
  checkTimers(pp, 0, &pollUntil, &ran);

  g* gp = nullptr;
  bool inheritTime = false;
  // Check the global runnable queue once in a while to ensure fairness.
  // Otherwise two goroutines can completely occupy the local runqueue by
  // constantly respawning each other.
  if (pp->schedtick % 61 == 0 && sched.runqsize.load() > 0) {
    lock(&sched.lock);
    gp = globrunqget(pp, 1);
    unlock(&sched.lock);
  }
  if (gp == nullptr) gp = runqget(pp, &inheritTime);
  if (gp == nullptr) gp = findrunnable(&inheritTime);  // blocks until work is available

  // This thread is going to run a goroutine and is not spinning anymore,
  // so if it was marked as spinning we need to reset it now and potentially
  // start a new spinning m.
  if (mp->spinning) resetspinning();
  execute(gp, inheritTime);
}

g* findrunnable(bool* inheritTime) {
  m* mp = getm();

top:
  p* pp = mp->p_;
  if (sched.gcwaiting.load() != 0) {
    gcstopm();
    goto top;
  }
  mexitIfExiting();

  // now and pollUntil are saved for work stealing so that the steal can
  // run other ps' timers too.
  std::int64_t pollUntil = 0;
  bool ran = false;
  std::int64_t now = checkTimers(pp, 0, &pollUntil, &ran);

  // local runq
  if (g* gp = runqget(pp, inheritTime)) return gp;

  // global runq
  if (sched.runqsize.load() != 0) {
    lock(&sched.lock);
    g* gp = globrunqget(pp, 0);
    unlock(&sched.lock);
    if (gp != nullptr) {
      *inheritTime = false;
      return gp;
    }
  }

  // Spinning ms: steal work from other ps. Limit the number of spinning ms
  // to half the number of busy ps. This is necessary to prevent excessive
  // CPU consumption when GOMAXPROCS>>1 but the program parallelism is low.
  if (mp->spinning ||
      2 * sched.nmspinning.load() < gomaxprocs.load() - sched.npidle.load()) {
    if (!mp->spinning) {
      mp->spinning = true;
      sched.nmspinning.fetch_add(1);
    }
    bool newWork = false;
    std::int64_t w = 0;
    g* gp = stealWork(now, inheritTime, &w, &newWork);
    if (gp != nullptr) return gp;  // successfully stole
    if (newWork) goto top;  // there may be new timer work to run
    if (w != 0 && (pollUntil == 0 || w < pollUntil)) pollUntil = w;  // earlier timer
  }

  // We have nothing to do. Give up the p, but first look at the global
  // queue once more under the lock.
  lock(&sched.lock);
  if (sched.gcwaiting.load() != 0 || sched.exiting.load()) {
    unlock(&sched.lock);
    goto top;
  }
  if (sched.runqsize.load() != 0) {
    g* gp = globrunqget(pp, 0);
    unlock(&sched.lock);
    *inheritTime = false;
    return gp;
  }
  if (releasep() != pp) throw_("findrunnable: wrong p");
  pidleput(pp, now);
  unlock(&sched.lock);

  // Delicate dance: thread transitions from spinning to non-spinning state,
  // potentially concurrently with submission of new work. We must first
  // drop nmspinning and then check all per-p queues again; otherwise a g
  // submitted in between could be missed by everyone.
  if (mp->spinning) {
    mp->spinning = false;
    if (sched.nmspinning.fetch_sub(1) - 1 < 0) throw_("findrunnable: negative nmspinning");
    for (p* p2 : allp) {
      if (!runqempty(p2)) {
        if (acquireIdleP()) {
          mp->spinning = true;
          sched.nmspinning.fetch_add(1);
          goto top;
        }
        break;
      }
    }
  }

  // No work: if a timer is pending anywhere, become the m that sleeps
  // until it (Go blocks in netpoll here), unless another m already does.
  pollUntil = timeSleepUntil();
  if (pollUntil != 0 && timerSleep(pollUntil)) {
    mexitIfExiting();
    if (acquireIdleP()) goto top;
    // Every p is busy; they run the timers themselves.
  }
  stopm();
  goto top;
}

}  // namespace gort::rt
