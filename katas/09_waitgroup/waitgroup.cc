// KATA — chapter 09, step 1: sync.WaitGroup.
//
// Read chapters/09_waitgroup/README.md#step-1-waitgroup. The state layout
// and the panic texts are in include/gort/rt/sync.h (panic with
// panicString); sleep and wake with sync_runtime_Semacquire and
// sync_runtime_Semrelease (include/gort/rt/sema.h). Mirrors Go 1.19
// src/sync/waitgroup.go.
#include <cstdint>

#include "include/gort/rt/kata.h"
#include "include/gort/rt/sema.h"
#include "include/gort/rt/sync.h"

namespace gort::rt::sync {

// Add delta << 32 in one atomic add. Then: counter < 0 panics; a new round
// started while waiters remain is a misuse; counter > 0 or no waiters:
// done. Otherwise this call brought the counter to 0 with waiters: check
// nobody changed the state meanwhile (misuse), store 0, and release the
// semaphore once per waiter.
void WaitGroup::Add(std::int64_t /*delta*/) {
  GORT_KATA_TODO("WaitGroup::Add", "chapters/09_waitgroup/README.md#step-1-waitgroup");
}

// Loop: counter 0 -> return. Else CAS the state to state+1 (one more
// waiter) and sleep on sema; after waking, a non-zero state means someone
// reused the WaitGroup too early (panic).
void WaitGroup::Wait() {
  GORT_KATA_TODO("WaitGroup::Wait", "chapters/09_waitgroup/README.md#step-1-waitgroup");
}

}  // namespace gort::rt::sync
