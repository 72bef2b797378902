#include "io/gzip.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <algorithm>
#include <string>

#include "io/trickle_stream.h"
#include "model/error.h"

namespace sparkify::io {
namespace {

std::string gzip_of(const std::string& text) {
  z_stream stream{};
  deflateInit2(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
  std::string out(text.size() + 128, '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  stream.avail_in = static_cast<uInt>(text.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  deflate(&stream, Z_FINISH);
  out.resize(stream.total_out);
  deflateEnd(&stream);
  return out;
}

TEST(Gzip, InflatesAndLeavesPlainBytesAlone) {
  std::string text(100000, 'x');
  Bytes inflated = maybe_gunzip(Bytes::copy_of(gzip_of(text)), "a.json.gz");
  EXPECT_EQ(inflated.view(), text);
  EXPECT_EQ(maybe_gunzip(Bytes::copy_of("{}"), "a.json").view(), "{}");
}

TEST(Gzip, ConcatenatedMembersAreOneStream) {
  Bytes inflated = gunzip(Bytes::copy_of(gzip_of("ab\n") + gzip_of("cd\n")), "a.gz");
  EXPECT_EQ(inflated.view(), "ab\ncd\n");
}

TEST(Gzip, TheWriterCompressesAStreamThatReadsBackWhole) {
  GzipWriter writer(1);
  std::string packed;
  std::string text;
  for (int piece = 0; piece < 200; ++piece) {
    std::string lines = "{\"ts\":" + std::to_string(piece * 7919) + ",\"song\":\"na\xc3\xafve\"}\n";
    text += lines;
    writer.write(lines, packed);
  }
  writer.finish(packed);
  EXPECT_LT(packed.size(), text.size() / 2);
  EXPECT_EQ(gunzip(Bytes::copy_of(packed), "part.json.gz").view(), text);

  GzipWriter empty(6);
  std::string nothing;
  empty.finish(nothing);
  EXPECT_EQ(gunzip(Bytes::copy_of(nothing), "empty.gz").view(), "");
}

TEST(Gzip, TruncatedStreamNamesTheFile) {
  std::string packed = gzip_of(std::string(5000, 'y'));
  packed.resize(packed.size() / 2);
  try {
    gunzip(Bytes::copy_of(packed), "log_data/x.json.gz");
    FAIL();
  } catch (const IoError& error) {
    EXPECT_NE(std::string(error.what()).find("log_data/x.json.gz"), std::string::npos);
  }
}

using sparkify::testing::TrickleStream;

// Reads a whole stream `piece` bytes at a time.
std::string read_all(InputStream& stream, size_t piece) {
  std::string out;
  std::string buffer(piece, '\0');
  while (size_t got = stream.read(buffer.data(), buffer.size())) out.append(buffer, 0, got);
  return out;
}

TEST(Gzip, AStreamInflatesInAnyPiecesAndCountsTheStoredBytes) {
  std::string text;
  for (int line = 0; line < 20000; ++line) text += "{\"ts\":" + std::to_string(line) + "}\n";
  std::string packed = gzip_of(text.substr(0, 7000)) + gzip_of(text.substr(7000));
  for (size_t trickle : {1, 3, 100000}) {
    for (size_t piece : {1, 10, 1 << 20}) {
      TrickleStream source(packed, trickle);
      MaybeGunzipStream stream(source, "a.json.gz");
      EXPECT_EQ(read_all(stream, piece), text) << trickle << " " << piece;
      EXPECT_EQ(stream.stored_bytes(), packed.size());
    }
  }
}

TEST(Gzip, AStreamOfPlainBytesIsReadAsItIs) {
  for (std::string text : {std::string(), std::string("{"), std::string("\x1f"), std::string(300000, 'y')}) {
    TrickleStream source(text, 7);
    MaybeGunzipStream stream(source, "a.json");
    EXPECT_EQ(read_all(stream, 1000), text);
    EXPECT_EQ(stream.stored_bytes(), text.size());
  }
}

TEST(Gzip, ATruncatedOrCorruptStreamNamesTheFile) {
  std::string packed = gzip_of(std::string(100000, 'z'));
  TrickleStream truncated(packed.substr(0, packed.size() / 2), 4096);
  MaybeGunzipStream cut(truncated, "log_data/cut.json.gz");
  try {
    read_all(cut, 4096);
    FAIL() << "a truncated stream read to its end";
  } catch (const IoError& error) {
    EXPECT_NE(std::string(error.what()).find("log_data/cut.json.gz: truncated gzip stream"), std::string::npos)
        << error.what();
  }
  std::string corrupt = packed;
  corrupt[12] ^= 0x55;
  corrupt[13] ^= 0x55;
  TrickleStream bad(corrupt + "trailing", 4096);
  MaybeGunzipStream broken(bad, "log_data/bad.json.gz");
  try {
    read_all(broken, 4096);
    FAIL() << "a corrupt stream read to its end";
  } catch (const IoError& error) {
    EXPECT_NE(std::string(error.what()).find("log_data/bad.json.gz"), std::string::npos) << error.what();
  }
}

}  // namespace
}  // namespace sparkify::io
