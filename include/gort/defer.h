// defer, panic and recover: Go functions with deferred calls and named
// results, spelled in C++.
//
// A Go function that defers something is compiled with a frame whose
// deferred calls run at every return, after the results are assigned
// (Go's three-step return: results = values; run deferred calls, last
// first; return). gort::Func<R> is that frame: it runs a body lambda that
// receives the frame and the named result, and returns the result once the
// deferred calls have run.
//
//   // func f1() (result int) { defer func() { result++ }(); return 0 }
//   int f1() {
//     return gort::Func<int>([](auto& f, int& result) {
//       f.defer([&] { result++; });
//       return f.Return(0);          // result = 0; deferred calls; return
//     });
//   }
//
//   // defer show(get(1)): arguments are evaluated (copied) now
//   f.defer(show, get(1));
//   // defer s.Add(1).Add(2).Add(4): all but the last call now
//   f.defer(&Slice::Add, s.Add(1)->Add(2), 4);
//
//   gort::panic("boom");                       // panic("boom")
//   f.defer([&] {                              // defer func() {
//     if (gort::any r = gort::recover(); r != gort::nil) {  //   if r := recover(); r != nil {
//       err = r.Print();                       //     ...
//     }                                        //   }
//   });                                        // }()
//
// Rules (each one Go's):
//   - The body must end every path with `return f.Return(...)` (it returns
//     a Returned, which only Return makes). Return(v) assigns the named
//     result, Return() keeps it (Go's bare return).
//   - f.defer(fn, args...) copies fn and args into the deferred call now;
//     a lambda that captures by reference sees variables as they are when
//     it runs. The call's result is discarded.
//   - recover() returns the panic value only when it is called directly by
//     a deferred function that a panic is running; anywhere else (a helper
//     called by it, a normal return, Goexit) it returns nil. gort checks
//     this like Go does, by frame: see recover() below.
//   - A panic in the body (or anything it calls) runs the deferred calls on
//     top of the stack, before any unwinding; if one recovers, the frame
//     that deferred it returns normally with its named result as it is.
//
// Everything here must run on a goroutine (inside gort::Run).
#ifndef GORT_DEFER_H_
#define GORT_DEFER_H_

#include <cstddef>
#include <memory>
#include <new>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>

#include "include/gort/rt/any.h"
#include "include/gort/rt/panic.h"

