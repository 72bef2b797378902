#include "report/html_page.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <map>
#include <utility>

#include "model/json_text.h"
#include "report/html_text.h"
#include "report/page_assets.h"

namespace sparkify::report {
namespace {

constexpr std::array<const char*, 7> kWeekdays = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                                  "Thursday", "Friday", "Saturday"};
constexpr const char* kNoLabel = "(none)";

std::string style_name(ChartStyle style) {
  switch (style) {
    case ChartStyle::kBar:
      return "bar";
    case ChartStyle::kStackedBar:
      return "stacked";
    case ChartStyle::kHorizontalBar:
      return "hbar";
    case ChartStyle::kLine:
      return "line";
    case ChartStyle::kDoughnut:
      return "doughnut";
  }
  return "bar";
}

// "free_plays" → "free plays", for a legend.
std::string series_name(const std::string& column) {
  std::string name = column;
  std::replace(name.begin(), name.end(), '_', ' ');
  return name;
}

// 1234567 → "1,234,567".
std::string grouped(int64_t value) {
  std::string digits = std::to_string(value < 0 ? -value : value);
  std::string out;
  for (size_t idx = 0; idx < digits.size(); ++idx) {
    if (idx > 0 && (digits.size() - idx) % 3 == 0) out += ',';
    out += digits[idx];
  }
  return value < 0 ? "-" + out : out;
}

// Hours and weekdays are shown complete: the query has no row for an hour
// with no plays. With no rows at all there is nothing to show.
ChartRows completed(const Chart& chart, const ChartRows& rows) {
  int parts = chart.label_kind == LabelKind::kHourOfDay ? 24 : chart.label_kind == LabelKind::kWeekday ? 7 : 0;
  if (parts == 0 || rows.empty()) return rows;
  std::map<int, const ChartRow*> by_part;
  ChartRows others;
  for (const auto& row : rows) {
    int part = -1;
    if (!row.labels.empty() && row.labels[0]) part = std::atoi(row.labels[0]->c_str());
    if (part >= 0 && part < parts && row.labels[0] == std::to_string(part)) {
      by_part[part] = &row;
    } else {
      others.push_back(row);
    }
  }
  ChartRows complete;
  for (int part = 0; part < parts; ++part) {
    auto found = by_part.find(part);
    if (found != by_part.end()) {
      complete.push_back(*found->second);
    } else {
      complete.push_back({{std::to_string(part)}, std::vector<int64_t>(chart.value_columns.size(), 0)});
    }
  }
  complete.insert(complete.end(), others.begin(), others.end());
  return complete;
}

std::string shown_label(LabelKind kind, const std::optional<std::string>& label) {
  if (!label) return kNoLabel;
  if (kind == LabelKind::kHourOfDay && label->size() <= 2) {
    return fmt::format("{:02}:00", std::atoi(label->c_str()));
  }
  if (kind == LabelKind::kWeekday && label->size() == 1 && (*label)[0] >= '0' && (*label)[0] <= '6') {
    return kWeekdays[static_cast<size_t>((*label)[0] - '0')];
  }
  return *label;
}

// The figures for the page's script, as JSON.
std::string charts_json(const std::vector<ChartFigures>& charts) {
  std::string json = "{\"charts\":[";
  for (size_t chart_idx = 0; chart_idx < charts.size(); ++chart_idx) {
    const Chart& chart = charts[chart_idx].chart;
    std::vector<DisplayRow> rows = display_rows(chart, charts[chart_idx].rows);
    if (chart_idx > 0) json += ',';
    json += "{\"id\":" + model::json_quote(chart.id) + ",\"style\":" + model::json_quote(style_name(chart.style)) +
            ",\"labels\":[";
    for (size_t row_idx = 0; row_idx < rows.size(); ++row_idx) {
      if (row_idx > 0) json += ',';
      model::append_json_quoted(rows[row_idx].chart_label, json);
    }
    json += "],\"series\":[";
    for (size_t series_idx = 0; series_idx < chart.value_columns.size(); ++series_idx) {
      if (series_idx > 0) json += ',';
      json += "{\"name\":" + model::json_quote(series_name(chart.value_columns[series_idx])) + ",\"values\":[";
      for (size_t row_idx = 0; row_idx < rows.size(); ++row_idx) {
        if (row_idx > 0) json += ',';
        json += std::to_string(rows[row_idx].values[series_idx]);
      }
      json += "]}";
    }
    json += "]}";
  }
  return json + "]}";
}

void append_table(const Chart& chart, const std::vector<DisplayRow>& rows, std::string& html) {
  html += "<div class=\"figures\"><table><caption>" + html_escape(chart.title) + "</caption><thead><tr>";
  for (const auto& column : chart.label_columns) html += "<th scope=\"col\">" + html_escape(column) + "</th>";
  for (const auto& column : chart.value_columns)
    html += "<th scope=\"col\" class=\"n\">" + html_escape(column) + "</th>";
  html += "</tr></thead><tbody>\n";
  for (const auto& row : rows) {
    html += "<tr>";
    for (const auto& label : row.labels) html += "<td>" + html_escape(label) + "</td>";
    for (int64_t value : row.values) html += "<td class=\"n\">" + grouped(value) + "</td>";
    html += "</tr>\n";
  }
  html += "</tbody></table></div>";
}

// The plot's height: a ranking gets a bar's room per row.
int plot_height(const Chart& chart, size_t rows) {
  if (chart.style != ChartStyle::kHorizontalBar) return 0;
  return std::max(220, static_cast<int>(rows) * 24 + 60);
}

void append_chart(const ChartFigures& figures, std::string& html) {
  const Chart& chart = figures.chart;
  std::vector<DisplayRow> rows = display_rows(chart, figures.rows);
  std::string id = html_escape(chart.id);
  html += fmt::format("<section class=\"chart\" id=\"{}\">\n<h2>{}</h2>\n<p>{}</p>\n<div class=\"body\">", id,
                      html_escape(chart.title), html_escape(chart.description));
  if (rows.empty()) {
    html += "<p class=\"empty\">No rows: nothing to draw.</p>";
  } else {
    int height = plot_height(chart, rows.size());
    html += fmt::format("<div class=\"plot\"{}><canvas id=\"canvas-{}\" role=\"img\" aria-label=\"{}\"></canvas></div>",
                        height > 0 ? fmt::format(" style=\"height:{}px\"", height) : "", id,
                        html_escape(chart.title + ": the figures are in the table beside it"));
  }
  append_table(chart, rows, html);
  html += "</div>\n<details><summary>SQL</summary><pre><code>" + html_escape(chart.sql) +
          "</code></pre></details>\n</section>\n";
}

const ChartFigures* find_chart(const ReportPage& page, const std::string& id) {
  for (const auto& figures : page.charts) {
    if (figures.chart.id == id) return &figures;
  }
  return nullptr;
}

int64_t column_sum(const ChartFigures& figures, size_t column) {
  int64_t sum = 0;
  for (const auto& row : figures.rows) sum += row.values.at(column);
  return sum;
}

// A few figures at a glance, from the charts that hold them.
void append_glance(const ReportPage& page, std::string& html) {
  std::vector<std::pair<std::string, std::string>> items;
  if (const ChartFigures* matches = find_chart(page, "song-match-rate"); matches && !matches->rows.empty()) {
    int64_t matched = 0;
    for (const auto& row : matches->rows) matched += row.labels[0] == "matched" ? row.values[0] : 0;
    int64_t plays = column_sum(*matches, 0);
    items.emplace_back("plays", grouped(plays));
    items.emplace_back("plays matched a song",
                       fmt::format("{:.1f}%", plays > 0 ? 100.0 * static_cast<double>(matched) / plays : 0.0));
  }
  if (const ChartFigures* users = find_chart(page, "new-users-per-day"); users && !users->rows.empty()) {
    items.emplace_back("listeners", grouped(column_sum(*users, 0)));
  }
  if (const ChartFigures* days = find_chart(page, "plays-per-day"); days && !days->rows.empty()) {
    items.emplace_back("first day", days->rows.front().labels[0].value_or(kNoLabel));
    items.emplace_back("last day", days->rows.back().labels[0].value_or(kNoLabel));
  }
  if (items.empty()) return;
  html += "<ul class=\"glance\">";
  for (const auto& [name, value] : items) html += "<li><b>" + html_escape(value) + "</b>" + html_escape(name) + "</li>";
  html += "</ul>\n";
}

void append_how_to_run(const ReportPage& page, std::string& html) {
  html += "<section class=\"how\" id=\"sql\"><h2>The SQL</h2>\n";
  if (page.engine == SqlEngine::kPsql) {
    html += "<p>Each chart's SQL runs as printed in <code>psql</code> on the warehouse these figures come from (" +
            html_escape(page.source) + ").</p>\n";
  } else {
    html +=
        "<p>Each chart's SQL runs as printed in DuckDB after these statements, which make a view named like "
        "each star table over the lake's Parquet files:</p>\n";
  }
  if (!page.sql_setup.empty()) html += "<pre><code>" + html_escape(page.sql_setup) + "</code></pre>\n";
  html += "</section>\n";
}

}  // namespace

