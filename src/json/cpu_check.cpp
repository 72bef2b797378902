#include "json/cpu_check.h"

#include "model/error.h"

#if defined(SPARKIFY_SIMD_HASWELL) && (defined(__x86_64__) || defined(__i386__))
#include <cpuid.h>
#endif

namespace sparkify::json {

#if defined(SPARKIFY_SIMD_HASWELL) && (defined(__x86_64__) || defined(__i386__))
namespace {

// Asked of CPUID itself: clang 14 (Debian 12's) does not know "lzcnt" in
// __builtin_cpu_supports, and the fuzzers are built with clang.
bool has_lzcnt() {
  unsigned int eax = 0, ebx = 0, ecx = 0, edx = 0;
  return __get_cpuid(0x80000001, &eax, &ebx, &ecx, &edx) != 0 && (ecx & bit_LZCNT) != 0;
}

}  // namespace
#endif

void require_supported_cpu() {
#if defined(SPARKIFY_SIMD_HASWELL) && (defined(__x86_64__) || defined(__i386__))
  static const bool supported = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("bmi") &&
                                __builtin_cpu_supports("bmi2") && __builtin_cpu_supports("pclmul") &&
                                has_lzcnt() && __builtin_cpu_supports("popcnt");
  if (!supported) {
    throw UsageError(
        "this build's JSON parser needs an x86-64 CPU with AVX2 (2013 or later); "
        "rebuild with -DSPARKIFY_SIMD_TARGET=generic to run on this one");
  }
#endif
}

}  // namespace sparkify::json
