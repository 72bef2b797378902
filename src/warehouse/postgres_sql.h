// PostgreSQL's own statements: table definitions and how staging is filled
// and emptied. (Redshift has its own, redshift_sql.h: VARCHAR widths,
// DISTKEY and SORTKEY, DELETE instead of TRUNCATE, which commits there.)
#pragma once

namespace sparkify::warehouse::postgres_sql {

// Text columns are TEXT COLLATE "C": ORDER BY then compares bytes, as
// Redshift and the in-process builder do, whatever the database's default
// collation, so every engine picks the same row on a tie.

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
    "artist_location, artist_name, song_id, title, duration, year) FROM STDIN";
inline constexpr const char* kCopyEvents =
    "COPY staging_events (artist, auth, first_name, gender, item_in_session, last_name, length, "
    "level, location, method, page, registration, session_id, song, status, ts, user_agent, "
    "user_id) FROM STDIN";

}  // namespace sparkify::warehouse::postgres_sql
