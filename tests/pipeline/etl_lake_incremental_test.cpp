// Daily loads into a lake (--incremental), what is the lake's own (the
// tests every target passes are in etl_incremental_test.cpp): a day
// rewrites only the months it touches, linking the others; a kill part way
// through a day's commit is completed by the next run; on S3, day by day
// gives the full load's tables.
#include <gtest/gtest.h>

#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <set>
#include <sstream>

#include "io/local_file_system.h"
#include "io/s3/s3_file_system.h"
#include "io/s3/s3_test_support.h"
#include "lake/lake_reader.h"
#include "model/error.h"
#include "model/failpoint.h"
#include "pipeline/etl.h"
#include "support/daily_data.h"
#include "support/duckdb_reader.h"
#include "support/star_compare.h"
#include "test_support.h"

namespace sparkify::pipeline {
namespace {

namespace fs = std::filesystem;
using testing::copy_into;
using testing::first_difference;
using testing::files_below;
using testing::read_star_from_lake;
using testing::TempDir;

// Two months of generated days: a day of the second month leaves the first
// month's files as they were (the same inode: linked, not rewritten), and
// the songs table, with no new song, untouched.
class LakeIncrementalPartitionsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    SPARKIFY_REQUIRE_DUCKDB();
    data_ = work_ / "data";
    testing::CliOutcome made =
        testing::run_sparkify("generate --songs 200 --events 4000 --days 35 --seed 5 --out " + data_);
    ASSERT_EQ(made.status, 0) << made.output;
  }

  static ino_t inode_of(const std::string& path) {
    struct stat info {};
    EXPECT_EQ(::stat(path.c_str(), &info), 0) << path;
    return info.st_ino;
  }

  // The Parquet files below `dir`, each with its inode.
  static std::map<std::string, ino_t> inodes_below(const std::string& dir) {
    std::map<std::string, ino_t> inodes;
    for (const auto& file : files_below(dir)) {
      if (file.size() > 8 && file.substr(file.size() - 8) == ".parquet") inodes[file] = inode_of(dir + "/" + file);
    }
    return inodes;
  }

  TempDir work_;
  std::string data_;
};

TEST_F(LakeIncrementalPartitionsTest, ADayRewritesOnlyTheMonthsItTouches) {
  std::vector<std::string> days = files_below(data_ + "/log_data");
  ASSERT_GT(days.size(), 31u);
  std::string arriving = work_ / "arriving";
  std::string lake = work_ / "lake";
  for (const auto& song : files_below(data_ + "/song_data")) copy_into(data_ + "/song_data", song, arriving + "/song_data");
  for (size_t idx = 0; idx + 1 < days.size(); ++idx) copy_into(data_ + "/log_data", days[idx], arriving + "/log_data");
  std::string command = "etl --incremental --song-data " + arriving + "/song_data --log-data " + arriving +
                        "/log_data --lake " + lake;
  testing::CliOutcome first = testing::run_sparkify(command);
  ASSERT_EQ(first.status, 0) << first.output;

  auto songplays_before = inodes_below(lake + "/songplays");
  auto songs_before = inodes_below(lake + "/songs");
  copy_into(data_ + "/log_data", days.back(), arriving + "/log_data");
  testing::CliOutcome day = testing::run_sparkify(command);
  ASSERT_EQ(day.status, 0) << day.output;
  EXPECT_NE(day.output.find("1 new files"), std::string::npos) << day.output;

  auto songplays_after = inodes_below(lake + "/songplays");
  ASSERT_TRUE(songplays_after.count("year=2018/month=11/part-00000.parquet"));
  EXPECT_EQ(songplays_after["year=2018/month=11/part-00000.parquet"],
            songplays_before["year=2018/month=11/part-00000.parquet"]);
  EXPECT_NE(songplays_after["year=2018/month=12/part-00000.parquet"],
            songplays_before["year=2018/month=12/part-00000.parquet"]);
  EXPECT_EQ(inodes_below(lake + "/songs"), songs_before);

  std::string full = work_ / "full";
  testing::CliOutcome all = testing::run_sparkify("etl --song-data " + arriving + "/song_data --log-data " + arriving +
                                                  "/log_data --lake " + full);
  ASSERT_EQ(all.status, 0) << all.output;
  EXPECT_EQ(first_difference(read_star_from_lake(full), read_star_from_lake(lake)), "");
}

