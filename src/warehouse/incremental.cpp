#include "warehouse/incremental.h"

#include <span>
#include <stdexcept>
#include <string_view>

#include "io/listing_digest.h"
#include "warehouse/sql_text.h"
#include "warehouse/table_counts.h"
#include "warehouse/transform_sql.h"
#include "warehouse/warehouse.h"

namespace sparkify::warehouse {
namespace {

using Window = std::optional<model::DayWindow>;

constexpr const char* kCreateShared[] = {
    "CREATE TABLE IF NOT EXISTS sparkify_files (source VARCHAR(4096) NOT NULL, kind VARCHAR(8) NOT NULL, "
    "size BIGINT NOT NULL, version VARCHAR(256), load_id VARCHAR(64) NOT NULL, loaded_at TIMESTAMP NOT NULL, "
    "whole BOOLEAN NOT NULL)",
    "CREATE TABLE IF NOT EXISTS sparkify_song_listing (files BIGINT NOT NULL, digest VARCHAR(64) NOT NULL)",
    "CREATE TABLE IF NOT EXISTS sparkify_songs (LIKE staging_songs)",
    "CREATE TABLE IF NOT EXISTS sparkify_counts (star_table VARCHAR(16) NOT NULL, row_count BIGINT NOT NULL)",
};

constexpr const char* kStateTables =
    "sparkify_files, sparkify_song_listing, sparkify_songs, sparkify_song_matches, sparkify_kept_plays, "
    "sparkify_user_days, sparkify_counts";
constexpr const char* kClear[] = {"DELETE FROM sparkify_files",       "DELETE FROM sparkify_song_listing",
                                  "DELETE FROM sparkify_songs",       "DELETE FROM sparkify_song_matches",
                                  "DELETE FROM sparkify_kept_plays",  "DELETE FROM sparkify_user_days",
                                  "DELETE FROM sparkify_counts"};

// The ledger's kinds of file.
constexpr const char* kSongFile = "song";
constexpr const char* kEventFile = "event";

// An earlier version kept every event (sparkify_events) and a ledger
// without `whole`.
constexpr const char* kFindEarlierState =
    "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema() "
    "AND table_name = 'sparkify_events'";
constexpr const char* kDropEarlierState = "DROP TABLE IF EXISTS sparkify_events, sparkify_plays, sparkify_files";

// The temporary tables of a merge, dropped before and after it.
constexpr const char* kMergeTables =
    "sparkify_day_keys, sparkify_merged_days, sparkify_touched_users, sparkify_play_keys, sparkify_old_plays, "
    "sparkify_chosen, sparkify_new_plays";

// The columns a kept play holds besides its id: the key, then the fields
// that choose among copies of it (transform_sql.h's copy_rank).
constexpr const char* kPlayColumns =
    "user_id, session_id, item_in_session, ts, level, song, artist, length, location, user_agent";
// The columns of a user-day: the fields of the users rule, and the count.
constexpr const char* kDayColumns =
    "user_id, day, ts, item_in_session, session_id, level, first_name, last_name, gender, next_songs";

// The full load's orderings (transform_sql.h; a unit test holds them equal).
constexpr const char* kCopyRank =
    "ROW_NUMBER() OVER (PARTITION BY user_id, session_id, item_in_session\n"
    "                            ORDER BY ts NULLS LAST, level NULLS LAST, song NULLS LAST,\n"
    "                                     artist NULLS LAST, length NULLS LAST, location NULLS LAST,\n"
    "                                     user_agent NULLS LAST) AS copy_rank";
constexpr const char* kDayRecency =
    "ROW_NUMBER() OVER (PARTITION BY user_id, day\n"
    "                            ORDER BY ts DESC NULLS LAST, item_in_session DESC NULLS LAST,\n"
    "                                     session_id DESC NULLS LAST, level NULLS LAST,\n"
    "                                     first_name NULLS LAST, last_name NULLS LAST,\n"
    "                                     gender NULLS LAST) AS recency";
constexpr const char* kNewPlayOrder =
    "ORDER BY c.ts NULLS LAST, c.user_id, c.session_id NULLS LAST, c.item_in_session NULLS LAST";

// An event's UTC day (model::day_of_ts: rounded down, also before 1970);
// an event without ts has a day of its own that no window holds.
std::string day_of_ts() {
  std::string per_day = std::to_string(model::kMillisPerDay);
  return "CASE WHEN ts IS NULL THEN -2147483648 WHEN ts < 0 THEN (ts + 1) / " + per_day + " - 1 ELSE ts / " +
         per_day + " END";
}

// A ts as the TIMESTAMP of start_time, as the full load computes it.
std::string start_time_of(const std::string& alias) {
  return "TIMESTAMP 'epoch' + (" + alias + ".ts / 1000) * INTERVAL '1 second' + (" + alias +
         ".ts % 1000) * INTERVAL '1 millisecond'";
}

// `column` inside the window: a condition, NULL (no ts) counting as
// outside. Without a window nothing is inside.
std::string inside(const std::string& column, const Window& window) {
  if (!window) return "FALSE";
  std::string out = column + " IS NOT NULL";
  if (auto start = window->start_ms()) out += " AND " + column + " >= " + std::to_string(*start);
  if (auto end = window->end_ms()) out += " AND " + column + " < " + std::to_string(*end);
  return "(" + out + ")";
}

std::string outside(const std::string& column, const Window& window) {
  if (!window) return "TRUE";
  return "(" + column + " IS NULL OR NOT " + inside(column, window) + ")";
}

// A play's natural key, NULLs equal to each other (as PARTITION BY groups
// them). Plain equalities, so that both engines join by hashing: NULL reads
// as the smallest INTEGER, which no session or item number is in practice.
std::string same_play(const char* a, const char* b) {
  std::string out = std::string(a) + ".user_id = " + b + ".user_id";
  for (const char* column : {"session_id", "item_in_session"}) {
    out += std::string(" AND COALESCE(") + a + "." + column + ", -2147483648) = COALESCE(" + b + "." + column +
           ", -2147483648)";
  }
  return out;
}

std::string prefixed(const std::string& alias, const std::string& columns) {
  std::string out;
  size_t start = 0;
  while (start < columns.size()) {
    size_t end = columns.find(", ", start);
    if (end == std::string::npos) end = columns.size();
    out += (out.empty() ? "" : ", ") + alias + "." + columns.substr(start, end - start);
    start = end + 2;
  }
  return out;
}

// `sql` with `from` replaced by `to`, which must be there once.
std::string replaced(std::string sql, const std::string& from, const std::string& to) {
  size_t at = sql.find(from);
  if (at == std::string::npos || sql.find(from, at + 1) != std::string::npos) {
    throw std::logic_error("the transform SQL has changed shape: '" + from + "'");
  }
  return sql.replace(at, from.size(), to);
}

// The staged events as user-day candidates: one row each, counting the
// NextSong ones.
std::string staged_day_rows() {
  return "SELECT user_id, " + day_of_ts() +
         " AS day, ts, item_in_session, session_id, level, first_name, last_name, gender,\n"
         "         CASE WHEN page = 'NextSong' THEN 1 ELSE 0 END AS next_songs\n"
         "  FROM staging_events WHERE user_id IS NOT NULL";
}

// Each (user, day) of `rows` (kDayColumns) as one row: the latest event by
// the users rule, and the day's NextSong events summed.
std::string latest_of_days(const std::string& rows) {
  return "SELECT " + std::string(kDayColumns) + "\nFROM (\n  SELECT " +
         "user_id, day, ts, item_in_session, session_id, level, first_name, last_name, gender,\n"
         "         SUM(next_songs) OVER (PARTITION BY user_id, day) AS next_songs,\n         " +
         kDayRecency + "\n  FROM (\n  " + rows + "\n  ) r\n) latest\nWHERE recency = 1";
}

// The song each (title, artist name, duration) of `songs` matches, as
// transform_sql.h's songplays choose it (match_rank); only triples with
// all three can match a play.
std::string song_matches_of(const std::string& songs) {
  return R"sql(INSERT INTO sparkify_song_matches (title, artist_name, duration, song_id, artist_id)
SELECT title, artist_name, duration, song_id, artist_id
FROM (
  SELECT title, artist_name, duration, song_id, artist_id,
         ROW_NUMBER() OVER (PARTITION BY title, artist_name, duration
                            ORDER BY song_id, artist_id NULLS LAST) AS match_rank
  FROM sparkify_songs
  WHERE song_id IS NOT NULL AND title IS NOT NULL AND artist_name IS NOT NULL AND duration IS NOT NULL)sql" +
         songs + R"sql(
) m
WHERE m.match_rank = 1)sql";
}

