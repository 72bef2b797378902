// The check command and etl --check, through the CLI: every check passes on
// the tables the tool built; damage done by hand fails the check that
// guards against it, naming the keys; and a run whose new tables fail a
// check commits nothing anywhere.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>

#include "support/data_sets.h"
#include "support/star_compare.h"
#include "support/test_database.h"
#include "test_support.h"

namespace sparkify::pipeline {
namespace {

namespace fs = std::filesystem;
using testing::query_scalar;
using testing::read_star_from_postgres;
using testing::TempDir;
using testing::TestDatabase;

class CheckTablesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    SPARKIFY_REQUIRE_POSTGRES();
    db_ = std::make_unique<TestDatabase>();
  }

  std::string etl(const testing::DataSet& data, const std::string& extra = "") const {
    return "etl --song-data " + data.song_data() + " --log-data " + data.log_data() + " --target '" + db_->uri() +
           "' --lake " + (work_ / "lake") + " --rejects " + (work_ / "rejects.ndjson") + extra;
  }

  TempDir work_;
  std::unique_ptr<TestDatabase> db_;
};

TEST_F(CheckTablesTest, EveryCheckPassesOnTheTablesTheToolBuilt) {
  testing::CliOutcome load =
      testing::run_sparkify(etl(testing::fixture_data_set(), " --check --report " + (work_ / "report.json")));
  ASSERT_EQ(load.status, 0) << load.output;
  EXPECT_NE(load.output.find("songplays.user_id in users"), std::string::npos) << load.output;
  // The report has each target's results: the warehouse's and the lake's.
  std::string report = testing::read_text(work_ / "report.json");
  size_t first = report.find("\"checks\":[{\"check\":\"songplays not empty\"");
  ASSERT_NE(first, std::string::npos) << report;
  EXPECT_NE(report.find("\"checks\":[{\"check\":\"songplays not empty\"", first + 1), std::string::npos) << report;
  testing::CliOutcome check = testing::run_sparkify("check --target '" + db_->uri() + "'");
  EXPECT_EQ(check.status, 0) << check.output;
  EXPECT_NE(check.output.find("checks passed"), std::string::npos) << check.output;
  EXPECT_NE(check.output.find("plays matched a song"), std::string::npos) << check.output;
  testing::CliOutcome lake = testing::run_sparkify("check --lake " + (work_ / "lake"));
  EXPECT_EQ(lake.status, 0) << lake.output;
  EXPECT_NE(lake.output.find("checks passed"), std::string::npos) << lake.output;
}

TEST_F(CheckTablesTest, DamageByHandFailsTheCheckNamingTheKeys) {
  ASSERT_EQ(testing::run_sparkify(etl(testing::fixture_data_set())).status, 0);
  std::string user = query_scalar(db_->uri(), "SELECT MIN(user_id) FROM users");
  query_scalar(db_->uri(), "ALTER TABLE users DROP CONSTRAINT users_pkey");
  query_scalar(db_->uri(), "INSERT INTO users SELECT * FROM users WHERE user_id = " + user);
  query_scalar(db_->uri(),
               "INSERT INTO songplays (songplay_id, start_time, user_id) "
               "SELECT MAX(songplay_id) + 1, NULL, 424242 FROM songplays");
  query_scalar(db_->uri(), "ALTER TABLE artists DROP CONSTRAINT artists_pkey");
  query_scalar(db_->uri(), "ALTER TABLE artists ALTER COLUMN artist_id DROP NOT NULL");
  query_scalar(db_->uri(), "INSERT INTO artists (artist_id, name) VALUES (NULL, 'nobody')");

  testing::CliOutcome check = testing::run_sparkify("check --target '" + db_->uri() + "'");
  EXPECT_EQ(check.status, 1) << check.output;
  for (const std::string& expected :
       {std::string("users.user_id unique"), user, std::string("songplays.user_id in users"),
        std::string("-> 424242"), std::string("artists.artist_id not NULL"), std::string("checks FAILED")}) {
    EXPECT_NE(check.output.find(expected), std::string::npos) << expected << "\n" << check.output;
  }
}

TEST_F(CheckTablesTest, ALakeDamagedByHandFailsTheCheckNamingTheKeys) {
  ASSERT_EQ(testing::run_sparkify(etl(testing::fixture_data_set())).status, 0);
  // A second copy of the users file: every user twice.
  std::string users;
  for (const auto& entry : fs::directory_iterator(work_ / "lake/users")) {
    if (entry.path().extension() == ".parquet") users = entry.path().string();
  }
  ASSERT_FALSE(users.empty());
  fs::copy_file(users, work_ / "lake/users/part-99999.parquet");
  std::string checks = work_ / "checks.json";
  std::ofstream(checks) << R"([{"kind": "min_rows", "table": "songs", "min_rows": 7},
                              {"name": "sql skipped", "sql": "SELECT 1", "expected": 1}])";
  testing::CliOutcome check = testing::run_sparkify("check --lake " + (work_ / "lake") + " --checks " + checks);
  EXPECT_EQ(check.status, 1) << check.output;
  for (const char* expected : {"users.user_id unique", "FAILED", "min_rows songs.", "fewer than 7 rows", "skipped"}) {
    EXPECT_NE(check.output.find(expected), std::string::npos) << expected << "\n" << check.output;
  }
  // A lake that is not one is an error, not a pass.
  EXPECT_EQ(testing::run_sparkify("check --lake " + (work_ / "no-lake")).status, 1);
}

