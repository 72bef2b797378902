#include "pipeline/feed.h"

#include <algorithm>
#include <future>
#include <mutex>

#include "model/error.h"
#include "pipeline/backfill.h"
#include "pipeline/extract.h"
#include "pipeline/rejects_file.h"

namespace sparkify::pipeline {
namespace {

std::vector<io::FileEntry> list_source(io::FileSystem& fs, const std::string& root, const char* what,
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

uint64_t total_bytes(const std::vector<io::FileEntry>& files) {
  uint64_t bytes = 0;
  for (const auto& file : files) bytes += file.size;
  return bytes;
}

// Tells the progress, if any, what the sinks do once a source is read (a
// warehouse's COPY may run then), so that a full count is not taken for the
// end of the phase.
void show_step(RunSummary& summary, const std::string& doing, const std::vector<Sink*>& sinks) {
  if (!summary.progress) return;
  std::string names;
  for (const Sink* sink : sinks) names += (names.empty() ? "" : ", ") + sink->name();
  summary.progress->set_step(doing + " " + names);
}

}  // namespace

SourceFiles list_sources(const config::Settings& settings, FileSystems& file_systems, RunSummary& summary) {
  PhaseTimer timer(summary, "list", Tally::kListing);
  auto count_listed = [&summary](const std::vector<io::FileEntry>& listed) {
    if (!summary.progress) return;
    summary.progress->files_listed += listed.size();
    summary.progress->bytes_listed += total_bytes(listed);
  };
  SourceFiles files;
  files.songs = list_source(*file_systems.for_path(settings.song_data), settings.song_data, "song",
                            settings.allow_empty_input);
  count_listed(files.songs);
  files.events = list_source(*file_systems.for_path(settings.log_data), settings.log_data, "event",
                             settings.allow_empty_input);
  count_listed(files.events);
  return files;
}

Intake feed_sinks(const config::Settings& settings, FileSystems& file_systems, const SourceFiles& files,
                  const std::optional<model::DayWindow>& window, std::vector<std::unique_ptr<Sink>>& sinks,
                  RunSummary& summary) {
  auto song_fs = file_systems.for_path(settings.song_data);
  auto log_fs = file_systems.for_path(settings.log_data);
  size_t song_concurrency = file_systems.read_concurrency(settings.song_data);
  size_t event_concurrency = file_systems.read_concurrency(settings.log_data);
  Intake intake;
  // Sinks that load the sources themselves get no records.
  std::vector<Sink*> takers;
  for (auto& sink : sinks) {
    if (sink->input() != SinkInput::kSourceLocations) {
      takers.push_back(sink.get());
      continue;
    }
    model::Rejects rejects = sink->load_sources(files, summary);
    std::move(rejects.begin(), rejects.end(), std::back_inserter(intake.rejects));
  }
  if (takers.empty()) return intake;
  intake.fed = true;
  SourceCounters* song_counters = summary.progress ? &summary.progress->songs : nullptr;
  SourceCounters* event_counters = summary.progress ? &summary.progress->events : nullptr;
  if (summary.progress) {
    song_counters->set_totals(files.songs.size(), total_bytes(files.songs));
    event_counters->set_totals(files.events.size(), total_bytes(files.events));
  }
  auto take_songs = [&](FileBatch<model::SongRecord>& batch) {
    intake.songs_of_kind += static_cast<uint64_t>(std::count_if(batch.records.begin(), batch.records.end(), has_song_key));
    if (takers.size() == 1) {
      takers.front()->take_songs(std::move(batch.records));
    } else {
      for (Sink* sink : takers) sink->write_songs(batch.records);
    }
    std::move(batch.rejects.begin(), batch.rejects.end(), std::back_inserter(intake.rejects));
  };
  // A batch of events: counted, held to the window, handed to the sinks by
  // `write`; what the intake gathers is updated under `intake_mutex` (the
  // batches of a sharded sink come on several threads at once).
  std::mutex intake_mutex;
  auto take_events = [&](FileBatch<model::EventRecord>& batch, auto&& write) {
    auto of_kind = static_cast<uint64_t>(std::count_if(batch.records.begin(), batch.records.end(), has_event_key));
    size_t left_out = window ? drop_events_outside(batch.records, *window) : 0;
    write();
    std::lock_guard lock(intake_mutex);
    intake.events_of_kind += of_kind;
    summary.events_outside_window += left_out;
    if (left_out > 0) intake.sources_with_events_outside.insert(batch.source);
    std::move(batch.rejects.begin(), batch.rejects.end(), std::back_inserter(intake.rejects));
  };
  auto take_events_in_turn = [&](FileBatch<model::EventRecord>& batch) {
    take_events(batch, [&] {
      for (Sink* sink : takers) sink->write_events(batch.records);
    });
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

  bool songs_first = std::any_of(takers.begin(), takers.end(),
                                 [](const Sink* sink) { return sink->input() == SinkInput::kRecordsSongsFirst; });
  if (songs_first) {
    {
      PhaseTimer timer(summary, "songs", Tally::kSongs);
      count_songs(extract_songs(*song_fs, files.songs, song_concurrency, take_songs, song_counters));
      show_step(summary, "ending the songs in", takers);
      for (Sink* sink : takers) sink->end_songs();
    }
    PhaseTimer timer(summary, "events", Tally::kEvents);
    // One sink that keeps its events in parts takes them on the reading
    // threads; otherwise one batch at a time.
    size_t shards = takers.size() == 1 ? takers.front()->event_shards(event_concurrency) : 0;
    if (shards > 0) {
      Sink& sink = *takers.front();
      count_events(extract_events_in_shards(
          *log_fs, files.events, event_concurrency, shards,
          [&](size_t shard, FileBatch<model::EventRecord>& batch) {
            take_events(batch, [&] { sink.write_event_shard(shard, batch.records); });
          },
          event_counters));
    } else {
      count_events(extract_events(*log_fs, files.events, event_concurrency, take_events_in_turn, event_counters));
    }
    show_step(summary, "ending the events in", takers);
    for (Sink* sink : takers) sink->end_events();
    return intake;
  }
  // Many small song files cost system calls, not bandwidth; reading them
  // while the events load keeps the warehouse's ingest busy instead of
  // idle. Their records wait in memory (songs are few next to events) and
  // are handed over after the events.
  std::vector<FileBatch<model::SongRecord>> song_batches;
  auto songs_read = std::async(std::launch::async, [&] {
    return extract_songs(
        *song_fs, files.songs, song_concurrency,
        [&](FileBatch<model::SongRecord>& batch) { song_batches.push_back(std::move(batch)); }, song_counters);
  });
  std::exception_ptr events_error;
  {
    PhaseTimer timer(summary, "events", Tally::kEvents);
    try {
      count_events(extract_events(*log_fs, files.events, event_concurrency, take_events_in_turn, event_counters));
      show_step(summary, "ending the events in", takers);
      for (Sink* sink : takers) sink->end_events();
    } catch (...) {
      events_error = std::current_exception();
    }
  }
  PhaseTimer timer(summary, "songs", Tally::kSongs);
  ExtractStats song_stats = songs_read.get();  // waits even when the events failed
  if (events_error) std::rethrow_exception(events_error);
  count_songs(song_stats);
  show_step(summary, "handing the songs to", takers);
  for (auto& batch : song_batches) take_songs(batch);
  show_step(summary, "ending the songs in", takers);
  for (Sink* sink : takers) sink->end_songs();
  return intake;
}

void check_intake(const config::Settings& settings, const SourceFiles& files, Intake& intake, RunSummary& summary) {
  model::Rejects& rejects = intake.rejects;
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
  if (settings.allow_empty_input || !intake.fed) return;
  if (!files.songs.empty() && intake.songs_of_kind == 0) {
    throw JobError("the song data under " + settings.song_data + " (" + std::to_string(files.songs.size()) +
                   " files) holds no song record (no object with song_id, title, artist_id, …); are --song-data "
                   "and --log-data swapped? Nothing was committed (--allow-empty-input accepts it)");
  }
  if (!files.events.empty() && intake.events_of_kind == 0) {
    throw JobError("the log data under " + settings.log_data + " (" + std::to_string(files.events.size()) +
                   " files) holds no event record (no line with ts, page, userId, …); are --song-data and "
                   "--log-data swapped? Nothing was committed (--allow-empty-input accepts it)");
  }
}

}  // namespace sparkify::pipeline
