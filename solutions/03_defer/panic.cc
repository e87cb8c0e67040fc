// defer, panic and recover: the deferpool, deferproc/deferreturn, gopanic,
// gorecover, Goexit and printpanics.
//
// Mirrors Go 1.19 src/runtime/panic.go. Go's open-coded defers (the
// compiler inlining deferred calls into the function's exits, with a bit
// mask of which ones are active) are a cmd/compile feature and have no
// counterpart: every deferred call here is a record on g._defer, as Go's
// are when a defer sits in a loop. See include/gort/rt/panic.h for the
// invariants of the two chains.
#include <cstdio>
#include <string>
#include <utility>

#include "include/gort/rt/error.h"
#include "include/gort/rt/lock.h"
#include "include/gort/rt/panic.h"
#include "include/gort/rt/runtime2.h"
#include "include/gort/rt/sched_internal.h"

namespace gort::rt {

// ---- Step 1: the deferpool ---------------------------------------------

_defer* newdefer() {
  _defer* d = nullptr;
  m* mp = acquirem();
  p* pp = mp->p_;
  const std::int32_t capacity = static_cast<std::int32_t>(pp->deferpoolbuf.size());
  if (pp->ndeferpool == 0 && sched.deferpool != nullptr) {
    // 1. The local pool is empty: take up to half its capacity from the
    //    central pool, under its lock.
    lock(&sched.deferlock);
    while (pp->ndeferpool < capacity / 2 && sched.deferpool != nullptr) {
      _defer* d1 = sched.deferpool;
      sched.deferpool = d1->link;
      d1->link = nullptr;
      pp->deferpoolbuf[pp->ndeferpool++] = d1;
    }
    unlock(&sched.deferlock);
  }
  // 2. Pop the most recently freed record (still warm in the cache).
  if (pp->ndeferpool > 0) {
    d = pp->deferpoolbuf[--pp->ndeferpool];
    pp->deferpoolbuf[pp->ndeferpool] = nullptr;
  }
  releasem(mp);
  // 3. Nothing pooled anywhere: a new record.
  if (d == nullptr) d = new _defer;
  d->heap = true;
  return d;
}

void freedefer(_defer* d) {
  d->link = nullptr;
  if (d->_panic != nullptr) throw_("freedefer with d._panic != nil");
  if (d->fn != nullptr) throw_("freedefer with d.fn != nil");
  if (!d->heap) return;
  m* mp = acquirem();
  p* pp = mp->p_;
  const std::int32_t capacity = static_cast<std::int32_t>(pp->deferpoolbuf.size());
  if (pp->ndeferpool == capacity) {
    // The local pool is full: move half of it to the central pool,
    // linking the records first so the lock is held briefly.
    _defer* first = nullptr;
    _defer* last = nullptr;
    while (pp->ndeferpool > capacity / 2) {
      _defer* d1 = pp->deferpoolbuf[--pp->ndeferpool];
      pp->deferpoolbuf[pp->ndeferpool] = nullptr;
      if (first == nullptr) {
        first = d1;
      } else {
        last->link = d1;
      }
      last = d1;
    }
    lock(&sched.deferlock);
    last->link = sched.deferpool;
    sched.deferpool = first;
    unlock(&sched.deferlock);
  }
  d->started = false;
  d->openDefer = false;
  d->sp = 0;
  d->drop = nullptr;
  pp->deferpoolbuf[pp->ndeferpool++] = d;
  releasem(mp);
}

// ---- Step 2: defer and the three-step return ----------------------------

void deferproc(_defer* d, uintptr sp) {
  g* gp = getg();
  if (gp == nullptr || gp->m_ == nullptr || gp->m_->curg.load(std::memory_order_relaxed) != gp) {
    throw_("defer on system stack");
  }
  d->sp = sp;
  d->link = gp->_defer;
  gp->_defer = d;
}

void deferprocStack(_defer* d, uintptr sp) {
  // d is in the frame, uninitialised as far as the runtime knows: set
  // every field but the call (the caller set fn, drop and the closure).
  d->started = false;
  d->heap = false;
  d->openDefer = false;
  d->_panic = nullptr;
  deferproc(d, sp);
}

void deferreturn(uintptr sp) {
  g* gp = getg();
  for (;;) {
    _defer* d = gp->_defer;
    if (d == nullptr || d->sp != sp) return;
    // Unlink d and let its trampoline free it (deferCallStart) before the
    // call runs: a deferred call that panics leaves nothing behind.
    void (*fn)(_defer*) = d->fn;
    d->fn = nullptr;
    gp->_defer = d->link;
    fn(d);
  }
}

void deferCallStart(_defer* d, uintptr frame) {
  if (d->_panic != nullptr) {
    d->_panic->argp = frame;  // gopanic or Goexit runs d: recover may match
    return;
  }
  freedefer(d);  // deferreturn runs d
}

// ---- Step 3: panic and recover -------------------------------------------

namespace {

// recovery: p was recovered by a deferred call of the frame sp. Go resumes
// that frame at its deferreturn, which runs the frame's remaining deferred
// calls and returns. gort runs them here, while the frames between the
// panic and sp (whose locals the calls may use) still exist, then unwinds
// to sp's Func, which returns its named result.
[[noreturn]] void recovery(uintptr sp) {
  deferreturn(sp);
  throw recoveryUnwind{sp};
}

}  // namespace

void gopanic(any e) {
  g* gp = getg();
  if (gp == nullptr || gp->m_ == nullptr || gp == gp->m_->g0) {
    // Not on a goroutine (a unit test calling the runtime directly): no
    // deferred calls to run; raise it as a C++ exception.
    if (const error* err = e.AsError(); err != nullptr) throw Panic(e.ErrorPtr());
    throw Panic(e.Print());
  }
  if (gp->m_->locks.load(std::memory_order_relaxed) != 0) {
    std::fprintf(stderr, "panic: %s\n", e.Print().c_str());
    throw_("panic holding locks");
  }

  _panic p;
  p.arg = std::move(e);
  p.link = gp->_panic;
  gp->_panic = &p;

  for (;;) {
    _defer* d = gp->_defer;
    if (d == nullptr) break;

    // 1. d was started by an earlier panic or Goexit and is still here: it
    //    panicked (that is how we got here). Drop it; the panic that
    //    started it can no longer be recovered or continue.
    if (d->started) {
      if (d->_panic != nullptr) d->_panic->aborted = true;
      d->_panic = nullptr;
      d->fn = nullptr;
      gp->_defer = d->link;
      freedefer(d);
      continue;
    }

    // 2. Run d with this panic attached, leaving it on the chain while it
    //    runs (a newer panic must find it, see 1). Its trampoline records
    //    its frame in p.argp, which is what recover compares with.
    d->started = true;
    d->_panic = &p;
    void (*fn)(_defer*) = d->fn;
    d->fn = nullptr;
    fn(d);
    p.argp = 0;

    // 3. d returned: remove it.
    if (gp->_defer != d) throw_("bad defer entry in panic");
    d->_panic = nullptr;
    const uintptr sp = d->sp;
    gp->_defer = d->link;
    freedefer(d);

    // 4. d recovered: this panic is over.
    if (p.recovered) {
      gp->_panic = p.link;
      if (gp->_panic != nullptr && gp->_panic->goexit && gp->_panic->aborted) {
        // A recover must not end a Goexit in progress: return to its loop.
        throw goexitRecovery{gp->_panic};
      }
      // Panics aborted by this one stay on the list until now.
      while (gp->_panic != nullptr && gp->_panic->aborted) gp->_panic = gp->_panic->link;
      recovery(sp);
    }
  }

  // 5. No deferred call recovered: print the chain and exit.
  fatalpanic(gp->_panic);
}

any gorecover(uintptr argp) {
  g* gp = getg();
  if (gp == nullptr) return nil;
  _panic* p = gp->_panic;
  if (p != nullptr && !p->goexit && !p->recovered && argp == p->argp) {
    p->recovered = true;
    return p->arg;
  }
  return nil;
}

// ---- Step 4: Goexit and the end of a panic ----------------------------------

void Goexit() {
  g* gp = getg();
  // A _panic for Goexit, so that a recover further down can tell it would
  // bypass it.
  _panic p;
  p.goexit = true;
  p.link = gp->_panic;
  gp->_panic = &p;

  for (;;) {
    _defer* d = gp->_defer;
    if (d == nullptr) break;
    if (d->started) {
      if (d->_panic != nullptr) {
        d->_panic->aborted = true;
        d->_panic = nullptr;
      }
      d->fn = nullptr;
      gp->_defer = d->link;
      freedefer(d);
      continue;
    }
    d->started = true;
    d->_panic = &p;
    void (*fn)(_defer*) = d->fn;
    d->fn = nullptr;
    try {
      fn(d);
    } catch (const goexitRecovery& r) {
      // d panicked and a deferred call further down recovered: Go returns
      // here (deferCallSave) instead of to the recovering frame.
      if (r.p != &p) throw;
    }
    if (p.aborted) {
      // d is gone already (the panic dropped it); carry on.
      p.aborted = false;
      continue;
    }
    if (gp->_defer != d) throw_("bad defer entry in Goexit");
    d->_panic = nullptr;
    gp->_defer = d->link;
    freedefer(d);
    // recover() returned nil in these calls: Goexit is not a panic.
  }
  goexit1();
}

std::string printpanics(const _panic* p) {
  std::string out;
  if (p->link != nullptr) {
    out = printpanics(p->link);
    if (!p->link->goexit) out += "\t";
  }
  if (p->goexit) return out;
  out += "panic: ";
  out += p->arg.Print();
  if (p->recovered) out += " [recovered]";
  out += "\n";
  return out;
}

}  // namespace gort::rt
