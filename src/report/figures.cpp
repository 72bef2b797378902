#include "report/figures.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <vector>

#include "report/categories.h"

namespace sparkify::report {
namespace {

using Label = std::optional<std::string>;

// The plays of one group of a ranking, and of the users who played them.
struct Group {
  int64_t plays = 0;
  int64_t first_play = std::numeric_limits<int64_t>::max();  // the smallest songplay_id
  std::set<int32_t> users;

  void add(const model::SongplayRow& play) {
    ++plays;
    first_play = std::min(first_play, play.songplay_id);
    users.insert(play.user_id);
  }
};

enum class Measure { kPlays, kUsers };

int64_t measure_of(const Group& group, Measure measure) {
  return measure == Measure::kPlays ? group.plays : static_cast<int64_t>(group.users.size());
}

// The groups as the rankings' SQL orders them (ORDER BY measure DESC,
// MIN(songplay_id)): the largest first, ties by the group played first.
template <typename Key, typename LabelsOf>
ChartRows ranked(const std::map<Key, Group>& groups, Measure measure, size_t limit, LabelsOf labels_of) {
  std::vector<std::pair<const Key*, const Group*>> order;
  for (const auto& [key, group] : groups) order.emplace_back(&key, &group);
  std::sort(order.begin(), order.end(), [measure](const auto& left, const auto& right) {
    int64_t left_measure = measure_of(*left.second, measure);
    int64_t right_measure = measure_of(*right.second, measure);
    if (left_measure != right_measure) return left_measure > right_measure;
    return left.second->first_play < right.second->first_play;
  });
  if (order.size() > limit) order.resize(limit);
  ChartRows rows;
  for (const auto& [key, group] : order) rows.push_back({labels_of(*key), {measure_of(*group, measure)}});
  return rows;
}

// Rows keyed by day, in day order.
template <typename Value, typename ValuesOf>
ChartRows by_day(const std::map<std::string, Value>& days, ValuesOf values_of) {
  ChartRows rows;
  for (const auto& [day, value] : days) rows.push_back({{day}, values_of(value)});
  return rows;
}

// A histogram's rows: the buckets that hold anything, in bucket order (the
// SQL orders them by their smallest value).
ChartRows histogram(const std::vector<Bucket>& buckets, const std::map<std::string_view, int64_t>& counts) {
  ChartRows rows;
  for (const auto& bucket : buckets) {
    auto found = counts.find(bucket.label);
    if (found != counts.end()) rows.push_back({{std::string(bucket.label)}, {found->second}});
  }
  return rows;
}

// The rows of a dimension under each key, as an inner join finds them.
template <typename Row, typename KeyOf>
auto index_by(const std::vector<Row>& rows, KeyOf key_of) {
  std::unordered_multimap<std::decay_t<decltype(key_of(rows.front()))>, const Row*> index;
  for (const auto& row : rows) index.emplace(key_of(row), &row);
  return index;
}

auto time_index(const model::StarSchema& star) {
  return index_by(star.time, [](const model::TimeRow& row) { return row.start_time_ms; });
}

// Plays per part of the time table (JOIN time t ON t.start_time = p.start_time).
template <typename PartOf>
ChartRows plays_per_time_part(const model::StarSchema& star, PartOf part_of) {
  auto times = time_index(star);
  std::map<int32_t, int64_t> plays;
  for (const auto& play : star.songplays) {
    if (!play.start_time_ms) continue;
    auto [begin, end] = times.equal_range(*play.start_time_ms);
    for (auto it = begin; it != end; ++it) ++plays[part_of(*it->second)];
  }
  ChartRows rows;
  for (const auto& [part, count] : plays) rows.push_back({{std::to_string(part)}, {count}});
  return rows;
}

// Users per category of their plays' user agents (COUNT(DISTINCT user_id)).
ChartRows users_per_agent_category(const model::StarSchema& star, const std::vector<TextRule>& rules) {
  std::map<std::string_view, Group> groups;
  for (const auto& play : star.songplays) {
    if (play.user_agent) groups[text_category_of(*play.user_agent, rules, kOtherCategory)].add(play);
  }
  return ranked(groups, Measure::kUsers, std::numeric_limits<size_t>::max(),
                [](std::string_view category) { return std::vector<Label>{std::string(category)}; });
}

}  // namespace

std::string utc_date(int64_t epoch_ms) {
  using namespace std::chrono;
  year_month_day date{floor<days>(sys_time<milliseconds>(milliseconds(epoch_ms)))};
  return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(date.year()), static_cast<unsigned>(date.month()),
                     static_cast<unsigned>(date.day()));
}

