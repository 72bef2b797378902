// The contract's checks over star rows in memory: every one passes on the
// fixtures' rows, and each damage done by hand fails the check that guards
// against it, naming the keys at fault.
#include "quality/star_checks.h"

#include <gtest/gtest.h>

#include "support/data_sets.h"

namespace sparkify::quality {
namespace {

const CheckResult& result_named(const std::vector<CheckResult>& results, const std::string& name) {
  for (const auto& result : results) {
    if (result.name == name) return result;
  }
  throw std::runtime_error("no result named " + name);
}

TEST(StarChecks, EveryContractCheckPassesOnTheFixtures) {
  model::StarSchema star = testing::fixture_star();
  auto results = run_star_checks(contract_checks(), star, static_cast<int64_t>(star.songplays.size()) + 3);
  EXPECT_TRUE(all_passed(results)) << format_results(results);
  const CheckResult& match = result_named(results, "match rate");
  EXPECT_NE(match.note.find("plays matched a song"), std::string::npos) << match.note;
}

TEST(StarChecks, DamageFailsTheCheckThatGuardsAgainstItNamingTheKeys) {
  model::StarSchema star = testing::fixture_star();
  ASSERT_FALSE(star.users.empty());
  star.users.push_back(star.users.front());  // a duplicate user
  model::SongplayRow orphan = star.songplays.front();
  orphan.songplay_id = 9001;
  orphan.user_id = 424242;  // a user that does not exist
  orphan.song_id = "SONOTASONG";
  star.songplays.push_back(orphan);
  star.time.erase(star.time.begin());  // a play's start time gone from time

  auto results = run_star_checks(contract_checks(), star, 1);
  EXPECT_FALSE(all_passed(results));
  const CheckResult& duplicate = result_named(results, "users.user_id unique");
  EXPECT_FALSE(duplicate.passed);
  EXPECT_EQ(duplicate.failures, 1);
  EXPECT_EQ(duplicate.sample, std::vector<std::string>{std::to_string(star.users.front().user_id)});
  const CheckResult& user = result_named(results, "songplays.user_id in users");
  EXPECT_EQ(user.sample, std::vector<std::string>{"9001 -> 424242"});
  EXPECT_FALSE(result_named(results, "songplays.song_id in songs").passed);
  EXPECT_FALSE(result_named(results, "songplays.start_time in time").passed);
  EXPECT_FALSE(result_named(results, "songplays within NextSong events").passed);
  std::string table = format_results(results);
  EXPECT_NE(table.find("FAILED"), std::string::npos) << table;
  EXPECT_NE(table.find("9001 -> 424242"), std::string::npos) << table;
}

TEST(StarChecks, AnEmptyTableFailsAndSqlChecksAreSkippedOnALake) {
  model::StarSchema star = testing::fixture_star();
  star.artists.clear();
  Check sql;
  sql.name = "users counted";
  sql.kind = CheckKind::kSql;
  sql.sql = "SELECT COUNT(*) FROM users";
  sql.expected = "4";
  std::vector<Check> checks = contract_checks();
  checks.push_back(sql);
  auto results = run_star_checks(checks, star, std::nullopt);
  EXPECT_FALSE(result_named(results, "artists not empty").passed);
  EXPECT_TRUE(result_named(results, "users counted").skipped);
  EXPECT_TRUE(result_named(results, "songplays within NextSong events").skipped);
}

TEST(StarChecks, TimestampsReadAsTheWarehousePrintsThem) {
  model::StarSchema star;
  model::SongplayRow play;
  play.songplay_id = 1;
  play.user_id = 7;
  play.start_time_ms = 1541105830796;  // 2018-11-01 20:57:10.796 UTC
  star.songplays.push_back(play);
  Check references;
  references.name = "start_time in time";
  references.kind = CheckKind::kReferences;
  references.table = "songplays";
  references.column = "start_time";
  references.parent_table = "time";
  references.parent_column = "start_time";
  auto results = run_star_checks({references}, star, std::nullopt);
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].sample, std::vector<std::string>{"1 -> 2018-11-01 20:57:10.796"});
}

}  // namespace
}  // namespace sparkify::quality
