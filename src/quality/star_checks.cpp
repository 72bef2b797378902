#include "quality/star_checks.h"

#include <charconv>
#include <chrono>
#include <map>
#include <set>

#include <fmt/format.h>

#include "model/error.h"

namespace sparkify::quality {
namespace {

using Value = std::optional<std::string>;

Value text(const std::optional<std::string>& value) { return value; }

template <typename Number>
Value number(const std::optional<Number>& value) {
  if (!value) return std::nullopt;
  char buffer[32];
  auto [end, error] = std::to_chars(buffer, buffer + sizeof buffer, *value);
  return std::string(buffer, end);
}

// As CAST(timestamp AS VARCHAR) prints it: 2018-11-01 21:01:46.796.
Value timestamp(const std::optional<int64_t>& epoch_ms) {
  if (!epoch_ms) return std::nullopt;
  using namespace std::chrono;
  sys_time<milliseconds> instant{milliseconds{*epoch_ms}};
  auto day = floor<days>(instant);
  year_month_day date{day};
  hh_mm_ss<milliseconds> clock{instant - day};
  std::string out = fmt::format("{:04}-{:02}-{:02} {:02}:{:02}:{:02}", static_cast<int>(date.year()),
                                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                                clock.hours().count(), clock.minutes().count(), clock.seconds().count());
  if (auto ms = clock.subseconds().count(); ms != 0) {
    std::string fraction = fmt::format(".{:03}", ms);
    while (fraction.back() == '0') fraction.pop_back();
    out += fraction;
  }
  return out;
}

// One column of one table, every row's value as text.
std::vector<Value> column(const model::StarSchema& star, const std::string& table, const std::string& name) {
  std::vector<Value> values;
  auto fail = [&] { throw UsageError("a check names column '" + name + "' of " + table + ", which has no such column"); };
  if (table == "songplays") {
    for (const auto& row : star.songplays) {
      if (name == "songplay_id") values.push_back(number(std::optional<int64_t>(row.songplay_id)));
      else if (name == "start_time") values.push_back(timestamp(row.start_time_ms));
      else if (name == "user_id") values.push_back(number(std::optional<int32_t>(row.user_id)));
      else if (name == "level") values.push_back(text(row.level));
      else if (name == "song_id") values.push_back(text(row.song_id));
      else if (name == "artist_id") values.push_back(text(row.artist_id));
      else if (name == "session_id") values.push_back(number(row.session_id));
      else if (name == "location") values.push_back(text(row.location));
      else if (name == "user_agent") values.push_back(text(row.user_agent));
      else fail();
    }
  } else if (table == "users") {
    for (const auto& row : star.users) {
      if (name == "user_id") values.push_back(number(std::optional<int32_t>(row.user_id)));
      else if (name == "first_name") values.push_back(text(row.first_name));
      else if (name == "last_name") values.push_back(text(row.last_name));
      else if (name == "gender") values.push_back(text(row.gender));
      else if (name == "level") values.push_back(text(row.level));
      else fail();
    }
  } else if (table == "songs") {
    for (const auto& row : star.songs) {
      if (name == "song_id") values.push_back(row.song_id);
      else if (name == "title") values.push_back(text(row.title));
      else if (name == "artist_id") values.push_back(text(row.artist_id));
      else if (name == "year") values.push_back(number(row.year));
      else if (name == "duration") values.push_back(number(row.duration));
      else fail();
    }
  } else if (table == "artists") {
    for (const auto& row : star.artists) {
      if (name == "artist_id") values.push_back(row.artist_id);
      else if (name == "name") values.push_back(text(row.name));
      else if (name == "location") values.push_back(text(row.location));
      else if (name == "latitude") values.push_back(number(row.latitude));
      else if (name == "longitude") values.push_back(number(row.longitude));
      else fail();
    }
  } else if (table == "time") {
    for (const auto& row : star.time) {
      if (name == "start_time") values.push_back(timestamp(std::optional<int64_t>(row.start_time_ms)));
      else if (name == "hour") values.push_back(number(std::optional<int32_t>(row.hour)));
      else if (name == "day") values.push_back(number(std::optional<int32_t>(row.day)));
      else if (name == "week") values.push_back(number(std::optional<int32_t>(row.week)));
      else if (name == "month") values.push_back(number(std::optional<int32_t>(row.month)));
      else if (name == "year") values.push_back(number(std::optional<int32_t>(row.year)));
      else if (name == "weekday") values.push_back(number(std::optional<int32_t>(row.weekday)));
      else fail();
    }
  } else {
    throw UsageError("a check names table '" + table + "', which is not one of songplays, users, songs, artists, time");
  }
  return values;
}

size_t row_count(const model::StarSchema& star, const std::string& table) {
  if (table == "songplays") return star.songplays.size();
  if (table == "users") return star.users.size();
  if (table == "songs") return star.songs.size();
  if (table == "artists") return star.artists.size();
  if (table == "time") return star.time.size();
  throw UsageError("a check names table '" + table + "', which is not one of songplays, users, songs, artists, time");
}

void add_sample(std::vector<std::string>& sample, const std::string& key) {
  if (sample.size() < kSampleKeys) sample.push_back(key);
}

CheckResult run_one(const Check& check, const model::StarSchema& star, std::optional<int64_t> next_song_events) {
  if (check.kind == CheckKind::kSql) {
    CheckResult skipped;
    skipped.name = check.name;
    skipped.skipped = true;
    skipped.note = "a SQL check runs on a warehouse";
    return skipped;
  }
  auto examined = static_cast<int64_t>(row_count(star, check.table));
  std::vector<std::string> sample;
  int64_t second = 0;
  switch (check.kind) {
    case CheckKind::kMinRows:
      second = examined < check.min_rows ? 1 : 0;
      break;
    case CheckKind::kUnique: {
      std::map<std::string, int> seen;
      for (const auto& value : column(star, check.table, check.column)) {
        if (value) ++seen[*value];
      }
      for (const auto& [value, count] : seen) {
        if (count < 2) continue;
        ++second;
        add_sample(sample, value);
      }
      break;
    }
    case CheckKind::kNotNull: {
      std::string key = key_column_of(check.table);
      std::vector<Value> values = column(star, check.table, check.column);
      std::vector<Value> keys = column(star, check.table, key);
      for (size_t row = 0; row < values.size(); ++row) {
        if (values[row]) continue;
        ++second;
        if (check.column != key) add_sample(sample, keys[row].value_or("NULL"));
      }
      break;
    }
    case CheckKind::kReferences: {
      std::set<std::string> parents;
      for (const auto& value : column(star, check.parent_table, check.parent_column)) {
        if (value) parents.insert(*value);
      }
      std::vector<Value> values = column(star, check.table, check.column);
      std::vector<Value> keys = column(star, check.table, key_column_of(check.table));
      for (size_t row = 0; row < values.size(); ++row) {
        if (!values[row] || parents.count(*values[row])) continue;
        ++second;
        add_sample(sample, keys[row].value_or("NULL") + " -> " + *values[row]);
      }
      break;
    }
    case CheckKind::kPlaysWithinEvents:
      if (!next_song_events) {
        CheckResult skipped;
    skipped.name = check.name;
        skipped.examined = examined;
        skipped.skipped = true;
        skipped.note = "the events loaded are not known here";
        return skipped;
      }
      second = examined - *next_song_events;
      break;
    case CheckKind::kMatchRate:
      for (const auto& value : column(star, "songplays", "song_id")) second += value ? 1 : 0;
      break;
    case CheckKind::kSql:
      break;
  }
  return result_of(check, examined, second, std::move(sample));
}

}  // namespace

std::vector<CheckResult> run_star_checks(const std::vector<Check>& checks, const model::StarSchema& star,
                                         std::optional<int64_t> next_song_events) {
  std::vector<CheckResult> results;
  for (const auto& check : checks) results.push_back(run_one(check, star, next_song_events));
  return results;
}

}  // namespace sparkify::quality
