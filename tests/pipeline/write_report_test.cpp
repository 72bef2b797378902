// The report command: its page from a lake and from PostgreSQL holding the
// same load (and from the Redshift emulator in front of it), with the same
// figures; each chart's SQL on PostgreSQL against its figures from the
// lake's rows, and as the page prints it in psql and DuckDB; what it
// refuses; an S3 lake.
#include "pipeline/write_report.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "io/local_file_system.h"
#include "io/s3/s3_test_support.h"
#include "lake/lake_reader.h"
#include "report/charts.h"
#include "support/data_sets.h"
#include "support/duckdb_reader.h"
#include "support/node_tool.h"
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

// The SQL of a page as a reader copies it: the text of each
// <pre><code>, unescaped, in page order (each chart's, then the lake's
// views where the page has them).
std::vector<std::string> sql_blocks_of(const std::string& html) {
  const std::string open = "<pre><code>";
  const std::string close = "</code></pre>";
  std::vector<std::string> blocks;
  for (size_t at = html.find(open); at != std::string::npos; at = html.find(open, at)) {
    at += open.size();
    size_t end = html.find(close, at);
    std::string block = html.substr(at, end - at);
    for (auto [entity, text] :
         {std::pair{"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&#39;", "'"}, {"&amp;", "&"}}) {
      for (size_t found = block.find(entity); found != std::string::npos; found = block.find(entity, found + 1)) {
        block.replace(found, std::string(entity).size(), text);
      }
    }
    blocks.push_back(block);
    at = end;
  }
  return blocks;
}

// `sql` run by psql on `uri` as a reader would run it (a file of it); its
// rows, fields split, "(null)" as NULL. Fails the test when psql fails.
std::vector<report::TextRow> psql_rows(const std::string& uri, const std::string& sql) {
  TempDir dir;
  testing::write_text(dir / "query.sql", sql);
  std::string command = "psql '" + uri + "' -X -q -A -t -z -P null='(null)' -v ON_ERROR_STOP=1 -f " +
                        (dir / "query.sql") + " >" + (dir / "out") + " 2>&1";
  int status = std::system(command.c_str());
  std::string out = testing::read_text(dir / "out");
  EXPECT_EQ(status, 0) << out;
  std::vector<report::TextRow> rows;
  size_t start = 0;
  for (size_t end = out.find('\n'); end != std::string::npos; start = end + 1, end = out.find('\n', start)) {
    report::TextRow row;
    std::string line = out.substr(start, end - start);
    for (size_t field_start = 0;;) {
      size_t field_end = line.find('\0', field_start);
      std::string field = line.substr(field_start, field_end - field_start);
      row.push_back(field == "(null)" ? std::nullopt : std::optional<std::string>(field));
      if (field_end == std::string::npos) break;
      field_start = field_end + 1;
    }
    rows.push_back(std::move(row));
  }
  return rows;
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

TEST_F(ReportCommand, ThePrintedSqlRunsInPsqlAndInDuckDb) {
  TestDatabase db;
  testing::etl_into(testing::fixture_data_set().dir, work_ / "lake", " --target '" + db.uri() + "'");
  io::LocalFileSystem local;
  model::StarSchema star = lake::read_star(local, work_ / "lake");
  const auto& charts = report::report_charts();

  ASSERT_EQ(run_sparkify("report --target '" + db.uri() + "' --out " + (work_ / "warehouse.html")).status, 0);
  std::vector<std::string> printed = sql_blocks_of(testing::read_text(work_ / "warehouse.html"));
  ASSERT_EQ(printed.size(), charts.size());
  for (size_t chart_idx = 0; chart_idx < charts.size(); ++chart_idx) {
    SCOPED_TRACE(charts[chart_idx].id);
    EXPECT_EQ(printed[chart_idx], charts[chart_idx].sql);
    EXPECT_EQ(report::rows_from_text(charts[chart_idx], psql_rows(db.uri(), printed[chart_idx])),
              charts[chart_idx].compute(star));
  }

  if (!testing::duckdb_available()) GTEST_SKIP() << "DuckDB is not installed: run scripts/install-test-tools.sh";
  ASSERT_EQ(run_sparkify("report --lake " + (work_ / "lake") + " --out " + (work_ / "lake.html")).status, 0);
  printed = sql_blocks_of(testing::read_text(work_ / "lake.html"));
  ASSERT_EQ(printed.size(), charts.size() + 1) << "each chart's SQL, then the views";
  for (size_t chart_idx = 0; chart_idx < charts.size(); ++chart_idx) {
    SCOPED_TRACE(charts[chart_idx].id);
    testing::DuckResult duck = testing::duckdb_query(printed.back() + printed[chart_idx]);
    EXPECT_EQ(report::rows_from_text(charts[chart_idx], duck.rows), charts[chart_idx].compute(star));
  }
}

TEST_F(ReportCommand, RedshiftGivesThePagePostgresGives) {
  std::string why;
  auto endpoint = testing::s3_test_endpoint(why);
  if (!endpoint) GTEST_SKIP() << why;
  TestDatabase db;
  testing::etl_into(testing::fixture_data_set().dir, work_ / "lake", " --target '" + db.uri() + "'");
  // The Redshift emulator in front of the same database refuses what
  // Redshift refuses.
  testing::NodeTool emulator("redshift_emulator.mjs",
                             {"--pg", db.uri(), "--s3", *endpoint, "--slices", "2", "--lifetime-s", "300"});
  std::string redshift =
      "redshift://postgres@127.0.0.1:" + std::to_string(emulator.port()) + "/" + db.name() + "?sslmode=disable";
  CliOutcome from_redshift = run_sparkify("report --target '" + redshift + "' --out " + (work_ / "redshift.html"));
  ASSERT_EQ(from_redshift.status, 0) << from_redshift.output;
  ASSERT_EQ(run_sparkify("report --target '" + db.uri() + "' --out " + (work_ / "postgres.html")).status, 0);
  std::string redshift_figures = figures_of(testing::read_text(work_ / "redshift.html"));
  ASSERT_FALSE(redshift_figures.empty());
  EXPECT_EQ(redshift_figures, figures_of(testing::read_text(work_ / "postgres.html")));
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
