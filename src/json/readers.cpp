#include "json/readers.h"

#include "json/cpu_check.h"
#include "model/partition_value.h"

#include <simdjson.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <functional>
#include <limits>
#include <optional>
#include <string_view>

namespace sparkify::json {
namespace {

using model::Reject;
using model::Rejects;

namespace od = simdjson::ondemand;

static_assert(io::Bytes::kPadding >= simdjson::SIMDJSON_PADDING);

// One simdjson implementation's readers.
// NDJSON lines parsed in place: `text` is readable up to `readable_end`
// (simdjson reads past the end of what it parses). A file read in pieces
// gives one span per piece, each of whole lines.
struct LineSpan {
  std::string_view text;
  const char* readable_end;
  uint64_t lines_before = 0;  // lines of the file before `text`
  bool file_start = true;     // where a byte order mark may be
  static LineSpan of(const io::Bytes& bytes) {
    return {bytes.view(), bytes.data() + bytes.size() + io::Bytes::kPadding};
  }
};

class ReaderKernel {
 public:
  virtual ~ReaderKernel() = default;
  virtual void read_songs(const io::Bytes& bytes, const std::string& source,
                          std::vector<model::SongRecord>& records, Rejects& rejects) = 0;
  // Calls on_full() after any line that leaves `chunk_records` records or
  // more in `records`. Returns the number of the last line gone through.
  virtual uint64_t read_events(const LineSpan& lines, const std::string& source,
                               std::vector<model::EventRecord>& records, Rejects& rejects, size_t chunk_records,
                               const std::function<void()>& on_full) = 0;
};

using model::Reject;
using model::Rejects;


// Why a value could not be taken; empty when it could.
struct FieldError {
  std::string reason;
  explicit operator bool() const { return !reason.empty(); }
};

const char* type_name(od::json_type type) {
  switch (type) {
    case od::json_type::array: return "an array";
    case od::json_type::object: return "an object";
    case od::json_type::number: return "a number";
    case od::json_type::string: return "a string";
    case od::json_type::boolean: return "a boolean";
    case od::json_type::null: return "null";
  }
  return "an unknown value";
}

FieldError wrong_type(const char* expected, od::json_type found) {
  return {std::string("expected ") + expected + ", found " + type_name(found)};
}

FieldError parse_error(simdjson::error_code code) {
  return {std::string("invalid JSON: ") + simdjson::error_message(code)};
}

// The typed extractors. Each leaves `out` as nullopt for JSON null.

FieldError take_string(od::value& value, std::optional<std::string>& out) {
  od::json_type type;
  if (auto code = value.type().get(type)) return parse_error(code);
  if (type == od::json_type::null) {
    out.reset();
    return {};
  }
  if (type != od::json_type::string) return wrong_type("a string", type);
  std::string_view text;
  if (auto code = value.get_string().get(text)) return parse_error(code);
  if (text.empty()) {
    out.reset();  // EMPTYASNULL
  } else if (text.find('\0') != std::string_view::npos) {
    // No warehouse text type can hold U+0000.
    return {"a string holds the character U+0000"};
  } else {
    out.emplace(text);
  }
  return {};
}

template <typename Int>
FieldError take_integer(od::value& value, std::optional<Int>& out) {
  od::json_type type;
  if (auto code = value.type().get(type)) return parse_error(code);
  if (type == od::json_type::null) {
    out.reset();
    return {};
  }
  if (type != od::json_type::number) return wrong_type("an integer", type);
  od::number_type kind;
  if (auto code = value.get_number_type().get(kind)) return parse_error(code);
  if (kind == od::number_type::floating_point_number) {
    return {"expected an integer, found a number with a fraction or exponent"};
  }
  if (kind == od::number_type::unsigned_integer) return {"integer out of range"};
  int64_t number;
  if (auto code = value.get_int64().get(number)) return parse_error(code);
  if (number < std::numeric_limits<Int>::min() || number > std::numeric_limits<Int>::max()) {
    return {"integer out of range: " + std::to_string(number)};
  }
  out = static_cast<Int>(number);
  return {};
}

FieldError take_double(od::value& value, std::optional<double>& out) {
  od::json_type type;
  if (auto code = value.type().get(type)) return parse_error(code);
  if (type == od::json_type::null) {
    out.reset();
    return {};
  }
  if (type != od::json_type::number) return wrong_type("a number", type);
  double number;
  if (auto code = value.get_double().get(number)) return parse_error(code);
  out = number;
  return {};
}

// The instants every target can hold: years 1900 to 2200, UTC. A ts in
// micro- or nanoseconds lands far outside (year 50806, or an interval
// PostgreSQL and DuckDB refuse), so it is a reject naming the record rather
// than a broken partition or a load failure naming none.
constexpr int64_t kEarliestTimestampMs = -2208988800000;  // 1900-01-01T00:00:00.000Z
constexpr int64_t kLatestTimestampMs = 7289654399999;     // 2200-12-31T23:59:59.999Z

// `ts`: an integer of epoch milliseconds between the two instants above.
FieldError take_timestamp_ms(od::value& value, std::optional<int64_t>& out) {
  if (auto error = take_integer(value, out)) return error;
  if (out && (*out < kEarliestTimestampMs || *out > kLatestTimestampMs)) {
    return {"expected epoch milliseconds in the years 1900 to 2200 UTC (" + std::to_string(kEarliestTimestampMs) +
            " to " + std::to_string(kLatestTimestampMs) + "), found " + std::to_string(*out)};
  }
  return {};
}

// A number of epoch milliseconds that may carry a fraction
// (1540919166796.0): rounded to the nearest millisecond.
FieldError take_rounded_int64(od::value& value, std::optional<int64_t>& out) {
  std::optional<double> number;
  if (auto error = take_double(value, number)) return error;
  if (!number) {
    out.reset();
    return {};
  }
  if (!std::isfinite(*number) || std::fabs(*number) > 9.2e18) return {"number out of range"};
  out = std::llround(*number);
  return {};
}

// userId: a string of digits, "" for logged-out events, or an integer.
FieldError take_user_id(od::value& value, std::optional<int32_t>& out) {
  od::json_type type;
  if (auto code = value.type().get(type)) return parse_error(code);
  if (type != od::json_type::string) return take_integer(value, out);
  std::string_view text;
  if (auto code = value.get_string().get(text)) return parse_error(code);
  if (text.empty()) {
    out.reset();
    return {};
  }
  int64_t number = 0;
  for (char digit : text) {
    if (digit < '0' || digit > '9') return {"expected a string of digits, found \"" + std::string(text.substr(0, 40)) + "\""};
    number = number * 10 + (digit - '0');
    if (number > std::numeric_limits<int32_t>::max()) return {"user id out of range"};
  }
  out = static_cast<int32_t>(number);
  return {};
}

// Parses one JSON object from `text` (which lies inside a padded buffer that
// stays readable up to `readable_end`) and hands each field to `take`,
// which returns a FieldError. Returns the reject reason and key, if any.
template <typename TakeField>
bool read_object(od::parser& parser, std::string_view text, const char* readable_end,
                 TakeField&& take, std::string& field_out, std::string& reason_out) {
  simdjson::padded_string_view padded(text.data(), text.size(),
                                      static_cast<size_t>(readable_end - text.data()));
  od::document doc;
  if (auto code = parser.iterate(padded).get(doc)) {
    reason_out = parse_error(code).reason;
    return false;
  }
  od::object object;
  if (auto code = doc.get_object().get(object)) {
    od::json_type type;
    if (doc.type().get(type) == simdjson::SUCCESS && type != od::json_type::object) {
      reason_out = std::string("expected a JSON object, found ") + type_name(type);
    } else {
      reason_out = parse_error(code).reason;
    }
    return false;
  }
  for (auto field_result : object) {
    od::field field;
    if (auto code = std::move(field_result).get(field)) {
      reason_out = parse_error(code).reason;
      return false;
    }
    std::string_view key;
    if (auto code = field.unescaped_key().get(key)) {
      reason_out = parse_error(code).reason;
      return false;
    }
    if (auto error = take(key, field.value())) {
      field_out = std::string(key);
      reason_out = std::move(error.reason);
      return false;
    }
  }
  // Inside the buffer means content follows the object; at the end,
  // current_location() answers OUT_OF_BOUNDS.
  const char* trailing = nullptr;
  if (doc.current_location().get(trailing) == simdjson::SUCCESS) {
    reason_out = "invalid JSON: unexpected content after the object";
    return false;
  }
  return true;
}

// A song's artist_id names a folder of the lake's songs table
// (songs/year=Y/artist_id=A/): one whose escaped name would be longer than a
// file system takes is a reject here, so the warehouse gets the same rows.
FieldError take_artist_id(od::value& value, std::optional<std::string>& out) {
  if (auto error = take_string(value, out)) return error;
  if (!out) return {};
  size_t folder_size = model::partition_folder_name_size("artist_id", *out);
  if (folder_size > model::kMaxFolderNameBytes) {
    return {"too long to name a lake partition folder: artist_id=VALUE, escaped as Hive does, is " +
            std::to_string(folder_size) + " bytes, more than " + std::to_string(model::kMaxFolderNameBytes)};
  }
  return {};
}

FieldError take_song_field(std::string_view key, od::value value, model::SongRecord& song) {
  if (key == "num_songs") return take_integer(value, song.num_songs);
  if (key == "artist_id") return take_artist_id(value, song.artist_id);
  if (key == "artist_latitude") return take_double(value, song.artist_latitude);
  if (key == "artist_longitude") return take_double(value, song.artist_longitude);
  if (key == "artist_location") return take_string(value, song.artist_location);
  if (key == "artist_name") return take_string(value, song.artist_name);
  if (key == "song_id") return take_string(value, song.song_id);
  if (key == "title") return take_string(value, song.title);
  if (key == "duration") return take_double(value, song.duration);
  if (key == "year") return take_integer(value, song.year);
  return {};  // unknown keys are ignored
}

FieldError take_event_field(std::string_view key, od::value value, model::EventRecord& event) {
  // Dispatch on the first letter first: most keys are decided by one compare.
  switch (key.empty() ? '\0' : key[0]) {
    case 'a':
      if (key == "artist") return take_string(value, event.artist);
      if (key == "auth") return take_string(value, event.auth);
      break;
    case 'f':
      if (key == "firstName") return take_string(value, event.first_name);
      break;
    case 'g':
      if (key == "gender") return take_string(value, event.gender);
      break;
    case 'i':
      if (key == "itemInSession") return take_integer(value, event.item_in_session);
      break;
    case 'l':
      if (key == "lastName") return take_string(value, event.last_name);
      if (key == "length") return take_double(value, event.length);
      if (key == "level") return take_string(value, event.level);
      if (key == "location") return take_string(value, event.location);
      break;
    case 'm':
      if (key == "method") return take_string(value, event.method);
      break;
    case 'p':
      if (key == "page") return take_string(value, event.page);
      break;
    case 'r':
      if (key == "registration") return take_rounded_int64(value, event.registration);
      break;
    case 's':
      if (key == "sessionId") return take_integer(value, event.session_id);
      if (key == "song") return take_string(value, event.song);
      if (key == "status") return take_integer(value, event.status);
      break;
    case 't':
      if (key == "ts") return take_timestamp_ms(value, event.ts);
      break;
    case 'u':
      if (key == "userAgent") return take_string(value, event.user_agent);
      if (key == "userId") return take_user_id(value, event.user_id);
      break;
    default:
      break;
  }
  return {};
}

bool is_blank(std::string_view text) {
  for (char c : text) {
    if (c != ' ' && c != '\t' && c != '\r' && c != '\n') return false;
  }
  return true;
}

Reject make_reject(const std::string& source, uint64_t line, std::string field, std::string reason,
                   std::string_view text) {
  return Reject{source, line, std::move(field), std::move(reason),
                std::string(text.substr(0, kMaxRejectText))};
}

// A UTF-8 byte order mark, which Windows tools put at the start of a file
// and which is not JSON.
constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

// `text` without a byte order mark at its start.
std::string_view without_bom(std::string_view text) {
  if (text.substr(0, kUtf8Bom.size()) == kUtf8Bom) text.remove_prefix(kUtf8Bom.size());
  return text;
}

// Calls on_line(line_number, text) for every non-blank line, CR stripped; a
// byte order mark at the start of the file is skipped. Returns the number of
// the last line.
template <typename OnLine>
uint64_t for_each_line(const LineSpan& lines, OnLine&& on_line) {
  const char* cursor = (lines.file_start ? without_bom(lines.text) : lines.text).data();
  const char* end = lines.text.data() + lines.text.size();
  uint64_t line_number = lines.lines_before;
  while (cursor < end) {
    ++line_number;
    const char* newline = static_cast<const char*>(std::memchr(cursor, '\n', static_cast<size_t>(end - cursor)));
    const char* line_end = newline ? newline : end;
    std::string_view line(cursor, static_cast<size_t>(line_end - cursor));
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (!is_blank(line)) on_line(line_number, line);
    cursor = newline ? newline + 1 : end;
  }
  return line_number;
}

// Reads NDJSON records of type Record with `take_field`.
template <typename Record, typename TakeField, typename OnFull>
uint64_t read_lines(od::parser& parser, const LineSpan& lines, const std::string& source, std::vector<Record>& records,
                    Rejects& rejects, TakeField take_field, size_t chunk_records, OnFull&& on_full) {
  const char* readable_end = lines.readable_end;
  std::string field;
  std::string reason;
  // Room for the records of `bytes_left` bytes (at a guess of 256 bytes a
  // line, and no more than a chunk holds in all), so that a large file's vector is not
  // regrown (and its records moved) many times.
  auto make_room = [&](size_t bytes_left) {
    records.reserve(std::min(chunk_records, records.size() + bytes_left / 256 + 1));
  };
  const char* end = lines.text.data() + lines.text.size();
  make_room(lines.text.size());
  return for_each_line(lines, [&](uint64_t line_number, std::string_view line) {
    // Parsed in place; taken back out if the line is rejected.
    Record& record = records.emplace_back();
    field.clear();
    reason.clear();
    auto take = [&](std::string_view key, od::value value) { return take_field(key, value, record); };
    if (!read_object(parser, line, readable_end, take, field, reason)) {
      records.pop_back();
      rejects.push_back(make_reject(source, line_number, field, reason, line));
    }
    if (records.size() >= chunk_records) {
      on_full();  // takes the records, and their room, away
      make_room(static_cast<size_t>(end - (line.data() + line.size())));
    }
  });
}

class Kernel final : public ReaderKernel {
 public:
  void read_songs(const io::Bytes& bytes, const std::string& source,
                  std::vector<model::SongRecord>& records, Rejects& rejects) override {
    size_t records_before = records.size();
    size_t rejects_before = rejects.size();
    read_lines(parser_, LineSpan::of(bytes), source, records, rejects, take_song_field, SIZE_MAX, [] {});
    if (rejects.size() == rejects_before) return;
    // Line by line failed somewhere: the file may be one object
    // pretty-printed over several lines. Take it whole if it reads that way.
    model::SongRecord whole;
    std::string field;
    std::string reason;
    std::string_view text = without_bom(bytes.view());
    while (!text.empty() && is_blank(text.substr(0, 1))) text.remove_prefix(1);
    auto take = [&](std::string_view key, od::value value) { return take_song_field(key, value, whole); };
    const char* readable_end = bytes.data() + bytes.size() + io::Bytes::kPadding;
    if (!text.empty() && read_object(parser_, text, readable_end, take, field, reason)) {
      records.resize(records_before);
      rejects.resize(rejects_before);
      records.push_back(std::move(whole));
    }
  }

