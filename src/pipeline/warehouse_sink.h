// A Sink that stages the sources in a Warehouse and fills the star schema
// there, all in one transaction. Its COMMIT decides the load. It takes
// parsed records, or, when the warehouse reads the sources itself
// (Redshift's direct staging), only their locations.
//
// The star tables are built either by the warehouse's SQL over staging, or
// in process (star_in_process, a warehouse that takes_star_rows()): the
// lake's StarBuilder is fed the records staged, and its rows are COPYed
// into the star tables in the same transaction. Both follow one contract,
// tested row for row. A day's incremental merge always runs in SQL: it
// touches only the rows of the keys it brings, which only the warehouse
// holds.
#pragma once

#include <memory>
#include <optional>

#include "pipeline/sink.h"
#include "quality/match_diagnostics.h"
#include "transform/star_builder.h"
#include "warehouse/warehouse.h"

namespace sparkify::pipeline {

struct WarehouseSinkOptions {
  bool star_in_process = false;  // the warehouse must take_star_rows()
  size_t threads = 1;            // that may build the star at once
};

class WarehouseSink final : public Sink {
 public:
  explicit WarehouseSink(std::shared_ptr<warehouse::Warehouse> warehouse, WarehouseSinkOptions options = {});
  ~WarehouseSink() override;
  std::string name() const override;
  void begin(const LoadDescription& load) override;
  // Staging tables are independent: either may be copied first.
  SinkInput input() const override;
  IncrementalSources incremental_sources(const SourceFiles& files, const std::optional<Backfill>& backfill) override;
  void events_left_out(const std::vector<std::string>& sources) override;
  void sources_listed(const SourceFiles& files) override;
  model::Rejects load_sources(const SourceFiles& files, RunSummary& summary) override;
  void write_songs(const std::vector<model::SongRecord>& songs) override;
  void take_songs(std::vector<model::SongRecord>&& songs) override;
  void end_songs() override;
  void write_events(const std::vector<model::EventRecord>& events) override;
  // Building in process, the events are staged and built on the reading
  // threads, each shard in its own part of the builder.
  size_t event_shards(size_t readers) override;
  void write_event_shard(size_t shard, const std::vector<model::EventRecord>& events) override;
  void end_events() override;
  model::TableCounts prepare(RunSummary& summary) override;
  std::vector<quality::CheckResult> check(const std::vector<quality::Check>& checks) override;
  std::optional<quality::MatchDiagnostics> match_diagnostics() override;
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

  // The load's star, built in process, and its match figures.
  struct InProcessStar {
    transform::StarBuilder star;
    quality::MatchTally match;
  };

  std::shared_ptr<warehouse::Warehouse> warehouse_;
  WarehouseSinkOptions options_;
  // This load's, when it builds the star in process (not for a merge).
  std::unique_ptr<InProcessStar> in_process_;
  std::optional<warehouse::IncrementalPlan> plan_;  // an incremental load's
  std::string load_id_;
  std::string song_data_;
  std::string log_data_;
};

}  // namespace sparkify::pipeline
