// Parking and readying goroutines: gopark, goready, Gosched.
//
// Mirrors Go 1.19 src/runtime/proc.go (gopark, park_m, goready, ready,
// Gosched, gosched_m). Chapter 04, step 3.
//
// gopark runs on the g that parks; the state change happens on g0 (park_m)
// after the switch, so nobody can goready the g while it is still running
// on its own stack. unlockf is called on g0 once the g is _Gwaiting: it
// releases whatever lock protected the decision to park (a channel's lock,
// say), and a waker that takes that lock afterwards is sure to find a
// parked g.
#include "include/gort/rt/error.h"
#include "include/gort/rt/proc.h"
#include "include/gort/rt/runtime2.h"
#include "include/gort/rt/sched_internal.h"

namespace gort::rt {
namespace {

// park continuation on g0.
void park_m(g* gp) {
  m* mp = getm();
  releasem(mp);  // gopark's acquirem: we are on g0 now
  casgstatus(gp, _Grunning, _Gwaiting);
  dropg();
  if (auto fn = mp->waitunlockf) {
    bool ok = fn(gp, mp->waitlock);
    mp->waitunlockf = nullptr;
    mp->waitlock = nullptr;
    if (!ok) {
      casgstatus(gp, _Gwaiting, _Grunnable);
      execute(gp, true);  // Schedule it back, never returns.
    }
  }
  schedule();
}

// Gosched continuation on g0.
void gosched_m(g* gp) {
  releasem(getm());  // gosched's acquirem
  goschedImpl(gp);
}

bool parkunlock_c(g* /*gp*/, void* lockp) {
  unlock(static_cast<mutex*>(lockp));
  return true;
}

}  // namespace

void gopark(bool (*unlockf)(g*, void*), void* lockp, waitReason reason) {
  m* mp = acquirem();
  g* gp = mp->curg;
  std::uint32_t status = readgstatus(gp);
  if (status != _Grunning) throw_("gopark: bad g status");
  mp->waitlock = lockp;
  mp->waitunlockf = unlockf;
  gp->waitreason = reason;
  // can't do anything that might move the g between ms here: mp stays
  // pinned until park_m, on g0, releases it.
  mcall(&park_m);
}

void goparkunlock(mutex* l, waitReason reason) { gopark(&parkunlock_c, l, reason); }

void ready(g* gp, bool next) {
  std::uint32_t status = readgstatus(gp);
  // Mark runnable.
  m* mp = acquirem();  // disable preemption because it can be holding p in a local var
  if ((status & ~_Gscan) != _Gwaiting) throw_("bad g->status in ready");
  // status is _Gwaiting or _Gscanwaiting; make _Grunnable and put on runq.
  casgstatus(gp, _Gwaiting, _Grunnable);
  runqput(mp->p_, gp, next);
  wakep();
  releasem(mp);
}

void goready(g* gp) { ready(gp, true); }

void goschedImpl(g* gp) {
  casgstatus(gp, _Grunning, _Grunnable);
  dropg();
  lock(&sched.lock);
  globrunqput(gp);
  unlock(&sched.lock);
  schedule();
}

void gosched() {
  acquirem();  // released by gosched_m on g0
  mcall(&gosched_m);
}

}  // namespace gort::rt
