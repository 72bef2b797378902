// Why plays did not match a song: the figures a user needs when the match
// rate is low. Over the NextSong events with a user (what songplays are made
// of): how many match a song exactly on (title, artist name, duration), as
// the contract says, and the most frequent (song, artist) pairs that do
// not, each with a near miss when one exists: a song whose title and artist
// differ only in ASCII case or surrounding spaces, or whose duration is
// within a second of the plays' length. The matching rule is unchanged;
// this only explains it.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <unordered_set>
#include <string>
#include <string_view>
#include <vector>

#include "model/records.h"

namespace sparkify::quality {

struct UnmatchedPair {
  std::optional<std::string> song;
  std::optional<std::string> artist;
  int64_t plays = 0;
  std::optional<double> min_length;
  std::optional<double> max_length;
  std::string near_miss;  // empty when there is none
};

struct MatchDiagnostics {
  int64_t next_song_events = 0;
  int64_t matched = 0;
  std::vector<UnmatchedPair> top_unmatched;  // most plays first, then song, artist
  int64_t unmatched() const { return next_song_events - matched; }
};

inline constexpr size_t kTopUnmatched = 10;

// A song of the catalog, as a near-miss candidate.
struct CatalogSong {
  std::string title;
  std::string artist_name;
  double duration = 0;
};

// ASCII lower case, surrounding spaces removed: what "differs only in case
// or spaces" compares.
std::string loose_text(std::string_view text);

// Fills pair.near_miss from `candidates` (songs whose loose title and
// artist equal the pair's), the first that is one.
void describe_near_miss(UnmatchedPair& pair, const std::vector<CatalogSong>& candidates);

std::string format_match(const MatchDiagnostics& match);
std::string match_json(const MatchDiagnostics& match);

// The diagnostics computed in memory from the records (a lake's run):
// songs first, then events.
class MatchTally {
 public:
  void add_songs(const std::vector<model::SongRecord>& songs);
  void add_song(const model::SongKeys& song);
  void add_events(const std::vector<model::EventRecord>& events);
  MatchDiagnostics result() const;
  // NextSong events with a user, so far: what songplays are made of.
  int64_t next_song_events() const { return next_song_events_; }

 private:
  struct Pair {
    int64_t plays = 0;
    std::optional<double> min_length;
    std::optional<double> max_length;
  };
  // Hashes of the catalog's (title, artist name, duration): a lookup per
  // event without copying its text.
  std::unordered_set<uint64_t> catalog_;
  // One song per distinct key, searched for near misses of the few most
  // frequent unmatched pairs only when the result is asked for.
  std::vector<CatalogSong> catalog_songs_;
  std::map<std::pair<std::optional<std::string>, std::optional<std::string>>, Pair> unmatched_;
  int64_t next_song_events_ = 0;
  int64_t matched_ = 0;
};

}  // namespace sparkify::quality
