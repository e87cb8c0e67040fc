// gort::any: Go's empty interface, as far as panic and recover need it.
//
// Mirrors Go 1.19 src/runtime/runtime2.go (type eface) and the printing of
// panic values in src/runtime/error.go (printpanicval, printanycustomtype)
// and print.go (printfloat).
//
// A Go interface value is a pair (type, pointer to a copy of the value); nil
// is the pair (nil, nil). gort::any is the same pair: `type` identifies the
// dynamic type and knows how to print it the way the runtime's print does;
// `data` holds a shared copy of the value (Go copies a value into the heap
// when it converts it to an interface, convT). Converting is the compiler's
// job, so it happens here, in templates; the runtime only stores, compares
// with nil and prints.
//
//   gort::any v = 42;                 // (int, 42)
//   gort::any s = "boom";             // (string, "boom"): a C string becomes a Go string
//   gort::any e = rt::errorValue(...)  // an error: printed with Error()
//   if (v != gort::nil) ...
//   if (const int* i = v.As<int>()) ...  // v.(int), comma-ok form
#ifndef GORT_RT_ANY_H_
#define GORT_RT_ANY_H_

#include <concepts>
#include <cstddef>
#include <cstdio>
#include <cstdint>
#include <memory>
#include <string>
#include <type_traits>
#include <typeinfo>
#include <utility>

#include "include/gort/rt/error.h"
#include "include/gort/rt/type.h"

namespace gort {

namespace rt {

// printfloat: Go's builtin print of a float64 ("+1.500000e+000").
std::string printfloat(double v);

// anytype: what the runtime needs to know of an interface's dynamic type
// (the slice of Go's _type and itab that panics use).
struct anytype {
  const std::type_info* info;  // identity of the dynamic type
  const char* string;          // Go-style name ("int", "string", "error")
  // Go's printpanicval for this type: the text after "panic: ", with
  // errors and Stringers already converted (preprintpanics).
  std::string (*print)(const void* data);
  // Non-null when the value is an error (implements Go's error interface).
  const error* (*asError)(const void* data);
};

}  // namespace rt

namespace internal {

template <class T>
concept Stringer = requires(const T& v) {
  { v.String() } -> std::convertible_to<std::string>;
};

template <class T>
std::string PrintValue(const void* data) {
  const T& v = *static_cast<const T*>(data);
  if constexpr (std::is_same_v<T, std::string>) {
    return v;
  } else if constexpr (std::is_same_v<T, bool>) {
    return v ? "true" : "false";
  } else if constexpr (std::is_integral_v<T>) {
    return std::to_string(v);
  } else if constexpr (std::is_floating_point_v<T>) {
    return rt::printfloat(static_cast<double>(v));
  } else if constexpr (Stringer<T>) {
    return v.String();  // Go: preprintpanics calls String()
  } else {
    // Go: printanycustomtype's default, "(T) 0xADDR".
    char buf[32];
    std::snprintf(buf, sizeof buf, "%p", data);
    return std::string("(") + rt::GoName<T>() + ") " + buf;
  }
}

template <class T>
const rt::error* NotAnError(const void*) {
  return nullptr;
}

inline std::string PrintError(const void* data) {
  return static_cast<const rt::error*>(data)->Error();
}

inline const rt::error* AsErrorValue(const void* data) {
  return static_cast<const rt::error*>(data);
}

template <class T>
const char* AnyName() {
  if constexpr (std::is_same_v<T, int>) return "int";
  else return rt::GoName<T>();
}

template <class T>
const rt::anytype* AnyTypeOf() {
  static const rt::anytype t{&typeid(T), AnyName<T>(), &PrintValue<T>, &NotAnError<T>};
  return &t;
}

template <>
inline const rt::anytype* AnyTypeOf<std::shared_ptr<const rt::error>>() {
  static const rt::anytype t{&typeid(rt::error), "error", &PrintError, &AsErrorValue};
  return &t;
}

}  // namespace internal

// any: Go's interface{}. Copying shares the boxed value (it is immutable
// once boxed, as a Go interface's dynamic value is).
class any {
 public:
  any() = default;
  any(std::nullptr_t) {}  // NOLINT: nil converts implicitly, as in Go
  any(const char* s) : any(std::string(s)) {}  // NOLINT: a Go string
  // An error value (Go's error interface): printed with Error(), seen by
  // recover as an error (AsError()).
  template <class E>
    requires std::derived_from<E, rt::error>
  any(std::shared_ptr<E> err)  // NOLINT
      : type_(internal::AnyTypeOf<std::shared_ptr<const rt::error>>()),
        data_(std::shared_ptr<const rt::error>(std::move(err))) {}
  // Any other value: boxed by copy (Go's convT).
  template <class T>
    requires(!std::is_same_v<std::decay_t<T>, any> &&
             !std::is_same_v<std::decay_t<T>, std::nullptr_t> &&
             !std::is_convertible_v<T, const char*>)
  any(T&& v)  // NOLINT
      : type_(internal::AnyTypeOf<std::decay_t<T>>()),
        data_(std::make_shared<std::decay_t<T>>(std::forward<T>(v))) {}

  friend bool operator==(const any& a, std::nullptr_t) { return a.type_ == nullptr; }

  // v.(T): the value if the dynamic type is exactly T, else null.
  template <class T>
  const T* As() const {
    if (type_ == nullptr || *type_->info != typeid(T)) return nullptr;
    return static_cast<const T*>(data_.get());
  }
  // v.(error): the error if the value is one, else null.
  const rt::error* AsError() const {
    return type_ == nullptr ? nullptr : type_->asError(data_.get());
  }
  // The error, shared (for rt::Panic); null if the value is no error.
  std::shared_ptr<const rt::error> ErrorPtr() const {
    if (AsError() == nullptr) return nullptr;
    return std::static_pointer_cast<const rt::error>(data_);
  }
  // v.(runtime.Error): a runtime error, else null.
  const rt::error* AsRuntimeError() const {
    const rt::error* e = AsError();
    return e != nullptr && e->RuntimeError() ? e : nullptr;
  }
  // Go's printpanicval(v) after preprintpanics: "nil", the value, Error()
  // or String().
  std::string Print() const { return type_ == nullptr ? "nil" : type_->print(data_.get()); }
  // The dynamic type's name ("int", "string", "error"); "nil" for nil.
  const char* TypeName() const { return type_ == nullptr ? "nil" : type_->string; }

 private:
  const rt::anytype* type_ = nullptr;
  std::shared_ptr<const void> data_;
};

// Go's predeclared nil, for comparisons such as `r != nil`.
inline constexpr std::nullptr_t nil = nullptr;

}  // namespace gort

#endif  // GORT_RT_ANY_H_
