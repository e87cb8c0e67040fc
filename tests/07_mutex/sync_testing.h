// Helpers for the tests of the sync chapters (07 mutex, 08 rwmutex, 09
// waitgroup/once/cond).
#ifndef GORT_TESTS_07_MUTEX_SYNC_TESTING_H_
#define GORT_TESTS_07_MUTEX_SYNC_TESTING_H_

#include <atomic>
#include <cstdint>
#include <ostream>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "include/gort/gort.h"
#include "include/gort/rt/proc.h"
#include "include/gort/rt/runtime2.h"
#include "include/gort/rt/sema.h"
#include "include/gort/rt/sync.h"
#include "include/gort/sync.h"

namespace gort::rt::sync {
inline void PrintTo(const MutexState& s, std::ostream* os) { *os << FormatMutexState(s); }
inline void PrintTo(const WaitGroupState& s, std::ostream* os) {
  *os << "{counter=" << s.counter << " waiters=" << s.waiters << "}";
}
}  // namespace gort::rt::sync

namespace gort::testing {

// A controllable clock for sync.Mutex's starvation logic.
class MockSyncClock : public rt::SyncClock {
 public:
  MOCK_METHOD(std::int64_t, Nanotime, (), (override));
};

// Installs a clock for the lifetime of the object.
class ScopedSyncClock {
 public:
  explicit ScopedSyncClock(rt::SyncClock* c) { rt::syncClockForTesting.store(c); }
  ~ScopedSyncClock() { rt::syncClockForTesting.store(nullptr); }
  ScopedSyncClock(const ScopedSyncClock&) = delete;
  ScopedSyncClock& operator=(const ScopedSyncClock&) = delete;
};

// A clock that always says the same (nonzero) time: nobody ever waits long
// enough to starve, whatever the machine's speed (sanitizers included).
class FrozenSyncClock : public rt::SyncClock {
 public:
  std::int64_t Nanotime() override { return 1; }
};

// Yields until gp is parked (_Gwaiting). gp publishes itself first.
inline void WaitUntilParked(const std::atomic<rt::g*>& gp) {
  while (gp.load() == nullptr) Gosched();
  while (rt::readgstatus(gp.load()) != rt::_Gwaiting) Gosched();
}

// Yields until pred() holds.
template <class Pred>
void YieldUntil(Pred pred) {
  while (!pred()) Gosched();
}

// The mutex state decoded (shorthand for expectations).
inline rt::sync::MutexState MS(bool locked, bool woken, bool starving, std::int32_t waiters) {
  return rt::sync::MutexState{locked, woken, starving, waiters};
}

}  // namespace gort::testing

#endif  // GORT_TESTS_07_MUTEX_SYNC_TESTING_H_
