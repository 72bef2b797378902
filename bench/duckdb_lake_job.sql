-- The lake job done by DuckDB in SQL, as a data engineer would script it:
-- read_json of both sources -> the five tables -> partitioned Parquet.
-- Same contract as sparkify (docs/schema.md). {SONGS}, {LOGS}, {OUT} are
-- filled in by bench/duckdb_lake_job.mjs.
SET preserve_insertion_order = false;

CREATE TABLE staging_songs AS
SELECT num_songs, NULLIF(artist_id, '') AS artist_id, artist_latitude, artist_longitude,
       NULLIF(artist_location, '') AS artist_location, NULLIF(artist_name, '') AS artist_name,
       NULLIF(song_id, '') AS song_id, NULLIF(title, '') AS title, duration, year
FROM read_json('{SONGS}/**/*.json', format = 'newline_delimited',
               columns = {num_songs: 'INTEGER', artist_id: 'VARCHAR', artist_latitude: 'DOUBLE',
                          artist_longitude: 'DOUBLE', artist_location: 'VARCHAR', artist_name: 'VARCHAR',
                          song_id: 'VARCHAR', title: 'VARCHAR', duration: 'DOUBLE', year: 'INTEGER'});

CREATE TABLE staging_events AS
SELECT NULLIF(artist, '') AS artist, NULLIF(firstName, '') AS first_name, NULLIF(gender, '') AS gender,
       itemInSession AS item_in_session, NULLIF(lastName, '') AS last_name, length,
       NULLIF(level, '') AS level, NULLIF(location, '') AS location, NULLIF(page, '') AS page,
       sessionId AS session_id, NULLIF(song, '') AS song, ts, NULLIF(userAgent, '') AS user_agent,
       CAST(NULLIF(userId, '') AS INTEGER) AS user_id
FROM read_json('{LOGS}/**/*.json', format = 'newline_delimited',
               columns = {artist: 'VARCHAR', auth: 'VARCHAR', firstName: 'VARCHAR', gender: 'VARCHAR',
                          itemInSession: 'INTEGER', lastName: 'VARCHAR', length: 'DOUBLE', level: 'VARCHAR',
                          location: 'VARCHAR', method: 'VARCHAR', page: 'VARCHAR', registration: 'DOUBLE',
                          sessionId: 'INTEGER', song: 'VARCHAR', status: 'INTEGER', ts: 'BIGINT',
                          userAgent: 'VARCHAR', userId: 'VARCHAR'});

CREATE TABLE songplays AS
WITH plays AS (
  SELECT *, ROW_NUMBER() OVER (PARTITION BY user_id, session_id, item_in_session
                               ORDER BY ts, level, song, artist, length, location, user_agent) AS copy_rank
  FROM staging_events WHERE page = 'NextSong' AND user_id IS NOT NULL),
matches AS (
  SELECT title, artist_name, duration, song_id, artist_id,
         ROW_NUMBER() OVER (PARTITION BY title, artist_name, duration ORDER BY song_id, artist_id) AS match_rank
  FROM staging_songs WHERE song_id IS NOT NULL)
SELECT ROW_NUMBER() OVER (ORDER BY p.ts, p.user_id, p.session_id, p.item_in_session) AS songplay_id,
       make_timestamp(p.ts * 1000) AS start_time, p.user_id, p.level, m.song_id, m.artist_id, p.session_id,
       p.location, p.user_agent
FROM plays p
LEFT JOIN matches m
  ON m.title = p.song AND m.artist_name = p.artist AND m.duration = p.length AND m.match_rank = 1
WHERE p.copy_rank = 1;

COPY (SELECT *, year(start_time) AS year, month(start_time) AS month FROM songplays)
  TO '{OUT}/songplays' (FORMAT parquet, PARTITION_BY (year, month));

COPY (SELECT user_id, first_name, last_name, gender, level FROM (
        SELECT *, ROW_NUMBER() OVER (PARTITION BY user_id
                                     ORDER BY ts DESC, item_in_session DESC, session_id DESC) AS recency
        FROM staging_events WHERE user_id IS NOT NULL) WHERE recency = 1)
  TO '{OUT}/users/part-00000.parquet' (FORMAT parquet);

COPY (SELECT song_id, title, duration, year, artist_id FROM (
        SELECT *, ROW_NUMBER() OVER (PARTITION BY song_id ORDER BY title, artist_id, duration, year) AS pick
        FROM staging_songs WHERE song_id IS NOT NULL) WHERE pick = 1)
  TO '{OUT}/songs' (FORMAT parquet, PARTITION_BY (year, artist_id));

COPY (SELECT artist_id, artist_name AS name, artist_location AS location, artist_latitude AS latitude,
             artist_longitude AS longitude FROM (
        SELECT *, ROW_NUMBER() OVER (PARTITION BY artist_id ORDER BY song_id) AS pick
        FROM staging_songs WHERE artist_id IS NOT NULL) WHERE pick = 1)
  TO '{OUT}/artists/part-00000.parquet' (FORMAT parquet);

COPY (SELECT start_time, hour(start_time) AS hour, day(start_time) AS day, week(start_time) AS week,
             dayofweek(start_time) AS weekday, year(start_time) AS year, month(start_time) AS month
      FROM (SELECT DISTINCT start_time FROM songplays WHERE start_time IS NOT NULL))
  TO '{OUT}/time' (FORMAT parquet, PARTITION_BY (year, month));
