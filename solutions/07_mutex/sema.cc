// Runtime semaphores: the semaRoot treap and semacquire/semrelease.
//
// Mirrors Go 1.19 src/runtime/sema.go (semacquire1, semrelease1,
// cansemacquire, readyWithTime, semaRoot.queue/dequeue/rotateLeft/
// rotateRight). Chapter 07, steps 1 and 2. The notifyList half of sema.go
// is chapter 09's (solutions/09_waitgroup/notify_list.cc).
#include "include/gort/rt/sema.h"

#include "include/gort/rt/error.h"
#include "include/gort/rt/fastrand.h"
#include "include/gort/rt/proc.h"
#include "include/gort/rt/runtime2.h"

namespace gort::rt {

// ---- Step 1: the treap ------------------------------------------------------

void semaRoot::queue(std::atomic<std::uint32_t>* addr, sudog* s, bool lifo) {
  s->g_ = getg();
  s->elem = addr;
  s->next = nullptr;
  s->prev = nullptr;

  sudog* last = nullptr;
  sudog** pt = &treap;
  for (sudog* t = *pt; t != nullptr; t = *pt) {
    if (t->elem == addr) {
      // Already have addr in list.
      if (lifo) {
        // Substitute s in t's place in treap.
        *pt = s;
        s->ticket = t->ticket;
        s->acquiretime = t->acquiretime;
        s->parent = t->parent;
        s->prev = t->prev;
        s->next = t->next;
        if (s->prev != nullptr) s->prev->parent = s;
        if (s->next != nullptr) s->next->parent = s;
        // Add t first in s's wait list.
        s->waitlink = t;
        s->waittail = t->waittail;
        if (s->waittail == nullptr) s->waittail = t;
        t->parent = nullptr;
        t->prev = nullptr;
        t->next = nullptr;
        t->waittail = nullptr;
      } else {
        // Add s to end of t's wait list.
        if (t->waittail == nullptr) {
          t->waitlink = s;
        } else {
          t->waittail->waitlink = s;
        }
        t->waittail = s;
        s->waitlink = nullptr;
      }
      return;
    }
    last = t;
    if (reinterpret_cast<std::uintptr_t>(addr) < reinterpret_cast<std::uintptr_t>(t->elem)) {
      pt = &t->prev;
    } else {
      pt = &t->next;
    }
  }

  // Add s as new leaf in tree of unique addrs. The balanced tree is a treap
  // using ticket as the random heap priority: an inorder traversal of the
  // tree is ordered by address, and a parent's ticket is never larger than
  // its children's. Random tickets keep the expected depth O(log n)
  // (Seidel and Aragon, "Randomized Search Trees").
  //
  // s->ticket compared with zero in a couple of places, therefore set the
  // lowest bit. It will not affect treap's quality noticeably.
  s->ticket = fastrand() | 1;
  s->parent = last;
  *pt = s;

  // Rotate up into tree according to ticket (priority).
  while (s->parent != nullptr && s->parent->ticket > s->ticket) {
    if (s->parent->prev == s) {
      rotateRight(s->parent);
    } else {
      if (s->parent->next != s) throw_("semaRoot queue");
      rotateLeft(s->parent);
    }
  }
}

sudog* semaRoot::dequeue(std::atomic<std::uint32_t>* addr, std::int64_t* now) {
  *now = 0;
  sudog** ps = &treap;
  sudog* s = *ps;
  for (; s != nullptr; s = *ps) {
    if (s->elem == addr) break;
    if (reinterpret_cast<std::uintptr_t>(addr) < reinterpret_cast<std::uintptr_t>(s->elem)) {
      ps = &s->prev;
    } else {
      ps = &s->next;
    }
  }
  if (s == nullptr) return nullptr;

  // Found: s is the node of addr. (Go stamps *now with cputicks() here
  // when the mutex profile is on.)
  if (sudog* t = s->waitlink; t != nullptr) {
    // Substitute t, also waiting on addr, for s in the tree.
    *ps = t;
    t->ticket = s->ticket;
    t->parent = s->parent;
    t->prev = s->prev;
    if (t->prev != nullptr) t->prev->parent = t;
    t->next = s->next;
    if (t->next != nullptr) t->next->parent = t;
    if (t->waitlink != nullptr) {
      t->waittail = s->waittail;
    } else {
      t->waittail = nullptr;
    }
    t->acquiretime = *now;
    s->waitlink = nullptr;
    s->waittail = nullptr;
  } else {
    // Rotate s down to be leaf of tree for removal, respecting priorities.
    while (s->next != nullptr || s->prev != nullptr) {
      if (s->next == nullptr || (s->prev != nullptr && s->prev->ticket < s->next->ticket)) {
        rotateRight(s);
      } else {
        rotateLeft(s);
      }
    }
    // Remove s, now a leaf.
    if (s->parent != nullptr) {
      if (s->parent->prev == s) {
        s->parent->prev = nullptr;
      } else {
        s->parent->next = nullptr;
      }
    } else {
      treap = nullptr;
    }
  }
  s->parent = nullptr;
  s->elem = nullptr;
  s->next = nullptr;
  s->prev = nullptr;
  s->ticket = 0;
  return s;
}

// rotateLeft rotates the tree rooted at node x, turning (x a (y b c)) into
// (y (x a b) c).
void semaRoot::rotateLeft(sudog* x) {
  // p -> (x a (y b c))
  sudog* p = x->parent;
  sudog* y = x->next;
  sudog* b = y->prev;

  y->prev = x;
  x->parent = y;
  x->next = b;
  if (b != nullptr) b->parent = x;

  y->parent = p;
  if (p == nullptr) {
    treap = y;
  } else if (p->prev == x) {
    p->prev = y;
  } else {
    if (p->next != x) throw_("semaRoot rotateLeft");
    p->next = y;
  }
}

// rotateRight rotates the tree rooted at node y, turning (y (x a b) c) into
// (x a (y b c)).
void semaRoot::rotateRight(sudog* y) {
  // p -> (y (x a b) c)
  sudog* p = y->parent;
  sudog* x = y->prev;
  sudog* b = x->next;

  x->next = y;
  y->parent = x;
  y->prev = b;
  if (b != nullptr) b->parent = y;

  x->parent = p;
  if (p == nullptr) {
    treap = x;
  } else if (p->prev == y) {
    p->prev = x;
  } else {
    if (p->next != y) throw_("semaRoot rotateRight");
    p->next = x;
  }
}

// ---- Step 2: acquire and release -------------------------------------------

bool cansemacquire(std::atomic<std::uint32_t>* addr) {
  for (;;) {
    std::uint32_t v = addr->load();
    if (v == 0) return false;
    if (addr->compare_exchange_strong(v, v - 1)) return true;
  }
}

void readyWithTime(sudog* s, int /*traceskip*/) {
  // Go records s.releasetime = cputicks() here for the block profile.
  goready(s->g_);
}

void semacquire1(std::atomic<std::uint32_t>* addr, bool lifo, semaProfileFlags /*profile*/,
                 int /*skipframes*/, waitReason reason) {
  g* gp = getg();
  if (gp == nullptr || gp->m_ == nullptr || gp != gp->m_->curg.load()) {
    throw_("semacquire not on the G stack");
  }

  // Easy case.
  if (cansemacquire(addr)) return;

  // Harder case:
  //   increment waiter count
  //   try cansemacquire one more time, return if succeeded
  //   enqueue itself as a waiter
  //   sleep
  //   (waiter descriptor is dequeued by signaler)
  sudog* s = acquireSudog();
  semaRoot* root = semroot(addr);
  s->releasetime = 0;
  s->acquiretime = 0;
  s->ticket = 0;
  for (;;) {
    lock(&root->lock);
    // Add ourselves to nwait to disable "easy case" in semrelease.
    root->nwait.fetch_add(1);
    // Check cansemacquire to avoid missed wakeup.
    if (cansemacquire(addr)) {
      root->nwait.fetch_sub(1);
      unlock(&root->lock);
      break;
    }
    // Any semrelease after the cansemacquire knows we're waiting (we set
    // nwait above), so go to sleep.
    root->queue(addr, s, lifo);
    goparkunlock(&root->lock, reason);
    if (s->ticket != 0 || cansemacquire(addr)) break;
  }
  releaseSudog(s);
}

void semrelease1(std::atomic<std::uint32_t>* addr, bool handoff, int /*skipframes*/) {
  semaRoot* root = semroot(addr);
  addr->fetch_add(1);

  // Easy case: no waiters? This check must happen after the add above, to
  // avoid a missed wakeup (see loop in semacquire1).
  if (root->nwait.load() == 0) return;

  // Harder case: search for a waiter and wake it.
  lock(&root->lock);
  if (root->nwait.load() == 0) {
    // The count is already consumed by another goroutine, so no need to
    // wake up another goroutine.
    unlock(&root->lock);
    return;
  }
  std::int64_t t0 = 0;
  sudog* s = root->dequeue(addr, &t0);
  if (s != nullptr) root->nwait.fetch_sub(1);
  unlock(&root->lock);
  if (s != nullptr) {  // May be slow or even yield, so unlock first.
    if (s->ticket != 0) throw_("corrupted semaphore ticket");
    // gort: remember the handoff in a local. Go re-reads s.ticket after
    // readying s, when the woken g may already own s again; in C++ that
    // read is a data race.
    bool handedOff = handoff && cansemacquire(addr);
    if (handedOff) s->ticket = 1;
    readyWithTime(s, 5);
    if (handedOff && getm()->locks.load(std::memory_order_relaxed) == 0) {
      // Direct G handoff: readyWithTime put the waiter in runnext; yield
      // now so it runs at once (and the releaser, on the local run queue,
      // cannot be stolen and start a race for the mutex meanwhile).
      goyield();
    }
  }
}

}  // namespace gort::rt
