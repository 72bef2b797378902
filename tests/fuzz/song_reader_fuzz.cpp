// Fuzzes json::SongReader over one song file. Beyond not crashing: the file
// is either one object spread over its lines (one record, no Reject) or read
// line by line, each non-blank line one record or one Reject
// (reader_checks.h); read() appends to what the vectors held.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_support.h"
#include "io/bytes.h"
#include "json/readers.h"
#include "model/records.h"
#include "model/reject.h"
#include "reader_checks.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace sparkify;
  const std::string source = "song_data/A/B/C/TRABCEI128F424C983.json";
  std::string_view text(reinterpret_cast<const char*>(data), size);
  // One reader for every input, as one reading thread keeps one for all its files.
  static json::SongReader reader;

  model::SongRecord earlier_record;
  earlier_record.song_id = "SOEARLIER";
  std::vector<model::SongRecord> records{earlier_record};
  model::Rejects rejects{model::Reject{"earlier.json", 3, "year", "from an earlier file", "{}"}};
  reader.read(io::Bytes::copy_of(text), source, records, rejects);
  FUZZ_CHECK(!records.empty() && records.front().song_id == "SOEARLIER");
  FUZZ_CHECK(!rejects.empty() && rejects.front().source == "earlier.json");
  records.erase(records.begin());
  rejects.erase(rejects.begin());

  std::vector<std::string_view> lines = fuzz::split_lines(fuzz::without_bom(text));
  bool one_spread_object = records.size() == 1 && rejects.empty();
  FUZZ_CHECK(one_spread_object || records.size() + rejects.size() == fuzz::count_non_blank(lines));
  fuzz::check_rejects(rejects, source, lines,
                      {"num_songs", "artist_id", "artist_latitude", "artist_longitude", "artist_location",
                       "artist_name", "song_id", "title", "duration", "year"});
  return 0;
}
