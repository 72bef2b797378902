// Chart.js, which draws the report's charts, inlined into the page so that
// it opens with no network: Debian's libjs-chart.js, read at run time from
// where that package puts it (the path the build found), never a copy of
// the project's own.
#pragma once

#include <string>

namespace sparkify::report {

// Where the build found Chart.js's UMD build (chart.min.js).
std::string chart_js_path();

// The script at `path`. Throws JobError naming the path (and the package
// to install) when it cannot be read or is empty, and when it holds
// "</script" or "<!--", which would end or confuse the inline <script>.
std::string load_chart_js(const std::string& path);

}  // namespace sparkify::report
