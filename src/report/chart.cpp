#include "report/chart.h"

#include <fmt/format.h>

#include <charconv>

#include "model/error.h"

namespace sparkify::report {

ChartRows rows_from_text(const Chart& chart, const std::vector<TextRow>& result) {
  const size_t labels = chart.label_columns.size();
  const size_t width = labels + chart.value_columns.size();
  ChartRows rows;
  rows.reserve(result.size());
  for (size_t row_idx = 0; row_idx < result.size(); ++row_idx) {
    const TextRow& text = result[row_idx];
    if (text.size() != width) {
      throw JobError(fmt::format("chart '{}': row {} of its query has {} columns, not {}", chart.title, row_idx + 1,
                                 text.size(), width));
    }
    ChartRow row;
    row.labels.assign(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(labels));
    for (size_t column_idx = labels; column_idx < width; ++column_idx) {
      const std::string& value = text[column_idx].value_or("");
      int64_t number = 0;
      auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), number);
      if (value.empty() || error != std::errc() || end != value.data() + value.size()) {
        throw JobError(fmt::format("chart '{}': row {}, column {} is '{}', not an integer", chart.title, row_idx + 1,
                                   chart.value_columns[column_idx - labels], text[column_idx] ? value : "NULL"));
      }
      row.values.push_back(number);
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace sparkify::report
