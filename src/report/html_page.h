// The report as one self-contained HTML page: for each chart its title,
// what it counts, the chart (drawn by Chart.js, inlined), its figures as a
// table of plain text (for readers, search and print) and its SQL; no
// request leaves the page. Every text from the data is escaped
// (html_text.h). Readable on a phone (one column), printable.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "report/chart.h"

namespace sparkify::report {

// Which engine a chart's SQL runs in, as the page tells its reader.
enum class SqlEngine {
  kDuckDbOnLake,  // after ReportPage::sql_setup (lake_sql.h)
  kPsql,          // on the warehouse, as printed
};

struct ChartFigures {
  Chart chart;
  ChartRows rows;
};

struct ReportPage {
  std::string source;        // where the figures come from, for people: never a secret
  std::string generated_at;  // when, for people
  SqlEngine engine = SqlEngine::kDuckDbOnLake;
  std::string sql_setup;  // what runs before each chart's SQL; empty: nothing
  std::vector<ChartFigures> charts;
};

// The page, with `chart_js` (chart_js.h) inlined.
std::string render_page(const ReportPage& page, std::string_view chart_js);

// The labels a chart's rows show, one per row, and the rows themselves as
// the page shows them: hours and weekdays complete (0 where none) and
// named, NULL as "(none)", several label columns joined with " — ".
struct DisplayRow {
  std::vector<std::string> labels;  // one per label column
  std::string chart_label;
  std::vector<int64_t> values;
};
std::vector<DisplayRow> display_rows(const Chart& chart, const ChartRows& rows);

}  // namespace sparkify::report
