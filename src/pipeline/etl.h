// The etl job: list the sources, extract and parse them on all cores, feed
// every sink (warehouse, lake), then prepare all sinks and commit them
// together (sink.h). Rejected records go to the rejects file; when there
// are more than --max-errors of them, nothing is committed anywhere.
#pragma once

#include <memory>
#include <ostream>
#include <vector>

#include "config/settings.h"
#include "pipeline/file_systems.h"
#include "pipeline/sink.h"
#include "pipeline/summary.h"

namespace sparkify::pipeline {

// Runs the job into `sinks`, filling `summary` as it goes (also when it
// fails, for the run report). Every check that can fail runs before the
// first commit: paths (UsageError), sinks' begin (a lake that is not one,
// a lake locked by another run), sources, rejects. Then the deciding sink
// (a warehouse) commits first, the others after it. Throws UsageError or
// JobError with every target as it was; IncompleteCommitError when the
// deciding sink committed and another's commit stopped part way (the next
// run completes it). `log` gets progress lines.
void run_etl(const config::Settings& settings, FileSystems& file_systems, std::vector<std::unique_ptr<Sink>>& sinks,
             std::ostream& log, RunSummary& summary);

// As above, returning the summary (for callers that need no failure report).
RunSummary run_etl(const config::Settings& settings, FileSystems& file_systems,
                   std::vector<std::unique_ptr<Sink>>& sinks, std::ostream& log);

// The sinks that `settings` ask for: a warehouse for a target (it connects
// now, so an unreachable server fails before any work) and a lake for a
// lake path: written in process, or, with a warehouse that can (Redshift)
// and an s3:// lake, unloaded by the warehouse. With `rehearsal`, sinks for
// a dry run: nothing is connected to, and the warehouse's statements go
// there.
std::vector<std::unique_ptr<Sink>> make_sinks(const config::Settings& settings, FileSystems& file_systems,
                                              std::ostream* rehearsal = nullptr);

// Runs `checks` on every prepared sink, records the results in `summary`'s
// targets and prints them to `log`; throws JobError naming each failed
// check (the caller aborts every sink: nothing is committed).
void check_before_commit(const std::vector<quality::Check>& checks, std::vector<std::unique_ptr<Sink>>& sinks,
                         RunSummary& summary, std::ostream& log);

// A dry run (--dry-run): checks the paths as run_etl() does, then writes
// to `out` every statement the run would send and what it would write,
// with no secret, changing nothing and connecting to nothing.
void rehearse_etl(const config::Settings& settings, std::vector<std::unique_ptr<Sink>>& sinks, std::ostream& out);

// Checks, changing nothing, that the run may write where it would: the lake
// is not empty text and neither holds nor lies inside an input; the rejects
// file is writable and not someone else's. Throws UsageError.
void check_run_paths(const config::Settings& settings);

}  // namespace sparkify::pipeline
