// The etl job: list the sources, extract and parse them on all cores, feed
// every sink (warehouse, lake), then prepare all sinks and commit them.
// Rejected records go to the rejects file; when there are more than
// --max-errors of them, nothing is committed anywhere.
#pragma once

#include <functional>
#include <memory>
#include <ostream>
#include <vector>

#include "config/settings.h"
#include "pipeline/file_systems.h"
#include "pipeline/sink.h"
#include "pipeline/summary.h"

namespace sparkify::pipeline {

// Runs the job into `sinks`: prepares them all, then commits them in order.
// Throws JobError (data or load failure) or UsageError; a failure before the
// commits leaves every target as it was. A commit that fails aborts the
// sinks after it, but those before it stay committed, and a lake on S3 may
// be left half-replaced (see S3FileSystem::replace_tree). `log` gets
// progress lines.
RunSummary run_etl(const config::Settings& settings, FileSystems& file_systems,
                   std::vector<std::unique_ptr<Sink>>& sinks, std::ostream& log);

// The sinks that `settings` ask for, in the order run_etl commits them: a
// lake for a lake path, then a warehouse for a target. A lake commit that
// fails therefore leaves the warehouse as it was.
std::vector<std::unique_ptr<Sink>> make_sinks(const config::Settings& settings, FileSystems& file_systems);

}  // namespace sparkify::pipeline
