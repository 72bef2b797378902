// Feeding the sinks: reads and parses every source file on all cores and
// hands the records to every sink, in the order the sinks need (songs
// before events when any sink needs that; otherwise the song files are read
// while the events stream in, and handed over after them). Rejects are
// gathered, never dropped.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "config/settings.h"
#include "io/file_system.h"
#include "model/day_window.h"
#include "model/reject.h"
#include "pipeline/file_systems.h"
#include "pipeline/sink.h"
#include "pipeline/summary.h"

namespace sparkify::pipeline {

// What the feeding found besides the records it handed over.
struct Intake {
  bool fed = false;  // whether any sink took records (else nothing was read)
  model::Rejects rejects;
  // Records with at least one key of their source's layout: none of them
  // in a source that has files is what swapped sources look like.
  uint64_t songs_of_kind = 0;
  uint64_t events_of_kind = 0;
  // A backfill: the files that held events outside its window (left out).
  std::set<std::string> sources_with_events_outside;
};

// Lists both sources (sorted; any listing error fails the run). A source
// with no *.json or *.json.gz file is a JobError unless
// settings.allow_empty_input. Times the "list" phase.
SourceFiles list_sources(const config::Settings& settings, FileSystems& file_systems, RunSummary& summary);

// Has every sink that takes locations load the sources itself (their
// rejects join the run's), then feeds every file of `files` to every sink
// that takes records (none is read when no sink does), ending each source
// with the sinks' end_songs() / end_events(); counts files, bytes and
// records into `summary` and times the "songs" and "events" phases. With
// `window` (a backfill), the events outside it are left out before any
// sink sees them (backfill.h), and counted. Throws what a read or a sink
// throws (the caller aborts the sinks).
Intake feed_sinks(const config::Settings& settings, FileSystems& file_systems, const SourceFiles& files,
                  const std::optional<model::DayWindow>& window, std::vector<std::unique_ptr<Sink>>& sinks,
                  RunSummary& summary);

// After the feeding, before any commit: writes the rejects file (or removes
// a stale one of ours), then throws JobError when the rejects exceed
// --max-errors, or when a source with files held no record of its kind
// (unless settings.allow_empty_input, or nothing was read).
void check_intake(const config::Settings& settings, const SourceFiles& files, Intake& intake, RunSummary& summary);

}  // namespace sparkify::pipeline
