// Printing of panic values and of an unrecovered panic, and the teardown of
// the defer pools: the parts of panic.go that chapter 03's kata leaves to
// the runtime.
//
// Mirrors Go 1.19 src/runtime/print.go (printfloat) and panic.go
// (fatalpanic; the deferpool teardown has no Go counterpart: Go's GC
// reclaims the records).
#include <cstdio>
#include <cstdlib>
#include <string>

#include "include/gort/rt/panic.h"
#include "include/gort/rt/runtime2.h"

namespace gort::rt {

std::string printfloat(double v) {
  if (v != v) return "NaN";
  if (v + v == v && v > 0) return "+Inf";
  if (v + v == v && v < 0) return "-Inf";
  constexpr int n = 7;  // digits printed
  char buf[n + 7];
  buf[0] = '+';
  int e = 0;  // exponent
  if (v == 0) {
    if (1 / v < 0) buf[0] = '-';
  } else {
    if (v < 0) {
      v = -v;
      buf[0] = '-';
    }
    // Normalise to [1, 10).
    while (v >= 10) {
      e++;
      v /= 10;
    }
    while (v < 1) {
      e--;
      v *= 10;
    }
    // Round.
    double h = 5.0;
    for (int i = 0; i < n; i++) h /= 10;
    v += h;
    if (v >= 10) {
      e++;
      v /= 10;
    }
  }
  // Format +d.dddddde+ddd.
  for (int i = 0; i < n; i++) {
    const int s = static_cast<int>(v);
    buf[i + 2] = static_cast<char>(s + '0');
    v -= s;
    v *= 10;
  }
  buf[1] = buf[2];
  buf[2] = '.';
  buf[n + 2] = 'e';
  buf[n + 3] = '+';
  if (e < 0) {
    e = -e;
    buf[n + 3] = '-';
  }
  buf[n + 4] = static_cast<char>(e / 100 + '0');
  buf[n + 5] = static_cast<char>(e / 10 % 10 + '0');
  buf[n + 6] = static_cast<char>(e % 10 + '0');
  return std::string(buf, sizeof buf);
}

void fatalpanic(const _panic* msgs) {
  // Go prints the chain, a blank line, then the goroutine's traceback
  // (gort prints only its header), and exits with status 2.
  const std::string text = msgs != nullptr ? printpanics(msgs) : std::string();
  g* gp = getg();
  const long long goid = gp != nullptr && gp->goid != 0 ? gp->goid : 1;
  std::fprintf(stderr, "%s\ngoroutine %lld [running]:\n", text.c_str(), goid);
  std::fflush(stdout);
  std::fflush(stderr);
  std::_Exit(2);
}

void freeDeferPool(p* pp) {
  for (std::int32_t i = 0; i < pp->ndeferpool; i++) {
    delete pp->deferpoolbuf[i];
    pp->deferpoolbuf[i] = nullptr;
  }
  pp->ndeferpool = 0;
}

void freeCentralDeferPool() {
  lock(&sched.deferlock);
  while (_defer* d = sched.deferpool) {
    sched.deferpool = d->link;
    delete d;
  }
  unlock(&sched.deferlock);
}

void discardDefers(g* gp) {
  while (_defer* d = gp->_defer) {
    gp->_defer = d->link;
    if (d->fn != nullptr && d->drop != nullptr) d->drop(d);
    if (d->heap) delete d;  // a frame's own record dies with its stack
  }
  gp->_panic = nullptr;
}

void discardFrameDefers(uintptr sp) {
  g* gp = getg();
  while (_defer* d = gp->_defer) {
    if (d->sp != sp) break;
    gp->_defer = d->link;
    if (d->fn != nullptr && d->drop != nullptr) d->drop(d);
    d->fn = nullptr;
    d->_panic = nullptr;
    freedefer(d);
  }
}

}  // namespace gort::rt
