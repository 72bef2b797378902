// The in-process star-schema builder: the same rows as the warehouse's SQL
// (src/warehouse/transform_sql.h), computed with hash tables and sorts,
// streaming over the input. Every tie-break mirrors that SQL's ORDER BY,
// with text compared bytewise and NULLs last.
//
// Use: add_songs()… then finish_songs(), add_events()… then finish(); then
// read the tables. Memory: songs and artists are kept as rows; songplays as
// compact records with interned text (64 bytes each); the time table is
// made from them when it is read.
//
// An incremental load (pipeline/lake_state.h) also hands over what earlier
// loads kept: their plays, each with its songplay_id and the event chosen
// for it, and each user's latest event per day. The contract's rules pick
// a minimum or a maximum, so folding the new events into what was kept
// gives what a full load of every event gives; kept plays keep their ids
// and new ones are numbered after the largest.
#pragma once

#include <absl/container/flat_hash_map.h>

#include <cstdint>
#include <deque>
#include <functional>
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

// A play an earlier load kept: its id and the event chosen for it.
struct KeptPlay {
  int64_t songplay_id = 0;
  std::optional<int64_t> ts;
  int32_t user_id = 0;
  std::optional<int32_t> session_id;
  std::optional<int32_t> item_in_session;
  std::optional<std::string> level;
  std::optional<std::string> song;
  std::optional<std::string> artist;
  std::optional<double> length;
  std::optional<std::string> location;
  std::optional<std::string> user_agent;
};

// A user's latest event of one UTC day (by the users rule), as kept.
struct KeptUserDay {
  int32_t user_id = 0;
  std::optional<int64_t> ts;
  std::optional<int32_t> item_in_session;
  std::optional<int32_t> session_id;
  std::optional<std::string> level;
  std::optional<std::string> first_name;
  std::optional<std::string> last_name;
  std::optional<std::string> gender;
};

class StarBuilder {
 public:
  StarBuilder();
  ~StarBuilder();
  StarBuilder(const StarBuilder&) = delete;
  StarBuilder& operator=(const StarBuilder&) = delete;

  void add_songs(const std::vector<model::SongRecord>& songs);
  void add_songs(std::vector<model::SongRecord>&& songs);
  // Builds songs, artists and the song-matching index, on up to two
  // threads; frees the records.
  void finish_songs(size_t threads = 1);
  // Instead of add_songs() and finish_songs(), for a load that leaves the
  // songs and artists tables as they are: finish_songs_for_matching()
  // before the events, then, before finish(), each kept song's keys (the
  // views need not outlive the call; only the songs whose title and artist
  // name a play holds are indexed) and the rows those tables hold (what
  // counts() reports). finish() matches every play, exactly as after
  // finish_songs().
  void finish_songs_for_matching();
  void add_song_keys(const model::SongKeys& song);
  void set_song_table_rows(size_t song_rows, size_t artist_rows);
  // Before the first event: how many threads add events at once (1 by
  // default); returns the shards kept, `wanted` held to 1 …
  // kMaxEventShards (a play's text id names its shard's pool in a few
  // bits): more threads than that share them. Shard `idx` < that may then
  // be fed by its own thread, all at once; each keeps its plays, their
  // text and its users apart until finish() merges them, so that no lock
  // is taken per event.
  size_t set_event_shards(size_t wanted);
  static constexpr size_t kMaxEventShards = 62;
  // Requires finish_songs(). The one-argument form feeds shard 0.
  void add_events(const std::vector<model::EventRecord>& events) { add_events(0, events); }
  void add_events(size_t shard, const std::vector<model::EventRecord>& events);
  // Deduplicates and numbers songplays, builds users and time.
  void finish();

  // Incremental loads. Before the first event: keep each user's latest
  // event per day too (user_days()).
  void keep_user_days();
  // Before finish_songs(): the song records earlier loads kept (taken, not
  // counted as staged).
  void add_kept_songs(std::vector<model::SongRecord>&& songs);
  // After finish_songs(), before finish(): what earlier loads kept. Plays
  // whose key has no kept id are numbered after `largest_kept_id`.
  void add_kept_plays(const std::vector<KeptPlay>& plays);
  // Kept plays that a backfill replaces: only their ids stay, for their
  // keys if a new event holds one again; a key no new event holds is gone.
  void add_replaced_play_ids(const std::vector<KeptPlay>& plays);
  void add_kept_user_days(const std::vector<KeptUserDay>& days);
  void number_new_plays_after(int64_t largest_kept_id);
  // After finish(): the play at `index` as it is kept, and the users' days.
  KeptPlay kept_play(size_t index) const;
  std::vector<KeptUserDay> user_days() const;
  int64_t largest_songplay_id() const;

