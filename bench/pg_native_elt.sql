-- The star schema built by PostgreSQL alone ("ELT"): the raw JSON lines are
-- COPYed into jsonb columns, and SQL over them builds the five star tables
-- of schema `native` by the contract (docs/schema.md), the same statements
-- as src/warehouse/transform_sql.h over views that stand in for the staging
-- tables. bench/pg_vs_native_elt.sh times it against `sparkify etl` on the
-- same server and checks that both build the same rows.
--
--   SPARKIFY_NATIVE_SONG_DATA=DIR SPARKIFY_NATIVE_LOG_DATA=DIR \
--     psql -X -q -v ON_ERROR_STOP=1 "$uri" -f bench/pg_native_elt.sql
--
-- Both folders are searched recursively for *.json and *.json.gz, hidden
-- files and folders skipped, as sparkify lists them. Every line of a file
-- is one JSON object (a song file holds one); a pretty-printed song file,
-- which sparkify also takes, is not read here. Blank lines are skipped. Bad
-- JSON or a value of the wrong type fails the run instead of being
-- rejected. Prints the seconds of each step.
\set ON_ERROR_STOP on
SET client_min_messages = warning;

-- The tables, once; the star tables have sparkify's definitions
-- (src/warehouse/postgres_sql.h: text COLLATE "C", the same keys).
CREATE SCHEMA IF NOT EXISTS native;
CREATE UNLOGGED TABLE IF NOT EXISTS native.raw_songs (doc jsonb);
CREATE UNLOGGED TABLE IF NOT EXISTS native.raw_events (doc jsonb);
CREATE TABLE IF NOT EXISTS native.songplays (
  songplay_id BIGINT PRIMARY KEY, start_time TIMESTAMP, user_id INTEGER NOT NULL,
  level TEXT COLLATE "C", song_id TEXT COLLATE "C", artist_id TEXT COLLATE "C", session_id INTEGER, location TEXT COLLATE "C",
  user_agent TEXT COLLATE "C");
CREATE TABLE IF NOT EXISTS native.users (
  user_id INTEGER PRIMARY KEY, first_name TEXT COLLATE "C", last_name TEXT COLLATE "C", gender TEXT COLLATE "C", level TEXT COLLATE "C");
CREATE TABLE IF NOT EXISTS native.songs (
  song_id TEXT COLLATE "C" PRIMARY KEY, title TEXT COLLATE "C", artist_id TEXT COLLATE "C", year INTEGER,
  duration DOUBLE PRECISION);
CREATE TABLE IF NOT EXISTS native.artists (
  artist_id TEXT COLLATE "C" PRIMARY KEY, name TEXT COLLATE "C", location TEXT COLLATE "C", latitude DOUBLE PRECISION,
  longitude DOUBLE PRECISION);
CREATE TABLE IF NOT EXISTS native.time (
  start_time TIMESTAMP PRIMARY KEY, hour INTEGER, day INTEGER, week INTEGER,
  month INTEGER, year INTEGER, weekday INTEGER);

-- The staging tables' columns over the raw documents, as sparkify's reader
-- takes each key (src/json/readers.cpp): "" and null are NULL (EMPTYASNULL);
-- userId is a string of digits, "" or an integer; ts epoch milliseconds;
-- registration rounded to the millisecond. A number's text goes through
-- float8in, which rounds it correctly, as the reader's parser does, so
-- `duration = length` compares the same doubles.
CREATE OR REPLACE VIEW native.staging_songs AS
SELECT (doc ->> 'num_songs')::integer AS num_songs,
       NULLIF(doc ->> 'artist_id', '') COLLATE "C" AS artist_id,
       (doc ->> 'artist_latitude')::double precision AS artist_latitude,
       (doc ->> 'artist_longitude')::double precision AS artist_longitude,
       NULLIF(doc ->> 'artist_location', '') COLLATE "C" AS artist_location,
       NULLIF(doc ->> 'artist_name', '') COLLATE "C" AS artist_name,
       NULLIF(doc ->> 'song_id', '') COLLATE "C" AS song_id,
       NULLIF(doc ->> 'title', '') COLLATE "C" AS title,
       (doc ->> 'duration')::double precision AS duration,
       (doc ->> 'year')::integer AS year
