// Each chart's figures computed from the star's rows in memory (a lake read
// back with lake/lake_reader.h): the rows its SQL in charts.cpp answers, in
// the same order, with SQL's joins and NULL rules. Plays with no
// start_time count in no chart over time.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "model/star.h"
#include "report/chart.h"

namespace sparkify::report {

// How many rows a ranking chart shows (its SQL's LIMIT).
inline constexpr size_t kTopRows = 20;

// An epoch-milliseconds instant's UTC date as YYYY-MM-DD, as SQL's
// CAST(start_time AS DATE) prints it.
std::string utc_date(int64_t epoch_ms);

ChartRows plays_per_day(const model::StarSchema& star);
ChartRows plays_per_hour(const model::StarSchema& star);
ChartRows plays_per_weekday(const model::StarSchema& star);
ChartRows top_songs(const model::StarSchema& star);
ChartRows top_artists(const model::StarSchema& star);
ChartRows plays_per_day_by_level(const model::StarSchema& star);
ChartRows users_per_day_by_level(const model::StarSchema& star);
ChartRows new_users_per_day(const model::StarSchema& star);
ChartRows sessions_per_user(const model::StarSchema& star);
ChartRows session_lengths(const model::StarSchema& star);
ChartRows top_locations(const model::StarSchema& star);
ChartRows users_per_browser(const model::StarSchema& star);
ChartRows users_per_os(const model::StarSchema& star);
ChartRows song_matches(const model::StarSchema& star);

}  // namespace sparkify::report