// The staged NextSong events with a user: the plays' candidates.
std::string staged_plays() {
  return std::string("SELECT ") + kPlayColumns + " FROM staging_events WHERE page = 'NextSong' AND user_id IS NOT NULL";
}

// The smallest copy of each play of `rows` (kPlayColumns), by copy_rank.
std::string chosen_of(const std::string& rows) {
  return std::string("SELECT ") + kPlayColumns + "\nFROM (\n  SELECT " + kPlayColumns + ",\n         " + kCopyRank +
         "\n  FROM (\n    " + rows + "\n  ) x\n) c\nWHERE copy_rank = 1";
}

using StarCount = int64_t model::TableCounts::*;

// The star tables' rows, kept so that a merge need not count every table:
// it adds the rows its statements insert and takes away those they delete.
constexpr std::pair<const char*, StarCount> kStarCounts[] = {
    {"songplays", &model::TableCounts::songplays}, {"users", &model::TableCounts::users},
    {"songs", &model::TableCounts::songs},         {"artists", &model::TableCounts::artists},
    {"time", &model::TableCounts::time}};

// One statement, and the star table whose rows it inserts (+1) or deletes
// (-1), if any.
struct Statement {
  std::string sql;
  const char* what;
  StarCount table;
  int sign;
};

class Statements {
 public:
  void add(std::string sql, const char* what) { list_.push_back(Statement{std::move(sql), what, nullptr, 0}); }
  void inserts(StarCount table, std::string sql, const char* what) {
    list_.push_back(Statement{std::move(sql), what, table, +1});
  }
  void deletes(StarCount table, std::string sql, const char* what) {
    list_.push_back(Statement{std::move(sql), what, table, -1});
  }
  const std::vector<Statement>& list() const { return list_; }

