// The rows of the five star tables, as the contract defines them.
// Timestamps are epoch milliseconds, UTC.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace sparkify::model {

struct SongplayRow {
  int64_t songplay_id = 0;
  std::optional<int64_t> start_time_ms;  // NULL when the event had no ts
  int32_t user_id = 0;
  std::optional<std::string> level;
  std::optional<std::string> song_id;
  std::optional<std::string> artist_id;
  std::optional<int32_t> session_id;
  std::optional<std::string> location;
  std::optional<std::string> user_agent;
};

struct UserRow {
  int32_t user_id = 0;
  std::optional<std::string> first_name;
  std::optional<std::string> last_name;
  std::optional<std::string> gender;
  std::optional<std::string> level;
};

struct SongRow {
  std::string song_id;
  std::optional<std::string> title;
  std::optional<std::string> artist_id;
  std::optional<int32_t> year;
  std::optional<double> duration;
};

struct ArtistRow {
  std::string artist_id;
  std::optional<std::string> name;
  std::optional<std::string> location;
  std::optional<double> latitude;
  std::optional<double> longitude;
};

struct TimeRow {
  int64_t start_time_ms = 0;
  int32_t hour = 0;
  int32_t day = 0;
  int32_t week = 0;  // ISO 8601 week number
  int32_t month = 0;
  int32_t year = 0;
  int32_t weekday = 0;  // 0 = Sunday … 6 = Saturday
};

// Rows in each table after a load.
struct TableCounts {
  int64_t staging_songs = 0;
  int64_t staging_events = 0;
  int64_t songplays = 0;
  int64_t users = 0;
  int64_t songs = 0;
  int64_t artists = 0;
  int64_t time = 0;
};

// The whole star schema, each table sorted by its key.
struct StarSchema {
  std::vector<SongplayRow> songplays;
  std::vector<UserRow> users;
  std::vector<SongRow> songs;
  std::vector<ArtistRow> artists;
  std::vector<TimeRow> time;
};

}  // namespace sparkify::model
