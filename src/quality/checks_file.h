// A user's checks, from a JSON file: an array of objects, each either a SQL
// query and the value it must answer, as Airflow's data-quality operators
// take them, or one of the built-in kinds on a star table:
//
//   [{"name": "no user without a level",
//     "sql": "SELECT COUNT(*) FROM users WHERE level IS NULL", "expected": 0},
//    {"check_sql": "SELECT COUNT(*) FROM songs", "expected_result": 71},
//    {"kind": "not_null", "table": "users", "column": "level"},
//    {"kind": "unique", "table": "songs", "column": "song_id"},
//    {"kind": "min_rows", "table": "songplays", "min_rows": 1000},
//    {"kind": "references", "table": "songs", "column": "artist_id",
//     "parent_table": "artists", "parent_column": "artist_id"}]
//
// SQL checks run on a warehouse; the built-in kinds run on a warehouse and
// on a lake.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "quality/check.h"

namespace sparkify::quality {

// Throws UsageError naming the file and the entry at fault: unreadable,
// not JSON, an unknown kind, a missing key, a table or column the star
// schema does not have.
std::vector<Check> read_checks_file(const std::string& path);

// The checks a run makes: the contract's, then those of `user_file` when
// given.
std::vector<Check> checks_to_run(const std::optional<std::string>& user_file);

// As read_checks_file(), from the file's text; `path` names it in errors.
std::vector<Check> parse_checks(const std::string& text, const std::string& path);

}  // namespace sparkify::quality
