// Why plays did not match a song: the figures a user needs when the match
// rate is low. Over the NextSong events with a user (what songplays are made
// of): how many match a song exactly on (title, artist name, duration), as
// the contract says, and the most frequent (song, artist) pairs that do
// not, each with a near miss when one exists: a song whose title and artist
// differ only in ASCII case or surrounding spaces, or whose duration is
// within a second of the plays' length. The matching rule is unchanged;
// this only explains it.
#pragma once

#include <absl/container/flat_hash_map.h>
#include <absl/container/flat_hash_set.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "model/records.h"
#include "model/text_arena.h"

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

// The songs that may be the near miss of each of a few unmatched pairs:
// those within a second of the pair's lengths whose title and artist
// differ from the pair's only in case or spaces.
class NearMissSearch {
 public:
  explicit NearMissSearch(std::vector<UnmatchedPair> pairs);
  void consider(std::string_view title, std::string_view artist_name, double duration);
  // The pairs, each with its near miss if one was considered.
  std::vector<UnmatchedPair> described() const;

 private:
  std::vector<UnmatchedPair> pairs_;
  std::vector<std::pair<std::string, std::string>> loose_pairs_;
  std::vector<std::vector<CatalogSong>> candidates_;
};

// The diagnostics computed in memory from the records (a lake's run):
// songs first, then events. A load whose songs come after its events (a
// lake's day without new song files) calls songs_after_events() first,
// then add_events(), add_song() for every song, end_songs_after_events(),
// and add_song() again for every song (the near misses), then result().
//
// Events may be counted in parts, one per thread that feeds them
// (set_event_parts(), then add_events(part, …) on each part's thread, the
// catalog only read); end_events() adds the parts up, before
// end_songs_after_events() or result().
class MatchTally {
 public:
  void add_songs(const std::vector<model::SongRecord>& songs);
  void add_song(const model::SongKeys& song);
  void set_event_parts(size_t parts);
  void add_events(const std::vector<model::EventRecord>& events) { add_events(0, events); }
  void add_events(size_t part, const std::vector<model::EventRecord>& events);
  void end_events();
  void songs_after_events();
  void end_songs_after_events();
  MatchDiagnostics result() const;
  // NextSong events with a user, so far: what songplays are made of.
  int64_t next_song_events() const;

 private:
  // Millions of distinct pairs may be counted at once, so both halves of
  // an entry are kept small (56 bytes in all).
  struct Pair {
    int64_t plays = 0;
    // +inf and -inf while no play of the pair had a length.
    double min_length = std::numeric_limits<double>::infinity();
    double max_length = -std::numeric_limits<double>::infinity();
    void add_length(double length) {
      min_length = std::min(min_length, length);
      max_length = std::max(max_length, length);
    }
    std::optional<double> min() const { return min_length <= max_length ? std::optional(min_length) : std::nullopt; }
    std::optional<double> max() const { return min_length <= max_length ? std::optional(max_length) : std::nullopt; }
  };
  // An unmatched (song, artist) pair, looked up by views: an event's text
  // is copied only the first time its pair is seen. An empty view is NULL:
  // the readers make an empty string NULL, so no text is ever empty.
  struct PairKey {
    std::string_view song;
    std::string_view artist;
    bool operator==(const PairKey&) const = default;
  };
  struct PairKeyHash {
    size_t operator()(const PairKey& key) const;
  };
  // The counts of the events one part was fed.
  struct Part {
    int64_t next_song_events = 0;
    int64_t matched = 0;
    absl::flat_hash_map<PairKey, Pair, PairKeyHash> unmatched;
    model::TextArena text;  // what the keys of unmatched view
    // Songs after events: the events' (song, artist, length) with their
    // counts, and their hashes, until end_songs_after_events() settles them.
    std::map<std::tuple<std::string, std::string, double>, int64_t> pending;
    absl::flat_hash_set<uint64_t> pending_hashes;

    void count_unmatched(std::optional<std::string_view> song, std::optional<std::string_view> artist,
                         std::optional<double> length, int64_t plays);
    void add(const PairKey& key, const Pair& pair);
  };

  // Hashes of the catalog's (title, artist name, duration): a lookup per
  // event without copying its text.
  absl::flat_hash_set<uint64_t> catalog_;
  // One song per distinct key, searched for near misses of the few most
  // frequent unmatched pairs only when the result is asked for.
  std::vector<CatalogSong> catalog_songs_;
  // Part 0 holds the sums once end_events() has added the others up.
  std::vector<Part> parts_ = std::vector<Part>(1);
  // The text of the parts added up, which part 0's keys view.
  std::vector<model::TextArena> merged_text_;

  std::vector<UnmatchedPair> top_unmatched() const;

  // Songs after events: matching first, then the search for the near
  // misses of the top pairs.
  enum class SongsLate { kNo, kMatching, kNearMisses } songs_late_ = SongsLate::kNo;
  std::optional<NearMissSearch> near_misses_;
};

}  // namespace sparkify::quality
