// Go's sync package: Mutex, RWMutex, WaitGroup, Once, Cond.
//
//   gort::sync::Mutex mu;
//   mu.Lock(); counter++; mu.Unlock();
//
//   gort::sync::WaitGroup wg;
//   for (int i = 0; i < n; i++) { wg.Add(1); gort::go([&] { work(); wg.Done(); }); }
//   wg.Wait();
//
// Thin wrappers over Go's structs (include/gort/rt/sync.h), whose methods
// chapters 07-09 implement on the runtime's semaphores
// (include/gort/rt/sema.h). Blocking calls park the goroutine, not the
// thread, so they must run inside gort::Run. Like Go's, the zero value of
// each type is ready to use, and each may be copied (Go's vet would object
// once it is in use; the copy is a different lock).
#ifndef GORT_SYNC_H_
#define GORT_SYNC_H_

#include <cstdint>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/functional/function_ref.h"
#include "include/gort/rt/sync.h"

namespace gort::sync {

using Locker = rt::sync::Locker;
using rt::sync::MutexState;
using rt::sync::WaitGroupState;

// A mutual exclusion lock (sync.Mutex). Lock blocks (parking the
// goroutine) until the mutex is free; uncontended, Lock and Unlock are one
// atomic instruction each. Fairness: waiters queue FIFO, but a running
// goroutine may barge ahead of a woken one, until some waiter has waited
// more than 1 ms: then the mutex switches to starvation mode and is handed
// over in queue order (chapter 07).
class ABSL_LOCKABLE Mutex {
 public:
  Mutex() = default;

  void Lock() ABSL_EXCLUSIVE_LOCK_FUNCTION() { m_.Lock(); }
  // Unlocking an unlocked mutex ends the program:
  // "fatal error: sync: unlock of unlocked mutex" (exit status 2).
  void Unlock() ABSL_UNLOCK_FUNCTION() { m_.Unlock(); }
  // Locks if free and not in starvation mode, without blocking.
  bool TryLock() ABSL_EXCLUSIVE_TRYLOCK_FUNCTION(true) { return m_.TryLock(); }

  // Introspection: the decoded state word (a racy snapshot).
  MutexState State() const { return rt::sync::DecodeMutexState(m_.state.load()); }
  rt::sync::Mutex* raw() { return &m_; }
  Locker AsLocker() { return Locker::Of(&m_); }

 private:
  rt::sync::Mutex m_;
};

// A reader/writer mutual exclusion lock (sync.RWMutex). Any number of
// readers or one writer. A writer waiting in Lock blocks new readers, so a
// stream of readers cannot starve it (chapter 08).
class ABSL_LOCKABLE RWMutex {
 public:
  RWMutex() = default;

  void RLock() ABSL_SHARED_LOCK_FUNCTION() { rw_.RLock(); }
  // "fatal error: sync: RUnlock of unlocked RWMutex" if not read-locked.
  void RUnlock() ABSL_UNLOCK_FUNCTION() { rw_.RUnlock(); }
  bool TryRLock() ABSL_SHARED_TRYLOCK_FUNCTION(true) { return rw_.TryRLock(); }
  void Lock() ABSL_EXCLUSIVE_LOCK_FUNCTION() { rw_.Lock(); }
  // "fatal error: sync: Unlock of unlocked RWMutex" if not write-locked.
  void Unlock() ABSL_UNLOCK_FUNCTION() { rw_.Unlock(); }
  bool TryLock() ABSL_EXCLUSIVE_TRYLOCK_FUNCTION(true) { return rw_.TryLock(); }
  // A Locker whose Lock and Unlock are RLock and RUnlock.
  Locker RLocker() { return rw_.RLocker(); }
  Locker AsLocker() { return Locker::Of(&rw_); }

  // Introspection (racy snapshots).
  std::int32_t ReaderCount() const { return rw_.readerCount.load(); }
  std::int32_t ReaderWait() const { return rw_.readerWait.load(); }
  MutexState WriterMutexState() const { return rt::sync::DecodeMutexState(rw_.w.state.load()); }
  rt::sync::RWMutex* raw() { return &rw_; }

 private:
  rt::sync::RWMutex rw_;
};

// Waits for a collection of goroutines to finish (sync.WaitGroup).
// Add(n) before starting them, Done() in each, Wait() until the counter is
// zero. A negative counter panics ("sync: negative WaitGroup counter").
class WaitGroup {
 public:
  WaitGroup() = default;

  void Add(std::int64_t delta) { wg_.Add(delta); }
  void Done() { wg_.Done(); }
  void Wait() { wg_.Wait(); }

  // Introspection: counter and waiters (a racy snapshot).
  WaitGroupState State() const { return rt::sync::DecodeWaitGroupState(wg_.state.load()); }
  rt::sync::WaitGroup* raw() { return &wg_; }

 private:
  rt::sync::WaitGroup wg_;
};

// Performs exactly one action (sync.Once). Do(f) runs f on the first call
// only; concurrent callers wait for it to finish. If f panics, Do counts as
// done all the same. Calling Do on the same Once from inside f deadlocks.
class Once {
 public:
  Once() = default;

  void Do(absl::FunctionRef<void()> f) {
    o_.Do([](void* fp) { (*static_cast<absl::FunctionRef<void()>*>(fp))(); }, &f);
  }
  bool Done() const { return o_.done.load() != 0; }
  rt::sync::Once* raw() { return &o_; }

 private:
  rt::sync::Once o_;
};

// A condition variable (sync.Cond) bound to a Locker L, which must be held
// around Wait and while changing the condition. Wait atomically unlocks L
// and parks; it re-locks L before returning. Use it in a loop:
//   c.L().Lock(); while (!cond) c.Wait(); ... c.L().Unlock();
// Copying a Cond after first use panics on the copy ("sync.Cond is copied").
class Cond {
 public:
  explicit Cond(Locker l) : c_(l) {}
  explicit Cond(Mutex* mu) : c_(mu->AsLocker()) {}

  const Locker& L() const { return c_.L; }
  void Wait() { c_.Wait(); }
  void Signal() { c_.Signal(); }
  void Broadcast() { c_.Broadcast(); }

  // Introspection: tickets handed out and served.
  std::uint32_t Tickets() const { return c_.notify.wait.load(); }
  std::uint32_t Served() const { return c_.notify.notify.load(); }
  rt::sync::Cond* raw() { return &c_; }

 private:
  rt::sync::Cond c_;
};

// sync.NewCond.
inline Cond NewCond(Locker l) { return Cond(l); }

}  // namespace gort::sync

#endif  // GORT_SYNC_H_
