// Runs data-quality checks (quality/check.h) with SQL on a warehouse
// session: inside a load's open transaction (etl --check: the new tables,
// before they are committed) or on its own (the check command).
#pragma once

#include <vector>

#include "quality/check.h"
#include "warehouse/pq_connection.h"

namespace sparkify::warehouse {

// A check whose query fails is a failed check naming the server's error;
// the checks after it are skipped (the failure voids an open transaction).
std::vector<quality::CheckResult> run_sql_checks(PqConnection& connection, const std::vector<quality::Check>& checks);

}  // namespace sparkify::warehouse