ChartRows plays_per_day(const model::StarSchema& star) {
  std::map<std::string, int64_t> days;
  for (const auto& play : star.songplays) {
    if (play.start_time_ms) ++days[utc_date(*play.start_time_ms)];
  }
  return by_day(days, [](int64_t plays) { return std::vector<int64_t>{plays}; });
}

ChartRows plays_per_hour(const model::StarSchema& star) {
  return plays_per_time_part(star, [](const model::TimeRow& time) { return time.hour; });
}

ChartRows plays_per_weekday(const model::StarSchema& star) {
  return plays_per_time_part(star, [](const model::TimeRow& time) { return time.weekday; });
}

ChartRows top_songs(const model::StarSchema& star) {
  auto songs = index_by(star.songs, [](const model::SongRow& row) { return row.song_id; });
  auto artists = index_by(star.artists, [](const model::ArtistRow& row) { return row.artist_id; });
  // GROUP BY s.song_id, s.title, a.name
  using Key = std::tuple<std::string, Label, Label>;
  std::map<Key, Group> groups;
  for (const auto& play : star.songplays) {
    if (!play.song_id) continue;
    auto [song, songs_end] = songs.equal_range(*play.song_id);
    for (; song != songs_end; ++song) {
      const model::SongRow& row = *song->second;
      auto [artist, artists_end] =
          play.artist_id ? artists.equal_range(*play.artist_id) : std::make_pair(artists.end(), artists.end());
      if (artist == artists_end) groups[Key{row.song_id, row.title, std::nullopt}].add(play);
      for (; artist != artists_end; ++artist) groups[Key{row.song_id, row.title, artist->second->name}].add(play);
    }
  }
  return ranked(groups, Measure::kPlays, kTopRows, [](const Key& key) {
    return std::vector<Label>{std::get<1>(key), std::get<2>(key)};
  });
}

ChartRows top_artists(const model::StarSchema& star) {
  auto artists = index_by(star.artists, [](const model::ArtistRow& row) { return row.artist_id; });
  // GROUP BY p.artist_id, a.name
  using Key = std::pair<std::string, Label>;
  std::map<Key, Group> groups;
  for (const auto& play : star.songplays) {
    if (!play.artist_id) continue;
    auto [artist, artists_end] = artists.equal_range(*play.artist_id);
    if (artist == artists_end) groups[Key{*play.artist_id, std::nullopt}].add(play);
    for (; artist != artists_end; ++artist) groups[Key{*play.artist_id, artist->second->name}].add(play);
  }
  return ranked(groups, Measure::kPlays, kTopRows, [](const Key& key) { return std::vector<Label>{key.second}; });
}

ChartRows plays_per_day_by_level(const model::StarSchema& star) {
  std::map<std::string, std::pair<int64_t, int64_t>> days;  // free, paid
  for (const auto& play : star.songplays) {
    if (!play.start_time_ms) continue;
    auto& day = days[utc_date(*play.start_time_ms)];
    if (play.level == "free") ++day.first;
    if (play.level == "paid") ++day.second;
  }
  return by_day(days, [](const auto& plays) { return std::vector<int64_t>{plays.first, plays.second}; });
}

