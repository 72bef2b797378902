// The commit across sinks (sink.h): one sink may decide the load (a
// warehouse); it begins first, commits first, and answers for loads an
// interrupted run left half-committed.
#pragma once

#include <memory>
#include <vector>

#include "pipeline/sink.h"
#include "pipeline/summary.h"

namespace sparkify::pipeline {

// The sink whose commit decides the load, or nullptr when none does.
Sink* deciding_sink(std::vector<std::unique_ptr<Sink>>& sinks);

// Asks `decider` about an earlier load; a load another sink decided (or
// any, with no decider) cannot be settled by this run: UsageError.
CommitOracle oracle_of(Sink* decider);

// Begins every sink in order (the decider is first in make_sinks' order)
// with `load` and the decider's oracle, noting in `summary` what each did
// about an interrupted earlier run.
void begin_sinks(std::vector<std::unique_ptr<Sink>>& sinks, Sink* decider, LoadDescription load,
                 RunSummary& summary, std::ostream& log);

// Commits prepared and intended sinks: the decider first, then the others.
// A failed decision aborts every sink (keeping what lets the next run ask,
// when the decision's outcome is unknown) and rethrows. A failure after the
// decision is an IncompleteCommitError. Marks each committed target in
// `summary`.
void commit_sinks(std::vector<std::unique_ptr<Sink>>& sinks, Sink* decider, const LoadTicket& ticket,
                  RunSummary& summary);

void abort_sinks(std::vector<std::unique_ptr<Sink>>& sinks) noexcept;

}  // namespace sparkify::pipeline