FROM native.raw_songs
WHERE doc IS NOT NULL;

CREATE OR REPLACE VIEW native.staging_events AS
SELECT NULLIF(doc ->> 'artist', '') COLLATE "C" AS artist,
       NULLIF(doc ->> 'auth', '') COLLATE "C" AS auth,
       NULLIF(doc ->> 'firstName', '') COLLATE "C" AS first_name,
       NULLIF(doc ->> 'gender', '') COLLATE "C" AS gender,
       (doc ->> 'itemInSession')::integer AS item_in_session,
       NULLIF(doc ->> 'lastName', '') COLLATE "C" AS last_name,
       (doc ->> 'length')::double precision AS length,
       NULLIF(doc ->> 'level', '') COLLATE "C" AS level,
       NULLIF(doc ->> 'location', '') COLLATE "C" AS location,
       NULLIF(doc ->> 'method', '') COLLATE "C" AS method,
       NULLIF(doc ->> 'page', '') COLLATE "C" AS page,
       round((doc ->> 'registration')::numeric)::bigint AS registration,
       (doc ->> 'sessionId')::integer AS session_id,
       NULLIF(doc ->> 'song', '') COLLATE "C" AS song,
       (doc ->> 'status')::integer AS status,
       (doc ->> 'ts')::bigint AS ts,
       NULLIF(doc ->> 'userAgent', '') COLLATE "C" AS user_agent,
       NULLIF(doc ->> 'userId', '')::integer AS user_id
FROM native.raw_events
WHERE doc IS NOT NULL;

SELECT extract(epoch FROM clock_timestamp()) AS t_setup \gset

-- 1. Load: every line as it is, into a jsonb column. CSV with a quote and a
-- delimiter that JSON text never holds raw keeps every backslash; awk ends
-- every file's last line; gzipped files are inflated one by one, each
-- followed by a newline (a blank line, if it had one, is skipped above).
-- The folders come from the environment: \copy takes its line verbatim.
TRUNCATE native.raw_songs, native.raw_events;
\copy native.raw_songs (doc) FROM PROGRAM 'find "$SPARKIFY_NATIVE_SONG_DATA" -mindepth 1 -name ".*" -prune -o -type f -name "*.json" -print0 | xargs -0 -r awk 1 && find "$SPARKIFY_NATIVE_SONG_DATA" -mindepth 1 -name ".*" -prune -o -type f -name "*.json.gz" -exec gzip -dc {} ";" -exec echo ";"' WITH (FORMAT csv, QUOTE e'\x01', DELIMITER e'\x02')
SELECT extract(epoch FROM clock_timestamp()) AS t_songs \gset
\copy native.raw_events (doc) FROM PROGRAM 'find "$SPARKIFY_NATIVE_LOG_DATA" -mindepth 1 -name ".*" -prune -o -type f -name "*.json" -print0 | xargs -0 -r awk 1 && find "$SPARKIFY_NATIVE_LOG_DATA" -mindepth 1 -name ".*" -prune -o -type f -name "*.json.gz" -exec gzip -dc {} ";" -exec echo ";"' WITH (FORMAT csv, QUOTE e'\x01', DELIMITER e'\x02')
SELECT extract(epoch FROM clock_timestamp()) AS t_events \gset

-- 2. Transform, in one transaction: src/warehouse/transform_sql.h with the
-- staging tables replaced by the views above.
-- The planner sees no statistics of expressions over jsonb and guesses a
-- few hundred NextSong events, for which it nests the song match in a loop
-- over every song (hours at a million events); hash and merge joins only.
BEGIN;
SET LOCAL enable_nestloop = off;
TRUNCATE native.songplays, native.users, native.songs, native.artists, native.time;

INSERT INTO native.songplays (songplay_id, start_time, user_id, level, song_id, artist_id,
                              session_id, location, user_agent)
