// notifyList: the ticket-based wait list behind sync.Cond.
//
// Mirrors Go 1.19 src/runtime/sema.go (notifyListAdd, notifyListWait,
// notifyListNotifyAll, notifyListNotifyOne). Chapter 09, step 3.
#include <cstdint>

#include "include/gort/rt/proc.h"
#include "include/gort/rt/runtime2.h"
#include "include/gort/rt/sema.h"

namespace gort::rt {

std::uint32_t notifyListAdd(notifyList* l) {
  // This may be called concurrently, for example, when called from
  // sync.Cond.Wait while holding a RWMutex in read mode. (Go's Xadd returns
  // the new value and subtracts 1; fetch_add returns the old one.)
  return l->wait.fetch_add(1);
}

void notifyListWait(notifyList* l, std::uint32_t t) {
  lock(&l->lock);

  // Return right away if this ticket has already been notified.
  if (less(t, l->notify.load())) {
    unlock(&l->lock);
    return;
  }

  // Enqueue itself.
  sudog* s = acquireSudog();
  s->g_ = getg();
  s->ticket = t;
  s->releasetime = 0;
  if (l->tail == nullptr) {
    l->head = s;
  } else {
    l->tail->next = s;
  }
  l->tail = s;
  goparkunlock(&l->lock, waitReason::waitReasonSyncCondWait);
  releaseSudog(s);
}

void notifyListNotifyAll(notifyList* l) {
  // Fast-path: if there are no new waiters since the last notification we
  // don't need to acquire the lock.
  if (l->wait.load() == l->notify.load()) return;

  // Pull the list out into a local variable, waiters will be readied
  // outside the lock.
  lock(&l->lock);
  sudog* s = l->head;
  l->head = nullptr;
  l->tail = nullptr;

  // Update the next ticket to be notified. We can set it to the current
  // value of wait because any previous waiters are already in the list or
  // will notice that they have already been notified when trying to add
  // themselves to the list.
  l->notify.store(l->wait.load());
  unlock(&l->lock);

  // Go through the local list and ready all waiters.
  while (s != nullptr) {
    sudog* next = s->next;
    s->next = nullptr;
    readyWithTime(s, 4);
    s = next;
  }
}

void notifyListNotifyOne(notifyList* l) {
  // Fast-path: if there are no new waiters since the last notification we
  // don't need to acquire the lock at all.
  if (l->wait.load() == l->notify.load()) return;

  lock(&l->lock);

  // Re-check under the lock if we need to do anything.
  std::uint32_t t = l->notify.load();
  if (t == l->wait.load()) {
    unlock(&l->lock);
    return;
  }

  // Update the next notify ticket number.
  l->notify.store(t + 1);

  // Try to find the g that needs to be notified. If it hasn't made it to
  // the list yet we won't find it, but it won't park itself once it sees
  // the new notify number.
  //
  // This scan looks linear but essentially always stops quickly. Because
  // g's queue separately from taking numbers, there may be minor
  // reorderings in the list, but we expect the g we're looking for to be
  // near the front. The g has others in front of it on the list only to
  // the extent that it lost the race, so the iteration will not be too
  // long. This applies even when the g is missing: it hasn't yet gotten to
  // sleep and has lost the race to the (few) other g's that we find on the
  // list.
  for (sudog *p = nullptr, *s = l->head; s != nullptr; p = s, s = s->next) {
    if (s->ticket == t) {
      sudog* n = s->next;
      if (p != nullptr) {
        p->next = n;
      } else {
        l->head = n;
      }
      if (n == nullptr) l->tail = p;
      unlock(&l->lock);
      s->next = nullptr;
      readyWithTime(s, 4);
      return;
    }
  }
  unlock(&l->lock);
}

}  // namespace gort::rt
