// A user's checks file: Airflow's shape (a query and its expected value)
// and the built-in kinds, with errors naming the file and the entry.
#include "quality/checks_file.h"

#include <gtest/gtest.h>

#include "model/error.h"
#include "quality/check_sql.h"

namespace sparkify::quality {
namespace {

std::string usage_error_of(const std::string& text) {
  try {
    parse_checks(text, "my-checks.json");
  } catch (const UsageError& error) {
    return error.what();
  }
  ADD_FAILURE() << "no UsageError for " << text;
  return {};
}

TEST(ChecksFile, ReadsQueriesAndBuiltInKinds) {
  auto checks = parse_checks(R"([
    {"name": "no user without a level", "sql": "SELECT COUNT(*) FROM users WHERE level IS NULL", "expected": 0},
    {"check_sql": "SELECT COUNT(*) FROM songs", "expected_result": 71},
    {"kind": "not_null", "table": "users", "column": "level"},
    {"kind": "unique", "table": "songs", "column": "title"},
    {"kind": "min_rows", "table": "songplays", "min_rows": 1000},
    {"kind": "references", "table": "songs", "column": "artist_id", "parent_table": "artists", "parent_column": "artist_id"}
  ])",
                             "my-checks.json");
  ASSERT_EQ(checks.size(), 6u);
  EXPECT_EQ(checks[0].kind, CheckKind::kSql);
  EXPECT_EQ(checks[0].name, "no user without a level");
  EXPECT_EQ(checks[0].expected, "0");
  EXPECT_EQ(checks[1].name, "SELECT COUNT(*) FROM songs");
  EXPECT_EQ(checks[1].expected, "71");
  EXPECT_EQ(checks[2].kind, CheckKind::kNotNull);
  EXPECT_EQ(checks[2].name, "not_null users.level");
  EXPECT_EQ(checks[4].min_rows, 1000);
  EXPECT_EQ(checks[5].parent_table, "artists");
}

TEST(ChecksFile, MistakesNameTheFileAndTheEntry) {
  EXPECT_NE(usage_error_of("{").find("my-checks.json: not JSON"), std::string::npos);
  EXPECT_NE(usage_error_of("{}").find("JSON array"), std::string::npos);
  EXPECT_NE(usage_error_of(R"([{"kind": "freshness"}])").find("check 1: unknown kind 'freshness'"),
            std::string::npos);
  EXPECT_NE(usage_error_of(R"([{"sql": "SELECT 1"}])").find("\"expected\""), std::string::npos);
  std::string message = usage_error_of(R"([{"kind": "unique", "table": "users", "column": "user_id"},
                                           {"kind": "unique", "table": "users; DROP TABLE users", "column": "x"}])");
  EXPECT_NE(message.find("check 2"), std::string::npos) << message;
  EXPECT_NE(usage_error_of(R"([{"kind": "not_null", "table": "users", "column": "email"}])").find("email"),
            std::string::npos);
}

TEST(ChecksFile, QueriesCompareAsNumbersOrText) {
  Check check;
  check.name = "count";
  check.kind = CheckKind::kSql;
  check.expected = "0";
  EXPECT_TRUE(result_of_sql(check, "0").passed);
  EXPECT_TRUE(result_of_sql(check, "0.00").passed);
  EXPECT_FALSE(result_of_sql(check, "3").passed);
  EXPECT_FALSE(result_of_sql(check, std::nullopt).passed);
  EXPECT_NE(result_of_sql(check, "3").note.find("got 3, expected 0"), std::string::npos);
  check.expected = "paid";
  EXPECT_TRUE(result_of_sql(check, "paid").passed);
}

TEST(CheckSql, OnlyTheStarSchemasNamesReachTheSql) {
  for (const auto& check : contract_checks()) {
    CheckQueries queries = check_queries(check);
    EXPECT_FALSE(queries.counts.empty()) << check.name;
    for (const char* refused : {"DISTINCT ON", "ON CONFLICT", "COLLATE", "::"}) {
      EXPECT_EQ(queries.counts.find(refused), std::string::npos) << check.name;
      EXPECT_EQ(queries.sample.find(refused), std::string::npos) << check.name;
    }
  }
}

}  // namespace
}  // namespace sparkify::quality
