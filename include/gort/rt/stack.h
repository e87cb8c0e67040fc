// Goroutine stacks: fixed-size, mmap'd, with a guard page, committed by the
// kernel only as they are touched, and recycled through a cache.
//
// Mirrors the roles of Go 1.19 src/runtime/stack.go (stackalloc,
// stackfree, the stack cache). Go 1.19 starts goroutines on 2 KiB stacks
// (_StackMin = 2048 in stack.go) and grows them by copying to a stack twice
// the size, which needs the compiler's stack-bound check in every function
// prologue and exact knowledge of every pointer into the stack. C++ has neither, so gort gives each goroutine one fixed virtual
// range (default 256 KiB, Options::stack_size) that costs physical memory
// only for the pages actually used, and puts an inaccessible guard page
// below it: running off the end faults there, and the fault handler
// reports Go's "stack overflow" fatal error instead of a bare SIGSEGV.
//
// A g gets its stack when it first runs, not when it is created, so a
// program can queue far more goroutines than it has running or parked
// (each live stack costs two kernel memory mappings, and Linux caps
// those per process).
#ifndef GORT_RT_STACK_H_
#define GORT_RT_STACK_H_

#include "include/gort/rt/runtime2.h"
#include "include/gort/rt/types.h"

namespace gort::rt {

// The usable size of every goroutine stack in this runtime (set by Run).
extern uintptr stackSize;
inline constexpr uintptr kStackGuard = 4096;  // one inaccessible page below

// Returns [lo, hi) of a stack of stackSize usable bytes; reuses a cached
// one when it can. Thread-safe.
stack stackalloc();
// Returns a stack to the cache (its memory given back to the OS).
void stackfree(stack s);
// Unmaps every cached stack (runtime teardown).
void stackcacherelease();

// If addr lies in the guard page of a goroutine stack, returns that g's
// usable stack size, else 0 (used by the SIGSEGV handler).
bool isStackGuardAddress(uintptr addr);

// Prepares gp's stack so that gort_gogo(gp->sched.sp) starts running
// fn(gp) on it (Go: gostartcall).
void gostartcall(g* gp, void (*fn)(g*));

}  // namespace gort::rt

#endif  // GORT_RT_STACK_H_
