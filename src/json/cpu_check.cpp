#include "json/cpu_check.h"

#include "model/error.h"

namespace sparkify::json {

void require_supported_cpu() {
#if defined(SPARKIFY_SIMD_HASWELL) && (defined(__x86_64__) || defined(__i386__))
  static const bool supported = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("bmi") &&
                                __builtin_cpu_supports("bmi2") && __builtin_cpu_supports("pclmul") &&
                                __builtin_cpu_supports("lzcnt") && __builtin_cpu_supports("popcnt");
  if (!supported) {
    throw UsageError(
        "this build's JSON parser needs an x86-64 CPU with AVX2 (2013 or later); "
        "rebuild with -DSPARKIFY_SIMD_TARGET=generic to run on this one");
  }
#endif
}

}  // namespace sparkify::json
