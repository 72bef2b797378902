// Daily loads into a warehouse (--incremental): loading the days one at a
// time, in any order, gives exactly the tables a full load of all the days
// gives (songplay_id aside when the days come out of order); songs that
// arrive after their plays match them then; a run with nothing new changes
// nothing; a changed file is loaded again. On PostgreSQL, and on Redshift
// through the emulator.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <random>
#include <set>
#include <sstream>

#include "io/s3/s3_file_system.h"
#include "io/s3/s3_test_support.h"
#include "model/error.h"
#include "pipeline/etl.h"
#include "support/daily_data.h"
#include "support/node_tool.h"
#include "support/star_compare.h"
#include "support/test_database.h"
#include "test_support.h"

namespace sparkify::pipeline {
namespace {

namespace fs = std::filesystem;
using testing::copy_into;
using testing::files_below;
using testing::first_difference;
using testing::read_star_from_postgres;
using testing::TempDir;
using testing::TestDatabase;
using testing::without_play_ids;

class EtlIncrementalTest : public ::testing::TestWithParam<testing::DataSet> {
 protected:
  void SetUp() override {
    SPARKIFY_REQUIRE_POSTGRES();
    testing::make_daily_data(GetParam());
    arriving_ = work_ / "arriving";
    fs::create_directories(arriving_ + "/song_data");
    fs::create_directories(arriving_ + "/log_data");
  }

  // A run over what has arrived so far.
  virtual config::Settings settings(const std::string& target, bool incremental) {
    config::Settings settings;
    settings.song_data = arriving_ + "/song_data";
    settings.log_data = arriving_ + "/log_data";
    settings.target = target;
    settings.incremental = incremental;
    settings.allow_empty_input = true;  // the first days may come before any song
    settings.rejects_path = work_ / "rejects.ndjson";
    return settings;
  }

  RunSummary run(const config::Settings& settings) {
    FileSystems file_systems(settings);
    auto sinks = make_sinks(settings, file_systems);
    std::ostringstream log;
    return run_etl(settings, file_systems, sinks, log);
  }

  // A full load of everything that has arrived, in a database of its own.
  model::StarSchema full_load() {
    TestDatabase db;
    run(settings(db.uri(), false));
    return read_star_from_postgres(db.uri());
  }

  // Where the runs load into, and how its tables are read.
  virtual std::string target() { return target_db_.uri(); }
  virtual model::StarSchema loaded() { return read_star_from_postgres(target_db_.uri()); }

  // The event files one run at a time in `order`; every song file first.
  void load_day_by_day(const testing::DataSet& data, const std::vector<std::string>& order) {
    for (const auto& song : files_below(data.song_data())) copy_into(data.song_data(), song, arriving_ + "/song_data");
    for (const auto& day : order) {
      copy_into(data.log_data(), day, arriving_ + "/log_data");
      // The contract's checks on each day's merged tables, before its commit.
      config::Settings daily = settings(target(), true);
      daily.check = true;
      run(daily);
    }
  }

