// gort::chan<T>: Go's chan T for C++.
//
// A chan is one pointer to the runtime's channel (rt::hchan), exactly what
// a Go channel value is. Copying a chan copies the pointer: copies share
// the channel. A default-constructed chan is the nil channel. This file is
// the "compiler" half: it lowers channel expressions to the runtime calls
// in include/gort/rt/chan.h the way cmd/compile does (walk/expr.go,
// walk/range.go); the channel itself, which chapter 05 teaches, lives in
// the runtime.
//
//   auto ch = gort::make_chan<int>(3);   // ch := make(chan int, 3)
//   ch.send(1);                          // ch <- 1
//   int v = ch.recv();                   // v := <-ch
//   auto [w, ok] = ch.recv_ok();         // w, ok := <-ch
//   gort::close(ch);                     // close(ch)
//   for (int x : ch) { ... }             // for x := range ch
//   intgo n = gort::len(ch), c = gort::cap(ch);
//
// Everything that blocks must run on a goroutine (inside gort::Run): a
// blocked send or receive parks the goroutine, not the thread.
//
// Elements: any type with a noexcept default constructor (its zero value)
// that can be move-assigned. Values are moved through the channel: send
// takes its argument by value and moves it on, recv returns the moved value.
// So move-only types (std::unique_ptr) and std::string work; a copy happens
// only where the caller copies into send's parameter.
//
// Panics (rt::Panic, Go's texts): send on a closed channel ("send on closed
// channel"), close of a nil or closed channel ("close of nil channel",
// "close of closed channel"). A send or receive on a nil channel blocks
// forever; if nothing else can run, the program ends with Go's deadlock
// error.
//
// Thread safety: like Go's channels, safe for any number of goroutines.
#ifndef GORT_CHAN_H_
#define GORT_CHAN_H_

#include <cstddef>
#include <iterator>
#include <utility>

#include "include/gort/rt/chan.h"
#include "include/gort/rt/type.h"
#include "include/gort/rt/types.h"

namespace gort {

using rt::intgo;

template <class T>
class chan {
 public:
  using value_type = T;

  // The nil channel.
  chan() = default;
  // Wraps a runtime channel whose element type is T.
  explicit chan(rt::hchan* c) : c_(c) {}

  // ch <- v. Blocks until a receiver takes v or there is room in the
  // buffer. Panics "send on closed channel".
  void send(T v) const { rt::chansend1(c_, &v); }

  // v := <-ch. Blocks until a value arrives; the zero value T() once the
  // channel is closed and drained.
  T recv() const {
    T v{};
    rt::chanrecv1(c_, &v);
    return v;
  }

  // v, ok := <-ch. ok is false when the channel is closed and drained
  // (v is then T()).
  std::pair<T, bool> recv_ok() const {
    T v{};
    const bool ok = rt::chanrecv2(c_, &v);
    return {std::move(v), ok};
  }

  // <-ch: receives and drops the value. Returns ok, as recv_ok.
  bool recv_drop() const { return rt::chanrecv(c_, nullptr, true).received; }

  // select { case ch <- v: return true; default: return false }
  bool try_send(T v) const { return rt::selectnbsend(c_, &v); }

  // select { case x, ok := <-ch: ...; default: ... }: *selected is false
  // when nothing was ready (the result is then {T(), false}).
  std::pair<T, bool> try_recv(bool* selected) const {
    T v{};
    const rt::recvResult r = rt::selectnbrecv(&v, c_);
    *selected = r.selected;
    return {std::move(v), r.received};
  }

  // for v := range ch: an input range that receives until the channel is
  // closed and drained.
  class iterator {
   public:
    using iterator_category = std::input_iterator_tag;
    using value_type = T;
    using difference_type = std::ptrdiff_t;
    using pointer = T*;
    using reference = T&;

    iterator() = default;
    explicit iterator(rt::hchan* c) : c_(c) { Next(); }
    T& operator*() { return v_; }
    iterator& operator++() {
      Next();
      return *this;
    }
    bool operator==(const iterator& o) const { return done_ == o.done_; }
    bool operator!=(const iterator& o) const { return done_ != o.done_; }

   private:
    void Next() { done_ = !rt::chanrecv2(c_, &v_); }
    rt::hchan* c_ = nullptr;
    T v_{};
    bool done_ = true;
  };
  iterator begin() const { return iterator(c_); }
  iterator end() const { return iterator(); }

  // ch == nil; two chans are equal when they are the same channel.
  bool is_nil() const { return c_ == nullptr; }
  friend bool operator==(const chan& a, const chan& b) { return a.c_ == b.c_; }
  friend bool operator!=(const chan& a, const chan& b) { return a.c_ != b.c_; }
  friend bool operator==(const chan& a, std::nullptr_t) { return a.c_ == nullptr; }

  // The runtime channel, for code that talks to the runtime directly.
  rt::hchan* header() const { return c_; }

 private:
  rt::hchan* c_ = nullptr;
};

// make(chan T) and make(chan T, n). Panics "makechan: size out of range"
// for n < 0.
template <class T>
chan<T> make_chan(intgo n = 0) {
  return chan<T>(rt::makechan(rt::TypeOf<T>(), n));
}

// close(ch).
template <class T>
void close(chan<T> ch) {
  rt::closechan(ch.header());
}

// len(ch): values buffered now; cap(ch): the buffer size. 0 for nil.
template <class T>
intgo len(chan<T> ch) {
  return rt::chanlen(ch.header());
}
template <class T>
intgo cap(chan<T> ch) {
  return rt::chancap(ch.header());
}

}  // namespace gort

#endif  // GORT_CHAN_H_
