// The sudog caches: per-p arrays backed by a central free list.
//
// Mirrors Go 1.19 src/runtime/proc.go (acquireSudog, releaseSudog). Go
// leaves the sudogs of a destroyed p to the garbage collector; gort frees
// the caches when a program ends (gort::Run's teardown).

#include "include/gort/rt/error.h"
#include "include/gort/rt/runtime2.h"

namespace gort::rt {

sudog* acquireSudog() {
  // Delicate dance: the semaphore implementation calls acquireSudog, and
  // acquireSudog must not be preempted in between reading pp and using it.
  m* mp = acquirem();
  p* pp = mp->p_;
  if (pp->nsudog == 0) {
    lock(&sched.sudoglock);
    // First, try to grab a batch from the central cache.
    while (pp->nsudog < static_cast<std::int32_t>(pp->sudogbuf.size() / 2) &&
           sched.sudogcache != nullptr) {
      sudog* s = sched.sudogcache;
      sched.sudogcache = s->next;
      s->next = nullptr;
      pp->sudogbuf[pp->nsudog++] = s;
    }
    unlock(&sched.sudoglock);
    // If the central cache is empty, allocate a new one.
    if (pp->nsudog == 0) pp->sudogbuf[pp->nsudog++] = new sudog;
  }
  sudog* s = pp->sudogbuf[--pp->nsudog];
  pp->sudogbuf[pp->nsudog] = nullptr;
  if (s->elem != nullptr) throw_("acquireSudog: found s.elem != nil in cache");
  releasem(mp);
  return s;
}

void releaseSudog(sudog* s) {
  if (s->elem != nullptr) throw_("runtime: sudog with non-nil elem");
  if (s->isSelect) throw_("runtime: sudog with non-false isSelect");
  if (s->next != nullptr) throw_("runtime: sudog with non-nil next");
  if (s->prev != nullptr) throw_("runtime: sudog with non-nil prev");
  if (s->waitlink != nullptr) throw_("runtime: sudog with non-nil waitlink");
  if (s->c != nullptr) throw_("runtime: sudog with non-nil c");
  g* gp = getg();
  if (gp->param == s) throw_("runtime: releaseSudog with non-nil gp.param");
  m* mp = acquirem();  // avoid rescheduling to another p
  p* pp = mp->p_;
  if (pp->nsudog == static_cast<std::int32_t>(pp->sudogbuf.size())) {
    // Transfer half of the local cache to the central cache.
    sudog* first = nullptr;
    sudog* last = nullptr;
    while (pp->nsudog > static_cast<std::int32_t>(pp->sudogbuf.size() / 2)) {
      sudog* p2 = pp->sudogbuf[--pp->nsudog];
      pp->sudogbuf[pp->nsudog] = nullptr;
      if (last == nullptr) {
        first = p2;
      } else {
        last->next = p2;
      }
      last = p2;
    }
    lock(&sched.sudoglock);
    last->next = sched.sudogcache;
    sched.sudogcache = first;
    unlock(&sched.sudoglock);
  }
  pp->sudogbuf[pp->nsudog++] = s;
  releasem(mp);
}

void freeSudogCache(p* pp) {
  while (pp->nsudog > 0) {
    delete pp->sudogbuf[--pp->nsudog];
    pp->sudogbuf[pp->nsudog] = nullptr;
  }
}

void freeCentralSudogCache() {
  lock(&sched.sudoglock);
  while (sched.sudogcache != nullptr) {
    sudog* s = sched.sudogcache;
    sched.sudogcache = s->next;
    delete s;
  }
  unlock(&sched.sudoglock);
}

}  // namespace gort::rt
