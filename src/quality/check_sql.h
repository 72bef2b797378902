// The SQL of each check, in the subset PostgreSQL and Redshift share
// (LEFT JOIN rather than correlated subqueries, CAST(… AS VARCHAR)). Only
// the tool's own table and column names go into it: a user's check brings
// its own whole query.
#pragma once

#include <string>

#include "quality/check.h"

namespace sparkify::quality {

struct CheckQueries {
  std::string counts;  // one row: rows examined, failures (for kSql: the query's first value)
  std::string sample;  // up to kSampleKeys failing keys as text; empty when a check has none
};

// Throws UsageError for a table or column that is not the star schema's
// (a user's check naming something else).
CheckQueries check_queries(const Check& check);

}  // namespace sparkify::quality
