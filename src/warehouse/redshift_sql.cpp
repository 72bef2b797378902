#include "warehouse/redshift_sql.h"

#include "warehouse/sql_text.h"

#include <stdexcept>

namespace sparkify::warehouse::redshift_sql {
namespace {

// Byte sizes of character columns.
constexpr const char* kText = "VARCHAR(65535)";  // titles, names, places, user agents
constexpr const char* kId = "VARCHAR(256)";      // song_id, artist_id
constexpr const char* kCode = "VARCHAR(256)";    // level, gender, auth, method, page

std::string table(const std::string& name, const std::string& columns, const std::string& attributes) {
  return "CREATE TABLE IF NOT EXISTS " + name + " (\n  " + columns + ")\n" + attributes + " ENCODE AUTO";
}

}  // namespace

std::string create_staging_events() {
  // registration arrives as 1541033612796.0: DOUBLE PRECISION takes it (a
  // BIGINT column refuses the '.'), and holds epoch milliseconds exactly.
  return table("staging_events",
               std::string("artist ") + kText + ", auth " + kCode + ", first_name " + kText + ", gender " + kCode +
                   ", item_in_session INTEGER,\n  last_name " + kText + ", length DOUBLE PRECISION, level " + kCode +
                   ", location " + kText + ", method " + kCode + ",\n  page " + kCode +
                   ", registration DOUBLE PRECISION, session_id INTEGER, song " + kText +
                   ", status INTEGER,\n  ts BIGINT, user_agent " + kText + ", user_id INTEGER",
               "DISTKEY(song)");
}

std::string create_staging_songs() {
  return table("staging_songs",
               std::string("num_songs INTEGER, artist_id ") + kId +
                   ", artist_latitude DOUBLE PRECISION,\n  artist_longitude DOUBLE PRECISION, artist_location " +
                   kText + ", artist_name " + kText + ",\n  song_id " + kId + ", title " + kText +
                   ", duration DOUBLE PRECISION, year INTEGER",
               "DISTKEY(title)");
}

std::string create_songplays() {
  return table("songplays",
               std::string("songplay_id BIGINT NOT NULL PRIMARY KEY, start_time TIMESTAMP, user_id INTEGER NOT NULL,\n"
                           "  level ") +
                   kCode + ", song_id " + kId + ", artist_id " + kId + ", session_id INTEGER, location " + kText +
                   ",\n  user_agent " + kText,
               "DISTKEY(start_time) SORTKEY(start_time)");
}

std::string create_users() {
  return table("users",
               std::string("user_id INTEGER NOT NULL PRIMARY KEY, first_name ") + kText + ", last_name " + kText +
                   ", gender " + kCode + ", level " + kCode,
               "DISTSTYLE ALL SORTKEY(user_id)");
}

std::string create_songs() {
  return table("songs",
               std::string("song_id ") + kId + " NOT NULL PRIMARY KEY, title " + kText + ", artist_id " + kId +
                   ", year INTEGER,\n  duration DOUBLE PRECISION",
               "DISTSTYLE ALL SORTKEY(song_id)");
}

std::string create_artists() {
  return table("artists",
               std::string("artist_id ") + kId + " NOT NULL PRIMARY KEY, name " + kText + ", location " + kText +
                   ", latitude DOUBLE PRECISION,\n  longitude DOUBLE PRECISION",
               "DISTSTYLE ALL SORTKEY(artist_id)");
}

std::string create_time() {
  return table("time",
               "start_time TIMESTAMP NOT NULL PRIMARY KEY, hour INTEGER, day INTEGER, week INTEGER,\n"
               "  month INTEGER, year INTEGER, weekday INTEGER",
               "DISTKEY(start_time) SORTKEY(start_time)");
}

std::string create_loads() {
  return table("sparkify_loads", "load_id VARCHAR(64) NOT NULL PRIMARY KEY, committed_at TIMESTAMP NOT NULL",
               "DISTSTYLE ALL");
}

std::vector<std::string> create_kept_state() {
  return {table("sparkify_kept_plays",
                std::string("songplay_id BIGINT NOT NULL, user_id INTEGER NOT NULL, session_id INTEGER, "
                            "item_in_session INTEGER,\n  ts BIGINT, level ") +
                    kCode + ", song " + kText + ", artist " + kText + ", length DOUBLE PRECISION, location " + kText +
                    ", user_agent " + kText,
                "DISTKEY(user_id) SORTKEY(user_id)"),
          table("sparkify_song_matches",
                std::string("title ") + kText + " NOT NULL, artist_name " + kText +
                    " NOT NULL, duration DOUBLE PRECISION NOT NULL,\n  song_id " + kId + " NOT NULL, artist_id " + kId,
                "DISTSTYLE ALL"),
          table("sparkify_user_days",
                std::string("user_id INTEGER NOT NULL, day INTEGER NOT NULL, ts BIGINT, item_in_session INTEGER, "
                            "session_id INTEGER,\n  level ") +
                    kCode + ", first_name " + kText + ", last_name " + kText + ", gender " + kCode +
                    ", next_songs BIGINT NOT NULL",
                "DISTKEY(user_id) SORTKEY(user_id)")};
}

std::vector<std::string> create_tables() {
  return {create_staging_events(), create_staging_songs(), create_songplays(), create_users(),
          create_songs(),          create_artists(),       create_time(),      create_loads()};
}

const std::vector<std::string>& staging_events_columns() {
  static const std::vector<std::string> columns = {
      "artist", "auth",     "first_name", "gender",     "item_in_session", "last_name",
      "length", "level",    "location",   "method",     "page",            "registration",
      "session_id", "song", "status",     "ts",         "user_agent",      "user_id"};
  return columns;
}

const std::vector<std::string>& staging_songs_columns() {
  static const std::vector<std::string> columns = {"num_songs", "artist_id", "artist_latitude", "artist_longitude",
                                                   "artist_location", "artist_name", "song_id", "title",
                                                   "duration", "year"};
  return columns;
}

const std::vector<std::string>& event_json_keys() {
  static const std::vector<std::string> keys = {
      "artist", "auth",  "firstName", "gender",  "itemInSession", "lastName", "length", "level",     "location",
      "method", "page",  "registration", "sessionId", "song",     "status",   "ts",     "userAgent", "userId"};
  return keys;
}

std::string events_jsonpaths() {
  std::string out = "{\n  \"jsonpaths\": [\n";
  const auto& keys = event_json_keys();
  for (size_t idx = 0; idx < keys.size(); ++idx) {
    out += "    \"$['" + keys[idx] + "']\"";
    out += idx + 1 < keys.size() ? ",\n" : "\n";
  }
  out += "  ]\n}\n";
  return out;
}


std::string copy_from_s3(const std::string& table, const std::string& source, const CopyOptions& options) {
  std::string columns;
  for (const auto& column : table == "staging_events" ? staging_events_columns() : staging_songs_columns()) {
    columns += (columns.empty() ? "" : ", ") + column;
  }
  std::string sql = "COPY " + table + " (" + columns + ")\nFROM " + quote_literal(source) + "\nIAM_ROLE " +
                    quote_literal(options.iam_role) + "\nFORMAT AS " + options.format;
  if (options.manifest) sql += " MANIFEST";
  if (options.gzip) sql += " GZIP";
  if (options.epoch_millis) sql += " TIMEFORMAT 'epochmillisecs'";
  if (options.empty_as_null) sql += " EMPTYASNULL BLANKSASNULL";
  sql += "\nMAXERROR " + std::to_string(options.max_errors) + " COMPUPDATE OFF STATUPDATE OFF";
  if (!options.region.empty()) sql += " REGION " + quote_literal(options.region);
  return sql;
}

std::string unload_parquet(const std::string& select, const std::string& prefix, const std::string& iam_role,
                           const std::vector<std::string>& partition_by) {
  std::string sql = "UNLOAD (" + quote_literal(select) + ")\nTO " + quote_literal(prefix) + "\nIAM_ROLE " +
                    quote_literal(iam_role) + "\nFORMAT AS PARQUET";
  if (!partition_by.empty()) {
    std::string columns;
    for (const auto& column : partition_by) columns += (columns.empty() ? "" : ", ") + column;
    sql += " PARTITION BY (" + columns + ")";
  }
  // The prefix is the run's own staging folder: anything there is an
  // earlier attempt of this same run.
  sql += " ALLOWOVERWRITE";
  return sql;
}

std::string lake_select(const std::string& table) {
  if (table == "songplays") {
    return "SELECT songplay_id, start_time, user_id, level, song_id, artist_id, session_id, location, user_agent, "
           "CAST(EXTRACT(year FROM start_time) AS INTEGER) AS year, "
           "CAST(EXTRACT(month FROM start_time) AS INTEGER) AS month FROM songplays";
  }
  if (table == "users") return "SELECT user_id, first_name, last_name, gender, level FROM users";
  if (table == "songs") return "SELECT song_id, title, duration, year, artist_id FROM songs";
  if (table == "artists") return "SELECT artist_id, name, location, latitude, longitude FROM artists";
  if (table == "time") return "SELECT start_time, hour, day, week, weekday, year, month FROM time";
  throw std::logic_error("no lake layout for table " + table);
}

}  // namespace sparkify::warehouse::redshift_sql