 private:
  std::vector<Statement> list_;
};

void merge_songs(Statements& out) {
  out.add("INSERT INTO sparkify_songs SELECT * FROM staging_songs", "keep the new songs");
  // The keys the new songs touch, rebuilt from every song kept, by the
  // full load's own statements.
  out.deletes(&model::TableCounts::songs, "DELETE FROM songs WHERE song_id IN (SELECT song_id FROM staging_songs WHERE song_id IS NOT NULL)",
      "merge songs");
  out.inserts(&model::TableCounts::songs, replaced(sql::kInsertSongs, "FROM staging_songs\n  WHERE song_id IS NOT NULL",
               "FROM sparkify_songs\n  WHERE song_id IN (SELECT song_id FROM staging_songs WHERE song_id IS NOT NULL)"),
      "merge songs");
  // The matches of the new songs' titles, chosen again among every song
  // of those titles (their match_rank partitions whole).
  out.add("DELETE FROM sparkify_song_matches WHERE title IN (SELECT title FROM staging_songs)", "merge song matches");
  out.add(song_matches_of("\n    AND title IN (SELECT title FROM staging_songs)"), "merge song matches");
  out.deletes(&model::TableCounts::artists, "DELETE FROM artists WHERE artist_id IN (SELECT artist_id FROM staging_songs WHERE artist_id IS NOT NULL)",
      "merge artists");
  out.inserts(&model::TableCounts::artists, replaced(sql::kInsertArtists, "FROM staging_songs\n  WHERE artist_id IS NOT NULL",
               "FROM sparkify_songs\n  WHERE artist_id IN (SELECT artist_id FROM staging_songs WHERE artist_id IS NOT NULL)"),
      "merge artists");
}

