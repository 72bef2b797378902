// A backfill's window (etl --since/--until) applied to what a run reads:
// the one place that decides which event files a backfill reads and which
// of their events it keeps, for every sink (the feeding applies it before
// any sink sees a record; a dry run shows it).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "io/file_system.h"
#include "model/day_window.h"
#include "model/records.h"

namespace sparkify::pipeline {

// The days a source file's path names, both included.
struct NamedDays {
  int64_t first = 0;
  int64_t last = 0;
};

// What `relative_path` (below its source's root) says of its events' days:
// a day where the file name holds a date YYYY-MM-DD
// (2018-11-05-events.json) or the folders are YYYY/MM/DD; a month where the
// folders are YYYY/MM (log_data/2018/11/events.json); nullopt where it
// names no date.
std::optional<NamedDays> days_named_by(std::string_view relative_path);

// The event files a backfill of `window` reads: every file of `files`
// (listed under `root`) whose path names no date, or a day inside the
// window. A file dated wholly outside is not read.
std::vector<io::FileEntry> event_files_in_window(const std::vector<io::FileEntry>& files, const std::string& root,
                                                 const model::DayWindow& window);

// Removes the events whose ts lies outside `window` (or that have none)
// from `events`, keeping the others in order; returns how many it removed.
size_t drop_events_outside(std::vector<model::EventRecord>& events, const model::DayWindow& window);

// The rule in words, for logs and a dry run.
std::string describe_backfill(const model::DayWindow& window);

}  // namespace sparkify::pipeline