namespace gort {

template <class R>
class Frame;
template <class R = void, class Body>
R Func(Body&& body);

// What Frame::Return gives back: proof that the body returned through
// Return, so that the deferred calls ran while its locals were alive.
class [[nodiscard]] Returned {
 private:
  Returned() = default;
  template <class R>
  friend class Frame;
};

namespace internal {

// The deferred call: the function value and its copied arguments.
template <class Fn, class... Args>
struct Deferred {
  Fn fn;
  std::tuple<Args...> args;
};

template <class C>
inline constexpr bool kDeferInPlace =
    sizeof(C) <= rt::kDeferClosureBytes && alignof(C) <= 16;

// recv.*pmf(args...), recv a pointer or a value.
template <class Pmf, class Recv, class... Args>
[[gnu::always_inline]] inline void MethodCall(Pmf pmf, Recv& recv, Args&... args) {
  if constexpr (std::is_pointer_v<Recv>) {
    (recv->*pmf)(args...);
  } else {
    (recv.*pmf)(args...);
  }
}

// Calls fn(args...) from the frame this is inlined into (always inlined,
// even at -O0), through a pointer the optimiser cannot see through, so the
// user's function is never inlined into the trampoline: it keeps a frame
// of its own whose caller is the trampoline, which is what recover checks.
template <class Fn, class... Args>
[[gnu::always_inline]] inline void OpaqueCall(Fn& fn, Args&... args) {
  if constexpr (std::is_member_function_pointer_v<Fn>) {
    Fn pmf = fn;
    asm("" : "+m"(pmf));
    MethodCall(pmf, args...);
  } else if constexpr (std::is_pointer_v<Fn> && std::is_function_v<std::remove_pointer_t<Fn>>) {
    Fn f = fn;
    asm("" : "+r"(f));
    f(args...);
  } else {
    auto pmf = &Fn::operator();
    asm("" : "+m"(pmf));
    // The opaque pointer-to-member might, for all GCC knows, be virtual;
    // its dead "load the vtable" branch trips -Warray-bounds at -O2 for
    // closures smaller than a pointer.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Warray-bounds"
    (fn.*pmf)(args...);
#pragma GCC diagnostic pop
  }
}

template <class Fn, class... Args, std::size_t... I>
[[gnu::always_inline]] inline void CallWithArgs(Fn& fn, std::tuple<Args...>& args,
                                                std::index_sequence<I...>) {
  OpaqueCall(fn, std::get<I>(args)...);
}

// The trampoline in _defer::fn. Moves the call out of the record, tells the
// runtime its frame (the "argp" recover compares with), then calls it.
template <class C>
[[gnu::noinline]] void RunDeferred(rt::_defer* d) {
  C* stored;
  if constexpr (kDeferInPlace<C>) {
    stored = std::launder(reinterpret_cast<C*>(d->buf));
  } else {
    stored = *reinterpret_cast<C**>(d->buf);
  }
  C call(std::move(*stored));
  if constexpr (kDeferInPlace<C>) {
    stored->~C();
  } else {
    delete stored;
  }
  rt::deferCallStart(d, reinterpret_cast<rt::uintptr>(__builtin_frame_address(0)));
  CallWithArgs(call.fn, call.args, std::make_index_sequence<std::tuple_size_v<decltype(call.args)>>{});
}

template <class C>
void DropDeferred(rt::_defer* d) {
  if constexpr (kDeferInPlace<C>) {
    std::launder(reinterpret_cast<C*>(d->buf))->~C();
  } else {
    delete *reinterpret_cast<C**>(d->buf);
  }
}

}  // namespace internal

// The frame of a Go function with deferred calls and a named result of
// type R (void: none). Made by gort::Func; never copied or moved (its
// address names it on the g's _defer chain, as Go's frame sp does).
template <class R>
class Frame {
 public:
  Frame(const Frame&) = delete;
  Frame& operator=(const Frame&) = delete;

  // defer fn(args...): fn and args are copied now, the call runs when the
  // frame returns or panics. fn may be a lambda or functor (no generic
  // operator()), a function pointer, or a member function pointer whose
  // first argument is the receiver (pointer or value). Cost: one pooled
  // record (the frame's own for its first defer), no allocation when fn
  // and args fit in kDeferClosureBytes.
  template <class F, class... Args>
  void defer(F&& fn, Args&&... args) {
    using C = internal::Deferred<std::decay_t<F>, std::decay_t<Args>...>;
    // The frame's first deferred call uses the record inside the frame
    // (Go's deferprocStack); later ones take one from the p's pool.
    const bool inFrame = !frameRecordUsed_;
    rt::_defer* d = inFrame ? &frameRecord_ : rt::newdefer();
    frameRecordUsed_ = true;
    if constexpr (internal::kDeferInPlace<C>) {
      ::new (static_cast<void*>(d->buf)) C{std::forward<F>(fn), {std::forward<Args>(args)...}};
    } else {
      *reinterpret_cast<C**>(d->buf) = new C{std::forward<F>(fn), {std::forward<Args>(args)...}};
    }
    d->fn = &internal::RunDeferred<C>;
    d->drop = &internal::DropDeferred<C>;
    if (inFrame) {
      rt::deferprocStack(d, sp());
    } else {
      rt::deferproc(d, sp());
    }
  }