// User-days: the days of the staged events, merged with the kept row of
// the same day unless the window replaces it; the window's other days go.
// Then users: the latest day of every user touched.
void merge_users(Statements& out, const Window& window) {
  out.add("CREATE TEMP TABLE sparkify_day_keys AS SELECT DISTINCT user_id, " + day_of_ts() +
          " AS day FROM staging_events WHERE user_id IS NOT NULL",
      "merge user days");
  out.add("CREATE TEMP TABLE sparkify_merged_days AS\n" +
          latest_of_days(staged_day_rows() + "\n  UNION ALL\n  SELECT " + prefixed("d", kDayColumns) +
                         "\n  FROM sparkify_user_days d JOIN sparkify_day_keys k ON k.user_id = d.user_id AND "
                         "k.day = d.day\n  WHERE " +
                         outside("d.ts", window)),
      "merge user days");
  out.add("CREATE TEMP TABLE sparkify_touched_users AS SELECT user_id FROM sparkify_day_keys UNION "
      "SELECT user_id FROM sparkify_user_days WHERE " +
          inside("ts", window),
      "merge user days");
  if (window) out.add("DELETE FROM sparkify_user_days WHERE " + inside("ts", window), "replace the window's user days");
  out.add("DELETE FROM sparkify_user_days USING sparkify_merged_days m "
      "WHERE sparkify_user_days.user_id = m.user_id AND sparkify_user_days.day = m.day",
      "merge user days");
  out.add(std::string("INSERT INTO sparkify_user_days (") + kDayColumns + ") SELECT " + kDayColumns +
          " FROM sparkify_merged_days",
      "merge user days");
  out.deletes(&model::TableCounts::users, "DELETE FROM users WHERE user_id IN (SELECT user_id FROM sparkify_touched_users)", "merge users");
  out.inserts(&model::TableCounts::users, replaced(sql::kInsertUsers, "FROM staging_events\n  WHERE user_id IS NOT NULL",
               "FROM sparkify_user_days\n  WHERE user_id IN (SELECT user_id FROM sparkify_touched_users)"),
      "merge users");
}

