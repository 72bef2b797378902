// The check command's job: the contract's checks and the user's on the
// tables a warehouse or a lake holds now (outside any load).
#pragma once

#include <ostream>
#include <vector>

#include "config/settings.h"
#include "quality/check.h"

namespace sparkify::pipeline {

// Checks the lake that `flags` name (--lake: a folder or s3://, read back
// with lake/lake_reader.h), or else the warehouse (--target or --config).
// Throws UsageError when there is neither, or both, or for a checks file
// that is not one; JobError when the tables cannot be read.
std::vector<quality::CheckResult> check_tables(const config::Flags& flags, std::ostream& log);

}  // namespace sparkify::pipeline
