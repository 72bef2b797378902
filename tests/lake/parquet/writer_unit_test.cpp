// The Parquet writer read back by the reference reader: values, dictionary
// and its fallback, pages, row groups, statistics, the footer and the
// writer's life cycle. Offline; writer_test.cpp reads with DuckDB.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <limits>

#include "io/local_file_system.h"
#include "lake/parquet/writer.h"
#include "parquet_test_support.h"
#include "reference_reader.h"
#include "test_support.h"

namespace sparkify::lake::parquet {
namespace {

using testing::Cell;
using testing::every_type_rows;
using testing::every_type_schema;
using testing::first_difference;
using testing::MemoryOutputStream;
using testing::ParquetFile;
using testing::read_parquet_bytes;
using testing::Row;
using testing::Value;
using testing::write_rows;
using testing::write_to_memory;
namespace format = testing::format;

Column required(std::string name, PhysicalType type, LogicalType logical = LogicalType::kNone) {
  return {std::move(name), type, logical, false};
}
Column nullable(std::string name, PhysicalType type, LogicalType logical = LogicalType::kNone) {
  return {std::move(name), type, logical, true};
}

WriterOptions options_with(Compression codec) {
  WriterOptions options;
  options.compression = codec;
  return options;
}

ParquetFile write_and_read(const std::vector<Column>& schema, const WriterOptions& options,
                           const std::vector<Row>& rows) {
  return read_parquet_bytes(write_to_memory(schema, options, rows));
}

template <typename T>
T decode(const std::string& raw) {
  EXPECT_EQ(raw.size(), sizeof(T));
  T value{};
  std::memcpy(&value, raw.data(), std::min(raw.size(), sizeof(T)));
  return value;
}

uint64_t bits_of(double value) {
  uint64_t bits;
  std::memcpy(&bits, &value, sizeof(bits));
  return bits;
}

// One column's statistics in row group `group_idx`.
const format::Statistics& stats_of(const ParquetFile& file, size_t group_idx, size_t column_idx) {
  const auto& meta = file.metadata.row_groups.at(group_idx).columns.at(column_idx).meta_data;
  EXPECT_TRUE(meta.__isset.statistics);
  return meta.statistics;
}

const format::ColumnMetaData& meta_of(const ParquetFile& file, size_t group_idx, size_t column_idx) {
  return file.metadata.row_groups.at(group_idx).columns.at(column_idx).meta_data;
}

TEST(ParquetWriter, EveryTypeRoundTripsUnderEveryCodec) {
  auto rows = every_type_rows(500);
  for (auto [codec, thrift_codec] : {std::pair{Compression::kNone, format::CompressionCodec::UNCOMPRESSED},
                                     std::pair{Compression::kSnappy, format::CompressionCodec::SNAPPY},
                                     std::pair{Compression::kZstd, format::CompressionCodec::ZSTD}}) {
    ParquetFile file = write_and_read(every_type_schema(), options_with(codec), rows);
    EXPECT_EQ(first_difference(rows, file.rows()), "") << "codec " << thrift_codec;
    ASSERT_EQ(file.metadata.row_groups.size(), 1u);
    for (const auto& chunk : file.metadata.row_groups[0].columns) EXPECT_EQ(chunk.meta_data.codec, thrift_codec);
  }
}

// The page bodies, byte for byte, as the format lays them out.
TEST(ParquetWriter, OptionalPlainPageIsLengthPrefixedLevelsThenValues) {
  WriterOptions options = options_with(Compression::kNone);
  options.dictionary = false;
  std::string file = write_to_memory({nullable("n", PhysicalType::kInt32)}, options,
                                     {{Value(int32_t{1})}, {Cell()}, {Value(int32_t{2})}});
  // Levels 1, 0, 1: a 2-byte hybrid stream (one bit-packed group, 0b101)
  // after its 4-byte length; then the two present values, PLAIN.
  const std::string body(
      "\x02\x00\x00\x00"
      "\x03\x05"
      "\x01\x00\x00\x00\x02\x00\x00\x00",
      14);
  EXPECT_NE(file.find(body), std::string::npos);
  ParquetFile read = read_parquet_bytes(file);
  const auto& page = read.chunks.at(0).at(0).pages.at(0);
  EXPECT_EQ(page.uncompressed_size, 14);
  EXPECT_EQ(page.num_values, 3);
}

TEST(ParquetWriter, DictionaryPagesAreEntriesThenWidthAndIndices) {
  std::string file = write_to_memory({required("n", PhysicalType::kInt32)}, options_with(Compression::kNone),
                                     {{Value(int32_t{7})}, {Value(int32_t{7})}, {Value(int32_t{9})}});
  // Dictionary page: 7 and 9, PLAIN. Data page (REQUIRED: no levels): bit
  // width 1, then indices 0, 0, 1 bit-packed (0b100).
  const std::string dictionary("\x07\x00\x00\x00\x09\x00\x00\x00", 8);
  const std::string indices("\x01\x03\x04", 3);
  size_t dictionary_at = file.find(dictionary);
  ASSERT_NE(dictionary_at, std::string::npos);
  EXPECT_NE(file.find(indices, dictionary_at + dictionary.size()), std::string::npos);
  ParquetFile read = read_parquet_bytes(file);
  const auto& pages = read.chunks.at(0).at(0).pages;
  ASSERT_EQ(pages.size(), 2u);
  EXPECT_EQ(pages[0].uncompressed_size, 8);
  EXPECT_EQ(pages[1].uncompressed_size, 3);
}

TEST(ParquetWriter, WithoutDictionaryEveryTypeRoundTripsToo) {
  auto rows = every_type_rows(300);
  WriterOptions options;
  options.dictionary = false;
  ParquetFile file = write_and_read(every_type_schema(), options, rows);
  EXPECT_EQ(first_difference(rows, file.rows()), "");
  for (const auto& chunk : file.chunks[0]) {
    EXPECT_TRUE(chunk.dictionary.empty());
    for (const auto& page : chunk.pages) EXPECT_EQ(page.encoding, format::Encoding::PLAIN);
  }
}

TEST(ParquetWriter, LowCardinalityColumnsUseADictionaryInFirstUseOrder) {
  std::vector<Row> rows;
  const char* levels[] = {"paid", "free", "trial"};
  for (int row_idx = 0; row_idx < 1000; ++row_idx) {
    rows.push_back({row_idx % 10 == 9 ? Cell() : Cell(Value(std::string(levels[row_idx % 3])))});
  }
  ParquetFile file =
      write_and_read({nullable("level", PhysicalType::kByteArray, LogicalType::kString)}, WriterOptions{}, rows);
  EXPECT_EQ(first_difference(rows, file.rows()), "");
  const auto& chunk = file.chunks.at(0).at(0);
  EXPECT_EQ(chunk.dictionary, (std::vector<Value>{std::string("paid"), std::string("free"), std::string("trial")}));
  ASSERT_EQ(chunk.pages.size(), 2u);
  EXPECT_EQ(chunk.pages[0].type, format::PageType::DICTIONARY_PAGE);
  EXPECT_EQ(chunk.pages[1].encoding, format::Encoding::RLE_DICTIONARY);
  EXPECT_EQ(chunk.pages[1].index_bit_width, 2);
  const auto& meta = meta_of(file, 0, 0);
  EXPECT_TRUE(meta.__isset.dictionary_page_offset);
  EXPECT_EQ(meta.encodings, (std::vector<format::Encoding::type>{
                                format::Encoding::RLE, format::Encoding::RLE_DICTIONARY, format::Encoding::PLAIN}));
}

TEST(ParquetWriter, OneValueDictionaryUsesWidthOne) {
  std::vector<Row> rows(100, Row{Value(int64_t{42})});
  ParquetFile file = write_and_read({required("same", PhysicalType::kInt64)}, WriterOptions{}, rows);
  EXPECT_EQ(first_difference(rows, file.rows()), "");
  const auto& chunk = file.chunks.at(0).at(0);
  EXPECT_EQ(chunk.dictionary, std::vector<Value>{int64_t{42}});
  EXPECT_EQ(chunk.pages.at(1).index_bit_width, 1);
}

TEST(ParquetWriter, DictionaryOverItsLimitFallsBackToPlain) {
  // 10 distinct 6-byte strings, each twice: the dictionary's PLAIN size is
  // 10 * (4 + 6) = 100 bytes.
  std::vector<Row> rows;
  for (int repeat = 0; repeat < 2; ++repeat) {
    for (int value_idx = 0; value_idx < 10; ++value_idx) rows.push_back({Value("value" + std::to_string(value_idx))});
  }
  std::vector<Column> schema = {required("text", PhysicalType::kByteArray, LogicalType::kString)};
  WriterOptions at_limit;
  at_limit.max_dictionary_bytes = 100;
  ParquetFile fits = write_and_read(schema, at_limit, rows);
  EXPECT_EQ(first_difference(rows, fits.rows()), "");
  EXPECT_EQ(fits.chunks[0][0].dictionary.size(), 10u);

  WriterOptions under_limit;
  under_limit.max_dictionary_bytes = 99;
  ParquetFile falls_back = write_and_read(schema, under_limit, rows);
  EXPECT_EQ(first_difference(rows, falls_back.rows()), "");
  const auto& chunk = falls_back.chunks[0][0];
  EXPECT_TRUE(chunk.dictionary.empty());
  ASSERT_EQ(chunk.pages.size(), 1u);
  EXPECT_EQ(chunk.pages[0].encoding, format::Encoding::PLAIN);
  const auto& meta = meta_of(falls_back, 0, 0);
  EXPECT_FALSE(meta.__isset.dictionary_page_offset);
  EXPECT_EQ(meta.encodings, (std::vector<format::Encoding::type>{format::Encoding::RLE, format::Encoding::PLAIN}));
}

TEST(ParquetWriter, ManyDistinctLongValuesFallBackToPlainUnderTheDefaultLimit) {
  // 3000 distinct 500-byte values, each twice: 1.5 MB of dictionary, over
  // the default 1 MiB.
  std::vector<Row> rows;
  for (int repeat = 0; repeat < 2; ++repeat) {
    for (int value_idx = 0; value_idx < 3000; ++value_idx) {
      rows.push_back({Value(std::to_string(value_idx) + std::string(500, 'a' + value_idx % 26))});
    }
  }
  ParquetFile file =
      write_and_read({nullable("long", PhysicalType::kByteArray, LogicalType::kString)}, WriterOptions{}, rows);
  EXPECT_EQ(first_difference(rows, file.rows()), "");
  EXPECT_TRUE(file.chunks[0][0].dictionary.empty());
  for (const auto& page : file.chunks[0][0].pages) EXPECT_EQ(page.encoding, format::Encoding::PLAIN);
}

TEST(ParquetWriter, AllDistinctValuesAreWrittenPlain) {
  std::vector<Row> rows;
  for (int64_t value = 0; value < 100; ++value) rows.push_back(Row{Cell(std::in_place, value * 3)});
  ParquetFile file = write_and_read({required("key", PhysicalType::kInt64)}, WriterOptions{}, rows);
  EXPECT_EQ(first_difference(rows, file.rows()), "");
  EXPECT_TRUE(file.chunks[0][0].dictionary.empty());
}

// Ids and timestamps: the first 4096 values over 90% distinct give up the
// dictionary there, even though later values repeat; a column whose first
// values repeat enough keeps it.
TEST(ParquetWriter, AChunkWhoseFirstValuesAreNearlyAllDistinctIsWrittenPlain) {
  std::vector<Row> distinct_first;
  for (int64_t value = 0; value < 20000; ++value) {
    distinct_first.push_back(Row{Cell(std::in_place, value < 4096 ? value : value % 10)});
  }
  ParquetFile plain = write_and_read({required("ts", PhysicalType::kInt64)}, WriterOptions{}, distinct_first);
  EXPECT_EQ(first_difference(distinct_first, plain.rows()), "");
  EXPECT_TRUE(plain.chunks[0][0].dictionary.empty());

  std::vector<Row> repeating;
  for (int64_t value = 0; value < 20000; ++value) repeating.push_back(Row{Cell(std::in_place, value % 3000)});
  ParquetFile dictionary = write_and_read({required("id", PhysicalType::kInt64)}, WriterOptions{}, repeating);
  EXPECT_EQ(first_difference(repeating, dictionary.rows()), "");
  EXPECT_EQ(dictionary.chunks[0][0].dictionary.size(), 3000u);
}

TEST(ParquetWriter, DictionaryKeepsNegativeZeroApartFromZero) {
  std::vector<Row> rows;
  for (int row_idx = 0; row_idx < 40; ++row_idx) {
    rows.push_back(Row{Cell(std::in_place, row_idx % 2 ? -0.0 : 0.0)});
  }
  ParquetFile file = write_and_read({required("zero", PhysicalType::kDouble)}, WriterOptions{}, rows);
  EXPECT_EQ(first_difference(rows, file.rows()), "");
  EXPECT_EQ(file.chunks[0][0].dictionary.size(), 2u);
}

TEST(ParquetWriter, EachRowGroupHasItsOwnDictionary) {
  std::vector<Row> rows;
  for (int32_t row_idx = 0; row_idx < 300; ++row_idx) {
    rows.push_back(Row{Cell(std::in_place, row_idx / 100 * 10 + row_idx % 2)});
  }
  WriterOptions options;
  options.max_row_group_rows = 100;
  ParquetFile file = write_and_read({required("value", PhysicalType::kInt32)}, options, rows);
  EXPECT_EQ(first_difference(rows, file.rows()), "");
  ASSERT_EQ(file.chunks.size(), 3u);
  EXPECT_EQ(file.chunks[0][0].dictionary, (std::vector<Value>{int32_t{0}, int32_t{1}}));
  EXPECT_EQ(file.chunks[2][0].dictionary, (std::vector<Value>{int32_t{20}, int32_t{21}}));
}

TEST(ParquetWriter, RowGroupsAreCutByRows) {
  std::vector<Row> rows;
  for (int32_t row_idx = 0; row_idx < 250; ++row_idx) rows.push_back({Value(row_idx), Value(std::to_string(row_idx))});
  WriterOptions options;
  options.max_row_group_rows = 100;
  ParquetFile file = write_and_read(
      {required("id", PhysicalType::kInt32), nullable("text", PhysicalType::kByteArray, LogicalType::kString)}, options,
      rows);
  EXPECT_EQ(first_difference(rows, file.rows()), "");
  EXPECT_EQ(file.metadata.num_rows, 250);
  ASSERT_EQ(file.metadata.row_groups.size(), 3u);
  int64_t previous_end = 4;
  for (size_t group_idx = 0; group_idx < 3; ++group_idx) {
    const auto& group = file.metadata.row_groups[group_idx];
    EXPECT_EQ(group.num_rows, group_idx < 2 ? 100 : 50);
    EXPECT_EQ(group.ordinal, static_cast<int16_t>(group_idx));
    EXPECT_EQ(group.file_offset, previous_end);
    int64_t compressed = 0;
    int64_t uncompressed = 0;
    for (const auto& chunk : group.columns) {
      compressed += chunk.meta_data.total_compressed_size;
      uncompressed += chunk.meta_data.total_uncompressed_size;
    }
    EXPECT_EQ(group.total_compressed_size, compressed);
    EXPECT_EQ(group.total_byte_size, uncompressed);
    previous_end = group.file_offset + compressed;
  }
}

TEST(ParquetWriter, ExactMultipleOfTheRowLimitMakesNoEmptyGroup) {
  std::vector<Row> rows(200, Row{Value(int32_t{1})});
  WriterOptions options;
  options.max_row_group_rows = 100;
  ParquetFile file = write_and_read({required("one", PhysicalType::kInt32)}, options, rows);
  EXPECT_EQ(file.metadata.row_groups.size(), 2u);
  EXPECT_EQ(file.rows().size(), 200u);
}

TEST(ParquetWriter, RowGroupsAreCutByBufferedBytes) {
  // One REQUIRED INT64 column buffers 8 bytes a row: 1000 bytes is 125 rows.
  std::vector<Row> rows;
  for (int64_t row_idx = 0; row_idx < 300; ++row_idx) rows.push_back(Row{Cell(std::in_place, row_idx)});
  WriterOptions options;
  options.max_row_group_bytes = 1000;
  ParquetFile file = write_and_read({required("id", PhysicalType::kInt64)}, options, rows);
  EXPECT_EQ(first_difference(rows, file.rows()), "");
  ASSERT_EQ(file.metadata.row_groups.size(), 3u);
  EXPECT_EQ(file.metadata.row_groups[0].num_rows, 125);
  EXPECT_EQ(file.metadata.row_groups[1].num_rows, 125);
  EXPECT_EQ(file.metadata.row_groups[2].num_rows, 50);
}

TEST(ParquetWriter, LargeChunksAreSplitIntoPages) {
  std::vector<Row> rows;
  for (int32_t row_idx = 0; row_idx < 1000; ++row_idx) {
    rows.push_back({row_idx % 7 == 0 ? Cell() : Cell(Value(row_idx)), Value(std::to_string(row_idx % 50))});
  }
  std::vector<Column> schema = {nullable("id", PhysicalType::kInt32),
                                required("text", PhysicalType::kByteArray, LogicalType::kString)};
  for (bool dictionary : {false, true}) {
    WriterOptions options;
    options.page_bytes = 100;
    options.dictionary = dictionary;
    ParquetFile file = write_and_read(schema, options, rows);
    EXPECT_EQ(first_difference(rows, file.rows()), "") << "dictionary " << dictionary;
    for (const auto& chunk : file.chunks.at(0)) {
      EXPECT_GT(chunk.pages.size(), 10u) << "dictionary " << dictionary;
      int32_t rows_in_pages = 0;
      for (const auto& page : chunk.pages) {
        if (page.type == format::PageType::DATA_PAGE) rows_in_pages += page.num_values;
      }
      EXPECT_EQ(rows_in_pages, 1000);
    }
  }
}

TEST(ParquetWriter, IntegerStatisticsAreSignedMinMaxAndNullCount) {
  std::vector<Row> rows = {{Value(int32_t{5}), Value(int64_t{-1})},
                           {Value(int32_t{-3}), Value(std::numeric_limits<int64_t>::max())},
                           {Cell(), Value(std::numeric_limits<int64_t>::min())},
                           {Value(int32_t{7}), Cell()},
                           {Cell(), Cell()}};
  ParquetFile file =
      write_and_read({nullable("small", PhysicalType::kInt32), nullable("large", PhysicalType::kInt64)}, {}, rows);
  const auto& small = stats_of(file, 0, 0);
  EXPECT_EQ(small.null_count, 2);
  EXPECT_EQ(decode<int32_t>(small.min_value), -3);
  EXPECT_EQ(decode<int32_t>(small.max_value), 7);
  // The deprecated fields too, for older readers.
  EXPECT_EQ(small.min, small.min_value);
  EXPECT_EQ(small.max, small.max_value);
  const auto& large = stats_of(file, 0, 1);
  EXPECT_EQ(large.null_count, 2);
  EXPECT_EQ(decode<int64_t>(large.min_value), std::numeric_limits<int64_t>::min());
  EXPECT_EQ(decode<int64_t>(large.max_value), std::numeric_limits<int64_t>::max());
  EXPECT_FALSE(large.__isset.distinct_count);
}

TEST(ParquetWriter, DoubleStatisticsSkipNanAndSignZeros) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  std::vector<Row> rows = {{Value(nan), Value(0.0), Value(nan), Value(-0.0)},
                           {Value(2.5), Value(0.0), Value(nan), Value(-0.0)},
                           {Value(-1.0), Cell(), Cell(), Value(-0.0)}};
  ParquetFile file =
      write_and_read({nullable("mixed", PhysicalType::kDouble), nullable("zeros", PhysicalType::kDouble),
                      nullable("nans", PhysicalType::kDouble), required("negative_zeros", PhysicalType::kDouble)},
                     {}, rows);
  EXPECT_EQ(first_difference(rows, file.rows()), "");
  const auto& mixed = stats_of(file, 0, 0);
  EXPECT_EQ(decode<double>(mixed.min_value), -1.0);
  EXPECT_EQ(decode<double>(mixed.max_value), 2.5);
  EXPECT_EQ(mixed.null_count, 0);
  // The format's rule for zeros: the minimum is -0.0, the maximum +0.0,
  // whichever zeros the column holds.
  for (size_t column_idx : {1, 3}) {
    const auto& zeros = stats_of(file, 0, column_idx);
    EXPECT_EQ(bits_of(decode<double>(zeros.min_value)), bits_of(-0.0)) << column_idx;
    EXPECT_EQ(bits_of(decode<double>(zeros.max_value)), bits_of(0.0)) << column_idx;
  }
  EXPECT_EQ(stats_of(file, 0, 1).null_count, 1);
  // Only NaN and NULL: no ordering, so no min and max.
  const auto& nans = stats_of(file, 0, 2);
  EXPECT_FALSE(nans.__isset.min_value);
  EXPECT_FALSE(nans.__isset.max_value);
  EXPECT_FALSE(nans.__isset.min);
  EXPECT_FALSE(nans.__isset.max);
  EXPECT_EQ(nans.null_count, 1);
}

TEST(ParquetWriter, StringStatisticsCompareUnsignedBytes) {
  // "é" is C3 A9 and "東" E6 9D B1: above every ASCII letter as unsigned
  // bytes, below as signed ones.
  std::vector<Row> rows = {
      {Value(std::string("b"))}, {Value(std::string("é"))},    {Value(std::string("a"))},      {Cell()},
      {Value(std::string("z"))}, {Value(std::string("東京"))}, {Value(std::string("Zürich"))}, {Cell()},
      {Value(std::string("ab"))}};
  ParquetFile file =
      write_and_read({nullable("text", PhysicalType::kByteArray, LogicalType::kString)}, WriterOptions{}, rows);
  const auto& stats = stats_of(file, 0, 0);
  EXPECT_EQ(stats.min_value, "Zürich");
  EXPECT_EQ(stats.max_value, "東京");
  EXPECT_EQ(stats.null_count, 2);
  // The deprecated fields used signed bytes for text: left unset.
  EXPECT_FALSE(stats.__isset.min);
  EXPECT_FALSE(stats.__isset.max);

  ParquetFile with_empty = write_and_read({required("text", PhysicalType::kByteArray, LogicalType::kString)}, {},
                                          {{Value(std::string("m"))}, {Value(std::string(""))}});
  EXPECT_TRUE(stats_of(with_empty, 0, 0).__isset.min_value);
  EXPECT_EQ(stats_of(with_empty, 0, 0).min_value, "");
  EXPECT_EQ(stats_of(with_empty, 0, 0).max_value, "m");
  EXPECT_EQ(stats_of(with_empty, 0, 0).null_count, 0);
}

TEST(ParquetWriter, AllNullColumnHasNullCountButNoMinMax) {
  std::vector<Row> rows(50, Row{Cell(), Cell(), Value(int32_t{1})});
  ParquetFile file = write_and_read({nullable("text", PhysicalType::kByteArray, LogicalType::kString),
                                     nullable("number", PhysicalType::kInt64), required("one", PhysicalType::kInt32)},
                                    WriterOptions{}, rows);
  EXPECT_EQ(first_difference(rows, file.rows()), "");
  for (size_t column_idx : {0, 1}) {
    const auto& stats = stats_of(file, 0, column_idx);
    EXPECT_EQ(stats.null_count, 50);
    EXPECT_FALSE(stats.__isset.min_value);
    EXPECT_FALSE(stats.__isset.max_value);
    EXPECT_FALSE(stats.__isset.min);
    EXPECT_FALSE(stats.__isset.max);
  }
  EXPECT_EQ(stats_of(file, 0, 2).null_count, 0);
}

TEST(ParquetWriter, StatisticsArePerRowGroup) {
  std::vector<Row> rows;
  for (int32_t value = 1; value <= 10; ++value) rows.push_back({value == 6 ? Cell() : Cell(Value(value))});
  WriterOptions options;
  options.max_row_group_rows = 4;
  ParquetFile file = write_and_read({nullable("value", PhysicalType::kInt32)}, options, rows);
  ASSERT_EQ(file.metadata.row_groups.size(), 3u);
  std::vector<std::tuple<int32_t, int32_t, int64_t>> expected = {{1, 4, 0}, {5, 8, 1}, {9, 10, 0}};
  for (size_t group_idx = 0; group_idx < 3; ++group_idx) {
    const auto& stats = stats_of(file, group_idx, 0);
    EXPECT_EQ(std::make_tuple(decode<int32_t>(stats.min_value), decode<int32_t>(stats.max_value), stats.null_count),
              expected[group_idx])
        << "row group " << group_idx;
  }
}

TEST(ParquetWriter, FooterDescribesTheSchema) {
  WriterOptions options;
  options.created_by = "sparkify-etl test";
  ParquetFile file = write_and_read(every_type_schema(), options, every_type_rows(3));
  const auto& footer = file.metadata;
  EXPECT_EQ(footer.version, 1);
  EXPECT_EQ(footer.created_by, "sparkify-etl test");
  ASSERT_EQ(footer.schema.size(), 11u);
  EXPECT_EQ(footer.schema[0].name, "schema");
  EXPECT_FALSE(footer.schema[0].__isset.type);
  auto columns = every_type_schema();
  for (size_t column_idx = 0; column_idx < columns.size(); ++column_idx) {
    const auto& element = footer.schema[column_idx + 1];
    EXPECT_EQ(element.name, columns[column_idx].name);
    EXPECT_EQ(element.repetition_type, columns[column_idx].optional ? format::FieldRepetitionType::OPTIONAL
                                                                    : format::FieldRepetitionType::REQUIRED);
  }
  const auto& text = footer.schema[5];
  EXPECT_EQ(text.type, format::Type::BYTE_ARRAY);
  EXPECT_EQ(text.converted_type, format::ConvertedType::UTF8);
  EXPECT_TRUE(text.logicalType.__isset.STRING);
  const auto& at = footer.schema[6];
  EXPECT_EQ(at.type, format::Type::INT64);
  EXPECT_EQ(at.converted_type, format::ConvertedType::TIMESTAMP_MILLIS);
  ASSERT_TRUE(at.logicalType.__isset.TIMESTAMP);
  EXPECT_TRUE(at.logicalType.TIMESTAMP.isAdjustedToUTC);
  EXPECT_TRUE(at.logicalType.TIMESTAMP.unit.__isset.MILLIS);
  const auto& raw = footer.schema[7];
  EXPECT_EQ(raw.type, format::Type::BYTE_ARRAY);
  EXPECT_FALSE(raw.__isset.converted_type);
  EXPECT_FALSE(raw.__isset.logicalType);
  EXPECT_EQ(footer.schema[1].type, format::Type::INT32);
  EXPECT_FALSE(footer.schema[1].__isset.converted_type);
  EXPECT_EQ(footer.schema[4].type, format::Type::DOUBLE);
  ASSERT_EQ(footer.column_orders.size(), columns.size());
  for (const auto& order : footer.column_orders) EXPECT_TRUE(order.__isset.TYPE_ORDER);
}

TEST(ParquetWriter, ZeroRowsMakeAFileWithASchemaAndNoRowGroups) {
  auto sink = std::make_shared<MemoryOutputStream::Sink>();
  Writer writer(every_type_schema(), WriterOptions{}, std::make_unique<MemoryOutputStream>(sink));
  writer.close();
  EXPECT_TRUE(sink->closed);
  EXPECT_EQ(writer.rows_written(), 0u);
  ParquetFile file = read_parquet_bytes(sink->bytes);
  EXPECT_EQ(file.metadata.num_rows, 0);
  EXPECT_TRUE(file.metadata.row_groups.empty());
  EXPECT_EQ(file.metadata.schema.size(), 11u);
}

TEST(ParquetWriter, CountsRowsAndClosesOnce) {
  auto sink = std::make_shared<MemoryOutputStream::Sink>();
  Writer writer({required("id", PhysicalType::kInt32)}, WriterOptions{}, std::make_unique<MemoryOutputStream>(sink));
  write_rows(writer, {{Value(int32_t{1})}, {Value(int32_t{2})}});
  EXPECT_EQ(writer.rows_written(), 2u);
  writer.close();
  size_t size = sink->bytes.size();
  writer.close();
  writer.abort();
  EXPECT_EQ(sink->bytes.size(), size);
  EXPECT_TRUE(sink->closed);
  EXPECT_FALSE(sink->aborted);
}

TEST(ParquetWriter, AbortOrDestructionWithoutCloseAbortsTheOutput) {
  auto aborted = std::make_shared<MemoryOutputStream::Sink>();
  {
    Writer writer({required("id", PhysicalType::kInt32)}, WriterOptions{},
                  std::make_unique<MemoryOutputStream>(aborted));
    write_rows(writer, {{Value(int32_t{1})}});
    writer.abort();
  }
  EXPECT_TRUE(aborted->aborted);
  EXPECT_FALSE(aborted->closed);
  auto dropped = std::make_shared<MemoryOutputStream::Sink>();
  {
    Writer writer({required("id", PhysicalType::kInt32)}, WriterOptions{},
                  std::make_unique<MemoryOutputStream>(dropped));
    write_rows(writer, {{Value(int32_t{1})}});
  }
  EXPECT_TRUE(dropped->aborted);
  EXPECT_FALSE(dropped->closed);
}

TEST(ParquetWriter, OnALocalDiskTheFileAppearsOnlyOnClose) {
  sparkify::testing::TempDir dir;
  io::LocalFileSystem fs;
  std::string path = dir / "t/part-00000.parquet";
  {
    Writer writer({required("id", PhysicalType::kInt32)}, WriterOptions{}, fs.create(path));
    write_rows(writer, {{Value(int32_t{1})}});
    EXPECT_FALSE(fs.exists(path));
  }
  EXPECT_FALSE(fs.exists(path));
  EXPECT_TRUE(std::filesystem::is_empty(dir / "t"));
  Writer writer({required("id", PhysicalType::kInt32)}, WriterOptions{}, fs.create(path));
  write_rows(writer, {{Value(int32_t{1})}, {Value(int32_t{2})}});
  writer.close();
  ParquetFile file = read_parquet_bytes(sparkify::testing::read_text(path));
  EXPECT_EQ(first_difference({{Value(int32_t{1})}, {Value(int32_t{2})}}, file.rows()), "");
  EXPECT_EQ(fs.list(dir / "t", {}).size(), 1u);
}

TEST(ParquetWriter, RejectsBadSchemas) {
  auto output = [] { return std::make_unique<MemoryOutputStream>(std::make_shared<MemoryOutputStream::Sink>()); };
  EXPECT_THROW(Writer({}, WriterOptions{}, output()), std::invalid_argument);
  EXPECT_THROW(Writer({nullable("s", PhysicalType::kInt32, LogicalType::kString)}, WriterOptions{}, output()),
               std::invalid_argument);
  EXPECT_THROW(Writer({nullable("t", PhysicalType::kInt32, LogicalType::kTimestampMillis)}, WriterOptions{}, output()),
               std::invalid_argument);
  EXPECT_THROW(
      Writer({nullable("t", PhysicalType::kByteArray, LogicalType::kTimestampMillis)}, WriterOptions{}, output()),
      std::invalid_argument);
  try {
    Writer({nullable("user_agent", PhysicalType::kDouble, LogicalType::kString)}, WriterOptions{}, output());
    FAIL();
  } catch (const std::invalid_argument& error) {
    EXPECT_NE(std::string(error.what()).find("user_agent"), std::string::npos) << error.what();
  }
}

TEST(ParquetWriter, MisuseIsALogicError) {
  auto make = [] {
    return std::make_unique<Writer>(
        std::vector<Column>{required("id", PhysicalType::kInt32), nullable("text", PhysicalType::kByteArray)},
        WriterOptions{}, std::make_unique<MemoryOutputStream>(std::make_shared<MemoryOutputStream::Sink>()));
  };
  EXPECT_THROW(make()->write_null(), std::logic_error);       // NULL into REQUIRED
  EXPECT_THROW(make()->write_int64(1), std::logic_error);     // wrong type
  EXPECT_THROW(make()->write_string("1"), std::logic_error);  // wrong type
  EXPECT_THROW(make()->write_double(1), std::logic_error);    // wrong type
  EXPECT_THROW(make()->end_row(), std::logic_error);          // row ended early
  {
    auto writer = make();
    writer->write_int32(1);
    EXPECT_THROW(writer->close(), std::logic_error);  // closed mid-row
  }
  {
    auto writer = make();
    writer->write_int32(1);
    writer->write_null();
    EXPECT_THROW(writer->write_int32(2), std::logic_error);  // more values than columns
  }
}

}  // namespace
}  // namespace sparkify::lake::parquet