// Plays: the keys of the staged NextSong events, of the window's kept
// plays, and of kept plays that a new song may match now. Each is chosen
// again from its staged copies and its kept one (unless the window
// replaces it), keeps its id, or takes the next; one no longer there goes.
void merge_plays(Statements& out, const Window& window, bool new_songs) {
  std::string keys = R"sql(CREATE TEMP TABLE sparkify_play_keys AS
SELECT user_id, session_id, item_in_session FROM staging_events
WHERE page = 'NextSong' AND user_id IS NOT NULL
UNION
SELECT user_id, session_id, item_in_session FROM sparkify_kept_plays WHERE )sql" +
                     inside("ts", window);
  if (new_songs) {
    keys += R"sql(
UNION
SELECT p.user_id, p.session_id, p.item_in_session
FROM sparkify_kept_plays p
JOIN (SELECT DISTINCT title, artist_name, duration FROM staging_songs WHERE song_id IS NOT NULL) s
  ON s.title = p.song AND s.artist_name = p.artist AND s.duration = p.length)sql";
  }
  out.add(keys, "merge songplays");
  out.add("CREATE TEMP TABLE sparkify_old_plays AS SELECT p.songplay_id, " + prefixed("p", kPlayColumns) +
          " FROM sparkify_kept_plays p JOIN sparkify_play_keys k ON " + same_play("k", "p"),
      "merge songplays");
  out.add("CREATE TEMP TABLE sparkify_chosen AS\n" +
          chosen_of(staged_plays() + "\n    UNION ALL\n    SELECT " + kPlayColumns + " FROM sparkify_old_plays WHERE " +
                    outside("ts", window)),
      "merge songplays");
  // A key kept before keeps its id; a new one gets the next, in the full
  // load's order among the new.
  out.add("CREATE TEMP TABLE sparkify_new_plays AS\nSELECT o.songplay_id, " + prefixed("c", kPlayColumns) +
          "\nFROM sparkify_chosen c JOIN sparkify_old_plays o ON " + same_play("o", "c") +
          "\nUNION ALL\nSELECT ROW_NUMBER() OVER (" + kNewPlayOrder +
          ")\n         + (SELECT COALESCE(MAX(songplay_id), 0) FROM songplays),\n       " +
          prefixed("c", kPlayColumns) + "\nFROM sparkify_chosen c LEFT JOIN sparkify_old_plays o ON " +
          same_play("o", "c") + "\nWHERE o.songplay_id IS NULL",
      "number the new songplays");
  out.deletes(&model::TableCounts::songplays, "DELETE FROM songplays WHERE songplay_id IN (SELECT songplay_id FROM sparkify_old_plays)", "merge songplays");
  out.add("DELETE FROM sparkify_kept_plays USING sparkify_old_plays o WHERE " + same_play("o", "sparkify_kept_plays"),
          "merge songplays");
  out.add(std::string("INSERT INTO sparkify_kept_plays (songplay_id, ") + kPlayColumns + ") SELECT songplay_id, " +
          kPlayColumns + " FROM sparkify_new_plays",
      "merge songplays");
  out.inserts(&model::TableCounts::songplays, R"sql(
INSERT INTO songplays (songplay_id, start_time, user_id, level, song_id, artist_id, session_id, location,
                       user_agent)
SELECT e.songplay_id, )sql" + start_time_of("e") + R"sql(,
       e.user_id, e.level, m.song_id, m.artist_id, e.session_id, e.location, e.user_agent
FROM sparkify_new_plays e
LEFT JOIN sparkify_song_matches m
  ON m.title = e.song AND m.artist_name = e.artist AND m.duration = e.length
)sql",
              "merge songplays");
  // time: one row per start time of a play, no more, no fewer; only the
  // start times of the plays touched can change.
  out.deletes(&model::TableCounts::time, "DELETE FROM time WHERE start_time IN (SELECT " + start_time_of("o") +
          " FROM (SELECT DISTINCT ts FROM sparkify_old_plays WHERE ts IS NOT NULL) o "
          "LEFT JOIN sparkify_kept_plays p ON p.ts = o.ts WHERE p.ts IS NULL)",
      "merge time");
  out.inserts(&model::TableCounts::time, replaced(sql::kInsertTime, "FROM (SELECT DISTINCT start_time FROM songplays WHERE start_time IS NOT NULL) t",
               "FROM (SELECT DISTINCT n.start_time\n"
               "      FROM (SELECT " +
                   start_time_of("p") +
                   " AS start_time FROM sparkify_new_plays p WHERE p.ts IS NOT NULL) n\n"
                   "      LEFT JOIN time x ON x.start_time = n.start_time WHERE x.start_time IS NULL) t"),
      "merge time");
}

// The statements of a merge, in order; those of the new songs only when
// song files were read.
Statements merge_statements(const Window& window, bool new_songs) {
  Statements statements;
  statements.add(std::string("DROP TABLE IF EXISTS ") + kMergeTables, "merge");
  if (new_songs) merge_songs(statements);
  merge_users(statements, window);
  merge_plays(statements, window, new_songs);
  statements.add(std::string("DROP TABLE ") + kMergeTables, "merge");
  return statements;
}

// The kept state of a rebuild, from the staging the full transform read:
// the plays numbered as transform_sql.h's songplays (same staging, same
// order), the user-days.
Statements rebuild_statements() {
  Statements statements;
  for (const char* clear : kClear) statements.add(clear, "empty the incremental state");
  statements.add("INSERT INTO sparkify_songs SELECT * FROM staging_songs", "keep the songs");
  statements.add(song_matches_of(""), "keep the song matches");
  statements.add(std::string("INSERT INTO sparkify_kept_plays (songplay_id, ") + kPlayColumns +
                              ")\nSELECT ROW_NUMBER() OVER (" + kNewPlayOrder + "), " + prefixed("c", kPlayColumns) +
                              "\nFROM (\n" + chosen_of(staged_plays()) + "\n) c",
                          "keep the plays");
  statements.add(std::string("INSERT INTO sparkify_user_days (") + kDayColumns + ")\n" +
                              latest_of_days(staged_day_rows()),
                          "keep the user days");
  return statements;
}

