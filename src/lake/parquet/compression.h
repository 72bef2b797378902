// Page compression for the codecs the writer offers, and decompression of
// the pages the reader meets.
#pragma once

#include <string>
#include <string_view>

#include "lake/parquet/writer.h"

namespace sparkify::lake::parquet {

// Compresses `input` into `out` (replacing its content).
void compress(Compression codec, std::string_view input, std::string& out);

// Decompresses one page body that must come out exactly
// `uncompressed_size` bytes into `out` (replacing its content). Returns ""
// on success, else what is wrong with the bytes; never reads or writes
// outside `input` and `out`, and never makes `out` larger than
// `uncompressed_size`. (GZIP pages are the reader's: io::gunzip.)
std::string decompress(Compression codec, std::string_view input, size_t uncompressed_size, std::string& out);

}  // namespace sparkify::lake::parquet
