// gort::select: Go's select statement for C++.
//
//   gort::select(                                  // select {
//       gort::recv(in, [&](int v, bool ok) {...}),  // case v, ok := <-in: ...
//       gort::recv(quit, [&] { ... }),              // case <-quit: ...
//       gort::send(out, x, [&] { ... }),            // case out <- x: ...
//       gort::default_([&] { ... }));               // default: ... }
//
// Cases are evaluated (channels, values to send) before the select starts,
// as in Go. If several cases can proceed, one is chosen uniformly at random;
// if none can and there is a default, the default runs; otherwise the
// goroutine blocks until one can. A case on a nil channel is never chosen.
// select() with no cases blocks forever (Go's `select {}`). The chosen
// case's function runs after the communication, outside any lock, and
// select returns the argument position of the chosen case (0-based), which
// tests and loops find handy.
//
// A receive case's function may take (T v, bool ok), (T v), or nothing; a
// send case's function takes nothing; both functions are optional
// (gort::recv(ch), gort::send(ch, v)). Sending on a closed channel panics
// "send on closed channel", whether the case was chosen at once or after
// blocking.
//
// This file is the compiler's half (Go 1.19 cmd/compile/internal/walk/
// select.go): it lays the cases out as the runtime wants them, sends first
// and receives from the end, and calls rt::selectgo (chapter 06). Like the
// compiler, it turns a select with one case into a plain channel operation
// and one case plus default into selectnbsend/selectnbrecv.
#ifndef GORT_SELECT_H_
#define GORT_SELECT_H_

#include <array>
#include <cstdint>
#include <tuple>
#include <type_traits>
#include <utility>

#include "include/gort/chan.h"
#include "include/gort/rt/chan.h"