  uint64_t read_events(const LineSpan& lines, const std::string& source, std::vector<model::EventRecord>& records,
                       Rejects& rejects, size_t chunk_records, const std::function<void()>& on_full) override {
    return read_lines(parser_, lines, source, records, rejects, take_event_field, chunk_records, on_full);
  }

 private:
  od::parser parser_;
};

std::unique_ptr<ReaderKernel> make_kernel() { return std::make_unique<Kernel>(); }
}  // namespace

struct SongReader::Impl {
  Impl() { require_supported_cpu(); }
  std::unique_ptr<ReaderKernel> kernel = make_kernel();
};

SongReader::SongReader() : impl_(std::make_unique<Impl>()) {}
SongReader::~SongReader() = default;

void SongReader::read(const io::Bytes& bytes, const std::string& source,
                      std::vector<model::SongRecord>& records, Rejects& rejects) {
  impl_->kernel->read_songs(bytes, source, records, rejects);
}

struct EventReader::Impl {
  Impl() { require_supported_cpu(); }
  std::unique_ptr<ReaderKernel> kernel = make_kernel();
};

EventReader::EventReader() : impl_(std::make_unique<Impl>()) {}
EventReader::~EventReader() = default;

void EventReader::read(const io::Bytes& bytes, const std::string& source,
                       std::vector<model::EventRecord>& records, Rejects& rejects) {
  impl_->kernel->read_events(LineSpan::of(bytes), source, records, rejects, SIZE_MAX, [] {});
}

void EventReader::read_in_chunks(const io::Bytes& bytes, const std::string& source, size_t chunk_records,
                                 const ChunkHandler& on_chunk) {
  std::vector<model::EventRecord> records;
  Rejects rejects;
  impl_->kernel->read_events(LineSpan::of(bytes), source, records, rejects, std::max<size_t>(1, chunk_records), [&] {
    on_chunk(records, rejects);
    records.clear();
    rejects.clear();
  });
  on_chunk(records, rejects);
}

void EventReader::read_stream(io::InputStream& stream, const std::string& source, size_t chunk_records,
                              const ChunkHandler& on_chunk, size_t piece_bytes) {
  std::vector<model::EventRecord> records;
  Rejects rejects;
  auto on_full = [&] {
    on_chunk(records, rejects);
    records.clear();
    rejects.clear();
  };
  chunk_records = std::max<size_t>(1, chunk_records);
  // The bytes read and not yet parsed: whole lines are parsed in place, and
  // the start of a line the piece cut is moved to the front for the next.
  size_t capacity = std::max<size_t>(1, piece_bytes);
  auto buffer = std::make_unique<char[]>(capacity + io::Bytes::kPadding);
  size_t held = 0;
  uint64_t lines_before = 0;
  bool file_start = true;
  bool at_end = false;
  while (!at_end) {
    while (held < capacity) {
      size_t got = stream.read(buffer.get() + held, capacity - held);
      if (got == 0) {
        at_end = true;
        break;
      }
      held += got;
    }
    std::string_view text(buffer.get(), held);
    // simdjson may look at up to kPadding bytes past a line: parse only
    // lines that the file's own bytes follow that far (or, at its end, the
    // zeros a whole file's Bytes end with), so that a line reads the same
    // however the file was cut into pieces.
    if (at_end) std::memset(buffer.get() + held, 0, io::Bytes::kPadding);
    size_t last_newline =
        held > io::Bytes::kPadding ? text.rfind('\n', held - io::Bytes::kPadding - 1) : std::string_view::npos;
    size_t whole = at_end ? held : (last_newline == std::string_view::npos ? 0 : last_newline + 1);
    if (whole == 0 && !at_end) {
      // A line (with the bytes after it) longer than the buffer: make room.
      auto bigger = std::make_unique<char[]>(capacity * 2 + io::Bytes::kPadding);
      std::memcpy(bigger.get(), buffer.get(), held);
      buffer = std::move(bigger);
      capacity *= 2;
      continue;
    }
    LineSpan lines{text.substr(0, whole), buffer.get() + capacity + io::Bytes::kPadding, lines_before, file_start};
    lines_before = impl_->kernel->read_events(lines, source, records, rejects, chunk_records, on_full);
    file_start = false;
    std::memmove(buffer.get(), buffer.get() + whole, held - whole);
    held -= whole;
  }
  on_chunk(records, rejects);
}

}  // namespace sparkify::json
