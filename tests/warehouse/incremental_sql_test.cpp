// The merge of an incremental load rebuilds rows by the full load's own
// rules: its statements carry the full transform's orderings word for word,
// and nothing Redshift refuses. (Its results against full loads are tested
// in tests/pipeline/etl_incremental_test.cpp.)
#include "warehouse/incremental.h"

#include <gtest/gtest.h>

#include <regex>
#include <string>

#include "warehouse/transform_sql.h"

namespace sparkify::warehouse {
namespace {

// Whitespace runs as one space, to compare SQL laid out differently.
std::string squeezed(const std::string& sql) { return std::regex_replace(sql, std::regex(R"(\s+)"), " "); }

std::string all_merge_sql() {
  std::string all;
  for (const auto& statement : merge_sql()) all += squeezed(statement) + ";\n";
  return all;
}

TEST(IncrementalSql, TheMergeChoosesAndMatchesPlaysAsTheFullLoadDoes) {
  std::string merge = all_merge_sql();
  std::string full = squeezed(sql::kInsertSongplays);
  for (const char* fragment :
       {"ORDER BY ts NULLS LAST, level NULLS LAST, song NULLS LAST, artist NULLS LAST, length NULLS LAST, location "
        "NULLS LAST, user_agent NULLS LAST) AS copy_rank",
        "ROW_NUMBER() OVER (PARTITION BY title, artist_name, duration ORDER BY song_id, artist_id NULLS LAST) AS "
        "match_rank",
        "ON m.title = e.song AND m.artist_name = e.artist AND m.duration = e.length AND m.match_rank = 1",
        "TIMESTAMP 'epoch' + (e.ts / 1000) * INTERVAL '1 second'"}) {
    EXPECT_NE(full.find(fragment), std::string::npos) << "full load: " << fragment;
  }
  for (const char* fragment :
       {"ORDER BY ts NULLS LAST, level NULLS LAST, song NULLS LAST, artist NULLS LAST, length NULLS LAST, location "
        "NULLS LAST, user_agent NULLS LAST) AS copy_rank",
        "ROW_NUMBER() OVER (PARTITION BY title, artist_name, duration ORDER BY song_id, artist_id NULLS LAST) AS "
        "match_rank",
        "ON m.title = e.song AND m.artist_name = e.artist AND m.duration = e.length AND m.match_rank = 1",
        "TIMESTAMP 'epoch' + (c.ts / 1000) * INTERVAL '1 second'"}) {
    EXPECT_NE(merge.find(fragment), std::string::npos) << "merge: " << fragment << "\n" << merge;
  }
}

TEST(IncrementalSql, TheMergeSendsNothingRedshiftRefuses) {
  std::string merge = all_merge_sql();
  for (const char* refused : {"FROM STDIN", "ON CONFLICT", "DISTINCT ON", "RETURNING", "SERIAL", "IDENTITY",
                              "jsonb", "CREATE INDEX", "COLLATE", "TRUNCATE", "IS NOT DISTINCT FROM", "WITH "}) {
    EXPECT_EQ(merge.find(refused), std::string::npos) << refused;
  }
}

}  // namespace
}  // namespace sparkify::warehouse
