#include "quality/match_diagnostics.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <tuple>

#include <fmt/format.h>

#include "model/json_text.h"

namespace sparkify::quality {
namespace {

// Within a second of the plays' lengths.
bool near_length(double duration, const UnmatchedPair& pair) {
  if (!pair.min_length || !pair.max_length) return false;
  return duration >= *pair.min_length - 1.0 && duration <= *pair.max_length + 1.0;
}

std::string quoted(const std::optional<std::string>& text) { return text ? "'" + *text + "'" : "(none)"; }

std::string length_text(const UnmatchedPair& pair) {
  if (!pair.min_length) return "no length";
  if (*pair.min_length == *pair.max_length) return fmt::format("{} s", *pair.min_length);
  return fmt::format("{}–{} s", *pair.min_length, *pair.max_length);
}

// Orders pairs as the SQL does: most plays first, then song and artist
// bytewise with NULLs last.
bool before(const UnmatchedPair& a, const UnmatchedPair& b) {
  if (a.plays != b.plays) return a.plays > b.plays;
  auto less = [](const std::optional<std::string>& x, const std::optional<std::string>& y) {
    if (x == y) return false;
    if (!x) return false;
    if (!y) return true;
    return *x < *y;
  };
  if (a.song != b.song) return less(a.song, b.song);
  return less(a.artist, b.artist);
}

// Whether loose_text(text) == loose, without building it.
bool loosely_equals(std::string_view text, std::string_view loose) {
  size_t start = 0;
  size_t end = text.size();
  while (start < end && text[start] == ' ') ++start;
  while (end > start && text[end - 1] == ' ') --end;
  if (end - start != loose.size()) return false;
  for (size_t idx = 0; idx < loose.size(); ++idx) {
    char c = text[start + idx];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != loose[idx]) return false;
  }
  return true;
}

uint64_t key_hash(std::string_view title, std::string_view artist, double duration) {
  uint64_t hash = std::hash<std::string_view>{}(title);
  hash = hash * 0x9E3779B97F4A7C15ULL ^ std::hash<std::string_view>{}(artist);
  return hash * 0x9E3779B97F4A7C15ULL ^ std::hash<double>{}(duration);
}

}  // namespace

