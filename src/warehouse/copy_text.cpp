#include "warehouse/copy_text.h"

#include <charconv>
#include <cstring>

namespace sparkify::warehouse {
namespace {

void append_text(const std::optional<std::string>& value, std::string& out) {
  if (!value) {
    out += "\\N";
    return;
  }
  const std::string& text = *value;
  // Most values need no escape: copy them in one go. (A plain loop: the
  // library's find_first_of calls memchr once per character.)
  bool plain = true;
  for (char c : text) {
    if (c == '\\' || c == '\t' || c == '\n' || c == '\r') {
      plain = false;
      break;
    }
  }
  if (plain) {
    out += text;
    return;
  }
  for (char c : text) {
    switch (c) {
      case '\\': out += "\\\\"; break;
      case '\t': out += "\\t"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      default: out += c;
    }
  }
}

template <typename Number>
void append_number(const std::optional<Number>& value, std::string& out) {
  if (!value) {
    out += "\\N";
    return;
  }
  char buffer[32];
  auto result = std::to_chars(buffer, buffer + sizeof(buffer), *value);
  out.append(buffer, result.ptr);
}

}  // namespace

void append_copy_rows(const std::vector<model::SongRecord>& songs, std::string& out) {
  for (const auto& song : songs) {
    append_number(song.num_songs, out);
    out += '\t';
    append_text(song.artist_id, out);
    out += '\t';
    append_number(song.artist_latitude, out);
    out += '\t';
    append_number(song.artist_longitude, out);
    out += '\t';
    append_text(song.artist_location, out);
    out += '\t';
    append_text(song.artist_name, out);
    out += '\t';
    append_text(song.song_id, out);
    out += '\t';
    append_text(song.title, out);
    out += '\t';
    append_number(song.duration, out);
    out += '\t';
    append_number(song.year, out);
    out += '\n';
  }
}

void append_copy_rows(const std::vector<model::EventRecord>& events, std::string& out) {
  for (const auto& event : events) {
    append_text(event.artist, out);
    out += '\t';
    append_text(event.auth, out);
    out += '\t';
    append_text(event.first_name, out);
    out += '\t';
    append_text(event.gender, out);
    out += '\t';
    append_number(event.item_in_session, out);
    out += '\t';
    append_text(event.last_name, out);
    out += '\t';
    append_number(event.length, out);
    out += '\t';
    append_text(event.level, out);
    out += '\t';
    append_text(event.location, out);
    out += '\t';
    append_text(event.method, out);
    out += '\t';
    append_text(event.page, out);
    out += '\t';
    append_number(event.registration, out);
    out += '\t';
    append_number(event.session_id, out);
    out += '\t';
    append_text(event.song, out);
    out += '\t';
    append_number(event.status, out);
    out += '\t';
    append_number(event.ts, out);
    out += '\t';
    append_text(event.user_agent, out);
    out += '\t';
    append_number(event.user_id, out);
    out += '\n';
  }
}

}  // namespace sparkify::warehouse
