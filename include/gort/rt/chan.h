// Channels and select: hchan, waitq, makechan, chansend, chanrecv,
// closechan, selectgo.
//
// Mirrors Go 1.19 src/runtime/chan.go (chapter 05) and src/runtime/select.go
// (chapter 06). Field and function names are Go's.
//
// Invariants (Go's, chan.go):
//   - At least one of c->sendq and c->recvq is empty, except for an
//     unbuffered channel on which a single goroutine blocks in a select
//     with both a send and a receive case on it: then both queues hold that
//     goroutine's sudogs (as many as the select has cases on c).
//   - For buffered channels, also:
//       c->qcount > 0 implies that c->recvq is empty;
//       c->qcount < c->dataqsiz implies that c->sendq is empty.
//
// Element values are moved, not copied: a send moves the value out of the
// sender's variable (into the buffer or straight into a blocked receiver's
// variable), a receive moves it out of the buffer (or out of a blocked
// sender's variable). A Go value has no "moved-from" state, so Go copies;
// for a C++ element a move gives the same observable result and lets
// move-only types (std::unique_ptr) travel through channels. A buffer slot a
// value was moved out of is reset to the zero value at once, as Go clears it
// (typedmemclr) so the collector does not keep the value alive.
#ifndef GORT_RT_CHAN_H_
#define GORT_RT_CHAN_H_

#include <atomic>
#include <cstdint>
#include <cstring>
#include <utility>

#include "include/gort/rt/lock.h"
#include "include/gort/rt/runtime2.h"
#include "include/gort/rt/type.h"
#include "include/gort/rt/types.h"

namespace gort::rt {

// maxAlign: the alignment of a channel's buffer when it shares the hchan's
// block; element types with a larger alignment are refused (Go: maxAlign).
inline constexpr uintptr maxAlign = 8;

// waitq: a FIFO of sudogs blocked on one side of a channel, doubly linked
// through sudog::next/prev. Guarded by the channel's lock, except that
// first is read without the lock by the non-blocking fast paths (Go:
// atomic.Loadp(&c.sendq.first)), hence atomic.
struct waitq {
  std::atomic<sudog*> first{nullptr};
  sudog* last = nullptr;

