#include "lake/parquet/compression.h"

#include <snappy.h>
#include <zstd.h>

#include <stdexcept>

namespace sparkify::lake::parquet {

// DuckDB's and Spark's default ZSTD level: a good ratio at a speed close
// to Snappy's for the writer's page sizes.
constexpr int kZstdLevel = 3;

void compress(Compression codec, std::string_view input, std::string& out) {
  switch (codec) {
    case Compression::kNone:
      out.assign(input);
      return;
    case Compression::kSnappy: {
      out.resize(snappy::MaxCompressedLength(input.size()));
      size_t length = 0;
      snappy::RawCompress(input.data(), input.size(), out.data(), &length);
      out.resize(length);
      return;
    }
    case Compression::kZstd: {
      out.resize(ZSTD_compressBound(input.size()));
      size_t length = ZSTD_compress(out.data(), out.size(), input.data(), input.size(), kZstdLevel);
      if (ZSTD_isError(length)) throw std::runtime_error(std::string("zstd: ") + ZSTD_getErrorName(length));
      out.resize(length);
      return;
    }
  }
}

}  // namespace sparkify::lake::parquet