  // return v: assigns the named result, runs the deferred calls (last
  // first), and gives the body what it must return.
  template <class V>
    requires(!std::is_void_v<R> && std::is_convertible_v<V, R>)
  Returned Return(V&& v) {
    result_ = std::forward<V>(v);
    return Return();
  }
  // Bare return: the named result as it is.
  Returned Return() {
    rt::deferreturn(sp());
    return Returned();
  }

 private:
  Frame() = default;
  rt::uintptr sp() const { return reinterpret_cast<rt::uintptr>(this); }
  // A C++ exception that is no Go panic (a kata stub's) leaves the frame:
  // its deferred calls are dropped, not run.
  void Discard() { rt::discardFrameDefers(sp()); }

  rt::_defer frameRecord_;  // Go: the _defer of deferprocStack, in the frame
  bool frameRecordUsed_ = false;
  struct Empty {};
  [[no_unique_address]] std::conditional_t<std::is_void_v<R>, Empty, R> result_{};

  template <class R2, class Body>
  friend R2 Func(Body&& body);
};

// Runs body as a Go function with deferred calls and a named result R:
// body(Frame<R>& f, R& result) (or body(Frame<void>& f) when R is void)
// must return f.Return(...). Returns the named result as it is after the
// deferred calls ran, also when a deferred call of this frame recovered a
// panic.
template <class R, class Body>
R Func(Body&& body) {
  Frame<R> f;
  try {
    if constexpr (std::is_void_v<R>) {
      static_assert(std::is_same_v<std::invoke_result_t<Body&, Frame<R>&>, Returned>,
                    "the body must end with `return f.Return();`");
      Returned done = body(f);
      (void)done;
    } else {
      static_assert(std::is_same_v<std::invoke_result_t<Body&, Frame<R>&, R&>, Returned>,
                    "the body must end with `return f.Return(...);`");
      Returned done = body(f, f.result_);
      (void)done;
    }
  } catch (const rt::recoveryUnwind& u) {
    // A deferred call of ours recovered: the runtime ran our remaining
    // deferred calls; return normally. Anyone else's: keep unwinding.
    if (u.sp != f.sp()) throw;
  } catch (...) {
    f.Discard();
    throw;
  }
  if constexpr (!std::is_void_v<R>) return std::move(f.result_);
}

namespace errors {

// errors.New: an error value whose Error() is text.
inline std::shared_ptr<const rt::error> New(std::string text) {
  class errorString final : public rt::error {
   public:
    explicit errorString(std::string s) : s_(std::move(s)) {}
    std::string Error() const override { return s_; }

   private:
    std::string s_;
  };
  return std::make_shared<errorString>(std::move(text));
}

}  // namespace errors

// panic(v): starts a panic on the calling goroutine (rt::gopanic).
[[noreturn]] inline void panic(any v) { rt::gopanic(std::move(v)); }

namespace internal {
// Read (volatile) as the size of recover's alloca: always 0, never a
// constant the compiler can fold.
inline volatile std::size_t recoverAnchorBytes = 0;
}  // namespace internal

// recover(): the value of the panic in progress, if the function calling
// recover was called directly by the runtime as a deferred call of that
// panic; nil otherwise.
//
// How gort knows "called directly" (Go: gorecover(argp) compares the
// caller's argument pointer with p.argp): this function is always inlined
// into its caller F, reads F's frame and, from it, the frame of F's
// caller (frame pointers are on for all gort code); the runtime recorded
// the frame of the trampoline that called the deferred function. They match
// only when F is the deferred function itself. For that to hold, F must
// not be inlined into anything: cmd/compile never inlines a function that
// calls recover, and the variable-size alloca below makes GCC refuse to
// inline F too (it never inlines a function that calls alloca).
[[gnu::always_inline]] inline any recover() {
  void* volatile anchor = __builtin_alloca(internal::recoverAnchorBytes);
  (void)anchor;
  auto* frame = static_cast<rt::uintptr*>(__builtin_frame_address(0));
  return rt::gorecover(frame[0]);
}

}  // namespace gort

#endif  // GORT_DEFER_H_
