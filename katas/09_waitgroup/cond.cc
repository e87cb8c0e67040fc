// KATA — chapter 09, step 4: sync.Cond.
//
// Read chapters/09_waitgroup/README.md#step-4-cond. Mirrors Go 1.19
// src/sync/cond.go.
#include <cstdint>

#include "include/gort/rt/kata.h"
#include "include/gort/rt/sema.h"
#include "include/gort/rt/sync.h"

namespace gort::rt::sync {

// check; take a ticket BEFORE unlocking L; unlock L; wait for the ticket;
// lock L again.
void Cond::Wait() {
  GORT_KATA_TODO("Cond::Wait", "chapters/09_waitgroup/README.md#step-4-cond");
}

// check; serve one ticket.
void Cond::Signal() {
  GORT_KATA_TODO("Cond::Signal", "chapters/09_waitgroup/README.md#step-4-cond");
}

// check; serve every ticket.
void Cond::Broadcast() {
  GORT_KATA_TODO("Cond::Broadcast", "chapters/09_waitgroup/README.md#step-4-cond");
}

// v holds this checker's own address once used. If it holds something
// else and a CAS 0 -> this fails (and v still is not this),
// panicString(kCondIsCopied).
void copyChecker::check() {
  GORT_KATA_TODO("copyChecker::check", "chapters/09_waitgroup/README.md#step-4-cond");
}

}  // namespace gort::rt::sync
