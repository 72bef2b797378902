#include "warehouse/incremental.h"

#include <map>
#include <stdexcept>

#include "warehouse/sql_text.h"
#include "warehouse/transform_sql.h"
#include "warehouse/warehouse.h"

namespace sparkify::warehouse {
namespace {

constexpr const char* kCreateTables[] = {
    "CREATE TABLE IF NOT EXISTS sparkify_files (source VARCHAR(4096) NOT NULL, size BIGINT NOT NULL, "
    "version VARCHAR(256), load_id VARCHAR(64) NOT NULL, loaded_at TIMESTAMP NOT NULL)",
    "CREATE TABLE IF NOT EXISTS sparkify_events (LIKE staging_events)",
    "CREATE TABLE IF NOT EXISTS sparkify_songs (LIKE staging_songs)",
    "CREATE TABLE IF NOT EXISTS sparkify_plays (songplay_id BIGINT NOT NULL, user_id INTEGER NOT NULL, "
    "session_id INTEGER, item_in_session INTEGER)",
};

constexpr const char* kClear[] = {"DELETE FROM sparkify_files", "DELETE FROM sparkify_events",
                                  "DELETE FROM sparkify_songs", "DELETE FROM sparkify_plays"};

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

// `sql` with `from` replaced by `to`, which must be there once.
std::string replaced(std::string sql, const std::string& from, const std::string& to) {
  size_t at = sql.find(from);
  if (at == std::string::npos || sql.find(from, at + 1) != std::string::npos) {
    throw std::logic_error("the transform SQL has changed shape: '" + from + "'");
  }
  return sql.replace(at, from.size(), to);
}

// The kept plays of the keys a merge touches: each key's chosen event over
// every event kept, matched against every song kept (the orderings are
// transform_sql.h's; a unit test holds them equal).
std::string chosen_plays_sql() {
  return R"sql(
CREATE TEMP TABLE sparkify_chosen AS
SELECT e.ts, e.user_id, e.level, m.song_id, m.artist_id, e.session_id, e.item_in_session, e.location, e.user_agent
FROM (
  SELECT x.ts, x.user_id, x.level, x.session_id, x.item_in_session, x.location, x.user_agent, x.song, x.artist,
         x.length,
         ROW_NUMBER() OVER (PARTITION BY x.user_id, x.session_id, x.item_in_session
                            ORDER BY ts NULLS LAST, level NULLS LAST, song NULLS LAST,
                                     artist NULLS LAST, length NULLS LAST, location NULLS LAST,
                                     user_agent NULLS LAST) AS copy_rank
  FROM sparkify_events x
  JOIN sparkify_affected a ON )sql" +
         same_play("a", "x") + R"sql(
  WHERE x.page = 'NextSong' AND x.user_id IS NOT NULL
) e
LEFT JOIN (
  SELECT title, artist_name, duration, song_id, artist_id,
         ROW_NUMBER() OVER (PARTITION BY title, artist_name, duration
                            ORDER BY song_id, artist_id NULLS LAST) AS match_rank
  FROM sparkify_songs
  WHERE song_id IS NOT NULL
) m
  ON m.title = e.song AND m.artist_name = e.artist AND m.duration = e.length AND m.match_rank = 1
WHERE e.copy_rank = 1
)sql";
}

