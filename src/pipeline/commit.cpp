#include "pipeline/commit.h"

#include <ostream>

#include "model/error.h"
#include "model/failpoint.h"

namespace sparkify::pipeline {
namespace {

// A connection lost during COMMIT leaves its outcome unknown; a server's
// refusal (it carries a SQLSTATE) means it rolled back.
bool outcome_unknown(const std::exception_ptr& error) {
  try {
    std::rethrow_exception(error);
  } catch (const WarehouseError& warehouse_error) {
    return warehouse_error.sqlstate().empty();
  } catch (...) {
    return false;
  }
}

}  // namespace

Sink* deciding_sink(std::vector<std::unique_ptr<Sink>>& sinks) {
  for (auto& sink : sinks) {
    if (sink->decides_commits()) return sink.get();
  }
  return nullptr;
}

CommitOracle oracle_of(Sink* decider) {
  return [decider](const std::string& decided_by, const std::string& load_id) {
    if (!decider || decider->commit_identity() != decided_by) {
      throw UsageError("load " + load_id + " was interrupted while committing, and whether it stands depends on " +
                       "the warehouse " + decided_by + ": run again with that warehouse as --target");
    }
    return decider->has_committed(load_id);
  };
}

void begin_sinks(std::vector<std::unique_ptr<Sink>>& sinks, Sink* decider, LoadDescription load,
                 RunSummary& summary, std::ostream& log) {
  load.oracle = oracle_of(decider);
  for (auto& sink : sinks) {
    sink->begin(load);
    std::string note = sink->recovery_note();
    if (!note.empty()) {
      log << "recover  " << note << "\n";
      summary.notes.push_back(note);
    }
  }
}

void abort_sinks(std::vector<std::unique_ptr<Sink>>& sinks) noexcept {
  for (auto& sink : sinks) sink->abort();
}

void commit_sinks(std::vector<std::unique_ptr<Sink>>& sinks, Sink* decider, const LoadTicket& ticket,
                  RunSummary& summary) {
  // The decision. Until it is taken, any failure leaves every target as it
  // was.
  if (decider) {
    try {
      decider->commit(ticket, summary);
    } catch (...) {
      bool unknown = outcome_unknown(std::current_exception());
      for (auto& sink : sinks) {
        if (unknown && sink.get() != decider) {
          sink->abort_undecided();
        } else {
          sink->abort();
        }
      }
      throw;
    }
  }
  model::failpoint("warehouse-committed");
  for (size_t idx = 0; idx < sinks.size(); ++idx) {
    if (sinks[idx].get() == decider) summary.targets[idx].committed = true;
  }
  for (size_t idx = 0; idx < sinks.size(); ++idx) {
    if (sinks[idx].get() == decider) continue;
    try {
      sinks[idx]->commit(ticket, summary);
    } catch (const std::exception& error) {
      if (!decider) throw;
      throw IncompleteCommitError("the warehouse " + ticket.decided_by + " committed load " + ticket.id + ", but " +
                                  error.what());
    }
    summary.targets[idx].committed = true;
  }
}

}  // namespace sparkify::pipeline
