// Redshift's SQL: every table of the catalog, in Redshift's dialect, and
// nothing Redshift refuses in any statement the Redshift path sends (the
// emulator of the integration tests refuses them too; these checks need no
// server).
#include "warehouse/redshift_sql.h"

#include <gtest/gtest.h>

#include <regex>
#include <string>

#include "model/catalog.h"
#include "warehouse/transform_sql.h"

namespace sparkify::warehouse {
namespace {

std::string every_create() {
  std::string creates;
  for (const auto& create : redshift_sql::create_tables()) creates += create + ";\n";
  return creates;
}

TEST(RedshiftSql, CreatesDropsAndEmptiesEveryTableOfTheCatalog) {
  std::string creates = every_create();
  std::string drops = redshift_sql::kDropTables;
  std::string empties;
  for (const char* empty : redshift_sql::kEmptyStaging) empties += std::string(empty) + ";";
  for (const char* empty : redshift_sql::kEmptyStar) empties += std::string(empty) + ";";
  std::vector<std::string> tables = model::staging_table_names();
  for (const auto& name : model::star_table_names()) tables.push_back(name);
  for (const auto& name : tables) {
    EXPECT_NE(creates.find("CREATE TABLE IF NOT EXISTS " + name + " ("), std::string::npos) << name;
    EXPECT_NE(drops.find(" " + name), std::string::npos) << name;
    // DELETE, not TRUNCATE: TRUNCATE commits the load's transaction.
    EXPECT_NE(empties.find("DELETE FROM " + name + ";"), std::string::npos) << name;
  }
  EXPECT_EQ(empties.find("TRUNCATE"), std::string::npos);
  EXPECT_NE(creates.find("sparkify_loads"), std::string::npos);
  EXPECT_EQ(drops.find("sparkify_loads"), std::string::npos);
}

TEST(RedshiftSql, KeysSuitTheStarsJoinsAndEveryTableIsEncodedAutomatically) {
  std::string songplays = redshift_sql::create_songplays();
  EXPECT_NE(songplays.find("DISTKEY(start_time) SORTKEY(start_time)"), std::string::npos);
  EXPECT_NE(redshift_sql::create_time().find("DISTKEY(start_time) SORTKEY(start_time)"), std::string::npos);
  for (const auto& small : {redshift_sql::create_users(), redshift_sql::create_songs(), redshift_sql::create_artists()}) {
    EXPECT_NE(small.find("DISTSTYLE ALL"), std::string::npos) << small;
  }
  for (const auto& create : redshift_sql::create_tables()) {
    EXPECT_NE(create.find(" ENCODE AUTO"), std::string::npos) << create;
    if (create.find("staging_") == std::string::npos) {
      EXPECT_NE(create.find("PRIMARY KEY"), std::string::npos) << create;
    }
  }
}

TEST(RedshiftSql, TextColumnsHoldLongMultiByteValues) {
  // Plain VARCHAR is 256 bytes on Redshift: one real artist_location is
  // longer, and a 100-character title in a non-Latin script takes 300.
  std::regex bare_text(R"(\b(TEXT|VARCHAR)\b(?!\())", std::regex::icase);
  std::string creates = every_create();
  EXPECT_FALSE(std::regex_search(creates, bare_text)) << creates;
  for (const char* column : {"artist_location VARCHAR(65535)", "title VARCHAR(65535)", "artist VARCHAR(65535)",
                             "location VARCHAR(65535)", "user_agent VARCHAR(65535)", "name VARCHAR(65535)"}) {
    EXPECT_NE(creates.find(column), std::string::npos) << column;
  }
  // registration arrives as 1541033612796.0, which a BIGINT column refuses.
  EXPECT_NE(redshift_sql::create_staging_events().find("registration DOUBLE PRECISION"), std::string::npos);
}

TEST(RedshiftSql, NoStatementUsesWhatRedshiftLacks) {
  std::string sent = every_create() + redshift_sql::kDropTables;
  for (const char* insert : {sql::kInsertSongplays, sql::kInsertUsers, sql::kInsertSongs, sql::kInsertArtists,
                             sql::kInsertTime}) {
    sent += insert;
  }
  sent += redshift_sql::kRecordLoad;
  sent += redshift_sql::kFindLoad;
  sent += redshift_sql::kLastCopyErrors;
  for (const auto& table : model::star_table_names()) sent += redshift_sql::lake_select(table);
  for (const char* refused : {"FROM STDIN", "ON CONFLICT", "DISTINCT ON", "RETURNING", "SERIAL", "IDENTITY",
                              "jsonb", "CREATE INDEX", "COLLATE", "TRUNCATE", "CURRENT_TIMESTAMP", "UNLOGGED"}) {
    EXPECT_EQ(sent.find(refused), std::string::npos) << refused;
  }
}

TEST(RedshiftSql, TheEventsJsonpathsMapEveryKeyOntoItsColumnInOrder) {
  std::string paths = redshift_sql::events_jsonpaths();
  const auto& keys = redshift_sql::event_json_keys();
  ASSERT_EQ(keys.size(), redshift_sql::staging_events_columns().size());
  size_t at = 0;
  for (const auto& key : keys) {
    size_t found = paths.find("\"$['" + key + "']\"", at);
    ASSERT_NE(found, std::string::npos) << key;
    at = found;
  }
}

TEST(RedshiftSql, CopyNamesItsColumnsRoleAndOptions) {
  redshift_sql::CopyOptions options;
  options.iam_role = "arn:aws:iam::1:role/it's";
  options.format = "JSON 's3://b/paths.json'";
  options.gzip = true;
  options.empty_as_null = true;
  options.epoch_millis = true;
  options.max_errors = 7;
  options.region = "us-west-2";
  std::string copy = redshift_sql::copy_from_s3("staging_events", "s3://b/log_data/", options);
  EXPECT_EQ(copy.rfind("COPY staging_events (artist, auth, first_name,", 0), 0u) << copy;
  for (const char* part : {"FROM 's3://b/log_data/'", "IAM_ROLE 'arn:aws:iam::1:role/it''s'",
                           "FORMAT AS JSON 's3://b/paths.json'", " GZIP", "TIMEFORMAT 'epochmillisecs'",
                           "EMPTYASNULL BLANKSASNULL", "MAXERROR 7", "REGION 'us-west-2'"}) {
    EXPECT_NE(copy.find(part), std::string::npos) << part << "\n" << copy;
  }
  EXPECT_EQ(copy.find("MANIFEST"), std::string::npos);
}

TEST(RedshiftSql, UnloadWritesTheLakesLayout) {
  std::string unload = redshift_sql::unload_parquet(redshift_sql::lake_select("songs"), "s3://lake/songs/",
                                                    "arn:aws:iam::1:role/r", {"year", "artist_id"});
  EXPECT_NE(unload.find("FORMAT AS PARQUET PARTITION BY (year, artist_id)"), std::string::npos) << unload;
  EXPECT_NE(unload.find("TO 's3://lake/songs/'"), std::string::npos) << unload;
  // The partition columns come last, as PARTITION BY leaves them out of the files.
  EXPECT_NE(redshift_sql::lake_select("songs").find("duration, year, artist_id FROM songs"), std::string::npos);
  // A quote inside the query is doubled inside UNLOAD's literal.
  EXPECT_NE(redshift_sql::unload_parquet("SELECT 'a'", "s3://l/", "r", {}).find("UNLOAD ('SELECT ''a''')"),
            std::string::npos);
}

}  // namespace
}  // namespace sparkify::warehouse
