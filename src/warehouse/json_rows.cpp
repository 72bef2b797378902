#include "warehouse/json_rows.h"

#include <charconv>
#include <cstdint>
#include <optional>
#include <string_view>

#include "model/json_text.h"

namespace sparkify::warehouse {
namespace {

// Writes one object's members, a comma before each but the first.
class ObjectWriter {
 public:
  explicit ObjectWriter(std::string& out) : out_(out) { out_ += '{'; }
  ~ObjectWriter() { out_ += "}\n"; }

  void text(std::string_view key, const std::optional<std::string>& value) {
    if (!value) return;
    start(key);
    model::append_json_quoted(*value, out_);
  }

  template <typename Number>
  void number(std::string_view key, const std::optional<Number>& value) {
    if (!value) return;
    start(key);
    char buffer[32];
    auto [end, error] = std::to_chars(buffer, buffer + sizeof buffer, *value);
    out_.append(buffer, end);
  }

 private:
  void start(std::string_view key) {
    if (!first_) out_ += ',';
    first_ = false;
    out_ += '"';
    out_ += key;
    out_ += "\":";
  }

  std::string& out_;
  bool first_ = true;
};

}  // namespace

void append_json_rows(const std::vector<model::SongRecord>& songs, std::string& out) {
  for (const auto& song : songs) {
    ObjectWriter row(out);
    row.number("num_songs", song.num_songs);
    row.text("artist_id", song.artist_id);
    row.number("artist_latitude", song.artist_latitude);
    row.number("artist_longitude", song.artist_longitude);
    row.text("artist_location", song.artist_location);
    row.text("artist_name", song.artist_name);
    row.text("song_id", song.song_id);
    row.text("title", song.title);
    row.number("duration", song.duration);
    row.number("year", song.year);
  }
}

void append_json_rows(const std::vector<model::EventRecord>& events, std::string& out) {
  for (const auto& event : events) {
    ObjectWriter row(out);
    row.text("artist", event.artist);
    row.text("auth", event.auth);
    row.text("first_name", event.first_name);
    row.text("gender", event.gender);
    row.number("item_in_session", event.item_in_session);
    row.text("last_name", event.last_name);
    row.number("length", event.length);
    row.text("level", event.level);
    row.text("location", event.location);
    row.text("method", event.method);
    row.text("page", event.page);
    row.number("registration", event.registration);
    row.number("session_id", event.session_id);
    row.text("song", event.song);
    row.number("status", event.status);
    row.number("ts", event.ts);
    row.text("user_agent", event.user_agent);
    row.number("user_id", event.user_id);
  }
}

}  // namespace sparkify::warehouse
