// Daily loads (--incremental): loading the days one at a time, in any
// order, gives exactly the tables a full load of all the days gives
// (songplay_id aside when the days come out of order); songs that arrive
// after their plays match them then; a run with nothing new changes nothing
// (in a lake, not a byte); a changed file is loaded again. Backfills
// (--since/--until): reloading a day changes nothing, ids included; a day
// whose file changed gets the rows a full load of the new files gives, its
// unchanged plays keeping their ids. The same tests on PostgreSQL and on a
// lake read back by DuckDB; some on Redshift through the emulator.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <random>
#include <regex>
#include <set>
#include <sstream>

#include "io/gzip.h"
#include "io/s3/s3_file_system.h"
#include "io/s3/s3_test_support.h"
#include "model/error.h"
#include "pipeline/backfill.h"
#include "pipeline/etl.h"
#include "support/daily_data.h"
#include "support/duckdb_reader.h"
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
using testing::read_star_from_lake;
using testing::read_star_from_postgres;
using testing::TempDir;
using testing::TestDatabase;
using testing::without_play_ids;

// A play's fields but its id, which tell an unchanged play from another.
using PlayFields = std::tuple<std::optional<int64_t>, int32_t, std::optional<int32_t>, std::optional<std::string>,
                              std::optional<std::string>, std::optional<std::string>, std::optional<std::string>,
                              std::optional<std::string>>;
std::map<PlayFields, int64_t> ids_of_plays(const model::StarSchema& star) {
  std::map<PlayFields, int64_t> ids;
  for (const auto& play : star.songplays) {
    ids[PlayFields{play.start_time_ms, play.user_id, play.session_id, play.level, play.song_id, play.artist_id,
                   play.location, play.user_agent}] = play.songplay_id;
  }
  return ids;
}

// The UTC days of the events of an event file (gzip or not), by their ts.
std::set<int64_t> event_days(const std::string& path) {
  io::Bytes bytes = io::maybe_gunzip(io::Bytes::copy_of(testing::read_text(path)), path);
  std::string text(bytes.view());
  std::set<int64_t> days;
  static const std::regex ts(R"("ts":(-?\d+))");
  for (auto match = std::sregex_iterator(text.begin(), text.end(), ts); match != std::sregex_iterator(); ++match) {
    days.insert(model::day_of_ts(std::stoll((*match)[1])));
  }
  return days;
}

// Where the days are loaded: a warehouse (its star tables built in process,
// or by its SQL) or a lake.
enum class Store { kPostgres, kPostgresSql, kLake };

const char* store_name(Store store) {
  switch (store) {
    case Store::kPostgres:
      return "Postgres";
    case Store::kPostgresSql:
      return "PostgresSql";
    case Store::kLake:
      return "Lake";
  }
  return "";
}

struct DailyCase {
  testing::DataSet data;
  Store store = Store::kPostgres;
};

std::vector<DailyCase> daily_cases(std::initializer_list<Store> stores) {
  std::vector<DailyCase> cases;
  for (Store store : stores) {
    for (const auto& data : testing::daily_data_sets()) cases.push_back({data, store});
  }
  return cases;
}

void PrintTo(const DailyCase& daily, std::ostream* out) {
  *out << daily.data.name << " into " << store_name(daily.store);
}

std::string daily_case_name(const ::testing::TestParamInfo<DailyCase>& info) {
  return info.param.data.name + store_name(info.param.store);
}

class EtlIncrementalTest : public ::testing::TestWithParam<DailyCase> {
 protected:
  void SetUp() override {
    if (lake()) {
      SPARKIFY_REQUIRE_DUCKDB();
      lake_ = work_ / "lake";
    } else {
      SPARKIFY_REQUIRE_POSTGRES();
      target_db_ = std::make_unique<TestDatabase>();
    }
    testing::make_daily_data(data());
    arriving_ = work_ / "arriving";
    fs::create_directories(arriving_ + "/song_data");
    fs::create_directories(arriving_ + "/log_data");
  }

