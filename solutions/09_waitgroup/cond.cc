// sync.Cond: a Locker plus a notifyList, and a check against copies.
//
// Mirrors Go 1.19 src/sync/cond.go. Chapter 09, step 4.
#include <cstdint>

#include "include/gort/rt/sema.h"
#include "include/gort/rt/sync.h"

namespace gort::rt::sync {

void Cond::Wait() {
  checker.check();
  std::uint32_t t = notifyListAdd(&notify);
  L.Unlock();
  notifyListWait(&notify, t);
  L.Lock();
}

void Cond::Signal() {
  checker.check();
  notifyListNotifyOne(&notify);
}

void Cond::Broadcast() {
  checker.check();
  notifyListNotifyAll(&notify);
}

void copyChecker::check() {
  const auto self = reinterpret_cast<std::uintptr_t>(this);
  std::uintptr_t zero = 0;
  if (v.load() != self && !v.compare_exchange_strong(zero, self) && v.load() != self) {
    panicString(kCondIsCopied);
  }
}

}  // namespace gort::rt::sync
