// Page compression for the codecs the writer offers.
#pragma once

#include <string>
#include <string_view>

#include "lake/parquet/writer.h"

namespace sparkify::lake::parquet {

// Compresses `input` into `out` (replacing its content).
void compress(Compression codec, std::string_view input, std::string& out);

}  // namespace sparkify::lake::parquet
