// KATA — chapter 04, step 3: gopark, goready, Gosched.
//
// Read chapters/04_scheduler/README.md#step-3-parking-and-readying.
// mcall(fn) switches to g0 and runs fn(gp) there; the caller must hold one
// acquirem, which fn releases first thing (see mcall in sched_internal.h).
#include "include/gort/rt/error.h"
#include "include/gort/rt/kata.h"
#include "include/gort/rt/proc.h"
#include "include/gort/rt/runtime2.h"
#include "include/gort/rt/sched_internal.h"

namespace gort::rt {

// Record unlockf/lockp in the m and the reason in the g, then mcall a
// continuation that marks the g waiting, drops it, calls unlockf, and
// schedules (or resumes the g at once if unlockf says no).
void gopark(bool (*/*unlockf*/)(g*, void*), void* /*lockp*/, waitReason /*reason*/) {
  GORT_KATA_TODO("gopark", "chapters/04_scheduler/README.md#step-3-parking-and-readying");
}

void goparkunlock(mutex* /*l*/, waitReason /*reason*/) {
  GORT_KATA_TODO("goparkunlock", "chapters/04_scheduler/README.md#step-3-parking-and-readying");
}

// _Gwaiting -> _Grunnable, runqput on this p (next as asked), wakep.
void ready(g* /*gp*/, bool /*next*/) {
  GORT_KATA_TODO("ready", "chapters/04_scheduler/README.md#step-3-parking-and-readying");
}

void goready(g* /*gp*/) {
  GORT_KATA_TODO("goready", "chapters/04_scheduler/README.md#step-3-parking-and-readying");
}

// On g0: mark gp runnable, drop it from the m, put it on the global queue
// (under sched.lock), schedule.
void goschedImpl(g* /*gp*/) {
  GORT_KATA_TODO("goschedImpl", "chapters/04_scheduler/README.md#step-3-parking-and-readying");
}

// Pin the m, then mcall a continuation that releases the pin and calls
// goschedImpl.
void gosched() {
  GORT_KATA_TODO("gosched", "chapters/04_scheduler/README.md#step-3-parking-and-readying");
}

}  // namespace gort::rt
