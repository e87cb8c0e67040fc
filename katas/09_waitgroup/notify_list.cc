// KATA — chapter 09, step 3: notifyList, the ticket list behind sync.Cond.
//
// Read chapters/09_waitgroup/README.md#step-3-notifylist. The struct and
// less() are in include/gort/rt/sema.h; park with goparkunlock and
// waitReasonSyncCondWait, wake with readyWithTime. Mirrors Go 1.19
// src/runtime/sema.go.
#include <cstdint>

#include "include/gort/rt/kata.h"
#include "include/gort/rt/proc.h"
#include "include/gort/rt/runtime2.h"
#include "include/gort/rt/sema.h"

namespace gort::rt {

// Take the next ticket: the old value of wait, incremented atomically.
std::uint32_t notifyListAdd(notifyList* /*l*/) {
  GORT_KATA_TODO("notifyListAdd", "chapters/09_waitgroup/README.md#step-3-notifylist");
}

// Under l->lock: if ticket t is already served (less(t, notify)), return.
// Otherwise append a sudog carrying t to the list and park, unlocking.
void notifyListWait(notifyList* /*l*/, std::uint32_t /*t*/) {
  GORT_KATA_TODO("notifyListWait", "chapters/09_waitgroup/README.md#step-3-notifylist");
}

// Nothing new since the last notify: return without the lock. Otherwise
// take the whole list, set notify = wait, unlock, and ready every sudog.
void notifyListNotifyAll(notifyList* /*l*/) {
  GORT_KATA_TODO("notifyListNotifyAll", "chapters/09_waitgroup/README.md#step-3-notifylist");
}

// Serve ticket t = notify (notify = t + 1) and, if the sudog holding t is
// on the list, unlink it and ready it (after unlocking).
void notifyListNotifyOne(notifyList* /*l*/) {
  GORT_KATA_TODO("notifyListNotifyOne", "chapters/09_waitgroup/README.md#step-3-notifylist");
}

}  // namespace gort::rt
