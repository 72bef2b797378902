// The song and event readers: the project's only use of simdjson. A reader
// turns the bytes of one source file into records and rejects; it never
// throws for bad data, so one broken line costs one record, not the file.
//
// Rules (docs/schema.md): unknown keys are ignored; a missing key, a JSON
// null and an empty string are all NULL; a value of the wrong JSON type
// (a string where an integer belongs, a fraction in an integer column, an
// integer out of the column's range) rejects the whole record with the key
// named. So do an event `ts` outside the years 1900 to 2200 UTC (a ts in
// micro- or nanoseconds, which no target can hold) and a song `artist_id`
// too long to name a lake folder (model/partition_value.h). Event files are
// NDJSON: blank lines are skipped, CRLF is accepted, the last line may lack
// its newline. A song file holds one object, or several one per line, or one
// object spread over several lines. A UTF-8 byte order mark at the start of
// a file (of its inflated bytes, for gzip) is skipped.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "io/bytes.h"
#include "io/input_stream.h"
#include "model/records.h"
#include "model/reject.h"

namespace sparkify::json {

// Reuses its parser's buffers across files; one per thread.
class SongReader {
 public:
  SongReader();
  ~SongReader();
  SongReader(const SongReader&) = delete;
  SongReader& operator=(const SongReader&) = delete;

  // Appends the records of `bytes` (the content of `source`) to `records`,
  // and a Reject for each record that cannot be taken to `rejects`.
  void read(const io::Bytes& bytes, const std::string& source,
            std::vector<model::SongRecord>& records, model::Rejects& rejects);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

class EventReader {
 public:
  EventReader();
  ~EventReader();
  EventReader(const EventReader&) = delete;
  EventReader& operator=(const EventReader&) = delete;

  void read(const io::Bytes& bytes, const std::string& source,
            std::vector<model::EventRecord>& records, model::Rejects& rejects);

  // As read(), but hands the records and rejects gathered so far to
  // `on_chunk` (which takes them, leaving the vectors empty) each time
  // `chunk_records` records have been read, and once at the end: a day of
  // events can be hundreds of MB, and this keeps memory bounded by the chunk.
  // Line numbers stay those of the whole file.
  using ChunkHandler = std::function<void(std::vector<model::EventRecord>&, model::Rejects&)>;
  void read_in_chunks(const io::Bytes& bytes, const std::string& source, size_t chunk_records,
                      const ChunkHandler& on_chunk);
  // As read_in_chunks(), reading `stream` (the content of `source`) a piece
  // of about `piece_bytes` at a time (more only for a longer line): memory
  // for a piece and a chunk, whatever the file's size.
  static constexpr size_t kPieceBytes = size_t{8} << 20;
  void read_stream(io::InputStream& stream, const std::string& source, size_t chunk_records,
                   const ChunkHandler& on_chunk, size_t piece_bytes = kPieceBytes);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Longest raw text a Reject keeps of its record.
inline constexpr size_t kMaxRejectText = 2048;

}  // namespace sparkify::json
