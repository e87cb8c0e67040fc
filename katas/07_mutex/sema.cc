// KATA — chapter 07, steps 1 and 2: the semaRoot treap, semacquire1 and
// semrelease1.
//
// Read chapters/07_mutex/README.md#step-1-the-treap and
// #step-2-semacquire-and-semrelease. The structs and the contracts are in
// include/gort/rt/sema.h. Mirrors Go 1.19 src/runtime/sema.go.
#include "include/gort/rt/sema.h"

#include "include/gort/rt/error.h"
#include "include/gort/rt/fastrand.h"
#include "include/gort/rt/kata.h"
#include "include/gort/rt/proc.h"
#include "include/gort/rt/runtime2.h"

namespace gort::rt {

// ---- Step 1: the treap (Step1_Treap) ----------------------------------------

// Set s's g and elem, then walk down from treap comparing addresses. If
// addr already has a node: FIFO appends s after the node's waittail; LIFO
// puts s in the node's place (copy ticket, acquiretime, parent, children,
// fix the children's parent links) and chains the old node behind it.
// Otherwise s becomes a leaf with ticket fastrand() | 1 and rotates up
// while its parent's ticket is larger.
void semaRoot::queue(std::atomic<std::uint32_t>* /*addr*/, sudog* /*s*/, bool /*lifo*/) {
  GORT_KATA_TODO("semaRoot::queue", "chapters/07_mutex/README.md#step-1-the-treap");
}

// Find addr's node. If its wait list has a next waiter, that one takes the
// node over; otherwise rotate the node down (towards the child with the
// smaller ticket) until it is a leaf, then cut it off. Clear the returned
// sudog's parent, elem, next, prev and ticket; *now = 0.
sudog* semaRoot::dequeue(std::atomic<std::uint32_t>* /*addr*/, std::int64_t* /*now*/) {
  GORT_KATA_TODO("semaRoot::dequeue", "chapters/07_mutex/README.md#step-1-the-treap");
}

// (x a (y b c)) -> (y (x a b) c); x's parent (or treap) now points to y.
void semaRoot::rotateLeft(sudog* /*x*/) {
  GORT_KATA_TODO("semaRoot::rotateLeft", "chapters/07_mutex/README.md#step-1-the-treap");
}

// (y (x a b) c) -> (x a (y b c)); y's parent (or treap) now points to x.
void semaRoot::rotateRight(sudog* /*y*/) {
  GORT_KATA_TODO("semaRoot::rotateRight", "chapters/07_mutex/README.md#step-1-the-treap");
}

// ---- Step 2: acquire and release (Step2_Sema) --------------------------------

// A CAS loop: 0 means no; otherwise try v -> v-1.
bool cansemacquire(std::atomic<std::uint32_t>* /*addr*/) {
  GORT_KATA_TODO("cansemacquire", "chapters/07_mutex/README.md#step-2-semacquire-and-semrelease");
}

// goready the sudog's g.
void readyWithTime(sudog* /*s*/, int /*traceskip*/) {
  GORT_KATA_TODO("readyWithTime", "chapters/07_mutex/README.md#step-2-semacquire-and-semrelease");
}

// Fast path: cansemacquire. Slow path: acquireSudog, then loop: lock the
// root, nwait++, try once more (undo nwait and leave if it worked), queue,
// goparkunlock(&root->lock, reason); after waking, leave if the waker
// handed the count over (ticket != 0) or cansemacquire succeeds. Finally
// releaseSudog.
void semacquire1(std::atomic<std::uint32_t>* /*addr*/, bool /*lifo*/,
                 semaProfileFlags /*profile*/, int /*skipframes*/, waitReason /*reason*/) {
  GORT_KATA_TODO("semacquire1", "chapters/07_mutex/README.md#step-2-semacquire-and-semrelease");
}

// Increment *addr first, then: no waiters (nwait == 0) -> done. Else under
// the root lock re-check nwait, dequeue, nwait--. Unlock, then (outside the
// lock) with handoff take the count for the waiter (ticket = 1), ready it,
// and after a handoff goyield unless this m holds runtime locks.
void semrelease1(std::atomic<std::uint32_t>* /*addr*/, bool /*handoff*/, int /*skipframes*/) {
  GORT_KATA_TODO("semrelease1", "chapters/07_mutex/README.md#step-2-semacquire-and-semrelease");
}

}  // namespace gort::rt
