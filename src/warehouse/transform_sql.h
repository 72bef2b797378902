// The SQL that turns staging into the star schema, one statement per
// constant, in the subset PostgreSQL and Amazon Redshift share: no ON
// CONFLICT, DISTINCT ON, SERIAL or generated columns; ROW_NUMBER() picks one
// row per key. Every ORDER BY is total (NULLS LAST spelled out) so that both
// engines, and the in-process builder, pick the same row (docs/schema.md).
#pragma once

namespace sparkify::warehouse::sql {

// A full load rebuilds the star tables; songplay_id continues after the
// largest id left in the table (none after the delete), which is the seam
// for incremental loads.
inline constexpr const char* kStarTables[] = {"songplays", "users", "songs", "artists", "time"};

// start_time: integer arithmetic keeps the milliseconds exactly on both
// engines (ts / 1000.0 would go through floating point).
inline constexpr const char* kInsertSongplays = R"sql(
INSERT INTO songplays (songplay_id, start_time, user_id, level, song_id, artist_id,
                       session_id, location, user_agent)
SELECT ROW_NUMBER() OVER (ORDER BY e.ts NULLS LAST, e.user_id, e.session_id NULLS LAST,
                                   e.item_in_session NULLS LAST)
         + (SELECT COALESCE(MAX(songplay_id), 0) FROM songplays),
       TIMESTAMP 'epoch' + (e.ts / 1000) * INTERVAL '1 second'
                         + (e.ts % 1000) * INTERVAL '1 millisecond',
       e.user_id, e.level, m.song_id, m.artist_id, e.session_id, e.location, e.user_agent
FROM (
  SELECT ts, user_id, level, session_id, item_in_session, location, user_agent, song, artist, length,
         ROW_NUMBER() OVER (PARTITION BY user_id, session_id, item_in_session
                            ORDER BY ts NULLS LAST, level NULLS LAST, song NULLS LAST,
                                     artist NULLS LAST, length NULLS LAST, location NULLS LAST,
                                     user_agent NULLS LAST) AS copy_rank
  FROM staging_events
  WHERE page = 'NextSong' AND user_id IS NOT NULL
) e
LEFT JOIN (
  SELECT title, artist_name, duration, song_id, artist_id,
         ROW_NUMBER() OVER (PARTITION BY title, artist_name, duration
                            ORDER BY song_id, artist_id NULLS LAST) AS match_rank
  FROM staging_songs
  WHERE song_id IS NOT NULL
) m
  ON m.title = e.song AND m.artist_name = e.artist AND m.duration = e.length AND m.match_rank = 1
WHERE e.copy_rank = 1
)sql";

inline constexpr const char* kInsertUsers = R"sql(
INSERT INTO users (user_id, first_name, last_name, gender, level)
SELECT user_id, first_name, last_name, gender, level
FROM (
  SELECT user_id, first_name, last_name, gender, level,
         ROW_NUMBER() OVER (PARTITION BY user_id
                            ORDER BY ts DESC NULLS LAST, item_in_session DESC NULLS LAST,
                                     session_id DESC NULLS LAST, level NULLS LAST,
                                     first_name NULLS LAST, last_name NULLS LAST,
                                     gender NULLS LAST) AS recency
  FROM staging_events
  WHERE user_id IS NOT NULL
) latest
WHERE recency = 1
)sql";

inline constexpr const char* kInsertSongs = R"sql(
INSERT INTO songs (song_id, title, artist_id, year, duration)
SELECT song_id, title, artist_id, year, duration
FROM (
  SELECT song_id, title, artist_id, year, duration,
         ROW_NUMBER() OVER (PARTITION BY song_id
                            ORDER BY title NULLS LAST, artist_id NULLS LAST,
                                     duration NULLS LAST, year NULLS LAST) AS pick
  FROM staging_songs
  WHERE song_id IS NOT NULL
) s
WHERE pick = 1
)sql";

inline constexpr const char* kInsertArtists = R"sql(
INSERT INTO artists (artist_id, name, location, latitude, longitude)
SELECT artist_id, artist_name, artist_location, artist_latitude, artist_longitude
FROM (
  SELECT artist_id, artist_name, artist_location, artist_latitude, artist_longitude,
         ROW_NUMBER() OVER (PARTITION BY artist_id
                            ORDER BY song_id NULLS LAST, artist_name NULLS LAST,
                                     artist_location NULLS LAST, artist_latitude NULLS LAST,
                                     artist_longitude NULLS LAST) AS pick
  FROM staging_songs
  WHERE artist_id IS NOT NULL
) a
WHERE pick = 1
)sql";

inline constexpr const char* kInsertTime = R"sql(
INSERT INTO time (start_time, hour, day, week, month, year, weekday)
SELECT start_time,
       EXTRACT(hour FROM start_time), EXTRACT(day FROM start_time),
       EXTRACT(week FROM start_time), EXTRACT(month FROM start_time),
       EXTRACT(year FROM start_time), EXTRACT(dow FROM start_time)
FROM (SELECT DISTINCT start_time FROM songplays WHERE start_time IS NOT NULL) t
)sql";

}  // namespace sparkify::warehouse::sql
