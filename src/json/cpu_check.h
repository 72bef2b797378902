// simdjson's On-Demand parser is compiled for one CPU target (Haswell, AVX2,
// by default; see SPARKIFY_SIMD_TARGET in src/json/CMakeLists.txt). This file
// is compiled without those flags so that the check itself runs anywhere.
#pragma once

namespace sparkify::json {

// Throws sparkify::UsageError with a clear message when this CPU cannot run
// the parser this build was compiled for.
void require_supported_cpu();

}  // namespace sparkify::json
