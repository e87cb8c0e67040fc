// KATA — chapter 07, steps 3, 5 and 6: sync.Mutex.
//
// Read chapters/07_mutex/README.md#step-3-the-fast-paths,
// #step-5-normal-mode and #step-6-starvation-mode. The state bits and the
// constants are in include/gort/rt/sync.h; the semaphore calls
// (sync_runtime_SemacquireMutex, sync_runtime_Semrelease), the spinning
// hooks and the clock (sync_nanotime) in include/gort/rt/sema.h.
// Mirrors Go 1.19 src/sync/mutex.go.
#include <cstdint>

#include "include/gort/rt/error.h"
#include "include/gort/rt/kata.h"
#include "include/gort/rt/sema.h"
#include "include/gort/rt/sync.h"

namespace gort::rt::sync {

// ---- Step 3 (Step3_FastPath) -------------------------------------------------

// One CAS from 0 to mutexLocked; anything else goes to lockSlow.
void Mutex::Lock() {
  GORT_KATA_TODO("Mutex::Lock", "chapters/07_mutex/README.md#step-3-the-fast-paths");
}

// Refuse if locked or starving; otherwise one CAS that adds mutexLocked and
// keeps the other bits.
bool Mutex::TryLock() {
  GORT_KATA_TODO("Mutex::TryLock", "chapters/07_mutex/README.md#step-3-the-fast-paths");
}

// Subtract mutexLocked; if the result is not 0, unlockSlow(result).
void Mutex::Unlock() {
  GORT_KATA_TODO("Mutex::Unlock", "chapters/07_mutex/README.md#step-3-the-fast-paths");
}

// ---- Steps 5 and 6 (Step5_NormalMode, Step6_Starvation) ---------------------

// The loop of the README's walk-through: spin while locked, normal mode
// and canSpin (setting mutexWoken if nobody is awake); compute the new
// state (locked unless starving, one more waiter if locked or starving,
// the starving bit if this goroutine starves and the mutex is locked, clear
// woken if this goroutine was woken); CAS; if it did not take the lock,
// sleep on sema (LIFO if it waited before), then decide about starvation
// and, in starvation mode, fix up the state the handoff left.
void Mutex::lockSlow() {
  GORT_KATA_TODO("Mutex::lockSlow", "chapters/07_mutex/README.md#step-5-normal-mode");
}

// Unlocked already? fatal(kUnlockOfUnlockedMutex). Normal mode: wake one
// waiter unless there is none or someone is locked/woken/starving (CAS the
// woken bit in and a waiter out first). Starvation mode: semrelease with
// handoff.
void Mutex::unlockSlow(std::int32_t /*new_*/) {
  GORT_KATA_TODO("Mutex::unlockSlow", "chapters/07_mutex/README.md#step-5-normal-mode");
}

}  // namespace gort::rt::sync
