#include "lake/parquet/compression.h"

#include <gtest/gtest.h>
#include <snappy.h>
#include <zstd.h>

#include <random>

namespace sparkify::lake::parquet {
namespace {

std::string snappy_inflate(const std::string& compressed) {
  std::string out;
  EXPECT_TRUE(snappy::Uncompress(compressed.data(), compressed.size(), &out));
  return out;
}

std::string zstd_inflate(const std::string& compressed, size_t size) {
  std::string out(size, '\0');
  size_t length = ZSTD_decompress(out.data(), out.size(), compressed.data(), compressed.size());
  EXPECT_FALSE(ZSTD_isError(length)) << ZSTD_getErrorName(length);
  out.resize(ZSTD_isError(length) ? 0 : length);
  return out;
}

std::vector<std::string> inputs() {
  std::string repetitive;
  for (int line_idx = 0; line_idx < 2000; ++line_idx) repetitive += "NextSong,Logged In,paid,";
  std::string noise(100000, '\0');
  std::mt19937 random(7);
  for (char& byte : noise) byte = static_cast<char>(random());
  return {"", "a", std::string("\0\xff\0", 3), repetitive, noise};
}

TEST(ParquetCompression, NoneCopiesTheInput) {
  for (const std::string& input : inputs()) {
    std::string out = "stale";
    compress(Compression::kNone, input, out);
    EXPECT_EQ(out, input);
  }
}

TEST(ParquetCompression, SnappyRoundTripsAndReplacesTheOutput) {
  for (const std::string& input : inputs()) {
    std::string out = "stale bytes that must go";
    compress(Compression::kSnappy, input, out);
    EXPECT_EQ(snappy_inflate(out), input);
  }
}

TEST(ParquetCompression, ZstdRoundTripsAndReplacesTheOutput) {
  for (const std::string& input : inputs()) {
    std::string out = "stale bytes that must go";
    compress(Compression::kZstd, input, out);
    EXPECT_EQ(zstd_inflate(out, input.size()), input);
    // A frame that says its size, so readers can size their buffer.
    EXPECT_EQ(ZSTD_getFrameContentSize(out.data(), out.size()), input.size());
  }
}

TEST(ParquetCompression, RepetitiveTextShrinks) {
  std::string input = inputs()[3];
  std::string snappy_out;
  std::string zstd_out;
  compress(Compression::kSnappy, input, snappy_out);
  compress(Compression::kZstd, input, zstd_out);
  EXPECT_LT(snappy_out.size(), input.size() / 10);
  EXPECT_LT(zstd_out.size(), input.size() / 10);
}

}  // namespace
}  // namespace sparkify::lake::parquet
