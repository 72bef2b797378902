// A Sink that stages records in a Warehouse and builds the star schema
// there with SQL, all in one transaction. Its COMMIT decides the load.
#pragma once

#include <memory>

#include "pipeline/sink.h"
#include "warehouse/warehouse.h"

namespace sparkify::pipeline {

class WarehouseSink final : public Sink {
 public:
  explicit WarehouseSink(std::unique_ptr<warehouse::Warehouse> warehouse);
  std::string name() const override;
  void begin(const LoadDescription& load) override;
  // Staging tables are independent: either may be copied first.
  SinkInput input() const override { return SinkInput::kRecordsAnyOrder; }
  void write_songs(const std::vector<model::SongRecord>& songs) override;
  void end_songs() override;
  void write_events(const std::vector<model::EventRecord>& events) override;
  void end_events() override;
  model::TableCounts prepare(RunSummary& summary) override;
  bool decides_commits() const override { return true; }
  std::string commit_identity() const override;
  bool has_committed(const std::string& load_id) override;
  void commit(const LoadTicket& ticket, RunSummary& summary) override;
  void abort() noexcept override;

 private:
  std::unique_ptr<warehouse::Warehouse> warehouse_;
};

}  // namespace sparkify::pipeline
