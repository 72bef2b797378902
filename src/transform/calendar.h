// Calendar parts of a UTC timestamp, as SQL's EXTRACT gives them.
#pragma once

#include <cstdint>

#include "model/star.h"

namespace sparkify::transform {

// The time-table row of an epoch-milliseconds instant: hour, day of month,
// ISO 8601 week, month, year, weekday (0 = Sunday), all in UTC.
model::TimeRow time_row_of(int64_t epoch_ms);

}  // namespace sparkify::transform
