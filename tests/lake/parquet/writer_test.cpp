// The Parquet writer's files read by DuckDB, an independent reader: every
// type and codec value for value, the schema as DuckDB types it, row groups
// with their statistics, dictionary fallback, many pages, zero rows.
#include "lake/parquet/writer.h"

#include <gtest/gtest.h>

#include <cmath>
#include <map>

#include "io/local_file_system.h"
#include "parquet_test_support.h"
#include "support/duckdb_reader.h"
#include "test_support.h"

namespace sparkify::lake::parquet {
namespace {

using sparkify::testing::duckdb_query;
using sparkify::testing::DuckResult;
using sparkify::testing::TempDir;
using testing::Cell;
using testing::describe;
using testing::every_type_rows;
using testing::every_type_schema;
using testing::Row;
using testing::Value;
using testing::write_rows;

std::string write_file(const std::string& path, const std::vector<Column>& schema, const WriterOptions& options,
                       const std::vector<Row>& rows) {
  io::LocalFileSystem local;
  Writer writer(schema, options, local.create(path));
  write_rows(writer, rows);
  writer.close();
  return path;
}

// How a column is selected so that DuckDB's text of it can be compared
// exactly: doubles as DuckDB's shortest round-trip text, timestamps as
// epoch milliseconds, bytes that are not text as hex.
std::string select_list(const std::vector<Column>& schema) {
  std::string list;
  for (const Column& column : schema) {
    if (!list.empty()) list += ", ";
    std::string name = "\"" + column.name + "\"";
    if (column.type == PhysicalType::kDouble) {
      list += "CAST(" + name + " AS VARCHAR)";
    } else if (column.logical == LogicalType::kTimestampMillis) {
      list += "epoch_ms(" + name + ")";
    } else if (column.type == PhysicalType::kByteArray && column.logical != LogicalType::kString) {
      list += "hex(" + name + ")";
    } else {
      list += name;
    }
  }
  return list;
}

std::string hex_of(const std::string& bytes) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char byte : bytes) {
    out += kHex[byte >> 4];
    out += kHex[byte & 0xf];
  }
  return out;
}

bool matches(const Column& column, const Cell& expected, const std::optional<std::string>& text) {
  if (!expected || !text) return !expected && !text;
  if (const double* value = std::get_if<double>(&*expected)) {
    double read = std::strtod(text->c_str(), nullptr);
    if (std::isnan(*value)) return std::isnan(read);
    return std::memcmp(value, &read, sizeof(double)) == 0;
  }
  if (const std::string* value = std::get_if<std::string>(&*expected)) {
    return *text == (column.logical == LogicalType::kString ? *value : hex_of(*value));
  }
  if (const int32_t* value = std::get_if<int32_t>(&*expected)) return *text == std::to_string(*value);
  return *text == std::to_string(std::get<int64_t>(*expected));
}

// "" when DuckDB's rows (from `first_column` on, in schema order) hold the
// expected cells, else the first difference.
std::string first_difference(const std::vector<Column>& schema, const std::vector<Row>& expected,
                             const std::vector<std::vector<std::optional<std::string>>>& actual,
                             size_t first_column = 0) {
  if (expected.size() != actual.size()) {
    return "expected " + std::to_string(expected.size()) + " rows, DuckDB read " + std::to_string(actual.size());
  }
  for (size_t row_idx = 0; row_idx < expected.size(); ++row_idx) {
    for (size_t column_idx = 0; column_idx < schema.size(); ++column_idx) {
      const auto& text = actual[row_idx].at(first_column + column_idx);
      if (!matches(schema[column_idx], expected[row_idx][column_idx], text)) {
        return "row " + std::to_string(row_idx) + " column " + schema[column_idx].name + ": wrote " +
               describe(expected[row_idx][column_idx]) + ", DuckDB read " +
               (text ? "'" + text->substr(0, 200) + "'" : std::string("NULL"));
      }
    }
  }
  return "";
}

std::vector<Row> slice(const std::vector<Row>& rows, size_t begin, size_t end) {
  return std::vector<Row>(rows.begin() + static_cast<ptrdiff_t>(begin), rows.begin() + static_cast<ptrdiff_t>(end));
}

