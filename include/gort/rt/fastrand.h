// fastrand: the runtime's cheap, non-cryptographic random numbers.
//
// Mirrors Go 1.19 src/runtime/stubs.go (fastrand, fastrand64, fastrandn),
// which keeps a wyrand state per M. Used wherever the runtime randomises on
// purpose: map hash seeds and iteration start, select's poll order, the
// scheduler's steal victims.
//
// Every state is derived from one process-wide seed. SetFastrandSeed fixes
// it, so a program's random choices replay exactly (the deterministic mode
// tests rely on); otherwise it is taken from the clock and the address space
// at first use.
#ifndef GORT_RT_FASTRAND_H_
#define GORT_RT_FASTRAND_H_

#include <cstdint>

namespace gort::rt {

std::uint32_t fastrand();
std::uint64_t fastrand64();

// fastrandn returns a value in [0, n) without a division (Lemire's
// multiply-shift, as Go does).
inline std::uint32_t fastrandn(std::uint32_t n) {
  return static_cast<std::uint32_t>(
      (static_cast<std::uint64_t>(fastrand()) * static_cast<std::uint64_t>(n)) >> 32);
}

// Restarts every thread's generator from `seed` (0 = choose one at random).
// Call it only while no other thread uses fastrand (e.g. at runtime start).
void SetFastrandSeed(std::uint64_t seed);

}  // namespace gort::rt

#endif  // GORT_RT_FASTRAND_H_
