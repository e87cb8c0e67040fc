// KATA — chapter 07, step 4: may sync.Mutex spin?
//
// Read chapters/07_mutex/README.md#step-4-spinning. Mirrors Go 1.19
// src/runtime/proc.go (sync_runtime_canSpin, sync_runtime_doSpin).
#include "include/gort/rt/kata.h"
#include "include/gort/rt/lock.h"
#include "include/gort/rt/proc.h"
#include "include/gort/rt/runtime2.h"
#include "include/gort/rt/sema.h"

namespace gort::rt {

// Four conditions: i below sync_active_spin; ncpu > 1; some other p is
// running (compare gomaxprocs with npidle + nmspinning + 1); this p's
// local run queue is empty (pin the m while you look at its p).
bool sync_runtime_canSpin(int /*i*/) {
  GORT_KATA_TODO("sync_runtime_canSpin", "chapters/07_mutex/README.md#step-4-spinning");
}

// sync_active_spin_cnt PAUSEs.
void sync_runtime_doSpin() {
  GORT_KATA_TODO("sync_runtime_doSpin", "chapters/07_mutex/README.md#step-4-spinning");
}

}  // namespace gort::rt
