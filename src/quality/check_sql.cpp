#include "quality/check_sql.h"

#include <algorithm>

#include "model/catalog.h"
#include "model/error.h"

namespace sparkify::quality {
namespace {

// The columns of each star table: names that may be spliced into SQL.
const std::vector<std::string>& columns_of(const std::string& table) {
  static const std::vector<std::pair<std::string, std::vector<std::string>>> columns = {
      {"songplays",
       {"songplay_id", "start_time", "user_id", "level", "song_id", "artist_id", "session_id", "location",
        "user_agent"}},
      {"users", {"user_id", "first_name", "last_name", "gender", "level"}},
      {"songs", {"song_id", "title", "artist_id", "year", "duration"}},
      {"artists", {"artist_id", "name", "location", "latitude", "longitude"}},
      {"time", {"start_time", "hour", "day", "week", "month", "year", "weekday"}},
  };
  for (const auto& [name, list] : columns) {
    if (name == table) return list;
  }
  throw UsageError("a check names table '" + table + "', which is not one of songplays, users, songs, artists, time");
}

void require_column(const std::string& table, const std::string& column) {
  const auto& columns = columns_of(table);
  if (std::find(columns.begin(), columns.end(), column) == columns.end()) {
    throw UsageError("a check names column '" + column + "' of " + table + ", which has no such column");
  }
}

std::string limit() { return " LIMIT " + std::to_string(kSampleKeys); }

}  // namespace

CheckQueries check_queries(const Check& check) {
  CheckQueries queries;
  if (check.kind == CheckKind::kSql) {
    queries.counts = check.sql;
    return queries;
  }
  columns_of(check.table);
  const std::string& table = check.table;
  const std::string& column = check.column;
  if (!column.empty()) require_column(table, column);
  std::string key = key_column_of(table);
  switch (check.kind) {
    case CheckKind::kMinRows:
      queries.counts = "SELECT COUNT(*), CASE WHEN COUNT(*) < " + std::to_string(check.min_rows) +
                       " THEN 1 ELSE 0 END FROM " + table;
      break;
    case CheckKind::kUnique:
      queries.counts = "SELECT (SELECT COUNT(*) FROM " + table + "), (SELECT COUNT(*) FROM (SELECT " + column +
                       " FROM " + table + " WHERE " + column + " IS NOT NULL GROUP BY " + column +
                       " HAVING COUNT(*) > 1) duplicates)";
      queries.sample = "SELECT CAST(" + column + " AS VARCHAR) FROM " + table + " WHERE " + column +
                       " IS NOT NULL GROUP BY " + column + " HAVING COUNT(*) > 1 ORDER BY " + column + limit();
      break;
    case CheckKind::kNotNull:
      queries.counts = "SELECT COUNT(*), COUNT(*) - COUNT(" + column + ") FROM " + table;
      // The rows are named by their key, unless the key is what is NULL.
      queries.sample = column == key ? ""
                                     : "SELECT CAST(" + key + " AS VARCHAR) FROM " + table + " WHERE " + column +
                                           " IS NULL ORDER BY " + key + limit();
      break;
    case CheckKind::kReferences: {
      require_column(check.parent_table, check.parent_column);
      std::string orphans = " FROM " + table + " c LEFT JOIN (SELECT DISTINCT " + check.parent_column + " AS k FROM " +
                            check.parent_table + ") p ON p.k = c." + column + " WHERE c." + column +
                            " IS NOT NULL AND p.k IS NULL";
      queries.counts = "SELECT (SELECT COUNT(*) FROM " + table + "), (SELECT COUNT(*)" + orphans + ")";
      queries.sample = "SELECT CAST(c." + key + " AS VARCHAR) || ' -> ' || CAST(c." + column + " AS VARCHAR)" +
                       orphans + " ORDER BY c." + key + limit();
      break;
    }
    case CheckKind::kPlaysWithinEvents:
      // The events loaded: those counted by the user-days incremental loads
      // keep (each day's NextSong events), else the last full load's staging.
      queries.counts =
          "SELECT (SELECT COUNT(*) FROM songplays), (SELECT COUNT(*) FROM songplays) - "
          "CASE WHEN (SELECT COUNT(*) FROM sparkify_user_days) > 0 "
          "THEN (SELECT SUM(next_songs) FROM sparkify_user_days) "
          "ELSE (SELECT COUNT(*) FROM staging_events WHERE page = 'NextSong' AND user_id IS NOT NULL) END";
      break;
    case CheckKind::kMatchRate:
      queries.counts = "SELECT COUNT(*), COUNT(song_id) FROM songplays";
      break;
    case CheckKind::kSql:
      break;
  }
  return queries;
}

}  // namespace sparkify::quality