TEST(ParquetWriterDuckDb, EveryTypeUnderEveryCodecReadsBackValueForValue) {
  SPARKIFY_REQUIRE_DUCKDB();
  TempDir dir;
  auto schema = every_type_schema();
  auto rows = every_type_rows(150);
  for (auto [name, codec] : {std::pair{"none", Compression::kNone}, std::pair{"snappy", Compression::kSnappy},
                             std::pair{"zstd", Compression::kZstd}}) {
    WriterOptions options;
    options.compression = codec;
    write_file(dir / (std::string(name) + ".parquet"), schema, options, rows);
  }
  DuckResult result = duckdb_query("SELECT parse_filename(filename, true), " + select_list(schema) +
                                   " FROM read_parquet('" + dir.str() +
                                   "/*.parquet', filename = true) "
                                   "ORDER BY filename, id");
  ASSERT_EQ(result.rows.size(), 3 * rows.size());
  const char* names[] = {"none", "snappy", "zstd"};
  for (size_t file_idx = 0; file_idx < 3; ++file_idx) {
    std::vector<std::vector<std::optional<std::string>>> read(
        result.rows.begin() + static_cast<ptrdiff_t>(file_idx * rows.size()),
        result.rows.begin() + static_cast<ptrdiff_t>((file_idx + 1) * rows.size()));
    EXPECT_EQ(*read.front()[0], names[file_idx]);
    EXPECT_EQ(first_difference(schema, rows, read, 1), "") << names[file_idx];
  }

  DuckResult codecs =
      duckdb_query("SELECT DISTINCT parse_filename(file_name, true), compression FROM parquet_metadata('" + dir.str() +
                   "/*.parquet') ORDER BY 1");
  ASSERT_EQ(codecs.rows.size(), 3u);
  EXPECT_EQ(*codecs.rows[0][1], "UNCOMPRESSED");
  EXPECT_EQ(*codecs.rows[1][1], "SNAPPY");
  EXPECT_EQ(*codecs.rows[2][1], "ZSTD");
}

TEST(ParquetWriterDuckDb, SchemaHasTheTypesDuckDbExpects) {
  SPARKIFY_REQUIRE_DUCKDB();
  TempDir dir;
  std::string path = write_file(dir / "types.parquet", every_type_schema(), WriterOptions{}, every_type_rows(3));
  DuckResult result = duckdb_query(
      "SELECT name, type, repetition_type, converted_type, "
      // DuckDB spells out the unset members of Thrift unions, differently
      // in different versions.
      "CASE WHEN logical_type LIKE 'TimestampType(isAdjustedToUTC=1, unit=TimeUnit(MILLIS=MilliSeconds()%' "
      "THEN 'TIMESTAMP(UTC, MILLIS)' ELSE logical_type END, duckdb_type FROM parquet_schema('" +
      path + "') ORDER BY column_id");
  std::vector<std::string> described;
  for (const auto& row : result.rows) {
    std::string line;
    for (const auto& field : row) line += (line.empty() ? "" : " | ") + field.value_or("NULL");
    described.push_back(line);
  }
  EXPECT_EQ(described,
            (std::vector<std::string>{
                "schema | NULL | NULL | NULL | NULL | NULL",
                "id | INT32 | REQUIRED | NULL | NULL | INTEGER",
                "i32 | INT32 | OPTIONAL | NULL | NULL | INTEGER",
                "i64 | INT64 | OPTIONAL | NULL | NULL | BIGINT",
                "real | DOUBLE | OPTIONAL | NULL | NULL | DOUBLE",
                "text | BYTE_ARRAY | OPTIONAL | UTF8 | StringType() | VARCHAR",
                "at | INT64 | OPTIONAL | TIMESTAMP_MILLIS | TIMESTAMP(UTC, MILLIS) | TIMESTAMP WITH TIME ZONE",
                "raw | BYTE_ARRAY | OPTIONAL | NULL | NULL | BLOB",
                "name | BYTE_ARRAY | REQUIRED | UTF8 | StringType() | VARCHAR",
                "big | INT64 | REQUIRED | NULL | NULL | BIGINT",
                "ratio | DOUBLE | REQUIRED | NULL | NULL | DOUBLE",
            }));

  DuckResult file = duckdb_query(
      "SELECT created_by, num_rows, num_row_groups, format_version, array_length(column_orders), "
      "column_orders[1] FROM parquet_file_metadata('" +
      path + "')");
  ASSERT_EQ(file.rows.size(), 1u);
  EXPECT_EQ(*file.rows[0][0], "sparkify-etl");
  EXPECT_EQ(*file.rows[0][1], "3");
  EXPECT_EQ(*file.rows[0][2], "1");
  EXPECT_EQ(*file.rows[0][4], "10");
  EXPECT_EQ(*file.rows[0][5], "ColumnOrder(TYPE_ORDER=TypeDefinedOrder())");
}

