// A Sink that stages the sources in a Warehouse and builds the star schema
// there with SQL, all in one transaction. Its COMMIT decides the load. It
// takes parsed records, or, when the warehouse reads the sources itself
// (Redshift's direct staging), only their locations.
#pragma once

#include <memory>
#include <optional>

#include "pipeline/sink.h"
#include "warehouse/warehouse.h"

namespace sparkify::pipeline {

class WarehouseSink final : public Sink {
 public:
  explicit WarehouseSink(std::shared_ptr<warehouse::Warehouse> warehouse);
  std::string name() const override;
  void begin(const LoadDescription& load) override;
  // Staging tables are independent: either may be copied first.
  SinkInput input() const override;
  IncrementalSources incremental_sources(const SourceFiles& files, const std::optional<Backfill>& backfill) override;
  void events_left_out(const std::vector<std::string>& sources) override;
  void sources_listed(const SourceFiles& files) override;
  model::Rejects load_sources(const SourceFiles& files, RunSummary& summary) override;
  void write_songs(const std::vector<model::SongRecord>& songs) override;
  void end_songs() override;
  void write_events(const std::vector<model::EventRecord>& events) override;
  void end_events() override;
  model::TableCounts prepare(RunSummary& summary) override;
  std::vector<quality::CheckResult> check(const std::vector<quality::Check>& checks) override;
  std::optional<quality::MatchDiagnostics> match_diagnostics() override { return warehouse_->match_diagnostics(); }
  bool decides_commits() const override { return true; }
  std::string commit_identity() const override;
  bool has_committed(const std::string& load_id) override;
  void commit(const LoadTicket& ticket, RunSummary& summary) override;
  void abort() noexcept override;
  // Runs the load's statements through the warehouse's rehearsal session.
  void rehearse(const LoadDescription& load, std::ostream& out) override;
  void rehearse_commit(const LoadTicket& ticket, std::ostream& out) override;

 private:
  warehouse::SourceListing listing(const SourceFiles& files) const;

  std::shared_ptr<warehouse::Warehouse> warehouse_;
  std::optional<warehouse::IncrementalPlan> plan_;  // an incremental load's
  std::string load_id_;
  std::string song_data_;
  std::string log_data_;
};

}  // namespace sparkify::pipeline
