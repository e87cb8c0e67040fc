// defer, panic and recover: the _defer and _panic records on the g, and the
// runtime functions behind the three keywords.
//
// Mirrors Go 1.19 src/runtime/panic.go (deferproc, deferreturn, newdefer,
// freedefer, gopanic, gorecover, Goexit, printpanics, fatalpanic) and the
// _defer/_panic structs of src/runtime/runtime2.go.
//
// The chains, newest first:
//
//   g._defer -> _defer{sp: frame C} -> _defer{sp: frame C} -> _defer{sp: frame B} -> nil
//   g._panic -> _panic{arg: "B"}    -> _panic{arg: "A", recovered} -> nil
//
// Invariants (as in Go):
//   - g._defer holds the deferred calls of every active frame of the g that
//     deferred something, the innermost frame's first; within a frame, the
//     last deferred call first (LIFO). d.sp names the frame.
//   - A deferred call is unlinked from g._defer before (deferreturn) or
//     right after (gopanic, Goexit) it runs, and its record goes back to
//     the p's deferpool.
//   - d.started: a panic or Goexit has begun running d. If d is still on
//     the chain when a later panic reaches it, d itself panicked: the later
//     panic drops it and marks the panic that started it (d._panic) aborted.
//   - g._panic lists the panics in progress, newest first; a new panic
//     while a deferred call of an older one runs links to the older one
//     (that is the chain Go prints: "panic: A [recovered]\n\tpanic: B").
//   - recover stops the newest panic only when called directly by the
//     deferred function that this panic is running (Go: argp ==
//     p.argp), and never during Goexit.
//
// Records live only on goroutine stacks and in the deferpools: every
// function here must run on a goroutine (inside gort::Run).
#ifndef GORT_RT_PANIC_H_
#define GORT_RT_PANIC_H_

#include <cstddef>
#include <cstdint>

#include "include/gort/rt/any.h"
#include "include/gort/rt/types.h"

