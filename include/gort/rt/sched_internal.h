// Scheduler internals shared by the core machinery (solutions/00_core) and
// chapter 04's functions (solutions/04_scheduler, katas/04_scheduler).
// Not part of the API a program uses.
//
// Mirrors helpers of Go 1.19 src/runtime/proc.go and stubs.go.
#ifndef GORT_RT_SCHED_INTERNAL_H_
#define GORT_RT_SCHED_INTERNAL_H_

#include <atomic>
#include <cstdint>
#include <exception>
#include <vector>

#include "include/gort/rt/runtime2.h"

namespace gort::rt {

// Switches from the current user g to g0 and runs fn(g) there (Go:
// mcall). fn must not return; the g resumes when someone gogo()s it.
void mcall(void (*fn)(g*));
// Switches from g0 to gp's saved context (Go: gogo). Never returns.
[[noreturn]] void gogo(g* gp);
void setg(g* gp);

// The first frame of every goroutine: runs gp->startfn, then goexit.
void goroutineStart(g* gp);
[[noreturn]] void goexit1();
void goexit0(g* gp);
// Disassociates the current m from its curg.
void dropg();

g* malg();
// Frees a g record and its stack (runtime teardown).
void freeg(g* gp);
void allgadd(g* gp);

// Creates an m (an OS thread) that runs fn (if any), then schedules with pp.
m* newm(void (*fn)(), p* pp, std::int64_t id, bool spinning);
void mstart(m* mp);
// If the program is ending, leaves the scheduler loop for good.
void mexitIfExiting();
std::int32_t mcount();
void gcstopm();
// Takes an idle p (under sched.lock) and wires it to this m. Returns false
// if there was none.
bool acquireIdleP();
// The number of ps startTheWorld installs (set by GOMAXPROCS), 0 = keep.
extern std::int32_t newprocs;
// Yields if the scheduler asked the current g to (cooperative preemption).
void checkPreempt();
void preemptall();

// Called when the main goroutine returns: the program ends.
void mainExited();

// An exception that must end the program and be rethrown by gort::Run (a
// kata stub's KataTodoError escaping a goroutine). The first one wins.
void recordProgramException(std::exception_ptr e);
extern std::exception_ptr programException;
[[noreturn]] void fatalDeadlock(const char* msg);

// Per-thread signal setup (alternate stack for the stack-overflow handler).
void minitSignals(m* mp);

extern std::atomic<bool> mainStarted;
extern std::atomic<std::int32_t> nthreads;
extern std::vector<p*> deadps;      // ps removed by procresize
extern std::int64_t schedStartTime;

// Asynchronous preemption is on (GODEBUG=asyncpreemptoff=1 turns it off).
extern std::atomic<bool> asyncPreemptEnabled;
// Sends the preemption signal to mp's thread (Go: preemptM).
void preemptM(m* mp);

}  // namespace gort::rt

#endif  // GORT_RT_SCHED_INTERNAL_H_
