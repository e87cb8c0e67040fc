// select: selectgo with its poll order, lock order and three passes.
//
// Mirrors Go 1.19 src/runtime/select.go. Chapter 06, steps 1-3.
//
// A select locks every channel it names (each once, in address order, so
// two selects over the same channels cannot deadlock), then:
//   pass 1 looks, in a random order, for a case that can proceed now;
//   pass 2 (nothing ready, no default) queues one sudog per case, all
//          pointing at this g, and parks;
//   pass 3 runs after the wake-up: the waker already dequeued the sudog of
//          the case that fired (and won g.selectDone); the select takes its
//          locks again and removes its sudogs from all the other channels.
#include <cstdint>
#include <cstring>
#include <memory>

#include "include/gort/rt/chan.h"
#include "include/gort/rt/error.h"
#include "include/gort/rt/fastrand.h"
#include "include/gort/rt/mbarrier.h"
#include "include/gort/rt/proc.h"
#include "include/gort/rt/runtime2.h"

namespace gort::rt {
namespace {

uintptr sortkey(const hchan* c) { return reinterpret_cast<uintptr>(c); }

// The unlock callback for send/recv: releases every lock of the select.
struct selUnlockArg {
  scase* scases;
  const std::uint16_t* lockorder;
  int n;
};

void selunlockf(void* arg) {
  auto* a = static_cast<selUnlockArg*>(arg);
  selunlock(a->scases, a->lockorder, a->n);
}

bool selparkcommit(g* gp, void* /*unused*/) {
  // This must not touch gp's stack (the select's locals): once the first
  // lock is released, gp may be readied and run elsewhere. gp->waiting
  // lists the sudogs in lock order, so the channels can be unlocked from
  // there, each once.
  hchan* lastc = nullptr;
  for (sudog* sg = gp->waiting; sg != nullptr; sg = sg->waitlink) {
    if (sg->c != lastc && lastc != nullptr) {
      // As soon as we unlock the channel, fields in any sudog with that
      // channel may change, including c and waitlink. Since several sudogs
      // may share a channel, unlock only after passing its last one.
      unlock(&lastc->lock);
    }
    lastc = sg->c;
  }
  if (lastc != nullptr) unlock(&lastc->lock);
  return true;
}

[[noreturn]] void panicSendOnClosed() {
  panicError(std::make_shared<plainError>("send on closed channel"));
}

}  // namespace

// ---- step 1 ------------------------------------------------------------

int selectorder(scase* scases, int ncases, std::uint16_t* pollorder, std::uint16_t* lockorder) {
  // Generate the permuted order (inside-out Fisher-Yates), omitting cases
  // without channels.
  int norder = 0;
  for (int i = 0; i < ncases; ++i) {
    scase* cas = &scases[i];
    if (cas->c == nullptr) {
      cas->elem = nullptr;  // allow GC
      continue;
    }
    const std::uint32_t j = fastrandn(static_cast<std::uint32_t>(norder + 1));
    pollorder[norder] = pollorder[j];
    pollorder[j] = static_cast<std::uint16_t>(i);
    norder++;
  }

  // Sort the cases by hchan address to get the locking order. A simple
  // heap sort, to guarantee n log n time and constant stack footprint.
  for (int i = 0; i < norder; ++i) {
    int j = i;
    // Start with the pollorder to permute cases on the same channel.
    hchan* c = scases[pollorder[i]].c;
    while (j > 0 && sortkey(scases[lockorder[(j - 1) / 2]].c) < sortkey(c)) {
      const int k = (j - 1) / 2;
      lockorder[j] = lockorder[k];
      j = k;
    }
    lockorder[j] = pollorder[i];
  }
  for (int i = norder - 1; i >= 0; --i) {
    const std::uint16_t o = lockorder[i];
    hchan* c = scases[o].c;
    lockorder[i] = lockorder[0];
    int j = 0;
    for (;;) {
      int k = j * 2 + 1;
      if (k >= i) break;
      if (k + 1 < i && sortkey(scases[lockorder[k]].c) < sortkey(scases[lockorder[k + 1]].c)) k++;
      if (sortkey(c) < sortkey(scases[lockorder[k]].c)) {
        lockorder[j] = lockorder[k];
        j = k;
        continue;
      }
      break;
    }
    lockorder[j] = o;
  }
  return norder;
}

// ---- step 2 ------------------------------------------------------------

void sellock(scase* scases, const std::uint16_t* lockorder, int n) {
  hchan* c = nullptr;
  for (int i = 0; i < n; ++i) {
    hchan* c0 = scases[lockorder[i]].c;
    if (c0 != c) {
      c = c0;
      lock(&c->lock);
    }
  }
}

void selunlock(scase* scases, const std::uint16_t* lockorder, int n) {
  // Be careful not to touch scases after unlocking the last lock: the
  // selecting goroutine may be readied by then and its frame (which holds
  // scases) gone.
  for (int i = n - 1; i >= 0; --i) {
    hchan* c = scases[lockorder[i]].c;
    if (i > 0 && c == scases[lockorder[i - 1]].c) continue;  // unlock it on the next iteration
    unlock(&c->lock);
  }
}

void waitq::dequeueSudoG(sudog* sgp) {
  sudog* x = sgp->prev;
  sudog* y = sgp->next;
  if (x != nullptr) {
    if (y != nullptr) {
      // Middle of the queue.
      x->next = y;
      y->prev = x;
      sgp->next = nullptr;
      sgp->prev = nullptr;
      return;
    }
    // End of the queue.
    x->next = nullptr;
    last = x;
    sgp->prev = nullptr;
    return;
  }
  if (y != nullptr) {
    // Start of the queue.
    y->prev = nullptr;
    first.store(y, std::memory_order_relaxed);
    sgp->next = nullptr;
    return;
  }
  // x == y == null. Either sgp is the only element in the queue, or it has
  // already been removed. Use first to tell.
  if (first.load(std::memory_order_relaxed) == sgp) {
    first.store(nullptr, std::memory_order_relaxed);
    last = nullptr;
  }
}

// ---- step 3 ------------------------------------------------------------

std::pair<int, bool> selectgo(scase* cas0, std::uint16_t* order0, int nsends, int nrecvs,
                              bool block) {
  const int ncases = nsends + nrecvs;
  scase* scases = cas0;
  std::uint16_t* pollorder = order0;
  std::uint16_t* lockorder = order0 + ncases;

  const int norder = selectorder(scases, ncases, pollorder, lockorder);

  // Lock all the channels involved in the select.
  sellock(scases, lockorder, norder);
  selUnlockArg unlockArg{scases, lockorder, norder};

  int casi = -1;
  scase* cas = nullptr;
  hchan* c = nullptr;
  sudog* sg = nullptr;

  // Pass 1: look for something already waiting, in poll order.
  for (int n = 0; n < norder; ++n) {
    casi = pollorder[n];
    cas = &scases[casi];
    c = cas->c;

    if (casi >= nsends) {
      if ((sg = c->sendq.dequeue()) != nullptr) {
        // Can receive from a sleeping sender.
        recv(c, sg, cas->elem, &selunlockf, &unlockArg);
        return {casi, true};
      }
      if (c->qcount.load(std::memory_order_relaxed) > 0) {
        // Can receive from the buffer.
        void* qp = chanbuf(c, c->recvx);
        if (cas->elem != nullptr) chanmove(c->elemtype, cas->elem, qp);
        typedmemclr(c->elemtype, qp);
        c->recvx++;
        if (c->recvx == c->dataqsiz) c->recvx = 0;
        c->qcount.fetch_sub(1, std::memory_order_relaxed);
        selunlock(scases, lockorder, norder);
        return {casi, true};
      }
      if (c->closed.load(std::memory_order_relaxed) != 0) {
        // Read at the end of a closed channel.
        selunlock(scases, lockorder, norder);
        if (cas->elem != nullptr) typedmemclr(c->elemtype, cas->elem);
        return {casi, false};
      }
    } else {
      if (c->closed.load(std::memory_order_relaxed) != 0) {
        selunlock(scases, lockorder, norder);
        panicSendOnClosed();
      }
      if ((sg = c->recvq.dequeue()) != nullptr) {
        // Can send to a sleeping receiver.
        send(c, sg, cas->elem, &selunlockf, &unlockArg);
        return {casi, false};
      }
      if (c->qcount.load(std::memory_order_relaxed) < c->dataqsiz) {
        // Can send to the buffer.
        chanmove(c->elemtype, chanbuf(c, c->sendx), cas->elem);
        c->sendx++;
        if (c->sendx == c->dataqsiz) c->sendx = 0;
        c->qcount.fetch_add(1, std::memory_order_relaxed);
        selunlock(scases, lockorder, norder);
        return {casi, false};
      }
    }
  }

  if (!block) {
    selunlock(scases, lockorder, norder);
    return {-1, false};
  }

  // Pass 2: enqueue on all channels, in lock order.
  g* gp = getg();
  if (gp->waiting != nullptr) throw_("gp.waiting != nil");
  sudog** nextp = &gp->waiting;
  for (int n = 0; n < norder; ++n) {
    casi = lockorder[n];
    cas = &scases[casi];
    c = cas->c;
    sudog* s = acquireSudog();
    s->g_ = gp;
    s->isSelect = true;
    s->elem = cas->elem;
    s->releasetime = 0;
    s->c = c;
    // Construct the waiting list in lock order.
    *nextp = s;
    nextp = &s->waitlink;
    if (casi < nsends) {
      c->sendq.enqueue(s);
    } else {
      c->recvq.enqueue(s);
    }
  }

  // Wait for someone to wake us up.
  gp->param = nullptr;
  gopark(&selparkcommit, nullptr, waitReason::waitReasonSelect);
  gp = getg();

  sellock(scases, lockorder, norder);

  gp->selectDone.store(0, std::memory_order_relaxed);
  sg = static_cast<sudog*>(gp->param);
  gp->param = nullptr;

  // Pass 3: dequeue from the unsuccessful channels, otherwise they stack
  // up on quiet channels; record the successful case. The sudogs are
  // singly linked in lock order.
  casi = -1;
  cas = nullptr;
  bool caseSuccess = false;
  sudog* sglist = gp->waiting;
  // Clear all elem before unlinking from gp->waiting.
  for (sudog* sg1 = gp->waiting; sg1 != nullptr; sg1 = sg1->waitlink) {
    sg1->isSelect = false;
    sg1->elem = nullptr;
    sg1->c = nullptr;
  }
  gp->waiting = nullptr;

  for (int n = 0; n < norder; ++n) {
    const int casei = lockorder[n];
    scase* k = &scases[casei];
    if (sg == sglist) {
      // sg has already been dequeued by the g that woke us up.
      casi = casei;
      cas = k;
      caseSuccess = sglist->success;
    } else {
      c = k->c;
      if (casei < nsends) {
        c->sendq.dequeueSudoG(sglist);
      } else {
        c->recvq.dequeueSudoG(sglist);
      }
    }
    sudog* sgnext = sglist->waitlink;
    sglist->waitlink = nullptr;
    releaseSudog(sglist);
    sglist = sgnext;
  }

  if (cas == nullptr) throw_("selectgo: bad wakeup");

  if (casi < nsends) {
    if (!caseSuccess) {
      // Woken by close: a send on a closed channel.
      selunlock(scases, lockorder, norder);
      panicSendOnClosed();
    }
    selunlock(scases, lockorder, norder);
    return {casi, false};
  }
  selunlock(scases, lockorder, norder);
  return {casi, caseSuccess};
}

void block() {
  gopark(nullptr, nullptr, waitReason::waitReasonSelectNoCases);  // forever
  throw_("unreachable");
}

}  // namespace gort::rt
