// rt::Type: the runtime's type descriptor, gort's version of Go's `_type`.
//
// Mirrors Go 1.19 src/runtime/type.go (type _type).
//
// The runtime core is untyped, as Go's is: makeslice, growslice, mallocgc
// and later the map and channel code work on raw bytes plus a descriptor
// that says how big an element is, whether it can hold pointers, and how to
// make, copy and destroy one. The typed API in include/gort/*.h obtains the
// descriptor with TypeOf<T>() and passes it down, the way the Go compiler
// passes a *_type to runtime calls.
//
// Go's values are plain memory: the zero value is all zero bytes and a copy
// is a memmove. Most C++ element types used with gort are like that too
// (`trivial` below) and the runtime treats them exactly as Go does. For C++
// types that are not (std::string, a type with a destructor), the descriptor
// carries hooks, and the runtime calls them wherever Go would zero, move or
// drop bytes.
//
// Map keys need two more hooks, `hash` and `equal` (Go: the key type's
// hasher and _type.equal). TypeOf<T> fills them the way Go's compiler picks
// a type's algorithm (alg.go):
//   - bool, integers, enums, pointers, and padding-free structs and arrays of
//     those ("plain memory", Go's tflagRegularMemory): memhash of the bytes,
//     byte-wise equality (operator== when T has one);
//   - float and double: f32hash/f64hash and ==, so NaN != NaN and +0 == -0;
//   - std::string: strhash and ==;
//   - a type with a Hasher<T> specialisation (below): whatever it says;
//   - otherwise, a type with std::hash<T> and ==: std::hash's result,
//     re-hashed with the map's seed (std::hash itself is unseeded, so
//     colliding keys collide in every map: prefer a Hasher);
//   - anything else cannot be a map key: hash is null (equal may still be
//     set when T has ==).
#ifndef GORT_RT_TYPE_H_
#define GORT_RT_TYPE_H_

#include <array>
#include <concepts>
#include <cstddef>
#include <cstring>
#include <functional>
#include <new>
#include <string>
#include <type_traits>
#include <typeinfo>
#include <utility>

#include "include/gort/rt/alg.h"
#include "include/gort/rt/types.h"

namespace gort::rt {

struct Type {
  uintptr size;     // size of one value in bytes (Go: _type.size)
  uintptr ptrdata;  // bytes of prefix that may hold pointers; 0 = "noscan"
  uintptr align;    // alignment of a value (Go: _type.align)
  const char* name;  // Go-style spelling used in messages ("int64")

  // True when the zero value is all zero bytes, a copy is a memmove and
  // destruction is a no-op, i.e. when the element is Go-like plain memory.
  // The hooks below are then null and must not be called.
  bool trivial;

  // Constructs n zero values (value-initialised T) in raw memory at p.
  void (*zero)(void* p, uintptr n);
  // Copy-assigns n values from src to dst, both already constructed. The
  // ranges may overlap, like memmove.
  void (*assign)(void* dst, const void* src, uintptr n);
  // Destroys n values at p, leaving raw memory.
  void (*destroy)(void* p, uintptr n);
  // Move-assigns n values from src to dst, both constructed and not
  // overlapping; src keeps valid moved-from values. Channels move elements
  // (chapter 05), so move-only types can travel through them. Null for a
  // trivial type.
  void (*move)(void* dst, void* src, uintptr n);

