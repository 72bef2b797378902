#include "pipeline/warehouse_sink.h"

namespace sparkify::pipeline {

WarehouseSink::WarehouseSink(std::shared_ptr<warehouse::Warehouse> warehouse) : warehouse_(std::move(warehouse)) {}

std::string WarehouseSink::name() const { return "warehouse " + warehouse_->describe(); }

void WarehouseSink::begin(const LoadDescription& load) {
  load_id_ = load.load_id;
  song_data_ = load.song_data;
  log_data_ = load.log_data;
  warehouse_->begin_load(load.load_id);
}

SinkInput WarehouseSink::input() const {
  return warehouse_->stages_from_sources() ? SinkInput::kSourceLocations : SinkInput::kRecordsAnyOrder;
}

warehouse::SourceListing WarehouseSink::listing(const SourceFiles& files) const {
  return warehouse::SourceListing{song_data_, log_data_, files.songs, files.events};
}

IncrementalSources WarehouseSink::incremental_sources(const SourceFiles& files,
                                                     const std::optional<Backfill>& backfill) {
  warehouse::SourceListing sources = listing(files);
  if (backfill) {
    sources.window = backfill->window;
    sources.window_events = backfill->events;
  }
  plan_ = warehouse_->plan_incremental(sources);
  IncrementalSources chosen;
  chosen.files = SourceFiles{plan_->songs, plan_->events};
  chosen.keeps_window = plan_->window.has_value();
  chosen.nothing_to_load = plan_->nothing_to_load();
  chosen.note = plan_->note;
  return chosen;
}

void WarehouseSink::events_left_out(const std::vector<std::string>& sources) {
  if (plan_) plan_->partly_loaded.insert(sources.begin(), sources.end());
}

void WarehouseSink::sources_listed(const SourceFiles& files) { warehouse_->plan_staging(listing(files)); }

model::Rejects WarehouseSink::load_sources(const SourceFiles& files, RunSummary& summary) {
  PhaseTimer timer(summary, "warehouse copy");
  return warehouse_->stage_from_sources(listing(files));
}

void WarehouseSink::write_songs(const std::vector<model::SongRecord>& songs) { warehouse_->stage_songs(songs); }
void WarehouseSink::end_songs() { warehouse_->end_stage(); }
void WarehouseSink::write_events(const std::vector<model::EventRecord>& events) {
  warehouse_->stage_events(events);
}
void WarehouseSink::end_events() { warehouse_->end_stage(); }

model::TableCounts WarehouseSink::prepare(RunSummary& summary) {
  PhaseTimer timer(summary, "warehouse transform");
  return plan_ ? warehouse_->transform_incremental(*plan_, load_id_) : warehouse_->transform();
}

std::vector<quality::CheckResult> WarehouseSink::check(const std::vector<quality::Check>& checks) {
  return warehouse_->run_checks(checks);
}

std::string WarehouseSink::commit_identity() const { return warehouse_->describe(); }

bool WarehouseSink::has_committed(const std::string& load_id) { return warehouse_->has_committed(load_id); }

void WarehouseSink::commit(const LoadTicket& ticket, RunSummary& summary) {
  PhaseTimer timer(summary, "warehouse commit");
  warehouse_->commit(ticket.id);
}

void WarehouseSink::abort() noexcept { warehouse_->abort(); }

void WarehouseSink::rehearse(const LoadDescription& load, std::ostream& out) {
  out << "-- " << name() << ": the statements of the load, in order\n";
  begin(load);
  SourceFiles none;
  if (load.incremental) incremental_sources(none, load.backfill);
  sources_listed(none);
  if (warehouse_->stages_from_sources()) {
    warehouse_->stage_from_sources(listing(none));
  } else {
    warehouse_->stage_songs({});
    warehouse_->end_stage();
    warehouse_->stage_events({});
    warehouse_->end_stage();
  }
  if (plan_) {
    warehouse_->transform_incremental(*plan_, load.load_id);
  } else {
    warehouse_->transform();
  }
}

void WarehouseSink::rehearse_commit(const LoadTicket& ticket, std::ostream&) { warehouse_->commit(ticket.id); }

}  // namespace sparkify::pipeline
