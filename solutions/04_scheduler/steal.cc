// Work stealing: runqgrab, runqsteal, stealWork.
//
// Mirrors Go 1.19 src/runtime/proc.go. Chapter 04, step 4.
//
// A thief takes half of a victim's local queue with one CAS on the
// victim's runqhead. The victim's runnext is left alone except in the last
// of four rounds, and even then only after a short pause: a g in runnext is
// usually about to be run by its own p (it was just readied by the running
// g, which is likely to block soon), and stealing it would bounce it
// between threads.
#include <thread>

#include "include/gort/rt/error.h"
#include "include/gort/rt/fastrand.h"
#include "include/gort/rt/proc.h"
#include "include/gort/rt/runtime2.h"
#include "include/gort/rt/sched_internal.h"
#include "include/gort/rt/time.h"

namespace gort::rt {

std::uint32_t runqgrab(p* pp, std::array<std::atomic<g*>, kRunqSize>* batch,
                       std::uint32_t batchHead, bool stealRunNextG) {
  for (;;) {
    std::uint32_t h = pp->runqhead.load(std::memory_order_acquire);  // synchronize with other consumers
    std::uint32_t t = pp->runqtail.load(std::memory_order_acquire);  // synchronize with the producer
    std::uint32_t n = t - h;
    n = n - n / 2;
    if (n == 0) {
      if (stealRunNextG) {
        // Try to steal from pp->runnext.
        if (g* next = pp->runnext.load(std::memory_order_acquire)) {
          if (pp->status.load() == _Prunning) {
            // Sleep to ensure that pp isn't about to run the g we are about
            // to steal. The important use case here is when the g running
            // on pp ready()s another g and then almost immediately blocks.
            // Instead of stealing runnext in this window, back off to give
            // pp a chance to schedule runnext and pick up the other g.
            usleep(3);
          }
          if (!pp->runnext.compare_exchange_strong(next, nullptr, std::memory_order_acq_rel)) {
            continue;
          }
          (*batch)[batchHead % kRunqSize].store(next, std::memory_order_relaxed);
          return 1;
        }
      }
      return 0;
    }
    if (n > kRunqSize / 2) continue;  // read inconsistent h and t
    for (std::uint32_t i = 0; i < n; i++) {
      g* gp = pp->runq[(h + i) % kRunqSize].load(std::memory_order_relaxed);
      (*batch)[(batchHead + i) % kRunqSize].store(gp, std::memory_order_relaxed);
    }
    if (pp->runqhead.compare_exchange_strong(h, h + n, std::memory_order_acq_rel)) {
      return n;
    }
  }
}

g* runqsteal(p* pp, p* p2, bool stealRunNextG) {
  std::uint32_t t = pp->runqtail.load(std::memory_order_relaxed);
  std::uint32_t n = runqgrab(p2, &pp->runq, t, stealRunNextG);
  if (n == 0) return nullptr;
  p2->stolenFrom.fetch_add(n, std::memory_order_relaxed);
  pp->stoleGs.fetch_add(n, std::memory_order_relaxed);
  n--;
  g* gp = pp->runq[(t + n) % kRunqSize].load(std::memory_order_relaxed);
  if (n == 0) return gp;
  std::uint32_t h = pp->runqhead.load(std::memory_order_acquire);  // synchronize with consumers
  if (t - h + n >= kRunqSize) throw_("runqsteal: runq overflow");
  pp->runqtail.store(t + n, std::memory_order_release);  // makes the items available
  return gp;
}

namespace {

// A random permutation of the ps, walked with a stride coprime to their
// count (Go: randomOrder/stealOrder).
std::uint32_t gcd(std::uint32_t a, std::uint32_t b) {
  while (b != 0) {
    std::uint32_t t = a % b;
    a = b;
    b = t;
  }
  return a;
}

}  // namespace

g* stealWork(std::int64_t now, bool* inheritTime, std::int64_t* pollUntil, bool* newWork) {
  p* pp = getm()->p_;
  *newWork = false;
  *pollUntil = 0;

  constexpr int stealTries = 4;
  for (int i = 0; i < stealTries; i++) {
    const bool stealTimersOrRunNextG = i == stealTries - 1;

    const std::uint32_t count = static_cast<std::uint32_t>(allp.size());
    std::uint32_t inc = 1;
    // Pick a random increment coprime to count, and a random start.
    for (int tries = 0; tries < 8; tries++) {
      std::uint32_t c = fastrandn(count) + 1;
      if (gcd(c, count) == 1) {
        inc = c;
        break;
      }
    }
    std::uint32_t pos = fastrandn(count);
    for (std::uint32_t k = 0; k < count; k++, pos = (pos + inc) % count) {
      if (sched.gcwaiting.load() != 0) {
        // gc work may be available.
        *newWork = true;
        return nullptr;
      }
      p* p2 = allp[pos];
      if (pp == p2) continue;

      // Steal timers from p2. This call to checkTimers is the only place
      // where we might hold a lock on a different p's timers.
      if (stealTimersOrRunNextG && p2->timer0When.load() != 0) {
        std::int64_t w = 0;
        bool ran = false;
        now = checkTimers(p2, now, &w, &ran);
        if (w != 0 && (*pollUntil == 0 || w < *pollUntil)) *pollUntil = w;
        if (ran) {
          // Running the timers may have made an arbitrary number of gs
          // ready and added them to this p's local run queue.
          if (g* gp = runqget(pp, inheritTime)) return gp;
          *newWork = true;
        }
      }

      // Don't bother to attempt to steal if p2 is idle.
      if (p2->status.load() != _Pidle) {
        if (g* gp = runqsteal(pp, p2, stealTimersOrRunNextG)) {
          *inheritTime = false;
          return gp;
        }
      }
    }
  }
  // No goroutines found to steal. Regardless, running a timer may have
  // made some goroutine ready that we missed.
  return nullptr;
}

}  // namespace gort::rt