SELECT ROW_NUMBER() OVER (ORDER BY e.ts NULLS LAST, e.user_id, e.session_id NULLS LAST,
                                   e.item_in_session NULLS LAST)
         + (SELECT COALESCE(MAX(songplay_id), 0) FROM native.songplays),
       TIMESTAMP 'epoch' + (e.ts / 1000) * INTERVAL '1 second'
                         + (e.ts % 1000) * INTERVAL '1 millisecond',
       e.user_id, e.level, m.song_id, m.artist_id, e.session_id, e.location, e.user_agent
FROM (
  SELECT ts, user_id, level, session_id, item_in_session, location, user_agent, song, artist, length,
         ROW_NUMBER() OVER (PARTITION BY user_id, session_id, item_in_session
                            ORDER BY ts NULLS LAST, level NULLS LAST, song NULLS LAST,
                                     artist NULLS LAST, length NULLS LAST, location NULLS LAST,
                                     user_agent NULLS LAST) AS copy_rank
  FROM native.staging_events
  WHERE page = 'NextSong' AND user_id IS NOT NULL
) e
LEFT JOIN (
  SELECT title, artist_name, duration, song_id, artist_id,
         ROW_NUMBER() OVER (PARTITION BY title, artist_name, duration
                            ORDER BY song_id, artist_id NULLS LAST) AS match_rank
  FROM native.staging_songs
  WHERE song_id IS NOT NULL
) m
  ON m.title = e.song AND m.artist_name = e.artist AND m.duration = e.length AND m.match_rank = 1
WHERE e.copy_rank = 1;

INSERT INTO native.users (user_id, first_name, last_name, gender, level)
SELECT user_id, first_name, last_name, gender, level
FROM (
  SELECT user_id, first_name, last_name, gender, level,
         ROW_NUMBER() OVER (PARTITION BY user_id
                            ORDER BY ts DESC NULLS LAST, item_in_session DESC NULLS LAST,
                                     session_id DESC NULLS LAST, level NULLS LAST,
                                     first_name NULLS LAST, last_name NULLS LAST,
                                     gender NULLS LAST) AS recency
  FROM native.staging_events
  WHERE user_id IS NOT NULL
) latest
WHERE recency = 1;

INSERT INTO native.songs (song_id, title, artist_id, year, duration)
SELECT song_id, title, artist_id, year, duration
FROM (
  SELECT song_id, title, artist_id, year, duration,
         ROW_NUMBER() OVER (PARTITION BY song_id
                            ORDER BY title NULLS LAST, artist_id NULLS LAST,
                                     duration NULLS LAST, year NULLS LAST) AS pick
  FROM native.staging_songs
  WHERE song_id IS NOT NULL
) s
WHERE pick = 1;

INSERT INTO native.artists (artist_id, name, location, latitude, longitude)
SELECT artist_id, artist_name, artist_location, artist_latitude, artist_longitude
FROM (
  SELECT artist_id, artist_name, artist_location, artist_latitude, artist_longitude,
         ROW_NUMBER() OVER (PARTITION BY artist_id
                            ORDER BY song_id NULLS LAST, artist_name NULLS LAST,
                                     artist_location NULLS LAST, artist_latitude NULLS LAST,
                                     artist_longitude NULLS LAST) AS pick
  FROM native.staging_songs
  WHERE artist_id IS NOT NULL
) a
WHERE pick = 1;

INSERT INTO native.time (start_time, hour, day, week, month, year, weekday)
SELECT start_time,
       EXTRACT(hour FROM start_time), EXTRACT(day FROM start_time),
       EXTRACT(week FROM start_time), EXTRACT(month FROM start_time),
       EXTRACT(year FROM start_time), EXTRACT(dow FROM start_time)
FROM (SELECT DISTINCT start_time FROM native.songplays WHERE start_time IS NOT NULL) t;

COMMIT;
SELECT extract(epoch FROM clock_timestamp()) AS t_end \gset

SELECT format('load songs %s s, load events %s s, transform %s s',
              round((:t_songs - :t_setup)::numeric, 2), round((:t_events - :t_songs)::numeric, 2),
              round((:t_end - :t_events)::numeric, 2)) AS steps;
