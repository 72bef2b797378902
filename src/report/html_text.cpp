#include "report/html_text.h"

#include "model/json_text.h"

namespace sparkify::report {

std::string html_escape(std::string_view raw) {
  std::string text = model::valid_utf8(raw);
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string script_safe_json(std::string_view json) {
  // Line and paragraph separators end a line in old JavaScript parsers.
  constexpr std::string_view kLineSeparator = "\xE2\x80\xA8";
  constexpr std::string_view kParagraphSeparator = "\xE2\x80\xA9";
  std::string out;
  out.reserve(json.size() + json.size() / 16);
  for (size_t at = 0; at < json.size(); ++at) {
    std::string_view rest = json.substr(at);
    if (rest.starts_with(kLineSeparator) || rest.starts_with(kParagraphSeparator)) {
      out += rest.starts_with(kLineSeparator) ? "\\u2028" : "\\u2029";
      at += kLineSeparator.size() - 1;
      continue;
    }
    switch (json[at]) {
      case '<':
        out += "\\u003c";
        break;
      case '>':
        out += "\\u003e";
        break;
      case '&':
        out += "\\u0026";
        break;
      default:
        out += json[at];
    }
  }
  return out;
}

}  // namespace sparkify::report
