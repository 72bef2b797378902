#include "pipeline/etl.h"

#include <filesystem>

#include "io/s3/s3_uri.h"
#include "lake/lake_transaction.h"
#include "model/error.h"
#include "pipeline/backfill.h"
#include "pipeline/commit.h"
#include "pipeline/feed.h"
#include "pipeline/file_systems.h"
#include "pipeline/lake_sink.h"
#include "pipeline/rejects_file.h"
#include "pipeline/unload_lake_sink.h"
#include "pipeline/warehouse_sink.h"
#include "quality/checks_file.h"
#include "warehouse/open_warehouse.h"

namespace sparkify::pipeline {
namespace {

// A path as a prefix that another path inside it starts with: an S3 URI
// with one trailing '/', or a local path made absolute, without . and ..,
// links resolved as far as they exist.
std::string location_prefix(const std::string& path) {
  std::string out;
  if (io::is_s3_uri(path)) {
    out = path;
  } else {
    std::error_code error;
    auto absolute = std::filesystem::weakly_canonical(std::filesystem::absolute(path), error);
    out = error ? std::filesystem::absolute(path).lexically_normal().string() : absolute.string();
  }
  while (!out.empty() && out.back() == '/') out.pop_back();
  return out + "/";
}

}  // namespace

void check_run_paths(const config::Settings& settings) {
  if (settings.lake) {
    if (settings.lake->empty()) {
      throw UsageError("the lake path is empty (an unset variable?): give --lake a folder or an s3:// prefix");
    }
    std::string lake = location_prefix(*settings.lake);
    for (const std::string* input : {&settings.song_data, &settings.log_data}) {
      std::string source = location_prefix(*input);
      if (lake.rfind(source, 0) == 0 || source.rfind(lake, 0) == 0) {
        throw UsageError("the lake " + *settings.lake + " and the input " + *input +
                         " overlap; a lake must lie outside its inputs, and they outside it");
      }
    }
  }
  check_rejects_path(settings.rejects_path);
}

namespace {

warehouse::WarehouseSpec warehouse_spec(const config::Settings& settings, FileSystems& file_systems,
                                        std::ostream* rehearsal) {
  warehouse::WarehouseSpec spec;
  spec.kind = settings.warehouse_kind;
  spec.conninfo = *settings.target;
  spec.connect = {settings.timeouts.connect_s, settings.timeouts.statement_s};
  spec.rehearsal = rehearsal;
  if (spec.kind == model::WarehouseKind::kRedshift) {
    const config::RedshiftSettings& redshift = settings.redshift;
    spec.redshift.iam_role = redshift.iam_role;
    spec.redshift.region = settings.aws_region.value_or("");
    spec.redshift.stage_via = redshift.stage_via == config::StageVia::kDirect ? warehouse::StageVia::kDirect
                                                                              : warehouse::StageVia::kCompacted;
    spec.redshift.staging = redshift.staging;
    spec.redshift.log_jsonpath = redshift.log_jsonpath;
    spec.redshift.max_errors = settings.max_errors;
    if (!redshift.staging.empty() && !rehearsal) spec.redshift.staging_fs = file_systems.for_path(redshift.staging);
  }
  return spec;
}

}  // namespace

void check_before_commit(const std::vector<quality::Check>& checks, std::vector<std::unique_ptr<Sink>>& sinks,
                         RunSummary& summary, std::ostream& log) {
  PhaseTimer timer(summary, "check");
  std::string failed;
  for (size_t idx = 0; idx < sinks.size(); ++idx) {
    auto& target = summary.targets[idx];
    target.checks = sinks[idx]->check(checks);
    if (target.checks.empty()) continue;
    log << "checks   " << target.name << "\n" << quality::format_results(target.checks);
    for (const auto& result : target.checks) {
      if (!result.passed) failed += (failed.empty() ? "" : "; ") + target.name + ": " + result.name;
    }
  }
  if (!failed.empty()) throw JobError("checks failed before the commit, so nothing was committed: " + failed);
}

std::vector<std::unique_ptr<Sink>> make_sinks(const config::Settings& settings, FileSystems& file_systems,
                                              std::ostream* rehearsal) {
  std::vector<std::unique_ptr<Sink>> sinks;
  std::shared_ptr<warehouse::Warehouse> warehouse;
  // The warehouse first: it begins first, so that a lake opening after it
  // can ask it about an interrupted commit.
  if (settings.target) {
    warehouse = warehouse::open_warehouse(warehouse_spec(settings, file_systems, rehearsal));
    WarehouseSinkOptions options;
    options.star_in_process = settings.transform == config::StarTransform::kInProcess;
    options.threads = config::threads_to_use(settings);
    sinks.push_back(std::make_unique<WarehouseSink>(warehouse, options));
  }
  if (settings.lake) {
    // A warehouse that can write an S3 lake itself does: the rows never
    // pass through this machine.
    std::shared_ptr<io::FileSystem> lake_fs = rehearsal ? nullptr : file_systems.for_path(*settings.lake);
    if (warehouse && warehouse->can_unload() && io::is_s3_uri(*settings.lake)) {
      sinks.push_back(std::make_unique<UnloadLakeSink>(lake_fs, *settings.lake, warehouse));
      return sinks;
    }
    LakeOptions options;
    options.root = *settings.lake;
    options.threads = config::threads_to_use(settings);
    options.parquet.compression = settings.compression == "zstd"   ? lake::parquet::Compression::kZstd
                                  : settings.compression == "none" ? lake::parquet::Compression::kNone
                                                                   : lake::parquet::Compression::kSnappy;
    sinks.push_back(std::make_unique<LakeSink>(lake_fs, options));
  }
  return sinks;
}

void rehearse_etl(const config::Settings& settings, std::vector<std::unique_ptr<Sink>>& sinks, std::ostream& out) {
  check_run_paths(settings);
  LoadTicket ticket{"<load id>", ""};
  LoadDescription load{ticket.id, settings.song_data, settings.log_data, {}, settings.incremental};
  out << "-- sparkify etl --dry-run: nothing below is sent, written or connected to\n"
      << "-- sources: " << settings.song_data << " (songs), " << settings.log_data << " (events)\n";
  if (settings.window) {
    load.backfill = Backfill{*settings.window, {}};
    out << "-- " << describe_backfill(*settings.window) << "\n";
  }
  for (auto& sink : sinks) sink->rehearse(load, out);
  for (auto& sink : sinks) sink->rehearse_commit(ticket, out);
}

void run_etl(const config::Settings& settings, FileSystems& file_systems, std::vector<std::unique_ptr<Sink>>& sinks,
             std::ostream& log, RunSummary& summary) {
  check_run_paths(settings);
  std::vector<quality::Check> checks = settings.check ? quality::checks_to_run(settings.checks_path) : std::vector<quality::Check>{};
  file_systems.for_path(settings.song_data);  // resolves S3's options before any work
  file_systems.for_path(settings.log_data);
  if (!file_systems.describe_s3().empty()) log << "s3       " << file_systems.describe_s3() << "\n";
  ActivitySource activity(summary.progress, [&file_systems] { return file_systems.activity(); });
  Sink* decider = deciding_sink(sinks);
  LoadTicket ticket{lake::new_load_id(), decider ? decider->commit_identity() : ""};
  for (const auto& sink : sinks) summary.targets.push_back({sink->name(), {}, false, {}});
  try {
    begin_sinks(sinks, decider,
                LoadDescription{ticket.id, settings.song_data, settings.log_data, {}, settings.incremental, {},
                                settings.check},
                summary, log);
    SourceFiles files = list_sources(settings, file_systems, summary);
    std::optional<model::DayWindow> window;  // the events are held to it (a backfill's merge)
    if (settings.incremental) {
      std::optional<Backfill> backfill;
      if (settings.window) {
        backfill = Backfill{*settings.window, event_files_in_window(files.events, settings.log_data, *settings.window)};
      }
      // The ledger is the deciding sink's, or the one sink's (config allows
      // --incremental for one target only).
      Sink& keeper = decider ? *decider : *sinks.front();
      PhaseTimer plan_timer(summary, "plan");
      IncrementalSources chosen = keeper.incremental_sources(files, backfill);
      plan_timer.stop();
      log << chosen.note << "\n";
      summary.notes.push_back(chosen.note);
      if (chosen.nothing_to_load) {
        log << "0 new files: nothing to load, nothing changed\n";
        summary.notes.push_back("0 new files");
        abort_sinks(sinks);
        return;
      }
      files = std::move(chosen.files);
      if (chosen.keeps_window) window = settings.window;
    }
    for (auto& sink : sinks) sink->sources_listed(files);
    log << "sources  " << files.songs.size() << " song files under " << settings.song_data << ", "
        << files.events.size() << " event files under " << settings.log_data << "\n";
    Intake intake = feed_sinks(settings, file_systems, files, window, sinks, summary);
    check_intake(settings, files, intake, summary);
    if (window) {
      std::vector<std::string> partly(intake.sources_with_events_outside.begin(),
                                      intake.sources_with_events_outside.end());
      for (auto& sink : sinks) sink->events_left_out(partly);
    }
    for (size_t idx = 0; idx < sinks.size(); ++idx) summary.targets[idx].counts = sinks[idx]->prepare(summary);
    {
      PhaseTimer timer(summary, "match figures");
      for (auto& sink : sinks) {
        if (summary.match) break;
        summary.match = sink->match_diagnostics();
      }
    }
    if (settings.check) check_before_commit(checks, sinks, summary, log);
    for (auto& sink : sinks) sink->intend_commit(ticket);
  } catch (...) {
    abort_sinks(sinks);
    throw;
  }
  commit_sinks(sinks, decider, ticket, summary);
}

RunSummary run_etl(const config::Settings& settings, FileSystems& file_systems,
                   std::vector<std::unique_ptr<Sink>>& sinks, std::ostream& log) {
  RunSummary summary;
  run_etl(settings, file_systems, sinks, log, summary);
  summary.status = "succeeded";
  return summary;
}

}  // namespace sparkify::pipeline
