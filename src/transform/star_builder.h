// The in-process star-schema builder: the same rows as the warehouse's SQL
// (src/warehouse/transform_sql.h), computed with hash tables and sorts,
// streaming over the input. Every tie-break mirrors that SQL's ORDER BY,
// with text compared bytewise and NULLs last.
//
// Use: add_songs()… then finish_songs(), add_events()… then finish(); then
// read the tables. Memory: songs and artists are kept as rows; songplays as
// compact records with interned text (about 60 bytes each).
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "model/records.h"
#include "model/star.h"
#include "transform/string_pool.h"

namespace sparkify::transform {

// A songplays row whose text lives in the builder.
struct SongplayView {
  int64_t songplay_id = 0;
  std::optional<int64_t> start_time_ms;
  int32_t user_id = 0;
  std::optional<std::string_view> level;
  std::optional<std::string_view> song_id;
  std::optional<std::string_view> artist_id;
  std::optional<int32_t> session_id;
  std::optional<std::string_view> location;
  std::optional<std::string_view> user_agent;
};

class StarBuilder {
 public:
  StarBuilder();
  ~StarBuilder();
  StarBuilder(const StarBuilder&) = delete;
  StarBuilder& operator=(const StarBuilder&) = delete;

  void add_songs(const std::vector<model::SongRecord>& songs);
  // Builds songs, artists and the song-matching index; frees the records.
  void finish_songs();
  // Requires finish_songs().
  void add_events(const std::vector<model::EventRecord>& events);
  // Deduplicates and numbers songplays, builds users and time.
  void finish();

  // The tables, each sorted by its key (songplays by songplay_id).
  size_t songplay_count() const;
  SongplayView songplay(size_t index) const;
  const std::vector<model::UserRow>& users() const { return users_; }
  const std::vector<model::SongRow>& songs() const { return songs_; }
  const std::vector<model::ArtistRow>& artists() const { return artists_; }
  const std::vector<model::TimeRow>& time() const { return time_; }

  model::TableCounts counts() const;
  // Every table as plain rows (tests, small data).
  model::StarSchema to_star_schema() const;

 private:
  struct Play;
  struct MatchKey;
  struct MatchKeyHash;
  struct Match;
  struct UserLatest;

  std::vector<model::SongRecord> song_records_;
  std::vector<model::SongRow> songs_;
  std::vector<model::ArtistRow> artists_;
  std::vector<model::UserRow> users_;
  std::vector<model::TimeRow> time_;

  // (title, artist_name, duration) → the song with the smallest song_id.
  std::unique_ptr<std::unordered_map<MatchKey, Match, MatchKeyHash>> matches_;
  std::unique_ptr<std::unordered_map<int32_t, UserLatest>> latest_by_user_;
  // A deque: it grows without the copy a vector makes when it doubles,
  // which at ten million plays would hold both copies at the peak.
  std::deque<Play> plays_;
  // level, song, artist, location, user agent of events, and the titles
  // and artist names of songs: one pool, so a match compares ids.
  StringPool text_;
  StringPool song_ids_;  // song_id and artist_id of matched songs
  int64_t events_added_ = 0;
  int64_t songs_added_ = 0;
  bool songs_finished_ = false;
  bool finished_ = false;
};

}  // namespace sparkify::transform
