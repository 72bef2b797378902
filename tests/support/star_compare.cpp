#include "support/star_compare.h"

#include <libpq-fe.h>

#include <sstream>
#include <stdexcept>

namespace sparkify::testing {
namespace {

template <typename T>
std::string show(const std::optional<T>& value) {
  if (!value) return "NULL";
  std::ostringstream out;
  out.precision(17);
  out << *value;
  return out.str();
}

std::string row_text(const model::SongplayRow& r) {
  return show(std::optional<int64_t>(r.songplay_id)) + "|" + show(r.start_time_ms) + "|" + std::to_string(r.user_id) +
         "|" + show(r.level) + "|" + show(r.song_id) + "|" + show(r.artist_id) + "|" + show(r.session_id) + "|" +
         show(r.location) + "|" + show(r.user_agent);
}
std::string row_text(const model::UserRow& r) {
  return std::to_string(r.user_id) + "|" + show(r.first_name) + "|" + show(r.last_name) + "|" + show(r.gender) + "|" +
         show(r.level);
}
std::string row_text(const model::SongRow& r) {
  return r.song_id + "|" + show(r.title) + "|" + show(r.artist_id) + "|" + show(r.year) + "|" + show(r.duration);
}
std::string row_text(const model::ArtistRow& r) {
  return r.artist_id + "|" + show(r.name) + "|" + show(r.location) + "|" + show(r.latitude) + "|" +
         show(r.longitude);
}
std::string row_text(const model::TimeRow& r) {
  return std::to_string(r.start_time_ms) + "|" + std::to_string(r.hour) + "|" + std::to_string(r.day) + "|" +
         std::to_string(r.week) + "|" + std::to_string(r.month) + "|" + std::to_string(r.year) + "|" +
         std::to_string(r.weekday);
}

template <typename Row>
std::string compare_table(const char* table, const std::vector<Row>& expected, const std::vector<Row>& actual) {
  size_t common = std::min(expected.size(), actual.size());
  for (size_t idx = 0; idx < common; ++idx) {
    std::string want = row_text(expected[idx]);
    std::string got = row_text(actual[idx]);
    if (want != got) {
      return std::string(table) + " row " + std::to_string(idx) + ":\n  expected " + want + "\n  actual   " + got;
    }
  }
  if (expected.size() != actual.size()) {
    return std::string(table) + ": expected " + std::to_string(expected.size()) + " rows, got " +
           std::to_string(actual.size());
  }
  return {};
}

struct Conn {
  explicit Conn(const std::string& conninfo) : conn(PQconnectdb(conninfo.c_str())) {
    if (PQstatus(conn) != CONNECTION_OK) throw std::runtime_error(PQerrorMessage(conn));
  }
  ~Conn() { PQfinish(conn); }
  PGresult* query(const std::string& sql) {
    PGresult* result = PQexec(conn, sql.c_str());
    if (PQresultStatus(result) != PGRES_TUPLES_OK && PQresultStatus(result) != PGRES_COMMAND_OK) {
      std::string message = PQresultErrorMessage(result);
      PQclear(result);
      throw std::runtime_error(sql + ": " + message);
    }
    return result;
  }
  PGconn* conn;
};

std::optional<std::string> text_at(PGresult* result, int row, int column) {
  if (PQgetisnull(result, row, column)) return std::nullopt;
  return std::string(PQgetvalue(result, row, column));
}
std::optional<int32_t> int_at(PGresult* result, int row, int column) {
  if (PQgetisnull(result, row, column)) return std::nullopt;
  return std::stoi(PQgetvalue(result, row, column));
}
std::optional<int64_t> bigint_at(PGresult* result, int row, int column) {
  if (PQgetisnull(result, row, column)) return std::nullopt;
  return std::stoll(PQgetvalue(result, row, column));
}
std::optional<double> double_at(PGresult* result, int row, int column) {
  if (PQgetisnull(result, row, column)) return std::nullopt;
  return std::stod(PQgetvalue(result, row, column));
}

}  // namespace

std::string first_difference(const model::StarSchema& expected, const model::StarSchema& actual) {
  for (std::string diff : {compare_table("songplays", expected.songplays, actual.songplays),
                           compare_table("users", expected.users, actual.users),
                           compare_table("songs", expected.songs, actual.songs),
                           compare_table("artists", expected.artists, actual.artists),
                           compare_table("time", expected.time, actual.time)}) {
    if (!diff.empty()) return diff;
  }
  return {};
}

model::StarSchema read_star_from_postgres(const std::string& conninfo) {
  Conn conn(conninfo);
  // extra_float_digits = 3: doubles print exactly (PostgreSQL 12+ default is
  // shortest-exact already; this keeps older servers honest).
  PQclear(conn.query("SET extra_float_digits = 3"));
  model::StarSchema star;
  PGresult* r = conn.query(
      "SELECT songplay_id, (EXTRACT(epoch FROM start_time) * 1000)::bigint, user_id, level, song_id, artist_id, "
      "session_id, location, user_agent FROM songplays ORDER BY songplay_id");
  for (int row = 0; row < PQntuples(r); ++row) {
    model::SongplayRow play;
    play.songplay_id = *bigint_at(r, row, 0);
    play.start_time_ms = bigint_at(r, row, 1);
    play.user_id = *int_at(r, row, 2);
    play.level = text_at(r, row, 3);
    play.song_id = text_at(r, row, 4);
    play.artist_id = text_at(r, row, 5);
    play.session_id = int_at(r, row, 6);
    play.location = text_at(r, row, 7);
    play.user_agent = text_at(r, row, 8);
    star.songplays.push_back(std::move(play));
  }
  PQclear(r);
  r = conn.query("SELECT user_id, first_name, last_name, gender, level FROM users ORDER BY user_id");
  for (int row = 0; row < PQntuples(r); ++row) {
    star.users.push_back({*int_at(r, row, 0), text_at(r, row, 1), text_at(r, row, 2), text_at(r, row, 3),
                          text_at(r, row, 4)});
  }
  PQclear(r);
  r = conn.query("SELECT song_id, title, artist_id, year, duration FROM songs ORDER BY song_id");
  for (int row = 0; row < PQntuples(r); ++row) {
    star.songs.push_back({*text_at(r, row, 0), text_at(r, row, 1), text_at(r, row, 2), int_at(r, row, 3),
                          double_at(r, row, 4)});
  }
  PQclear(r);
  r = conn.query("SELECT artist_id, name, location, latitude, longitude FROM artists ORDER BY artist_id");
  for (int row = 0; row < PQntuples(r); ++row) {
    star.artists.push_back({*text_at(r, row, 0), text_at(r, row, 1), text_at(r, row, 2), double_at(r, row, 3),
                            double_at(r, row, 4)});
  }
  PQclear(r);
  r = conn.query(
      "SELECT (EXTRACT(epoch FROM start_time) * 1000)::bigint, hour, day, week, month, year, weekday FROM time "
      "ORDER BY start_time");
  for (int row = 0; row < PQntuples(r); ++row) {
    star.time.push_back({*bigint_at(r, row, 0), *int_at(r, row, 1), *int_at(r, row, 2), *int_at(r, row, 3),
                         *int_at(r, row, 4), *int_at(r, row, 5), *int_at(r, row, 6)});
  }
  PQclear(r);
  return star;
}

std::string query_scalar(const std::string& conninfo, const std::string& sql) {
  Conn conn(conninfo);
  PGresult* result = conn.query(sql);
  std::string value = PQntuples(result) > 0 && !PQgetisnull(result, 0, 0) ? PQgetvalue(result, 0, 0) : "";
  PQclear(result);
  return value;
}

}  // namespace sparkify::testing
