#include "pipeline/rejects_file.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>

#include "model/error.h"
#include "pipeline/output_files.h"

namespace sparkify::pipeline {

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

}  // namespace

std::string json_quote(std::string_view text) {
  std::string out = "\"";
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
  }
  out += '"';
  return out;
}

namespace {

constexpr std::string_view kRecordStart = "{\"source\":";

// A regular file (not a link) that starts as every line of ours does.
bool is_our_rejects_file(const std::string& path) {
  struct stat info {};
  if (::lstat(path.c_str(), &info) != 0 || !S_ISREG(info.st_mode)) return false;
  std::ifstream in(path, std::ios::binary);
  std::string start(kRecordStart.size(), '\0');
  in.read(start.data(), static_cast<std::streamsize>(start.size()));
  return in && start == kRecordStart;
}

}  // namespace

void check_rejects_path(const std::string& path) {
  check_output_path(path, "rejects file");
  struct stat info {};
  if (::lstat(path.c_str(), &info) == 0 && !is_our_rejects_file(path)) {
    throw UsageError("the rejects file " + path + " exists and is not one this tool wrote; refusing to replace " +
                     "it (choose another --rejects path)");
  }
}

void remove_rejects_file(const std::string& path) {
  if (is_our_rejects_file(path)) ::unlink(path.c_str());
}

void write_rejects_file(model::Rejects& rejects, const std::string& path) {
  std::sort(rejects.begin(), rejects.end(), [](const model::Reject& a, const model::Reject& b) {
    return a.source != b.source ? a.source < b.source : a.line < b.line;
  });
  std::string text;
  for (const auto& reject : rejects) {
    text += std::string(kRecordStart) + json_quote(reject.source) + ",\"line\":" + std::to_string(reject.line) +
            ",\"field\":" + json_quote(reject.field) + ",\"reason\":" + json_quote(reject.reason) +
            ",\"record\":" + json_quote(reject.text) + "}\n";
  }
  write_file_atomically(path, text, "rejects file");
}

}  // namespace sparkify::pipeline
