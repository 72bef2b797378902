#include "pipeline/warehouse_sink.h"

#include <algorithm>

namespace sparkify::pipeline {

WarehouseSink::WarehouseSink(std::shared_ptr<warehouse::Warehouse> warehouse, WarehouseSinkOptions options)
    : warehouse_(std::move(warehouse)), options_(options) {
  options_.threads = std::max<size_t>(1, options_.threads);
}

WarehouseSink::~WarehouseSink() = default;

std::string WarehouseSink::name() const { return "warehouse " + warehouse_->describe(); }

void WarehouseSink::begin(const LoadDescription& load) {
  load_id_ = load.load_id;
  song_data_ = load.song_data;
  log_data_ = load.log_data;
  in_process_.reset();
  if (options_.star_in_process && warehouse_->takes_star_rows()) in_process_ = std::make_unique<InProcessStar>();
  warehouse_->begin_load(load.load_id);
}

SinkInput WarehouseSink::input() const {
  if (warehouse_->stages_from_sources()) return SinkInput::kSourceLocations;
  // The builder matches plays against every song.
  return in_process_ ? SinkInput::kRecordsSongsFirst : SinkInput::kRecordsAnyOrder;
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
  if (plan_->mode == warehouse::IncrementalPlan::Mode::kMerge) in_process_.reset();
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

void WarehouseSink::write_songs(const std::vector<model::SongRecord>& songs) {
  // The builder keeps the records: a copy of them, only then.
  if (in_process_) return take_songs(std::vector<model::SongRecord>(songs));
  warehouse_->stage_songs(songs);
}

void WarehouseSink::take_songs(std::vector<model::SongRecord>&& songs) {
  warehouse_->stage_songs(songs);
  if (!in_process_) return;
  in_process_->match.add_songs(songs);
  in_process_->star.add_songs(std::move(songs));
}

void WarehouseSink::end_songs() {
  warehouse_->end_stage();
  if (in_process_) in_process_->star.finish_songs(options_.threads);
}

void WarehouseSink::write_events(const std::vector<model::EventRecord>& events) { write_event_shard(0, events); }

size_t WarehouseSink::event_shards(size_t readers) {
  if (!in_process_) return 0;
  size_t shards = in_process_->star.set_event_shards(std::min(readers, options_.threads));
  in_process_->match.set_event_parts(shards);
  return shards;
}

void WarehouseSink::write_event_shard(size_t shard, const std::vector<model::EventRecord>& events) {
  warehouse_->stage_events(events);
  if (!in_process_) return;
  in_process_->match.add_events(shard, events);
  in_process_->star.add_events(shard, events);
}

void WarehouseSink::end_events() {
  warehouse_->end_stage();
  if (in_process_) in_process_->match.end_events();
}

model::TableCounts WarehouseSink::prepare(RunSummary& summary) {
  if (in_process_) {
    {
      PhaseTimer timer(summary, "star build");
      in_process_->star.finish();
    }
    PhaseTimer timer(summary, "warehouse star copy");
    warehouse_->load_star(in_process_->star);
  }
  PhaseTimer timer(summary, "warehouse transform");
  return plan_ ? warehouse_->transform_incremental(*plan_, load_id_) : warehouse_->transform();
}

std::optional<quality::MatchDiagnostics> WarehouseSink::match_diagnostics() {
  if (in_process_) return in_process_->match.result();
  return warehouse_->match_diagnostics();
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
  if (in_process_ && !(plan_ && plan_->mode == warehouse::IncrementalPlan::Mode::kMerge)) {
    transform::StarBuilder empty;
    empty.finish_songs();
    empty.finish();
    warehouse_->load_star(empty);
  }
  if (plan_) {
    warehouse_->transform_incremental(*plan_, load.load_id);
  } else {
    warehouse_->transform();
  }
}

void WarehouseSink::rehearse_commit(const LoadTicket& ticket, std::ostream&) { warehouse_->commit(ticket.id); }

}  // namespace sparkify::pipeline