// The ledger rows of `files`, a thousand to a statement; `whole` says
// whether each had every event merged.
struct LedgerRow {
  const io::FileEntry* file;
  const char* kind;
  bool whole;
};

void record_files(PqConnection& connection, const std::vector<LedgerRow>& files, const std::string& load_id) {
  constexpr size_t kRowsPerInsert = 1000;
  std::string when = quote_literal(utc_now_text());
  for (size_t start = 0; start < files.size(); start += kRowsPerInsert) {
    std::string sql = "INSERT INTO sparkify_files (source, kind, size, version, load_id, loaded_at, whole) VALUES ";
    for (size_t idx = start; idx < std::min(files.size(), start + kRowsPerInsert); ++idx) {
      const auto& [file, kind, whole] = files[idx];
      sql += (idx == start ? "(" : ", (") + quote_literal(file->path) + ", " + quote_literal(kind) + ", " +
             std::to_string(file->size) + ", " + quote_literal(file->version) + ", " + quote_literal(load_id) + ", " +
             when + ", " + (whole ? "TRUE" : "FALSE") + ")";
    }
    connection.run(sql, "record the loaded files in sparkify_files");
  }
}

// The ledger rows of files read again, which their new rows replace.
void forget_files(PqConnection& connection, const std::vector<std::string>& sources) {
  constexpr size_t kPathsPerDelete = 1000;
  for (size_t start = 0; start < sources.size(); start += kPathsPerDelete) {
    std::string sql = "DELETE FROM sparkify_files WHERE source IN (";
    for (size_t idx = start; idx < std::min(sources.size(), start + kPathsPerDelete); ++idx) {
      sql += (idx == start ? "" : ", ") + quote_literal(sources[idx]);
    }
    connection.run(sql + ")", "replace the ledger rows of the files read again");
  }
}

bool recorded_as(const std::map<std::string, LedgerEntry>& ledger, const io::FileEntry& file) {
  auto found = ledger.find(file.path);
  return found != ledger.end() && found->second.size == std::to_string(file.size) &&
         found->second.version == file.version;
}

// The ledger after a load: every file read is recorded under `load_id`,
// replacing its earlier row. A file that a backfill read in part (events
// outside the window left out) is recorded as not whole, unless its row
// said it was merged whole as it is now (its other days hold its events).
void record_plan_files(PqConnection& connection, const IncrementalPlan& plan, const std::string& load_id) {
  std::vector<LedgerRow> rows;
  std::vector<std::string> replaced_rows;
  for (const auto& [files, kind] : {std::pair{&plan.songs, kSongFile}, std::pair{&plan.events, kEventFile}}) {
    for (const auto& file : *files) {
      bool whole = plan.partly_loaded.count(file.path) == 0;
      if (!whole && recorded_as(plan.ledger, file) && plan.ledger.at(file.path).whole) continue;
      if (plan.mode == IncrementalPlan::Mode::kMerge && plan.ledger.count(file.path) != 0) {
        replaced_rows.push_back(file.path);  // a rebuild emptied the ledger
      }
      rows.push_back(LedgerRow{&file, kind, whole});
    }
  }
  forget_files(connection, replaced_rows);
  record_files(connection, rows, load_id);
  // Every song file listed is recorded now, whole and as listed.
  connection.run("DELETE FROM sparkify_song_listing", "keep the song files' listing");
  connection.run("INSERT INTO sparkify_song_listing (files, digest) VALUES (" + std::to_string(plan.song_files) + ", " +
                     quote_literal(plan.song_listing) + ")",
                 "keep the song files' listing");
}

