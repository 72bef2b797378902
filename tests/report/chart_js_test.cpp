// Chart.js as the page inlines it: Debian's file, refused when it could
// break out of its <script>.
#include "report/chart_js.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "model/error.h"
#include "test_support.h"

namespace sparkify::report {
namespace {

TEST(ChartJs, DebiansFileIsTheUmdBuild) {
  if (!std::filesystem::exists(chart_js_path())) {
    GTEST_SKIP() << "Chart.js is not installed at " << chart_js_path() << ": run scripts/install-deps.sh";
  }
  std::string script = load_chart_js(chart_js_path());
  EXPECT_NE(script.find("Chart.js v"), std::string::npos);
  EXPECT_NE(script.find(".Chart="), std::string::npos) << "not the UMD build, which sets window.Chart";
}

TEST(ChartJs, AMissingFileSaysWhatToInstall) {
  try {
    load_chart_js("/nonexistent/chart.min.js");
    FAIL() << "no error";
  } catch (const JobError& error) {
    EXPECT_NE(std::string(error.what()).find("/nonexistent/chart.min.js"), std::string::npos);
    EXPECT_NE(std::string(error.what()).find("libjs-chart.js"), std::string::npos);
  }
}

TEST(ChartJs, AScriptThatWouldEndTheInlineScriptIsRefused) {
  testing::TempDir dir;
  for (const char* text : {"var a = '</SCRIPT>';", "var a = 1; <!-- b"}) {
    testing::write_text(dir / "chart.js", text);
    EXPECT_THROW(load_chart_js(dir / "chart.js"), JobError) << text;
  }
  testing::write_text(dir / "chart.js", "var a = 1 < 2;");
  EXPECT_EQ(load_chart_js(dir / "chart.js"), "var a = 1 < 2;");
}

}  // namespace
}  // namespace sparkify::report
