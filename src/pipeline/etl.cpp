#include "pipeline/etl.h"

#include <algorithm>
#include <filesystem>
#include <future>

#include "model/error.h"
#include "pipeline/extract.h"
#include "pipeline/file_systems.h"
#include "pipeline/lake_sink.h"
#include "pipeline/rejects_file.h"
#include "pipeline/warehouse_sink.h"
#include "warehouse/postgres_warehouse.h"

namespace sparkify::pipeline {
namespace {

std::vector<io::FileEntry> list_sources(io::FileSystem& fs, const std::string& root, const char* what) {
  auto files = fs.list(root, source_suffixes());
  if (files.empty()) throw JobError(std::string("no *.json or *.json.gz ") + what + " files under " + root);
  return files;
}

void abort_all(std::vector<std::unique_ptr<Sink>>& sinks) noexcept {
  for (auto& sink : sinks) sink->abort();
}

}  // namespace

std::vector<std::unique_ptr<Sink>> make_sinks(const config::Settings& settings, FileSystems& file_systems) {
  std::vector<std::unique_ptr<Sink>> sinks;
  if (settings.lake) {
    LakeOptions options;
    options.root = *settings.lake;
    options.threads = settings.threads > 0 ? static_cast<size_t>(settings.threads) : 0;
    options.parquet.compression = settings.compression == "zstd"   ? lake::parquet::Compression::kZstd
                                  : settings.compression == "none" ? lake::parquet::Compression::kNone
                                                                   : lake::parquet::Compression::kSnappy;
    sinks.push_back(std::make_unique<LakeSink>(file_systems.for_path(*settings.lake), options));
  }
  // Last, so that it commits last: its commit is one COMMIT, while a lake's
  // on S3 is many requests, any of which may fail for good after the
  // warehouse has committed.
  if (settings.target) {
    warehouse::ConnectOptions connect{settings.timeouts.connect_s, settings.timeouts.statement_s};
    sinks.push_back(
        std::make_unique<WarehouseSink>(std::make_unique<warehouse::PostgresWarehouse>(*settings.target, connect)));
  }
  return sinks;
}

RunSummary run_etl(const config::Settings& settings, FileSystems& file_systems,
                   std::vector<std::unique_ptr<Sink>>& sinks, std::ostream& log) {
  RunSummary summary;
  auto song_fs = file_systems.for_path(settings.song_data);
  auto log_fs = file_systems.for_path(settings.log_data);
  if (!file_systems.describe_s3().empty()) log << "s3       " << file_systems.describe_s3() << "\n";
  std::vector<io::FileEntry> song_files;
  std::vector<io::FileEntry> event_files;
  {
    PhaseTimer timer(summary, "list");
    song_files = list_sources(*song_fs, settings.song_data, "song");
    event_files = list_sources(*log_fs, settings.log_data, "event");
  }
  log << "sources  " << song_files.size() << " song files under " << settings.song_data << ", "
      << event_files.size() << " event files under " << settings.log_data << "\n";

  model::Rejects rejects;
  try {
    for (auto& sink : sinks) sink->begin();
    auto take_songs = [&](FileBatch<model::SongRecord>& batch) {
      for (auto& sink : sinks) sink->write_songs(batch.records);
      std::move(batch.rejects.begin(), batch.rejects.end(), std::back_inserter(rejects));
    };
    auto take_events = [&](FileBatch<model::EventRecord>& batch) {
      for (auto& sink : sinks) sink->write_events(batch.records);
      std::move(batch.rejects.begin(), batch.rejects.end(), std::back_inserter(rejects));
    };
    auto count_songs = [&](const ExtractStats& stats) {
      summary.song_files = stats.files;
      summary.input_bytes += stats.bytes;
      summary.songs_read = stats.records;
    };
    auto count_events = [&](const ExtractStats& stats) {
      summary.event_files = stats.files;
      summary.input_bytes += stats.bytes;
      summary.events_read = stats.records;
    };
    bool songs_first = std::any_of(sinks.begin(), sinks.end(),
                                   [](const auto& sink) { return sink->needs_songs_before_events(); });
    if (songs_first) {
      {
        PhaseTimer timer(summary, "songs");
        count_songs(extract_songs(*song_fs, song_files, file_systems.read_concurrency(settings.song_data), take_songs));
        for (auto& sink : sinks) sink->end_songs();
      }
      {
        PhaseTimer timer(summary, "events");
        count_events(
            extract_events(*log_fs, event_files, file_systems.read_concurrency(settings.log_data), take_events));
        for (auto& sink : sinks) sink->end_events();
      }
    } else {
      // Many small song files cost system calls, not bandwidth; reading
      // them while the events load keeps the warehouse's ingest busy
      // instead of idle. Their records wait in memory (songs are few next
      // to events) and are handed over after the events.
      std::vector<FileBatch<model::SongRecord>> song_batches;
      auto songs_read = std::async(std::launch::async, [&] {
        return extract_songs(*song_fs, song_files, file_systems.read_concurrency(settings.song_data),
                             [&](FileBatch<model::SongRecord>& batch) { song_batches.push_back(std::move(batch)); });
      });
      std::exception_ptr events_error;
      {
        PhaseTimer timer(summary, "events");
        try {
          count_events(
              extract_events(*log_fs, event_files, file_systems.read_concurrency(settings.log_data), take_events));
          for (auto& sink : sinks) sink->end_events();
        } catch (...) {
          events_error = std::current_exception();
        }
      }
      PhaseTimer timer(summary, "songs");
      ExtractStats song_stats = songs_read.get();  // waits even when the events failed
      if (events_error) std::rethrow_exception(events_error);
      count_songs(song_stats);
      for (auto& batch : song_batches) take_songs(batch);
      for (auto& sink : sinks) sink->end_songs();
    }
    summary.rejects = rejects.size();
    if (!rejects.empty()) {
      write_rejects_file(rejects, settings.rejects_path);
      summary.rejects_path = settings.rejects_path;
    } else {
      std::error_code ignored;  // a stale file from an earlier run would mislead
      std::filesystem::remove(settings.rejects_path, ignored);
    }
    if (static_cast<int64_t>(rejects.size()) > settings.max_errors) {
      throw JobError(std::to_string(rejects.size()) + " record(s) rejected, more than --max-errors " +
                     std::to_string(settings.max_errors) + "; first: " + model::describe(rejects.front()) +
                     "; all are in " + settings.rejects_path + "; nothing was committed");
    }
    for (auto& sink : sinks) summary.targets.push_back({sink->name(), sink->prepare(summary)});
    for (auto& sink : sinks) sink->commit(summary);
  } catch (...) {
    abort_all(sinks);
    throw;
  }
  return summary;
}

}  // namespace sparkify::pipeline
