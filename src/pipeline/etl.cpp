#include "pipeline/etl.h"

#include <algorithm>
#include <filesystem>
#include <future>

#include "io/s3/s3_uri.h"
#include "lake/lake_transaction.h"
#include "model/error.h"
#include "model/failpoint.h"
#include "pipeline/extract.h"
#include "pipeline/file_systems.h"
#include "pipeline/lake_sink.h"
#include "pipeline/rejects_file.h"
#include "pipeline/warehouse_sink.h"
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

std::vector<io::FileEntry> list_sources(io::FileSystem& fs, const std::string& root, const char* what,
                                        bool allow_empty) {
  auto files = fs.list(root, source_suffixes());
  if (files.empty() && !allow_empty) {
    throw JobError(std::string("no *.json or *.json.gz ") + what + " files under " + root +
                   " (pass --allow-empty-input if that is expected)");
  }
  return files;
}

// A record "of its kind" has at least one key of its source's layout. Event
// lines read as songs, or a song file read as events, have none: that is
// what swapped --song-data and --log-data look like.
bool has_song_key(const model::SongRecord& song) {
  return song.song_id || song.artist_id || song.title || song.artist_name || song.duration || song.year ||
         song.num_songs || song.artist_location || song.artist_latitude || song.artist_longitude;
}
bool has_event_key(const model::EventRecord& event) {
  return event.ts || event.page || event.user_id || event.session_id || event.item_in_session || event.song ||
         event.artist || event.level || event.auth || event.method || event.status || event.user_agent ||
         event.first_name || event.last_name || event.gender || event.location || event.length ||
         event.registration;
}

struct KindCounts {
  uint64_t songs = 0;
  uint64_t events = 0;
};

void check_kinds(const config::Settings& settings, const std::vector<io::FileEntry>& song_files,
                 const std::vector<io::FileEntry>& event_files, const KindCounts& kinds) {
  if (settings.allow_empty_input) return;
  if (!song_files.empty() && kinds.songs == 0) {
    throw JobError("the song data under " + settings.song_data + " (" + std::to_string(song_files.size()) +
                   " files) holds no song record (no object with song_id, title, artist_id, …); are --song-data "
                   "and --log-data swapped? Nothing was committed (--allow-empty-input accepts it)");
  }
  if (!event_files.empty() && kinds.events == 0) {
    throw JobError("the log data under " + settings.log_data + " (" + std::to_string(event_files.size()) +
                   " files) holds no event record (no line with ts, page, userId, …); are --song-data and "
                   "--log-data swapped? Nothing was committed (--allow-empty-input accepts it)");
  }
}

Sink* deciding_sink(std::vector<std::unique_ptr<Sink>>& sinks) {
  for (auto& sink : sinks) {
    if (sink->decides_commits()) return sink.get();
  }
  return nullptr;
}

CommitOracle oracle_of(Sink* decider) {
  return [decider](const std::string& decided_by, const std::string& load_id) {
    if (!decider || decider->commit_identity() != decided_by) {
      throw UsageError("load " + load_id + " was interrupted while committing, and whether it stands depends on " +
                       "the warehouse " + decided_by + ": run again with that warehouse as --target");
    }
    return decider->has_committed(load_id);
  };
}

void abort_all(std::vector<std::unique_ptr<Sink>>& sinks) noexcept {
  for (auto& sink : sinks) sink->abort();
}

