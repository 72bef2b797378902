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

std::string decompress(Compression codec, std::string_view input, size_t uncompressed_size, std::string& out) {
  switch (codec) {
    case Compression::kNone:
      if (input.size() != uncompressed_size) return "an uncompressed page whose two sizes differ";
      out.assign(input);
      return "";
    case Compression::kSnappy: {
      size_t length = 0;
      if (!snappy::GetUncompressedLength(input.data(), input.size(), &length)) return "a bad Snappy header";
      if (length != uncompressed_size) {
        return "Snappy data of " + std::to_string(length) + " bytes where the page header says " +
               std::to_string(uncompressed_size);
      }
      out.resize(length);
      if (!snappy::RawUncompress(input.data(), input.size(), out.data())) return "corrupt Snappy data";
      return "";
    }
    case Compression::kZstd: {
      out.resize(uncompressed_size);
      size_t length = ZSTD_decompress(out.data(), out.size(), input.data(), input.size());
      if (ZSTD_isError(length)) return std::string("corrupt ZSTD data (") + ZSTD_getErrorName(length) + ")";
      if (length != uncompressed_size) {
        return "ZSTD data of " + std::to_string(length) + " bytes where the page header says " +
               std::to_string(uncompressed_size);
      }
      return "";
    }
  }
  return "an unknown codec";
}

}  // namespace sparkify::lake::parquet
