// The catalogue of charts: complete and consistent. That each chart's SQL
// answers what its figures compute is tested against DuckDB
// (charts_duckdb_test.cpp) and PostgreSQL (tests/pipeline/write_report_test.cpp).
#include "report/charts.h"

#include <gtest/gtest.h>

#include <set>

#include "report/figures.h"
#include "report/star_rows.h"

namespace sparkify::report {
namespace {

TEST(Charts, EveryChartIsComplete) {
  std::set<std::string> ids;
  for (const auto& chart : report_charts()) {
    SCOPED_TRACE(chart.id);
    EXPECT_TRUE(ids.insert(chart.id).second) << "the id is used twice";
    EXPECT_EQ(chart.id.find_first_not_of("abcdefghijklmnopqrstuvwxyz-"), std::string::npos);
    EXPECT_FALSE(chart.title.empty());
    EXPECT_FALSE(chart.description.empty());
    EXPECT_FALSE(chart.label_columns.empty());
    EXPECT_FALSE(chart.value_columns.empty());
    ASSERT_NE(chart.compute, nullptr);
    EXPECT_EQ(chart.sql.back(), ';');
    EXPECT_EQ(chart.sql.find_first_of("{}"), std::string::npos) << "a placeholder left in the SQL";
    EXPECT_EQ(chart.sql.find(';'), chart.sql.size() - 1) << "one statement";
  }
}

TEST(Charts, TheRequestedChartsAreThere) {
  for (const char* id : {"plays-per-day", "plays-per-hour", "plays-per-weekday", "top-songs", "top-artists",
                         "plays-per-day-by-level", "users-per-day-by-level", "new-users-per-day", "sessions-per-user",
                         "session-length", "top-locations", "browsers", "operating-systems", "song-match-rate"}) {
    EXPECT_EQ(chart_by_id(id).id, id);
  }
  EXPECT_THROW(chart_by_id("no-such-chart"), std::logic_error);
}

TEST(Charts, RankingsShowTwentyRows) {
  for (const char* id : {"top-songs", "top-artists", "top-locations"}) {
    EXPECT_NE(chart_by_id(id).sql.find("LIMIT 20;"), std::string::npos) << id;
  }
  EXPECT_EQ(kTopRows, 20u);
}

TEST(Charts, ComputedRowsHaveTheChartsColumns) {
  model::StarSchema star = small_star();
  for (const auto& chart : report_charts()) {
    SCOPED_TRACE(chart.id);
    ChartRows rows = chart.compute(star);
    EXPECT_FALSE(rows.empty());
    for (const auto& row : rows) {
      EXPECT_EQ(row.labels.size(), chart.label_columns.size());
      EXPECT_EQ(row.values.size(), chart.value_columns.size());
    }
  }
}

}  // namespace
}  // namespace sparkify::report
