// The checks over star rows in memory: a lake's tables (read back, or built
// in process before they are written). Same figures as check_sql.h's
// queries give on a warehouse.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "model/star.h"
#include "quality/check.h"

namespace sparkify::quality {

// Runs `checks` on `star`. kPlaysWithinEvents needs `next_song_events`
// (NextSong events with a user, as loaded), and is skipped without it; a
// kSql check is skipped (a lake has no SQL). Throws UsageError for a table
// or column the star schema does not have.
std::vector<CheckResult> run_star_checks(const std::vector<Check>& checks, const model::StarSchema& star,
                                         std::optional<int64_t> next_song_events);

}  // namespace sparkify::quality
