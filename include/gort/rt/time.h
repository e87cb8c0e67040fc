// Timers: per-p 4-ary min-heaps of pending timers, run by the scheduler.
//
// Mirrors Go 1.19 src/runtime/time.go. Since Go 1.14 there is no timer
// goroutine: each p keeps a heap of its timers ordered by `when`, and the
// scheduler runs the due ones whenever it looks for work (checkTimers in
// schedule/findrunnable/stealWork). An m with nothing to do sleeps until
// the earliest timer of any p (Go blocks in the network poller; gort sleeps
// on a futex), and adding an earlier timer wakes it (wakeNetPoller).
//
// gort's simplification: Go 1.19 changes timers lock-free through a ten-
// state machine (timerWaiting, timerModifiedEarlier, timerMoving, ...), so
// that deltimer and modtimer never take another p's lock. gort takes the
// owning p's timersLock instead, keeps the timer's heap index for an
// O(log n) delete, and uses four states. Same heap, same run points, same
// results; the README explains Go's state machine.
#ifndef GORT_RT_TIME_H_
#define GORT_RT_TIME_H_

#include <cstdint>
#include <vector>

#include "include/gort/rt/runtime2.h"

namespace gort::rt {

enum timerStatus : std::uint32_t {
  timerNoStatus = 0,  // not in a heap
  timerWaiting = 1,   // in pp's heap
  timerRunning = 2,   // f is running; the timer is no longer in a heap
                      // (or, if periodic, is back in the heap)
  timerDeleted = 3,   // deleted while running: don't re-add
};

struct timer {
  p* pp = nullptr;  // the p whose heap holds the timer; guarded by pp->timersLock
  std::int64_t when = 0;    // nanotime() at which to run f
  std::int64_t period = 0;  // if > 0, run again every period ns
  // Runs on the scheduler (g0) with no locks held: must not block or park.
  void (*f)(void* arg, std::uintptr_t seq) = nullptr;
  void* arg = nullptr;
  std::uintptr_t seq = 0;
  std::int32_t index = -1;  // gort: position in pp->timers, -1 if none
  std::uint32_t status = timerNoStatus;  // guarded by pp->timersLock
};

// ---- The heap [kata 04 step 5] ------------------------------------------
// The heap is 4-ary: node i has children 4i+1 .. 4i+4 and parent (i-1)/4.
// Every function keeps timer::index in step with the vector.

// siftupTimer moves timers[i] up until its parent is not later.
void siftupTimer(std::vector<timer*>& timers, std::int32_t i);
// siftdownTimer moves timers[i] down until no child is earlier.
void siftdownTimer(std::vector<timer*>& timers, std::int32_t i);
// doaddtimer adds t to pp's heap. REQUIRES: pp->timersLock held.
void doaddtimer(p* pp, timer* t);
// dodeltimer removes timers[i] from pp's heap. REQUIRES: pp->timersLock.
void dodeltimer(p* pp, std::int32_t i);

// ---- Machinery (solutions/00_core/time.cc) -----------------------------

// addtimer starts t on the current p. t must not be active.
void addtimer(timer* t);
// deltimer stops t. Returns true if t was pending (it will not run now).
bool deltimer(timer* t);
// modtimer (re)starts t with new parameters; returns whether it was pending.
bool modtimer(timer* t, std::int64_t when, std::int64_t period);

// checkTimers runs pp's due timers. Returns now (or 0 if it didn't look),
// sets *pollUntil to pp's next timer (0 if none) and *ran if any ran.
std::int64_t checkTimers(p* pp, std::int64_t now, std::int64_t* pollUntil, bool* ran);
// The time pp's earliest timer is due, 0 if none (no lock).
std::int64_t nobarrierWakeTime(p* pp);
// Earliest timer across all ps, 0 if none.
std::int64_t timeSleepUntil();
// Makes sure something will run timers due at `when`.
void wakeNetPoller(std::int64_t when);
// Moves every timer of `from` to `to` (procresize). REQUIRES: world stopped.
void movetimers(p* to, p* from);

// If no other m is doing so, sleeps until `until` (nanotime) or until
// wakeNetPoller asks for an earlier wakeup, and returns true; returns false
// at once if another m is already the timer sleeper. Used by findrunnable
// by an m without a p.
bool timerSleep(std::int64_t until);
// Wakes the timer sleeper unconditionally (runtime teardown).
void wakeTimerSleeperForExit();

// The current g sleeps for ns nanoseconds (Go: timeSleep).
void timeSleep(std::int64_t ns);

}  // namespace gort::rt

#endif  // GORT_RT_TIME_H_
