// The production reader on files DuckDB writes (as the Redshift emulator's
// UNLOAD does): every codec, the types the lake uses, NULLs, several row
// groups, dictionary pages; checked against DuckDB's own reading of them.
// What the reader refuses fails naming the file and the column.
#include <gtest/gtest.h>

#include <string>

#include "io/local_file_system.h"
#include "lake/parquet/reader.h"
#include "model/error.h"
#include "support/duckdb_reader.h"
#include "test_support.h"

namespace sparkify::lake::parquet {
namespace {

using sparkify::testing::duckdb_query;
using sparkify::testing::TempDir;

// Rows with NULLs, repeated strings (dictionary pages), unique strings,
// timestamps before and after 1970 at micro-, milli-second precision.
const char* const kSelect =
    "SELECT i::INTEGER AS i32, "
    "CASE WHEN i % 7 = 0 THEN NULL ELSE (i - 2500) * 1000000007 END::BIGINT AS i64, "
    "CASE WHEN i % 11 = 0 THEN NULL ELSE (i - 100) / 3.0 END::DOUBLE AS real, "
    "CASE WHEN i % 5 = 0 THEN NULL ELSE 'name ' || (i % 13) || ' Zürich' END AS text, "
    "'unique ' || i AS uniq, "
    "TIMESTAMP '1969-12-31 23:59:59' + INTERVAL (i * 1000003) MICROSECOND AS ts, "
    "CASE WHEN i % 3 = 0 THEN NULL ELSE (TIMESTAMPTZ '2018-11-01 00:00:00+00' + INTERVAL (i * 7) SECOND) END AS tstz, "
    "(TIMESTAMP '2018-11-30 23:59:59.999' - INTERVAL (i) HOUR)::TIMESTAMP_MS AS ts_ms "
    "FROM range(0, 5000) t(i)";

io::Bytes read_file(const std::string& path) {
  io::LocalFileSystem local;
  return local.read(path);
}

void expect_same_as_duckdb(const std::string& path) {
  ParquetTable table = read_parquet(read_file(path).view(), path);
  auto expected = duckdb_query("SELECT i32, i64, real, text, uniq, epoch_us(ts), epoch_ms(tstz), epoch_ms(ts_ms) "
                               "FROM read_parquet('" + path + "')");
  ASSERT_EQ(table.rows, expected.rows.size());
  ASSERT_EQ(table.columns.size(), 8u);
  const auto& c = table.columns;
  EXPECT_EQ(c[0].descriptor().type, PhysicalType::kInt32);
  EXPECT_EQ(c[1].descriptor().type, PhysicalType::kInt64);
  EXPECT_TRUE(c[3].descriptor().is_string);
  EXPECT_EQ(c[5].descriptor().timestamp_unit, TimeUnit::kMicros);
  EXPECT_FALSE(c[5].descriptor().adjusted_to_utc);
  EXPECT_EQ(c[6].descriptor().timestamp_unit, TimeUnit::kMicros);
  EXPECT_TRUE(c[6].descriptor().adjusted_to_utc);
  EXPECT_EQ(c[7].descriptor().timestamp_unit, TimeUnit::kMillis);
  for (size_t row = 0; row < table.rows; ++row) {
    const auto& want = expected.rows[row];
    SCOPED_TRACE("row " + std::to_string(row));
    auto text = [&](size_t column) -> std::optional<std::string> {
      if (c[column].is_null(row)) return std::nullopt;
      switch (c[column].descriptor().type) {
        case PhysicalType::kInt32: return std::to_string(c[column].int32_at(row));
        case PhysicalType::kInt64: return std::to_string(c[column].int64_at(row));
        case PhysicalType::kDouble: return std::nullopt;
        case PhysicalType::kByteArray: return std::string(c[column].bytes_at(row));
      }
      return std::nullopt;
    };
    EXPECT_EQ(text(0), want[0]);
    EXPECT_EQ(text(1), want[1]);
    ASSERT_EQ(c[2].is_null(row), !want[2].has_value());
    if (want[2]) {
      EXPECT_EQ(c[2].double_at(row), std::stod(*want[2]));
    }
    EXPECT_EQ(text(3), want[3]);
    EXPECT_EQ(text(4), want[4]);
    EXPECT_EQ(text(5), want[5]);
    // Micros to millis floors: before 1970 too.
    EXPECT_EQ(c[5].epoch_ms_at(row), (c[5].int64_at(row) - ((c[5].int64_at(row) % 1000 + 1000) % 1000)) / 1000);
    ASSERT_EQ(c[6].is_null(row), !want[6].has_value());
    if (want[6]) {
      EXPECT_EQ(std::to_string(c[6].epoch_ms_at(row)), *want[6]);
    }
    EXPECT_EQ(std::to_string(c[7].epoch_ms_at(row)), *want[7]);
  }
}

// V1 is DuckDB's default: PLAIN and dictionaries. V2 brings data pages v2
// and the DELTA and BYTE_STREAM_SPLIT encodings.
TEST(ParquetReaderOnDuckDbFiles, EveryCodecAndVersionWithSeveralRowGroups) {
  SPARKIFY_REQUIRE_DUCKDB();
  TempDir dir;
  for (const char* version : {"V1", "V2"}) {
    for (const char* codec : {"UNCOMPRESSED", "SNAPPY", "ZSTD", "GZIP"}) {
      SCOPED_TRACE(std::string(version) + " " + codec);
      std::string path = dir / (std::string(version) + codec + ".parquet");
      duckdb_query(std::string("COPY (") + kSelect + ") TO '" + path + "' (FORMAT PARQUET, COMPRESSION " + codec +
                   ", ROW_GROUP_SIZE 1024, PARQUET_VERSION " + version + ")");
      auto groups = duckdb_query("SELECT count(DISTINCT row_group_id) FROM parquet_metadata('" + path + "')");
      EXPECT_GT(std::stoi(*groups.rows[0][0]), 1);
      expect_same_as_duckdb(path);
    }
  }
  auto encodings = duckdb_query("SELECT DISTINCT encodings FROM parquet_metadata('" + (dir / "V2ZSTD.parquet") +
                                "') ORDER BY ALL");
  std::string listed;
  for (const auto& row : encodings.rows) listed += *row[0] + " ";
  EXPECT_NE(listed.find("DELTA_BINARY_PACKED"), std::string::npos) << listed;
}

TEST(ParquetReaderOnDuckDbFiles, ReadsAnUnloadedLakeTableLayout) {
  SPARKIFY_REQUIRE_DUCKDB();
  TempDir dir;
  std::string path = dir / "songplays.parquet";
  duckdb_query("COPY (SELECT i::BIGINT AS songplay_id, TIMESTAMP '2018-11-01' + INTERVAL (i) SECOND AS start_time, "
               "(i % 97)::INTEGER AS user_id, CASE WHEN i % 2 = 0 THEN 'free' ELSE 'paid' END AS level, "
               "NULL::VARCHAR AS song_id FROM range(0, 300) t(i)) TO '" + path + "' (FORMAT PARQUET)");
  ReadOptions options;
  options.columns = {"song_id", "start_time", "songplay_id"};
  ParquetTable table = read_parquet(read_file(path).view(), path, options);
  ASSERT_EQ(table.rows, 300u);
  EXPECT_EQ(table.columns[0].null_count(), 300u);
  EXPECT_EQ(table.columns[1].epoch_ms_at(299), 1541030400000 + 299000);
  EXPECT_EQ(table.columns[2].int64_at(299), 299);
}

TEST(ParquetReaderOnDuckDbFiles, RefusesWhatItDoesNotReadNamingTheColumn) {
  SPARKIFY_REQUIRE_DUCKDB();
  TempDir dir;
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"true AS flag", "column flag: physical type BOOLEAN is not read"},
      {"1.5::DECIMAL(10,2) AS price", "column price: DECIMAL is not read"},
      {"DATE '2018-11-01' AS day", "column day: DATE is not read"},
      {"42::UINTEGER AS count", "column count: an unsigned INTEGER is not read"},
      {"1.5::FLOAT AS ratio", "column ratio: physical type FLOAT is not read"},
      {"{'a': 1} AS nested", "a nested schema (only flat schemas are read)"},
  };
  for (const auto& [select, message] : cases) {
    std::string path = dir / "refused.parquet";
    duckdb_query("COPY (SELECT 1::INTEGER AS id, " + select + ") TO '" + path + "' (FORMAT PARQUET)");
    try {
      read_parquet(read_file(path).view(), path);
      ADD_FAILURE() << "read " << select;
    } catch (const JobError& error) {
      EXPECT_EQ(std::string(error.what()), path + ": " + message);
    }
  }
}

}  // namespace
}  // namespace sparkify::lake::parquet
