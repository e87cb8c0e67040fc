// KATA — chapter 05: Go's channels, from makechan to close.
//
// Read chapters/05_channels/README.md one step at a time and replace each
// GORT_KATA_TODO line with your implementation. Check your work with
//   bazel test //chapters/05_channels:kata     (or ./kata test 05)
// The Go original is src/runtime/chan.go. The structs, invariants and
// contracts are in include/gort/rt/chan.h (read its header comment first).
// Helpers you will want:
//   chanbuf, chanmove, hchanSize, maxAlign (chan.h); typedmemclr
//   (mbarrier.h); mallocgc, maxAlloc (malloc.h, sizeclasses.h);
//   acquireSudog, releaseSudog, getg, gQueue (runtime2.h); gopark, goready
//   (proc.h); lock, unlock (lock.h); panicError, plainError, throw_
//   (error.h).
// Rules that the tests check: never goready while holding c->lock (unlock
// first); park with gopark(unlockf, &c->lock, reason) so the lock is
// released only once the goroutine is parked; write qcount and closed
// through their atomics.
#include <memory>

#include "include/gort/rt/chan.h"
#include "include/gort/rt/error.h"
#include "include/gort/rt/kata.h"
#include "include/gort/rt/malloc.h"
#include "include/gort/rt/mbarrier.h"
#include "include/gort/rt/proc.h"
#include "include/gort/rt/runtime2.h"
#include "include/gort/rt/sizeclasses.h"

namespace gort::rt {

// ---------------------------------------------------------------------------
// Step 1: makechan.

// Check the element (size < 64 KiB, align <= maxAlign: throw_), compute
// size * elem->size without overflow and check it (plainError "makechan:
// size out of range"), then pick one of Go's three allocations. Construct
// the hchan with placement new on the mallocgc block.
hchan* makechan(const Type* /*elem*/, intgo /*size*/) {
  GORT_KATA_TODO("makechan", "chapters/05_channels/README.md#step-1-makechan");
}

// len(c): qcount (0 for nil).
intgo chanlen(hchan* /*c*/) {
  GORT_KATA_TODO("chanlen", "chapters/05_channels/README.md#step-1-makechan");
}

// cap(c): dataqsiz (0 for nil).
intgo chancap(hchan* /*c*/) {
  GORT_KATA_TODO("chancap", "chapters/05_channels/README.md#step-1-makechan");
}

// ---------------------------------------------------------------------------
// Step 2: waitq.

// Append at the tail; keep first, last, next and prev consistent.
void waitq::enqueue(sudog* /*sgp*/) {
  GORT_KATA_TODO("waitq::enqueue", "chapters/05_channels/README.md#step-2-waitq");
}

// Pop the head. A select's sudog (isSelect) counts only if this call wins
// g_->selectDone from 0 to 1; otherwise drop it and try the next.
sudog* waitq::dequeue() {
  GORT_KATA_TODO("waitq::dequeue", "chapters/05_channels/README.md#step-2-waitq");
}

// ---------------------------------------------------------------------------
// Step 3: chansend.

// Would a send block? Unbuffered: no receiver waiting. Buffered: qcount ==
// dataqsiz. No lock.
bool full(hchan* /*c*/) {
  GORT_KATA_TODO("full", "chapters/05_channels/README.md#step-3-chansend");
}

// nil channel; the lock-free fast path; closed; a waiting receiver; room
// in the buffer; not blocking; park on sendq (then: success or closed?).
bool chansend(hchan* /*c*/, void* /*ep*/, bool /*block*/) {
  GORT_KATA_TODO("chansend", "chapters/05_channels/README.md#step-3-chansend");
}

// Move the value into the receiver (if it wants one), unlockf(arg), then
// param, success and goready.
void send(hchan* /*c*/, sudog* /*sg*/, void* /*ep*/, void (*/*unlockf*/)(void*), void* /*arg*/) {
  GORT_KATA_TODO("send", "chapters/05_channels/README.md#step-3-chansend");
}

void sendDirect(const Type* /*t*/, sudog* /*sg*/, void* /*src*/) {
  GORT_KATA_TODO("sendDirect", "chapters/05_channels/README.md#step-3-chansend");
}

bool selectnbsend(hchan* /*c*/, void* /*elem*/) {
  GORT_KATA_TODO("selectnbsend", "chapters/05_channels/README.md#step-3-chansend");
}

// ---------------------------------------------------------------------------
// Step 4: chanrecv.

// Would a receive block? Unbuffered: no sender waiting. Buffered: qcount ==
// 0. No lock.
bool empty(hchan* /*c*/) {
  GORT_KATA_TODO("empty", "chapters/05_channels/README.md#step-4-chanrecv");
}

// nil channel; the fast path (empty, then closed, then empty again);
// closed and drained; a waiting sender; the buffer; not blocking; park on
// recvq.
recvResult chanrecv(hchan* /*c*/, void* /*ep*/, bool /*block*/) {
  GORT_KATA_TODO("chanrecv", "chapters/05_channels/README.md#step-4-chanrecv");
}

// Unbuffered: straight from the sender. Buffered (so full): the head to
// the receiver, the sender's value to the same slot, advance recvx and set
// sendx = recvx. Then unlockf(arg), param, success, goready.
void recv(hchan* /*c*/, sudog* /*sg*/, void* /*ep*/, void (*/*unlockf*/)(void*), void* /*arg*/) {
  GORT_KATA_TODO("recv", "chapters/05_channels/README.md#step-4-chanrecv");
}

void recvDirect(const Type* /*t*/, sudog* /*sg*/, void* /*dst*/) {
  GORT_KATA_TODO("recvDirect", "chapters/05_channels/README.md#step-4-chanrecv");
}

recvResult selectnbrecv(void* /*elem*/, hchan* /*c*/) {
  GORT_KATA_TODO("selectnbrecv", "chapters/05_channels/README.md#step-4-chanrecv");
}

// ---------------------------------------------------------------------------
// Step 5: closechan.

// Panics for nil and closed; set closed; collect every receiver (zero
// value, success = false) and every sender (success = false) on a gQueue
// with push (a stack, as Go's gList); unlock; then goready them all.
void closechan(hchan* /*c*/) {
  GORT_KATA_TODO("closechan", "chapters/05_channels/README.md#step-5-closechan");
}

}  // namespace gort::rt
