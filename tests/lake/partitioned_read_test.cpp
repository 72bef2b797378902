// A table written by PartitionedWriter, read by DuckDB with hive
// partitioning: every partition value, unsafe ones included, comes back as
// it was written.
#include <gtest/gtest.h>

#include "io/local_file_system.h"
#include "lake/partitioned_writer.h"
#include "support/duckdb_reader.h"
#include "test_support.h"

namespace sparkify::lake {
namespace {

using testing::duckdb_query;
using testing::DuckResult;
using testing::TempDir;

TEST(HivePartitionsInDuckDb, UnsafeValuesComeBackIdentical) {
  SPARKIFY_REQUIRE_DUCKDB();
  // Values that need escaping in a path, or look like they were escaped.
  const std::vector<std::optional<std::string>> cities = {
      "a/b",       "k=v",           "100%", "50%25",   "New York", "12:30",      "#1",  "Zürich",     "東京",
      "tab\there", "q?*\"'\\{[]^}", "..",   "C:\\dir", "+plus~",   "line\nfeed", "%2F", std::nullopt, "plain"};
  TempDir dir;
  io::LocalFileSystem local;
  std::vector<parquet::Column> columns = {
      {"id", parquet::PhysicalType::kInt32, parquet::LogicalType::kNone, false},
      {"city_value", parquet::PhysicalType::kByteArray, parquet::LogicalType::kString, true}};
  PartitionedWriter writer(local, dir / "table", columns, parquet::WriterOptions{});
  for (size_t city_idx = 0; city_idx < cities.size(); ++city_idx) {
    // Two partition levels, the second one plain: a file per row.
    for (int32_t row = 0; row < 2; ++row) {
      parquet::Writer& file = writer.partition({{"city", cities[city_idx]}, {"part", std::to_string(row)}});
      file.write_int32(static_cast<int32_t>(city_idx) * 2 + row);
      if (cities[city_idx]) {
        file.write_string(*cities[city_idx]);
      } else {
        file.write_null();
      }
      file.end_row();
    }
  }
  writer.close();
  EXPECT_EQ(writer.files_written(), cities.size() * 2);

  DuckResult result = duckdb_query("SELECT id, city_value, city, part FROM read_parquet('" + dir.str() +
                                   "/table/**/*.parquet', hive_partitioning = true, hive_types_autocast = false) "
                                   "ORDER BY id");
  ASSERT_EQ(result.rows.size(), cities.size() * 2);
  for (size_t row_idx = 0; row_idx < result.rows.size(); ++row_idx) {
    const auto& row = result.rows[row_idx];
    const auto& city = cities[row_idx / 2];
    EXPECT_EQ(*row[0], std::to_string(row_idx));
    EXPECT_EQ(row[1], city);
    EXPECT_EQ(row[2], city) << "partition folder of " << city.value_or("NULL");
    EXPECT_EQ(row[3], std::to_string(row_idx % 2));
  }
}

TEST(HivePartitionsInDuckDb, EmptyStringIsReadAsNullLikeHive) {
  SPARKIFY_REQUIRE_DUCKDB();
  TempDir dir;
  io::LocalFileSystem local;
  PartitionedWriter writer(local, dir / "table",
                           {{"id", parquet::PhysicalType::kInt32, parquet::LogicalType::kNone, false}},
                           parquet::WriterOptions{});
  for (int32_t id = 0; id < 2; ++id) {
    parquet::Writer& file = writer.partition({{"city", id == 0 ? "" : "x"}});
    file.write_int32(id);
    file.end_row();
  }
  writer.close();
  DuckResult result = duckdb_query("SELECT id, city FROM read_parquet('" + dir.str() +
                                   "/table/**/*.parquet', hive_partitioning = true) ORDER BY id");
  ASSERT_EQ(result.rows.size(), 2u);
  EXPECT_EQ(result.rows[0][1], std::nullopt);
  EXPECT_EQ(result.rows[1][1], "x");
}

}  // namespace
}  // namespace sparkify::lake