ChartRows users_per_day_by_level(const model::StarSchema& star) {
  struct Day {
    std::set<int32_t> free_users;
    std::set<int32_t> paid_users;
    int64_t upgraded = 0;
  };
  struct FirstPlays {
    std::optional<int64_t> free_ms;
    std::optional<int64_t> paid_ms;
  };
  std::map<std::string, Day> days;
  std::map<int32_t, FirstPlays> users;
  for (const auto& play : star.songplays) {
    if (!play.start_time_ms) continue;
    Day& day = days[utc_date(*play.start_time_ms)];
    auto keep_first = [&](std::optional<int64_t>& first) {
      if (!first || *play.start_time_ms < *first) first = play.start_time_ms;
    };
    if (play.level == "free") {
      day.free_users.insert(play.user_id);
      keep_first(users[play.user_id].free_ms);
    }
    if (play.level == "paid") {
      day.paid_users.insert(play.user_id);
      keep_first(users[play.user_id].paid_ms);
    }
  }
  // A user upgraded on the day of their first paid play when a free play
  // came before it.
  for (const auto& [user_id, first] : users) {
    if (first.free_ms && first.paid_ms && *first.free_ms < *first.paid_ms) ++days[utc_date(*first.paid_ms)].upgraded;
  }
  return by_day(days, [](const Day& day) {
    return std::vector<int64_t>{static_cast<int64_t>(day.free_users.size()),
                                static_cast<int64_t>(day.paid_users.size()), day.upgraded};
  });
}

ChartRows new_users_per_day(const model::StarSchema& star) {
  std::map<int32_t, int64_t> first_play_ms;
  for (const auto& play : star.songplays) {
    if (!play.start_time_ms) continue;
    auto [it, added] = first_play_ms.emplace(play.user_id, *play.start_time_ms);
    if (!added) it->second = std::min(it->second, *play.start_time_ms);
  }
  std::map<std::string, int64_t> days;
  for (const auto& [user_id, first_ms] : first_play_ms) ++days[utc_date(first_ms)];
  return by_day(days, [](int64_t users) { return std::vector<int64_t>{users}; });
}

ChartRows sessions_per_user(const model::StarSchema& star) {
  std::map<int32_t, std::set<int32_t>> sessions;
  for (const auto& play : star.songplays) {
    if (play.session_id) sessions[play.user_id].insert(*play.session_id);
  }
  std::map<std::string_view, int64_t> users;
  for (const auto& [user_id, ids] : sessions) {
    ++users[bucket_of(static_cast<int64_t>(ids.size()), 1, session_count_buckets())];
  }
  return histogram(session_count_buckets(), users);
}

ChartRows session_lengths(const model::StarSchema& star) {
  std::map<std::pair<int32_t, int32_t>, std::pair<int64_t, int64_t>> spans;  // (user, session) → first, last
  for (const auto& play : star.songplays) {
    if (!play.session_id || !play.start_time_ms) continue;
    int64_t at = *play.start_time_ms;
    auto [it, added] = spans.emplace(std::make_pair(play.user_id, *play.session_id), std::make_pair(at, at));
    if (!added) it->second = {std::min(it->second.first, at), std::max(it->second.second, at)};
  }
  std::map<std::string_view, int64_t> sessions;
  for (const auto& [session, span] : spans) {
    ++sessions[bucket_of(span.second - span.first, 1000, session_length_buckets())];
  }
  return histogram(session_length_buckets(), sessions);
}

ChartRows top_locations(const model::StarSchema& star) {
  std::map<std::string, Group> groups;
  for (const auto& play : star.songplays) {
    if (play.location) groups[*play.location].add(play);
  }
  return ranked(groups, Measure::kPlays, kTopRows,
                [](const std::string& location) { return std::vector<Label>{location}; });
}

ChartRows users_per_browser(const model::StarSchema& star) { return users_per_agent_category(star, browser_rules()); }

ChartRows users_per_os(const model::StarSchema& star) { return users_per_agent_category(star, os_rules()); }

ChartRows song_matches(const model::StarSchema& star) {
  int64_t matched = 0;
  for (const auto& play : star.songplays) matched += play.song_id ? 1 : 0;
  int64_t unmatched = static_cast<int64_t>(star.songplays.size()) - matched;
  ChartRows rows;
  if (matched > 0) rows.push_back({{"matched"}, {matched}});
  if (unmatched > 0) rows.push_back({{"unmatched"}, {unmatched}});
  return rows;
}

}  // namespace sparkify::report
