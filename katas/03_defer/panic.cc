// KATA — chapter 03: defer, panic and recover, on the goroutine.
//
// Read chapters/03_defer/README.md one step at a time and replace each
// GORT_KATA_TODO line with your implementation. Check your work with
//   bazel test //chapters/03_defer:kata     (or ./kata test 03)
// The Go original is src/runtime/panic.go (Go 1.19). The structs and the
// contracts are in include/gort/rt/panic.h: read its header comment first,
// the invariants of g._defer and g._panic are what the tests check. The
// typed side (gort::Func, Frame::defer/Return, gort::panic, gort::recover)
// is include/gort/defer.h: it calls these functions the way the Go
// compiler does.
// Helpers you will want: getg, acquirem/releasem, sched, p::deferpoolbuf
// and p::ndeferpool (runtime2.h); lock/unlock (lock.h); throw_ (error.h);
// goexit1 (sched_internal.h); fatalpanic (panic.h: prints printpanics'
// text and exits 2); any::Print (any.h).
#include "include/gort/rt/error.h"
#include "include/gort/rt/kata.h"
#include "include/gort/rt/lock.h"
#include "include/gort/rt/panic.h"
#include "include/gort/rt/runtime2.h"
#include "include/gort/rt/sched_internal.h"

namespace gort::rt {

// ---- Step 1: the deferpool ---------------------------------------------

// A clean record: pop the current p's pool (pin the m while you touch the
// p); if it is empty, first refill it with up to half its capacity from
// sched.deferpool (under sched.deferlock); if that is empty too, new one.
// Set heap.
_defer* newdefer() {
  GORT_KATA_TODO("newdefer", "chapters/03_defer/README.md#step-1-the-deferpool");
}

// Check d has no _panic and no fn (throw_ otherwise, with Go's texts), then
// push it on the current p's pool; a full pool first moves half of its
// records to sched.deferpool. Reset the fields a reuse must not see.
void freedefer(_defer* /*d*/) {
  GORT_KATA_TODO("freedefer", "chapters/03_defer/README.md#step-1-the-deferpool");
}

// ---- Step 2: defer and the three-step return ----------------------------

// Link d at the head of the current g's _defer chain, naming frame sp.
void deferproc(_defer* /*d*/, uintptr /*sp*/) {
  GORT_KATA_TODO("deferproc", "chapters/03_defer/README.md#step-2-defer-and-the-three-step-return");
}

// The same for a record that lives in the frame (Go: deferprocStack): it
// is not from the pool, so mark it heap = false (freedefer then leaves it
// alone), and clear started, openDefer and _panic first.
void deferprocStack(_defer* /*d*/, uintptr /*sp*/) {
  GORT_KATA_TODO("deferprocStack", "chapters/03_defer/README.md#step-2-defer-and-the-three-step-return");
}

// Run every record of frame sp at the head of the chain, newest first:
// unlink it, clear d->fn, then call the fn you took from it.
void deferreturn(uintptr /*sp*/) {
  GORT_KATA_TODO("deferreturn", "chapters/03_defer/README.md#step-2-defer-and-the-three-step-return");
}

// Called by the trampoline of d just before the deferred function runs.
// If a panic (or Goexit) runs d, record frame as its argp; otherwise
// (deferreturn) d is done with: free it.
void deferCallStart(_defer* /*d*/, uintptr /*frame*/) {
  GORT_KATA_TODO("deferCallStart", "chapters/03_defer/README.md#step-2-defer-and-the-three-step-return");
}

// ---- Step 3: panic and recover -------------------------------------------

// Go's gopanic loop: push a _panic; for each record on the chain: drop
// records an earlier panic started (mark that panic aborted), else mark it
// started, attach this panic, run it, unlink and free it; if it recovered,
// pop this panic (and aborted ones), run the frame's remaining deferred
// calls and throw recoveryUnwind{sp}. (A recovered panic under an aborted
// Goexit throws goexitRecovery instead.) Nothing recovered: fatalpanic.
// Not on a goroutine (getg() is null or g0): throw rt::Panic.
void gopanic(any /*e*/) {
  GORT_KATA_TODO("gopanic", "chapters/03_defer/README.md#step-3-panic-and-recover");
}

// Go's gorecover: the newest panic's value, if it is not Goexit, not
// recovered yet, and argp is the frame its current deferred call recorded.
any gorecover(uintptr /*argp*/) {
  GORT_KATA_TODO("gorecover", "chapters/03_defer/README.md#step-3-panic-and-recover");
}

// ---- Step 4: Goexit and the end of a panic ----------------------------------

// Like gopanic's loop with a goexit _panic, catching goexitRecovery for
// this _panic around each call and continuing when it was aborted; then
// goexit1().
void Goexit() {
  GORT_KATA_TODO("Goexit", "chapters/03_defer/README.md#step-4-goexit-and-printing-the-chain");
}

// The chain, oldest first: "panic: <value>[ [recovered]]\n", a tab before
// each panic that follows a non-Goexit one, nothing for Goexits.
std::string printpanics(const _panic* /*p*/) {
  GORT_KATA_TODO("printpanics", "chapters/03_defer/README.md#step-4-goexit-and-printing-the-chain");
}

}  // namespace gort::rt
