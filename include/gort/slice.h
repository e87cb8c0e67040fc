// gort::Slice<T>: Go's []T for C++.
//
// A Slice is a three-word header (pointer, length, capacity) over a backing
// array, exactly Go's runtime.slice. Copying a Slice copies the header, not
// the elements: copies share the backing array, as in Go. This file is the
// "compiler" half: it lowers make/append/copy/index/slice expressions to the
// runtime calls in include/gort/rt/slice.h, as cmd/compile does
// (walk/builtin.go, ssagen). All logic that the chapter teaches lives in the
// runtime, not here.
//
//   auto s = gort::make_slice<int64_t>(0, 5);  // make([]int64, 0, 5)
//   s = gort::append(s, 1, 2, 3);              // append(s, 1, 2, 3)
//   auto t = s.slice(1, 2);                    // s[1:2]  (shares s's array)
//   s = gort::append(s, gort::spread(t));      // append(s, t...)
//   int64_t n = gort::copy(s, t);              // copy(s, t)
//
// Thread safety: like Go, none. Concurrent writes to one slice (or to
// elements of one backing array) must be synchronised by the program.
//
// Panics (rt::Panic with Go's runtime error text): index out of range,
// slice bounds out of range, makeslice/growslice out of range.
#ifndef GORT_SLICE_H_
#define GORT_SLICE_H_

#include <cstring>
#include <initializer_list>
#include <type_traits>
#include <utility>

#include "include/gort/rt/error.h"
#include "include/gort/rt/slice.h"
#include "include/gort/rt/type.h"

namespace gort {

using rt::intgo;

template <class T>
class Slice {
 public:
  using value_type = T;

  // The nil slice: no backing array, len == cap == 0.
  Slice() = default;

  // Wraps a runtime slice header whose array holds T values.
  explicit Slice(rt::slice header) : s_(header) {}

  intgo len() const { return s_.len; }
  intgo cap() const { return s_.cap; }
  // s == nil in Go. An empty slice made by make_slice<T>(0) is not nil.
  bool is_nil() const { return s_.array == nullptr; }

  // s[i]. Panics "index out of range [i] with length len" unless 0 <= i < len.
  T& operator[](intgo i) const {
    if (static_cast<rt::uintgo>(i) >= static_cast<rt::uintgo>(s_.len)) {
      rt::panicIndex(i, s_.len);
    }
    return data()[i];
  }

  // s[lo:]  (Go checks lo <= len(s)).
  Slice slice(intgo lo) const {
    if (static_cast<rt::uintgo>(lo) > static_cast<rt::uintgo>(s_.len)) {
      rt::panicSliceB(lo, s_.len);
    }
    return Reslice(lo, s_.len, s_.cap);
  }

  // s[lo:hi]: length hi-lo, capacity cap(s)-lo, same backing array.
  Slice slice(intgo lo, intgo hi) const {
    if (static_cast<rt::uintgo>(hi) > static_cast<rt::uintgo>(s_.cap)) {
      rt::panicSliceAcap(hi, s_.cap);
    }
    if (static_cast<rt::uintgo>(lo) > static_cast<rt::uintgo>(hi)) {
      rt::panicSliceB(lo, hi);
    }
    return Reslice(lo, hi, s_.cap);
  }

  // s[lo:hi:max]: like s[lo:hi] but capacity max-lo, so a later append
  // cannot write into the original array beyond max.
  Slice slice(intgo lo, intgo hi, intgo max) const {
    if (static_cast<rt::uintgo>(max) > static_cast<rt::uintgo>(s_.cap)) {
      rt::panicSlice3Acap(max, s_.cap);
    }
    if (static_cast<rt::uintgo>(hi) > static_cast<rt::uintgo>(max)) {
      rt::panicSlice3B(hi, max);
    }
    if (static_cast<rt::uintgo>(lo) > static_cast<rt::uintgo>(hi)) {
      rt::panicSlice3C(lo, hi);
    }
    return Reslice(lo, hi, max);
  }

  // Pointer to element 0 (null for a nil slice). Elements [0, cap) exist.
  T* data() const { return static_cast<T*>(s_.array); }
  T* begin() const { return data(); }
  T* end() const { return data() + s_.len; }

  // The runtime header, for code that talks to the runtime directly.
  const rt::slice& header() const { return s_; }