// Per row group and column, the statistics DuckDB reads, against the rows.
TEST(ParquetWriterDuckDb, ManyRowGroupsEachWithRightStatistics) {
  SPARKIFY_REQUIRE_DUCKDB();
  TempDir dir;
  std::vector<Column> schema = {{"id", PhysicalType::kInt32, LogicalType::kNone, false},
                                {"amount", PhysicalType::kInt64, LogicalType::kNone, true},
                                {"score", PhysicalType::kDouble, LogicalType::kNone, true},
                                {"city", PhysicalType::kByteArray, LogicalType::kString, true}};
  const std::vector<std::string> cities = {"Zürich", "Bern", "東京", "", "apple", "Zebra", "zoo"};
  std::vector<Row> rows;
  for (int32_t row_idx = 0; row_idx < 1000; ++row_idx) {
    rows.push_back({Value(row_idx), row_idx % 5 == 0 ? Cell() : Cell(Value(int64_t{row_idx} * (row_idx % 2 ? -1 : 1))),
                    row_idx % 9 == 0 ? Cell() : Cell(Value(row_idx * 0.25)),
                    row_idx >= 900 ? Cell() : Cell(Value(cities[(row_idx / 3) % cities.size()]))});
  }
  WriterOptions options;
  options.max_row_group_rows = 100;
  std::string path = write_file(dir / "groups.parquet", schema, options, rows);

  DuckResult values = duckdb_query("SELECT " + select_list(schema) + " FROM read_parquet('" + path + "')");
  EXPECT_EQ(first_difference(schema, rows, values.rows), "");

  DuckResult meta = duckdb_query(
      "SELECT row_group_id, row_group_num_rows, column_id, stats_min_value, stats_max_value, stats_null_count, "
      "num_values FROM parquet_metadata('" +
      path + "') ORDER BY row_group_id, column_id");
  ASSERT_EQ(meta.rows.size(), 10u * schema.size());
  for (size_t group_idx = 0; group_idx < 10; ++group_idx) {
    auto group = slice(rows, group_idx * 100, group_idx * 100 + 100);
    for (size_t column_idx = 0; column_idx < schema.size(); ++column_idx) {
      const auto& row = meta.rows[group_idx * schema.size() + column_idx];
      std::string where = "row group " + std::to_string(group_idx) + " column " + schema[column_idx].name;
      EXPECT_EQ(*row[0], std::to_string(group_idx)) << where;
      EXPECT_EQ(*row[1], "100") << where;
      EXPECT_EQ(*row[6], "100") << where;
      // Expected min, max and nulls, in each column's own order: strings
      // as unsigned bytes, which std::string's < is.
      Cell low;
      Cell high;
      int64_t nulls = 0;
      for (const Row& cells : group) {
        const Cell& cell = cells[column_idx];
        if (!cell) {
          ++nulls;
          continue;
        }
        if (!low || *cell < *low) low = cell;
        if (!high || *high < *cell) high = cell;
      }
      EXPECT_EQ(*row[5], std::to_string(nulls)) << where;
      if (!low) {
        EXPECT_FALSE(row[3].has_value()) << where;
        EXPECT_FALSE(row[4].has_value()) << where;
        continue;
      }
      EXPECT_TRUE(matches(schema[column_idx], low, row[3]))
          << where << ": min " << describe(low) << " vs " << row[3].value_or("NULL");
      EXPECT_TRUE(matches(schema[column_idx], high, row[4]))
          << where << ": max " << describe(high) << " vs " << row[4].value_or("NULL");
    }
  }
}