std::vector<DisplayRow> display_rows(const Chart& chart, const ChartRows& rows) {
  std::vector<DisplayRow> shown;
  for (const auto& row : completed(chart, rows)) {
    DisplayRow display;
    for (size_t label_idx = 0; label_idx < row.labels.size(); ++label_idx) {
      LabelKind kind = label_idx == 0 ? chart.label_kind : LabelKind::kText;
      display.labels.push_back(shown_label(kind, row.labels[label_idx]));
    }
    for (size_t label_idx = 0; label_idx < display.labels.size(); ++label_idx) {
      if (label_idx > 0 && !row.labels[label_idx]) continue;  // "Title" rather than "Title — (none)"
      display.chart_label += (label_idx > 0 ? " \u2014 " : "") + display.labels[label_idx];
    }
    display.values = row.values;
    shown.push_back(std::move(display));
  }
  return shown;
}

std::string render_page(const ReportPage& page, std::string_view chart_js) {
  std::string html;
  html.reserve(chart_js.size() + 64 * 1024);
  html +=
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      "<title>Sparkify listening report</title>\n<style>";
  html += kPageStyle;
  html += "</style>\n</head>\n<body>\n<header>\n<h1>What Sparkify's users listen to</h1>\n";
  html += "<p class=\"meta\">From " + html_escape(page.source) + ", made " + html_escape(page.generated_at) +
          ". Times are UTC.</p>\n";
  append_glance(page, html);
  html += "<nav><ol>";
  for (const auto& figures : page.charts) {
    html += "<li><a href=\"#" + html_escape(figures.chart.id) + "\">" + html_escape(figures.chart.title) + "</a></li>";
  }
  html += "<li><a href=\"#sql\">The SQL</a></li></ol></nav>\n</header>\n<main>\n";
  for (const auto& figures : page.charts) append_chart(figures, html);
  append_how_to_run(page, html);
  html += "</main>\n<footer><p>Made by <code>sparkify report</code>. Charts drawn with Chart.js.</p></footer>\n";
  html += "<script>";
  html += chart_js;
  html += "</script>\n<script type=\"application/json\" id=\"report-data\">";
  html += script_safe_json(charts_json(page.charts));
  html += "</script>\n<script>";
  html += kPageScript;
  html += "</script>\n</body>\n</html>\n";
  return html;
}

}  // namespace sparkify::report
