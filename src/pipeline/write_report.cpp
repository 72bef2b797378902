#include "pipeline/write_report.h"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <ctime>
#include <filesystem>

#include "model/error.h"
#include "pipeline/open_target.h"
#include "pipeline/output_files.h"
#include "report/chart_js.h"
#include "report/charts.h"
#include "report/html_page.h"
#include "report/lake_sql.h"

namespace sparkify::pipeline {
namespace {

constexpr const char* kWhat = "report page";

// The lake as DuckDB should name it: a local folder by its absolute path,
// so that the page's SQL runs from anywhere on this machine.
std::string lake_for_duckdb(const std::string& lake) {
  if (lake.rfind("s3://", 0) == 0) return lake;
  return std::filesystem::absolute(lake).lexically_normal().string();
}

report::ReportPage lake_page(const config::Flags& flags, std::ostream& log) {
  const std::string& lake = *flags.lake;
  log << "reading lake " << lake << "\n";
  model::StarSchema star = read_target_lake(flags);
  report::ReportPage page;
  page.source = "the lake at " + lake_for_duckdb(lake);
  page.engine = report::SqlEngine::kDuckDbOnLake;
  page.sql_setup = report::lake_views_sql(lake_for_duckdb(lake));
  for (const auto& chart : report::report_charts()) page.charts.push_back({chart, chart.compute(star)});
  return page;
}

report::ReportPage warehouse_page(const config::Flags& flags, std::ostream& log) {
  auto warehouse = open_target_warehouse(flags);
  log << "querying warehouse " << warehouse->describe() << "\n";
  std::vector<warehouse::NamedQuery> queries;
  for (const auto& chart : report::report_charts()) {
    queries.push_back({"run the SQL of the chart '" + chart.title + "'", chart.sql});
  }
  std::vector<std::vector<warehouse::TextRow>> results = warehouse->read_snapshot(queries);
  report::ReportPage page;
  page.source = "the warehouse at " + warehouse->describe();
  page.engine = report::SqlEngine::kPsql;
  for (size_t chart_idx = 0; chart_idx < results.size(); ++chart_idx) {
    const report::Chart& chart = report::report_charts()[chart_idx];
    page.charts.push_back({chart, report::rows_from_text(chart, results[chart_idx])});
  }
  return page;
}

}  // namespace

void write_report(const config::Flags& flags, const std::string& out_path, std::ostream& log) {
  if (!flags.lake && !flags.target && !flags.config_path) {
    throw UsageError(
        "nothing to report on: give --lake DIR|s3://bucket/prefix, or a warehouse with --target or "
        "--config");
  }
  if (flags.lake && (flags.target || flags.config_path)) {
    throw UsageError("report on either a lake (--lake) or a warehouse (--target, --config), not both at once");
  }
  check_output_path(out_path, kWhat);
  std::string chart_js = report::load_chart_js(report::chart_js_path());
  report::ReportPage page = flags.lake ? lake_page(flags, log) : warehouse_page(flags, log);
  page.generated_at = fmt::format("{:%Y-%m-%d %H:%M} UTC", fmt::gmtime(std::time(nullptr)));
  write_file_atomically(out_path, report::render_page(page, chart_js), kWhat);
  log << "wrote " << out_path << ": " << page.charts.size() << " charts from " << page.source << "\n";
}

}  // namespace sparkify::pipeline
