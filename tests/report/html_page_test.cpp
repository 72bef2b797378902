// The page: every chart with its table and SQL, the data's text escaped
// wherever it goes, hours and weekdays complete.
#include "report/html_page.h"

#include <gtest/gtest.h>

#include "report/charts.h"
#include "report/star_rows.h"

namespace sparkify::report {
namespace {

constexpr const char* kHostile = "</script><script>window.pwned=1</script><!-- \"Quote\" & 'more' <i>";

size_t count(const std::string& text, const std::string& needle) {
  size_t found = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++found;
  return found;
}

// Each of `parts` is somewhere in `html`.
void expect_holds(const std::string& html, std::initializer_list<std::string> parts) {
  for (const auto& part : parts) EXPECT_NE(html.find(part), std::string::npos) << part;
}

ReportPage page_of(const model::StarSchema& star) {
  ReportPage page;
  page.source = "the lake /tmp/<lake>";
  page.generated_at = "2024-01-02 03:04 UTC";
  page.sql_setup = "SET TimeZone = 'UTC';\n";
  for (const auto& chart : report_charts()) page.charts.push_back({chart, chart.compute(star)});
  return page;
}

TEST(HtmlPage, EveryChartHasItsCanvasTableAndSql) {
  std::string html = render_page(page_of(small_star()), "/* chart.js */");
  for (const auto& chart : report_charts()) {
    SCOPED_TRACE(chart.id);
    EXPECT_NE(html.find("<section class=\"chart\" id=\"" + chart.id + "\">"), std::string::npos);
    EXPECT_NE(html.find("<canvas id=\"canvas-" + chart.id + "\""), std::string::npos);
    EXPECT_NE(html.find("<caption>" + chart.title + "</caption>"), std::string::npos);
  }
  expect_holds(html, {"COUNT(CASE WHEN level = &#39;free&#39; THEN 1 END)",
                      "<td>Song &lt;One&gt;</td><td>Artist &amp; Co</td>", "the lake /tmp/&lt;lake&gt;",
                      "<script>/* chart.js */</script>", "<meta name=\"viewport\"", "@media print"});
}

TEST(HtmlPage, AHostileTitleStaysText) {
  model::StarSchema star = small_star();
  star.songs[0].title = kHostile;
  star.artists[0].name = "\xE2\x80\xA8</SCRIPT>";
  std::string html = render_page(page_of(star), "/* chart.js */");
  // Only the page's own three scripts open and close.
  EXPECT_EQ(count(html, "<script"), 3u);
  EXPECT_EQ(count(html, "</script>"), 3u);
  EXPECT_EQ(count(html, "</SCRIPT>"), 0u);
  EXPECT_EQ(count(html, "<!--"), 0u);
  EXPECT_EQ(count(html, "<i>"), 0u);
  EXPECT_NE(html.find("<td>&lt;/script&gt;&lt;script&gt;window.pwned=1&lt;/script&gt;&lt;!-- &quot;Quote&quot; "
                      "&amp; &#39;more&#39; &lt;i&gt;</td>"),
            std::string::npos);
  EXPECT_NE(html.find(R"("\u003c/script\u003e\u003cscript\u003ewindow.pwned=1)"), std::string::npos);
  EXPECT_NE(html.find(R"(\u2028\u003c/SCRIPT\u003e)"), std::string::npos);
}

TEST(HtmlPage, HoursAndWeekdaysAreCompleteAndNamed) {
  const Chart& hours = chart_by_id("plays-per-hour");
  std::vector<DisplayRow> rows = display_rows(hours, {{{"1"}, {3}}, {{"23"}, {2}}});
  ASSERT_EQ(rows.size(), 24u);
  EXPECT_EQ(rows[0].chart_label, "00:00");
  EXPECT_EQ(rows[0].values, std::vector<int64_t>{0});
  EXPECT_EQ(rows[1].values, std::vector<int64_t>{3});
  EXPECT_EQ(rows[23].chart_label, "23:00");
  EXPECT_EQ(rows[23].values, std::vector<int64_t>{2});
  std::vector<DisplayRow> days = display_rows(chart_by_id("plays-per-weekday"), {{{"4"}, {3}}});
  ASSERT_EQ(days.size(), 7u);
  EXPECT_EQ(days[0].chart_label, "Sunday");
  EXPECT_EQ(days[4].chart_label, "Thursday");
  EXPECT_EQ(days[4].values, std::vector<int64_t>{3});
}

TEST(HtmlPage, SeveralLabelsAreJoinedAndNullIsNone) {
  const Chart& songs = chart_by_id("top-songs");
  std::vector<DisplayRow> rows =
      display_rows(songs, {{{"Title", "Artist"}, {3}}, {{"Alone", std::nullopt}, {1}}, {{std::nullopt, "Who"}, {1}}});
  EXPECT_EQ(rows[0].chart_label, "Title \u2014 Artist");
  EXPECT_EQ(rows[1].chart_label, "Alone");
  EXPECT_EQ(rows[1].labels, (std::vector<std::string>{"Alone", "(none)"}));
  EXPECT_EQ(rows[2].chart_label, "(none) \u2014 Who");
}

TEST(HtmlPage, AtAGlanceFromTheCharts) {
  std::string html = render_page(page_of(small_star()), "");
  expect_holds(html,
               {"<li><b>6</b>plays</li>", "<li><b>2018-11-01</b>first day</li>", "<li><b>2018-11-02</b>last day</li>",
                "<li><b>3</b>listeners</li>", "<li><b>83.3%</b>plays matched a song</li>"});
}

TEST(HtmlPage, AChartWithNoRowsSaysSo) {
  std::string html = render_page(page_of(model::StarSchema{}), "");
  EXPECT_NE(html.find("No rows: nothing to draw."), std::string::npos);
  EXPECT_EQ(html.find("<canvas"), std::string::npos);
}

TEST(HtmlPage, TheWarehousesSqlRunsInPsql) {
  ReportPage page = page_of(small_star());
  page.engine = SqlEngine::kPsql;
  page.sql_setup.clear();
  page.source = "the warehouse etl@db:5432/sparkify";
  std::string html = render_page(page, "");
  EXPECT_NE(html.find("runs as printed in <code>psql</code> on the warehouse these figures come from (the warehouse "
                      "etl@db:5432/sparkify)"),
            std::string::npos);
}

}  // namespace
}  // namespace sparkify::report
