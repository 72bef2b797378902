// A chart's rows from its query's text result.
#include "report/chart.h"

#include <gtest/gtest.h>

#include "model/error.h"

namespace sparkify::report {
namespace {

Chart two_column_chart() {
  Chart chart;
  chart.id = "test";
  chart.title = "Test chart";
  chart.label_columns = {"day"};
  chart.value_columns = {"plays"};
  return chart;
}

TEST(RowsFromText, LabelsAsTheyAreValuesAsIntegers) {
  std::vector<TextRow> result = {{"2018-11-01", "12"}, {std::nullopt, "0"}};
  ChartRows rows = rows_from_text(two_column_chart(), result);
  EXPECT_EQ(rows, (ChartRows{{{"2018-11-01"}, {12}}, {{std::nullopt}, {0}}}));
}

TEST(RowsFromText, ARowOfAnotherShapeNamesTheChart) {
  std::vector<TextRow> result = {{"2018-11-01", "12", "3"}};
  try {
    rows_from_text(two_column_chart(), result);
    FAIL() << "no error";
  } catch (const JobError& error) {
    EXPECT_NE(std::string(error.what()).find("chart 'Test chart': row 1 of its query has 3 columns, not 2"),
              std::string::npos)
        << error.what();
  }
}

TEST(RowsFromText, AValueThatIsNotAnIntegerNamesTheColumn) {
  for (TextRow row : {TextRow{"d", "1.5"}, TextRow{"d", std::nullopt}, TextRow{"d", ""}, TextRow{"d", "12x"}}) {
    try {
      rows_from_text(two_column_chart(), {row});
      FAIL() << "no error for " << row[1].value_or("NULL");
    } catch (const JobError& error) {
      EXPECT_NE(std::string(error.what()).find("column plays is"), std::string::npos) << error.what();
    }
  }
}

}  // namespace
}  // namespace sparkify::report