// Killed after the first table of a day's commit went into place: the next
// run completes that commit, and the tables are a full load's.
TEST_F(LakeIncrementalPartitionsTest, AKillInTheCommitIsCompletedByTheNextRun) {
  std::vector<std::string> days = files_below(data_ + "/log_data");
  std::string arriving = work_ / "arriving";
  std::string lake = work_ / "lake";
  for (const auto& song : files_below(data_ + "/song_data")) copy_into(data_ + "/song_data", song, arriving + "/song_data");
  for (size_t idx = 0; idx + 1 < days.size(); ++idx) copy_into(data_ + "/log_data", days[idx], arriving + "/log_data");
  std::string command = "etl --incremental --song-data " + arriving + "/song_data --log-data " + arriving +
                        "/log_data --lake " + lake;
  ASSERT_EQ(testing::run_sparkify(command).status, 0);
  copy_into(data_ + "/log_data", days.back(), arriving + "/log_data");
  testing::CliOutcome killed = testing::run_sparkify_with("env SPARKIFY_FAILPOINTS=lake-table-swapped ", command);
  ASSERT_NE(killed.status, 0) << killed.output;
  testing::CliOutcome next = testing::run_sparkify(command);
  ASSERT_EQ(next.status, 0) << next.output;
  EXPECT_NE(next.output.find("completed the interrupted commit"), std::string::npos) << next.output;

  std::string full = work_ / "full";
  ASSERT_EQ(testing::run_sparkify("etl --song-data " + arriving + "/song_data --log-data " + arriving +
                                  "/log_data --lake " + full)
                .status,
            0);
  EXPECT_EQ(first_difference(read_star_from_lake(full), read_star_from_lake(lake)), "");
}

// On S3 the carried-over files are server-side copies.
TEST(LakeIncrementalS3Test, DayByDayIntoAnS3LakeGivesTheFullLoadsTables) {
  std::string why;
  auto endpoint = testing::s3_test_endpoint(why);
  if (!endpoint) GTEST_SKIP() << why;
  testing::TestBucket bucket(*endpoint, "sparkify-lake-daily", "lake-daily-test");
  testing::DataSet data = testing::fixture_data_set();
  TempDir work;
  std::string arriving = work / "arriving";
  for (const auto& song : files_below(data.song_data())) copy_into(data.song_data(), song, arriving + "/song_data");
  auto settings = [&](const std::string& lake, bool incremental) {
    config::Settings settings;
    settings.song_data = arriving + "/song_data";
    settings.log_data = arriving + "/log_data";
    settings.lake = lake;
    settings.incremental = incremental;
    settings.allow_empty_input = true;
    settings.rejects_path = work / "rejects.ndjson";
    settings.aws_key = "S3RVER";
    settings.aws_secret = "lake-daily-test";
    settings.s3_endpoint = *endpoint;
    return settings;
  };
  auto run = [](const config::Settings& settings) {
    FileSystems file_systems(settings);
    auto sinks = make_sinks(settings, file_systems);
    std::ostringstream log;
    return run_etl(settings, file_systems, sinks, log);
  };
  std::string lake = bucket.uri("lake");
  for (const auto& day : files_below(data.log_data())) {
    copy_into(data.log_data(), day, arriving + "/log_data");
    run(settings(lake, true));
  }
  std::string full = work / "full";
  run(settings(full, false));
  io::LocalFileSystem local;
  EXPECT_EQ(first_difference(lake::read_star(local, full), lake::read_star(bucket.s3(), lake)), "");
}

}  // namespace
}  // namespace sparkify::pipeline
