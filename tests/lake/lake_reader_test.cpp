// The lake reader on a lake the tool's own lake sink wrote (the fixtures,
// whose every row is written down), on partition folders that need
// escaping, and on lakes it must refuse, naming the folder or file.
#include "lake/lake_reader.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>

#include "io/local_file_system.h"
#include "lake/partitioned_writer.h"
#include "model/error.h"
#include "pipeline/etl.h"
#include "support/data_sets.h"
#include "support/star_compare.h"
#include "test_support.h"

namespace sparkify::lake {
namespace {

namespace fs = std::filesystem;
using testing::TempDir;

// Runs the etl job on the fixtures into a new lake at `lake`.
void write_fixture_lake(const std::string& lake, const std::string& rejects, const std::string& compression) {
  testing::DataSet data = testing::fixture_data_set();
  config::Settings settings;
  settings.song_data = data.song_data();
  settings.log_data = data.log_data();
  settings.lake = lake;
  settings.rejects_path = rejects;
  settings.compression = compression;
  pipeline::FileSystems file_systems(settings);
  auto sinks = pipeline::make_sinks(settings, file_systems);
  std::ostringstream log;
  pipeline::run_etl(settings, file_systems, sinks, log);
}

std::string error_of(const std::function<void()>& action) {
  try {
    action();
  } catch (const JobError& error) {
    return error.what();
  }
  return "(no error)";
}

TEST(LakeReader, ReadsTheFixtureLakeAsTheContractsRows) {
  for (const char* compression : {"snappy", "zstd", "none"}) {
    SCOPED_TRACE(compression);
    TempDir work;
    std::string lake = work / "lake";
    write_fixture_lake(lake, work / "rejects.ndjson", compression);
    io::LocalFileSystem local;
    EXPECT_EQ(testing::first_difference(testing::fixture_star(), read_star(local, lake)), "");
    // One thread or many: the same rows.
    LakeReadOptions one_at_a_time;
    one_at_a_time.concurrency = 1;
    EXPECT_EQ(testing::first_difference(testing::fixture_star(), read_star(local, lake, one_at_a_time)), "");
  }
}

TEST(LakeReader, TableFilesCarryTheirPartitionValues) {
  TempDir work;
  std::string lake = work / "lake";
  write_fixture_lake(lake, work / "rejects.ndjson", "snappy");
  io::LocalFileSystem local;
  std::vector<LakeFile> files = read_table_files(local, lake, "songs", {"song_id"});
  ASSERT_EQ(files.size(), 6u);
  EXPECT_EQ(files[0].path, lake + "/songs/year=0/artist_id=ARNUL0L1187B9A3C03/part-00000.parquet");
  EXPECT_EQ(files[0].partition, (PartitionValues{{"year", "0"}, {"artist_id", "ARNUL0L1187B9A3C03"}}));
  ASSERT_EQ(files[0].table.columns.size(), 1u);
  EXPECT_EQ(files[0].table.columns[0].name(), "song_id");
  EXPECT_EQ(list_table_files(local, lake, "users").size(), 1u);
}

parquet::Column text_column(std::string name, bool optional = true) {
  return {std::move(name), parquet::PhysicalType::kByteArray, parquet::LogicalType::kString, optional};
}

// A songs table written by hand: partition values that need escaping, and
// NULL ones.
void write_songs(io::FileSystem& fs, const std::string& lake,
                 const std::vector<std::pair<std::optional<std::string>, std::optional<std::string>>>& partitions) {
  PartitionedWriter writer(fs, lake + "/songs",
                           {text_column("song_id", false), text_column("title"),
                            {"duration", parquet::PhysicalType::kDouble, parquet::LogicalType::kNone, true}},
                           parquet::WriterOptions{});
  for (size_t idx = 0; idx < partitions.size(); ++idx) {
    parquet::Writer& file = writer.partition({{"year", partitions[idx].first}, {"artist_id", partitions[idx].second}});
    file.write_string("SO" + std::to_string(idx));
    file.write_string("title " + std::to_string(idx));
    file.write_double(static_cast<double>(idx) + 0.5);
    file.end_row();
  }
  writer.close();
  fs.write_file(lake + "/songs/_SUCCESS", "");
}

TEST(LakeReader, UnescapesPartitionFoldersAndReadsTheDefaultPartitionAsNull) {
  TempDir work;
  std::string lake = work / "lake";
  io::LocalFileSystem local;
  const std::vector<std::optional<std::string>> artists = {
      "a/b", "k=v", "100%", "%2F", "New York", "Zürich", "q?*\"'\\{[]^}", "tab\there", std::nullopt};
  std::vector<std::pair<std::optional<std::string>, std::optional<std::string>>> partitions;
  for (const auto& artist : artists) partitions.push_back({"1999", artist});
  partitions.push_back({std::nullopt, "AR1"});
  write_songs(local, lake, partitions);

  std::vector<model::SongRow> songs = read_songs(local, lake);
  ASSERT_EQ(songs.size(), partitions.size());
  for (size_t idx = 0; idx < partitions.size(); ++idx) {
    const model::SongRow& song = songs[idx];  // SO0 … SO9 sort as written
    EXPECT_EQ(song.song_id, "SO" + std::to_string(idx));
    EXPECT_EQ(song.artist_id, partitions[idx].second) << "folder of " << partitions[idx].second.value_or("NULL");
    EXPECT_EQ(song.year, partitions[idx].first ? std::optional<int32_t>(1999) : std::nullopt);
    EXPECT_EQ(song.title, "title " + std::to_string(idx));
    EXPECT_EQ(song.duration, static_cast<double>(idx) + 0.5);
  }
}

TEST(LakeReader, SkipsHiddenAndUnderscoreFilesAndFolders) {
  TempDir work;
  std::string lake = work / "lake";
  io::LocalFileSystem local;
  write_songs(local, lake, {{"2001", "AR1"}});
  for (const char* junk : {"songs/_temporary/0/year=1/artist_id=X/part.parquet", "songs/.staging/part.parquet",
                           "songs/year=2001/artist_id=AR1/_part.parquet",
                           "songs/year=2001/artist_id=AR1/.part.parquet.crc.parquet"}) {
    local.write_file(lake + "/" + junk, "not parquet");
  }
  EXPECT_EQ(read_songs(local, lake).size(), 1u);
}

TEST(LakeReader, RefusesIncompleteTablesAndFilesOutsideTheLayout) {
  TempDir work;
  std::string lake = work / "lake";
  io::LocalFileSystem local;
  write_songs(local, lake, {{"2001", "AR1"}});
  EXPECT_EQ(error_of([&] { read_users(local, lake); }), lake + "/users: no such table folder in the lake");

  local.write_file(lake + "/songs/year=2001/part-00009.parquet", "x");
  EXPECT_EQ(error_of([&] { read_songs(local, lake); }),
            lake + "/songs/year=2001/part-00009.parquet: not in the layout of table songs (expected 2 partition "
                   "folders above each file)");
  local.remove_all(lake + "/songs/year=2001/part-00009.parquet");
  local.write_file(lake + "/songs/year=2001/artist=AR1/part-00009.parquet", "x");
  EXPECT_EQ(error_of([&] { read_songs(local, lake); }),
            lake + "/songs/year=2001/artist=AR1/part-00009.parquet: folder 'artist=AR1' where table songs has "
                   "artist_id=VALUE");
  local.remove_all(lake + "/songs/year=2001/artist=AR1");

  local.write_file(lake + "/songs/year=2001/artist_id=AR2/part-00000.parquet", "PAR1!");
  EXPECT_EQ(error_of([&] { read_songs(local, lake); }),
            lake + "/songs/year=2001/artist_id=AR2/part-00000.parquet: not a Parquet file (5 bytes)");
  local.write_file(lake + "/songs/year=2001/artist_id=AR2/part-00000.parquet",
                   testing::read_text(lake + "/songs/year=2001/artist_id=AR1/part-00000.parquet").substr(0, 100));
  EXPECT_EQ(error_of([&] { read_songs(local, lake); }),
            lake + "/songs/year=2001/artist_id=AR2/part-00000.parquet: not a whole Parquet file (no PAR1 at the end: "
                   "truncated?)");
  local.remove_all(lake + "/songs/year=2001/artist_id=AR2");

  local.write_file(lake + "/songs/year=twenty/artist_id=AR2/part-00000.parquet",
                   testing::read_text(lake + "/songs/year=2001/artist_id=AR1/part-00000.parquet"));
  EXPECT_EQ(error_of([&] { read_songs(local, lake); }),
            lake + "/songs/year=twenty/artist_id=AR2/part-00000.parquet: partition year=twenty is not an INT");
  local.remove_all(lake + "/songs/year=twenty");

  local.remove_all(lake + "/songs/_SUCCESS");
  EXPECT_EQ(error_of([&] { read_songs(local, lake); }),
            lake + "/songs: the table is not complete (no _SUCCESS): a load was cut short, or is running");
}

TEST(LakeReader, RefusesAColumnOfAnotherTypeOrAMissingOne) {
  TempDir work;
  std::string lake = work / "lake";
  io::LocalFileSystem local;
  {
    // user_id as text where an INT belongs.
    PartitionedWriter writer(local, lake + "/users",
                             {text_column("user_id", false), text_column("first_name"), text_column("last_name"),
                              text_column("gender"), text_column("level")},
                             parquet::WriterOptions{});
    parquet::Writer& file = writer.partition({});
    for (int column = 0; column < 5; ++column) file.write_string("7");
    file.end_row();
    writer.close();
    local.write_file(lake + "/users/_SUCCESS", "");
  }
  EXPECT_EQ(error_of([&] { read_users(local, lake); }),
            lake + "/users/part-00000.parquet: column user_id is not an INT (INT32)");
  {
    local.remove_all(lake + "/artists");
    PartitionedWriter writer(local, lake + "/artists", {text_column("artist_id", false)}, parquet::WriterOptions{});
    parquet::Writer& file = writer.partition({});
    file.write_string("AR1");
    file.end_row();
    writer.close();
    local.write_file(lake + "/artists/_SUCCESS", "");
  }
  EXPECT_EQ(error_of([&] { read_artists(local, lake); }), lake + "/artists/part-00000.parquet: no column name");
}

}  // namespace
}  // namespace sparkify::lake