namespace gort::rt {

struct g;
struct p;
struct _panic;

// Bytes of closure a _defer record holds in place. Bigger closures are
// boxed on the C++ heap and the record holds the pointer.
inline constexpr std::size_t kDeferClosureBytes = 48;

// _defer: one deferred call (Go 1.19 runtime2.go type _defer). As in Go,
// a record lives either in the frame that defers (heap false: the first
// defer of a gort::Func frame, Go's deferprocStack) or comes from the
// deferpool (heap true). gort has no open-coded defers, so openDefer is
// always false (see the chapter's "open-coded defers" section).
struct _defer {
  bool started = false;    // a panic or Goexit began running this call
  bool heap = true;        // from the deferpool (Go: heap-allocated), else in a frame
  bool openDefer = false;  // Go: open-coded defer (a compiler feature)
  uintptr sp = 0;          // the frame that deferred (gort: its Func frame)
  // The deferred call (Go: fn func()). gort: a thunk that runs the closure
  // stored in buf (see include/gort/defer.h), and one that destroys it
  // without running it (teardown of a goroutine that never returned).
  void (*fn)(struct _defer* d) = nullptr;
  void (*drop)(struct _defer* d) = nullptr;
  struct _panic* _panic = nullptr;  // the panic that is running this call
  struct _defer* link = nullptr;    // next (older) deferred call on the g
  alignas(16) unsigned char buf[kDeferClosureBytes];  // the closure
};

// _panic: one panic in progress (Go 1.19 runtime2.go type _panic). Lives in
// gopanic's (or Goexit's) frame.
struct _panic {
  uintptr argp = 0;      // frame of the trampoline running the current deferred call
  any arg;               // argument to panic
  struct _panic* link = nullptr;  // link to earlier panic
  bool recovered = false;  // whether this panic is over
  bool aborted = false;    // the panic was aborted (a newer panic passed its deferred call)
  bool goexit = false;     // this is Goexit, not a panic
};

// ---- Step 1: the deferpool ---------------------------------------------

// newdefer returns a clean _defer, from the current p's deferpool (refilled
// with up to half its capacity from sched.deferpool when empty), or a new
// one. Mirrors Go 1.19 newdefer.
_defer* newdefer();
// freedefer clears d and puts it back in the current p's deferpool; when
// the pool is full, half of it moves to sched.deferpool first. Mirrors Go
// 1.19 freedefer.
void freedefer(_defer* d);
// Frees pp's pooled records / the central pool (procresize, teardown).
void freeDeferPool(p* pp);
void freeCentralDeferPool();
// Teardown of a goroutine that never returned: destroys the closures of
// its pending deferred calls without running them and frees the records.
void discardDefers(g* gp);
// A C++ exception that is no Go panic (a kata stub's KataTodoError) leaves
// frame sp: drop its pending deferred calls without running them.
void discardFrameDefers(uintptr sp);

// ---- Step 2: defer and the three-step return ----------------------------

// deferproc links d (closure already in place, d.fn set) at the head of
// the current g's _defer chain for the frame sp. Go: deferproc(fn), which
// also allocates d; gort's typed API allocates it with newdefer first so
// the closure can be constructed in place.
void deferproc(_defer* d, uintptr sp);
// deferprocStack links d, a record that lives in the frame sp itself, the
// same way, after marking it heap = false and clearing the fields a pool
// record would have clean (Go: deferprocStack, for defers the compiler
// knows run at most once per call of the function).
void deferprocStack(_defer* d, uintptr sp);
// deferreturn runs, last deferred first, every deferred call of the frame
// sp still on the chain (Go: deferreturn, called by the compiler at every
// return of a function that defers). Each record is unlinked and freed
// before its call runs.
void deferreturn(uintptr sp);
// deferCallStart is called by a record's fn thunk once it has moved the
// closure out of d, just before it calls it. frame is the thunk's frame
// address, the "argp" of the call: gopanic and Goexit record it in their
// _panic (so that recover can recognise a direct call); for deferreturn,
// which ran no panic, d is freed here.
void deferCallStart(_defer* d, uintptr frame);

// ---- Step 3: panic and recover -------------------------------------------

// gopanic: the panic builtin. Runs the deferred calls of the g, newest
// first, each with this panic attached. If one recovers, the frame that
// deferred it finishes its remaining deferred calls and returns normally
// with its named results (recovery). If none does, prints the panic chain
// and exits with status 2 (fatalpanic). Outside a goroutine it throws
// rt::Panic instead (unit tests of runtime functions).
[[noreturn]] void gopanic(any e);
// gorecover: the recover builtin. argp is the frame whose caller called
// recover. Returns the panic value and marks the panic recovered when the
// newest panic is not Goexit, not yet recovered, and argp is the frame of
// the call it is running; nil otherwise.
any gorecover(uintptr argp);

// ---- Step 4: Goexit and the end of a panic ----------------------------------

// Goexit runs every deferred call of the g (recover returns nil in them),
// then ends the goroutine (goexit1). A panic raised by one of them and
// recovered further down does not stop Goexit.
[[noreturn]] void Goexit();
// printpanics prints the chain p (oldest first), skipping Goexits:
// "panic: A [recovered]\n\tpanic: B\n". Returns the text.
std::string printpanics(const _panic* p);
// fatalpanic prints the chain and the goroutine header and exits with 2.
[[noreturn]] void fatalpanic(const _panic* msgs);

// The thrown object that carries a recovery to the frame that recovered
// (gort: Go's recovery rewinds the stack to that frame's deferreturn; C++
// unwinds to it). Not an std::exception: only Func frames catch it.
struct recoveryUnwind {
  uintptr sp;  // the frame to return from
};
// Thrown back to Goexit's loop when a recover would bypass a Goexit in
// progress (Go: recovery to the Goexit's deferCallSave).
struct goexitRecovery {
  const _panic* p;
};

}  // namespace gort::rt

#endif  // GORT_RT_PANIC_H_
