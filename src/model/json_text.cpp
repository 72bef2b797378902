#include "model/json_text.h"

#include <cstdio>

namespace sparkify::model {

namespace {

// The well-formed UTF-8 sequence at the start of `text` (Unicode Table 3-7):
// returns its length, or, negated, the length of the maximal subpart of one
// that is not well formed (at least 1), which becomes one U+FFFD as Unicode
// recommends. Overlong forms, surrogates (ED A0..BF) and code points above
// U+10FFFF are not well formed.
int utf8_sequence(std::string_view text) {
  auto byte = [&](size_t idx) { return static_cast<unsigned char>(text[idx]); };
  unsigned char lead = byte(0);
  if (lead < 0x80) return 1;
  int length = 0;
  unsigned char second_low = 0x80;
  unsigned char second_high = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0) second_low = 0xA0;   // overlong below U+0800
    if (lead == 0xED) second_high = 0x9F;  // the surrogates U+D800..U+DFFF
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0) second_low = 0x90;   // overlong below U+10000
    if (lead == 0xF4) second_high = 0x8F;  // above U+10FFFF
  } else {
    return -1;  // a continuation byte, C0, C1 (overlong ASCII) or F5..FF
  }
  for (int idx = 1; idx < length; ++idx) {
    if (static_cast<size_t>(idx) >= text.size()) return -idx;
    unsigned char low = idx == 1 ? second_low : 0x80;
    unsigned char high = idx == 1 ? second_high : 0xBF;
    if (byte(idx) < low || byte(idx) > high) return -idx;
  }
  return length;
}

constexpr std::string_view kReplacementCharacter = "\xEF\xBF\xBD";  // U+FFFD

// Appends `text` to `out`, each well-formed UTF-8 sequence as it is, each
// ill-formed part as one U+FFFD, and each ASCII character through `ascii`.
template <typename Ascii>
void append_utf8(std::string_view text, std::string& out, Ascii ascii) {
  for (size_t at = 0; at < text.size();) {
    unsigned char c = static_cast<unsigned char>(text[at]);
    if (c >= 0x80) {
      int length = utf8_sequence(text.substr(at));
      if (length > 0) {
        out.append(text.substr(at, static_cast<size_t>(length)));
        at += static_cast<size_t>(length);
      } else {
        out += kReplacementCharacter;
        at += static_cast<size_t>(-length);
      }
      continue;
    }
    ++at;
    ascii(c);
  }
}

}  // namespace

void append_json_quoted(std::string_view text, std::string& out) {
  out += '"';
  append_utf8(text, out, [&out](unsigned char c) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          char escape[8];
          std::snprintf(escape, sizeof(escape), "\\u%04x", c);
          out += escape;
        } else {
          out += static_cast<char>(c);
        }
    }
  });
  out += '"';
}

std::string valid_utf8(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  append_utf8(text, out, [&out](unsigned char c) { out += static_cast<char>(c); });
  return out;
}

std::string json_quote(std::string_view text) {
  std::string out;
  append_json_quoted(text, out);
  return out;
}

}  // namespace sparkify::model
