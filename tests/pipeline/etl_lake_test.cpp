// The etl job into the Parquet lake: read back by DuckDB, compared with the
// PostgreSQL path, and its commit protocol under failure.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <sstream>
#include <thread>

#include "model/error.h"
#include "pipeline/etl.h"
#include "support/data_sets.h"
#include "support/duckdb_reader.h"
#include "support/star_compare.h"
#include "support/test_database.h"
#include "test_support.h"

namespace sparkify::pipeline {
namespace {

namespace fs = std::filesystem;
using testing::DataSet;
using testing::duckdb_query;
using testing::first_difference;
using testing::read_star_from_lake;
using testing::read_star_from_postgres;
using testing::TempDir;
using testing::TestDatabase;

RunSummary run(const std::string& song_data, const std::string& log_data, std::optional<std::string> lake,
               std::optional<std::string> target, const std::string& rejects) {
  config::Settings settings;
  settings.song_data = song_data;
  settings.log_data = log_data;
  settings.lake = std::move(lake);
  settings.target = std::move(target);
  settings.rejects_path = rejects;
  FileSystems file_systems(settings);
  auto sinks = make_sinks(settings, file_systems);
  std::ostringstream log;
  return run_etl(settings, file_systems, sinks, log);
}

std::string sparkify_binary() { return std::string(SPARKIFY_BINARY_DIR) + "/src/cli/sparkify"; }

// Every file under `root` with its size and modification time, but for the
// lake's bookkeeping.
std::map<std::string, std::string> snapshot(const std::string& root) {
  std::map<std::string, std::string> files;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (!entry.is_regular_file() || testing::is_lake_bookkeeping(entry.path())) continue;
    files[fs::relative(entry.path(), root).string()] =
        std::to_string(entry.file_size()) + "@" +
        std::to_string(entry.last_write_time().time_since_epoch().count());
  }
  return files;
}

// The Parquet types of each table as DuckDB reads them, partition columns
// last.
std::string describe(const std::string& lake, const std::string& table) {
  std::string types;
  for (const auto& row : duckdb_query("DESCRIBE SELECT * FROM read_parquet('" + lake + "/" + table +
                                      "/**/*.parquet', hive_partitioning = true)")
                             .rows) {
    types += *row[0] + " " + *row[1] + ", ";
  }
  return types;
}

// Each test of this suite runs on the project's fixtures and, where it
// exists, on the real sample (support/data_sets.h).
class EtlLakeOnData : public ::testing::TestWithParam<DataSet> {};

TEST_P(EtlLakeOnData, ReadsBackInDuckDbWithTheContractsTypes) {
  SPARKIFY_REQUIRE_DUCKDB();
  const DataSet& data = GetParam();
  TempDir work;
  std::string lake = work / "lake";
  RunSummary summary = run(data.song_data(), data.log_data(), lake, std::nullopt, work / "rejects.ndjson");
  const auto& counts = summary.targets.at(0).counts;
  EXPECT_EQ(counts.songplays, data.counts.songplays);
  EXPECT_EQ(counts.users, data.counts.users);
  EXPECT_EQ(counts.songs, data.counts.songs);
  EXPECT_EQ(counts.artists, data.counts.artists);
  EXPECT_EQ(counts.time, data.counts.time);

  EXPECT_EQ(describe(lake, "songplays"),
            "songplay_id BIGINT, start_time TIMESTAMP WITH TIME ZONE, user_id INTEGER, level VARCHAR, "
            "song_id VARCHAR, artist_id VARCHAR, session_id INTEGER, location VARCHAR, user_agent VARCHAR, "
            "month BIGINT, year BIGINT, ");
  EXPECT_EQ(describe(lake, "users"),
            "user_id INTEGER, first_name VARCHAR, last_name VARCHAR, gender VARCHAR, level VARCHAR, ");
  EXPECT_EQ(describe(lake, "songs"), "song_id VARCHAR, title VARCHAR, duration DOUBLE, artist_id VARCHAR, year BIGINT, ");
  EXPECT_EQ(describe(lake, "artists"),
            "artist_id VARCHAR, name VARCHAR, location VARCHAR, latitude DOUBLE, longitude DOUBLE, ");
  EXPECT_EQ(describe(lake, "time"),
            "start_time TIMESTAMP WITH TIME ZONE, hour INTEGER, day INTEGER, week INTEGER, weekday INTEGER, "
            "month BIGINT, year BIGINT, ");

  for (const char* table : {"songplays", "users", "songs", "artists", "time"}) {
    EXPECT_TRUE(fs::exists(lake + "/" + table + "/_SUCCESS")) << table;
  }
  EXPECT_TRUE(fs::exists(lake + "/songplays/year=2018/month=11/part-00000.parquet"));
}

TEST_P(EtlLakeOnData, LakeAndPostgresHoldTheSameRows) {
  SPARKIFY_REQUIRE_DUCKDB();
  SPARKIFY_REQUIRE_POSTGRES();
  const DataSet& data = GetParam();
  TestDatabase db;
  TempDir work;
  std::string lake = work / "lake";
  RunSummary summary = run(data.song_data(), data.log_data(), lake, db.uri(), work / "rejects.ndjson");
  ASSERT_EQ(summary.targets.size(), 2u);
  EXPECT_EQ(first_difference(read_star_from_postgres(db.uri()), read_star_from_lake(lake)), "");
}

TEST_P(EtlLakeOnData, FailedRunLeavesThePreviousLake) {
  const DataSet& data = GetParam();
  TempDir work;
  std::string lake = work / "lake";
  run(data.song_data(), data.log_data(), lake, std::nullopt, work / "rejects.ndjson");
  auto before = snapshot(lake);
  fs::copy(data.log_data(), work / "log_data", fs::copy_options::recursive);
  testing::write_text(work / "log_data/bad.json", "{\"ts\": \"soon\"}\n");
  EXPECT_THROW(run(data.song_data(), work / "log_data", lake, std::nullopt, work / "rejects.ndjson"), JobError);
  EXPECT_EQ(before, snapshot(lake));
}

INSTANTIATE_TEST_SUITE_P(, EtlLakeOnData, ::testing::ValuesIn(testing::data_sets()), testing::data_set_test_name);

// Every row of every table through DuckDB, as the contract gives them for
// the fixtures (support/data_sets.cpp), and the partitions they lie in.
TEST(EtlLake, FixturesReadBackInDuckDbAsTheContractsRows) {
  SPARKIFY_REQUIRE_DUCKDB();
  DataSet data = testing::fixture_data_set();
  TempDir work;
  std::string lake = work / "lake";
  run(data.song_data(), data.log_data(), lake, std::nullopt, work / "rejects.ndjson");
  EXPECT_EQ(first_difference(testing::fixture_star(), read_star_from_lake(lake)), "");

  std::vector<std::string> files;
  for (const auto& entry : fs::recursive_directory_iterator(lake)) {
    if (entry.path().extension() == ".parquet") files.push_back(fs::relative(entry.path(), lake).string());
  }
  std::sort(files.begin(), files.end());
  std::string listed;
  for (const auto& file : files) listed += file + "\n";
  EXPECT_EQ(listed,
            "artists/part-00000.parquet\n"
            "songplays/year=2018/month=11/part-00000.parquet\n"
            "songplays/year=2018/month=12/part-00000.parquet\n"
            "songs/year=0/artist_id=ARNUL0L1187B9A3C03/part-00000.parquet\n"
            "songs/year=1989/artist_id=ARMAT5K1187B9A2B02/part-00000.parquet\n"
            "songs/year=1997/artist_id=ARBJ1YM1187FB3F0A1/part-00000.parquet\n"
            "songs/year=2008/artist_id=ARDUO2X1187B9A4D04/part-00000.parquet\n"
            "songs/year=2009/artist_id=ARDUO2X1187B9A4D04/part-00000.parquet\n"
            "songs/year=2011/artist_id=ARMAT5K1187B9A2B02/part-00000.parquet\n"
            "time/year=2018/month=11/part-00000.parquet\n"
            "time/year=2018/month=12/part-00000.parquet\n"
            "users/part-00000.parquet\n");
  // Text as DuckDB reads it: non-ASCII and quotes intact.
  auto users = duckdb_query("SELECT first_name || ' ' || last_name FROM read_parquet('" + lake +
                            "/users/*.parquet') ORDER BY user_id");
  ASSERT_EQ(users.rows.size(), 4u);
  EXPECT_EQ(*users.rows[0][0], "Zoë Ångström");
  EXPECT_EQ(*users.rows[2][0], "Noor O'Brien");
}

// Rows that only the real extract has.
class EtlLakeOnSample : public ::testing::TestWithParam<DataSet> {};

TEST_P(EtlLakeOnSample, YearZeroSongAndTheOneMatchedPlay) {
  SPARKIFY_REQUIRE_DUCKDB();
  const DataSet& sample = GetParam();
  TempDir work;
  std::string lake = work / "lake";
  run(sample.song_data(), sample.log_data(), lake, std::nullopt, work / "rejects.ndjson");
  EXPECT_TRUE(fs::exists(lake + "/songs/year=0/artist_id=ARD7TVE1187B99BFB1/part-00000.parquet"));
  // The one matched play, through DuckDB.
  auto matched = duckdb_query("SELECT user_id, song_id, artist_id, CAST(start_time AS VARCHAR) FROM read_parquet('" +
                              lake + "/songplays/**/*.parquet', hive_partitioning = true) WHERE song_id IS NOT NULL");
  ASSERT_EQ(matched.rows.size(), 1u);
  EXPECT_EQ(*matched.rows[0][1], "SOZCTXZ12AB0182364");
  EXPECT_EQ(*matched.rows[0][2], "AR5KOSW1187FB35FF4");
}

INSTANTIATE_TEST_SUITE_P(, EtlLakeOnSample, ::testing::ValuesIn(testing::sample_data_sets()),
                         testing::data_set_test_name);
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(EtlLakeOnSample);

TEST(EtlLake, GeneratedDataAgreesAcrossLakeAndPostgres) {
  SPARKIFY_REQUIRE_DUCKDB();
  SPARKIFY_REQUIRE_POSTGRES();
  TestDatabase db;
  TempDir work;
  std::string command = sparkify_binary() + " generate --songs 3000 --events 30000 --seed 11 --out " + work.str() +
                        "/data >/dev/null";
  ASSERT_EQ(std::system(command.c_str()), 0);
  std::string lake = work / "lake";
  run(work / "data/song_data", work / "data/log_data", lake, db.uri(), work / "rejects.ndjson");
  auto from_postgres = read_star_from_postgres(db.uri());
  EXPECT_GT(from_postgres.songplays.size(), 1000u);
  size_t matched = 0;
  for (const auto& play : from_postgres.songplays) matched += play.song_id ? 1 : 0;
  EXPECT_GT(matched, 100u) << "generated plays match generated songs";
  EXPECT_EQ(first_difference(from_postgres, read_star_from_lake(lake)), "");
}

TEST(EtlLake, RunKilledWhileWritingLeavesThePreviousLake) {
  TempDir work;
  std::string data = work / "data";
  std::string generate = sparkify_binary() + " generate --songs 15000 --events 50000 --seed 5 --out " + data +
                         " >/dev/null";
  ASSERT_EQ(std::system(generate.c_str()), 0);
  std::string lake = work / "lake";
  std::string etl_args = " etl --song-data " + data + "/song_data --log-data " + data + "/log_data --lake " + lake +
                         " --rejects " + (work / "rejects.ndjson");
  ASSERT_EQ(std::system((sparkify_binary() + etl_args + " >/dev/null 2>&1").c_str()), 0);
  auto before = snapshot(lake);

  // Again, and SIGKILL it once it has started writing Parquet aside.
  pid_t child = fork();
  if (child == 0) {
    execl("/bin/sh", "sh", "-c", ("exec " + sparkify_binary() + etl_args + " >/dev/null 2>&1").c_str(), nullptr);
    _exit(127);
  }
  bool writing = false;
  for (int poll = 0; poll < 6000 && !writing; ++poll) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    for (const auto& entry : fs::directory_iterator(lake)) {
      if (entry.path().filename().string().rfind(".sparkify-staging-", 0) != 0) continue;
      for (const auto& staged : fs::recursive_directory_iterator(entry.path())) {
        if (staged.path().extension() == ".parquet") writing = true;
      }
    }
  }
  kill(child, SIGKILL);
  int status = 0;
  waitpid(child, &status, 0);
  ASSERT_TRUE(writing) << "the run never reached the lake write";
  ASSERT_TRUE(WIFSIGNALED(status)) << "the run finished before it could be killed";

  auto after = snapshot(lake);
  for (auto it = after.begin(); it != after.end();) {
    it = it->first.rfind(".sparkify-staging-", 0) == 0 ? after.erase(it) : std::next(it);
  }
  EXPECT_EQ(before, after) << "every table as it was";
  // The next run clears what the killed one left, and succeeds.
  ASSERT_EQ(std::system((sparkify_binary() + etl_args + " >/dev/null 2>&1").c_str()), 0);
  for (const auto& entry : fs::directory_iterator(lake)) {
    EXPECT_NE(entry.path().filename().string().rfind(".sparkify-staging-", 0), 0u) << entry.path();
  }
}

}  // namespace
}  // namespace sparkify::pipeline