  // Hashes the value at p, mixing in seed (Go: the hasher of a map's key
  // type). Null when T cannot be a map key.
  uintptr (*hash)(const void* p, uintptr seed);
  // Reports whether the values at p and q are equal (Go: _type.equal).
  // Null when T has no equality.
  bool (*equal)(const void* p, const void* q);
};

// Hasher<T>: how a type that gort cannot hash on its own (a struct with a
// std::string or a double in it, say) is hashed as a map key. Specialise it
// before the type is first used as a key:
//
//   template <>
//   struct gort::rt::Hasher<Point> {
//     static uintptr hash(const Point& p, uintptr seed) {
//       return typehash(p.y, typehash(p.x, seed));  // field by field, as Go
//     }
//     static bool equal(const Point& a, const Point& b) { return a == b; }
//     // Optional: false if equal(k, k) can be false (a double inside).
//     static constexpr bool reflexive = true;
//   };
//
// hash must give equal values equal hashes, and must use the seed.
template <class T>
struct Hasher {};

// PointerFree<T>: true when a T can never hold a pointer, so memory holding
// only T values needs no scanning by a collector (Go's "noscan"). Extend it
// by specialisation for your own pointer-free structs.
template <class T>
struct PointerFree
    : std::bool_constant<std::is_arithmetic_v<T> || std::is_enum_v<T>> {};
template <class T, std::size_t N>
struct PointerFree<T[N]> : PointerFree<T> {};
template <class T, std::size_t N>
struct PointerFree<std::array<T, N>> : PointerFree<T> {};

// GoName<T>(): the Go spelling of T for messages; C++ names otherwise.
template <class T>
const char* GoName() {
  if constexpr (std::is_same_v<T, bool>) return "bool";
  else if constexpr (std::is_same_v<T, std::int8_t>) return "int8";
  else if constexpr (std::is_same_v<T, std::int16_t>) return "int16";
  else if constexpr (std::is_same_v<T, std::int32_t>) return "int32";
  else if constexpr (std::is_same_v<T, std::int64_t>) return "int64";
  else if constexpr (std::is_same_v<T, std::uint8_t>) return "uint8";
  else if constexpr (std::is_same_v<T, std::uint16_t>) return "uint16";
  else if constexpr (std::is_same_v<T, std::uint32_t>) return "uint32";
  else if constexpr (std::is_same_v<T, std::uint64_t>) return "uint64";
  else if constexpr (std::is_same_v<T, float>) return "float32";
  else if constexpr (std::is_same_v<T, double>) return "float64";
  else if constexpr (std::is_same_v<T, std::string>) return "string";
  else return typeid(T).name();
}

namespace internal {

template <class T>
void ZeroValues(void* p, uintptr n) {
  T* first = static_cast<T*>(p);
  for (uintptr i = 0; i < n; ++i) ::new (static_cast<void*>(first + i)) T();
}

template <class T>
void AssignValues(void* dst, const void* src, uintptr n) {
  T* d = static_cast<T*>(dst);
  const T* s = static_cast<const T*>(src);
  if (d == s || n == 0) return;
  if (d < s || d >= s + n) {
    for (uintptr i = 0; i < n; ++i) d[i] = s[i];
  } else {  // dst overlaps the tail of src: copy backwards, like memmove
    for (uintptr i = n; i-- > 0;) d[i] = s[i];
  }
}

template <class T>
void MoveValues(void* dst, void* src, uintptr n) {
  T* d = static_cast<T*>(dst);
  T* s = static_cast<T*>(src);
  for (uintptr i = 0; i < n; ++i) d[i] = std::move(s[i]);
}

template <class T>
void DestroyValues(void* p, uintptr n) {
  T* first = static_cast<T*>(p);
  for (uintptr i = 0; i < n; ++i) first[i].~T();
}

template <class T>
inline constexpr bool kTrivial = std::is_trivially_copyable_v<T> &&
                                 std::is_trivially_default_constructible_v<T> &&
                                 std::is_trivially_destructible_v<T>;

// Plain memory: equal values have equal bytes and vice versa (no padding,
// no floats). Go calls such types "regular memory" and hashes their bytes.
template <class T>
inline constexpr bool kRegularMemory =
    std::is_trivially_copyable_v<T> && std::has_unique_object_representations_v<T>;

template <class T>
concept EqualityComparable = requires(const T& a, const T& b) {
  { a == b } -> std::convertible_to<bool>;
};

template <class T>
concept UserHashed = requires(const T& a, uintptr seed) {
  { Hasher<T>::hash(a, seed) } -> std::convertible_to<uintptr>;
};

template <class T>
concept UserEqual = requires(const T& a) {
  { Hasher<T>::equal(a, a) } -> std::convertible_to<bool>;
};

template <class T>
concept StdHashable = requires(const T& a) {
  { std::hash<T>{}(a) } -> std::convertible_to<std::size_t>;
};

template <class T>
uintptr UserHash(const void* p, uintptr seed) {
  return Hasher<T>::hash(*static_cast<const T*>(p), seed);
}

template <class T>
uintptr StdHash(const void* p, uintptr seed) {
  const std::uint64_t h = std::hash<T>{}(*static_cast<const T*>(p));
  return memhash64(&h, seed);
}

template <uintptr N>
uintptr MemHashN(const void* p, uintptr seed) {
  return memhash(p, seed, N);
}

template <class T>
bool UserEqualValues(const void* p, const void* q) {
  return Hasher<T>::equal(*static_cast<const T*>(p), *static_cast<const T*>(q));
}

template <class T>
bool EqualValues(const void* p, const void* q) {
  return *static_cast<const T*>(p) == *static_cast<const T*>(q);
}

template <class T>
bool MemEqual(const void* p, const void* q) {
  return std::memcmp(p, q, sizeof(T)) == 0;
}

// Whether T can be hashed and compared, i.e. be a map key (HashFor and
// EqualFor below give the functions).
template <class T>
inline constexpr bool kHashable =
    UserHashed<T> || std::is_same_v<T, float> || std::is_same_v<T, double> ||
    std::is_same_v<T, std::string> || kRegularMemory<T> ||
    (StdHashable<T> && EqualityComparable<T>);

template <class T>
inline constexpr bool kComparable = UserEqual<T> || EqualityComparable<T> || kRegularMemory<T>;

// The hash function Go's compiler would pick for T (see the comment at the
// top of this file); null when T cannot be a map key.
template <class T>
constexpr auto HashFor() -> uintptr (*)(const void*, uintptr) {
  if constexpr (UserHashed<T>) {
    return &UserHash<T>;
  } else if constexpr (std::is_same_v<T, float>) {
    return &f32hash;
  } else if constexpr (std::is_same_v<T, double>) {
    return &f64hash;
  } else if constexpr (std::is_same_v<T, std::string>) {
    return &strhash;
  } else if constexpr (kRegularMemory<T>) {
    if constexpr (sizeof(T) == 1) return &memhash8;
    else if constexpr (sizeof(T) == 2) return &memhash16;
    else if constexpr (sizeof(T) == 4) return &memhash32;
    else if constexpr (sizeof(T) == 8) return &memhash64;
    else return &MemHashN<sizeof(T)>;
  } else if constexpr (StdHashable<T> && EqualityComparable<T>) {
    return &StdHash<T>;
  } else {
    return nullptr;
  }
}

template <class T>
constexpr auto EqualFor() -> bool (*)(const void*, const void*) {
  if constexpr (UserEqual<T>) {
    return &UserEqualValues<T>;
  } else if constexpr (EqualityComparable<T>) {
    return &EqualValues<T>;
  } else if constexpr (kRegularMemory<T>) {
    return &MemEqual<T>;
  } else {
    return nullptr;
  }
}

}  // namespace internal

// TypeOf<T>(): the one descriptor for T, as the Go compiler emits one
// `_type` per type. The address is stable for the life of the process.
template <class T>
const Type* TypeOf() {
  // T() must not throw in practice; it need not say noexcept (absl::Time,
  // the element of time.After's channel, does not).
  static_assert(std::is_default_constructible_v<T>,
                "gort values need a zero value: T() must exist");
  static_assert(std::is_move_assignable_v<T>,
                "gort values must be assignable (copyable, or at least movable)");
  static const Type type = [] {
    Type t{};
    t.size = sizeof(T);
    t.ptrdata = PointerFree<T>::value ? 0 : sizeof(T);
    t.align = alignof(T);
    t.name = GoName<T>();
    t.trivial = internal::kTrivial<T>;
    if constexpr (!internal::kTrivial<T>) {
      t.zero = &internal::ZeroValues<T>;
      // Move-only types (channel elements) have no assign: slices and
      // maps copy values and do not accept them.
      if constexpr (std::is_copy_assignable_v<T>) t.assign = &internal::AssignValues<T>;
      t.destroy = &internal::DestroyValues<T>;
      t.move = &internal::MoveValues<T>;
    }
    t.hash = internal::HashFor<T>();
    t.equal = internal::EqualFor<T>();
    return t;
  }();
  return &type;
}

// typehash hashes v with seed through T's descriptor (Go: typehash), the
// building block for hashing a struct field by field in a Hasher.
template <class T>
uintptr typehash(const T& v, uintptr seed) {
  static_assert(internal::kHashable<T>, "typehash: T has no hash");
  return TypeOf<T>()->hash(&v, seed);
}

}  // namespace gort::rt

#endif  // GORT_RT_TYPE_H_
