#include "pipeline/rejects_file.h"

#include <algorithm>
#include <cstdio>
#include <fstream>

#include "model/error.h"

namespace sparkify::pipeline {

std::string json_quote(std::string_view text) {
  std::string out = "\"";
  for (unsigned char c : text) {
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

void write_rejects_file(model::Rejects& rejects, const std::string& path) {
  std::sort(rejects.begin(), rejects.end(), [](const model::Reject& a, const model::Reject& b) {
    return a.source != b.source ? a.source < b.source : a.line < b.line;
  });
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) throw IoError("cannot write the rejects file " + path);
  for (const auto& reject : rejects) {
    out << "{\"source\":" << json_quote(reject.source) << ",\"line\":" << reject.line
        << ",\"field\":" << json_quote(reject.field) << ",\"reason\":" << json_quote(reject.reason)
        << ",\"record\":" << json_quote(reject.text) << "}\n";
  }
  out.close();
  if (!out) throw IoError("cannot write the rejects file " + path);
}

}  // namespace sparkify::pipeline