  const testing::DataSet& data() const { return GetParam().data; }
  bool lake() const { return GetParam().store == Store::kLake; }

  // A run over what has arrived so far, into `target` (a database or a lake).
  virtual config::Settings settings(const std::string& target, bool incremental) {
    config::Settings settings;
    settings.song_data = arriving_ + "/song_data";
    settings.log_data = arriving_ + "/log_data";
    (lake() ? settings.lake : settings.target) = target;
    if (GetParam().store == Store::kPostgresSql) settings.transform = config::StarTransform::kSql;
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

  // A full load of everything that has arrived, into a database or a lake
  // of its own. A warehouse's builds its star tables the other way than
  // the daily loads do (in process, or by SQL): both ways give the same
  // tables, full or incremental.
  model::StarSchema full_load() {
    if (lake()) {
      TempDir full;
      run(settings(full / "lake", false));
      return read_star_from_lake(full / "lake");
    }
    TestDatabase db;
    config::Settings full = settings(db.uri(), false);
    full.transform =
        GetParam().store == Store::kPostgresSql ? config::StarTransform::kInProcess : config::StarTransform::kSql;
    run(full);
    return read_star_from_postgres(db.uri());
  }

  // Where the runs load into, and how its tables are read.
  virtual std::string target() { return lake() ? lake_ : target_db_->uri(); }
  model::StarSchema loaded() { return lake() ? read_star_from_lake(lake_) : read_star_from_postgres(target_db_->uri()); }

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

  // A backfill of `day` (YYYY-MM-DD) over what has arrived.
  config::Settings backfill(int64_t day) {
    config::Settings settings = this->settings(target(), true);
    settings.window = model::DayWindow{day, day};
    return settings;
  }

  // The match figures of a full load of every song and the event file
  // `file` alone.
  std::string match_of_one_day(const testing::DataSet& data, const std::string& file) {
    TempDir alone;
    for (const auto& song : files_below(data.song_data())) copy_into(data.song_data(), song, alone / "song_data");
    copy_into(data.log_data(), file, alone / "log_data");
    std::unique_ptr<TestDatabase> db = lake() ? nullptr : std::make_unique<TestDatabase>();
    config::Settings one = settings(db ? db->uri() : std::string(alone / "lake"), false);
    one.song_data = alone / "song_data";
    one.log_data = alone / "log_data";
    RunSummary summary = run(one);
    return summary.match ? quality::match_json(*summary.match) : "";
  }

  // Every day loaded one at a time; then the day a backfill will reload
  // (quiet_day()).
  std::pair<std::string, int64_t> load_days_and_pick_one(const testing::DataSet& data) {
    load_day_by_day(data, files_below(data.log_data()));
    return quiet_day(data);
  }

  // An event file (not gzip) whose name's day no other file has events of,
  // from the middle of the list: a backfill of that day reads all of it.
  std::pair<std::string, int64_t> quiet_day(const testing::DataSet& data) {
    std::vector<std::string> days = files_below(data.log_data());
    std::map<int64_t, int> files_with_day;
    for (const auto& day : days) {
      for (int64_t held : event_days(data.log_data() + "/" + day)) ++files_with_day[held];
    }
    std::vector<std::pair<std::string, int64_t>> quiet;
    for (const auto& day : days) {
      auto named = days_named_by(day);
      if (!named || named->first != named->last || day.size() < 3 || day.substr(day.size() - 3) == ".gz") continue;
      if (files_with_day[named->first] == 1 && event_days(data.log_data() + "/" + day).count(named->first) != 0) {
        quiet.emplace_back(day, named->first);
      }
    }
    if (quiet.empty()) ADD_FAILURE() << "no day of " << data.name << " is held by one file alone";
    return quiet.empty() ? std::pair<std::string, int64_t>{} : quiet[quiet.size() / 2];
  }

  TempDir work_;
  std::string arriving_;
  std::unique_ptr<TestDatabase> target_db_;  // a warehouse's
  std::string lake_;                         // a lake's
};

TEST_P(EtlIncrementalTest, DayByDayInOrderGivesTheFullLoadsTables) {
  const testing::DataSet& data = this->data();
  load_day_by_day(data, files_below(data.log_data()));
  EXPECT_EQ(first_difference(full_load(), loaded()), "");
}

TEST_P(EtlIncrementalTest, DayByDayInAnyOrderGivesTheSameRows) {
  const testing::DataSet& data = this->data();
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
  const testing::DataSet& data = this->data();
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
  const testing::DataSet& data = this->data();
  std::vector<std::string> days = files_below(data.log_data());
  load_day_by_day(data, days);
  model::StarSchema before = loaded();
  auto files_before = lake() ? testing::lake_files(lake_) : decltype(testing::lake_files(lake_)){};
  RunSummary again = run(settings(target(), true));
  EXPECT_NE(std::find(again.notes.begin(), again.notes.end(), "0 new files"), again.notes.end());
  EXPECT_EQ(first_difference(before, loaded()), "");
  if (lake()) {
    EXPECT_EQ(testing::lake_files(lake_), files_before);  // every byte as it was
  }

  // A day's file rewritten with one event fewer: everything is loaded again.
  std::string first_day = arriving_ + "/log_data/" + days.front();
  if (first_day.size() > 3 && first_day.substr(first_day.size() - 3) == ".gz") return;
  std::string text = testing::read_text(first_day);
  testing::write_text(first_day, text.substr(text.find('\n') + 1));
  RunSummary changed = run(settings(target(), true));
  EXPECT_NE(changed.notes.front().find("changed since"), std::string::npos) << changed.notes.front();
  EXPECT_EQ(first_difference(full_load(), loaded()), "");
}

// create-tables (a warehouse), or a full refresh, forgets what was loaded.
TEST_P(EtlIncrementalTest, ForgettingWhatWasLoadedMakesTheNextRunARebuild) {
  const testing::DataSet& data = this->data();
  load_day_by_day(data, files_below(data.log_data()));
  if (lake()) {
    run(settings(target(), false));
    EXPECT_FALSE(fs::exists(lake_ + "/_sparkify_state/files.parquet"));
  } else {
    testing::CliOutcome created = testing::run_sparkify("create-tables --target '" + target_db_->uri() + "'");
    ASSERT_EQ(created.status, 0) << created.output;
  }
  RunSummary again = run(settings(target(), true));
  EXPECT_NE(again.notes.front().find("nothing loaded before"), std::string::npos) << again.notes.front();
  EXPECT_EQ(first_difference(full_load(), loaded()), "");
}

TEST_P(EtlIncrementalTest, ReloadingADayAfterAFullLoadChangesNothing) {
  const testing::DataSet& data = this->data();
  for (const auto& song : files_below(data.song_data())) copy_into(data.song_data(), song, arriving_ + "/song_data");
  for (const auto& day : files_below(data.log_data())) copy_into(data.log_data(), day, arriving_ + "/log_data");
  run(settings(target(), false));
  model::StarSchema before = loaded();
  auto [file, day] = quiet_day(data);
  // A full load keeps no ledger: the first backfill rebuilds, the second
  // merges the window.
  RunSummary first = run(backfill(day));
  EXPECT_NE(first.notes.front().find("nothing loaded before"), std::string::npos) << first.notes.front();
  EXPECT_EQ(first_difference(before, loaded()), "");
  RunSummary second = run(backfill(day));
  EXPECT_EQ(second.notes.front().rfind("backfill of " + model::day_text(day), 0), 0u) << second.notes.front();
  EXPECT_EQ(second.event_files, 1u);
  EXPECT_EQ(first_difference(before, loaded()), "");
}

TEST_P(EtlIncrementalTest, ReloadingADayAfterDailyLoadsChangesNothing) {
  auto [file, day] = load_days_and_pick_one(data());
  model::StarSchema before = loaded();
  config::Settings again = backfill(day);
  again.check = true;
  RunSummary summary = run(again);
  EXPECT_EQ(summary.notes.front().rfind("backfill of", 0), 0u) << summary.notes.front();
  EXPECT_EQ(first_difference(before, loaded()), "");
  // Its match figures explain the day's plays against every song kept.
  ASSERT_TRUE(summary.match);
  EXPECT_EQ(quality::match_json(*summary.match), match_of_one_day(data(), file));
  // Reloading never duplicates: twice is once.
  run(again);
  EXPECT_EQ(first_difference(before, loaded()), "");
}

TEST_P(EtlIncrementalTest, ABackfillOfAChangedDayGivesTheNewFilesRowsAndKeepsTheIds) {
  auto [file, day] = load_days_and_pick_one(data());
  model::StarSchema before = loaded();
  // The day loses its first play and gains one: a copy of its last play
  // under a new item number, a millisecond later.
  std::string path = arriving_ + "/log_data/" + file;
  std::vector<std::string> lines;
  std::istringstream text(testing::read_text(path));
  for (std::string line; std::getline(text, line);) lines.push_back(line);
  auto is_play = [](const std::string& line) {
    return line.find("\"page\":\"NextSong\"") != std::string::npos && line.find("\"userId\":\"\"") == std::string::npos;
  };
  auto first_play = std::find_if(lines.begin(), lines.end(), is_play);
  auto last_play = std::find_if(lines.rbegin(), lines.rend(), is_play);
  ASSERT_NE(first_play, lines.end());
  std::string added = std::regex_replace(*last_play, std::regex(R"("itemInSession":\d+)"), R"("itemInSession":987654)");
  std::smatch ts;
  ASSERT_TRUE(std::regex_search(added, ts, std::regex(R"("ts":(\d+))")));
  added = std::regex_replace(added, std::regex(R"("ts":\d+)"), "\"ts\":" + std::to_string(std::stoll(ts[1]) + 1));
  lines.erase(first_play);
  lines.push_back(added);
  std::string changed;
  for (const auto& line : lines) changed += line + "\n";
  testing::write_text(path, changed);

  RunSummary summary = run(backfill(day));
  EXPECT_EQ(summary.notes.front().rfind("backfill of", 0), 0u) << summary.notes.front();
  model::StarSchema after = loaded();
  EXPECT_EQ(first_difference(without_play_ids(full_load()), without_play_ids(after)), "");
  std::map<PlayFields, int64_t> old_ids = ids_of_plays(before);
  int64_t largest = 0;
  for (const auto& [fields, id] : old_ids) largest = std::max(largest, id);
  size_t kept = 0;
  size_t added_plays = 0;
  for (const auto& [fields, id] : ids_of_plays(after)) {
    auto found = old_ids.find(fields);
    if (found != old_ids.end()) {
      EXPECT_EQ(id, found->second);
      ++kept;
    } else {
      EXPECT_GT(id, largest);
      ++added_plays;
    }
  }
  EXPECT_EQ(added_plays, 1u);
  EXPECT_EQ(kept + 1, before.songplays.size());
}

TEST_P(EtlIncrementalTest, EventsOutsideTheWindowAreLeftOutUntilTheFileIsLoadedWhole) {
  auto [file, day] = load_days_and_pick_one(data());
  model::StarSchema before = loaded();
  // The day's file gains a play of the next day.
  std::string path = arriving_ + "/log_data/" + file;
  std::string text = testing::read_text(path);
  std::smatch ts;
  ASSERT_TRUE(std::regex_search(text, ts, std::regex(R"("ts":(\d+))")));
  std::string line = text.substr(0, text.find('\n'));
  line = std::regex_replace(line, std::regex(R"("ts":\d+)"),
                            "\"ts\":" + std::to_string((day + 1) * model::kMillisPerDay + 1000));
  line = std::regex_replace(line, std::regex(R"("page":"[^"]*")"), R"("page":"NextSong")");
  line = std::regex_replace(line, std::regex(R"("itemInSession":\d+)"), R"("itemInSession":987655)");
  line = std::regex_replace(line, std::regex(R"("userId":"[^"]*")"), R"("userId":"4242")");
  testing::write_text(path, text + (text.back() == '\n' ? "" : "\n") + line + "\n");

  RunSummary partly = run(backfill(day));
  EXPECT_EQ(partly.events_outside_window, 1u);
  EXPECT_EQ(first_difference(before, loaded()), "");  // the play of the next day is not loaded
  // The ledger knows the file was loaded in part: the next run loads it all.
  RunSummary whole = run(settings(target(), true));
  EXPECT_NE(whole.notes.front().find("loaded in part"), std::string::npos) << whole.notes.front();
  EXPECT_EQ(first_difference(full_load(), loaded()), "");
}

TEST_P(EtlIncrementalTest, ABackfillOfADayWhoseFileIsGoneEmptiesTheDay) {
  auto [file, day] = load_days_and_pick_one(data());
  fs::remove(arriving_ + "/log_data/" + file);
  run(backfill(day));
  EXPECT_EQ(first_difference(without_play_ids(full_load()), without_play_ids(loaded())), "");
  for (const auto& play : loaded().songplays) {
    ASSERT_TRUE(play.start_time_ms);
    EXPECT_NE(model::day_of_ts(*play.start_time_ms), day);
  }
}

INSTANTIATE_TEST_SUITE_P(, EtlIncrementalTest,
                         ::testing::ValuesIn(daily_cases({Store::kPostgres, Store::kPostgresSql, Store::kLake})),
                         daily_case_name);

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
        std::vector<std::string>{"--pg", target_db_->uri(), "--s3", endpoint_, "--lifetime-s", "900"});
  }

  config::Settings settings(const std::string& target, bool incremental) override {
    config::Settings settings = EtlIncrementalTest::settings(target, incremental);
    if (target != this->target()) return settings;  // the PostgreSQL full load compared against
    settings.target = config::redshift_uri_to_libpq("redshift://postgres@127.0.0.1:" + std::to_string(emulator_->port()) +
                                                   "/" + target_db_->name() + "?sslmode=disable");
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
  const testing::DataSet& data = this->data();
  load_day_by_day(data, files_below(data.log_data()));
  EXPECT_EQ(first_difference(full_load(), loaded()), "");
  RunSummary again = run(settings(target(), true));
  EXPECT_NE(std::find(again.notes.begin(), again.notes.end(), "0 new files"), again.notes.end());
}

TEST_P(EtlIncrementalRedshiftTest, SongsArrivingAfterTheirPlaysMatchThem) {
  const testing::DataSet& data = this->data();
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

TEST_P(EtlIncrementalRedshiftTest, ABackfillReloadsADayWithoutChangingIt) {
  auto [file, day] = load_days_and_pick_one(data());
  model::StarSchema before = loaded();
  RunSummary summary = run(backfill(day));
  EXPECT_EQ(summary.notes.front().rfind("backfill of", 0), 0u) << summary.notes.front();
  EXPECT_EQ(first_difference(before, loaded()), "");

  // Its play removed, the day's rows are those of a full load of the new
  // files; the other plays keep their ids.
  std::string path = arriving_ + "/log_data/" + file;
  std::string text = testing::read_text(path);
  size_t play = text.find("\"page\":\"NextSong\"");
  ASSERT_NE(play, std::string::npos);
  size_t start = text.rfind('\n', play);
  start = start == std::string::npos ? 0 : start + 1;
  testing::write_text(path, text.erase(start, text.find('\n', play) + 1 - start));
  run(backfill(day));
  model::StarSchema after = loaded();
  EXPECT_EQ(first_difference(without_play_ids(full_load()), without_play_ids(after)), "");
  std::map<PlayFields, int64_t> old_ids = ids_of_plays(before);
  for (const auto& [fields, id] : ids_of_plays(after)) EXPECT_EQ(old_ids.at(fields), id);
}

INSTANTIATE_TEST_SUITE_P(, EtlIncrementalRedshiftTest, ::testing::ValuesIn(daily_cases({Store::kPostgres})),
                         daily_case_name);

}  // namespace
}  // namespace sparkify::pipeline
