#include "pipeline/unload_lake_sink.h"

#include "lake/lake_folder.h"
#include "lake/lake_transaction.h"
#include "model/catalog.h"

namespace sparkify::pipeline {

UnloadLakeSink::UnloadLakeSink(std::shared_ptr<io::FileSystem> fs, std::string root,
                               std::shared_ptr<warehouse::Warehouse> warehouse)
    : fs_(std::move(fs)), root_(std::move(root)), warehouse_(std::move(warehouse)) {}

UnloadLakeSink::~UnloadLakeSink() { abort(); }

std::string UnloadLakeSink::name() const { return "lake " + root_ + " (unloaded by the warehouse)"; }

void UnloadLakeSink::begin(const LoadDescription& load) {
  const CommitOracle& oracle = load.oracle;
  auto decide = [&oracle](const lake::CommitJournal& journal) { return oracle(journal.decided_by, journal.load_id); };
  transaction_ = std::make_unique<lake::LakeTransaction>(*fs_, root_, decide);
}

std::string UnloadLakeSink::recovery_note() const {
  return transaction_ ? transaction_->recovery_note() : std::string();
}

model::TableCounts UnloadLakeSink::prepare(RunSummary& summary) {
  PhaseTimer timer(summary, "lake unload");
  for (const auto& table : model::star_tables()) {
    warehouse_->unload(table.name, transaction_->staged_table_dir(table.name));
  }
  // The rows are the warehouse's: its counts are the lake's.
  return warehouse_->star_counts();
}

void UnloadLakeSink::intend_commit(const LoadTicket& ticket) {
  transaction_->intend_commit(lake::lake_table_names(), ticket.id, ticket.decided_by);
}

void UnloadLakeSink::commit(const LoadTicket&, RunSummary& summary) {
  PhaseTimer timer(summary, "lake commit");
  transaction_->finish_commit();
}

void UnloadLakeSink::abort() noexcept {
  if (transaction_) transaction_->abort();
}

void UnloadLakeSink::abort_undecided() noexcept {
  if (transaction_) transaction_->leave_undecided();
}

void UnloadLakeSink::rehearse(const LoadDescription&, std::ostream& out) {
  out << "-- " << name() << ": each table UNLOADed into a staging folder of the lake, inside the load's "
      << "transaction, then put in place with its _SUCCESS after the commit:\n";
  for (const auto& table : model::star_tables()) {
    warehouse_->unload(table.name, io::join_path(root_, ".sparkify-staging-<load id>/" + table.name));
  }
}

}  // namespace sparkify::pipeline
