// PostgreSQL's own statements: table definitions and how staging is filled
// and emptied. (Redshift has its own, redshift_sql.h: VARCHAR widths,
// DISTKEY and SORTKEY, DELETE instead of TRUNCATE, which commits there.)
#pragma once

namespace sparkify::warehouse::postgres_sql {

// Text columns are TEXT COLLATE "C": ORDER BY then compares bytes, as
// Redshift and the in-process builder do, whatever the database's default
// collation, so every engine picks the same row on a tie.

// The staging tables are logged like the others, although every load
// refills them: `sparkify check` reads staging_events after a full load
// (the NextSong events it counts plays against), also on a replica and
// after a crash, where an UNLOGGED table is unreadable or empty.
inline constexpr const char* kCreateStagingEvents = R"sql(
CREATE TABLE IF NOT EXISTS staging_events (
  artist TEXT COLLATE "C", auth TEXT COLLATE "C", first_name TEXT COLLATE "C", gender TEXT COLLATE "C", item_in_session INTEGER,
  last_name TEXT COLLATE "C", length DOUBLE PRECISION, level TEXT COLLATE "C", location TEXT COLLATE "C", method TEXT COLLATE "C",
  page TEXT COLLATE "C", registration BIGINT, session_id INTEGER, song TEXT COLLATE "C", status INTEGER,
  ts BIGINT, user_agent TEXT COLLATE "C", user_id INTEGER)
)sql";

inline constexpr const char* kCreateStagingSongs = R"sql(
CREATE TABLE IF NOT EXISTS staging_songs (
  num_songs INTEGER, artist_id TEXT COLLATE "C", artist_latitude DOUBLE PRECISION,
  artist_longitude DOUBLE PRECISION, artist_location TEXT COLLATE "C", artist_name TEXT COLLATE "C",
  song_id TEXT COLLATE "C", title TEXT COLLATE "C", duration DOUBLE PRECISION, year INTEGER)
)sql";

inline constexpr const char* kCreateSongplays = R"sql(
CREATE TABLE IF NOT EXISTS songplays (
  songplay_id BIGINT PRIMARY KEY, start_time TIMESTAMP, user_id INTEGER NOT NULL,
  level TEXT COLLATE "C", song_id TEXT COLLATE "C", artist_id TEXT COLLATE "C", session_id INTEGER, location TEXT COLLATE "C",
  user_agent TEXT COLLATE "C")
)sql";

inline constexpr const char* kCreateUsers = R"sql(
CREATE TABLE IF NOT EXISTS users (
  user_id INTEGER PRIMARY KEY, first_name TEXT COLLATE "C", last_name TEXT COLLATE "C", gender TEXT COLLATE "C", level TEXT COLLATE "C")
)sql";

inline constexpr const char* kCreateSongs = R"sql(
CREATE TABLE IF NOT EXISTS songs (
  song_id TEXT COLLATE "C" PRIMARY KEY, title TEXT COLLATE "C", artist_id TEXT COLLATE "C", year INTEGER,
  duration DOUBLE PRECISION)
)sql";

inline constexpr const char* kCreateArtists = R"sql(
CREATE TABLE IF NOT EXISTS artists (
  artist_id TEXT COLLATE "C" PRIMARY KEY, name TEXT COLLATE "C", location TEXT COLLATE "C", latitude DOUBLE PRECISION,
  longitude DOUBLE PRECISION)
)sql";

inline constexpr const char* kCreateTime = R"sql(
CREATE TABLE IF NOT EXISTS time (
  start_time TIMESTAMP PRIMARY KEY, hour INTEGER, day INTEGER, week INTEGER,
  month INTEGER, year INTEGER, weekday INTEGER)
)sql";

// The ledger of committed loads: a row is inserted in each load's own
// transaction, so it exists exactly when that load committed. A lake whose
// commit was interrupted asks it whether to complete or undo (the lake and
// the warehouse change together or not at all). create-tables keeps it.
inline constexpr const char* kCreateLoads = R"sql(
CREATE TABLE IF NOT EXISTS sparkify_loads (
  load_id VARCHAR(64) PRIMARY KEY, committed_at TIMESTAMP NOT NULL)
)sql";
inline constexpr const char* kRecordLoad =
    "INSERT INTO sparkify_loads (load_id, committed_at) VALUES ($1, CURRENT_TIMESTAMP)";
inline constexpr const char* kFindLoad = "SELECT 1 FROM sparkify_loads WHERE load_id = $1";
// A read-only look at the tables: every query after it sees one snapshot.
inline constexpr const char* kBeginSnapshot = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY";

