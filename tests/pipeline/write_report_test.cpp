// The report command: its page from a lake and from PostgreSQL holding the
// same load, with the same figures; each chart's SQL on PostgreSQL against
// its figures from the lake's rows; what it refuses; an S3 lake.
#include "pipeline/write_report.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "io/local_file_system.h"
#include "io/s3/s3_test_support.h"
#include "lake/lake_reader.h"
#include "report/charts.h"
#include "support/data_sets.h"
#include "support/report_data.h"
#include "support/test_database.h"
#include "test_support.h"
#include "warehouse/open_warehouse.h"

namespace sparkify::pipeline {
namespace {

using testing::CliOutcome;
using testing::run_sparkify;
using testing::TempDir;
using testing::TestDatabase;

constexpr char kSecret[] = "r3port-s3-k3y";

// The figures a page carries for its script: equal pages hold equal figures.
std::string figures_of(const std::string& html) {
  const std::string open = "<script type=\"application/json\" id=\"report-data\">";
  size_t start = html.find(open);
  if (start == std::string::npos) return "";
  start += open.size();
  return html.substr(start, html.find("</script>", start) - start);
}

// Every chart's SQL on the warehouse at `uri`, in one snapshot, against its
// figures from the rows of the lake at `lake` (the same load).
void expect_postgres_agrees(const std::string& uri, const std::string& lake) {
  io::LocalFileSystem local;
  model::StarSchema star = lake::read_star(local, lake);
  warehouse::WarehouseSpec spec;
  spec.conninfo = uri;
  auto warehouse = warehouse::open_warehouse(spec);
  std::vector<warehouse::NamedQuery> queries;
  for (const auto& chart : report::report_charts()) queries.push_back({chart.id, chart.sql});
  auto results = warehouse->read_snapshot(queries);
  ASSERT_EQ(results.size(), report::report_charts().size());
  for (size_t chart_idx = 0; chart_idx < results.size(); ++chart_idx) {
    const report::Chart& chart = report::report_charts()[chart_idx];
    SCOPED_TRACE(chart.id);
    EXPECT_EQ(report::rows_from_text(chart, results[chart_idx]), chart.compute(star));
  }
}

class ReportOnPostgres : public ::testing::TestWithParam<testing::DataSet> {
 protected:
  void SetUp() override { SPARKIFY_REQUIRE_POSTGRES(); }
};

TEST_P(ReportOnPostgres, EachChartsSqlAnswersWhatTheLakesFiguresCompute) {
  TestDatabase db;
  TempDir work;
  testing::etl_into(GetParam().dir, work / "lake", " --target '" + db.uri() + "'");
  expect_postgres_agrees(db.uri(), work / "lake");
}

INSTANTIATE_TEST_SUITE_P(Report, ReportOnPostgres, ::testing::ValuesIn(testing::data_sets()),
                         testing::data_set_test_name);

class ReportCommand : public ::testing::Test {
 protected:
  void SetUp() override { SPARKIFY_REQUIRE_POSTGRES(); }
  TempDir work_;
};

TEST_F(ReportCommand, APageFromTheLakeAndOneFromPostgresHoldTheSameFigures) {
  TestDatabase db;
  testing::generate_data(work_ / "data", 1500, 15000, 31);
  testing::etl_into(work_ / "data", work_ / "lake", " --target '" + db.uri() + "'");
  expect_postgres_agrees(db.uri(), work_ / "lake");

  CliOutcome from_lake = run_sparkify("report --lake " + (work_ / "lake") + " --out " + (work_ / "lake.html"));
  ASSERT_EQ(from_lake.status, 0) << from_lake.output;
  EXPECT_NE(from_lake.output.find("14 charts from the lake"), std::string::npos) << from_lake.output;
  // A password in the target appears nowhere: not in the log, not in the page.
  std::string with_password = db.uri();
  with_password.replace(with_password.find("postgres@"), 9, "postgres:s3cr3t@");
  CliOutcome from_postgres =
      run_sparkify("report --target '" + with_password + "' --out " + (work_ / "warehouse.html"));
  ASSERT_EQ(from_postgres.status, 0) << from_postgres.output;
  EXPECT_EQ(from_postgres.output.find("s3cr3t"), std::string::npos) << from_postgres.output;

  std::string lake_page = testing::read_text(work_ / "lake.html");
  std::string warehouse_page = testing::read_text(work_ / "warehouse.html");
  EXPECT_EQ(warehouse_page.find("s3cr3t"), std::string::npos);
  ASSERT_FALSE(figures_of(lake_page).empty());
  EXPECT_EQ(figures_of(lake_page), figures_of(warehouse_page));
  EXPECT_NE(lake_page.find("CREATE VIEW songplays AS SELECT * FROM read_parquet(&#39;" + (work_ / "lake") +
                           "/songplays/**/*.parquet&#39;, hive_partitioning = true);"),
            std::string::npos);
  EXPECT_NE(warehouse_page.find("runs as printed in <code>psql</code>"), std::string::npos);
  for (const auto& chart : report::report_charts()) {
    EXPECT_NE(warehouse_page.find("<h2>" + chart.title + "</h2>"), std::string::npos) << chart.id;
  }
}

TEST(ReportCommandRefuses, NeitherOrBothSourcesAndAnOutputItCannotWrite) {
  TempDir work;
  CliOutcome neither = run_sparkify("report --out " + (work / "r.html"));
  EXPECT_EQ(neither.status, 2) << neither.output;
  EXPECT_NE(neither.output.find("nothing to report on: give --lake"), std::string::npos) << neither.output;
  CliOutcome both = run_sparkify("report --lake " + (work / "lake") + " --target postgresql://x@127.0.0.1/db");
  EXPECT_EQ(both.status, 2) << both.output;
  EXPECT_NE(both.output.find("not both at once"), std::string::npos) << both.output;
  std::filesystem::create_directories(work / "folder");
  CliOutcome folder = run_sparkify("report --lake " + (work / "lake") + " --out " + (work / "folder"));
  EXPECT_EQ(folder.status, 2) << folder.output;
  EXPECT_NE(folder.output.find("is not a regular file"), std::string::npos) << folder.output;
}

TEST(ReportCommandRefuses, AFolderThatIsNotALakeWritesNothing) {
  TempDir work;
  std::filesystem::create_directories(work / "empty");
  CliOutcome outcome = run_sparkify("report --lake " + (work / "empty") + " --out " + (work / "r.html"));
  EXPECT_EQ(outcome.status, 1) << outcome.output;
  EXPECT_NE(outcome.output.find(work / "empty"), std::string::npos) << outcome.output;
  EXPECT_FALSE(std::filesystem::exists(work / "r.html"));
}

TEST(ReportCommandOnS3, AnS3LakeGivesThePageItsLocalCopyGives) {
  std::string why;
  auto endpoint = testing::s3_test_endpoint(why);
  if (!endpoint) GTEST_SKIP() << why;
  TempDir work;
  testing::TestBucket bucket(*endpoint, "sparkify-report-" + std::to_string(::getpid()), kSecret);
  testing::write_hostile_data(work / "data");
  testing::etl_into(work / "data", work / "lake");
  std::string credentials = std::string("env AWS_ACCESS_KEY_ID=S3RVER AWS_SECRET_ACCESS_KEY=") + kSecret +
                            " AWS_SESSION_TOKEN= AWS_PROFILE= AWS_DEFAULT_PROFILE= ";
  std::string s3_flags = " --s3-endpoint " + *endpoint;
  CliOutcome upload = testing::run_sparkify_with(
      credentials, "etl --song-data " + (work / "data") + "/song_data --log-data " + (work / "data") +
                       "/log_data --lake " + bucket.uri("lake") + s3_flags + " --rejects " + (work / "rejects"));
  ASSERT_EQ(upload.status, 0) << upload.output;
  CliOutcome from_s3 = testing::run_sparkify_with(
      credentials, "report --lake " + bucket.uri("lake") + s3_flags + " --out " + (work / "s3.html"));
  ASSERT_EQ(from_s3.status, 0) << from_s3.output;
  ASSERT_EQ(run_sparkify("report --lake " + (work / "lake") + " --out " + (work / "local.html")).status, 0);
  std::string s3_page = testing::read_text(work / "s3.html");
  EXPECT_EQ(figures_of(s3_page), figures_of(testing::read_text(work / "local.html")));
  EXPECT_NE(s3_page.find("read_parquet(&#39;" + bucket.uri("lake") + "/songs/**/*.parquet&#39;"), std::string::npos);
  EXPECT_EQ(s3_page.find(kSecret), std::string::npos);
  EXPECT_EQ(from_s3.output.find(kSecret), std::string::npos);
}

}  // namespace
}  // namespace sparkify::pipeline