  // enqueue appends sgp at the tail.
  void enqueue(sudog* sgp);
  // dequeue removes and returns the head, or null when empty. A sudog of a
  // select whose goroutine was already woken by another case (it lost the
  // CAS of g.selectDone from 0 to 1) is skipped and dropped from the queue.
  // Chapter 05, step 2.
  sudog* dequeue();
  // dequeueSudoG removes sgp wherever it is, if it is still queued (select's
  // pass 3). Chapter 06, step 2.
  void dequeueSudoG(sudog* sgp);
};

// hchan: a channel. A Go `chan T` value is a pointer to one; nil is the nil
// channel.
//
// lock protects all fields of the hchan, as well as several fields of the
// sudogs blocked on this channel. Do not change another goroutine's status
// while holding it (in particular, do not goready a g): unlock first.
struct hchan {
  // Total data in the queue. Written under lock; read without it by
  // chanlen and the fast paths.
  std::atomic<uintgo> qcount{0};
  uintgo dataqsiz = 0;         // size of the circular queue (make's n)
  void* buf = nullptr;         // points to an array of dataqsiz elements
  std::uint16_t elemsize = 0;
  // Non-zero once closed. Written under lock; read without it by the fast
  // paths.
  std::atomic<std::uint32_t> closed{0};
  const Type* elemtype = nullptr;  // element type
  uintgo sendx = 0;            // send index into buf
  uintgo recvx = 0;            // receive index into buf
  waitq recvq;                 // list of recv waiters
  waitq sendq;                 // list of send waiters
  mutex lock;
};

// hchanSize: sizeof(hchan) rounded up to maxAlign, the offset of the buffer
// when it shares the hchan's block.
inline constexpr uintptr hchanSize =
    sizeof(hchan) + (static_cast<uintptr>(-static_cast<intgo>(sizeof(hchan))) & (maxAlign - 1));

// chanbuf(c, i) is a pointer to the i'th slot in the buffer.
inline void* chanbuf(hchan* c, uintgo i) {
  return static_cast<char*>(c->buf) + static_cast<uintptr>(c->elemsize) * i;
}

// chanmove moves the value at src into dst, both holding constructed values
// of t: a memmove for plain memory, t->move otherwise (gort's counterpart of
// the typedmemmove Go calls on every channel copy; see the top of this
// file). src keeps a moved-from value, which a buffer slot must then reset
// with typedmemclr.
inline void chanmove(const Type* t, void* dst, void* src) {
  if (dst == src) return;
  if (t->trivial) {
    std::memmove(dst, src, t->size);
  } else {
    t->move(dst, src, 1);
  }
}

// ---- Chapter 05, step 1: makechan ----------------------------------------

// makechan implements make(chan T, size) for the element type elem.
// Three allocations, as in Go:
//   - no buffer (size == 0 or a zero-sized element): the hchan alone;
//   - plain elements (no pointers, trivial: elem->ptrdata == 0): hchan and
//     buffer in one mallocgc block, the buffer at offset hchanSize;
//   - otherwise: the hchan, and the buffer as a separate block of zero
//     values of elem.
// Panics with plainError "makechan: size out of range" when size < 0 or
// size * elem->size overflows or exceeds maxAlloc - hchanSize. Throws
// "makechan: invalid channel element type" for elements of 64 KiB or more
// and "makechan: bad alignment" for alignment above maxAlign.
hchan* makechan(const Type* elem, intgo size);

// len(c) and cap(c); 0 for a nil channel. chanlen reads qcount without the
// lock, so a concurrent send or receive may make it stale at once.
intgo chanlen(hchan* c);
intgo chancap(hchan* c);

// ---- Chapter 05, step 3: sending -----------------------------------------

// full reports whether a send on c would block (that is, the channel is
// full). Reads without the lock, as Go does: the answer may be stale.
bool full(hchan* c);

// chansend sends the value at ep on c, moving it out of *ep.
//   - c nil: blocks forever (waitReasonChanSendNilChan), or returns false
//     when !block.
//   - !block and the channel is open and full: returns false without
//     taking the lock.
//   - closed: panics with plainError "send on closed channel".
//   - a receiver waits: the value goes straight into its variable (send),
//     and the receiver is made runnable in this p's runnext.
//   - room in the buffer: the value goes to buf[sendx].
//   - otherwise, if block, enqueues a sudog on c->sendq and parks
//     (waitReasonChanSend) until a receiver takes the value (returns true)
//     or the channel is closed (panics "send on closed channel").
// Returns whether the value was sent.
bool chansend(hchan* c, void* ep, bool block);

// send completes a send to the receiver sg, dequeued from c->recvq: moves
// *ep into sg->elem (if the receiver wants the value), calls unlockf(arg)
// to release the channel lock(s), then readies the receiver. REQUIRES: c's
// lock held (select: every involved channel's lock).
void send(hchan* c, sudog* sg, void* ep, void (*unlockf)(void*), void* arg);

// sendDirect moves the value at src into the blocked receiver's variable
// sg->elem (Go copies across goroutine stacks here).
void sendDirect(const Type* t, sudog* sg, void* src);

// chansend1 is the compiled form of `c <- v`.
inline void chansend1(hchan* c, void* elem) { chansend(c, elem, true); }

// selectnbsend is the compiled form of
//   select { case c <- v: ... default: ... }
// and returns whether the send happened.
bool selectnbsend(hchan* c, void* elem);

// ---- Chapter 05, step 4: receiving ---------------------------------------

// empty reports whether a receive from c would block (that is, the channel
// is empty). Reads without the lock, as Go does.
bool empty(hchan* c);

// The result of chanrecv: whether a case was selected (false only for a
// non-blocking receive that found nothing), and whether a value was
// received (false for the zero value of a closed channel).
struct recvResult {
  bool selected = false;
  bool received = false;
};

// chanrecv receives from c and moves the value into *ep; ep may be null
// (the value is dropped, as in `<-c`).
//   - c nil: blocks forever (waitReasonChanReceiveNilChan), or returns
//     {false, false} when !block.
//   - !block and nothing to take: {false, false} without the lock; but if
//     the channel is closed and empty, the zero value and {true, false}.
//   - closed and empty: *ep is set to the zero value; {true, false}.
//   - a sender waits (so, for a buffered channel, the buffer is full):
//     unbuffered, its value moves straight from the sender; buffered, the
//     receiver takes the head of the buffer and the sender's value goes to
//     the tail (recv). The sender is readied into runnext. {true, true}.
//   - a value in the buffer: takes buf[recvx]. {true, true}.
//   - otherwise, if block, enqueues a sudog on c->recvq and parks
//     (waitReasonChanReceive) until a sender hands over a value ({true,
//     true}) or the channel is closed ({true, false}, zero value).
recvResult chanrecv(hchan* c, void* ep, bool block);

// recv completes a receive from the sender sg, dequeued from c->sendq (see
// chanrecv), calls unlockf(arg), then readies the sender. REQUIRES: c's
// lock held.
void recv(hchan* c, sudog* sg, void* ep, void (*unlockf)(void*), void* arg);

// recvDirect moves the blocked sender's value sg->elem into dst.
void recvDirect(const Type* t, sudog* sg, void* dst);

// chanrecv1 is `v = <-c`, chanrecv2 is `v, ok = <-c` (returns ok).
inline void chanrecv1(hchan* c, void* elem) { chanrecv(c, elem, true); }
inline bool chanrecv2(hchan* c, void* elem) { return chanrecv(c, elem, true).received; }

// selectnbrecv is the compiled form of
//   select { case v, ok = <-c: ... default: ... }
recvResult selectnbrecv(void* elem, hchan* c);

// ---- Chapter 05, step 5: closing -----------------------------------------

// closechan implements close(c): panics with plainError "close of nil
// channel" or "close of closed channel"; otherwise marks c closed, gives
// every blocked receiver the zero value (success = false) and wakes every
// blocked sender (which then panics "send on closed channel"). All of them
// are readied after the lock is released.
void closechan(hchan* c);

// ---- Chapter 06: select --------------------------------------------------

// scase: one send or receive case of a select (Go: scase). elem is the
// value to send or the variable to receive into (may be null for a
// receive). A case with a nil channel is never chosen.
struct scase {
  hchan* c = nullptr;
  void* elem = nullptr;
};

// The largest number of cases of one select (Go caps it at 1 << 16 so the
// orders fit in uint16).
inline constexpr int kMaxSelectCases = 1 << 16;

// selectorder fills pollorder with a uniformly random permutation of the
// cases that have a channel (Go's "generate permuted order", an inside-out
// Fisher-Yates with fastrandn), then lockorder with the same cases sorted by
// channel address (heap sort: n log n time, constant stack). Cases on the
// same channel are adjacent in lockorder. Returns the number of cases with
// a channel (the length of both orders). Go does this inline at the top of
// selectgo; gort names it so chapter 06 can test it on its own.
// Chapter 06, step 1.
int selectorder(scase* scases, int ncases, std::uint16_t* pollorder, std::uint16_t* lockorder);

// sellock locks every channel of lockorder once (duplicates are adjacent
// and skipped); selunlock unlocks them in reverse order. Chapter 06, step 2.
void sellock(scase* scases, const std::uint16_t* lockorder, int n);
void selunlock(scase* scases, const std::uint16_t* lockorder, int n);

// selectgo implements the select statement. cas0 holds nsends send cases
// followed by nrecvs receive cases; order0 has room for 2 * ncases uint16s
// (pollorder, then lockorder). Returns the index of the chosen case (-1 when
// !block and nothing was ready: the default case) and, for a receive,
// whether a value was received (false: the channel was closed).
//   pass 1: in poll order, looks for a case that can proceed now;
//   if none and !block: returns -1;
//   pass 2: enqueues one sudog per case (in lock order, linked on
//           g->waiting) and parks (waitReasonSelect);
//   pass 3: after the wake-up, with every lock held again, dequeues the
//           sudogs of all other cases and reports the one that fired.
// A send case on a closed channel panics "send on closed channel".
// Chapter 06, step 3.
std::pair<int, bool> selectgo(scase* cas0, std::uint16_t* order0, int nsends, int nrecvs,
                              bool block);

// block is `select {}`: parks forever (waitReasonSelectNoCases).
[[noreturn]] void block();

}  // namespace gort::rt

#endif  // GORT_RT_CHAN_H_