TEST(ParquetWriterDuckDb, DictionaryFallbackAndManyPagesReadBack) {
  SPARKIFY_REQUIRE_DUCKDB();
  TempDir dir;
  std::vector<Column> schema = {{"id", PhysicalType::kInt32, LogicalType::kNone, false},
                                {"level", PhysicalType::kByteArray, LogicalType::kString, true},
                                {"agent", PhysicalType::kByteArray, LogicalType::kString, true},
                                {"session", PhysicalType::kInt64, LogicalType::kNone, true}};
  // `agent`: 1500 distinct 300-byte values, each twice, is 450 kB of
  // dictionary, over the 64 kB limit; `level` has three values.
  std::vector<Row> rows;
  for (int32_t row_idx = 0; row_idx < 3000; ++row_idx) {
    int32_t agent = row_idx % 1500;
    rows.push_back(
        {Value(row_idx), row_idx % 11 == 0 ? Cell() : Cell(Value(std::string(row_idx % 3 ? "paid" : "free"))),
         row_idx % 13 == 0 ? Cell()
                           : Cell(Value("Mozilla/" + std::to_string(agent) + std::string(300, 'a' + agent % 26))),
         row_idx % 4 == 0 ? Cell() : Cell(Value(int64_t{row_idx / 10}))});
  }
  WriterOptions options;
  options.max_dictionary_bytes = 64 * 1024;
  options.page_bytes = 4096;
  std::string path = write_file(dir / "fallback.parquet", schema, options, rows);

  DuckResult values = duckdb_query("SELECT " + select_list(schema) + " FROM read_parquet('" + path + "')");
  EXPECT_EQ(first_difference(schema, rows, values.rows), "");

  DuckResult meta =
      duckdb_query("SELECT column_id, encodings, dictionary_page_offset IS NOT NULL FROM parquet_metadata('" + path +
                   "') ORDER BY column_id");
  ASSERT_EQ(meta.rows.size(), 4u);
  std::map<std::string, std::pair<std::string, std::string>> by_column;
  for (size_t column_idx = 0; column_idx < 4; ++column_idx) {
    by_column[schema[column_idx].name] = {*meta.rows[column_idx][1], *meta.rows[column_idx][2]};
  }
  EXPECT_EQ(by_column["level"].second, "true");
  EXPECT_NE(by_column["level"].first.find("RLE_DICTIONARY"), std::string::npos) << by_column["level"].first;
  EXPECT_EQ(by_column["agent"].second, "false");
  EXPECT_EQ(by_column["agent"].first.find("DICTIONARY"), std::string::npos) << by_column["agent"].first;
  EXPECT_NE(by_column["agent"].first.find("PLAIN"), std::string::npos) << by_column["agent"].first;
  // The writer's default also drops a dictionary as long as the values.
  EXPECT_EQ(by_column["id"].second, "false");
}

TEST(ParquetWriterDuckDb, ZeroRowFileHasItsSchemaAndNoRows) {
  SPARKIFY_REQUIRE_DUCKDB();
  TempDir dir;
  std::string path = write_file(dir / "empty.parquet", every_type_schema(), WriterOptions{}, {});
  DuckResult result =
      duckdb_query("SELECT (SELECT count(*) FROM read_parquet('" + path +
                   "')), "
                   "(SELECT num_row_groups FROM parquet_file_metadata('" +
                   path +
                   "')), "
                   "(SELECT string_agg(name || ' ' || duckdb_type, ', ' ORDER BY column_id) FROM parquet_schema('" +
                   path + "') WHERE column_id > 0)");
  ASSERT_EQ(result.rows.size(), 1u);
  EXPECT_EQ(*result.rows[0][0], "0");
  EXPECT_EQ(*result.rows[0][1], "0");
  EXPECT_EQ(*result.rows[0][2],
            "id INTEGER, i32 INTEGER, i64 BIGINT, real DOUBLE, text VARCHAR, at TIMESTAMP WITH TIME ZONE, raw BLOB, "
            "name VARCHAR, big BIGINT, ratio DOUBLE");
}

}  // namespace
}  // namespace sparkify::lake::parquet
