// KATA — chapter 04, step 2: newproc, schedule, findrunnable, execute.
//
// Read chapters/04_scheduler/README.md#step-2-newproc-and-the-scheduling-loop.
// Helpers you have (include/gort/rt/sched_internal.h, proc.h, stack.h,
// time.h): gfget, malg, allgadd, casgstatus, acquirem/releasem, wakep,
// stackalloc, gostartcall, goroutineStart, gogo, gcstopm, mexitIfExiting,
// checkTimers, stealWork (step 4), releasep/pidleput/pidleget/acquirep,
// timeSleepUntil, timerSleep, stopm, resetspinning.
#include "include/gort/rt/error.h"
#include "include/gort/rt/kata.h"
#include "include/gort/rt/proc.h"
#include "include/gort/rt/runtime2.h"
#include "include/gort/rt/sched_internal.h"
#include "include/gort/rt/stack.h"
#include "include/gort/rt/time.h"

namespace gort::rt {

// Reuse a dead g (gfget) or make one; set startfn and a new goid; make it
// runnable and runqput it with next = true; wakep once main has started.
g* newproc(funcval /*fn*/) {
  GORT_KATA_TODO("newproc", "chapters/04_scheduler/README.md#step-2-newproc-and-the-scheduling-loop");
}

// Wire gp to this m, mark it running, count the tick unless inherited.
// A g that has never run (sched.sp == 0) needs a stack (unless a reused g
// kept one) and a start frame (gostartcall); then switch to it.
void execute(g* /*gp*/, bool /*inheritTime*/) {
  GORT_KATA_TODO("execute", "chapters/04_scheduler/README.md#step-2-newproc-and-the-scheduling-loop");
}

// One scheduling round; remember the 61st-tick look at the global queue.
void schedule() {
  GORT_KATA_TODO("schedule", "chapters/04_scheduler/README.md#step-2-newproc-and-the-scheduling-loop");
}

// Local queue, global queue, stealing (if allowed to spin), then give up
// the p, re-check, sleep until a timer or park the m.
g* findrunnable(bool* /*inheritTime*/) {
  GORT_KATA_TODO("findrunnable", "chapters/04_scheduler/README.md#step-2-newproc-and-the-scheduling-loop");
}

}  // namespace gort::rt