// Runs `statements`, adding the rows each inserts into a star table to
// `changes` and taking away those it deletes.
void run_statements(PqConnection& connection, const Statements& statements, model::TableCounts& changes) {
  for (const auto& statement : statements.list()) {
    if (statement.table) {
      changes.*statement.table += statement.sign * connection.run_counting(statement.sql, statement.what);
    } else {
      connection.run(statement.sql, statement.what);
    }
  }
}

// The star tables' rows as the last incremental run left them; nullopt
// when it left none.
std::optional<model::TableCounts> kept_counts(PqConnection& connection) {
  auto rows = connection.query("SELECT star_table, row_count FROM sparkify_counts", {}, "read the kept row counts");
  model::TableCounts counts;
  size_t found = 0;
  for (const auto& row : rows) {
    for (const auto& [name, table] : kStarCounts) {
      if (row[0] && *row[0] == name) {
        counts.*table = std::stoll(row[1].value_or("0"));
        ++found;
      }
    }
  }
  if (found != std::size(kStarCounts)) return std::nullopt;
  return counts;
}

void keep_counts(PqConnection& connection, const model::TableCounts& counts) {
  connection.run("DELETE FROM sparkify_counts", "keep the row counts");
  std::string sql = "INSERT INTO sparkify_counts (star_table, row_count) VALUES ";
  for (const auto& [name, table] : kStarCounts) {
    sql += std::string(sql.back() == ' ' ? "" : ", ") + "(" + quote_literal(name) + ", " +
           std::to_string(counts.*table) + ")";
  }
  connection.run(sql, "keep the row counts");
}

std::string count_text(size_t count, const char* what) {
  return std::to_string(count) + " " + what;
}

}  // namespace

std::vector<std::string> merge_sql(const Window& window, bool new_songs) {
  std::vector<std::string> statements;
  Statements merge = merge_statements(window, new_songs);
  for (const auto& statement : merge.list()) statements.push_back(statement.sql);
  return statements;
}

void drop_incremental_tables(PqConnection& connection) {
  connection.run(std::string("DROP TABLE IF EXISTS ") + kStateTables, "drop the incremental state");
}

void create_incremental_tables(PqConnection& connection, const std::vector<std::string>& kept_state) {
  auto earlier = connection.query(kFindEarlierState, {}, "look for an earlier version's incremental state");
  if (!earlier.empty() && earlier[0][0].value_or("0") != "0") {
    connection.run(kDropEarlierState, "drop an earlier version's incremental state (the next run rebuilds)");
  }
  for (const char* create : kCreateShared) connection.run(create, "create the incremental state");
  for (const auto& create : kept_state) connection.run(create, "create the incremental state");
}

