// Plain records parsed from the two sources, field for field as
// shared contract (docs/schema.md) names them. A missing JSON key and an
// empty string are both std::nullopt (Redshift's EMPTYASNULL).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sparkify::model {

// One object of a song file (song_data/A/B/C/TR….json).
struct SongRecord {
  std::optional<int32_t> num_songs;
  std::optional<std::string> artist_id;
  std::optional<double> artist_latitude;
  std::optional<double> artist_longitude;
  std::optional<std::string> artist_location;
  std::optional<std::string> artist_name;
  std::optional<std::string> song_id;
  std::optional<std::string> title;
  std::optional<double> duration;
  std::optional<int32_t> year;
};

// The columns of a song record that matching a play reads, as views into
// storage the caller keeps alive.
struct SongKeys {
  std::optional<std::string_view> song_id;
  std::optional<std::string_view> title;
  std::optional<std::string_view> artist_name;
  std::optional<double> duration;
  std::optional<std::string_view> artist_id;

  static SongKeys of(const SongRecord& record) {
    auto view = [](const std::optional<std::string>& text) {
      return text ? std::optional<std::string_view>(*text) : std::nullopt;
    };
    return {view(record.song_id), view(record.title), view(record.artist_name), record.duration,
            view(record.artist_id)};
  }
  // Whether a play can match it: NULL never equals, and a match names a song.
  bool matchable() const { return song_id && title && artist_name && duration; }
};

// One line of an event log (log_data/YYYY/MM/YYYY-MM-DD-events.json).
struct EventRecord {
  std::optional<std::string> artist;
  std::optional<std::string> auth;
  std::optional<std::string> first_name;
  std::optional<std::string> gender;
  std::optional<int32_t> item_in_session;
  std::optional<std::string> last_name;
  std::optional<double> length;
  std::optional<std::string> level;
  std::optional<std::string> location;
  std::optional<std::string> method;
  std::optional<std::string> page;
  std::optional<int64_t> registration;  // epoch ms, rounded to the nearest ms
  std::optional<int32_t> session_id;
  std::optional<std::string> song;
  std::optional<int32_t> status;
  std::optional<int64_t> ts;  // epoch ms, UTC
  std::optional<std::string> user_agent;
  std::optional<int32_t> user_id;
};

}  // namespace sparkify::model
