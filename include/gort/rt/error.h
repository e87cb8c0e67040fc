// Runtime errors and panics: the values Go's runtime panics with, and the
// C++ exception for panics raised outside any goroutine.
//
// Mirrors Go 1.19 src/runtime/error.go (Error, errorString, boundsError)
// and the entry points of panic.go (panicIndex, panicSlice*, panicmem,
// throw, fatal).
//
// On a goroutine, panicError hands the error to gopanic (panic.h, chapter
// 03), which runs deferred calls, lets recover stop the panic, or prints it
// and exits 2, as Go does. Outside a goroutine (unit tests calling runtime
// functions directly) there are no deferred calls to run, and the panic is
// thrown as rt::Panic.
#ifndef GORT_RT_ERROR_H_
#define GORT_RT_ERROR_H_

#include <exception>
#include <memory>
#include <string>
#include <utility>

#include "include/gort/rt/types.h"

namespace gort::rt {

// Go's builtin `error` interface, as far as the runtime needs it. Every
// runtime error (Go's runtime.Error) implements it; the RuntimeError()
// marker says "this came from the runtime", as in Go.
class error {
 public:
  virtual ~error() = default;
  // The text Go prints, e.g. "runtime error: index out of range [5] with
  // length 3".
  virtual std::string Error() const = 0;
  virtual bool RuntimeError() const { return false; }
};

// errorString: a runtime error with a fixed message. Error() prefixes
// "runtime error: ", as Go's does.
class errorString final : public error {
 public:
  explicit errorString(const char* str) : str_(str) {}
  std::string Error() const override;
  bool RuntimeError() const override { return true; }

 private:
  const char* str_;
};

// plainError: a runtime error whose text carries no "runtime error: "
// prefix (Go: plainError, used for "assignment to entry in nil map" and the
// channel errors). recover() still sees a runtime.Error.
class plainError final : public error {
 public:
  explicit plainError(const char* str) : str_(str) {}
  std::string Error() const override { return str_; }
  bool RuntimeError() const override { return true; }

 private:
  const char* str_;
};

// boundsErrorCode: which bounds check failed (Go's ordering).
enum class boundsErrorCode : std::uint8_t {
  boundsIndex,       // s[x], 0 <= x < len(s) failed
  boundsSliceAlen,   // s[?:x], 0 <= x <= len(s) failed
  boundsSliceAcap,   // s[?:x], 0 <= x <= cap(s) failed
  boundsSliceB,      // s[x:y], 0 <= x <= y failed (but boundsSliceA* didn't)
  boundsSlice3Alen,  // s[?:?:x], 0 <= x <= len(s) failed
  boundsSlice3Acap,  // s[?:?:x], 0 <= x <= cap(s) failed
  boundsSlice3B,     // s[?:x:y], 0 <= x <= y failed (but boundsSlice3A* didn't)
  boundsSlice3C,     // s[x:y:?], 0 <= x <= y failed (but boundsSlice3A/B didn't)
};

// boundsError: an index or slice expression out of range. x is the failing
// value (signed unless the Go expression used an unsigned type), y the bound.
class boundsError final : public error {
 public:
  boundsError(std::int64_t x, bool is_signed, intgo y, boundsErrorCode code)
      : x_(x), signed_(is_signed), y_(y), code_(code) {}
  std::string Error() const override;
  bool RuntimeError() const override { return true; }

 private:
  std::int64_t x_;
  bool signed_;
  intgo y_;
  boundsErrorCode code_;
};

// Panic: a panic raised where there is no goroutine to run deferred calls
// (runtime functions called directly by unit tests, outside gort::Run), as
// a C++ exception. Inside a goroutine gopanic (include/gort/rt/panic.h)
// handles a panic the way Go does and never throws this. what() is the text
// Go prints after "panic: ".
class Panic : public std::exception {
 public:
  explicit Panic(std::shared_ptr<const error> value);
  // A panic value that is not an error: only its printed text is kept.
  explicit Panic(std::string text) : text_(std::move(text)) {}
  const char* what() const noexcept override { return text_.c_str(); }
  // The panic value (Go's recover() result, for runtime errors). Only for
  // panics whose value is an error.
  const error& value() const { return *value_; }

 private:
  std::shared_ptr<const error> value_;
  std::string text_;
};

// panicError starts a panic with a runtime error value (Go: panic(err) in
// the runtime): gopanic inside a goroutine, a thrown Panic outside one.
[[noreturn]] void panicError(std::shared_ptr<const error> err);

// panicmem: a nil pointer dereference (Go: panicmem, raised from the
// SIGSEGV handler), "runtime error: invalid memory address or nil pointer
// dereference". gort has no fault handler: code checks and calls it.
[[noreturn]] void panicmem();

// The compiler's bounds-check failure entry points (Go 1.19 panic.go).
[[noreturn]] void panicIndex(intgo x, intgo y);
[[noreturn]] void panicSliceAlen(intgo x, intgo y);
[[noreturn]] void panicSliceAcap(intgo x, intgo y);
[[noreturn]] void panicSliceB(intgo x, intgo y);
[[noreturn]] void panicSlice3Alen(intgo x, intgo y);
[[noreturn]] void panicSlice3Acap(intgo x, intgo y);
[[noreturn]] void panicSlice3B(intgo x, intgo y);
[[noreturn]] void panicSlice3C(intgo x, intgo y);

// throw_ is Go's throw: an unrecoverable runtime failure. Prints
// "fatal error: <s>" and the goroutine header to stderr and exits with
// status 2, like a Go process. (`throw` is a C++ keyword, hence the _.)
[[noreturn]] void throw_(const char* s);

// fatal is Go 1.19's fatal: like throw_, but for failures the program
// caused rather than the runtime (map data races, for example). Same text,
// "fatal error: <s>", and the same exit status 2.
[[noreturn]] void fatal(const char* s);

// Prints a Panic that escaped a goroutine's function the way Go does
// ("panic: <value>" + goroutine header) and exits with status 2. Panics
// inside goroutines go through gopanic and its fatalpanic (panic.h).
[[noreturn]] void fatalpanic(const Panic& p);

}  // namespace gort::rt

#endif  // GORT_RT_ERROR_H_