 private:
  // Callers have checked 0 <= lo <= hi <= max <= cap.
  Slice Reslice(intgo lo, intgo hi, intgo max) const {
    rt::slice r;
    // Go never forms a pointer past the end of the array: when the new
    // capacity is 0 it keeps the old base pointer instead.
    r.array = max - lo == 0 ? s_.array : static_cast<void*>(data() + lo);
    r.len = hi - lo;
    r.cap = max - lo;
    return Slice(r);
  }

  rt::slice s_;
};

// make([]T, len) and make([]T, len, cap). Elements are zero values (T()).
template <class T>
Slice<T> make_slice(intgo len, intgo cap) {
  rt::slice s;
  s.array = rt::makeslice(rt::TypeOf<T>(), len, cap);
  s.len = len;
  s.cap = cap;
  return Slice<T>(s);
}
template <class T>
Slice<T> make_slice(intgo len) {
  return make_slice<T>(len, len);
}

// A slice literal, []T{a, b, c}.
template <class T>
Slice<T> slice_of(std::initializer_list<T> values) {
  Slice<T> s = make_slice<T>(static_cast<intgo>(values.size()));
  intgo i = 0;
  for (const T& v : values) s[i++] = v;
  return s;
}

// spread(t) marks t to be appended element by element: append(s, t...).
template <class T>
struct Spread {
  Slice<T> items;
};
template <class T>
Spread<T> spread(Slice<T> t) {
  return Spread<T>{t};
}

namespace internal {

// The compiler's lowering of append (Go 1.19 cmd/compile walk/assign.go):
//   newlen := len(s) + n
//   if uint(newlen) > uint(cap(s)) { s = growslice(T, s, newlen) }
//   s = s[:newlen]
// Returns s with room for n more elements at [old len, newlen).
template <class T>
rt::slice GrowForAppend(rt::slice s, intgo n) {
  intgo newlen = rt::addWrap(s.len, n);
  if (static_cast<rt::uintgo>(newlen) > static_cast<rt::uintgo>(s.cap)) {
    s = rt::growslice(rt::TypeOf<T>(), s, newlen);
  }
  s.len = newlen;
  return s;
}

}  // namespace internal

// append(s, v...) with individual values. The values are converted to T
// before anything is written, so appending elements of s itself is safe.
template <class T, class... Vs>
Slice<T> append(Slice<T> s, Vs&&... values) {
  static_assert((std::is_convertible_v<Vs&&, T> && ...),
                "append: every value must convert to the slice's element type");
  if constexpr (sizeof...(Vs) == 0) {
    return s;
  } else {
    T items[] = {T(std::forward<Vs>(values))...};
    intgo old_len = s.len();
    Slice<T> r(internal::GrowForAppend<T>(s.header(), sizeof...(Vs)));
    for (intgo i = 0; i < static_cast<intgo>(sizeof...(Vs)); ++i) {
      r.data()[old_len + i] = std::move(items[i]);
    }
    return r;
  }
}

// append(s, t...). t may share s's backing array.
template <class T>
Slice<T> append(Slice<T> s, Spread<T> t) {
  intgo n = t.items.len();
  if (n == 0) return s;
  intgo old_len = s.len();
  Slice<T> r(internal::GrowForAppend<T>(s.header(), n));
  // growslice copied s into a new array if it grew; t still points at its
  // own (possibly old) array, which stays valid. Overlap is possible when no
  // growth happened, so copy with memmove semantics.
  const rt::Type* et = rt::TypeOf<T>();
  if (et->trivial) {
    rt::slicecopy(r.data() + old_len, n, t.items.data(), n, sizeof(T));
  } else {
    rt::typedslicecopy(et, r.data() + old_len, n, t.items.data(), n);
  }
  return r;
}

// copy(dst, src): copies min(len(dst), len(src)) elements, which may
// overlap, and returns the count.
template <class T>
intgo copy(Slice<T> dst, Slice<T> src) {
  const rt::Type* et = rt::TypeOf<T>();
  if (et->trivial) {
    return rt::slicecopy(dst.data(), dst.len(), src.data(), src.len(), sizeof(T));
  }
  return rt::typedslicecopy(et, dst.data(), dst.len(), src.data(), src.len());
}

}  // namespace gort

#endif  // GORT_SLICE_H_
