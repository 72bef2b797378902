// A chart of the report: what it shows, the SQL that gives its figures from
// the star tables, and the same figures computed from the star's rows in
// memory. Both ways must give the same rows; the tests hold them to it
// against DuckDB (a lake) and PostgreSQL (a warehouse).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/star.h"

namespace sparkify::report {

// How the page draws a chart.
enum class ChartStyle {
  kBar,            // vertical bars, one series beside the other
  kStackedBar,     // vertical bars, the series stacked
  kHorizontalBar,  // a ranking: long labels read along the bars
  kLine,           // a series over days
  kDoughnut,       // shares of a whole (the first series only)
};

// What the first label column holds, for how the page shows it.
enum class LabelKind {
  kText,       // as it is
  kDate,       // YYYY-MM-DD (UTC)
  kHourOfDay,  // 0 … 23 (UTC), every hour shown, 0 plays where none
  kWeekday,    // 0 = Sunday … 6 = Saturday, every day shown
};

// One row of a chart's figures: the label columns' values (nullopt: NULL),
// then the value columns' integers.
struct ChartRow {
  std::vector<std::optional<std::string>> labels;
  std::vector<int64_t> values;

  bool operator==(const ChartRow&) const = default;
};

using ChartRows = std::vector<ChartRow>;

struct Chart {
  std::string id;  // stable, also the page's anchor
  std::string title;
  std::string description;  // what is counted, and how to read it
  ChartStyle style = ChartStyle::kBar;
  LabelKind label_kind = LabelKind::kText;
  // The query's columns: the labels first, then the integer values (one
  // series each), named as the SQL names them.
  std::vector<std::string> label_columns;
  std::vector<std::string> value_columns;
  // Runs as it is in psql on a warehouse, and in DuckDB on a lake once the
  // views of lake_sql.h exist; ends with ';'.
  std::string sql;
  // The query's rows, in its order, from the star's rows in memory.
  ChartRows (*compute)(const model::StarSchema& star) = nullptr;
};

// A query's result as text (nullopt: NULL), as libpq and DuckDB give it.
using TextRow = std::vector<std::optional<std::string>>;

// `chart`'s rows from its query's result. Throws JobError naming the chart
// when a row has not the chart's columns or a value is not an integer.
ChartRows rows_from_text(const Chart& chart, const std::vector<TextRow>& result);

}  // namespace sparkify::report
