#include "report/charts.h"

#include <fmt/format.h>

#include <stdexcept>

#include "report/categories.h"
#include "report/figures.h"

namespace sparkify::report {
namespace {

// The SQL is the subset PostgreSQL and DuckDB share, so one text serves a
// warehouse (psql) and a lake (DuckDB over the views of lake_sql.h). Ties
// in a ranking go to the group played first (MIN(songplay_id)), an order
// both engines and the rows in memory agree on, whatever the collation.

constexpr const char* kPlaysPerDay = R"(SELECT CAST(start_time AS DATE) AS day, COUNT(*) AS plays
FROM songplays
WHERE start_time IS NOT NULL
GROUP BY CAST(start_time AS DATE)
ORDER BY day;)";

constexpr const char* kPlaysPerHour = R"(SELECT t.hour, COUNT(*) AS plays
FROM songplays p
JOIN time t ON t.start_time = p.start_time
GROUP BY t.hour
ORDER BY t.hour;)";

constexpr const char* kPlaysPerWeekday = R"(SELECT t.weekday, COUNT(*) AS plays
FROM songplays p
JOIN time t ON t.start_time = p.start_time
GROUP BY t.weekday
ORDER BY t.weekday;)";

constexpr const char* kTopSongs = R"(SELECT s.title, a.name AS artist, COUNT(*) AS plays
FROM songplays p
JOIN songs s ON s.song_id = p.song_id
LEFT JOIN artists a ON a.artist_id = p.artist_id
GROUP BY s.song_id, s.title, a.name
ORDER BY plays DESC, MIN(p.songplay_id)
LIMIT {};)";

constexpr const char* kTopArtists = R"(SELECT a.name AS artist, COUNT(*) AS plays
FROM songplays p
LEFT JOIN artists a ON a.artist_id = p.artist_id
WHERE p.artist_id IS NOT NULL
GROUP BY p.artist_id, a.name
ORDER BY plays DESC, MIN(p.songplay_id)
LIMIT {};)";

constexpr const char* kPlaysPerDayByLevel = R"(SELECT CAST(start_time AS DATE) AS day,
       COUNT(CASE WHEN level = 'free' THEN 1 END) AS free_plays,
       COUNT(CASE WHEN level = 'paid' THEN 1 END) AS paid_plays
FROM songplays
WHERE start_time IS NOT NULL
GROUP BY CAST(start_time AS DATE)
ORDER BY day;)";

constexpr const char* kUsersPerDayByLevel = R"(SELECT d.day, d.free_users, d.paid_users,
       COUNT(u.user_id) AS upgraded_users
FROM (SELECT CAST(start_time AS DATE) AS day,
             COUNT(DISTINCT CASE WHEN level = 'free' THEN user_id END) AS free_users,
             COUNT(DISTINCT CASE WHEN level = 'paid' THEN user_id END) AS paid_users
      FROM songplays
      WHERE start_time IS NOT NULL
      GROUP BY CAST(start_time AS DATE)) d
LEFT JOIN (SELECT user_id, CAST(MIN(CASE WHEN level = 'paid' THEN start_time END) AS DATE) AS day
           FROM songplays
           GROUP BY user_id
           HAVING MIN(CASE WHEN level = 'free' THEN start_time END)
                < MIN(CASE WHEN level = 'paid' THEN start_time END)) u ON u.day = d.day
GROUP BY d.day, d.free_users, d.paid_users
ORDER BY d.day;)";

constexpr const char* kNewUsersPerDay = R"(SELECT day, COUNT(*) AS new_users
FROM (SELECT user_id, CAST(MIN(start_time) AS DATE) AS day
      FROM songplays
      WHERE start_time IS NOT NULL
      GROUP BY user_id) first_plays
GROUP BY day
ORDER BY day;)";

constexpr const char* kSessionsPerUser = R"(SELECT {} AS sessions, COUNT(*) AS users
FROM (SELECT user_id, COUNT(DISTINCT session_id) AS session_count
      FROM songplays
      WHERE session_id IS NOT NULL
      GROUP BY user_id) per_user
GROUP BY 1
ORDER BY MIN(session_count);)";

constexpr const char* kSessionLengths = R"(SELECT {} AS session_length, COUNT(*) AS sessions
FROM (SELECT user_id, session_id, EXTRACT(EPOCH FROM MAX(start_time) - MIN(start_time)) AS seconds
      FROM songplays
      WHERE session_id IS NOT NULL AND start_time IS NOT NULL
      GROUP BY user_id, session_id) per_session
GROUP BY 1
ORDER BY MIN(seconds);)";

constexpr const char* kTopLocations = R"(SELECT location, COUNT(*) AS plays
FROM songplays
WHERE location IS NOT NULL
GROUP BY location
ORDER BY plays DESC, MIN(songplay_id)
LIMIT {};)";

constexpr const char* kUsersPerAgentCategory = R"(SELECT {} AS {}, COUNT(DISTINCT user_id) AS users
FROM songplays
WHERE user_agent IS NOT NULL
GROUP BY 1
ORDER BY users DESC, MIN(songplay_id);)";

constexpr const char* kSongMatches = R"(SELECT CASE WHEN song_id IS NULL THEN 'unmatched' ELSE 'matched' END AS song,
       COUNT(*) AS plays
