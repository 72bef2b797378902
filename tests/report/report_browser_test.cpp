// The report's page in a real browser: headless Chromium (Debian's, through
// tests/tools/page_check.mjs) opens the page made from generated data, from
// the data sets (the fixtures, the real sample), from an extract of hostile
// text and from PostgreSQL, offline; no console error, every chart drawn,
// its figures beside it, no sideways scrolling on a phone, nothing from the
// data run as script. Screenshots (and a print to PDF) go to
// build/report-screenshots/. Skips, saying so, without Chromium or
// puppeteer-core.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>

#include "support/data_sets.h"
#include "support/report_data.h"
#include "support/test_database.h"
#include "test_support.h"

namespace sparkify::report {
namespace {

using testing::CliOutcome;
using testing::TempDir;

std::string screenshot_dir() {
  std::string dir = std::string(SPARKIFY_BINARY_DIR) + "/report-screenshots";
  std::filesystem::create_directories(dir);
  return dir;
}

std::string quoted(const std::string& word) {
  std::string out = "'";
  for (char c : word) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

struct PageCheck {
  int status = -1;
  std::string output;
};

// page_check.mjs on `html` at `width` px; `options` are more of its flags.
PageCheck check_page(const std::string& html, const std::string& name, int width, const std::string& options = "") {
  TempDir dir;
  std::string command = "node " + quoted(std::string(SPARKIFY_SOURCE_DIR) + "/tests/tools/page_check.mjs") + " " +
                        quoted(html) + " " + quoted(screenshot_dir() + "/" + name + ".png") + " --width " +
                        std::to_string(width) + " " + options + " >" + (dir / "out") + " 2>&1 </dev/null";
  int raw = std::system(command.c_str());
  return {WIFEXITED(raw) ? WEXITSTATUS(raw) : -1, testing::read_text(dir / "out")};
}

#define EXPECT_PAGE_PASSES(check)                                                                    \
  do {                                                                                               \
    PageCheck result_ = (check);                                                                     \
    if (result_.status == 77) GTEST_SKIP() << result_.output;                                        \
    EXPECT_EQ(result_.status, 0) << result_.output;                                                  \
    EXPECT_NE(result_.output.find("\"charts\":14,\"drawn\":"), std::string::npos) << result_.output; \
  } while (false)

std::string report_of_lake(const std::string& lake, const std::string& html) {
  CliOutcome outcome = testing::run_sparkify("report --lake " + quoted(lake) + " --out " + quoted(html));
  if (outcome.status != 0) throw std::runtime_error("sparkify report failed: " + outcome.output);
  return html;
}

TEST(ReportInBrowser, GeneratedDataOnADesktopAPhoneAndPaper) {
  TempDir work;
  testing::generate_data(work / "data", 3000, 30000, 7);
  testing::etl_into(work / "data", work / "lake");
  std::string html = report_of_lake(work / "lake", work / "report.html");
  EXPECT_PAGE_PASSES(
      check_page(html, "generated-desktop", 1280, "--pdf " + quoted(screenshot_dir() + "/generated.pdf")));
  EXPECT_PAGE_PASSES(check_page(html, "generated-phone", 390));
}

class ReportInBrowserOnDataSet : public ::testing::TestWithParam<testing::DataSet> {};

TEST_P(ReportInBrowserOnDataSet, EveryChartIsDrawn) {
  TempDir work;
  testing::etl_into(GetParam().dir, work / "lake");
  std::string html = report_of_lake(work / "lake", work / "report.html");
  EXPECT_PAGE_PASSES(check_page(html, "data-set-" + GetParam().name, 1280));
}

INSTANTIATE_TEST_SUITE_P(Report, ReportInBrowserOnDataSet, ::testing::ValuesIn(testing::data_sets()),
                         testing::data_set_test_name);

TEST(ReportInBrowser, HostileTextIsShownAndNeverRun) {
  TempDir work;
  testing::write_hostile_data(work / "data");
  testing::etl_into(work / "data", work / "lake");
  std::string html = report_of_lake(work / "lake", work / "report.html");
  std::string expect;
  for (const char* text : {testing::kHostileTitle, testing::kHostileArtist, testing::kHostileLocation}) {
    expect += " --expect-text " + quoted(text);
  }
  EXPECT_PAGE_PASSES(check_page(html, "hostile", 1280, expect));
}

TEST(ReportInBrowser, APageFromPostgres) {
  SPARKIFY_REQUIRE_POSTGRES();
  testing::TestDatabase db;
  TempDir work;
  testing::generate_data(work / "data", 1000, 10000, 3);
  testing::etl_into(work / "data", work / "lake", " --target " + quoted(db.uri()));
  CliOutcome outcome =
      testing::run_sparkify("report --target " + quoted(db.uri()) + " --out " + quoted(work / "report.html"));
  ASSERT_EQ(outcome.status, 0) << outcome.output;
  EXPECT_PAGE_PASSES(check_page(work / "report.html", "postgres", 1280));
}

}  // namespace
}  // namespace sparkify::report
