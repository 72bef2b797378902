// A window of whole UTC days (etl --since/--until), and the one calendar
// rule every part of a backfill reads: which day an event's ts falls on,
// what "YYYY-MM-DD" means. A day is counted from 1970-01-01 (day 0), so
// that days before it are negative.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sparkify::model {

inline constexpr int64_t kMillisPerDay = 86400000;

// The UTC day of `ts_ms` (epoch milliseconds), rounded down.
int64_t day_of_ts(int64_t ts_ms);

// The day "YYYY-MM-DD" names (four-digit year, two-digit month and day, a
// real calendar date); nullopt for anything else.
std::optional<int64_t> parse_day(std::string_view text);

// `day` as "YYYY-MM-DD".
std::string day_text(int64_t day);

// Days from first_day to last_day, both included; an end not given is open.
// Events are judged by their ts alone: an event without one is outside
// every window.
struct DayWindow {
  std::optional<int64_t> first_day;
  std::optional<int64_t> last_day;

  bool contains_day(int64_t day) const;
  bool contains_ts(const std::optional<int64_t>& ts_ms) const;
  // Whether some day from `first` to `last` (included) lies inside.
  bool overlaps(int64_t first, int64_t last) const;
  // The window as epoch milliseconds: ts >= start_ms() and ts < end_ms().
  std::optional<int64_t> start_ms() const;
  std::optional<int64_t> end_ms() const;
  // "2018-11-05 to 2018-11-06 (UTC)", "from 2018-11-05 (UTC)", …
  std::string describe() const;
};

}  // namespace sparkify::model