// A connection lost during COMMIT leaves its outcome unknown; a server's
// refusal (it carries a SQLSTATE) means it rolled back.
bool outcome_unknown(const std::exception_ptr& error) {
  try {
    std::rethrow_exception(error);
  } catch (const WarehouseError& warehouse_error) {
    return warehouse_error.sqlstate().empty();
  } catch (...) {
    return false;
  }
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

std::vector<std::unique_ptr<Sink>> make_sinks(const config::Settings& settings, FileSystems& file_systems) {
  std::vector<std::unique_ptr<Sink>> sinks;
  // The warehouse first: it begins first, so that a lake opening after it
  // can ask it about an interrupted commit.
  if (settings.target) {
    warehouse::ConnectOptions connect{settings.timeouts.connect_s, settings.timeouts.statement_s};
    sinks.push_back(std::make_unique<WarehouseSink>(warehouse::open_warehouse(*settings.target, connect)));
  }
  if (settings.lake) {
    LakeOptions options;
    options.root = *settings.lake;
    options.threads = settings.threads > 0 ? static_cast<size_t>(settings.threads) : 0;
    options.parquet.compression = settings.compression == "zstd"   ? lake::parquet::Compression::kZstd
                                  : settings.compression == "none" ? lake::parquet::Compression::kNone
                                                                   : lake::parquet::Compression::kSnappy;
    sinks.push_back(std::make_unique<LakeSink>(file_systems.for_path(*settings.lake), options));
  }
  return sinks;
}

void run_etl(const config::Settings& settings, FileSystems& file_systems, std::vector<std::unique_ptr<Sink>>& sinks,
             std::ostream& log, RunSummary& summary) {
  check_run_paths(settings);
  auto song_fs = file_systems.for_path(settings.song_data);
  auto log_fs = file_systems.for_path(settings.log_data);
  if (!file_systems.describe_s3().empty()) log << "s3       " << file_systems.describe_s3() << "\n";
  Sink* decider = deciding_sink(sinks);
  LoadTicket ticket{lake::new_load_id(), decider ? decider->commit_identity() : ""};
  for (const auto& sink : sinks) summary.targets.push_back({sink->name(), {}, false});

  model::Rejects rejects;
  KindCounts kinds;
  try {
    for (auto& sink : sinks) {
      sink->begin(oracle_of(decider));
      std::string note = sink->recovery_note();
      if (!note.empty()) {
        log << "recover  " << note << "\n";
        summary.notes.push_back(note);
      }
    }
    std::vector<io::FileEntry> song_files;
    std::vector<io::FileEntry> event_files;
    {
      PhaseTimer timer(summary, "list");
      song_files = list_sources(*song_fs, settings.song_data, "song", settings.allow_empty_input);
      event_files = list_sources(*log_fs, settings.log_data, "event", settings.allow_empty_input);
    }
    log << "sources  " << song_files.size() << " song files under " << settings.song_data << ", "
        << event_files.size() << " event files under " << settings.log_data << "\n";

    auto take_songs = [&](FileBatch<model::SongRecord>& batch) {
      kinds.songs += static_cast<uint64_t>(std::count_if(batch.records.begin(), batch.records.end(), has_song_key));
      for (auto& sink : sinks) sink->write_songs(batch.records);
      std::move(batch.rejects.begin(), batch.rejects.end(), std::back_inserter(rejects));
    };
    auto take_events = [&](FileBatch<model::EventRecord>& batch) {
      kinds.events += static_cast<uint64_t>(std::count_if(batch.records.begin(), batch.records.end(), has_event_key));
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
      remove_rejects_file(settings.rejects_path);  // a stale one from an earlier run would mislead
    }
    if (static_cast<int64_t>(rejects.size()) > settings.max_errors) {
      throw JobError(std::to_string(rejects.size()) + " record(s) rejected, more than --max-errors " +
                     std::to_string(settings.max_errors) + "; first: " + model::describe(rejects.front()) +
                     "; all are in " + settings.rejects_path + "; nothing was committed");
    }
    check_kinds(settings, song_files, event_files, kinds);
    for (size_t idx = 0; idx < sinks.size(); ++idx) summary.targets[idx].counts = sinks[idx]->prepare(summary);
    for (auto& sink : sinks) sink->intend_commit(ticket);
  } catch (...) {
    abort_all(sinks);
    throw;
  }

  // The decision: the deciding sink commits first. Until it has, any
  // failure leaves every target as it was.
  if (decider) {
    try {
      decider->commit(ticket, summary);
    } catch (...) {
      std::exception_ptr error = std::current_exception();
      bool unknown = outcome_unknown(error);
      for (auto& sink : sinks) {
        if (sink.get() == decider) {
          sink->abort();
        } else if (unknown) {
          sink->abort_undecided();
        } else {
          sink->abort();
        }
      }
      throw;
    }
  }
  model::failpoint("warehouse-committed");
  for (size_t idx = 0; idx < sinks.size(); ++idx) {
    if (sinks[idx].get() == decider) summary.targets[idx].committed = true;
  }
  for (size_t idx = 0; idx < sinks.size(); ++idx) {
    if (sinks[idx].get() == decider) continue;
    try {
      sinks[idx]->commit(ticket, summary);
    } catch (const std::exception& error) {
      if (!decider) throw;
      throw IncompleteCommitError("the warehouse " + ticket.decided_by + " committed load " + ticket.id +
                                  ", but " + error.what());
    }
    summary.targets[idx].committed = true;
  }
}

RunSummary run_etl(const config::Settings& settings, FileSystems& file_systems,
                   std::vector<std::unique_ptr<Sink>>& sinks, std::ostream& log) {
  RunSummary summary;
  run_etl(settings, file_systems, sinks, log, summary);
  summary.status = "succeeded";
  return summary;
}

}  // namespace sparkify::pipeline
