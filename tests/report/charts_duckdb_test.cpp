// Each chart's SQL, run by DuckDB over a lake as the page prints it (after
// lake_views_sql), answers the rows its figures compute from the lake's
// rows read back: on the project's fixtures, the real sample, generated
// data and an extract of hostile text. Runs the CLI (generate, etl); skips,
// saying so, when DuckDB is not installed.
#include <gtest/gtest.h>

#include "io/local_file_system.h"
#include "lake/lake_reader.h"
#include "report/charts.h"
#include "report/lake_sql.h"
#include "support/data_sets.h"
#include "support/duckdb_reader.h"
#include "support/report_data.h"
#include "test_support.h"

namespace sparkify::report {
namespace {

using testing::TempDir;

// Every chart on the lake at `lake`: DuckDB's rows and columns against the
// figures from rows in memory.
void expect_duckdb_agrees(const std::string& lake) {
  io::LocalFileSystem local;
  model::StarSchema star = lake::read_star(local, lake);
  std::string setup = lake_views_sql(lake);
  for (const auto& chart : report_charts()) {
    SCOPED_TRACE(chart.id);
    testing::DuckResult duck = testing::duckdb_query(setup + chart.sql);
    std::vector<std::string> columns;
    for (const auto& [name, type] : duck.columns) columns.push_back(name);
    std::vector<std::string> expected_columns = chart.label_columns;
    expected_columns.insert(expected_columns.end(), chart.value_columns.begin(), chart.value_columns.end());
    EXPECT_EQ(columns, expected_columns);
    ChartRows computed = chart.compute(star);
    EXPECT_EQ(rows_from_text(chart, duck.rows), computed);
    if (chart.id != "top-songs" && chart.id != "top-artists") {
      EXPECT_FALSE(computed.empty()) << "a chart with nothing to compare";
    }
  }
}

class ChartsOnDataSet : public ::testing::TestWithParam<testing::DataSet> {};

TEST_P(ChartsOnDataSet, DuckDbAnswersWhatTheFiguresCompute) {
  SPARKIFY_REQUIRE_DUCKDB();
  TempDir work;
  testing::etl_into(GetParam().dir, work / "lake");
  expect_duckdb_agrees(work / "lake");
}

INSTANTIATE_TEST_SUITE_P(Report, ChartsOnDataSet, ::testing::ValuesIn(testing::data_sets()),
                         testing::data_set_test_name);

TEST(ChartsOnGeneratedData, DuckDbAnswersWhatTheFiguresCompute) {
  SPARKIFY_REQUIRE_DUCKDB();
  TempDir work;
  testing::generate_data(work / "data", 2000, 20000, 23);
  testing::etl_into(work / "data", work / "lake");
  expect_duckdb_agrees(work / "lake");
}

TEST(ChartsOnHostileText, DuckDbAnswersWhatTheFiguresCompute) {
  SPARKIFY_REQUIRE_DUCKDB();
  TempDir work;
  testing::write_hostile_data(work / "data");
  testing::etl_into(work / "data", work / "lake");
  expect_duckdb_agrees(work / "lake");
  io::LocalFileSystem local;
  ChartRows songs = chart_by_id("top-songs").compute(lake::read_star(local, work / "lake"));
  ASSERT_EQ(songs.size(), 1u);
  EXPECT_EQ(songs[0].labels[0], std::string(testing::kHostileTitle));
  EXPECT_EQ(songs[0].labels[1], std::string(testing::kHostileArtist));
}

}  // namespace
}  // namespace sparkify::report