TEST_F(CheckTablesTest, AFailingUserCheckCommitsNothingAnywhere) {
  ASSERT_EQ(testing::run_sparkify(etl(testing::fixture_data_set())).status, 0);
  model::StarSchema warehouse_before = read_star_from_postgres(db_->uri());
  auto lake_before = testing::lake_files(work_ / "lake");

  std::string data = work_ / "generated";
  ASSERT_EQ(testing::run_sparkify("generate --songs 50 --events 500 --seed 9 --out " + data).status, 0);
  std::string checks = work_ / "checks.json";
  std::ofstream(checks) << R"([{"name": "exactly one song", "sql": "SELECT COUNT(*) FROM songs", "expected": 1}])";
  testing::DataSet generated;
  generated.dir = data;
  testing::CliOutcome run = testing::run_sparkify(etl(generated, " --checks " + checks));
  EXPECT_EQ(run.status, 1) << run.output;
  EXPECT_NE(run.output.find("exactly one song"), std::string::npos) << run.output;
  EXPECT_NE(run.output.find("nothing was committed"), std::string::npos) << run.output;
  EXPECT_EQ(testing::first_difference(warehouse_before, read_star_from_postgres(db_->uri())), "");
  EXPECT_EQ(testing::lake_files(work_ / "lake"), lake_before);

  // A lake alone: a built-in check it fails keeps the old lake too.
  std::ofstream(checks) << R"([{"kind": "min_rows", "table": "songplays", "min_rows": 1000000}])";
  std::string lake_only = "etl --song-data " + data + "/song_data --log-data " + data + "/log_data --lake " +
                          (work_ / "lake") + " --rejects " + (work_ / "rejects.ndjson") + " --checks " + checks;
  run = testing::run_sparkify(lake_only);
  EXPECT_EQ(run.status, 1) << run.output;
  EXPECT_NE(run.output.find("fewer than 1000000 rows"), std::string::npos) << run.output;
  EXPECT_EQ(testing::lake_files(work_ / "lake"), lake_before);
}

// The part of a run report after "match": the diagnostics.
std::string match_of(const std::string& report) {
  size_t at = report.find("\"match\":");
  return at == std::string::npos ? "" : report.substr(at, report.find(",\"total_seconds") - at);
}

TEST_F(CheckTablesTest, TheWarehouseAndTheLakeExplainTheMatchesAlike) {
  for (const testing::DataSet& data : testing::data_sets()) {
    std::string sources = "etl --song-data " + data.song_data() + " --log-data " + data.log_data() + " --rejects " +
                          (work_ / "rejects.ndjson") + " --report ";
    TempDir lake;
    ASSERT_EQ(testing::run_sparkify(sources + (work_ / "w.json") + " --target '" + db_->uri() + "'").status, 0);
    ASSERT_EQ(testing::run_sparkify(sources + (work_ / "l.json") + " --lake " + (lake / "lake")).status, 0);
    std::string warehouse = match_of(testing::read_text(work_ / "w.json"));
    EXPECT_NE(warehouse, "") << data.name;
    EXPECT_EQ(warehouse, match_of(testing::read_text(work_ / "l.json"))) << data.name;
    if (data.name == "Fixtures") {
      // A length off by 0.0001 s and a title in another case: near misses.
      EXPECT_NE(warehouse.find("\"matched\":9,\"unmatched\":4"), std::string::npos) << warehouse;
      EXPECT_NE(warehouse.find("the song lasts 282.8273 s"), std::string::npos) << warehouse;
      EXPECT_NE(warehouse.find("differs only in case or spaces"), std::string::npos) << warehouse;
    }
  }
}

TEST(CheckTables, ABadChecksFileIsAUsageErrorBeforeAnyWork) {
  TempDir work;
  std::string checks = work / "checks.json";
  std::ofstream(checks) << R"([{"kind": "unique", "table": "users", "column": "email"}])";
  testing::CliOutcome run = testing::run_sparkify("check --target postgresql://nobody@127.0.0.1:1/x --checks " + checks);
  EXPECT_EQ(run.status, 2) << run.output;
  EXPECT_NE(run.output.find("email"), std::string::npos) << run.output;
}

}  // namespace
}  // namespace sparkify::pipeline
