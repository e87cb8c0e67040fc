// Hash functions for map keys.
//
// Mirrors Go 1.19 src/runtime/hash64.go (memhashFallback) and alg.go
// (alginit's hashkey, strhash, f32hash, f64hash). See alg.h for why gort
// uses Go's portable memhash rather than its AES hash.
#include "include/gort/rt/alg.h"

#include <cstdint>
#include <string>

#include "include/gort/rt/fastrand.h"

namespace gort::rt {
namespace {

// Runs alginit(0) during static initialisation, before any map can hash
// a key.
struct HashKeyInit {
  HashKeyInit() { alginit(0); }
};

// c0 and c1: Go's 64-bit constants for hashing float zeros and NaNs.
constexpr uintptr c0 = 33054211828000289u;
constexpr uintptr c1 = 23344194077549503u;

}  // namespace

uintptr hashkey[4];
static const HashKeyInit hash_key_init;

void alginit(std::uint64_t seed) {
  // Go reads the keys from the OS at startup. Without a seed we take them
  // from fastrand64, itself seeded from the clock and the address space;
  // with one, from a splitmix64 sequence. Forced odd, as in Go.
  std::uint64_t x = seed;
  for (uintptr& k : hashkey) {
    if (seed == 0) {
      k = static_cast<uintptr>(fastrand64()) | 1;
      continue;
    }
    x += 0x9e3779b97f4a7c15ull;
    std::uint64_t z = x;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    k = static_cast<uintptr>(z ^ (z >> 31)) | 1;
  }
}

uintptr memhash(const void* p, uintptr seed, uintptr s) {
  using namespace hash64;
  const auto* b = static_cast<const unsigned char*>(p);
  uintptr a = 0;
  uintptr c = 0;  // Go's `b`
  seed ^= hashkey[0] ^ m1;
  if (s == 0) {
    return seed;
  } else if (s < 4) {
    a = b[0];
    a |= static_cast<uintptr>(b[s >> 1]) << 8;
    a |= static_cast<uintptr>(b[s - 1]) << 16;
  } else if (s == 4) {
    a = r4(b);
    c = a;
  } else if (s < 8) {
    a = r4(b);
    c = r4(b + s - 4);
  } else if (s == 8) {
    a = r8(b);
    c = a;
  } else if (s <= 16) {
    a = r8(b);
    c = r8(b + s - 8);
  } else {
    uintptr l = s;
    if (l > 48) {
      uintptr seed1 = seed;
      uintptr seed2 = seed;
      for (; l > 48; l -= 48) {
        seed = mix(r8(b) ^ m2, r8(b + 8) ^ seed);
        seed1 = mix(r8(b + 16) ^ m3, r8(b + 24) ^ seed1);
        seed2 = mix(r8(b + 32) ^ m4, r8(b + 40) ^ seed2);
        b += 48;
      }
      seed ^= seed1 ^ seed2;
    }
    for (; l > 16; l -= 16) {
      seed = mix(r8(b) ^ m2, r8(b + 8) ^ seed);
      b += 16;
    }
    a = r8(b + l - 16);
    c = r8(b + l - 8);
  }
  return mix(m5 ^ s, mix(a ^ m2, c ^ seed));
}

uintptr memhash8(const void* p, uintptr seed) { return memhash(p, seed, 1); }
uintptr memhash16(const void* p, uintptr seed) { return memhash(p, seed, 2); }

uintptr strhash(const void* p, uintptr seed) {
  const auto* s = static_cast<const std::string*>(p);
  return memhash(s->data(), seed, s->size());
}

namespace {
// f32hash and f64hash differ only in the float type.
template <class F>
uintptr floathash(const void* p, uintptr seed) {
  F f;
  std::memcpy(&f, p, sizeof f);
  if (f == 0) return c1 * (c0 ^ seed);                 // +0, -0
  if (f != f) return c1 * (c0 ^ seed ^ fastrand());  // any NaN
  return memhash(p, seed, sizeof f);
}
}  // namespace

uintptr f32hash(const void* p, uintptr seed) { return floathash<float>(p, seed); }
uintptr f64hash(const void* p, uintptr seed) { return floathash<double>(p, seed); }

}  // namespace gort::rt
