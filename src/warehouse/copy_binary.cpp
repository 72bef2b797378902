#include "warehouse/copy_binary.h"

#include <bit>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string_view>

namespace sparkify::warehouse {
namespace {

// PostgreSQL's TIMESTAMP counts microseconds from 2000-01-01 00:00 UTC.
constexpr int64_t kPostgresEpochMs = 946684800000;

template <typename Unsigned>
void append_big_endian(Unsigned value, std::string& out) {
  char bytes[sizeof(Unsigned)];
  for (size_t at = sizeof(Unsigned); at-- > 0;) {
    bytes[at] = static_cast<char>(value & 0xff);
    value = static_cast<Unsigned>(value >> 8);
  }
  out.append(bytes, sizeof(Unsigned));
}

void append_field_count(uint16_t fields, std::string& out) { append_big_endian(fields, out); }
void append_null(std::string& out) { append_big_endian(static_cast<uint32_t>(-1), out); }

void append_value(int32_t value, std::string& out) {
  append_big_endian(uint32_t{4}, out);
  append_big_endian(static_cast<uint32_t>(value), out);
}
void append_value(int64_t value, std::string& out) {
  append_big_endian(uint32_t{8}, out);
  append_big_endian(static_cast<uint64_t>(value), out);
}
void append_value(double value, std::string& out) {
  append_big_endian(uint32_t{8}, out);
  append_big_endian(std::bit_cast<uint64_t>(value), out);
}

template <typename Number>
void append_number(const std::optional<Number>& value, std::string& out) {
  if (!value) return append_null(out);
  append_value(*value, out);
}

void append_text(std::string_view text, std::string& out) {
  append_big_endian(static_cast<uint32_t>(text.size()), out);
  out += text;
}

template <typename Text>
void append_text(const std::optional<Text>& value, std::string& out) {
  if (!value) return append_null(out);
  append_text(std::string_view(*value), out);
}

void append_timestamp(const std::optional<int64_t>& ms, std::string& out) {
  if (!ms) return append_null(out);
  append_value((*ms - kPostgresEpochMs) * 1000, out);
}

}  // namespace

void append_copy_header(std::string& out) {
  static constexpr char kSignature[] = "PGCOPY\n\377\r\n";  // and its terminating zero byte
  out.append(kSignature, sizeof(kSignature));
  append_big_endian(uint32_t{0}, out);  // flags: no OIDs
  append_big_endian(uint32_t{0}, out);  // no header extension
}

void append_copy_trailer(std::string& out) { append_big_endian(static_cast<uint16_t>(-1), out); }

void append_copy_rows(const std::vector<model::SongRecord>& songs, std::string& out) {
  for (const auto& song : songs) {
    append_field_count(10, out);
    append_number(song.num_songs, out);
    append_text(song.artist_id, out);
    append_number(song.artist_latitude, out);
    append_number(song.artist_longitude, out);
    append_text(song.artist_location, out);
    append_text(song.artist_name, out);
    append_text(song.song_id, out);
    append_text(song.title, out);
    append_number(song.duration, out);
    append_number(song.year, out);
  }
}

void append_copy_rows(const std::vector<model::EventRecord>& events, std::string& out) {
  for (const auto& event : events) {
    append_field_count(18, out);
    append_text(event.artist, out);
    append_text(event.auth, out);
    append_text(event.first_name, out);
    append_text(event.gender, out);
    append_number(event.item_in_session, out);
    append_text(event.last_name, out);
    append_number(event.length, out);
    append_text(event.level, out);
    append_text(event.location, out);
    append_text(event.method, out);
    append_text(event.page, out);
    append_number(event.registration, out);
    append_number(event.session_id, out);
    append_text(event.song, out);
    append_number(event.status, out);
    append_number(event.ts, out);
    append_text(event.user_agent, out);
    append_number(event.user_id, out);
  }
}

void append_copy_row(const transform::SongplayView& play, std::string& out) {
  append_field_count(9, out);
  append_value(play.songplay_id, out);
  append_timestamp(play.start_time_ms, out);
  append_value(play.user_id, out);
  append_text(play.level, out);
  append_text(play.song_id, out);
  append_text(play.artist_id, out);
  append_number(play.session_id, out);
  append_text(play.location, out);
  append_text(play.user_agent, out);
}

void append_copy_row(const model::UserRow& user, std::string& out) {
  append_field_count(5, out);
  append_value(user.user_id, out);
  append_text(user.first_name, out);
  append_text(user.last_name, out);
  append_text(user.gender, out);
  append_text(user.level, out);
}

void append_copy_row(const model::SongRow& song, std::string& out) {
  append_field_count(5, out);
  append_text(song.song_id, out);
  append_text(song.title, out);
  append_text(song.artist_id, out);
  append_number(song.year, out);
  append_number(song.duration, out);
}

void append_copy_row(const model::ArtistRow& artist, std::string& out) {
  append_field_count(5, out);
  append_text(artist.artist_id, out);
  append_text(artist.name, out);
  append_text(artist.location, out);
  append_number(artist.latitude, out);
  append_number(artist.longitude, out);
}

void append_copy_row(const model::TimeRow& time, std::string& out) {
  append_field_count(7, out);
  append_timestamp(time.start_time_ms, out);
  for (int32_t part : {time.hour, time.day, time.week, time.month, time.year, time.weekday}) append_value(part, out);
}

}  // namespace sparkify::warehouse