// The kept state of incremental loads (incremental.h). A day's merge
// looks up the plays and user-days of its keys (and the ledger its event
// files) by these indexes instead of reading every kept row; each index is
// one more write per new row, so there are no others (a backfill's window
// reads the kept rows whole). Text is never a B-tree key here but for the
// ledger's kind: a title longer than a B-tree entry (2.7 kB) would fail
// the load.
inline constexpr const char* kCreateKeptState[] = {
    R"sql(
CREATE TABLE IF NOT EXISTS sparkify_kept_plays (
  songplay_id BIGINT NOT NULL, user_id INTEGER NOT NULL, session_id INTEGER, item_in_session INTEGER,
  ts BIGINT, level TEXT COLLATE "C", song TEXT COLLATE "C", artist TEXT COLLATE "C", length DOUBLE PRECISION,
  location TEXT COLLATE "C", user_agent TEXT COLLATE "C")
)sql",
    "CREATE UNIQUE INDEX IF NOT EXISTS sparkify_kept_plays_key ON sparkify_kept_plays "
    "(user_id, COALESCE(session_id, -2147483648), COALESCE(item_in_session, -2147483648))",
    "CREATE INDEX IF NOT EXISTS sparkify_files_kind ON sparkify_files (kind)",
    R"sql(
CREATE TABLE IF NOT EXISTS sparkify_song_matches (
  title TEXT COLLATE "C" NOT NULL, artist_name TEXT COLLATE "C" NOT NULL, duration DOUBLE PRECISION NOT NULL,
  song_id TEXT COLLATE "C" NOT NULL, artist_id TEXT COLLATE "C")
)sql",
    R"sql(
CREATE TABLE IF NOT EXISTS sparkify_user_days (
  user_id INTEGER NOT NULL, day INTEGER NOT NULL, ts BIGINT, item_in_session INTEGER, session_id INTEGER,
  level TEXT COLLATE "C", first_name TEXT COLLATE "C", last_name TEXT COLLATE "C", gender TEXT COLLATE "C",
  next_songs BIGINT NOT NULL, PRIMARY KEY (user_id, day))
)sql",
};

// A merge looks up a day's keys among a month of kept rows: a few
// thousand index probes against a scan of the whole table. The default
// cost of a probe (random_page_cost 4, pages read from a disk) puts the
// two so close that the plan flips between runs, and the scan is ten
// times slower; the kept state is read often and cached, as on any server
// with SSDs, whose usual setting this is. For the load's transaction only.
inline constexpr const char* kMergePlannerCosts = "SET LOCAL random_page_cost = 1.1";

inline constexpr const char* kCreateTables[] = {kCreateStagingEvents, kCreateStagingSongs, kCreateSongplays,
                                                kCreateUsers,         kCreateSongs,        kCreateArtists,
                                                kCreateTime,          kCreateLoads};

inline constexpr const char* kDropTables =
    "DROP TABLE IF EXISTS staging_events, staging_songs, songplays, users, songs, artists, time";

// TRUNCATE is transactional in PostgreSQL and far cheaper than DELETE.
inline constexpr const char* kEmptyStaging = "TRUNCATE staging_events, staging_songs";
inline constexpr const char* kEmptyStar = "TRUNCATE songplays, users, songs, artists, time";

inline constexpr const char* kCopySongs =
    "COPY staging_songs (num_songs, artist_id, artist_latitude, artist_longitude, "
    "artist_location, artist_name, song_id, title, duration, year) FROM STDIN (FORMAT binary)";
inline constexpr const char* kCopyEvents =
    "COPY staging_events (artist, auth, first_name, gender, item_in_session, last_name, length, "
    "level, location, method, page, registration, session_id, song, status, ts, user_agent, "
    "user_id) FROM STDIN (FORMAT binary)";

// The star tables as the tool built them (load_star()). FREEZE: the rows
// are written as already visible to every later transaction (the tables
// were emptied by TRUNCATE in this one), so the first reads after the load
// do not rewrite every page to mark it so.
inline constexpr const char* kCopyStarSongplays =
    "COPY songplays (songplay_id, start_time, user_id, level, song_id, artist_id, session_id, location, "
    "user_agent) FROM STDIN (FORMAT binary, FREEZE)";
inline constexpr const char* kCopyStarUsers =
    "COPY users (user_id, first_name, last_name, gender, level) FROM STDIN (FORMAT binary, FREEZE)";
inline constexpr const char* kCopyStarSongs =
    "COPY songs (song_id, title, artist_id, year, duration) FROM STDIN (FORMAT binary, FREEZE)";
inline constexpr const char* kCopyStarArtists =
    "COPY artists (artist_id, name, location, latitude, longitude) FROM STDIN (FORMAT binary, FREEZE)";
inline constexpr const char* kCopyStarTime =
    "COPY time (start_time, hour, day, week, month, year, weekday) FROM STDIN (FORMAT binary, FREEZE)";

}  // namespace sparkify::warehouse::postgres_sql
