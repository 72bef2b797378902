// Extract: reads source files through a FileSystem and parses them on
// several threads, handing the records to a consumer that runs on the
// calling thread, one batch at a time, in completion order (sinks need not
// be thread-safe, and none depends on file order). A batch holds several
// whole small files, or a chunk of a large one.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "io/file_system.h"
#include "model/records.h"
#include "model/reject.h"
#include "pipeline/progress.h"

namespace sparkify::pipeline {

template <typename Record>
struct FileBatch {
  std::vector<Record> records;
  model::Rejects rejects;
  uint64_t bytes = 0;         // as stored (before gunzip), of the files it ends
  uint64_t files_ended = 1;   // files whose last records it holds
  std::string source;         // events: the file the records come from (a batch holds one file's)
};

struct ExtractStats {
  uint64_t files = 0;
  uint64_t bytes = 0;
  uint64_t records = 0;
  uint64_t rejects = 0;
};

// `concurrency`: files read and parsed at once (0: one per core).
// If `consume` throws, reading stops and the exception is rethrown here.
// `counters`, when given, grow as each file (or chunk of an event file) is
// parsed, on the reading threads, before its records reach `consume`.
ExtractStats extract_songs(io::FileSystem& fs, const std::vector<io::FileEntry>& files, size_t concurrency,
                           const std::function<void(FileBatch<model::SongRecord>&)>& consume,
                           SourceCounters* counters = nullptr);
ExtractStats extract_events(io::FileSystem& fs, const std::vector<io::FileEntry>& files, size_t concurrency,
                            const std::function<void(FileBatch<model::EventRecord>&)>& consume,
                            SourceCounters* counters = nullptr);

// As extract_events, but `consume` runs on the reading threads themselves,
// up to `shards` at once, each call with a shard index < `shards` that no
// other call holds meanwhile: a sink that keeps one part of its state per
// shard takes events on every thread without a lock. Batches are chunks of
// one file (`source`), as for extract_events.
ExtractStats extract_events_in_shards(io::FileSystem& fs, const std::vector<io::FileEntry>& files, size_t concurrency,
                                      size_t shards,
                                      const std::function<void(size_t shard, FileBatch<model::EventRecord>&)>& consume,
                                      SourceCounters* counters = nullptr);

// The suffixes of source files: *.json and *.json.gz.
const std::vector<std::string>& source_suffixes();

}  // namespace sparkify::pipeline
