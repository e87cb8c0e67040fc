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
// Today main runs on the calling thread; the scheduler chapter makes it
// goroutine 1 on a GMP scheduler without changing this interface.
#ifndef GORT_GORT_H_
#define GORT_GORT_H_

#include <string>

#include "absl/functional/function_ref.h"
#include "include/gort/map.h"
#include "include/gort/slice.h"

namespace gort {

struct Options {
  // Runtime debug settings in GODEBUG's syntax ("slicegrowth=go1.17"),
  // applied after the GODEBUG environment variable, so they win.
  std::string godebug;
};

// Runs `main` as a Go program's main function on a fresh runtime. Returns
// when main returns; every value the program allocated is gone afterwards.
// Not reentrant: one Run at a time per process.
void Run(absl::FunctionRef<void()> main, const Options& options = {});

}  // namespace gort

#endif  // GORT_GORT_H_
