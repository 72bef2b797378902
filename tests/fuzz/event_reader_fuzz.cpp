// Fuzzes json::EventReader over one event file: read(), read_in_chunks()
// and read_stream() on the same bytes. Beyond not crashing: each non-blank
// line becomes one record or one Reject (reader_checks.h), read() appends to
// what the vectors held, the chunks, each of exactly the chunk size but the
// last, add up to what read() returns, and so does a stream read in pieces
// of a few bytes (lines cut anywhere).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "fuzz_support.h"
#include "io/bytes.h"
#include "io/input_stream.h"
#include "json/readers.h"
#include "model/records.h"
#include "model/reject.h"
#include "reader_checks.h"

namespace {

using sparkify::model::EventRecord;
using sparkify::model::Reject;
using sparkify::model::Rejects;

const std::string kSource = "log_data/2018/11/2018-11-01-events.json";

auto fields_of(const EventRecord& e) {
  return std::tie(e.artist, e.auth, e.first_name, e.gender, e.item_in_session, e.last_name, e.length, e.level,
                  e.location, e.method, e.page, e.registration, e.session_id, e.song, e.status, e.ts,
                  e.user_agent, e.user_id);
}

auto fields_of(const Reject& r) { return std::tie(r.source, r.line, r.field, r.reason, r.text); }

template <typename T>
bool same(const std::vector<T>& a, const std::vector<T>& b) {
  if (a.size() != b.size()) return false;
  for (size_t idx = 0; idx < a.size(); ++idx) {
    if (fields_of(a[idx]) != fields_of(b[idx])) return false;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace sparkify;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  io::Bytes bytes = io::Bytes::copy_of(text);
  // One reader for every input, as one reading thread keeps one for all its
  // files: state left over from an earlier file is part of what is tested.
  static json::EventReader reader;

  EventRecord earlier_record;
  earlier_record.song = "from an earlier file";
  std::vector<EventRecord> records{earlier_record};
  Rejects rejects{Reject{"earlier.json", 7, "ts", "from an earlier file", "{}"}};
  reader.read(bytes, kSource, records, rejects);
  FUZZ_CHECK(!records.empty() && records.front().song == "from an earlier file");
  FUZZ_CHECK(!rejects.empty() && rejects.front().source == "earlier.json");
  records.erase(records.begin());
  rejects.erase(rejects.begin());

  std::vector<std::string_view> lines = fuzz::split_lines(fuzz::without_bom(text));
  FUZZ_CHECK(records.size() + rejects.size() == fuzz::count_non_blank(lines));
  fuzz::check_rejects(rejects, kSource, lines,
                      {"artist", "auth", "firstName", "gender", "itemInSession", "lastName", "length", "level",
                       "location", "method", "page", "registration", "sessionId", "song", "status", "ts",
                       "userAgent", "userId"});

  // A chunk size from the input's length, so that the corpus needs no
  // header byte and every size from 1 to 3 is tried.
  size_t chunk_records = 1 + size % 3;
  std::vector<EventRecord> chunked;
  Rejects chunked_rejects;
  std::vector<size_t> chunk_sizes;
  reader.read_in_chunks(bytes, kSource, chunk_records, [&](std::vector<EventRecord>& chunk, Rejects& chunk_rejects) {
    chunk_sizes.push_back(chunk.size());
    for (auto& record : chunk) chunked.push_back(std::move(record));
    for (auto& reject : chunk_rejects) chunked_rejects.push_back(std::move(reject));
    chunk.clear();
    chunk_rejects.clear();
  });
  FUZZ_CHECK(!chunk_sizes.empty());
  for (size_t chunk_idx = 0; chunk_idx + 1 < chunk_sizes.size(); ++chunk_idx) {
    FUZZ_CHECK(chunk_sizes[chunk_idx] == chunk_records);
  }
  FUZZ_CHECK(chunk_sizes.back() < chunk_records);
  FUZZ_CHECK(same(chunked, records));
  FUZZ_CHECK(same(chunked_rejects, rejects));

  std::vector<EventRecord> streamed;
  Rejects streamed_rejects;
  io::BytesInputStream stream(io::Bytes::copy_of(text));
  reader.read_stream(
      stream, kSource, chunk_records,
      [&](std::vector<EventRecord>& chunk, Rejects& chunk_rejects) {
        for (auto& record : chunk) streamed.push_back(std::move(record));
        for (auto& reject : chunk_rejects) streamed_rejects.push_back(std::move(reject));
        chunk.clear();
        chunk_rejects.clear();
      },
      1 + size % 7);
  FUZZ_CHECK(same(streamed, records));
  FUZZ_CHECK(same(streamed_rejects, rejects));
  return 0;
}
