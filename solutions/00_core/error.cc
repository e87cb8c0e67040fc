// Runtime errors, panics and throw.
//
// Mirrors Go 1.19 src/runtime/error.go (errorString, boundsError and its
// message tables) and the bounds-check entry points of panic.go.
#include "include/gort/rt/error.h"

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "include/gort/rt/panic.h"
#include "include/gort/rt/runtime2.h"

namespace gort::rt {
namespace {

// boundsErrorFmts: "%x" is the failing value, "%y" the bound (Go's tables).
constexpr const char* kBoundsErrorFmts[] = {
    "index out of range [%x] with length %y",
    "slice bounds out of range [:%x] with length %y",
    "slice bounds out of range [:%x] with capacity %y",
    "slice bounds out of range [%x:%y]",
    "slice bounds out of range [::%x] with length %y",
    "slice bounds out of range [::%x] with capacity %y",
    "slice bounds out of range [:%x:%y]",
    "slice bounds out of range [%x:%y:]",
};

// boundsNegErrorFmts replace the above when x is negative: y adds nothing.
constexpr const char* kBoundsNegErrorFmts[] = {
    "index out of range [%x]",
    "slice bounds out of range [:%x]",
    "slice bounds out of range [:%x]",
    "slice bounds out of range [%x:]",
    "slice bounds out of range [::%x]",
    "slice bounds out of range [::%x]",
    "slice bounds out of range [:%x:]",
    "slice bounds out of range [%x::]",
};

[[noreturn]] void panicBounds(intgo x, intgo y, boundsErrorCode code) {
  panicError(std::make_shared<boundsError>(x, /*is_signed=*/true, y, code));
}

}  // namespace

std::string errorString::Error() const {
  return absl::StrCat("runtime error: ", str_);
}

std::string boundsError::Error() const {
  const auto code = static_cast<std::size_t>(code_);
  const char* fmt = signed_ && x_ < 0 ? kBoundsNegErrorFmts[code]
                                      : kBoundsErrorFmts[code];
  std::string b = "runtime error: ";
  for (const char* c = fmt; *c != '\0'; ++c) {
    if (*c != '%') {
      b.push_back(*c);
      continue;
    }
    ++c;
    if (*c == 'x') {
      if (signed_) {
        absl::StrAppend(&b, x_);
      } else {
        absl::StrAppend(&b, static_cast<std::uint64_t>(x_));
      }
    } else {
      absl::StrAppend(&b, y_);
    }
  }
  return b;
}

Panic::Panic(std::shared_ptr<const error> value)
    : value_(std::move(value)), text_(value_->Error()) {}

void panicError(std::shared_ptr<const error> err) {
  // On a goroutine, a Go panic: deferred calls, recover, fatalpanic. Unit
  // tests that call runtime functions outside gort::Run get an exception.
  g* gp = getg();
  if (gp == nullptr || gp->m_ == nullptr || gp == gp->m_->g0) throw Panic(std::move(err));
  gopanic(any(std::move(err)));
}

namespace {
const errorString memoryError("invalid memory address or nil pointer dereference");
}  // namespace

void panicmem() { panicError(std::shared_ptr<const error>(&memoryError, [](const error*) {})); }

void panicIndex(intgo x, intgo y) { panicBounds(x, y, boundsErrorCode::boundsIndex); }
void panicSliceAlen(intgo x, intgo y) { panicBounds(x, y, boundsErrorCode::boundsSliceAlen); }
void panicSliceAcap(intgo x, intgo y) { panicBounds(x, y, boundsErrorCode::boundsSliceAcap); }
void panicSliceB(intgo x, intgo y) { panicBounds(x, y, boundsErrorCode::boundsSliceB); }
void panicSlice3Alen(intgo x, intgo y) { panicBounds(x, y, boundsErrorCode::boundsSlice3Alen); }
void panicSlice3Acap(intgo x, intgo y) { panicBounds(x, y, boundsErrorCode::boundsSlice3Acap); }
void panicSlice3B(intgo x, intgo y) { panicBounds(x, y, boundsErrorCode::boundsSlice3B); }
void panicSlice3C(intgo x, intgo y) { panicBounds(x, y, boundsErrorCode::boundsSlice3C); }

// Go exits with status 2 after a fatal error or an unrecovered panic, and
// runs no exit hooks: std::_Exit, after flushing what we printed.
[[noreturn]] static void exit2() {
  std::fflush(stdout);
  std::fflush(stderr);
  std::_Exit(2);
}

void throw_(const char* s) {
  std::fprintf(stderr, "fatal error: %s\n\ngoroutine 1 [running]:\n", s);
  exit2();
}

void fatal(const char* s) { throw_(s); }

void fatalpanic(const Panic& p) {
  g* gp = getg();
  const long long goid = gp != nullptr && gp->goid != 0 ? gp->goid : 1;
  std::fprintf(stderr, "panic: %s\n\ngoroutine %lld [running]:\n", p.what(), goid);
  exit2();
}

}  // namespace gort::rt