  // The tables, each sorted by its key (songplays by songplay_id).
  size_t songplay_count() const;
  SongplayView songplay(size_t index) const;
  const std::vector<model::UserRow>& users() const { return users_; }
  const std::vector<model::SongRow>& songs() const { return songs_; }
  const std::vector<model::ArtistRow>& artists() const { return artists_; }
  // time: one row per distinct songplays start_time, in start_time order,
  // made from the plays as they are gone through rather than held (at ten
  // million plays the rows would take hundreds of MB).
  size_t time_count() const { return time_rows_; }
  void for_each_time_row(const std::function<void(const model::TimeRow&)>& on_row) const;

  model::TableCounts counts() const;
  // Every table as plain rows (tests, small data).
  model::StarSchema to_star_schema() const;

 private:
  struct Play;
  struct MatchKey;
  struct MatchKeyHash;
  struct Match;
  struct UserEvent;
  struct UserLatest;
  struct EventShard;
  using LatestByUser = std::unordered_map<int32_t, UserLatest>;
  using LatestByUserDay = std::unordered_map<int64_t, UserLatest>;

  // Keeps `event` as the key's latest if it is (the users rule).
  template <typename Map>
  static void keep_latest(Map& map, typename Map::key_type key, const UserEvent& event);
  // Keeps `event` as the user's (and the user's day's) latest if it is.
  static void consider_user_event(int32_t user_id, const UserEvent& event, LatestByUser& by_user,
                                  LatestByUserDay* by_user_day);
  // The text of an id of text_ or of a shard's pool, and the id of the
  // same text in text_ (what the match index is keyed by), if it is there.
  std::optional<std::string_view> text_of(uint32_t id) const;
  std::optional<uint32_t> common_id(uint32_t id) const;
  uint32_t intern_common(std::optional<std::string_view> value);
  // The parts of finish_songs(): each reads the song records and writes
  // its own members only.
  void build_songs_table();
  void build_artists_table();
  void build_match_index();
  bool no_events_yet() const;
  // Moves every shard's plays and users into the builder's own.
  void merge_shards();
  void add_play(Play play);
  // Adds a song to the song-matching index (finish_songs' rule).
  void index_match(const model::SongKeys& song);
  void keep_smallest(const MatchKey& key, const model::SongKeys& song);
  // Sets the play's matched song and artist from the index.
  void match(Play& play);
  // A play with a kept play's key and id (and nothing else yet).
  Play kept_key(const KeptPlay& kept);

  std::vector<model::SongRecord> song_records_;
  std::vector<model::SongRow> songs_;
  std::vector<model::ArtistRow> artists_;
  std::vector<model::UserRow> users_;
  size_t time_rows_ = 0;

  // (title, artist_name, duration) → the song with the smallest song_id,
  // as its index in match_ids_ (which finish() keeps: plays name it).
  std::unique_ptr<absl::flat_hash_map<MatchKey, uint32_t, MatchKeyHash>> matches_;
  std::vector<Match> match_ids_;
  std::unique_ptr<LatestByUser> latest_by_user_;
  // (user_id, UTC day) → that day's latest event; only with keep_user_days().
  std::unique_ptr<LatestByUserDay> latest_by_user_day_;
  std::vector<std::unique_ptr<EventShard>> shards_;
  int64_t largest_kept_id_ = 0;
  // A deque: it grows without the copy a vector makes when it doubles,
  // which at ten million plays would hold both copies at the peak.
  std::deque<Play> plays_;
  // level, song, artist, location, user agent of kept plays, and the
  // titles and artist names of songs: one pool, so a match compares ids.
  // A play's text id names its pool in its top bits: 0 for this one, 1 + k
  // for shard k's (the text of the events fed to it).
  StringPool text_;
  StringPool song_ids_;  // song_id and artist_id of the songs matching indexes
  int64_t events_added_ = 0;
  int64_t songs_added_ = 0;
  bool songs_finished_ = false;
  // The songs and artists rows when finish_songs_for_matching() built no tables.
  std::optional<size_t> song_rows_;
  std::optional<size_t> artist_rows_;
  bool finished_ = false;
  // Song keys came after the plays: finish() matches them all.
  bool match_in_finish_ = false;
};

}  // namespace sparkify::transform
