#include "transform/star_builder.h"

#include <absl/hash/hash.h>

#include <algorithm>
#include <cassert>
#include <functional>
#include <future>
#include <iterator>
#include <stdexcept>
#include <tuple>
#include <unordered_set>

#include "transform/calendar.h"

namespace sparkify::transform {
namespace {

// Three-way comparisons in SQL's order: NULLs last both ascending and
// descending (as every ORDER BY of the transform SQL spells out).
template <typename T>
int compare_asc(const std::optional<T>& a, const std::optional<T>& b) {
  if (!a || !b) return a ? -1 : (b ? 1 : 0);
  if (*a < *b) return -1;
  if (*b < *a) return 1;
  return 0;
}

template <typename T>
int compare_desc(const std::optional<T>& a, const std::optional<T>& b) {
  if (!a || !b) return a ? -1 : (b ? 1 : 0);
  if (*b < *a) return -1;
  if (*a < *b) return 1;
  return 0;
}

// -0.0 and 0.0 are equal in SQL; give them one hash.
double normalized(double value) { return value == 0.0 ? 0.0 : value; }

std::optional<std::string> owned(std::optional<std::string_view> view) {
  if (!view) return std::nullopt;
  return std::string(*view);
}

// A (user, UTC day of `ts`) key; NULL ts is a day of its own.
int64_t user_day_key(int32_t user_id, const std::optional<int64_t>& ts) {
  constexpr int64_t kMsPerDay = 86'400'000;
  int32_t day = INT32_MIN;
  if (ts) day = static_cast<int32_t>(*ts >= 0 ? *ts / kMsPerDay : -((-*ts + kMsPerDay - 1) / kMsPerDay));
  return (static_cast<int64_t>(user_id) << 32) | static_cast<uint32_t>(day);
}

// A play's text id: the pool in the top kPoolBits bits (0: the builder's
// own, 1 + k: shard k's), the id within it below. The all-ones id is
// StringPool::kNull, so the last pool is never used.
constexpr uint32_t kPoolBits = 6;
constexpr uint32_t kLocalBits = 32 - kPoolBits;
constexpr uint32_t kLocalMask = (uint32_t{1} << kLocalBits) - 1;
static_assert(StarBuilder::kMaxEventShards == (size_t{1} << kPoolBits) - 2);

// A play that matched no song.
constexpr uint32_t kNoMatch = UINT32_MAX;

uint32_t pooled(uint32_t pool, uint32_t local) {
  if (local == StringPool::kNull) return StringPool::kNull;
  if (local >= kLocalMask)
    throw std::length_error("more distinct texts in one part of the events than a play can name");
  return (pool << kLocalBits) | local;
}

}  // namespace

struct StarBuilder::Play {
  int64_t id = 0;  // a kept play's songplay_id; 0 until finish() numbers it
  int64_t ts = 0;
  double length = 0;
  int32_t user_id = 0;
  int32_t session_id = 0;
  int32_t item_in_session = 0;
  uint32_t level = StringPool::kNull;
  uint32_t song = StringPool::kNull;
  uint32_t artist = StringPool::kNull;
  uint32_t location = StringPool::kNull;
  uint32_t user_agent = StringPool::kNull;
  uint32_t match = kNoMatch;  // the matched song's ids: an index into match_ids_
  // Bits rather than bools: ten million plays are held at once, and these
  // keep a play at 64 bytes.
  bool has_ts : 1 = false;
  bool has_length : 1 = false;
  bool has_session : 1 = false;
  bool has_item : 1 = false;
  // Only a kept id for the key (add_replaced_play_ids), never the copy chosen.
  bool id_only : 1 = false;

