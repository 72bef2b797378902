#include "lake/partitioned_writer.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "io/local_file_system.h"
#include "parquet/reference_reader.h"
#include "test_support.h"

namespace sparkify::lake {
namespace {

namespace fs = std::filesystem;
using parquet::testing::first_difference;
using parquet::testing::read_parquet_bytes;
using parquet::testing::Row;
using parquet::testing::Value;
using testing::read_text;
using testing::TempDir;

std::vector<parquet::Column> schema() {
  return {{"id", parquet::PhysicalType::kInt32, parquet::LogicalType::kNone, false},
          {"city", parquet::PhysicalType::kByteArray, parquet::LogicalType::kString, true}};
}

void write_row(parquet::Writer& writer, int32_t id, const std::string& city) {
  writer.write_int32(id);
  writer.write_string(city);
  writer.end_row();
}

std::vector<Row> rows_of(const std::string& path) { return read_parquet_bytes(read_text(path)).rows(); }

// Every file under `root`, relative to it, hidden ones included.
std::vector<std::string> files_under(const std::string& root) {
  std::vector<std::string> files;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (entry.is_regular_file()) files.push_back(fs::relative(entry.path(), root).string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

TEST(HivePartitionedWriter, UnpartitionedTableIsOneFileAtTheTop) {
  TempDir dir;
  io::LocalFileSystem local;
  PartitionedWriter writer(local, dir / "users", schema(), parquet::WriterOptions{});
  write_row(writer.partition({}), 1, "Zürich");
  write_row(writer.partition({}), 2, "Bern");
  writer.close();
  EXPECT_EQ(writer.files_written(), 1u);
  EXPECT_EQ(files_under(dir / "users"), std::vector<std::string>{"part-00000.parquet"});
  EXPECT_EQ(first_difference(
                {{Value(int32_t{1}), Value(std::string("Zürich"))}, {Value(int32_t{2}), Value(std::string("Bern"))}},
                rows_of(dir / "users/part-00000.parquet")),
            "");
}

TEST(HivePartitionedWriter, OneFilePerPartitionFolder) {
  TempDir dir;
  io::LocalFileSystem local;
  PartitionedWriter writer(local, dir / "songplays", schema(), parquet::WriterOptions{});
  parquet::Writer& november = writer.partition({{"year", "2018"}, {"month", "11"}});
  write_row(november, 1, "a");
  EXPECT_EQ(&writer.partition({{"year", "2018"}, {"month", "11"}}), &november);
  write_row(november, 2, "b");
  // The partition's file is finished, footer and all, when the next begins
  // (it is written in place: the table folder is a staging folder).
  write_row(writer.partition({{"year", "2018"}, {"month", "12"}}), 3, "c");
  EXPECT_EQ(writer.files_written(), 1u);
  EXPECT_EQ(rows_of(dir / "songplays/year=2018/month=11/part-00000.parquet").size(), 2u);
  write_row(writer.partition({{"year", std::nullopt}, {"month", std::nullopt}}), 4, "d");
  writer.close();
  EXPECT_EQ(writer.files_written(), 3u);
  EXPECT_EQ(files_under(dir / "songplays"),
            (std::vector<std::string>{"year=2018/month=11/part-00000.parquet", "year=2018/month=12/part-00000.parquet",
                                      "year=__HIVE_DEFAULT_PARTITION__/month=__HIVE_DEFAULT_PARTITION__/"
                                      "part-00000.parquet"}));
  EXPECT_EQ(rows_of(dir / "songplays/year=2018/month=11/part-00000.parquet").size(), 2u);
  EXPECT_EQ(rows_of(dir / "songplays/year=2018/month=12/part-00000.parquet").size(), 1u);
}

TEST(HivePartitionedWriter, UnsafeValuesBecomeOneEscapedFolderEach) {
  TempDir dir;
  io::LocalFileSystem local;
  PartitionedWriter writer(local, dir / "t", schema(), parquet::WriterOptions{});
  write_row(writer.partition({{"city", "a/b"}}), 1, "a/b");
  write_row(writer.partition({{"city", "../x"}}), 2, "../x");
  write_row(writer.partition({{"city", "k=v 100%"}}), 3, "k=v 100%");
  write_row(writer.partition({{"city", "東京"}}), 4, "東京");
  writer.close();
  EXPECT_EQ(files_under(dir / "t"),
            (std::vector<std::string>{"city=..%2Fx/part-00000.parquet", "city=a%2Fb/part-00000.parquet",
                                      "city=k%3Dv%20100%25/part-00000.parquet", "city=東京/part-00000.parquet"}));
}

TEST(HivePartitionedWriter, CloseWithoutRowsWritesNothing) {
  TempDir dir;
  io::LocalFileSystem local;
  PartitionedWriter writer(local, dir / "t", schema(), parquet::WriterOptions{});
  writer.close();
  EXPECT_EQ(writer.files_written(), 0u);
  EXPECT_FALSE(fs::exists(dir / "t"));
}

TEST(HivePartitionedWriter, AbortDropsTheOpenFile) {
  TempDir dir;
  io::LocalFileSystem local;
  {
    PartitionedWriter writer(local, dir / "t", schema(), parquet::WriterOptions{});
    write_row(writer.partition({{"year", "2018"}}), 1, "a");
    write_row(writer.partition({{"year", "2019"}}), 2, "b");
    writer.abort();
    writer.abort();
    EXPECT_EQ(writer.files_written(), 1u);
  }
  // The finished partition stays (the lake's staging folder is what goes);
  // the open one leaves nothing, not even a temporary file.
  EXPECT_EQ(files_under(dir / "t"), std::vector<std::string>{"year=2018/part-00000.parquet"});
  {
    PartitionedWriter dropped(local, dir / "u", schema(), parquet::WriterOptions{});
    write_row(dropped.partition({}), 1, "a");
  }
  EXPECT_TRUE(files_under(dir / "u").empty());
}

TEST(HivePartitionedWriter, AFolderMetAgainGetsANewPartFile) {
  TempDir dir;
  io::LocalFileSystem local;
  PartitionedWriter writer(local, dir / "songs", schema(), parquet::WriterOptions{});
  write_row(writer.partition({{"year", "2018"}}), 1, "a");
  write_row(writer.partition({{"year", "2019"}}), 2, "b");
  write_row(writer.partition({{"year", "2018"}}), 3, "c");
  writer.close();
  EXPECT_EQ(files_under(dir / "songs"),
            (std::vector<std::string>{"year=2018/part-00000.parquet", "year=2018/part-00001.parquet",
                                      "year=2019/part-00000.parquet"}));
  EXPECT_EQ(rows_of(dir / "songs/year=2018/part-00000.parquet").size(), 1u);
  EXPECT_EQ(rows_of(dir / "songs/year=2018/part-00001.parquet").size(), 1u);
}

}  // namespace
}  // namespace sparkify::lake
