// Daily loads into a lake (--incremental), what is the lake's own (the
// tests every target passes are in etl_incremental_test.cpp): a day
// rewrites only the months it touches, linking the others, and finds an
// earlier copy of its plays in another month; a day with the song files
// listed as before leaves their ledger as it is; a kill part way through a
// day's commit is completed by the next run; a state of an earlier version
// is rebuilt; on S3, day by day gives the full load's tables.
#include <gtest/gtest.h>

#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <regex>
#include <set>
#include <sstream>

#include "io/local_file_system.h"
#include "io/s3/s3_file_system.h"
#include "io/s3/s3_test_support.h"
#include "lake/lake_reader.h"
#include "model/day_window.h"
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

  // The songs and every day but the last arrive and are loaded.
  void load_all_but_the_last_day() {
    days_ = files_below(data_ + "/log_data");
    for (const auto& song : files_below(data_ + "/song_data")) copy_into(data_ + "/song_data", song, arriving_ + "/song_data");
    for (size_t idx = 0; idx + 1 < days_.size(); ++idx) copy_into(data_ + "/log_data", days_[idx], arriving_ + "/log_data");
    testing::CliOutcome first = testing::run_sparkify(daily_run());
    ASSERT_EQ(first.status, 0) << first.output;
  }
  void last_day_arrives() { copy_into(data_ + "/log_data", days_.back(), arriving_ + "/log_data"); }
  // The command line of an incremental run over what has arrived.
  std::string daily_run() const {
    return "etl --incremental --song-data " + arriving_ + "/song_data --log-data " + arriving_ + "/log_data --lake " +
           lake_;
  }
  // The lake's tables against a full load of what has arrived.
  void expect_a_full_loads_tables() {
    std::string full = work_ / "full";
    testing::CliOutcome all = testing::run_sparkify("etl --song-data " + arriving_ + "/song_data --log-data " +
                                                    arriving_ + "/log_data --lake " + full);
    ASSERT_EQ(all.status, 0) << all.output;
    EXPECT_EQ(first_difference(read_star_from_lake(full), read_star_from_lake(lake_)), "");
  }

  TempDir work_;
  std::string data_;
  std::string arriving_ = work_ / "arriving";
  std::string lake_ = work_ / "lake";
  std::vector<std::string> days_;
};

TEST_F(LakeIncrementalPartitionsTest, ADayRewritesOnlyTheMonthsItTouches) {
  load_all_but_the_last_day();
  ASSERT_GT(days_.size(), 31u);
  auto songplays_before = inodes_below(lake_ + "/songplays");
  auto songs_before = inodes_below(lake_ + "/songs");
  auto state_before = inodes_below(lake_ + "/_sparkify_state");
  last_day_arrives();
  testing::CliOutcome day = testing::run_sparkify(daily_run());
  ASSERT_EQ(day.status, 0) << day.output;
  EXPECT_NE(day.output.find("1 new files"), std::string::npos) << day.output;
  // The song files are listed as before: their ledger and records are
  // linked, not read and written again; the event files' ledger is new.
  auto state_after = inodes_below(lake_ + "/_sparkify_state");
  for (const char* kept : {"song_files.parquet", "songs.parquet"}) {
    ASSERT_TRUE(state_before.count(kept)) << kept;
    EXPECT_EQ(state_after[kept], state_before[kept]) << kept;
  }
  EXPECT_NE(state_after["files.parquet"], state_before["files.parquet"]);

  auto songplays_after = inodes_below(lake_ + "/songplays");
  ASSERT_TRUE(songplays_after.count("year=2018/month=11/part-00000.parquet"));
  EXPECT_EQ(songplays_after["year=2018/month=11/part-00000.parquet"],
            songplays_before["year=2018/month=11/part-00000.parquet"]);
  EXPECT_NE(songplays_after["year=2018/month=12/part-00000.parquet"],
            songplays_before["year=2018/month=12/part-00000.parquet"]);
  EXPECT_EQ(inodes_below(lake_ + "/songs"), songs_before);
  expect_a_full_loads_tables();
}

// Killed after the first table of a day's commit went into place: the next
// run completes that commit, and the tables are a full load's.
TEST_F(LakeIncrementalPartitionsTest, AKillInTheCommitIsCompletedByTheNextRun) {
  load_all_but_the_last_day();
  last_day_arrives();
  testing::CliOutcome killed = testing::run_sparkify_with("env SPARKIFY_FAILPOINTS=lake-table-swapped ", daily_run());
  ASSERT_NE(killed.status, 0) << killed.output;
  testing::CliOutcome next = testing::run_sparkify(daily_run());
  ASSERT_EQ(next.status, 0) << next.output;
  EXPECT_NE(next.output.find("completed the interrupted commit"), std::string::npos) << next.output;
  expect_a_full_loads_tables();
}