  std::optional<int64_t> ts_opt() const { return has_ts ? std::optional<int64_t>(ts) : std::nullopt; }
  std::optional<double> length_opt() const { return has_length ? std::optional<double>(length) : std::nullopt; }
  std::optional<int32_t> session_opt() const {
    return has_session ? std::optional<int32_t>(session_id) : std::nullopt;
  }
  std::optional<int32_t> item_opt() const { return has_item ? std::optional<int32_t>(item_in_session) : std::nullopt; }
};

struct StarBuilder::MatchKey {
  uint32_t title;
  uint32_t artist_name;
  double duration;
  bool operator==(const MatchKey& other) const {
    return title == other.title && artist_name == other.artist_name && duration == other.duration;
  }
};

struct StarBuilder::MatchKeyHash {
  size_t operator()(const MatchKey& key) const {
    return absl::Hash<std::tuple<uint32_t, uint32_t, double>>()({key.title, key.artist_name, normalized(key.duration)});
  }
};

// The chosen song's ids, in song_ids_: a play names them by their index in
// match_ids_ without touching the pool, so that shards match on their own
// threads.
struct StarBuilder::Match {
  uint32_t song_id;
  uint32_t artist_id;
};

// The user attributes of an event that the users rule compares and keeps,
// with text as `Text`.
template <typename Text>
struct UserAttributes {
  std::optional<int64_t> ts;
  std::optional<int32_t> item_in_session;
  std::optional<int32_t> session_id;
  std::optional<Text> level;
  std::optional<Text> first_name;
  std::optional<Text> last_name;
  std::optional<Text> gender;

  template <typename Other>
  static UserAttributes of(const Other& other) {
    auto text = [](const auto& value) { return value ? std::optional<Text>(Text(*value)) : std::nullopt; };
    return {other.ts,          other.item_in_session,  other.session_id,
            text(other.level), text(other.first_name), text(other.last_name),
            text(other.gender)};
  }
};

// An event's attributes as views: compared for every event.
struct StarBuilder::UserEvent : UserAttributes<std::string_view> {
  UserEvent(UserAttributes<std::string_view> attributes) : UserAttributes(std::move(attributes)) {}
  template <typename Event>
  static UserEvent of(const Event& event) {
    return UserAttributes<std::string_view>::of(event);
  }
};

// The latest event of a user (or a user's day) so far, owned: copied only
// when an event beats it, not for every event compared.
struct StarBuilder::UserLatest : UserAttributes<std::string> {
  UserEvent view() const { return UserEvent::of(*this); }
  void take(const UserEvent& event) { UserAttributes<std::string>::operator=(UserAttributes<std::string>::of(event)); }
};

// The events fed to one thread: their plays, with text ids of the shard's
// own pool, and their users' latest events.
struct StarBuilder::EventShard {
  explicit EventShard(uint32_t pool_id) : pool(pool_id) {}
  uint32_t pool;
  StringPool text;
  std::deque<Play> plays;
  LatestByUser latest_by_user;
  std::unique_ptr<LatestByUserDay> latest_by_user_day;
  int64_t events_added = 0;

