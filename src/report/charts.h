// The report's charts, in the order the page shows them: each one's title,
// what it counts, its SQL over the star tables and its figures from rows in
// memory (figures.h). The one place a chart is defined.
#pragma once

#include <vector>

#include "report/chart.h"

namespace sparkify::report {

const std::vector<Chart>& report_charts();

// The chart with this id; throws std::logic_error for an unknown one.
const Chart& chart_by_id(const std::string& id);

}  // namespace sparkify::report
