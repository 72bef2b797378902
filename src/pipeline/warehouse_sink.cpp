#include "pipeline/warehouse_sink.h"

namespace sparkify::pipeline {

WarehouseSink::WarehouseSink(std::unique_ptr<warehouse::Warehouse> warehouse) : warehouse_(std::move(warehouse)) {}

std::string WarehouseSink::name() const { return "warehouse " + warehouse_->describe(); }
void WarehouseSink::begin(const LoadDescription&) { warehouse_->begin_load(); }
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

std::string WarehouseSink::commit_identity() const { return warehouse_->describe(); }

bool WarehouseSink::has_committed(const std::string& load_id) { return warehouse_->has_committed(load_id); }

void WarehouseSink::commit(const LoadTicket& ticket, RunSummary& summary) {
  PhaseTimer timer(summary, "warehouse commit");
  warehouse_->commit(ticket.id);
}

void WarehouseSink::abort() noexcept { warehouse_->abort(); }

}  // namespace sparkify::pipeline
