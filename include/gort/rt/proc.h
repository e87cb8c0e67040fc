// The scheduler's functions: creating goroutines, queueing them, choosing
// what runs next, parking and readying, stealing, syscalls, sysmon.
//
// Mirrors Go 1.19 src/runtime/proc.go. Functions marked [kata 04 step N]
// are what chapter 04 asks you to write (solutions/04_scheduler, the
// reference; katas/04_scheduler, yours); the rest is machinery the chapter
// explains but gives you (solutions/00_core/proc.cc).
//
// Locking rules (as in Go):
//   - sched.lock guards the global run queue, the idle m and p lists and
//     sched.gFree's counts; hold it briefly, never across a park.
//   - A p's local run queue is lock-free: only its owner adds at the tail
//     (runqput) and takes at the head (runqget); thieves take from the
//     head with a CAS (runqgrab).
//   - "Must not park": functions that run on g0 (the scheduler itself)
//     never call gopark.
#ifndef GORT_RT_PROC_H_
#define GORT_RT_PROC_H_

#include <cstdint>

#include "include/gort/rt/runtime2.h"

namespace gort::rt {

// ---- Run queues [kata 04 step 1] -------------------------------------

// runqput tries to put gp on pp's local runnable queue. If next, gp goes
// into pp->runnext and the g that was there is kicked to the tail of the
// queue. If the queue is full, runqput puts gp on the global queue (with
// half of the local queue, via runqputslow). Executed only by the owner p.
void runqput(p* pp, g* gp, bool next);

// runqputslow moves gp and half of pp's full local queue (128 gs) to the
// global queue in one batch. Returns false if the queue was not full after
// all (a thief took some), in which case nothing moved. Executed only by
// the owner p.
bool runqputslow(p* pp, g* gp, std::uint32_t h, std::uint32_t t);

// runqget takes a g from pp's local queue: runnext first, then the head.
// inheritTime is true when the g came from runnext (it inherits the time
// slice: no schedtick increment). Executed only by the owner p.
g* runqget(p* pp, bool* inheritTime);

// runqempty reports whether pp has no gs in runnext or its queue.
bool runqempty(p* pp);

// globrunqput/globrunqputhead/globrunqputbatch add to the global queue.
// REQUIRES: sched.lock is held.
void globrunqput(g* gp);
void globrunqputhead(g* gp);
void globrunqputbatch(gQueue* batch, std::int32_t n);

// globrunqget takes a batch from the global queue for pp: returns one g to
// run and puts up to n-1 more on pp's local queue, where
//   n = min(sched.runqsize, sched.runqsize/gomaxprocs + 1, max (if > 0),
//           len(pp.runq)/2).
// REQUIRES: sched.lock is held.
g* globrunqget(p* pp, std::int32_t max);

// ---- Creating and scheduling [kata 04 step 2] ------------------------

// newproc creates a g to run fn and puts it in the current p's runnext
// (Go: newproc + newproc1). Returns the new g.
g* newproc(funcval fn);

// schedule: one round of the scheduler on g0: find a runnable g and run
// it. Never returns. Every 61st schedtick it looks at the global queue
// first, so that two goroutines readying each other via runnext cannot
// starve the global queue.
[[noreturn]] void schedule();

// findrunnable blocks until it finds a g to run: local queue, global queue,
// timers, stealing from other ps; otherwise the m parks (stopm). Returns the
// g and whether it inherits the time slice. Runs on g0.
g* findrunnable(bool* inheritTime);

// execute runs gp on the current m: marks it running, counts a schedtick
// unless inheritTime, and switches to its stack. Never returns.
[[noreturn]] void execute(g* gp, bool inheritTime);

// ---- Parking and readying [kata 04 step 3] ---------------------------

// gopark puts the current goroutine into a waiting state and calls
// unlockf(gp, lockp) on the system stack. If unlockf returns false, the
// goroutine is resumed at once. The goroutine resumes when someone calls
// goready on it. reason is shown in goroutine headers.
void gopark(bool (*unlockf)(g*, void*), void* lockp, waitReason reason);

// goparkunlock parks and unlocks l once parked.
void goparkunlock(mutex* l, waitReason reason);

// goready marks gp (_Gwaiting) runnable and puts it in the current p's
// runnext, so it runs next, then wakes an idle p if there is one (wakep).
void goready(g* gp);

// Gosched yields the processor: the current g goes to the global queue.
void gosched();

// goschedImpl, on g0: gp (just switched away from, still _Grunning) goes to
// the global queue and the m schedules. Shared by Gosched and preemption
// (Go: goschedImpl).
[[noreturn]] void goschedImpl(g* gp);

// goexit ends the current goroutine at once, running no deferred calls
// (runtime.Goexit, which runs them first, is rt::Goexit in panic.h).
[[noreturn]] void goexit();

// ---- Stealing [kata 04 step 4] ---------------------------------------

// runqgrab takes half of pp's local queue (plus runnext if stealRunNextG
// and nothing else) into batch[batchHead...], returns how many. Can be
// executed by any p.
std::uint32_t runqgrab(p* pp, std::array<std::atomic<g*>, kRunqSize>* batch,
                       std::uint32_t batchHead, bool stealRunNextG);

// runqsteal steals half of p2's local queue into pp's, returns one g to
// run (or null). Executed by pp's owner.
g* runqsteal(p* pp, p* p2, bool stealRunNextG);

// stealWork tries (4 rounds over all ps in random order; runnext only in
// the last round) to steal a g, running other ps' expired timers on the
// way. Returns the g (or null) and sets *newWork if timers readied gs.
g* stealWork(std::int64_t now, bool* inheritTime, std::int64_t* pollUntil, bool* newWork);

// ---- Machinery (solutions/00_core/proc.cc) ---------------------------

// Ms and Ps.
void startm(p* pp, bool spinning);
void stopm();
void wakep();
void handoffp(p* pp);
void acquirep(p* pp);
p* releasep();
p* pidleget(std::int64_t now);
void pidleput(p* pp, std::int64_t now);
m* mget();
void mput(m* mp);
void resetspinning();
void injectglist(gQueue* glist, std::int32_t n);
void checkdead();
p* procresize(std::int32_t nprocs);
void stopTheWorld(const char* reason);
void startTheWorld();

// Syscalls [kata 04 step 6 for retake].
void entersyscall();
void exitsyscall();
void entersyscallblock();
void retake(std::int64_t now, std::uint32_t* nretaken);
bool preemptone(p* pp);

// Goroutine state.
void gfput(p* pp, g* gp);
g* gfget(p* pp);
void ready(g* gp, bool next);
std::int32_t gcount();  // user goroutines alive (NumGoroutine)

// The scheduler's view of "the current program" for tests: statistics and
// a snapshot of a p's queue.
struct RunqSnapshot {
  g* runnext = nullptr;
  std::vector<g*> runq;
};
RunqSnapshot runqsnapshot(p* pp);

// Prints Go's schedtrace line ("SCHED 0ms: gomaxprocs=...").
void schedtrace(bool detailed);

// Tests of the data-structure steps build ps and gs without starting a
// runtime. A test p gets an id and status; a test g a goid.
p* newTestP(std::int32_t id);
g* newTestG(std::int64_t goid);
void freeTestP(p* pp);
void freeTestG(g* gp);

}  // namespace gort::rt

#endif  // GORT_RT_PROC_H_
