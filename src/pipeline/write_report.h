// The report command's job: every chart's figures (report/charts.h) from
// a lake, read back into rows (lake/lake_reader.h, a folder or s3://), or
// from a warehouse, each chart's SQL in one read-only snapshot; written as
// one self-contained HTML page.
#pragma once

#include <ostream>
#include <string>

#include "config/settings.h"

namespace sparkify::pipeline {

// Writes the page to `out_path` (whole or not at all; a file there is
// replaced). Throws UsageError, before any work, when the flags name
// neither a lake (--lake) nor a warehouse (--target or --config), or both,
// or when `out_path` cannot be written; JobError when Chart.js is missing
// (report/chart_js.h) or the tables cannot be read.
void write_report(const config::Flags& flags, const std::string& out_path, std::ostream& log);

}  // namespace sparkify::pipeline