// The statements of a merge, in order.
std::vector<std::pair<std::string, const char*>> merge_statements() {
  std::vector<std::pair<std::string, const char*>> statements;
  auto add = [&](std::string sql, const char* what) { statements.emplace_back(std::move(sql), what); };
  add("INSERT INTO sparkify_events SELECT * FROM staging_events", "keep the new events");
  add("INSERT INTO sparkify_songs SELECT * FROM staging_songs", "keep the new songs");

  // Dimensions: the keys the new records touch, rebuilt from every record
  // kept, by the full load's own statements.
  add("DELETE FROM songs WHERE song_id IN (SELECT song_id FROM staging_songs WHERE song_id IS NOT NULL)",
      "merge songs");
  add(replaced(sql::kInsertSongs, "FROM staging_songs\n  WHERE song_id IS NOT NULL",
               "FROM sparkify_songs\n  WHERE song_id IN (SELECT song_id FROM staging_songs WHERE song_id IS NOT NULL)"),
      "merge songs");
  add("DELETE FROM artists WHERE artist_id IN (SELECT artist_id FROM staging_songs WHERE artist_id IS NOT NULL)",
      "merge artists");
  add(replaced(sql::kInsertArtists, "FROM staging_songs\n  WHERE artist_id IS NOT NULL",
               "FROM sparkify_songs\n  WHERE artist_id IN (SELECT artist_id FROM staging_songs WHERE artist_id IS NOT NULL)"),
      "merge artists");
  add("DELETE FROM users WHERE user_id IN (SELECT user_id FROM staging_events WHERE user_id IS NOT NULL)",
      "merge users");
  add(replaced(sql::kInsertUsers, "FROM staging_events\n  WHERE user_id IS NOT NULL",
               "FROM sparkify_events\n  WHERE user_id IN (SELECT user_id FROM staging_events WHERE user_id IS NOT NULL)"),
      "merge users");

  // Plays: the keys of the new NextSong events, and those of kept plays
  // that a new song may match now.
  add("DROP TABLE IF EXISTS sparkify_affected", "merge songplays");
  add("DROP TABLE IF EXISTS sparkify_chosen", "merge songplays");
  add(R"sql(
CREATE TEMP TABLE sparkify_affected AS
SELECT user_id, session_id, item_in_session FROM staging_events
WHERE page = 'NextSong' AND user_id IS NOT NULL
UNION
SELECT e.user_id, e.session_id, e.item_in_session
FROM sparkify_events e
JOIN (SELECT DISTINCT title, artist_name, duration FROM staging_songs WHERE song_id IS NOT NULL) s
  ON s.title = e.song AND s.artist_name = e.artist AND s.duration = e.length
WHERE e.page = 'NextSong' AND e.user_id IS NOT NULL
)sql",
      "merge songplays");
  add(chosen_plays_sql(), "merge songplays");
  // A new key gets the next id, in the full load's order among the new.
  add(R"sql(
INSERT INTO sparkify_plays (songplay_id, user_id, session_id, item_in_session)
SELECT ROW_NUMBER() OVER (ORDER BY c.ts NULLS LAST, c.user_id, c.session_id NULLS LAST,
                                   c.item_in_session NULLS LAST)
         + (SELECT COALESCE(MAX(songplay_id), 0) FROM sparkify_plays),
       c.user_id, c.session_id, c.item_in_session
FROM sparkify_chosen c
LEFT JOIN sparkify_plays p ON )sql" + same_play("p", "c") + R"sql(
WHERE p.songplay_id IS NULL
)sql",
      "number the new songplays");
  add("DELETE FROM songplays WHERE songplay_id IN (SELECT p.songplay_id FROM sparkify_plays p JOIN sparkify_affected a ON " +
          same_play("a", "p") + ")",
      "merge songplays");
  add(R"sql(
INSERT INTO songplays (songplay_id, start_time, user_id, level, song_id, artist_id, session_id, location,
                       user_agent)
SELECT p.songplay_id,
       TIMESTAMP 'epoch' + (c.ts / 1000) * INTERVAL '1 second' + (c.ts % 1000) * INTERVAL '1 millisecond',
       c.user_id, c.level, c.song_id, c.artist_id, c.session_id, c.location, c.user_agent
FROM sparkify_chosen c
JOIN sparkify_plays p ON )sql" + same_play("p", "c"),
      "merge songplays");
  // time: one row per start time of a play, no more, no fewer.
  add("DELETE FROM time WHERE start_time IN (SELECT t.start_time FROM time t LEFT JOIN songplays s "
      "ON s.start_time = t.start_time WHERE s.start_time IS NULL)",
      "merge time");
  add(replaced(sql::kInsertTime, "FROM (SELECT DISTINCT start_time FROM songplays WHERE start_time IS NOT NULL) t",
               "FROM (SELECT DISTINCT s.start_time FROM songplays s LEFT JOIN time t ON t.start_time = s.start_time\n"
               "      WHERE s.start_time IS NOT NULL AND t.start_time IS NULL) t"),
      "merge time");
  add("DROP TABLE sparkify_affected", "merge songplays");
  add("DROP TABLE sparkify_chosen", "merge songplays");
  return statements;
}

// The ids and keys of the plays a full load numbered (transform_sql.h's
// songplays, from the same staging, in the same order).
constexpr const char* kKeepPlays = R"sql(
INSERT INTO sparkify_plays (songplay_id, user_id, session_id, item_in_session)
SELECT ROW_NUMBER() OVER (ORDER BY ts NULLS LAST, user_id, session_id NULLS LAST, item_in_session NULLS LAST),
       user_id, session_id, item_in_session
FROM (
  SELECT ts, user_id, session_id, item_in_session,
         ROW_NUMBER() OVER (PARTITION BY user_id, session_id, item_in_session
                            ORDER BY ts NULLS LAST, level NULLS LAST, song NULLS LAST,
                                     artist NULLS LAST, length NULLS LAST, location NULLS LAST,
                                     user_agent NULLS LAST) AS copy_rank
  FROM staging_events
  WHERE page = 'NextSong' AND user_id IS NOT NULL
) e
WHERE copy_rank = 1
)sql";