FROM songplays
GROUP BY 1
ORDER BY 1;)";

std::vector<Chart> make_charts() {
  std::vector<Chart> charts;
  auto add = [&charts](const char* id, const char* title, const char* description, ChartStyle style,
                       LabelKind label_kind, std::vector<std::string> label_columns,
                       std::vector<std::string> value_columns, std::string sql,
                       ChartRows (*compute)(const model::StarSchema&)) {
    charts.push_back(Chart{id, title, description, style, label_kind, std::move(label_columns),
                           std::move(value_columns), std::move(sql), compute});
  };
  add("plays-per-day", "Plays per day", "Songs played each day (UTC).", ChartStyle::kLine, LabelKind::kDate, {"day"},
      {"plays"}, kPlaysPerDay, plays_per_day);
  add("plays-per-hour", "Plays per hour of day", "Songs played in each hour of the day (UTC), all days together.",
      ChartStyle::kBar, LabelKind::kHourOfDay, {"hour"}, {"plays"}, kPlaysPerHour, plays_per_hour);
  add("plays-per-weekday", "Plays by weekday", "Songs played on each day of the week (UTC).", ChartStyle::kBar,
      LabelKind::kWeekday, {"weekday"}, {"plays"}, kPlaysPerWeekday, plays_per_weekday);
  add("top-songs", fmt::format("Top {} songs", kTopRows).c_str(),
      "The songs played most (plays matched to a song of the catalogue).", ChartStyle::kHorizontalBar, LabelKind::kText,
      {"title", "artist"}, {"plays"}, fmt::format(kTopSongs, kTopRows), top_songs);
  add("top-artists", fmt::format("Top {} artists", kTopRows).c_str(),
      "The artists played most (plays matched to a song of the catalogue).", ChartStyle::kHorizontalBar,
      LabelKind::kText, {"artist"}, {"plays"}, fmt::format(kTopArtists, kTopRows), top_artists);
  add("plays-per-day-by-level", "Free and paid plays per day",
      "Songs played each day (UTC) by users on the free tier and on the paid tier at the time of the play.",
      ChartStyle::kStackedBar, LabelKind::kDate, {"day"}, {"free_plays", "paid_plays"}, kPlaysPerDayByLevel,
      plays_per_day_by_level);
  add("users-per-day-by-level", "Free and paid users per day, and upgrades",
      "Users who played a song each day (UTC), by their tier then (a user who changed tier that day counts in "
      "both), and the users who upgraded that day: whose first paid play, that day, came after a free one.",
      ChartStyle::kLine, LabelKind::kDate, {"day"}, {"free_users", "paid_users", "upgraded_users"}, kUsersPerDayByLevel,
      users_per_day_by_level);
  add("new-users-per-day", "New users per day", "Users by the day (UTC) of their first play in these tables.",
      ChartStyle::kBar, LabelKind::kDate, {"day"}, {"new_users"}, kNewUsersPerDay, new_users_per_day);
  add("sessions-per-user", "Sessions per user", "Users by how many sessions they played songs in.", ChartStyle::kBar,
      LabelKind::kText, {"sessions"}, {"users"},
      fmt::format(kSessionsPerUser, bucket_case_sql("session_count", session_count_buckets())), sessions_per_user);
  add("session-length", "Session length",
      "Sessions by the time from their first play to their last; a session of one play lasts 0 s.", ChartStyle::kBar,
      LabelKind::kText, {"session_length"}, {"sessions"},
      fmt::format(kSessionLengths, bucket_case_sql("seconds", session_length_buckets())), session_lengths);
  add("top-locations", fmt::format("Top {} locations", kTopRows).c_str(),
      "Where the users who played songs are, by plays.", ChartStyle::kHorizontalBar, LabelKind::kText, {"location"},
      {"plays"}, fmt::format(kTopLocations, kTopRows), top_locations);
  add("browsers", "Users by browser",
      "Users by the browser their plays' user agent names (a user on two browsers counts in both).",
      ChartStyle::kDoughnut, LabelKind::kText, {"browser"}, {"users"},
      fmt::format(kUsersPerAgentCategory, text_case_sql("user_agent", browser_rules(), kOtherCategory), "browser"),
      users_per_browser);
  add("operating-systems", "Users by operating system",
      "Users by the operating system their plays' user agent names (a user on two counts in both).",
      ChartStyle::kDoughnut, LabelKind::kText, {"os"}, {"users"},
      fmt::format(kUsersPerAgentCategory, text_case_sql("user_agent", os_rules(), kOtherCategory), "os"), users_per_os);
  add("song-match-rate", "Song match rate",
      "Plays whose title, artist and length matched a song of the catalogue exactly, and those that did not.",
      ChartStyle::kDoughnut, LabelKind::kText, {"song"}, {"plays"}, kSongMatches, song_matches);
  return charts;
}

}  // namespace

const std::vector<Chart>& report_charts() {
  static const std::vector<Chart> charts = make_charts();
  return charts;
}

const Chart& chart_by_id(const std::string& id) {
  for (const auto& chart : report_charts()) {
    if (chart.id == id) return chart;
  }
  throw std::logic_error("no chart " + id);
}

}  // namespace sparkify::report
