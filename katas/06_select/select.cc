// KATA — chapter 06: Go's select statement, selectgo and its three passes.
//
// Read chapters/06_select/README.md one step at a time and replace each
// GORT_KATA_TODO line with your implementation. Check your work with
//   bazel test //chapters/06_select:kata     (or ./kata test 06)
// The Go original is src/runtime/select.go. The structs and contracts are
// in include/gort/rt/chan.h (scase, selectorder, sellock, selectgo).
// Chapter 05's functions are yours to call: send, recv, waitq::dequeue,
// chanbuf, chanmove. Other helpers: typedmemclr (mbarrier.h); fastrandn
// (fastrand.h); acquireSudog, releaseSudog, getg (runtime2.h); gopark
// (proc.h); lock, unlock (lock.h); panicError, plainError, throw_ (error.h).
#include <cstdint>
#include <utility>

#include "include/gort/rt/chan.h"
#include "include/gort/rt/error.h"
#include "include/gort/rt/fastrand.h"
#include "include/gort/rt/kata.h"
#include "include/gort/rt/mbarrier.h"
#include "include/gort/rt/proc.h"
#include "include/gort/rt/runtime2.h"

namespace gort::rt {

// ---------------------------------------------------------------------------
// Step 1: the poll order and the lock order.

// Skip cases without a channel. Build pollorder by an inside-out shuffle
// (fastrandn(norder + 1)), then lockorder by a heap sort on channel
// addresses, seeded in poll order. Return norder.
int selectorder(scase* /*scases*/, int /*ncases*/, std::uint16_t* /*pollorder*/,
                std::uint16_t* /*lockorder*/) {
  GORT_KATA_TODO("selectorder", "chapters/06_select/README.md#step-1-poll-order-and-lock-order");
}

// ---------------------------------------------------------------------------
// Step 2: locking, and leaving a queue from anywhere.

// Lock each distinct channel once, in lockorder (duplicates are adjacent).
void sellock(scase* /*scases*/, const std::uint16_t* /*lockorder*/, int /*n*/) {
  GORT_KATA_TODO("sellock", "chapters/06_select/README.md#step-2-sellock-and-dequeuesudog");
}

// Unlock in reverse order, each channel once; never touch scases after the
// last unlock.
void selunlock(scase* /*scases*/, const std::uint16_t* /*lockorder*/, int /*n*/) {
  GORT_KATA_TODO("selunlock", "chapters/06_select/README.md#step-2-sellock-and-dequeuesudog");
}

// Unlink sgp: middle, tail, head, or alone — or already gone (then
// first != sgp and nothing changes).
void waitq::dequeueSudoG(sudog* /*sgp*/) {
  GORT_KATA_TODO("waitq::dequeueSudoG",
                 "chapters/06_select/README.md#step-2-sellock-and-dequeuesudog");
}

// ---------------------------------------------------------------------------
// Step 3: selectgo.

// selectorder; sellock; pass 1 in poll order (receive: sender waiting,
// buffer, closed; send: closed -> panic, receiver waiting, room); no block
// -> -1; pass 2: one sudog per case in lock order, linked on g->waiting,
// gopark with an unlock function that walks g->waiting; pass 3: sellock
// again, selectDone = 0, find the sudog in g->param, dequeueSudoG the
// others, release every sudog.
std::pair<int, bool> selectgo(scase* /*cas0*/, std::uint16_t* /*order0*/, int /*nsends*/,
                              int /*nrecvs*/, bool /*block*/) {
  GORT_KATA_TODO("selectgo", "chapters/06_select/README.md#step-3-selectgo");
}

// select {}: park forever with waitReasonSelectNoCases.
void block() {
  GORT_KATA_TODO("block", "chapters/06_select/README.md#step-3-selectgo");
}

}  // namespace gort::rt
