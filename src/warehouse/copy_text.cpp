#include "warehouse/copy_text.h"

#include <charconv>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace sparkify::warehouse {
namespace {

// Whether `text` holds a backslash or a control character (a superset of
// the tab, newline and carriage return that COPY text escapes), tested
// eight bytes at a time: this test runs on every text value staged.
bool needs_escape(std::string_view text) {
  constexpr uint64_t kOnes = 0x0101010101010101ULL;
  constexpr uint64_t kHighs = 0x8080808080808080ULL;
  size_t at = 0;
  for (; at + 8 <= text.size(); at += 8) {
    uint64_t word;
    std::memcpy(&word, text.data() + at, 8);
    // A byte below 0x20 (and not 0x80 or above) leaves its high bit set in
    // (word - 0x20…) & ~word; a backslash becomes a zero byte after XOR.
    uint64_t control = (word - 0x20 * kOnes) & ~word & kHighs;
    uint64_t slashes = word ^ ('\\' * kOnes);
    uint64_t backslash = (slashes - kOnes) & ~slashes & kHighs;
    if (control | backslash) return true;
  }
  for (; at < text.size(); ++at) {
    unsigned char c = static_cast<unsigned char>(text[at]);
    if (c < 0x20 || c == '\\') return true;
  }
  return false;
}

void append_text(const std::optional<std::string>& value, std::string& out) {
  if (!value) {
    out += "\\N";
    return;
  }
  const std::string& text = *value;
  // Most values need no escape: copy them in one go.
  if (!needs_escape(text)) {
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
