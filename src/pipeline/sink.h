// Where the parsed records go. A sink's life cycle, driven by the pipeline:
//   begin() → sources_listed() → write_songs()… end_songs()
//   → write_events()… end_events()   (a sink that takes the sources'
//                                      locations: load_sources() instead)
//   → prepare() → intend_commit() → commit()      or abort() at any point.
// A dry run calls rehearse() alone.
// prepare() does everything that can fail (transform, write files aside);
// commit() makes the result visible.
//
// Several sinks change together or not at all. One of them may decide the
// load (a warehouse: its COMMIT is atomic, and writes the load's row in its
// ledger). The pipeline prepares every sink, has each record its intent
// (intend_commit: a lake writes its journal), commits the deciding sink,
// and only then the others. A run killed after that decision is completed
// by the next one (a lake asks the deciding warehouse, through the oracle
// given to begin(), whether the load it half-committed stands).
#pragma once

#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "io/file_system.h"
#include "model/day_window.h"
#include "model/records.h"
#include "model/reject.h"
#include "quality/check.h"
#include "quality/match_diagnostics.h"
#include "model/star.h"
#include "pipeline/summary.h"

namespace sparkify::pipeline {

// One load across sinks.
struct LoadTicket {
  std::string id;          // unique to the run
  std::string decided_by;  // commit_identity() of the deciding sink; empty when there is none
};

// Whether the sink named `decided_by` committed load `load_id`. Throws
// UsageError when this run cannot ask it (no such sink in the run).
using CommitOracle = std::function<bool(const std::string& decided_by, const std::string& load_id)>;

// What a sink takes from the sources.
enum class SinkInput {
  kRecordsSongsFirst,  // parsed records, every song before the first event (the in-process star)
  kRecordsAnyOrder,    // parsed records, the two sources in either order (a warehouse's staging)
  kSourceLocations,    // no records: the sink loads the sources itself (a warehouse's COPY from S3)
};

// The files of a run's two sources, as listed (sorted).
struct SourceFiles {
  std::vector<io::FileEntry> songs;
  std::vector<io::FileEntry> events;
};

// A backfill (--since/--until): its window, and the event files it reads
// again (those dated inside it or not dated: backfill.h chose them).
struct Backfill {
  model::DayWindow window;
  std::vector<io::FileEntry> events;
};

// What an incremental run loads, as the deciding sink chose it.
struct IncrementalSources {
  SourceFiles files;
  // Whether the events are held to the backfill's window (a merge of it);
  // a rebuild takes every event of every file.
  bool keeps_window = false;
  // Nothing new and no window to replace: the run changes nothing.
  bool nothing_to_load = false;
  std::string note;  // what was decided and why, for the summary
};

// What begin() is told about the load.
struct LoadDescription {
  std::string load_id;    // unique to the run (LoadTicket::id)
  std::string song_data;  // the sources' locations, as given
  std::string log_data;
  CommitOracle oracle;    // settles what an interrupted earlier run left
  bool incremental = false;  // --incremental (a dry run shows the merge)
  std::optional<Backfill> backfill{};  // --since/--until (a dry run shows the window's merge)
  bool checked = false;                // --check: check() runs on the new tables before the commit
};

class Sink {
 public:
  virtual ~Sink() = default;
  virtual std::string name() const = 0;  // for logs; never a secret
  // Opens the sink; finishes or undoes what an interrupted earlier run left,
  // asking `load.oracle` when another sink decided that run's load.
  virtual void begin(const LoadDescription& load) = 0;
  // What begin() did about an interrupted earlier run, for the summary.
  virtual std::string recovery_note() const { return {}; }
  // What it takes. When no sink needs every song before the first event,
  // the run reads the song files while the events stream in, and hands the
  // songs over after them. A sink that takes locations gets no write_*()
  // and no end_*() calls.
  virtual SinkInput input() const { return SinkInput::kRecordsSongsFirst; }
  // --incremental: which of `files` this load takes (those its ledger
  // lacks; with a backfill, also its event files, whatever the ledger
  // says). Asked of the deciding sink (a warehouse) only; config refuses
  // --incremental for other targets.
  virtual IncrementalSources incremental_sources(const SourceFiles& files, const std::optional<Backfill>& backfill);
  // A backfill, after the feeding: the files read whose events outside the
  // window were left out (the ledger must not take them as loaded whole).
  virtual void events_left_out(const std::vector<std::string>& /*sources*/) {}
  // What the sources hold, once listed and before any record.
  virtual void sources_listed(const SourceFiles& /*files*/) {}
  // For a sink that takes locations: loads the sources itself; returns the
  // records it rejected (file, line, field, reason).
  virtual model::Rejects load_sources(const SourceFiles& /*files*/, RunSummary& /*summary*/) { return {}; }
  virtual void write_songs(const std::vector<model::SongRecord>& songs) = 0;
  // The same, for a sink that is the only one to take the records: it may
  // keep them without a copy.
  virtual void take_songs(std::vector<model::SongRecord>&& songs) { write_songs(songs); }
  virtual void end_songs() = 0;
  virtual void write_events(const std::vector<model::EventRecord>& events) = 0;
  // A sink that keeps its events' state in parts, one per thread, returns
  // how many (at most `readers`) after the songs are in: write_event_shard
  // may then be called on that many threads at once, each with its own
  // `shard`, instead of write_events. 0: events come one batch at a time.
  virtual size_t event_shards(size_t /*readers*/) { return 0; }
  virtual void write_event_shard(size_t /*shard*/, const std::vector<model::EventRecord>& events) {
    write_events(events);
  }
  virtual void end_events() = 0;
  // Builds the star schema; times its phases into `summary`.
  virtual model::TableCounts prepare(RunSummary& summary) = 0;
  // After prepare(), before any commit: runs `checks` on the tables this
  // sink is about to publish (a warehouse inside its transaction, a lake on
  // the rows it staged).
  virtual std::vector<quality::CheckResult> check(const std::vector<quality::Check>& checks) = 0;
  // After prepare(): why plays did or did not match a song; nullopt from a
  // sink that does not know.
  virtual std::optional<quality::MatchDiagnostics> match_diagnostics() { return std::nullopt; }

  // Whether this sink's commit decides the load; its identity (for a lake's
  // journal, never a secret) and its answer for an earlier load.
  virtual bool decides_commits() const { return false; }
  virtual std::string commit_identity() const { return name(); }
  virtual bool has_committed(const std::string& /*load_id*/) { return false; }

  // Records durably that `ticket` is about to be committed.
  virtual void intend_commit(const LoadTicket& /*ticket*/) {}
  virtual void commit(const LoadTicket& ticket, RunSummary& summary) = 0;
  virtual void abort() noexcept = 0;
  // As abort(), when the deciding sink's commit failed with an unknown
  // outcome (its connection dropped during COMMIT): keep what lets the next
  // run ask it again.
  virtual void abort_undecided() noexcept { abort(); }

  // A dry run: writes to `out` what the run would do up to its commit
  // (every statement a warehouse would be sent), then what its commit
  // would do, changing nothing and connecting to nothing.
  virtual void rehearse(const LoadDescription& load, std::ostream& out) = 0;
  virtual void rehearse_commit(const LoadTicket& /*ticket*/, std::ostream& /*out*/) {}
};

}  // namespace sparkify::pipeline