namespace gort {

namespace internal {

struct NoCaseFn {
  void operator()() const {}
};

template <class T, class F>
struct RecvCase {
  rt::hchan* c;
  F fn;
  T val{};
  // Whether the case uses the value (Go passes a nil elem otherwise).
  static constexpr bool kWantsValue = std::is_invocable_v<F&, T&&, bool> || std::is_invocable_v<F&, T&&>;
  void* elem() { return kWantsValue ? static_cast<void*>(&val) : nullptr; }
  void Run(bool ok) {
    if constexpr (std::is_invocable_v<F&, T&&, bool>) {
      fn(std::move(val), ok);
    } else if constexpr (std::is_invocable_v<F&, T&&>) {
      fn(std::move(val));
    } else {
      static_assert(std::is_invocable_v<F&>, "recv case: fn must take (T, bool), (T) or ()");
      fn();
    }
  }
};

template <class T, class F>
struct SendCase {
  rt::hchan* c;
  T val;
  F fn;
  void* elem() { return &val; }
  void Run(bool /*ok*/) {
    static_assert(std::is_invocable_v<F&>, "send case: fn must take no arguments");
    fn();
  }
};

template <class F>
struct DefaultCase {
  F fn;
  void Run() { fn(); }
};

template <class C>
struct CaseKind {
  static constexpr int kind = 0;  // not a case
};
template <class T, class F>
struct CaseKind<RecvCase<T, F>> {
  static constexpr int kind = 1;
};
template <class T, class F>
struct CaseKind<SendCase<T, F>> {
  static constexpr int kind = 2;
};
template <class F>
struct CaseKind<DefaultCase<F>> {
  static constexpr int kind = 3;
};

template <class C>
inline constexpr int kKind = CaseKind<std::remove_cvref_t<C>>::kind;

}  // namespace internal

// case v, ok := <-ch: fn(v, ok)   (or fn(v), or fn()).
template <class T, class F>
internal::RecvCase<T, std::decay_t<F>> recv(chan<T> ch, F&& fn) {
  return {ch.header(), std::forward<F>(fn)};
}
// case <-ch:
template <class T>
internal::RecvCase<T, internal::NoCaseFn> recv(chan<T> ch) {
  return {ch.header(), internal::NoCaseFn{}};
}

// case ch <- v: fn()
template <class T, class V, class F>
internal::SendCase<T, std::decay_t<F>> send(chan<T> ch, V&& v, F&& fn) {
  return {ch.header(), T(std::forward<V>(v)), std::forward<F>(fn)};
}
// case ch <- v:
template <class T, class V>
internal::SendCase<T, internal::NoCaseFn> send(chan<T> ch, V&& v) {
  return {ch.header(), T(std::forward<V>(v)), internal::NoCaseFn{}};
}

// default: fn()
template <class F>
internal::DefaultCase<std::decay_t<F>> default_(F&& fn) {
  return {std::forward<F>(fn)};
}

// select { cases... }. Returns the position of the chosen case among the
// arguments. Never returns for select() with no cases.
template <class... Cases>
int select(Cases&&... cases) {
  static_assert(((internal::kKind<Cases> != 0) && ...),
                "select: arguments must be gort::recv, gort::send or gort::default_");
  constexpr int kDefaults = ((internal::kKind<Cases> == 3 ? 1 : 0) + ... + 0);
  static_assert(kDefaults <= 1, "select: multiple defaults");
  constexpr int kCases = static_cast<int>(sizeof...(Cases)) - kDefaults;
  static_assert(kCases <= rt::kMaxSelectCases, "select: too many cases");

  if constexpr (kCases == 0 && kDefaults == 0) {
    rt::block();  // select {}
  } else {
    auto all = std::forward_as_tuple(cases...);
    int chosen = -1;
    bool recvOK = false;
    int defaultArg = -1;

    if constexpr (kCases == 0) {
      // select { default: }
      chosen = -1;
    } else if constexpr (kCases == 1) {
      // One case, with or without default: a plain (or non-blocking)
      // channel operation, as the compiler emits.
      [&]<std::size_t... I>(std::index_sequence<I...>) {
        (
            [&] {
              auto& cas = std::get<I>(all);
              constexpr int kind = internal::kKind<decltype(cas)>;
              if constexpr (kind == 1) {
                if constexpr (kDefaults == 0) {
                  recvOK = rt::chanrecv(cas.c, cas.elem(), true).received;
                  chosen = static_cast<int>(I);
                } else {
                  const rt::recvResult r = rt::selectnbrecv(cas.elem(), cas.c);
                  if (r.selected) chosen = static_cast<int>(I);
                  recvOK = r.received;
                }
              } else if constexpr (kind == 2) {
                if constexpr (kDefaults == 0) {
                  rt::chansend1(cas.c, cas.elem());
                  chosen = static_cast<int>(I);
                } else if (rt::selectnbsend(cas.c, cas.elem())) {
                  chosen = static_cast<int>(I);
                }
              }
            }(),
            ...);
      }(std::index_sequence_for<Cases...>{});
    } else {
      std::array<rt::scase, kCases> scases{};
      std::array<std::uint16_t, 2 * kCases> order{};
      std::array<int, kCases> argOf{};
      int nsends = 0;
      int nrecvs = 0;
      // Go's layout: sends from the front, receives from the back.
      [&]<std::size_t... I>(std::index_sequence<I...>) {
        (
            [&] {
              auto& cas = std::get<I>(all);
              constexpr int kind = internal::kKind<decltype(cas)>;
              if constexpr (kind == 1 || kind == 2) {
                int slot;
                if constexpr (kind == 2) {
                  slot = nsends++;
                } else {
                  nrecvs++;
                  slot = kCases - nrecvs;
                }
                scases[slot] = rt::scase{cas.c, cas.elem()};
                argOf[slot] = static_cast<int>(I);
              }
            }(),
            ...);
      }(std::index_sequence_for<Cases...>{});
      // Receives were placed at kCases-1, kCases-2, ...: they already sit
      // right after the sends.
      auto [casi, ok] = rt::selectgo(scases.data(), order.data(), nsends, nrecvs, kDefaults == 0);
      if (casi >= 0) chosen = argOf[casi];
      recvOK = ok;
    }

    // Run the chosen case's function (or the default's).
    [&]<std::size_t... I>(std::index_sequence<I...>) {
      (
          [&] {
            auto& cas = std::get<I>(all);
            constexpr int kind = internal::kKind<decltype(cas)>;
            if constexpr (kind == 3) {
              defaultArg = static_cast<int>(I);
              if (chosen < 0) cas.Run();
            } else {
              if (chosen == static_cast<int>(I)) cas.Run(recvOK);
            }
          }(),
          ...);
    }(std::index_sequence_for<Cases...>{});
    return chosen >= 0 ? chosen : defaultArg;
  }
}

}  // namespace gort

#endif  // GORT_SELECT_H_
