// The merge of an incremental load rebuilds rows by the full load's own
// rules: its statements carry the full transform's orderings word for word,
// a backfill's window bounds whole UTC days, and nothing Redshift refuses
// is sent. (Its results against full loads are tested in
// tests/pipeline/etl_incremental_test.cpp.)
#include "warehouse/incremental.h"

#include <gtest/gtest.h>

#include <regex>
#include <string>

#include "warehouse/transform_sql.h"

namespace sparkify::warehouse {
namespace {

// Whitespace runs as one space, to compare SQL laid out differently.
std::string squeezed(const std::string& sql) { return std::regex_replace(sql, std::regex(R"(\s+)"), " "); }

std::string all_merge_sql(const std::optional<model::DayWindow>& window = std::nullopt) {
  std::string all;
  for (const auto& statement : merge_sql(window)) all += squeezed(statement) + ";\n";
  return all;
}

TEST(IncrementalSql, TheMergeChoosesAndMatchesPlaysAsTheFullLoadDoes) {
  std::string merge = all_merge_sql();
  std::string full = squeezed(sql::kInsertSongplays);
  // The full load matches and ranks in one statement; the merge keeps the
  // rank-1 song of each triple (song matches) and joins on the triple.
  for (const char* fragment :
       {"ROW_NUMBER() OVER (PARTITION BY title, artist_name, duration ORDER BY song_id, artist_id NULLS LAST) AS "
        "match_rank",
        "ON m.title = e.song AND m.artist_name = e.artist AND m.duration = e.length",
        "WHERE song_id IS NOT NULL", "m.match_rank = 1"}) {
    EXPECT_NE(full.find(fragment), std::string::npos) << "full load: " << fragment;
    EXPECT_NE(merge.find(fragment), std::string::npos) << "merge: " << fragment << "\n" << merge;
  }
  for (const char* fragment :
       {"ORDER BY ts NULLS LAST, level NULLS LAST, song NULLS LAST, artist NULLS LAST, length NULLS LAST, location "
        "NULLS LAST, user_agent NULLS LAST) AS copy_rank",
        "TIMESTAMP 'epoch' + (e.ts / 1000) * INTERVAL '1 second'",
        "ORDER BY e.ts NULLS LAST, e.user_id, e.session_id NULLS LAST, e.item_in_session NULLS LAST"}) {
    EXPECT_NE(full.find(fragment), std::string::npos) << "full load: " << fragment;
    std::string in_merge = std::regex_replace(fragment, std::regex(R"(ORDER BY e\.)"), "ORDER BY c.");
    in_merge = std::regex_replace(in_merge, std::regex(R"(, e\.)"), ", c.");
    EXPECT_NE(merge.find(in_merge), std::string::npos) << "merge: " << in_merge << "\n" << merge;
  }
}

TEST(IncrementalSql, TheMergeTakesTheLatestUserDayAsTheFullLoadTakesTheLatestEvent) {
  std::string merge = all_merge_sql();
  std::string order =
      "ORDER BY ts DESC NULLS LAST, item_in_session DESC NULLS LAST, session_id DESC NULLS LAST, level NULLS LAST, "
      "first_name NULLS LAST, last_name NULLS LAST, gender NULLS LAST)";
  EXPECT_NE(squeezed(sql::kInsertUsers).find("PARTITION BY user_id " + order), std::string::npos);
  // The day's latest event, then the latest of a user's days.
  EXPECT_NE(merge.find("PARTITION BY user_id, day " + order + " AS recency"), std::string::npos) << merge;
  EXPECT_NE(merge.find("PARTITION BY user_id " + order + " AS recency FROM sparkify_user_days"), std::string::npos)
      << merge;
}

TEST(IncrementalSql, ABackfillReplacesWholeUtcDaysAndAMergeNone) {
  std::string merge = all_merge_sql();
  EXPECT_EQ(merge.find("DELETE FROM sparkify_user_days WHERE ("), std::string::npos);
  EXPECT_NE(merge.find("FROM sparkify_kept_plays WHERE FALSE"), std::string::npos) << merge;

  model::DayWindow window{model::parse_day("2018-11-05"), model::parse_day("2018-11-06")};
  std::string backfill = all_merge_sql(window);
  EXPECT_NE(backfill.find("DELETE FROM sparkify_user_days WHERE (ts IS NOT NULL AND ts >= 1541376000000 AND ts < "
                          "1541548800000)"),
            std::string::npos)
      << backfill;
  // A kept copy outside the window (or without ts) still competes.
  EXPECT_NE(backfill.find("FROM sparkify_old_plays WHERE (ts IS NULL OR NOT (ts IS NOT NULL AND ts >= 1541376000000 "
                          "AND ts < 1541548800000))"),
            std::string::npos)
      << backfill;
  std::string since = all_merge_sql(model::DayWindow{model::parse_day("2018-11-05"), std::nullopt});
  EXPECT_NE(since.find("WHERE (ts IS NOT NULL AND ts >= 1541376000000)"), std::string::npos) << since;
}

TEST(IncrementalSql, TheMergeSendsNothingRedshiftRefuses) {
  std::string merge = all_merge_sql(model::DayWindow{model::parse_day("2018-11-05"), model::parse_day("2018-11-05")});
  for (const char* refused : {"FROM STDIN", "ON CONFLICT", "DISTINCT ON", "RETURNING", "SERIAL", "IDENTITY",
                              "jsonb", "CREATE INDEX", "COLLATE", "TRUNCATE", "IS NOT DISTINCT FROM", "WITH ",
                              "(VALUES", "UPDATE "}) {
    EXPECT_EQ(merge.find(refused), std::string::npos) << refused;
  }
}

}  // namespace
}  // namespace sparkify::warehouse