  uint32_t intern(const std::optional<std::string>& value) { return pooled(pool, text.intern(value)); }
};

StarBuilder::StarBuilder()
    : matches_(std::make_unique<absl::flat_hash_map<MatchKey, uint32_t, MatchKeyHash>>()),
      latest_by_user_(std::make_unique<LatestByUser>()) {
  static_assert(sizeof(Play) <= 64, "a play grew: ten million of them are held at once");
  set_event_shards(1);
}

StarBuilder::~StarBuilder() = default;

void StarBuilder::add_songs(const std::vector<model::SongRecord>& songs) {
  assert(!songs_finished_);
  songs_added_ += static_cast<int64_t>(songs.size());
  song_records_.insert(song_records_.end(), songs.begin(), songs.end());
}

void StarBuilder::add_songs(std::vector<model::SongRecord>&& songs) {
  songs_added_ += static_cast<int64_t>(songs.size());
  add_kept_songs(std::move(songs));
}

void StarBuilder::add_kept_songs(std::vector<model::SongRecord>&& songs) {
  assert(!songs_finished_);
  if (song_records_.empty()) {
    song_records_ = std::move(songs);
  } else {
    std::move(songs.begin(), songs.end(), std::back_inserter(song_records_));
  }
}

void StarBuilder::finish_songs(size_t threads) {
  // The three read the records and each writes its own members: with a
  // second thread, songs and artists are built beside the match index.
  if (threads > 1) {
    auto tables = std::async(std::launch::async, [this] {
      build_songs_table();
      build_artists_table();
    });
    build_match_index();
    tables.get();
  } else {
    build_songs_table();
    build_match_index();
    build_artists_table();
  }
  song_records_.clear();
  song_records_.shrink_to_fit();
  songs_finished_ = true;
}

void StarBuilder::build_songs_table() {
  using model::SongRecord;
  // songs: one row per song_id, the first by (title, artist_id, duration, year).
  std::vector<const SongRecord*> by_song;
  by_song.reserve(song_records_.size());
  for (const auto& record : song_records_) {
    if (record.song_id) by_song.push_back(&record);
  }
  std::sort(by_song.begin(), by_song.end(), [](const SongRecord* a, const SongRecord* b) {
    if (int c = a->song_id->compare(*b->song_id)) return c < 0;
    if (int c = compare_asc(a->title, b->title)) return c < 0;
    if (int c = compare_asc(a->artist_id, b->artist_id)) return c < 0;
    if (int c = compare_asc(a->duration, b->duration)) return c < 0;
    return compare_asc(a->year, b->year) < 0;
  });
  songs_.reserve(by_song.size());
  for (size_t idx = 0; idx < by_song.size(); ++idx) {
    const SongRecord& record = *by_song[idx];
    if (idx > 0 && *by_song[idx - 1]->song_id == *record.song_id) continue;
    songs_.push_back({*record.song_id, record.title, record.artist_id, record.year, record.duration});
  }
}

void StarBuilder::build_match_index() {
  for (const auto& record : song_records_) index_match(model::SongKeys::of(record));
}

void StarBuilder::build_artists_table() {
  using model::SongRecord;
  // artists: one row per artist_id, from its row with the smallest song_id.
  std::vector<const SongRecord*> by_artist;
  for (const auto& record : song_records_) {
    if (record.artist_id) by_artist.push_back(&record);
  }
  std::sort(by_artist.begin(), by_artist.end(), [](const SongRecord* a, const SongRecord* b) {
    if (int c = a->artist_id->compare(*b->artist_id)) return c < 0;
    if (int c = compare_asc(a->song_id, b->song_id)) return c < 0;
    if (int c = compare_asc(a->artist_name, b->artist_name)) return c < 0;
    if (int c = compare_asc(a->artist_location, b->artist_location)) return c < 0;
    if (int c = compare_asc(a->artist_latitude, b->artist_latitude)) return c < 0;
    return compare_asc(a->artist_longitude, b->artist_longitude) < 0;
  });
  for (size_t idx = 0; idx < by_artist.size(); ++idx) {
    const SongRecord& record = *by_artist[idx];
    if (idx > 0 && *by_artist[idx - 1]->artist_id == *record.artist_id) continue;
    artists_.push_back({*record.artist_id, record.artist_name, record.artist_location, record.artist_latitude,
                        record.artist_longitude});
  }
}

void StarBuilder::index_match(const model::SongKeys& song) {
  if (!song.matchable()) return;
  keep_smallest(MatchKey{intern_common(*song.title), intern_common(*song.artist_name), normalized(*song.duration)},
                song);
}

void StarBuilder::keep_smallest(const MatchKey& key, const model::SongKeys& song) {
  // Per (title, artist_name, duration), the song with the smallest
  // song_id, then artist_id: one pass keeping the smallest so far.
  auto ids = [&] { return Match{song_ids_.intern(*song.song_id), song_ids_.intern(song.artist_id)}; };
  auto [slot, inserted] = matches_->try_emplace(key, static_cast<uint32_t>(match_ids_.size()));
  if (inserted) {
    match_ids_.push_back(ids());
    return;
  }
  Match& kept = match_ids_[slot->second];
  int order = song.song_id->compare(*song_ids_.get(kept.song_id));
  if (order < 0 || (order == 0 && compare_asc(song.artist_id, song_ids_.get(kept.artist_id)) < 0)) kept = ids();
}

void StarBuilder::finish_songs_for_matching() {
  assert(song_records_.empty());
  song_rows_ = 0;
  artist_rows_ = 0;
  songs_finished_ = true;
}

void StarBuilder::add_song_keys(const model::SongKeys& song) {
  assert(song_rows_ && !finished_);
  // Only a song whose title and artist name some play holds can match one.
  if (!song.matchable()) return;
  auto held = [this](std::string_view text) {
    return text_.find(text) ||
           std::any_of(shards_.begin(), shards_.end(), [&](const auto& shard) { return shard->text.find(text); });
  };
  if (!held(*song.title) || !held(*song.artist_name)) return;
  keep_smallest(MatchKey{intern_common(*song.title), intern_common(*song.artist_name), normalized(*song.duration)},
                song);
  match_in_finish_ = true;
}

void StarBuilder::set_song_table_rows(size_t song_rows, size_t artist_rows) {
  assert(song_rows_ && !finished_);
  song_rows_ = song_rows;
  artist_rows_ = artist_rows;
}

size_t StarBuilder::set_event_shards(size_t wanted) {
  assert(no_events_yet());
  size_t shards = std::clamp<size_t>(wanted, 1, kMaxEventShards);
  shards_.clear();
  for (size_t idx = 0; idx < shards; ++idx) {
    shards_.push_back(std::make_unique<EventShard>(static_cast<uint32_t>(idx + 1)));
    if (latest_by_user_day_) shards_.back()->latest_by_user_day = std::make_unique<LatestByUserDay>();
  }
  return shards;
}

void StarBuilder::add_events(size_t shard_idx, const std::vector<model::EventRecord>& events) {
  assert(songs_finished_ && !finished_);
  // Only this shard is written; text_ and the match index are only read
  // (nothing writes them while events come in).
  EventShard& shard = *shards_.at(shard_idx);
  shard.events_added += static_cast<int64_t>(events.size());
  for (const auto& event : events) {
    if (!event.user_id) continue;  // logged-out events give no user and no songplay

    consider_user_event(*event.user_id, UserEvent::of(event), shard.latest_by_user, shard.latest_by_user_day.get());

    if (!event.page || *event.page != "NextSong") continue;
    Play play;
    play.user_id = *event.user_id;
    play.has_ts = event.ts.has_value();
    play.ts = event.ts.value_or(0);
    play.has_length = event.length.has_value();
    play.length = normalized(event.length.value_or(0));
    play.has_session = event.session_id.has_value();
    play.session_id = event.session_id.value_or(0);
    play.has_item = event.item_in_session.has_value();
    play.item_in_session = event.item_in_session.value_or(0);
    play.level = shard.intern(event.level);
    play.song = shard.intern(event.song);
    play.artist = shard.intern(event.artist);
    play.location = shard.intern(event.location);
    play.user_agent = shard.intern(event.user_agent);
    match(play);
    shard.plays.push_back(play);
  }
}

bool StarBuilder::no_events_yet() const {
  return events_added_ == 0 &&
         std::all_of(shards_.begin(), shards_.end(), [](const auto& shard) { return shard->events_added == 0; });
}

void StarBuilder::add_play(Play play) {
  match(play);
  plays_.push_back(play);
}

std::optional<std::string_view> StarBuilder::text_of(uint32_t id) const {
  if (id == StringPool::kNull) return std::nullopt;
  uint32_t pool = id >> kLocalBits;
  const StringPool& texts = pool == 0 ? text_ : shards_[pool - 1]->text;
  return texts.get(id & kLocalMask);
}

std::optional<uint32_t> StarBuilder::common_id(uint32_t id) const {
  if (id == StringPool::kNull) return std::nullopt;
  if ((id >> kLocalBits) == 0) return id;
  return text_.find(*text_of(id));
}

uint32_t StarBuilder::intern_common(std::optional<std::string_view> value) { return pooled(0, text_.intern(value)); }

void StarBuilder::match(Play& play) {
  if (!play.has_length || matches_->empty()) return;
  auto song = common_id(play.song);
  auto artist = common_id(play.artist);
  if (!song || !artist) return;
  auto match = matches_->find(MatchKey{*song, *artist, play.length});
  if (match != matches_->end()) {
    play.match = match->second;
  }
}

template <typename Map>
void StarBuilder::keep_latest(Map& map, typename Map::key_type key, const UserEvent& event) {
  // The latest event by ts, item_in_session, session_id desc, then the
  // attributes themselves for a total order.
  auto later = [](const UserEvent& a, const UserEvent& b) {
    int c = compare_desc(a.ts, b.ts);
    if (c == 0) c = compare_desc(a.item_in_session, b.item_in_session);
    if (c == 0) c = compare_desc(a.session_id, b.session_id);
    if (c == 0) c = compare_asc(a.level, b.level);
    if (c == 0) c = compare_asc(a.first_name, b.first_name);
    if (c == 0) c = compare_asc(a.last_name, b.last_name);
    if (c == 0) c = compare_asc(a.gender, b.gender);
    return c < 0;
  };
  auto [slot, inserted] = map.try_emplace(key);
  if (inserted || later(event, slot->second.view())) slot->second.take(event);
}

void StarBuilder::consider_user_event(int32_t user_id, const UserEvent& event, LatestByUser& by_user,
                                      LatestByUserDay* by_user_day) {
  keep_latest(by_user, user_id, event);
  if (by_user_day) keep_latest(*by_user_day, user_day_key(user_id, event.ts), event);
}

void StarBuilder::keep_user_days() {
  assert(no_events_yet());
  latest_by_user_day_ = std::make_unique<LatestByUserDay>();
  for (const auto& shard : shards_) shard->latest_by_user_day = std::make_unique<LatestByUserDay>();
}

StarBuilder::Play StarBuilder::kept_key(const KeptPlay& kept) {
  Play play;
  play.id = kept.songplay_id;
  play.user_id = kept.user_id;
  play.has_session = kept.session_id.has_value();
  play.session_id = kept.session_id.value_or(0);
  play.has_item = kept.item_in_session.has_value();
  play.item_in_session = kept.item_in_session.value_or(0);
  largest_kept_id_ = std::max(largest_kept_id_, kept.songplay_id);
  return play;
}

void StarBuilder::add_kept_plays(const std::vector<KeptPlay>& plays) {
  assert(songs_finished_ && !finished_);
  for (const auto& kept : plays) {
    Play play = kept_key(kept);
    play.has_ts = kept.ts.has_value();
    play.ts = kept.ts.value_or(0);
    play.has_length = kept.length.has_value();
    play.length = normalized(kept.length.value_or(0));
    play.level = intern_common(kept.level);
    play.song = intern_common(kept.song);
    play.artist = intern_common(kept.artist);
    play.location = intern_common(kept.location);
    play.user_agent = intern_common(kept.user_agent);
    add_play(play);
  }
}

void StarBuilder::add_replaced_play_ids(const std::vector<KeptPlay>& plays) {
  assert(songs_finished_ && !finished_);
  for (const auto& kept : plays) {
    Play play = kept_key(kept);
    play.id_only = true;
    plays_.push_back(play);
  }
}

void StarBuilder::add_kept_user_days(const std::vector<KeptUserDay>& days) {
  assert(!finished_);
  for (const auto& day : days) {
    consider_user_event(day.user_id, UserEvent::of(day), *latest_by_user_, latest_by_user_day_.get());
  }
}

void StarBuilder::number_new_plays_after(int64_t largest_kept_id) {
  largest_kept_id_ = std::max(largest_kept_id_, largest_kept_id);
}

void StarBuilder::merge_shards() {
  for (auto& shard : shards_) {
    events_added_ += shard->events_added;
    shard->events_added = 0;
    // Front to back, so that the shard's blocks are freed as the builder's
    // grow: never both copies whole.
    while (!shard->plays.empty()) {
      plays_.push_back(shard->plays.front());
      shard->plays.pop_front();
    }
    for (const auto& [user_id, latest] : shard->latest_by_user) keep_latest(*latest_by_user_, user_id, latest.view());
    shard->latest_by_user.clear();
    if (shard->latest_by_user_day) {
      for (const auto& [key, latest] : *shard->latest_by_user_day)
        keep_latest(*latest_by_user_day_, key, latest.view());
      shard->latest_by_user_day->clear();
    }
  }
}

void StarBuilder::finish() {
  assert(songs_finished_ && !finished_);
  merge_shards();
  if (match_in_finish_) {
    for (auto& play : plays_) match(play);
  }
  // One songplay per (user_id, session_id, item_in_session): keep the first
  // by ts, level, song, artist, length, location, user_agent.
  auto text_cmp = [this](uint32_t a, uint32_t b) { return a == b ? 0 : compare_asc(text_of(a), text_of(b)); };
  std::sort(plays_.begin(), plays_.end(), [&](const Play& a, const Play& b) {
    if (a.user_id != b.user_id) return a.user_id < b.user_id;
    if (int c = compare_asc(a.session_opt(), b.session_opt())) return c < 0;
    if (int c = compare_asc(a.item_opt(), b.item_opt())) return c < 0;
    if (a.id_only != b.id_only) return b.id_only;  // a copy before a kept id
    if (int c = compare_asc(a.ts_opt(), b.ts_opt())) return c < 0;
    if (int c = text_cmp(a.level, b.level)) return c < 0;
    if (int c = text_cmp(a.song, b.song)) return c < 0;
    if (int c = text_cmp(a.artist, b.artist)) return c < 0;
    if (int c = compare_asc(a.length_opt(), b.length_opt())) return c < 0;
    if (int c = text_cmp(a.location, b.location)) return c < 0;
    return text_cmp(a.user_agent, b.user_agent) < 0;
  });
  auto same_key = [](const Play& a, const Play& b) {
    return a.user_id == b.user_id && a.session_opt() == b.session_opt() && a.item_opt() == b.item_opt();
  };
  // A key keeps the id an earlier load gave it, whichever copy is chosen.
  for (size_t first = 0, next = 0; first < plays_.size(); first = next) {
    int64_t kept_id = 0;
    for (next = first; next < plays_.size() && same_key(plays_[first], plays_[next]); ++next) {
      kept_id = std::max(kept_id, plays_[next].id);
    }
    plays_[first].id = kept_id;
  }
  plays_.erase(std::unique(plays_.begin(), plays_.end(), same_key), plays_.end());
  // A key with a kept id and no copy: the backfill's events no longer hold it.
  plays_.erase(std::remove_if(plays_.begin(), plays_.end(), [](const Play& play) { return play.id_only; }),
               plays_.end());
  plays_.shrink_to_fit();

  // songplay_id follows (start_time, user_id, session_id, item_in_session).
  std::sort(plays_.begin(), plays_.end(), [](const Play& a, const Play& b) {
    if (int c = compare_asc(a.ts_opt(), b.ts_opt())) return c < 0;
    if (a.user_id != b.user_id) return a.user_id < b.user_id;
    if (int c = compare_asc(a.session_opt(), b.session_opt())) return c < 0;
    return compare_asc(a.item_opt(), b.item_opt()) < 0;
  });

  // New keys are numbered in that order, after the largest id kept.
  int64_t next_id = largest_kept_id_;
  for (auto& play : plays_) {
    if (play.id == 0) play.id = ++next_id;
  }

  time_rows_ = 0;
  for_each_time_row([this](const model::TimeRow&) { ++time_rows_; });

  users_.reserve(latest_by_user_->size());
  for (auto& [user_id, latest] : *latest_by_user_) {
    users_.push_back({user_id, std::move(latest.first_name), std::move(latest.last_name), std::move(latest.gender),
                      std::move(latest.level)});
  }
  std::sort(users_.begin(), users_.end(),
            [](const model::UserRow& a, const model::UserRow& b) { return a.user_id < b.user_id; });
  latest_by_user_->clear();
  matches_->clear();
  finished_ = true;
}

void StarBuilder::for_each_time_row(const std::function<void(const model::TimeRow&)>& on_row) const {
  // Plays are in start_time order: each start_time's plays come together.
  std::optional<int64_t> last;
  for (const Play& play : plays_) {
    if (!play.has_ts || play.ts == last) continue;
    last = play.ts;
    on_row(time_row_of(play.ts));
  }
}

KeptPlay StarBuilder::kept_play(size_t index) const {
  const Play& play = plays_[index];
  KeptPlay kept;
  kept.songplay_id = play.id;
  kept.ts = play.ts_opt();
  kept.user_id = play.user_id;
  kept.session_id = play.session_opt();
  kept.item_in_session = play.item_opt();
  kept.level = owned(text_of(play.level));
  kept.song = owned(text_of(play.song));
  kept.artist = owned(text_of(play.artist));
  kept.length = play.length_opt();
  kept.location = owned(text_of(play.location));
  kept.user_agent = owned(text_of(play.user_agent));
  return kept;
}

std::vector<KeptUserDay> StarBuilder::user_days() const {
  std::vector<KeptUserDay> days;
  if (!latest_by_user_day_) return days;
  days.reserve(latest_by_user_day_->size());
  for (const auto& [key, latest] : *latest_by_user_day_) {
    days.push_back({static_cast<int32_t>(key >> 32), latest.ts, latest.item_in_session, latest.session_id,
                    latest.level, latest.first_name, latest.last_name, latest.gender});
  }
  std::sort(days.begin(), days.end(), [](const KeptUserDay& a, const KeptUserDay& b) {
    if (a.user_id != b.user_id) return a.user_id < b.user_id;
    return compare_asc(a.ts, b.ts) < 0;
  });
  return days;
}

int64_t StarBuilder::largest_songplay_id() const {
  int64_t largest = largest_kept_id_;
  for (const auto& play : plays_) largest = std::max(largest, play.id);
  return largest;
}

size_t StarBuilder::songplay_count() const { return plays_.size(); }

SongplayView StarBuilder::songplay(size_t index) const {
  const Play& play = plays_[index];
  SongplayView view;
  view.songplay_id = play.id;
  view.start_time_ms = play.ts_opt();
  view.user_id = play.user_id;
  view.level = text_of(play.level);
  if (play.match != kNoMatch) {
    view.song_id = song_ids_.get(match_ids_[play.match].song_id);
    view.artist_id = song_ids_.get(match_ids_[play.match].artist_id);
  }
  view.session_id = play.session_opt();
  view.location = text_of(play.location);
  view.user_agent = text_of(play.user_agent);
  return view;
}

model::TableCounts StarBuilder::counts() const {
  model::TableCounts counts;
  counts.staging_songs = songs_added_;
  counts.staging_events = events_added_;
  counts.songplays = static_cast<int64_t>(plays_.size());
  counts.users = static_cast<int64_t>(users_.size());
  counts.songs = static_cast<int64_t>(song_rows_.value_or(songs_.size()));
  counts.artists = static_cast<int64_t>(artist_rows_.value_or(artists_.size()));
  counts.time = static_cast<int64_t>(time_rows_);
  return counts;
}

model::StarSchema StarBuilder::to_star_schema() const {
  model::StarSchema star;
  star.songplays.reserve(plays_.size());
  for (size_t idx = 0; idx < plays_.size(); ++idx) {
    SongplayView view = songplay(idx);
    model::SongplayRow row;
    row.songplay_id = view.songplay_id;
    row.start_time_ms = view.start_time_ms;
    row.user_id = view.user_id;
    row.level = owned(view.level);
    row.song_id = owned(view.song_id);
    row.artist_id = owned(view.artist_id);
    row.session_id = view.session_id;
    row.location = owned(view.location);
    row.user_agent = owned(view.user_agent);
    star.songplays.push_back(std::move(row));
  }
  star.users = users_;
  star.songs = songs_;
  star.artists = artists_;
  for_each_time_row([&star](const model::TimeRow& row) { star.time.push_back(row); });
  return star;
}

}  // namespace sparkify::transform
