// The runtime's hash functions: what a map uses to turn a key into 64 bits.
//
// Mirrors Go 1.19 src/runtime/alg.go (memhash, strhash, f32hash, f64hash,
// hashkey, typehash) and src/runtime/hash64.go (the memhash algorithm).
//
// Which hash, and why. On amd64 Go hashes with AES instructions (aeshash,
// in asm_amd64.s) when the CPU has them, and otherwise with memhash from
// hash64.go, a variant of wyhash. gort uses that same wyhash-style memhash
// everywhere: it is portable C++, fast (two 64x64->128-bit multiplies for an
// 8-byte key, about 16 bytes per step for long strings), mixes every input
// bit into every output bit well enough that both the low bits (which pick
// the bucket) and the top byte (tophash) are usable, and it takes a seed,
// so each map hashes differently. We do not reproduce aeshash: it needs
// x86 AES-NI and its outputs differ from memhash's anyway; nothing in a map
// depends on which good seeded hash is used.
//
// Seeds. Every hash takes a seed; maps pass their own random h->hash0, and
// the functions also mix in hashkey[0], a random per-process key set when
// the process starts (Go's alginit), so hash values differ between maps
// and between runs, and an attacker cannot precompute colliding keys.
#ifndef GORT_RT_ALG_H_
#define GORT_RT_ALG_H_

#include <cstdint>
#include <cstring>

#include "include/gort/rt/types.h"

namespace gort::rt {

// hashkey: random odd per-process keys (Go: hashkey, filled by alginit).
extern uintptr hashkey[4];

namespace hash64 {
// The multiplicative constants of Go 1.19 hash64.go.
inline constexpr std::uint64_t m1 = 0xa0761d6478bd642f;
inline constexpr std::uint64_t m2 = 0xe7037ed1a0b428db;
inline constexpr std::uint64_t m3 = 0x8ebc6af09c88c6e3;
inline constexpr std::uint64_t m4 = 0x589965cc75374cc3;
inline constexpr std::uint64_t m5 = 0x1d8e4e27c47d124f;

// mix multiplies two words into 128 bits and folds the halves together.
inline uintptr mix(uintptr a, uintptr b) {
  const unsigned __int128 r = static_cast<unsigned __int128>(a) * b;
  return static_cast<uintptr>(r >> 64) ^ static_cast<uintptr>(r);
}

inline uintptr r4(const void* p) {
  std::uint32_t v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

inline uintptr r8(const void* p) {
  std::uint64_t v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
}  // namespace hash64

// alginit fills hashkey from seed (0: from the random source, which is
// what happens once when the process starts, as Go's alginit does). Tests
// that need maps to lay out the same way in every run call it with a fixed
// seed, together with SetFastrandSeed. Every existing map becomes
// unreadable: call it only while no map exists.
void alginit(std::uint64_t seed);

// memhash hashes the s bytes at p with seed (Go: memhashFallback).
uintptr memhash(const void* p, uintptr seed, uintptr s);

// memhash32 and memhash64: memhash for exactly 4 and 8 bytes, the hash of
// every 32- and 64-bit integer and pointer key.
inline uintptr memhash32(const void* p, uintptr seed) {
  using namespace hash64;
  const uintptr a = r4(p);
  return mix(m5 ^ 4, mix(a ^ m2, a ^ seed ^ hashkey[0] ^ m1));
}

inline uintptr memhash64(const void* p, uintptr seed) {
  using namespace hash64;
  const uintptr a = r8(p);
  return mix(m5 ^ 8, mix(a ^ m2, a ^ seed ^ hashkey[0] ^ m1));
}

uintptr memhash8(const void* p, uintptr seed);
uintptr memhash16(const void* p, uintptr seed);

// strhash hashes the bytes of the std::string at p (Go: strhash on a
// string header).
uintptr strhash(const void* p, uintptr seed);

// f32hash and f64hash hash floats as Go does: +0 and -0 hash alike (they
// are equal), and every NaN gets a fresh random hash (NaN != NaN, so a NaN
// key can never be found again anyway; random hashes keep many NaN keys
// from piling up in one bucket chain).
uintptr f32hash(const void* p, uintptr seed);
uintptr f64hash(const void* p, uintptr seed);

}  // namespace gort::rt

#endif  // GORT_RT_ALG_H_
