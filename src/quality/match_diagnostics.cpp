#include "quality/match_diagnostics.h"

#include <absl/hash/hash.h>
#include <fmt/format.h>

#include <algorithm>
#include <cassert>
#include <cmath>
#include <functional>
#include <tuple>
#include <utility>

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
// (An UnmatchedPair, or a view of one.)
template <typename Pair>
bool before(const Pair& a, const Pair& b) {
  if (a.plays != b.plays) return a.plays > b.plays;
  auto less = [](const auto& x, const auto& y) {
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
      if (parts_[0].pending_hashes.count(hash)) catalog_.insert(hash);
      return;
    case SongsLate::kNearMisses:
      near_misses_->consider(*song.title, *song.artist_name, *song.duration);
      return;
  }
}

void MatchTally::songs_after_events() { songs_late_ = SongsLate::kMatching; }

void MatchTally::set_event_parts(size_t parts) { parts_.resize(std::max<size_t>(parts, 1)); }

void MatchTally::add_events(size_t part_idx, const std::vector<model::EventRecord>& events) {
  Part& part = parts_.at(part_idx);
  for (const auto& event : events) {
    if (event.page != "NextSong" || !event.user_id) continue;
    ++part.next_song_events;
    bool matchable = event.song && event.artist && event.length;
    if (matchable && songs_late_ != SongsLate::kNo) {
      part.pending_hashes.insert(key_hash(*event.song, *event.artist, *event.length));
      ++part.pending[{*event.song, *event.artist, *event.length}];
      continue;
    }
    if (matchable && catalog_.count(key_hash(*event.song, *event.artist, *event.length))) {
      ++part.matched;
      continue;
    }
    part.count_unmatched(event.song, event.artist, event.length, 1);
  }
}

void MatchTally::end_events() {
  Part& sums = parts_[0];
  for (size_t idx = 1; idx < parts_.size(); ++idx) {
    Part& part = parts_[idx];
    sums.next_song_events += part.next_song_events;
    sums.matched += part.matched;
    // The part's keys keep viewing its text, kept here.
    for (const auto& [key, pair] : part.unmatched) sums.add(key, pair);
    merged_text_.push_back(std::move(part.text));
    for (auto& [key, plays] : part.pending) sums.pending[key] += plays;
    sums.pending_hashes.insert(part.pending_hashes.begin(), part.pending_hashes.end());
  }
  parts_.resize(1);
}

int64_t MatchTally::next_song_events() const {
  int64_t total = 0;
  for (const auto& part : parts_) total += part.next_song_events;
  return total;
}

size_t MatchTally::PairKeyHash::operator()(const PairKey& key) const {
  return absl::Hash<std::pair<std::string_view, std::string_view>>()({key.song, key.artist});
}

void MatchTally::Part::count_unmatched(std::optional<std::string_view> song, std::optional<std::string_view> artist,
                                       std::optional<double> length, int64_t plays) {
  PairKey key{song.value_or(std::string_view()), artist.value_or(std::string_view())};
  auto found = unmatched.find(key);
  if (found == unmatched.end()) {
    auto stored = [this](std::string_view value) { return value.empty() ? value : text.copy(value); };
    found = unmatched.emplace(PairKey{stored(key.song), stored(key.artist)}, Pair{}).first;
  }
  Pair& pair = found->second;
  pair.plays += plays;
  if (length) pair.add_length(*length);
}

void MatchTally::Part::add(const PairKey& key, const Pair& pair) {
  auto [slot, inserted] = unmatched.try_emplace(key, pair);
  if (inserted) return;
  Pair& sum = slot->second;
  sum.plays += pair.plays;
  sum.min_length = std::min(sum.min_length, pair.min_length);
  sum.max_length = std::max(sum.max_length, pair.max_length);
}

void MatchTally::end_songs_after_events() {
  assert(parts_.size() == 1);
  Part& sums = parts_[0];
  for (const auto& [key, plays] : sums.pending) {
    const auto& [song, artist, length] = key;
    if (catalog_.count(key_hash(song, artist, length))) {
      sums.matched += plays;
    } else {
      sums.count_unmatched(song, artist, length, plays);
    }
  }
  sums.pending.clear();
  sums.pending_hashes.clear();
  near_misses_.emplace(top_unmatched());
  songs_late_ = SongsLate::kNearMisses;
}

std::vector<UnmatchedPair> MatchTally::top_unmatched() const {
  // Views of the entries, as small as they can be: there is one per
  // distinct unmatched pair.
  struct Candidate {
    int64_t plays;
    const PairKey* key;
    const Pair* pair;
  };
  auto text = [](std::string_view view) { return view.empty() ? std::nullopt : std::optional<std::string_view>(view); };
  auto before_candidate = [&](const Candidate& a, const Candidate& b) {
    struct View {
      int64_t plays;
      std::optional<std::string_view> song;
      std::optional<std::string_view> artist;
    };
    return before(View{a.plays, text(a.key->song), text(a.key->artist)},
                  View{b.plays, text(b.key->song), text(b.key->artist)});
  };
  std::vector<Candidate> candidates;
  assert(parts_.size() == 1);
  const auto& unmatched = parts_[0].unmatched;
  candidates.reserve(unmatched.size());
  for (const auto& [key, pair] : unmatched) candidates.push_back({pair.plays, &key, &pair});
  size_t top = std::min(candidates.size(), kTopUnmatched);
  std::partial_sort(candidates.begin(), candidates.begin() + static_cast<std::ptrdiff_t>(top), candidates.end(),
                    before_candidate);
  auto owned = [&](std::string_view view) { return view.empty() ? std::nullopt : std::optional<std::string>(view); };
  std::vector<UnmatchedPair> pairs;
  for (size_t idx = 0; idx < top; ++idx) {
    const Candidate& candidate = candidates[idx];
    pairs.push_back({owned(candidate.key->song),
                     owned(candidate.key->artist),
                     candidate.plays,
                     candidate.pair->min(),
                     candidate.pair->max(),
                     {}});
  }
  return pairs;
}

MatchDiagnostics MatchTally::result() const {
  MatchDiagnostics match;
  assert(parts_.size() == 1);
  match.next_song_events = parts_[0].next_song_events;
  match.matched = parts_[0].matched;
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
