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

// Runs the job into `sinks`. Throws JobError (data or load failure, nothing
// committed) or UsageError. `log` gets progress lines.
RunSummary run_etl(const config::Settings& settings, FileSystems& file_systems,
                   std::vector<std::unique_ptr<Sink>>& sinks, std::ostream& log);

// The sinks that `settings` ask for: a warehouse for a target, a lake for a
// lake path.
std::vector<std::unique_ptr<Sink>> make_sinks(const config::Settings& settings, FileSystems& file_systems);

}  // namespace sparkify::pipeline