// The ledger rows of `files`, a thousand to a statement.
void record_files(PqConnection& connection, const std::vector<io::FileEntry>& files, const std::string& load_id) {
  constexpr size_t kRowsPerInsert = 1000;
  std::string when = quote_literal(utc_now_text());
  for (size_t start = 0; start < files.size(); start += kRowsPerInsert) {
    std::string sql = "INSERT INTO sparkify_files (source, size, version, load_id, loaded_at) VALUES ";
    for (size_t idx = start; idx < std::min(files.size(), start + kRowsPerInsert); ++idx) {
      const auto& file = files[idx];
      sql += (idx == start ? "(" : ", (") + quote_literal(file.path) + ", " + std::to_string(file.size) + ", " +
             quote_literal(file.version) + ", " + quote_literal(load_id) + ", " + when + ")";
    }
    connection.run(sql, "record the loaded files in sparkify_files");
  }
}

}  // namespace

std::vector<std::string> merge_sql() {
  std::vector<std::string> statements;
  for (const auto& [sql, what] : merge_statements()) statements.push_back(sql);
  return statements;
}

void drop_incremental_tables(PqConnection& connection) {
  connection.run("DROP TABLE IF EXISTS sparkify_files, sparkify_events, sparkify_songs, sparkify_plays",
                 "drop the incremental state");
}

void create_incremental_tables(PqConnection& connection) {
  for (const char* create : kCreateTables) connection.run(create, "create the incremental state");
}

IncrementalPlan plan_incremental(PqConnection& connection, const SourceListing& sources) {
  std::map<std::string, std::pair<std::string, std::string>> loaded;  // source → (size, version)
  for (const auto& row : connection.query("SELECT source, size, version FROM sparkify_files", {},
                                          "read the ledger of loaded files")) {
    loaded[row[0].value_or("")] = {row[1].value_or(""), row[2].value_or("")};
  }
  IncrementalPlan plan;
  if (connection.rehearsal()) {
    // A dry run reads no ledger: it shows the merge of new files.
    plan.mode = IncrementalPlan::Mode::kMerge;
    plan.note = "incremental: the files sparkify_files lacks";
    return plan;
  }
  size_t changed = 0;
  auto take_new = [&](const std::vector<io::FileEntry>& files, std::vector<io::FileEntry>& out) {
    for (const auto& file : files) {
      auto found = loaded.find(file.path);
      if (found == loaded.end()) {
        out.push_back(file);
      } else if (found->second.first != std::to_string(file.size) || found->second.second != file.version) {
        ++changed;
      }
    }
  };
  take_new(sources.songs, plan.songs);
  take_new(sources.events, plan.events);
  if (loaded.empty() || changed > 0) {
    plan.mode = IncrementalPlan::Mode::kRebuild;
    plan.songs = sources.songs;
    plan.events = sources.events;
    plan.note = loaded.empty() ? "incremental: nothing loaded before, so every file is loaded"
                               : "incremental: " + std::to_string(changed) +
                                     " loaded file(s) changed since, so every file is loaded again";
    return plan;
  }
  plan.mode = IncrementalPlan::Mode::kMerge;
  plan.note = "incremental: " + std::to_string(plan.songs.size() + plan.events.size()) + " new files (" +
              std::to_string(plan.songs.size()) + " song, " + std::to_string(plan.events.size()) + " event), " +
              std::to_string(sources.songs.size() + sources.events.size() - plan.songs.size() - plan.events.size()) +
              " loaded before";
  return plan;
}

void apply_incremental(PqConnection& connection, const IncrementalPlan& plan, const std::string& load_id) {
  if (plan.mode == IncrementalPlan::Mode::kRebuild) {
    for (const char* clear : kClear) connection.run(clear, "empty the incremental state");
    connection.run("INSERT INTO sparkify_events SELECT * FROM staging_events", "keep the events");
    connection.run("INSERT INTO sparkify_songs SELECT * FROM staging_songs", "keep the songs");
    connection.run(kKeepPlays, "keep the songplays' keys");
  } else {
    for (const auto& [sql, what] : merge_statements()) connection.run(sql, what);
  }
  if (connection.rehearsal()) {
    connection.run("INSERT INTO sparkify_files (source, size, version, load_id, loaded_at) VALUES "
                   "('<each file loaded>', <its size>, '<its ETag or modification time>', " +
                       quote_literal(load_id) + ", '<now>')",
                   "record the loaded files in sparkify_files");
    return;
  }
  record_files(connection, plan.songs, load_id);
  record_files(connection, plan.events, load_id);
}

void clear_incremental_state(PqConnection& connection) {
  for (const char* clear : kClear) connection.run(clear, "empty the incremental state");
}

}  // namespace sparkify::warehouse