  TempDir work_;
  std::string arriving_;
  TestDatabase target_db_;
};

TEST_P(EtlIncrementalTest, DayByDayInOrderGivesTheFullLoadsTables) {
  const testing::DataSet& data = GetParam();
  load_day_by_day(data, files_below(data.log_data()));
  EXPECT_EQ(first_difference(full_load(), loaded()), "");
}

TEST_P(EtlIncrementalTest, DayByDayInAnyOrderGivesTheSameRows) {
  const testing::DataSet& data = GetParam();
  std::vector<std::string> days = files_below(data.log_data());
  std::reverse(days.begin(), days.end());
  std::shuffle(days.begin() + static_cast<std::ptrdiff_t>(days.size() / 2), days.end(), std::mt19937(7));
  load_day_by_day(data, days);
  EXPECT_EQ(first_difference(without_play_ids(full_load()), without_play_ids(loaded())), "");
  // Ids stay unique and keys hold: the checks pass.
  model::StarSchema star = loaded();
  std::set<int64_t> ids;
  for (const auto& play : star.songplays) ids.insert(play.songplay_id);
  EXPECT_EQ(ids.size(), star.songplays.size());
}

TEST_P(EtlIncrementalTest, SongsArrivingAfterTheirPlaysMatchThem) {
  const testing::DataSet& data = GetParam();
  std::vector<std::string> songs = files_below(data.song_data());
  for (const auto& day : files_below(data.log_data())) copy_into(data.log_data(), day, arriving_ + "/log_data");
  for (size_t idx = 0; idx < songs.size() / 2; ++idx) copy_into(data.song_data(), songs[idx], arriving_ + "/song_data");
  run(settings(target(), true));
  for (size_t idx = songs.size() / 2; idx < songs.size(); ++idx) {
    copy_into(data.song_data(), songs[idx], arriving_ + "/song_data");
  }
  run(settings(target(), true));
  EXPECT_EQ(first_difference(full_load(), loaded()), "");
}

TEST_P(EtlIncrementalTest, NothingNewChangesNothingAndAChangedFileIsLoadedAgain) {
  const testing::DataSet& data = GetParam();
  std::vector<std::string> days = files_below(data.log_data());
  load_day_by_day(data, days);
  model::StarSchema before = loaded();
  RunSummary again = run(settings(target(), true));
  EXPECT_NE(std::find(again.notes.begin(), again.notes.end(), "0 new files"), again.notes.end());
  EXPECT_EQ(first_difference(before, loaded()), "");

  // A day's file rewritten with one event fewer: everything is loaded again.
  std::string first_day = arriving_ + "/log_data/" + days.front();
  if (first_day.size() > 3 && first_day.substr(first_day.size() - 3) == ".gz") return;
  std::string text = testing::read_text(first_day);
  testing::write_text(first_day, text.substr(text.find('\n') + 1));
  RunSummary changed = run(settings(target(), true));
  EXPECT_NE(changed.notes.front().find("changed since"), std::string::npos) << changed.notes.front();
  EXPECT_EQ(first_difference(full_load(), loaded()), "");
}

TEST_P(EtlIncrementalTest, CreateTablesForgetsWhatWasLoaded) {
  const testing::DataSet& data = GetParam();
  load_day_by_day(data, files_below(data.log_data()));
  testing::CliOutcome created = testing::run_sparkify("create-tables --target '" + target_db_.uri() + "'");
  ASSERT_EQ(created.status, 0) << created.output;
  RunSummary again = run(settings(target(), true));
  EXPECT_NE(again.notes.front().find("nothing loaded before"), std::string::npos) << again.notes.front();
  EXPECT_EQ(first_difference(full_load(), loaded()), "");
}

INSTANTIATE_TEST_SUITE_P(, EtlIncrementalTest, ::testing::ValuesIn(testing::daily_data_sets()),
                         testing::data_set_test_name);

// The same on Redshift, through the emulator, with compacted staging.
class EtlIncrementalRedshiftTest : public EtlIncrementalTest {
 protected:
  void SetUp() override {
    std::string why;
    auto endpoint = testing::s3_test_endpoint(why);
    if (!endpoint) GTEST_SKIP() << why;
    EtlIncrementalTest::SetUp();
    if (IsSkipped()) return;
    endpoint_ = *endpoint;
    bucket_ = std::make_unique<testing::TestBucket>(endpoint_, "sparkify-daily-" + std::to_string(::getpid()),
                                                    "incremental-test");
    emulator_ = std::make_unique<testing::NodeTool>(
        "redshift_emulator.mjs",
        std::vector<std::string>{"--pg", target_db_.uri(), "--s3", endpoint_, "--lifetime-s", "900"});
  }

  config::Settings settings(const std::string& target, bool incremental) override {
    config::Settings settings = EtlIncrementalTest::settings(target, incremental);
    if (target != this->target()) return settings;  // the PostgreSQL full load compared against
    settings.target = config::redshift_uri_to_libpq("redshift://postgres@127.0.0.1:" + std::to_string(emulator_->port()) +
                                                   "/" + target_db_.name() + "?sslmode=disable");
    settings.warehouse_kind = model::WarehouseKind::kRedshift;
    settings.redshift.iam_role = "arn:aws:iam::1:role/daily";
    settings.redshift.staging = bucket_->uri("staging");
    settings.aws_key = "S3RVER";
    settings.aws_secret = "incremental-test";
    settings.s3_endpoint = endpoint_;
    return settings;
  }
  std::string target() override { return "the cluster"; }

  void TearDown() override {
    emulator_.reset();
    bucket_.reset();
  }

  std::string endpoint_;
  std::unique_ptr<testing::TestBucket> bucket_;
  std::unique_ptr<testing::NodeTool> emulator_;
};

TEST_P(EtlIncrementalRedshiftTest, DayByDayInOrderGivesTheFullLoadsTables) {
  const testing::DataSet& data = GetParam();
  load_day_by_day(data, files_below(data.log_data()));
  EXPECT_EQ(first_difference(full_load(), loaded()), "");
  RunSummary again = run(settings(target(), true));
  EXPECT_NE(std::find(again.notes.begin(), again.notes.end(), "0 new files"), again.notes.end());
}

TEST_P(EtlIncrementalRedshiftTest, SongsArrivingAfterTheirPlaysMatchThem) {
  const testing::DataSet& data = GetParam();
  std::vector<std::string> songs = files_below(data.song_data());
  std::vector<std::string> days = files_below(data.log_data());
  std::reverse(days.begin(), days.end());
  for (const auto& day : days) {
    copy_into(data.log_data(), day, arriving_ + "/log_data");
    run(settings(target(), true));
  }
  for (const auto& song : songs) copy_into(data.song_data(), song, arriving_ + "/song_data");
  run(settings(target(), true));
  EXPECT_EQ(first_difference(without_play_ids(full_load()), without_play_ids(loaded())), "");
}

INSTANTIATE_TEST_SUITE_P(, EtlIncrementalRedshiftTest, ::testing::ValuesIn(testing::daily_data_sets()),
                         testing::data_set_test_name);

}  // namespace
}  // namespace sparkify::pipeline
