// What DuckDB runs before a chart's SQL on a lake: UTC as the session's
// time zone (the lake's timestamps are UTC-adjusted, and DuckDB shows and
// casts them in its own zone) and one view per star table named like the
// table, over its Parquet files with hive partitioning.
#pragma once

#include <string>

namespace sparkify::report {

// The statements for the lake at `root` (a folder or s3://bucket/prefix),
// each ending with ';' on its own line. An s3:// lake gets a comment on
// what DuckDB needs to reach it.
std::string lake_views_sql(const std::string& root);

}  // namespace sparkify::report