IncrementalPlan plan_incremental(PqConnection& connection, const SourceListing& sources) {
  IncrementalPlan plan;
  plan.song_files = sources.songs.size();
  plan.song_listing = io::listing_digest(sources.songs);
  // The song files are most of the files and rarely new: when they are
  // listed as the last run left them, their ledger rows are not read.
  auto kept_listing = connection.query("SELECT files, digest FROM sparkify_song_listing", {},
                                       "read the song files' listing");
  bool songs_as_left = !kept_listing.empty() && kept_listing[0][1] == plan.song_listing &&
                       kept_listing[0][0] == std::to_string(plan.song_files);
  for (auto& row : connection.query(
           std::string("SELECT source, size, version, whole FROM sparkify_files") +
               (songs_as_left ? " WHERE kind = " + quote_literal(kEventFile) : std::string()),
           {}, "read the ledger of loaded files")) {
    std::string whole = row[3].value_or("t");
    plan.ledger[std::move(row[0]).value_or("")] = {std::move(row[1]).value_or(""), std::move(row[2]).value_or(""),
                                                   whole == "t" || whole == "true"};
  }
  bool loaded_before_now = !kept_listing.empty() || !plan.ledger.empty();
  if (connection.rehearsal()) {
    // A dry run reads no ledger: it shows the merge of new files (or of the
    // backfill's).
    plan.mode = IncrementalPlan::Mode::kMerge;
    plan.window = sources.window;
    plan.note = sources.window ? "backfill of " + sources.window->describe() + ": the window's event files"
                               : "incremental: the files sparkify_files lacks";
    return plan;
  }
  std::set<std::string> read_again;  // a backfill's event files, read whatever the ledger says
  for (const auto& file : sources.window_events) read_again.insert(file.path);
  size_t changed = 0;
  size_t loaded_before = 0;
  auto take_new = [&](std::span<const io::FileEntry> files, std::vector<io::FileEntry>& out) {
    for (const auto& file : files) {
      if (read_again.count(file.path) != 0) continue;
      auto found = plan.ledger.find(file.path);
      if (found == plan.ledger.end()) {
        out.push_back(file);
      } else if (!recorded_as(plan.ledger, file) || !found->second.whole) {
        ++changed;
      } else {
        ++loaded_before;
      }
    }
  };
  if (songs_as_left) {
    loaded_before += sources.songs.size();
  } else {
    take_new(sources.songs, plan.songs);
  }
  take_new(sources.events, plan.events);
  if (!loaded_before_now || changed > 0) {
    plan.mode = IncrementalPlan::Mode::kRebuild;
    plan.songs.assign(sources.songs.begin(), sources.songs.end());
    plan.events.assign(sources.events.begin(), sources.events.end());
    plan.note = !loaded_before_now ? "incremental: nothing loaded before, so every file is loaded"
                                    : "incremental: " + std::to_string(changed) +
                                          " loaded file(s) changed since (or were loaded in part), so every file is "
                                          "loaded again";
    if (sources.window) plan.note += "; the backfill's window gives way to this rebuild";
    return plan;
  }
  plan.mode = IncrementalPlan::Mode::kMerge;
  if (sources.window) {
    plan.window = sources.window;
    size_t new_events = plan.events.size();
    plan.events.assign(sources.window_events.begin(), sources.window_events.end());
    plan.note = "backfill of " + sources.window->describe() + ": " +
                count_text(plan.events.size(), "event file(s) dated inside the window or not dated") + " read (" +
                count_text(new_events, "of them new") + "), " + count_text(plan.songs.size(), "new song file(s)") +
                "; " + count_text(loaded_before, "other files loaded before");
    return plan;
  }
  plan.note = "incremental: " + std::to_string(plan.songs.size() + plan.events.size()) + " new files (" +
              std::to_string(plan.songs.size()) + " song, " + std::to_string(plan.events.size()) + " event), " +
              std::to_string(loaded_before) + " loaded before";
  return plan;
}

model::TableCounts apply_incremental(PqConnection& connection, const IncrementalPlan& plan,
                                     const std::string& load_id) {
  model::TableCounts counts;
  if (plan.mode == IncrementalPlan::Mode::kRebuild) {
    run_statements(connection, rebuild_statements(), counts);
    counts = count_tables(connection);  // the full transform's tables, counted once
  } else {
    std::optional<model::TableCounts> kept = kept_counts(connection);
    run_statements(connection, merge_statements(plan.window, !plan.songs.empty() || connection.rehearsal()), counts);
    if (kept) {
      model::TableCounts staged = count_staging(connection);
      for (const auto& [name, table] : kStarCounts) staged.*table = (*kept).*table + counts.*table;
      counts = staged;
    } else {
      counts = count_tables(connection);  // kept by no earlier run: counted once
    }
  }
  keep_counts(connection, counts);
  if (connection.rehearsal()) {
    connection.run("INSERT INTO sparkify_files (source, kind, size, version, load_id, loaded_at, whole) VALUES "
                   "('<each file read>', '<song or event>', <its size>, '<its ETag or modification time>', " +
                       quote_literal(load_id) + ", '<now>', <whether every event of it was merged>)",
                   "record the loaded files in sparkify_files");
    connection.run("INSERT INTO sparkify_song_listing (files, digest) VALUES (<song files listed>, '<their digest>')",
                   "keep the song files' listing");
    return counts;
  }
  record_plan_files(connection, plan, load_id);
  return counts;
}

void clear_incremental_state(PqConnection& connection) {
  for (const char* clear : kClear) connection.run(clear, "empty the incremental state");
}

}  // namespace sparkify::warehouse
