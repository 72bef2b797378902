// A small star schema, worked out by hand, for the report's unit tests:
// two days of plays (2018-11-01, a Thursday, and 2018-11-02) by four
// users, one of whom upgrades, with a play that has no start time, one
// that matched no song and one with no location or user agent.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "model/star.h"

namespace sparkify::report {

inline constexpr int64_t kNov1Ms = 1541030400000;  // 2018-11-01 00:00 UTC
inline constexpr int64_t kMinuteMs = 60'000;
inline constexpr int64_t kHourMs = 60 * kMinuteMs;

inline constexpr const char* kChromeOnWindows =
    "Mozilla/5.0 (Windows NT 6.1; WOW64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/36.0.1985.143 "
    "Safari/537.36";
inline constexpr const char* kFirefoxOnLinux = "Mozilla/5.0 (X11; Linux x86_64; rv:31.0) Gecko/20100101 Firefox/31.0";
inline constexpr const char* kSafariOnIphone =
    "Mozilla/5.0 (iPhone; CPU iPhone OS 7_1_2 like Mac OS X) AppleWebKit/537.51.2 (KHTML, like Gecko) "
    "Version/7.0 Mobile/11D257 Safari/9537.53";

inline model::SongplayRow play(int64_t id, std::optional<int64_t> start_ms, int32_t user, const char* level,
                               std::optional<std::string> song, std::optional<std::string> artist,
                               std::optional<int32_t> session, std::optional<std::string> location,
                               std::optional<std::string> agent) {
  return {
      id, start_ms, user, level, std::move(song), std::move(artist), session, std::move(location), std::move(agent)};
}

// The time row of a start time in the star below (hour and weekday are
// what the charts read).
inline model::TimeRow time_of(int64_t start_ms, int32_t hour, int32_t day, int32_t weekday) {
  model::TimeRow row;
  row.start_time_ms = start_ms;
  row.hour = hour;
  row.day = day;
  row.week = 44;
  row.month = 11;
  row.year = 2018;
  row.weekday = weekday;
  return row;
}

inline model::StarSchema small_star() {
  model::StarSchema star;
  const int64_t day2 = kNov1Ms + 24 * kHourMs;
  star.songplays = {
      play(1, kNov1Ms + kHourMs, 10, "free", "S1", "A1", 1, "Paris", kChromeOnWindows),
      play(2, kNov1Ms + kHourMs + 5 * kMinuteMs, 10, "free", "S1", "A1", 1, "Paris", kChromeOnWindows),
      play(3, kNov1Ms + 2 * kHourMs, 20, "paid", "S2", "A2", 7, "Berlin", kFirefoxOnLinux),
      play(4, day2 + kHourMs, 10, "paid", std::nullopt, std::nullopt, 2, "Paris", kSafariOnIphone),
      play(5, day2 + 2 * kHourMs, 30, "free", "S2", "A2", 3, std::nullopt, std::nullopt),
      play(6, std::nullopt, 40, "free", "S1", "A1", std::nullopt, "Rome", kChromeOnWindows),
  };
  star.users = {{10, "Ann", "A", "F", "paid"},
                {20, "Bo", "B", "M", "paid"},
                {30, "Cy", "C", "M", "free"},
                {40, "Di", "D", "F", "free"}};
  star.songs = {{"S1", "Song <One>", "A1", 2001, 200.5}, {"S2", "Two", "A2", 0, 180.0}};
  star.artists = {{"A1", "Artist & Co", "Paris", std::nullopt, std::nullopt},
                  {"A2", "Other", std::nullopt, std::nullopt, std::nullopt}};
  star.time = {time_of(kNov1Ms + kHourMs, 1, 1, 4), time_of(kNov1Ms + kHourMs + 5 * kMinuteMs, 1, 1, 4),
               time_of(kNov1Ms + 2 * kHourMs, 2, 1, 4), time_of(day2 + kHourMs, 1, 2, 5),
               time_of(day2 + 2 * kHourMs, 2, 2, 5)};
  return star;
}

}  // namespace sparkify::report
