// KATA — chapter 08: sync.RWMutex.
//
// Read chapters/08_rwmutex/README.md. The fields and rwmutexMaxReaders are
// in include/gort/rt/sync.h; sleep and wake with sync_runtime_SemacquireMutex
// and sync_runtime_Semrelease (include/gort/rt/sema.h). The writers'
// mutual exclusion is the w Mutex of chapter 07. Mirrors Go 1.19
// src/sync/rwmutex.go.
#include <cstdint>

#include "include/gort/rt/error.h"
#include "include/gort/rt/kata.h"
#include "include/gort/rt/sema.h"
#include "include/gort/rt/sync.h"

namespace gort::rt::sync {

// ---- Step 1: readers (Step1_Readers) ----------------------------------------

// readerCount++; a negative result means a writer is pending: sleep on
// readerSem.
void RWMutex::RLock() {
  GORT_KATA_TODO("RWMutex::RLock", "chapters/08_rwmutex/README.md#step-1-readers");
}

// readerCount--; negative: rUnlockSlow.
void RWMutex::RUnlock() {
  GORT_KATA_TODO("RWMutex::RUnlock", "chapters/08_rwmutex/README.md#step-1-readers");
}

// r+1 == 0 or r+1 == -rwmutexMaxReaders: nobody held a read lock, which
// is fatal(kRUnlockOfUnlockedRWMutex). Otherwise a writer waits: the
// reader that brings readerWait to 0 releases writerSem.
void RWMutex::rUnlockSlow(std::int32_t /*r*/) {
  GORT_KATA_TODO("RWMutex::rUnlockSlow", "chapters/08_rwmutex/README.md#step-1-readers");
}

// ---- Step 2: writers (Step2_Writers) ----------------------------------------

// Lock w; subtract rwmutexMaxReaders from readerCount (the old value is the
// number of active readers); if there were some, add them to readerWait
// and, unless they all left meanwhile, sleep on writerSem.
void RWMutex::Lock() {
  GORT_KATA_TODO("RWMutex::Lock", "chapters/08_rwmutex/README.md#step-2-writers");
}

// Add rwmutexMaxReaders back (a result >= rwmutexMaxReaders means it was
// not write-locked: fatal(kUnlockOfUnlockedRWMutex)); release readerSem
// once per reader that queued meanwhile; unlock w.
void RWMutex::Unlock() {
  GORT_KATA_TODO("RWMutex::Unlock", "chapters/08_rwmutex/README.md#step-2-writers");
}

// ---- Step 3: TryRLock and TryLock (Step3_Try) ----------------------------------

// CAS readerCount c -> c+1 while c >= 0; false as soon as it is negative.
bool RWMutex::TryRLock() {
  GORT_KATA_TODO("RWMutex::TryRLock", "chapters/08_rwmutex/README.md#step-3-trylock-and-tryrlock");
}

// w.TryLock, then CAS readerCount 0 -> -rwmutexMaxReaders (undo w on failure).
bool RWMutex::TryLock() {
  GORT_KATA_TODO("RWMutex::TryLock", "chapters/08_rwmutex/README.md#step-3-trylock-and-tryrlock");
}

}  // namespace gort::rt::sync