// A day whose file repeats a play of the month before (same user, session
// and item, later): the earlier month's keys are read (its sessions' range
// holds the play's), the earlier copy stays the one kept, and the tables
// are a full load's.
TEST_F(LakeIncrementalPartitionsTest, APlayRepeatedAMonthLaterKeepsItsEarlierCopy) {
  load_all_but_the_last_day();
  // The first play of the first day, again in the last day's file, a
  // month later.
  std::string first_day = testing::read_text(data_ + "/log_data/" + days_.front());
  size_t play = first_day.find("\"page\":\"NextSong\"");
  ASSERT_NE(play, std::string::npos);
  size_t start = first_day.rfind('\n', play);
  start = start == std::string::npos ? 0 : start + 1;
  std::string line = first_day.substr(start, first_day.find('\n', play) - start);
  std::smatch ts;
  ASSERT_TRUE(std::regex_search(line, ts, std::regex(R"("ts":(\d+))")));
  line = std::regex_replace(line, std::regex(R"("ts":\d+)"),
                            "\"ts\":" + std::to_string(std::stoll(ts[1]) + 34 * model::kMillisPerDay));
  last_day_arrives();
  std::string last_day = arriving_ + "/log_data/" + days_.back();
  std::string text = testing::read_text(last_day);
  testing::write_text(last_day, text + (text.empty() || text.back() == '\n' ? "" : "\n") + line + "\n");
  testing::CliOutcome day = testing::run_sparkify(daily_run());
  ASSERT_EQ(day.status, 0) << day.output;
  expect_a_full_loads_tables();
}

// A song file gone from the source: the song listing changed, so the
// song files' ledger is read (nothing in it is new or changed) and left
// as it is, and the listing is kept anew with the day.
TEST_F(LakeIncrementalPartitionsTest, ASongFileGoneFromTheSourceChangesTheListingOnly) {
  load_all_but_the_last_day();
  std::vector<std::string> songs = files_below(arriving_ + "/song_data");
  ASSERT_FALSE(songs.empty());
  ASSERT_TRUE(fs::remove(arriving_ + "/song_data/" + songs.front()));
  std::string listing = lake_ + "/_sparkify_state/song_listing.parquet";
  std::string listed_before = testing::read_text(listing);
  auto state_before = inodes_below(lake_ + "/_sparkify_state");
  last_day_arrives();
  testing::CliOutcome day = testing::run_sparkify(daily_run());
  ASSERT_EQ(day.status, 0) << day.output;
  EXPECT_NE(day.output.find("1 new files"), std::string::npos) << day.output;
  EXPECT_NE(testing::read_text(listing), listed_before) << "the listing kept is the new one";
  EXPECT_EQ(inodes_below(lake_ + "/_sparkify_state")["song_files.parquet"], state_before["song_files.parquet"]);
  testing::CliOutcome again = testing::run_sparkify(daily_run());
  ASSERT_EQ(again.status, 0) << again.output;
  EXPECT_NE(again.output.find("0 new files"), std::string::npos) << again.output;
}

// A state kept before play_months.parquet, or before the song listing,
// existed: the next run rebuilds.
class LakeEarlierStateTest : public LakeIncrementalPartitionsTest, public ::testing::WithParamInterface<const char*> {};

TEST_P(LakeEarlierStateTest, AStateOfAnEarlierVersionIsRebuilt) {
  load_all_but_the_last_day();
  std::string missing = lake_ + "/_sparkify_state/" + GetParam();
  ASSERT_TRUE(fs::remove(missing));
  last_day_arrives();
  testing::CliOutcome day = testing::run_sparkify(daily_run());
  ASSERT_EQ(day.status, 0) << day.output;
  EXPECT_NE(day.output.find("the kept state is an earlier version's"), std::string::npos) << day.output;
  EXPECT_TRUE(fs::exists(missing));
  expect_a_full_loads_tables();
}

INSTANTIATE_TEST_SUITE_P(Lake, LakeEarlierStateTest, ::testing::Values("play_months.parquet", "song_listing.parquet"),
                         [](const ::testing::TestParamInfo<const char*>& info) {
                           return info.param[0] == 'p' ? std::string("WithoutPlayMonths")
                                                       : std::string("WithoutSongListing");
                         });

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
