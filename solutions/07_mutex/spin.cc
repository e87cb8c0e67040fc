// The runtime's spinning hooks for sync.Mutex.
//
// Mirrors Go 1.19 src/runtime/proc.go (sync_runtime_canSpin,
// sync_runtime_doSpin). Chapter 07, step 4.
#include "include/gort/rt/lock.h"
#include "include/gort/rt/proc.h"
#include "include/gort/rt/runtime2.h"
#include "include/gort/rt/sema.h"

namespace gort::rt {

bool sync_runtime_canSpin(int i) {
  // sync.Mutex is cooperative, so we are conservative with spinning. Spin
  // only few times and only if running on a multicore machine and
  // GOMAXPROCS > 1 and there is at least one other running p and the local
  // runq is empty. Unlike the runtime's own mutex, no passive spinning
  // (osyield): there may be work on the global runq or on other ps.
  if (i >= sync_active_spin || ncpu.load(std::memory_order_relaxed) <= 1 ||
      gomaxprocs.load(std::memory_order_relaxed) <=
          sched.npidle.load(std::memory_order_relaxed) +
              sched.nmspinning.load(std::memory_order_relaxed) + 1) {
    return false;
  }
  m* mp = acquirem();
  bool empty = runqempty(mp->p_);
  releasem(mp);
  return empty;
}

void sync_runtime_doSpin() { procyield(sync_active_spin_cnt); }

}  // namespace gort::rt
