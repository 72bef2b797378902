// Data-quality checks on the star schema: the contract's own (every table
// non-empty, keys unique and not NULL, every songplay's user, time, song and
// artist present in its dimension, no more plays than NextSong events
// loaded, and the match rate for information) and a user's, from a file.
// A check is data; each kind has two implementations that must agree: SQL
// for a warehouse (check_sql.h) and one over rows in memory for a lake
// (star_checks.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace sparkify::quality {

enum class CheckKind {
  kMinRows,     // table has at least `min_rows` rows
  kUnique,      // column's non-NULL values are unique
  kNotNull,     // column is never NULL
  kReferences,  // every non-NULL column value is a parent_column value of parent_table
  kPlaysWithinEvents,  // songplays ≤ NextSong events with a user, as loaded (warehouse: kept or staged events)
  kMatchRate,   // information only: plays matched to a song
  kSql,         // a user's query: its first value must equal `expected` (warehouse only)
};

struct Check {
  std::string name;
  CheckKind kind = CheckKind::kMinRows;
  std::string table;
  std::string column;
  std::string parent_table;
  std::string parent_column;
  int64_t min_rows = 1;
  std::string sql;
  std::string expected;
};

struct CheckResult {
  std::string name;
  int64_t examined = 0;  // rows looked at
  int64_t failures = 0;  // rows (or keys) at fault
  std::vector<std::string> sample;  // some failing keys, for a person to look up
  std::string note;      // what the figures mean, or why it was skipped
  bool passed = true;
  bool skipped = false;  // could not run here (a SQL check on a lake)
};

// The result of `check` from its two figures, as check_sql.h's counts query
// answers them (rows examined, failures; for kMatchRate: plays, matched
// plays), and its failing keys. Not for kSql.
CheckResult result_of(const Check& check, int64_t examined, int64_t second, std::vector<std::string> sample);

// The result of a user's SQL check from the first value its query
// answered (nullopt: NULL or no row). Numbers compare as numbers.
CheckResult result_of_sql(const Check& check, const std::optional<std::string>& value);

// The contract's checks, in the order they are reported.
std::vector<Check> contract_checks();

// The primary key of a star table (the column a failing row is named by).
std::string key_column_of(const std::string& table);

// The results as a table for a person: check, rows examined, failures,
// sample of failing keys; then one line saying whether all passed.
std::string format_results(const std::vector<CheckResult>& results);

// The results as one JSON array, for --report.
std::string results_json(const std::vector<CheckResult>& results);

bool all_passed(const std::vector<CheckResult>& results);

// How many failing keys a result names at most.
inline constexpr size_t kSampleKeys = 5;

}  // namespace sparkify::quality
