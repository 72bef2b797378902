#include "report/chart_js.h"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <iterator>

#include "model/error.h"

namespace sparkify::report {
namespace {

bool contains_case_insensitive(const std::string& text, std::string_view needle) {
  auto found = std::search(text.begin(), text.end(), needle.begin(), needle.end(), [](char left, char right) {
    return std::tolower(static_cast<unsigned char>(left)) == std::tolower(static_cast<unsigned char>(right));
  });
  return found != text.end();
}

}  // namespace

std::string chart_js_path() { return SPARKIFY_CHART_JS; }

std::string load_chart_js(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::string script(std::istreambuf_iterator<char>(in), {});
  if (!in.good() && !in.eof()) script.clear();
  if (script.empty()) {
    throw JobError("cannot read Chart.js at " + path +
                   ", which draws the report's charts: install Debian's libjs-chart.js (scripts/install-deps.sh)");
  }
  if (contains_case_insensitive(script, "</script") || script.find("<!--") != std::string::npos) {
    throw JobError("Chart.js at " + path + " holds \"</script\" or \"<!--\": it cannot be inlined into the page");
  }
  return script;
}

}  // namespace sparkify::report
