// Goroutines and the runtime package: go, Gosched, Goexit, GOMAXPROCS,
// NumGoroutine, Sleep, AfterFunc, and gort's Syscall and PreemptPoint.
//
// Thin templates over the scheduler (include/gort/rt/proc.h, time.h), the
// way the Go compiler lowers `go f(x)` to runtime.newproc. Everything here
// must be called from inside gort::Run (on a goroutine).
//
//   gort::go([&] { work(); });        // go work()
//   gort::Sleep(absl::Milliseconds(5));  // time.Sleep(5 * time.Millisecond)
//   gort::Syscall([] { read(fd, buf, n); });  // a blocking call: frees the p
#ifndef GORT_GO_H_
#define GORT_GO_H_

#include <functional>
#include <memory>
#include <new>
#include <type_traits>
#include <utility>

#include "absl/time/time.h"
#include "include/gort/chan.h"
#include "include/gort/rt/malloc.h"
#include "include/gort/rt/panic.h"
#include "include/gort/rt/proc.h"
#include "include/gort/rt/runtime2.h"
#include "include/gort/rt/time.h"
#include "include/gort/rt/type.h"

namespace gort {

namespace internal {

// A closure lives in the runtime heap, like a Go func value that escapes:
// it is destroyed when the runtime is torn down, whether or not its
// goroutine ever finished.
template <class F>
const rt::Type* ClosureType() {
  static const rt::Type type = [] {
    rt::Type t{};
    t.size = sizeof(F);
    t.ptrdata = sizeof(F);
    t.align = alignof(F);
    t.name = "func()";
    t.trivial = false;
    t.zero = [](void*, rt::uintptr) {};  // constructed by the caller
    t.assign = nullptr;                   // closures are never copied
    t.destroy = [](void* p, rt::uintptr n) {
      for (rt::uintptr i = 0; i < n; ++i) static_cast<F*>(p)[i].~F();
    };
    return t;
  }();
  return &type;
}

template <class F>
std::decay_t<F>* NewClosure(F&& f) {
  using Fn = std::decay_t<F>;
  void* mem = rt::mallocgc(sizeof(Fn), ClosureType<Fn>(), /*needzero=*/false);
  return ::new (mem) Fn(std::forward<F>(f));
}

template <class Fn>
void CallClosure(void* arg) {
  (*static_cast<Fn*>(arg))();
}

}  // namespace internal

// go f(): starts f on a new goroutine. f is moved (or copied) into the
// closure first, so arguments are evaluated now, as in Go. The new
// goroutine runs next on this p (runnext) once the current one yields.
template <class F>
void go(F&& f) {
  using Fn = std::decay_t<F>;
  Fn* closure = internal::NewClosure(std::forward<F>(f));
  rt::newproc(rt::funcval{&internal::CallClosure<Fn>, closure, nullptr});
}

// runtime.Gosched: yield the p; the goroutine goes to the global queue.
inline void Gosched() { rt::gosched(); }

// runtime.Goexit: run every deferred call of the calling goroutine, then
// end it (include/gort/rt/panic.h, chapter 03). If main calls it, the
// program continues until the other goroutines end (then: deadlock, as in
// Go).
[[noreturn]] inline void Goexit() { rt::Goexit(); }

// runtime.GOMAXPROCS: sets the number of ps if n > 0 (stopping the world
// to do so) and returns the previous value.
int GOMAXPROCS(int n);

// runtime.NumGoroutine: goroutines that exist now.
int NumGoroutine();

// runtime.NumCPU.
int NumCPU();

// time.Sleep. d <= 0 returns at once.
inline void Sleep(absl::Duration d) { rt::timeSleep(absl::ToInt64Nanoseconds(d)); }

// A time.Timer, made by AfterFunc or by NewTimer (include/gort/time.h).
class Timer {
 public:
  // The channel on which a NewTimer timer delivers the time it fired (cap
  // 1); nil for an AfterFunc timer, as in Go.
  chan<absl::Time> C;

  // Stops the timer. Returns true if it was pending (f will not run now).
  bool Stop();
  // Restarts the timer to fire after d. Returns true if it was pending.
  bool Reset(absl::Duration d);

  struct State {
    rt::timer t;
    std::function<void()> f;
  };
  explicit Timer(State* state) : state_(state) {}
  Timer(State* state, chan<absl::Time> c) : C(c), state_(state) {}

 private:
  State* state_;
};

// time.AfterFunc: after d, runs f on its own goroutine. The timer lives in
// the current p's timer heap (chapter 04, step 5).
Timer AfterFunc(absl::Duration d, std::function<void()> f);

// A blocking call outside the runtime (a read, a sleep in C, a lock of
// another library): the p is released while f runs, so other goroutines
// keep running (Go: entersyscall/exitsyscall). If f takes longer than a
// sysmon tick, sysmon hands the p to another m.
template <class F>
auto Syscall(F&& f) -> decltype(f()) {
  struct Exit {
    ~Exit() { rt::exitsyscall(); }
  };
  rt::entersyscall();
  Exit exit;
  return std::forward<F>(f)();
}

// A cooperative preemption point: yields if the scheduler asked this
// goroutine to (it ran for more than 10 ms). Loops that must stay
// preemptible under ThreadSanitizer (which disables signal preemption) call
// it.
void PreemptPoint();

}  // namespace gort

#endif  // GORT_GO_H_
