#include "pipeline/warehouse_sink.h"

namespace sparkify::pipeline {

WarehouseSink::WarehouseSink(std::unique_ptr<warehouse::Warehouse> warehouse) : warehouse_(std::move(warehouse)) {}

std::string WarehouseSink::name() const { return "warehouse " + warehouse_->describe(); }
void WarehouseSink::begin() { warehouse_->begin_load(); }
void WarehouseSink::write_songs(const std::vector<model::SongRecord>& songs) { warehouse_->stage_songs(songs); }
void WarehouseSink::end_songs() { warehouse_->end_stage(); }
void WarehouseSink::write_events(const std::vector<model::EventRecord>& events) {
  warehouse_->stage_events(events);
}
void WarehouseSink::end_events() { warehouse_->end_stage(); }

model::TableCounts WarehouseSink::prepare(RunSummary& summary) {
  PhaseTimer timer(summary, "warehouse transform");
  return warehouse_->transform();
}

void WarehouseSink::commit(RunSummary& summary) {
  PhaseTimer timer(summary, "warehouse commit");
  warehouse_->commit();
}

void WarehouseSink::abort() noexcept { warehouse_->abort(); }

}  // namespace sparkify::pipeline
