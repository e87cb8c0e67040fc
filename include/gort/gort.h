// gort: the Go runtime, rebuilt in C++. The entry point of a gort program.
//
//   int main() {
//     gort::Run([] {
//       auto s = gort::make_slice<int>(0, 4);
//       ...
//     });
//   }
//
// gort::Run is a Go process in a box: it starts a fresh runtime, runs `main`
// as the program's main function and tears the runtime down when main
// returns, so one C++ process (a test binary, say) can run many programs.
// An unrecovered panic or a fatal error ends the whole process the way Go
// does: Go's text on stderr and exit status 2.
//
// main runs as goroutine 1 on gort's GMP scheduler (chapter 04); the
// calling thread becomes m0. Goroutines still running or blocked when main
// returns are discarded, as when a Go process exits. A goroutine blocked
// forever inside gort::Syscall keeps Run from returning.
#ifndef GORT_GORT_H_
#define GORT_GORT_H_

#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/functional/function_ref.h"
#include "include/gort/chan.h"
#include "include/gort/defer.h"
#include "include/gort/go.h"
#include "include/gort/map.h"
#include "include/gort/select.h"
#include "include/gort/slice.h"
#include "include/gort/time.h"

namespace gort {

struct Options {
  // Number of ps (GOMAXPROCS). 0: the GOMAXPROCS environment variable, else
  // the number of CPUs.
  int gomaxprocs = 0;
  // Seed of every random choice the runtime makes (steal victims, select
  // order, map seeds, ...). 0: random. With gomaxprocs = 1 a fixed seed
  // replays a program's schedule exactly.
  std::uint64_t seed = 0;
  // Usable bytes of every goroutine stack (rounded up to pages). 0: 256 KiB.
  std::size_t stack_size = 0;
  // Runtime debug settings in GODEBUG's syntax ("slicegrowth=go1.17",
  // "schedtrace=100", "asyncpreemptoff=1"), applied after the GODEBUG
  // environment variable, so they win.
  std::string godebug;
};

// Runs `main` as a Go program's main function on a fresh runtime. Returns
// when main returns; every value the program allocated is gone afterwards.
// Not reentrant: one Run at a time per process.
void Run(absl::FunctionRef<void()> main, const Options& options = {});

}  // namespace gort

#endif  // GORT_GORT_H_