std::string loose_text(std::string_view text) {
  size_t start = 0;
  size_t end = text.size();
  while (start < end && text[start] == ' ') ++start;
  while (end > start && text[end - 1] == ' ') --end;
  std::string out(text.substr(start, end - start));
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

void describe_near_miss(UnmatchedPair& pair, const std::vector<CatalogSong>& candidates) {
  if (!pair.song || !pair.artist) return;
  for (const auto& song : candidates) {
    if (!near_length(song.duration, pair)) continue;
    if (song.title == *pair.song && song.artist_name == *pair.artist) {
      pair.near_miss = fmt::format("the song lasts {} s, these plays {}", song.duration, length_text(pair));
    } else {
      pair.near_miss = fmt::format("'{}' by '{}' ({} s) differs only in case or spaces", song.title,
                                   song.artist_name, song.duration);
    }
    return;
  }
}

std::string format_match(const MatchDiagnostics& match) {
  std::string out = fmt::format("matches  {} NextSong events with a user: {} matched a song, {} did not\n",
                                match.next_song_events, match.matched, match.unmatched());
  for (const auto& pair : match.top_unmatched) {
    out += fmt::format("  {:>7} × {} by {} ({}){}\n", pair.plays, quoted(pair.song), quoted(pair.artist),
                       length_text(pair), pair.near_miss.empty() ? "" : ": near miss: " + pair.near_miss);
  }
  return out;
}

std::string match_json(const MatchDiagnostics& match) {
  std::string out = fmt::format("{{\"next_song_events\":{},\"matched\":{},\"unmatched\":{},\"top_unmatched\":[",
                                match.next_song_events, match.matched, match.unmatched());
  auto text = [](const std::optional<std::string>& value) {
    return value ? model::json_quote(*value) : std::string("null");
  };
  for (size_t idx = 0; idx < match.top_unmatched.size(); ++idx) {
    const auto& pair = match.top_unmatched[idx];
    out += fmt::format("{}{{\"song\":{},\"artist\":{},\"plays\":{},\"near_miss\":{}}}", idx ? "," : "",
                       text(pair.song), text(pair.artist), pair.plays, model::json_quote(pair.near_miss));
  }
  return out + "]}";
}

NearMissSearch::NearMissSearch(std::vector<UnmatchedPair> pairs)
    : pairs_(std::move(pairs)), candidates_(pairs_.size()) {
  for (const auto& pair : pairs_) {
    loose_pairs_.emplace_back(pair.song ? loose_text(*pair.song) : "", pair.artist ? loose_text(*pair.artist) : "");
  }
}

void NearMissSearch::consider(std::string_view title, std::string_view artist_name, double duration) {
  // Only a song within a second of the pair's lengths can be one, so that
  // is compared first.
  for (size_t idx = 0; idx < pairs_.size(); ++idx) {
    const UnmatchedPair& pair = pairs_[idx];
    if (!pair.song || !pair.artist || !near_length(duration, pair)) continue;
    if (loosely_equals(title, loose_pairs_[idx].first) && loosely_equals(artist_name, loose_pairs_[idx].second)) {
      candidates_[idx].push_back({std::string(title), std::string(artist_name), duration});
    }
  }
}

std::vector<UnmatchedPair> NearMissSearch::described() const {
  std::vector<UnmatchedPair> pairs = pairs_;
  for (size_t idx = 0; idx < pairs.size(); ++idx) {
    std::vector<CatalogSong> candidates = candidates_[idx];
    std::sort(candidates.begin(), candidates.end(), [](const CatalogSong& a, const CatalogSong& b) {
      return std::tie(a.title, a.artist_name, a.duration) < std::tie(b.title, b.artist_name, b.duration);
    });
    describe_near_miss(pairs[idx], candidates);
  }
  return pairs;
}

void MatchTally::add_songs(const std::vector<model::SongRecord>& songs) {
  for (const auto& song : songs) add_song(model::SongKeys::of(song));
}

void MatchTally::add_song(const model::SongKeys& song) {
  if (!song.matchable()) return;
  uint64_t hash = key_hash(*song.title, *song.artist_name, *song.duration);
  switch (songs_late_) {
    case SongsLate::kNo:
      if (!catalog_.insert(hash).second) return;
      catalog_songs_.push_back({std::string(*song.title), std::string(*song.artist_name), *song.duration});
      return;
    case SongsLate::kMatching:
      // Only the keys some event holds.
      if (pending_hashes_.count(hash)) catalog_.insert(hash);
      return;
    case SongsLate::kNearMisses:
      near_misses_->consider(*song.title, *song.artist_name, *song.duration);
      return;
  }
}

void MatchTally::songs_after_events() { songs_late_ = SongsLate::kMatching; }

void MatchTally::add_events(const std::vector<model::EventRecord>& events) {
  for (const auto& event : events) {
    if (event.page != "NextSong" || !event.user_id) continue;
    ++next_song_events_;
    bool matchable = event.song && event.artist && event.length;
    if (matchable && songs_late_ != SongsLate::kNo) {
      pending_hashes_.insert(key_hash(*event.song, *event.artist, *event.length));
      ++pending_[{*event.song, *event.artist, *event.length}];
      continue;
    }
    if (matchable && catalog_.count(key_hash(*event.song, *event.artist, *event.length))) {
      ++matched_;
      continue;
    }
    count_unmatched(event.song, event.artist, event.length, 1);
  }
}

void MatchTally::count_unmatched(const std::optional<std::string>& song, const std::optional<std::string>& artist,
                                 std::optional<double> length, int64_t plays) {
  Pair& pair = unmatched_[{song, artist}];
  pair.plays += plays;
  if (length) {
    pair.min_length = pair.min_length ? std::min(*pair.min_length, *length) : *length;
    pair.max_length = pair.max_length ? std::max(*pair.max_length, *length) : *length;
  }
}

void MatchTally::end_songs_after_events() {
  for (const auto& [key, plays] : pending_) {
    const auto& [song, artist, length] = key;
    if (catalog_.count(key_hash(song, artist, length))) {
      matched_ += plays;
    } else {
      count_unmatched(song, artist, length, plays);
    }
  }
  pending_.clear();
  pending_hashes_.clear();
  near_misses_.emplace(top_unmatched());
  songs_late_ = SongsLate::kNearMisses;
}

std::vector<UnmatchedPair> MatchTally::top_unmatched() const {
  std::vector<UnmatchedPair> pairs;
  for (const auto& [key, pair] : unmatched_) {
    pairs.push_back({key.first, key.second, pair.plays, pair.min_length, pair.max_length, {}});
  }
  size_t top = std::min(pairs.size(), kTopUnmatched);
  std::partial_sort(pairs.begin(), pairs.begin() + static_cast<std::ptrdiff_t>(top), pairs.end(), before);
  pairs.resize(top);
  return pairs;
}

MatchDiagnostics MatchTally::result() const {
  MatchDiagnostics match;
  match.next_song_events = next_song_events_;
  match.matched = matched_;
  if (near_misses_) {
    match.top_unmatched = near_misses_->described();
    return match;
  }
  NearMissSearch search(top_unmatched());
  for (const auto& song : catalog_songs_) search.consider(song.title, song.artist_name, song.duration);
  match.top_unmatched = search.described();
  return match;
}

}  // namespace sparkify::quality
