// Channels: makechan, chansend, chanrecv, closechan and their helpers.
//
// Mirrors Go 1.19 src/runtime/chan.go. Chapter 05, steps 1-5.
//
// One lock per channel guards everything. A blocked goroutine waits in a
// sudog on the channel's recvq or sendq, with sudog::elem pointing at its
// own variable (on its stack): whoever completes the operation moves the
// value straight between the two goroutines' variables, unlocks, and only
// then readies the sleeper, into its own p's runnext. The non-blocking
// fast paths decide "would block" without the lock, reading qcount,
// closed and the queue heads atomically.
#include <cstring>
#include <memory>

#include "include/gort/rt/chan.h"
#include "include/gort/rt/error.h"
#include "include/gort/rt/malloc.h"
#include "include/gort/rt/mbarrier.h"
#include "include/gort/rt/proc.h"
#include "include/gort/rt/runtime2.h"
#include "include/gort/rt/sizeclasses.h"

namespace gort::rt {
namespace {

void unlockChan(void* c) { unlock(&static_cast<hchan*>(c)->lock); }

// chanparkcommit runs on g0 once the g is parked: only now may another
// goroutine find its sudog and ready it, so only now is the lock released.
bool chanparkcommit(g* /*gp*/, void* chanLock) {
  unlock(static_cast<mutex*>(chanLock));
  return true;
}

const std::shared_ptr<const error>& sendOnClosed() {
  static const auto* err = new std::shared_ptr<const error>(
      std::make_shared<plainError>("send on closed channel"));
  return *err;
}

}  // namespace

// ---- step 1 ------------------------------------------------------------

hchan* makechan(const Type* elem, intgo size) {
  // The compiler checks this, but be safe.
  if (elem->size >= (uintptr{1} << 16)) throw_("makechan: invalid channel element type");
  if (hchanSize % maxAlign != 0 || elem->align > maxAlign) throw_("makechan: bad alignment");

  const unsigned __int128 wide =
      static_cast<unsigned __int128>(elem->size) * static_cast<std::uint64_t>(size);
  const bool overflow = size >= 0 && wide > static_cast<unsigned __int128>(~uintptr{0});
  const uintptr mem = static_cast<uintptr>(wide);
  if (overflow || mem > maxAlloc - hchanSize || size < 0) {
    panicError(std::make_shared<plainError>("makechan: size out of range"));
  }

  hchan* c;
  if (mem == 0) {
    // Queue or element size is zero: the hchan alone.
    c = ::new (mallocgc(hchanSize, nullptr, true)) hchan;
    c->buf = c;  // Go points buf at the hchan itself (the race address)
  } else if (elem->ptrdata == 0 && elem->trivial) {
    // Elements do not contain pointers: hchan and buf in one block.
    void* block = mallocgc(hchanSize + mem, nullptr, true);
    c = ::new (block) hchan;
    c->buf = static_cast<char*>(block) + hchanSize;
  } else {
    // Elements contain pointers (or are C++ objects): buf is a separate
    // block of zero values of elem.
    c = ::new (mallocgc(hchanSize, nullptr, true)) hchan;
    c->buf = mallocgc(mem, elem, true);
  }
  c->elemsize = static_cast<std::uint16_t>(elem->size);
  c->elemtype = elem;
  c->dataqsiz = static_cast<uintgo>(size);
  return c;
}

intgo chanlen(hchan* c) {
  if (c == nullptr) return 0;
  return static_cast<intgo>(c->qcount.load(std::memory_order_relaxed));
}

intgo chancap(hchan* c) {
  if (c == nullptr) return 0;
  return static_cast<intgo>(c->dataqsiz);
}

// ---- step 2 ------------------------------------------------------------

void waitq::enqueue(sudog* sgp) {
  sgp->next = nullptr;
  sudog* x = last;
  if (x == nullptr) {
    sgp->prev = nullptr;
    first.store(sgp, std::memory_order_relaxed);
    last = sgp;
    return;
  }
  sgp->prev = x;
  x->next = sgp;
  last = sgp;
}

sudog* waitq::dequeue() {
  for (;;) {
    sudog* sgp = first.load(std::memory_order_relaxed);
    if (sgp == nullptr) return nullptr;
    sudog* y = sgp->next;
    if (y == nullptr) {
      first.store(nullptr, std::memory_order_relaxed);
      last = nullptr;
    } else {
      y->prev = nullptr;
      first.store(y, std::memory_order_relaxed);
      sgp->next = nullptr;  // mark as removed (see dequeueSudoG)
    }

    // A goroutine in a select has a sudog on several channels. Another
    // case may already have won it (and the goroutine is about to dequeue
    // this sudog in pass 3, waiting for this channel's lock). Whoever flips
    // g.selectDone from 0 to 1 owns the wake-up; the losers skip.
    if (sgp->isSelect) {
      std::uint32_t zero = 0;
      if (!sgp->g_->selectDone.compare_exchange_strong(zero, 1)) continue;
    }
    return sgp;
  }
}

// ---- step 3 ------------------------------------------------------------

bool full(hchan* c) {
  // c->dataqsiz is immutable (never written after makechan), so it is safe
  // to read at any time.
  if (c->dataqsiz == 0) {
    // Assumes that a pointer read is relaxed-atomic.
    return c->recvq.first.load(std::memory_order_relaxed) == nullptr;
  }
  return c->qcount.load(std::memory_order_relaxed) == c->dataqsiz;
}

bool chansend(hchan* c, void* ep, bool block) {
  if (c == nullptr) {
    if (!block) return false;
    gopark(nullptr, nullptr, waitReason::waitReasonChanSendNilChan);
    throw_("unreachable");
  }

  // Fast path: a failed non-blocking operation, decided without the lock.
  // Go's argument: each read is a single word. If the channel is not
  // closed and looks full, then at the moment closed was read it was open,
  // and at the moment full() looked it was full; a closed channel never
  // reopens, so there was an instant when both held, and reporting "would
  // block" is consistent with that instant.
  if (!block && c->closed.load(std::memory_order_relaxed) == 0 && full(c)) return false;

  lock(&c->lock);

  if (c->closed.load(std::memory_order_relaxed) != 0) {
    unlock(&c->lock);
    panicError(sendOnClosed());
  }

  if (sudog* sg = c->recvq.dequeue()) {
    // Found a waiting receiver. Pass the value straight to it, bypassing
    // the buffer (if any).
    send(c, sg, ep, &unlockChan, c);
    return true;
  }

  if (c->qcount.load(std::memory_order_relaxed) < c->dataqsiz) {
    // Space is available in the channel buffer. Enqueue the element.
    void* qp = chanbuf(c, c->sendx);
    chanmove(c->elemtype, qp, ep);
    c->sendx++;
    if (c->sendx == c->dataqsiz) c->sendx = 0;
    c->qcount.fetch_add(1, std::memory_order_relaxed);
    unlock(&c->lock);
    return true;
  }

  if (!block) {
    unlock(&c->lock);
    return false;
  }

  // Block on the channel. Some receiver will complete the operation for us.
  g* gp = getg();
  sudog* mysg = acquireSudog();
  mysg->releasetime = 0;
  // No stack splits between assigning elem and enqueuing mysg on
  // gp->waiting where copystack can find it.
  mysg->elem = ep;
  mysg->waitlink = nullptr;
  mysg->g_ = gp;
  mysg->isSelect = false;
  mysg->c = c;
  gp->waiting = mysg;
  gp->param = nullptr;
  c->sendq.enqueue(mysg);
  gopark(&chanparkcommit, &c->lock, waitReason::waitReasonChanSend);

  // Someone woke us up.
  gp = getg();
  if (mysg != gp->waiting) throw_("G waiting list is corrupted");
  gp->waiting = nullptr;
  const bool closed = !mysg->success;
  gp->param = nullptr;
  mysg->c = nullptr;
  releaseSudog(mysg);
  if (closed) {
    if (c->closed.load(std::memory_order_relaxed) == 0) throw_("chansend: spurious wakeup");
    panicError(sendOnClosed());
  }
  return true;
}

void send(hchan* c, sudog* sg, void* ep, void (*unlockf)(void*), void* arg) {
  if (sg->elem != nullptr) {
    sendDirect(c->elemtype, sg, ep);
    sg->elem = nullptr;
  }
  g* gp = sg->g_;
  unlockf(arg);
  gp->param = sg;
  sg->success = true;
  goready(gp);
}

void sendDirect(const Type* t, sudog* sg, void* src) {
  // src is on our stack, dst is a slot on another goroutine's stack. Go
  // must take care of GC write barriers and stack copying here; gort's
  // stacks never move.
  chanmove(t, sg->elem, src);
}

bool selectnbsend(hchan* c, void* elem) { return chansend(c, elem, false); }

// ---- step 4 ------------------------------------------------------------

bool empty(hchan* c) {
  // c->dataqsiz is immutable.
  if (c->dataqsiz == 0) return c->sendq.first.load(std::memory_order_relaxed) == nullptr;
  return c->qcount.load(std::memory_order_relaxed) == 0;
}

recvResult chanrecv(hchan* c, void* ep, bool block) {
  if (c == nullptr) {
    if (!block) return {};
    gopark(nullptr, nullptr, waitReason::waitReasonChanReceiveNilChan);
    throw_("unreachable");
  }

  // Fast path: check for a failed non-blocking operation without the lock.
  if (!block && empty(c)) {
    // After observing that the channel is not ready for receiving, we
    // observe whether it is closed. The order matters: the channel was
    // empty and open at the first read only if it is still open now, since
    // a closed channel cannot reopen (TestNonblockRecvRace).
    if (c->closed.load(std::memory_order_acquire) == 0) return {};
    // The channel is irreversibly closed. Re-check for data that may have
    // arrived between the empty check and the closed check.
    if (empty(c)) {
      if (ep != nullptr) typedmemclr(c->elemtype, ep);
      return {true, false};
    }
  }

  lock(&c->lock);

  if (c->closed.load(std::memory_order_relaxed) != 0) {
    if (c->qcount.load(std::memory_order_relaxed) == 0) {
      unlock(&c->lock);
      if (ep != nullptr) typedmemclr(c->elemtype, ep);
      return {true, false};
    }
    // The channel is closed but its buffer still has data: fall through.
  } else if (sudog* sg = c->sendq.dequeue()) {
    // Found a waiting sender. If the buffer is size 0, receive the value
    // directly from the sender. Otherwise, receive from the head of the
    // queue and add the sender's value to the tail of the queue (both map
    // to the same buffer slot because the queue is full).
    recv(c, sg, ep, &unlockChan, c);
    return {true, true};
  }

  if (c->qcount.load(std::memory_order_relaxed) > 0) {
    // Receive directly from the queue.
    void* qp = chanbuf(c, c->recvx);
    if (ep != nullptr) chanmove(c->elemtype, ep, qp);
    typedmemclr(c->elemtype, qp);
    c->recvx++;
    if (c->recvx == c->dataqsiz) c->recvx = 0;
    c->qcount.fetch_sub(1, std::memory_order_relaxed);
    unlock(&c->lock);
    return {true, true};
  }

  if (!block) {
    unlock(&c->lock);
    return {};
  }

  // No sender available: block on this channel.
  g* gp = getg();
  sudog* mysg = acquireSudog();
  mysg->releasetime = 0;
  mysg->elem = ep;
  mysg->waitlink = nullptr;
  gp->waiting = mysg;
  mysg->g_ = gp;
  mysg->isSelect = false;
  mysg->c = c;
  gp->param = nullptr;
  c->recvq.enqueue(mysg);
  gopark(&chanparkcommit, &c->lock, waitReason::waitReasonChanReceive);

  // Someone woke us up.
  gp = getg();
  if (mysg != gp->waiting) throw_("G waiting list is corrupted");
  gp->waiting = nullptr;
  const bool success = mysg->success;
  gp->param = nullptr;
  mysg->c = nullptr;
  releaseSudog(mysg);
  return {true, success};
}

void recv(hchan* c, sudog* sg, void* ep, void (*unlockf)(void*), void* arg) {
  if (c->dataqsiz == 0) {
    if (ep != nullptr) {
      // Move the value straight from the sender.
      recvDirect(c->elemtype, sg, ep);
    }
  } else {
    // The queue is full. Take the item at the head of the queue. Make the
    // sender enqueue its item at the tail of the queue. Since the queue is
    // full, those are both the same slot.
    void* qp = chanbuf(c, c->recvx);
    // Move the value from the queue to the receiver.
    if (ep != nullptr) chanmove(c->elemtype, ep, qp);
    // Move the value from the sender to the queue.
    chanmove(c->elemtype, qp, sg->elem);
    c->recvx++;
    if (c->recvx == c->dataqsiz) c->recvx = 0;
    c->sendx = c->recvx;  // c->sendx = (c->sendx+1) % c->dataqsiz
  }
  sg->elem = nullptr;
  g* gp = sg->g_;
  unlockf(arg);
  gp->param = sg;
  sg->success = true;
  goready(gp);
}

void recvDirect(const Type* t, sudog* sg, void* dst) {
  // dst is on our stack or the heap, src is on another goroutine's stack.
  chanmove(t, dst, sg->elem);
}

recvResult selectnbrecv(void* elem, hchan* c) { return chanrecv(c, elem, false); }

// ---- step 5 ------------------------------------------------------------

void closechan(hchan* c) {
  if (c == nullptr) panicError(std::make_shared<plainError>("close of nil channel"));

  lock(&c->lock);
  if (c->closed.load(std::memory_order_relaxed) != 0) {
    unlock(&c->lock);
    panicError(std::make_shared<plainError>("close of closed channel"));
  }
  c->closed.store(1, std::memory_order_release);

  gQueue glist;

  // Release all readers: each gets the zero value and ok == false.
  while (sudog* sg = c->recvq.dequeue()) {
    if (sg->elem != nullptr) {
      typedmemclr(c->elemtype, sg->elem);
      sg->elem = nullptr;
    }
    g* gp = sg->g_;
    gp->param = sg;
    sg->success = false;
    glist.push(gp);  // gList.push: to the head, as Go
  }

  // Release all writers (they will panic).
  while (sudog* sg = c->sendq.dequeue()) {
    sg->elem = nullptr;
    g* gp = sg->g_;
    gp->param = sg;
    sg->success = false;
    glist.push(gp);  // gList.push: to the head, as Go
  }
  unlock(&c->lock);

  // Ready all gs now that we've dropped the channel lock.
  while (!glist.empty()) {
    g* gp = glist.pop();
    gp->schedlink = nullptr;
    goready(gp);
  }
}

}  // namespace gort::rt
