// sysmon's retake: taking ps back from ms stuck in syscalls, and asking
// long-running goroutines to yield.
//
// Mirrors Go 1.19 src/runtime/proc.go (retake, preemptone). Chapter 04,
// step 6.
#include "include/gort/rt/proc.h"
#include "include/gort/rt/runtime2.h"
#include "include/gort/rt/sched_internal.h"

namespace gort::rt {

void retake(std::int64_t now, std::uint32_t* nretaken) {
  std::uint32_t n = 0;
  // Prevent allp slice changes (procresize) while we walk it.
  lock(&sched.lock);
  for (p* pp : allp) {
    sysmontick* pd = &pp->sysmontick_;
    std::uint32_t s = pp->status.load();
    bool sysretake = false;
    if (s == _Prunning || s == _Psyscall) {
      // Preempt g if it's running for too long.
      std::uint32_t t = pp->schedtick;
      if (pd->schedtick != t) {
        pd->schedtick = t;
        pd->schedwhen = now;
      } else if (pd->schedwhen + forcePreemptNS <= now) {
        preemptone(pp);
        // In case of syscall, preemptone() doesn't work, because there is
        // no m wired to p.
        sysretake = true;
      }
    }
    if (s == _Psyscall) {
      // Retake p from syscall if it's there for more than 1 sysmon tick
      // (at least 20us).
      std::uint32_t t = pp->syscalltick.load();
      if (!sysretake && pd->syscalltick != t) {
        pd->syscalltick = t;
        pd->syscallwhen = now;
        continue;
      }
      // On the one hand we don't want to retake ps if there is no other
      // work to do, but on the other hand we want to retake them
      // eventually because they can prevent the sysmon thread from deep
      // sleep.
      if (runqempty(pp) && sched.nmspinning.load() + sched.npidle.load() > 0 &&
          pd->syscallwhen + 10 * 1000 * 1000 > now) {
        continue;
      }
      // Drop sched.lock while handing off: handoffp takes it.
      unlock(&sched.lock);
      if (pp->status.compare_exchange_strong(s, _Pidle)) {
        n++;
        pp->syscalltick.fetch_add(1);
        handoffp(pp);
      }
      lock(&sched.lock);
    }
  }
  unlock(&sched.lock);
  *nretaken = n;
}

bool preemptone(p* pp) {
  m* mp = pp->m_;
  if (mp == nullptr || mp == getm()) return false;
  g* gp = mp->curg;
  if (gp == nullptr || gp == mp->g0) return false;
  gp->preempt.store(true);
  pp->preempt.store(true);
  // Request an async preemption of this p: the signal stops the g at the
  // next instruction that is safe to stop at.
  if (asyncPreemptEnabled.load(std::memory_order_relaxed)) preemptM(mp);
  return true;
}

}  // namespace gort::rt
