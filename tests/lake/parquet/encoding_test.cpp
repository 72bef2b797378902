#include "lake/parquet/encoding.h"

#include <gtest/gtest.h>

#include <limits>
#include <random>

#include "reference_reader.h"

namespace sparkify::lake::parquet {
namespace {

using testing::decode_rle_hybrid;
using testing::read_varint;

std::string bytes(std::initializer_list<unsigned> values) {
  std::string out;
  for (unsigned value : values) out += static_cast<char>(value);
  return out;
}

std::string encode(const std::vector<uint32_t>& values, int bit_width) {
  std::string out;
  encode_rle_hybrid(values.data(), values.size(), bit_width, out);
  return out;
}

// Encodes, decodes with the reference decoder and checks that every byte
// written was needed.
void expect_round_trip(const std::vector<uint32_t>& values, int bit_width) {
  std::string encoded = encode(values, bit_width);
  size_t consumed = 0;
  EXPECT_EQ(decode_rle_hybrid(encoded, bit_width, values.size(), &consumed), values) << "bit width " << bit_width;
  EXPECT_EQ(consumed, encoded.size()) << "bit width " << bit_width;
}

TEST(ParquetVarint, MatchesUleb128) {
  auto varint = [](uint64_t value) {
    std::string out;
    append_varint(value, out);
    return out;
  };
  EXPECT_EQ(varint(0), bytes({0x00}));
  EXPECT_EQ(varint(1), bytes({0x01}));
  EXPECT_EQ(varint(127), bytes({0x7f}));
  EXPECT_EQ(varint(128), bytes({0x80, 0x01}));
  EXPECT_EQ(varint(300), bytes({0xac, 0x02}));
  EXPECT_EQ(varint(16384), bytes({0x80, 0x80, 0x01}));
  EXPECT_EQ(varint(std::numeric_limits<uint64_t>::max()),
            bytes({0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01}));
  for (uint64_t value : {uint64_t{0}, uint64_t{1} << 35, uint64_t{123456789012345}}) {
    std::string encoded = varint(value);
    size_t position = 0;
    EXPECT_EQ(read_varint(encoded, position), value);
    EXPECT_EQ(position, encoded.size());
  }
}

TEST(ParquetVarint, AppendsWithoutClearing) {
  std::string out = "x";
  append_varint(300, out);
  EXPECT_EQ(out, "x" + bytes({0xac, 0x02}));
}

TEST(ParquetBitWidth, IsTheBitsOfTheLargestValueAndAtLeastOne) {
  EXPECT_EQ(bit_width_for(0), 1);
  EXPECT_EQ(bit_width_for(1), 1);
  EXPECT_EQ(bit_width_for(2), 2);
  EXPECT_EQ(bit_width_for(3), 2);
  EXPECT_EQ(bit_width_for(4), 3);
  EXPECT_EQ(bit_width_for(7), 3);
  EXPECT_EQ(bit_width_for(8), 4);
  EXPECT_EQ(bit_width_for(255), 8);
  EXPECT_EQ(bit_width_for(256), 9);
  EXPECT_EQ(bit_width_for(65535), 16);
  EXPECT_EQ(bit_width_for(uint32_t{1} << 31), 32);
  EXPECT_EQ(bit_width_for(std::numeric_limits<uint32_t>::max()), 32);
}

TEST(ParquetPlain, IsLittleEndianWithLengthPrefixedByteArrays) {
  std::string out;
  append_plain(int32_t{1}, out);
  append_plain(int32_t{-2}, out);
  EXPECT_EQ(out, bytes({0x01, 0, 0, 0, 0xfe, 0xff, 0xff, 0xff}));
  out.clear();
  append_plain(int64_t{0x0102030405060708}, out);
  EXPECT_EQ(out, bytes({0x08, 0x07, 0x06, 0x05, 0x04, 0x03, 0x02, 0x01}));
  out.clear();
  append_plain(1.0, out);  // IEEE 754: 0x3FF0000000000000
  EXPECT_EQ(out, bytes({0, 0, 0, 0, 0, 0, 0xf0, 0x3f}));
  out.clear();
  append_plain_bytes("abc", out);
  append_plain_bytes("", out);
  append_plain_bytes(std::string_view("\0\xff", 2), out);
  EXPECT_EQ(out, bytes({3, 0, 0, 0, 'a', 'b', 'c', 0, 0, 0, 0, 2, 0, 0, 0, 0x00, 0xff}));
}

// The example of the format's Encodings.md: 0..7 bit-packed at width 3.
TEST(ParquetRleHybrid, BitPacksTheSpecExample) {
  EXPECT_EQ(encode({0, 1, 2, 3, 4, 5, 6, 7}, 3), bytes({0x03, 0x88, 0xc6, 0xfa}));
}

TEST(ParquetRleHybrid, EightOrMoreEqualValuesAreOneRleRun) {
  EXPECT_EQ(encode(std::vector<uint32_t>(8, 1), 1), bytes({0x10, 0x01}));
  EXPECT_EQ(encode(std::vector<uint32_t>(10, 5), 3), bytes({0x14, 0x05}));
  // The value takes ceil(width / 8) bytes, little-endian.
  EXPECT_EQ(encode(std::vector<uint32_t>(8, 0x1234), 13), bytes({0x10, 0x34, 0x12}));
  EXPECT_EQ(encode(std::vector<uint32_t>(9, 0x12345678), 32), bytes({0x12, 0x78, 0x56, 0x34, 0x12}));
  // A long run's length is a multi-byte varint: 1000 << 1 = 2000.
  EXPECT_EQ(encode(std::vector<uint32_t>(1000, 200), 8), bytes({0xd0, 0x0f, 200}));
}

TEST(ParquetRleHybrid, ShortTailsArePaddedToAWholeGroup) {
  // Three values: one group of 8, the last five zero.
  EXPECT_EQ(encode({1, 0, 1}, 1), bytes({0x03, 0x05}));
  // Seven equal values are too few for a run.
  EXPECT_EQ(encode(std::vector<uint32_t>(7, 1), 1), bytes({0x03, 0x7f}));
}

TEST(ParquetRleHybrid, LiteralGroupThenARunStartingInsideIt) {
  // 1, 2, 3 and then twenty 7s: the group of 8 takes five of the 7s, an RLE
  // run the other fifteen.
  std::vector<uint32_t> values = {1, 2, 3};
  values.resize(23, 7);
  EXPECT_EQ(encode(values, 3), bytes({0x03, 0xd1, 0xfe, 0xff, 0x1e, 0x07}));
  expect_round_trip(values, 3);
}

TEST(ParquetRleHybrid, RunThenLiteralsThenRun) {
  std::vector<uint32_t> values(16, 0);
  for (uint32_t value = 1; value <= 16; ++value) values.push_back(value);
  values.resize(values.size() + 12, 3);
  std::string encoded = encode(values, 5);
  // A run of 16 zeros, 1..16 as two bit-packed groups (2 * 5 bytes), a run
  // of 12 threes.
  ASSERT_EQ(encoded.size(), 15u);
  EXPECT_EQ(encoded.substr(0, 2), bytes({0x20, 0x00}));
  EXPECT_EQ(encoded.substr(2, 1), bytes({0x05}));
  EXPECT_EQ(encoded.substr(13), bytes({0x18, 0x03}));
  expect_round_trip(values, 5);
}

TEST(ParquetRleHybrid, WidthZeroStoresOnlyHeaders) {
  EXPECT_EQ(encode(std::vector<uint32_t>(10, 0), 0), bytes({0x14}));
  EXPECT_EQ(encode({0, 0, 0}, 0), bytes({0x03}));
  expect_round_trip(std::vector<uint32_t>(100, 0), 0);
}

TEST(ParquetRleHybrid, NothingForNoValues) { EXPECT_EQ(encode({}, 5), ""); }

TEST(ParquetRleHybrid, AppendsAfterExistingBytes) {
  std::string out = "prefix";
  std::vector<uint32_t> values(8, 1);
  encode_rle_hybrid(values.data(), values.size(), 1, out);
  EXPECT_EQ(out, "prefix" + bytes({0x10, 0x01}));
}

TEST(ParquetRleHybrid, RoundTripsEveryWidthAndShape) {
  std::mt19937 random(42);
  for (int bit_width : {1, 2, 3, 4, 5, 7, 8, 9, 12, 16, 17, 24, 31, 32}) {
    uint32_t max_value = bit_width == 32 ? std::numeric_limits<uint32_t>::max() : (uint32_t{1} << bit_width) - 1;
    std::uniform_int_distribution<uint32_t> any_value(0, max_value);
    // Only literals.
    std::vector<uint32_t> literals;
    for (int value_idx = 0; value_idx < 37; ++value_idx) literals.push_back(any_value(random));
    expect_round_trip(literals, bit_width);
    // Runs of random lengths (1 to 20) of random values: runs and literal
    // groups alternate, runs start inside groups, lengths are not multiples
    // of 8.
    std::vector<uint32_t> mixed;
    std::uniform_int_distribution<int> run_length(1, 20);
    while (mixed.size() < 1000) mixed.resize(mixed.size() + static_cast<size_t>(run_length(random)), any_value(random));
    expect_round_trip(mixed, bit_width);
    // The largest value at every width.
    expect_round_trip(std::vector<uint32_t>(9, max_value), bit_width);
    expect_round_trip({max_value, 0, max_value}, bit_width);
  }
}

TEST(ParquetRleHybrid, DefinitionLevelsOfMostlyNullsStayCompact) {
  // Definition levels as the writer sends them: width 1, 0 for NULL.
  std::vector<uint32_t> levels(10000, 0);
  levels[5000] = 1;
  std::string encoded = encode(levels, 1);
  EXPECT_LT(encoded.size(), 12u);
  expect_round_trip(levels, 1);
}

}  // namespace
}  // namespace sparkify::lake::parquet
