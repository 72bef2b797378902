// The etl job into Amazon Redshift, proven against the Redshift emulator
// (tests/tools/redshift_emulator.mjs) in front of the test PostgreSQL and the
// local S3 server: direct and compacted staging give exactly the tables of
// the PostgreSQL path, the cluster's load errors come back as rejects naming
// the S3 key and line, a failed COPY or transform commits nothing, the
// UNLOADed lake equals the lake written in process, and the classic
// dwh.cfg runs end to end. Each test has its own database, emulator and
// bucket.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "io/s3/s3_file_system.h"
#include "io/s3/s3_test_support.h"
#include "model/error.h"
#include "quality/check.h"
#include "pipeline/etl.h"
#include "support/data_sets.h"
#include "support/duckdb_reader.h"
#include "support/node_tool.h"
#include "support/star_compare.h"
#include "support/test_database.h"
#include "test_support.h"
#include "warehouse/redshift_sql.h"

namespace sparkify::pipeline {
namespace {

namespace fs = std::filesystem;
using testing::first_difference;
using testing::query_scalar;
using testing::read_star_from_lake;
using testing::read_star_from_postgres;
using testing::TempDir;
using testing::TestDatabase;

constexpr char kKeyId[] = "S3RVER";
constexpr char kSecret[] = "etl-redshift-test-secret";
constexpr char kRole[] = "arn:aws:iam::123456789012:role/sparkify-loader";

std::string sparkify_binary() { return std::string(SPARKIFY_BINARY_DIR) + "/src/cli/sparkify"; }

std::string shell_quote(const std::string& text) {
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// Generated songs and events (non-ASCII names, matched plays), once per
// process.
const std::string& generated_data() {
  static const TempDir dir;
  static const std::string data = [] {
    std::string out = dir / "generated";
    std::string command = sparkify_binary() + " generate --songs 400 --events 4000 --days 3 --seed 17 --out " +
                          shell_quote(out) + " >/dev/null";
    if (std::system(command.c_str()) != 0) throw std::runtime_error("sparkify generate failed");
    return out;
  }();
  return data;
}

class EtlRedshiftTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string why;
    auto endpoint = testing::s3_test_endpoint(why);
    if (!endpoint) GTEST_SKIP() << why;
    SPARKIFY_REQUIRE_POSTGRES();
    endpoint_ = *endpoint;
    bucket_ = std::make_unique<testing::TestBucket>(endpoint_, "sparkify-redshift-" + std::to_string(::getpid()), kSecret);
    s3_ = &bucket_->s3();
    cluster_ = std::make_unique<TestDatabase>();
    emulator_ = std::make_unique<testing::NodeTool>(
        "redshift_emulator.mjs", std::vector<std::string>{"--pg", cluster_->uri(), "--s3", endpoint_, "--slices",
                                                          "2", "--lifetime-s", "900"});
  }

  // The emulator first: it reads the bucket.
  void TearDown() override {
    emulator_.reset();
    bucket_.reset();
  }

  std::string uri(const std::string& key) const { return bucket_->uri(key); }
  std::string staging_uri() const { return uri("staging"); }

  // The emulator's address, as the tool takes it.
  std::string redshift_target() const {
    return "redshift://postgres@127.0.0.1:" + std::to_string(emulator_->port()) + "/" + cluster_->name() +
           "?sslmode=disable";
  }

  // Copies `local`'s files below s3://bucket/`prefix`/.
  void upload(const std::string& local, const std::string& prefix) {
    for (const auto& entry : fs::recursive_directory_iterator(local)) {
      if (!entry.is_regular_file()) continue;
      s3_->write_file(uri(prefix + "/" + fs::relative(entry.path(), local).string()),
                      testing::read_text(entry.path()));
    }
  }

  // Every object below `prefix`, hidden ones too.
  std::vector<std::string> keys_below(const std::string& prefix) const {
    std::vector<std::string> keys;
    if (!s3_->exists(uri(prefix))) return keys;
    for (const auto& entry : s3_->list(uri(prefix), {""})) keys.push_back(entry.path);
    return keys;
  }

  config::Settings redshift_settings(const std::string& song_data, const std::string& log_data,
                                     config::StageVia via) const {
    config::Settings settings;
    settings.song_data = song_data;
    settings.log_data = log_data;
    settings.target = config::redshift_uri_to_libpq(redshift_target());
    settings.warehouse_kind = model::WarehouseKind::kRedshift;
    settings.redshift.iam_role = kRole;
    settings.redshift.stage_via = via;
    settings.redshift.staging = staging_uri();
    settings.rejects_path = work_ / "rejects.ndjson";
    settings.aws_key = kKeyId;
    settings.aws_secret = kSecret;
    settings.s3_endpoint = endpoint_;
    return settings;
  }

  static RunSummary run(const config::Settings& settings) {
    FileSystems file_systems(settings);
    auto sinks = make_sinks(settings, file_systems);
    std::ostringstream log;
    return run_etl(settings, file_systems, sinks, log);
  }

  // The same sources loaded into PostgreSQL: what Redshift must give.
  static model::StarSchema postgres_star(const std::string& song_data, const std::string& log_data) {
    TestDatabase db;
    TempDir work;
    config::Settings settings;
    settings.song_data = song_data;
    settings.log_data = log_data;
    settings.target = db.uri();
    settings.rejects_path = work / "rejects.ndjson";
    run(settings);
    return read_star_from_postgres(db.uri());
  }

  model::StarSchema cluster_star() const { return read_star_from_postgres(cluster_->uri()); }

  TempDir work_;
  std::string endpoint_;
  std::unique_ptr<testing::TestBucket> bucket_;
  io::S3FileSystem* s3_ = nullptr;
  std::unique_ptr<TestDatabase> cluster_;
  std::unique_ptr<testing::NodeTool> emulator_;
};

TEST_F(EtlRedshiftTest, CompactedStagingOfLocalFilesGivesThePostgresTables) {
  const std::string& data = generated_data();
  RunSummary summary = run(redshift_settings(data + "/song_data", data + "/log_data", config::StageVia::kCompacted));
  model::StarSchema expected = postgres_star(data + "/song_data", data + "/log_data");
  EXPECT_GT(expected.songplays.size(), 1000u);
  EXPECT_EQ(first_difference(expected, cluster_star()), "");
  ASSERT_EQ(summary.targets.size(), 1u);
  EXPECT_EQ(summary.targets[0].counts.songplays, static_cast<int64_t>(expected.songplays.size()));
  // The parts and manifests went once the load committed.
  EXPECT_TRUE(keys_below("staging").empty());
  // A few parts, not a file per source: the COPY read a manifest.
  EXPECT_EQ(query_scalar(cluster_->uri(), "SELECT COUNT(*) FROM stl_load_errors"), "0");
}

TEST_F(EtlRedshiftTest, DirectStagingFromS3GivesThePostgresTables) {
  const std::string& data = generated_data();
  upload(data, "raw");
  run(redshift_settings(uri("raw/song_data"), uri("raw/log_data"), config::StageVia::kDirect));
  EXPECT_EQ(first_difference(postgres_star(data + "/song_data", data + "/log_data"), cluster_star()), "");
  EXPECT_TRUE(keys_below("staging").empty());
}

// The project's fixtures (every edge case of the contract, a gzip event file
// among plain ones), and the sample where it exists.
class EtlRedshiftOnData : public EtlRedshiftTest, public ::testing::WithParamInterface<testing::DataSet> {};

TEST_P(EtlRedshiftOnData, GivesThePostgresTablesByEitherStaging) {
  const testing::DataSet& data = GetParam();
  model::StarSchema expected = postgres_star(data.song_data(), data.log_data());
  RunSummary compacted = run(redshift_settings(data.song_data(), data.log_data(), config::StageVia::kCompacted));
  EXPECT_EQ(first_difference(expected, cluster_star()), "");
  upload(data.dir, "data");
  RunSummary direct = run(redshift_settings(uri("data/song_data"), uri("data/log_data"), config::StageVia::kDirect));
  EXPECT_EQ(first_difference(expected, cluster_star()), "");
  // The cluster explains the matches as the tool does in process.
  TempDir local;
  config::Settings lake;
  lake.song_data = data.song_data();
  lake.log_data = data.log_data();
  lake.lake = local / "lake";
  lake.rejects_path = local / "rejects.ndjson";
  RunSummary in_process = run(lake);
  ASSERT_TRUE(compacted.match && direct.match && in_process.match);
  EXPECT_EQ(quality::match_json(*compacted.match), quality::match_json(*in_process.match));
  EXPECT_EQ(quality::match_json(*direct.match), quality::match_json(*in_process.match));
  EXPECT_EQ(static_cast<int64_t>(expected.songplays.size()), data.counts.songplays);
}

INSTANTIATE_TEST_SUITE_P(, EtlRedshiftOnData, ::testing::ValuesIn(testing::data_sets()), testing::data_set_test_name);

// An event file whose third line has a session id the cluster cannot load.
std::string bad_event_file() {
  return R"({"artist":null,"auth":"Logged In","firstName":"Ada","gender":"F","itemInSession":0,"lastName":"Byron","length":null,"level":"free","location":"London","method":"GET","page":"Home","registration":1541033612796.0,"sessionId":9001,"song":null,"status":200,"ts":1541105830796,"userAgent":"Mozilla","userId":"9001"}
{"artist":null,"auth":"Logged In","firstName":"Ada","gender":"F","itemInSession":1,"lastName":"Byron","length":null,"level":"free","location":"London","method":"GET","page":"Home","registration":1541033612796.0,"sessionId":9001,"song":null,"status":200,"ts":1541105830797,"userAgent":"Mozilla","userId":"9001"}
{"artist":null,"auth":"Logged In","firstName":"Ada","gender":"F","itemInSession":2,"lastName":"Byron","length":null,"level":"free","location":"London","method":"GET","page":"Home","registration":1541033612796.0,"sessionId":"nine","song":null,"status":200,"ts":1541105830798,"userAgent":"Mozilla","userId":"9001"}
)";
}

TEST_F(EtlRedshiftTest, LoadErrorsComeBackAsRejectsNamingTheKeyLineAndColumn) {
  const std::string& data = generated_data();
  upload(data, "raw");
  s3_->write_file(uri("raw/log_data/2018/11/2018-11-30-events.json"), bad_event_file());
  config::Settings settings = redshift_settings(uri("raw/song_data"), uri("raw/log_data"), config::StageVia::kDirect);
  settings.max_errors = 1;
  RunSummary summary = run(settings);
  EXPECT_EQ(summary.rejects, 1u);
  std::string rejects = testing::read_text(settings.rejects_path);
  EXPECT_NE(rejects.find(uri("raw/log_data/2018/11/2018-11-30-events.json")), std::string::npos) << rejects;
  EXPECT_NE(rejects.find("\"line\":3"), std::string::npos) << rejects;
  EXPECT_NE(rejects.find("session_id"), std::string::npos) << rejects;
  EXPECT_NE(rejects.find("Invalid digit"), std::string::npos) << rejects;
  // The other two lines of that file were loaded.
  EXPECT_EQ(query_scalar(cluster_->uri(), "SELECT COUNT(*) FROM users WHERE user_id = 9001"), "1");
}

TEST_F(EtlRedshiftTest, AFailedCopyCommitsNothingAndKeepsItsRejects) {
  const std::string& data = generated_data();
  upload(data, "raw");
  config::Settings settings = redshift_settings(uri("raw/song_data"), uri("raw/log_data"), config::StageVia::kDirect);
  run(settings);
  model::StarSchema before = cluster_star();

  s3_->write_file(uri("raw/log_data/2018/11/2018-11-30-events.json"), bad_event_file());
  settings.max_errors = 0;
  EXPECT_THROW(run(settings), JobError);
  EXPECT_EQ(first_difference(before, cluster_star()), "");
  std::string rejects = testing::read_text(settings.rejects_path);
  EXPECT_NE(rejects.find("2018-11-30-events.json"), std::string::npos) << rejects;
  EXPECT_TRUE(keys_below("staging").empty());
}

TEST_F(EtlRedshiftTest, AFailedTransformCommitsNothingAndRemovesTheParts) {
  const std::string& data = generated_data();
  config::Settings settings = redshift_settings(data + "/song_data", data + "/log_data", config::StageVia::kCompacted);
  run(settings);
  model::StarSchema before = cluster_star();
  // A songplays table whose user_agent is too narrow for the rows: the
  // transform's INSERT fails on the cluster.
  query_scalar(cluster_->uri(), "DROP TABLE songplays");
  query_scalar(cluster_->uri(),
               "CREATE TABLE songplays (songplay_id BIGINT, start_time TIMESTAMP, user_id INTEGER, level TEXT, "
               "song_id TEXT, artist_id TEXT, session_id INTEGER, location TEXT, "
               "user_agent TEXT CHECK (octet_length(user_agent) <= 3))");
  query_scalar(cluster_->uri(), "INSERT INTO songplays SELECT 1, NULL, 1, NULL, NULL, NULL, NULL, NULL, 'x'");
  EXPECT_THROW(run(settings), WarehouseError);
  before.songplays = cluster_star().songplays;  // the one row put there above
  EXPECT_EQ(first_difference(before, cluster_star()), "");
  EXPECT_EQ(query_scalar(cluster_->uri(), "SELECT COUNT(*) FROM songplays"), "1");
  EXPECT_TRUE(keys_below("staging").empty());
}

TEST_F(EtlRedshiftTest, ChecksRunInsideTheClustersTransactionAndAFailureCommitsNothing) {
  const std::string& data = generated_data();
  config::Settings settings = redshift_settings(data + "/song_data", data + "/log_data", config::StageVia::kCompacted);
  settings.check = true;
  RunSummary summary = run(settings);
  ASSERT_EQ(summary.targets.size(), 1u);
  EXPECT_TRUE(quality::all_passed(summary.targets[0].checks)) << quality::format_results(summary.targets[0].checks);
  EXPECT_GT(summary.targets[0].checks.size(), 20u);
  model::StarSchema before = cluster_star();

  std::string checks = work_ / "checks.json";
  std::ofstream(checks) << R"([{"name": "no plays", "sql": "SELECT COUNT(*) FROM songplays", "expected": 0}])";
  settings.checks_path = checks;
  try {
    run(settings);
    ADD_FAILURE() << "the failing check let the run commit";
  } catch (const JobError& error) {
    EXPECT_NE(std::string(error.what()).find("no plays"), std::string::npos) << error.what();
  }
  EXPECT_EQ(first_difference(before, cluster_star()), "");
  EXPECT_TRUE(keys_below("staging").empty());
}

TEST_F(EtlRedshiftTest, TheUnloadedLakeEqualsTheLakeWrittenInProcess) {
  const std::string& data = generated_data();
  TempDir local;
  config::Settings in_process;
  in_process.song_data = data + "/song_data";
  in_process.log_data = data + "/log_data";
  in_process.lake = local / "lake";
  in_process.rejects_path = local / "rejects.ndjson";
  run(in_process);

  config::Settings settings = redshift_settings(data + "/song_data", data + "/log_data", config::StageVia::kCompacted);
  settings.lake = uri("lake");
  run(settings);
  // Every table committed with its _SUCCESS; nothing left staged.
  for (const auto& table : {"songplays", "users", "songs", "artists", "time"}) {
    EXPECT_TRUE(s3_->exists(uri(std::string("lake/") + table + "/_SUCCESS"))) << table;
  }
  TempDir downloaded;
  for (const auto& entry : s3_->list(uri("lake"), {".parquet"})) {
    std::string relative = entry.path.substr(uri("lake/").size());
    EXPECT_EQ(relative.find(".sparkify-staging"), std::string::npos) << relative;
    testing::write_text(downloaded / relative, std::string(s3_->read(entry.path).view()));
  }
  EXPECT_EQ(first_difference(read_star_from_lake(local / "lake"), read_star_from_lake(downloaded.path().string())), "");
}

TEST_F(EtlRedshiftTest, TheClassicConfigRunsEndToEndAndItsDryRunConnectsToNothing) {
  const std::string& data = generated_data();
  upload(data, "udacity");
  s3_->write_file(uri("udacity/log_json_path.json"), warehouse::redshift_sql::events_jsonpaths());
  std::string config = work_ / "dwh.cfg";
  auto write_config = [&](int port) {
    std::ofstream(config) << "[CLUSTER]\nHOST=127.0.0.1\nDB_NAME=" << cluster_->name()
                          << "\nDB_USER=postgres\nDB_PASSWORD=Sup3rS3cret\nDB_PORT=" << port
                          << "\n[IAM_ROLE]\nARN=" << kRole << "\n[S3]\nLOG_DATA='" << uri("udacity/log_data")
                          << "'\nLOG_JSONPATH='" << uri("udacity/log_json_path.json") << "'\nSONG_DATA='"
                          << uri("udacity/song_data") << "'\n[AWS]\nKEY=" << kKeyId << "\nSECRET=" << kSecret
                          << "\n";
  };
  auto run_cli = [&](const std::string& extra) {
    // The emulator speaks no TLS: PGSSLMODE replaces the tool's default
    // sslmode=require, as libpq's own variable does.
    std::string command = "env PGSSLMODE=disable " + shell_quote(sparkify_binary()) + " etl --config " +
                          shell_quote(config) + " --s3-endpoint " + shell_quote(endpoint_) + " --rejects " +
                          shell_quote(work_ / "rejects.ndjson") + " " + extra + " >" + shell_quote(work_ / "out") +
                          " 2>&1";
    int raw = std::system(command.c_str());
    return testing::CliOutcome{WIFEXITED(raw) ? WEXITSTATUS(raw) : -1, testing::read_text(work_ / "out")};
  };

  write_config(emulator_->port());
  testing::CliOutcome outcome = run_cli("");
  ASSERT_EQ(outcome.status, 0) << outcome.output;
  EXPECT_EQ(first_difference(postgres_star(data + "/song_data", data + "/log_data"), cluster_star()), "");
  EXPECT_EQ(outcome.output.find("Sup3rS3cret"), std::string::npos) << outcome.output;
  EXPECT_EQ(outcome.output.find(kSecret), std::string::npos) << outcome.output;

  // A dry run against a port where nothing listens: it never connects.
  write_config(1);
  outcome = run_cli("--dry-run");
  ASSERT_EQ(outcome.status, 0) << outcome.output;
  const std::string& plan = outcome.output;
  EXPECT_NE(plan.find("IAM_ROLE '" + std::string(kRole) + "'"), std::string::npos) << plan;
  EXPECT_NE(plan.find("FORMAT AS JSON '" + uri("udacity/log_json_path.json") + "'"), std::string::npos) << plan;
  EXPECT_NE(plan.find("FORMAT AS JSON 'auto ignorecase'"), std::string::npos) << plan;
  EXPECT_NE(plan.find("DISTSTYLE ALL"), std::string::npos) << plan;
  EXPECT_NE(plan.find("SORTKEY(start_time)"), std::string::npos) << plan;
  for (const char* refused : {"FROM STDIN", "ON CONFLICT", "DISTINCT ON", "RETURNING", "SERIAL", "IDENTITY",
                              "jsonb", "CREATE INDEX", "COLLATE", "TRUNCATE"}) {
    EXPECT_EQ(plan.find(refused), std::string::npos) << refused;
  }
  for (const char* secret : {"Sup3rS3cret", kSecret}) EXPECT_EQ(plan.find(secret), std::string::npos) << secret;
}

TEST_F(EtlRedshiftTest, AMissingIamRoleIsAUsageErrorNamingTheConfigKey) {
  std::string config = work_ / "dwh.cfg";
  std::ofstream(config) << "[CLUSTER]\nHOST=127.0.0.1\nDB_NAME=dev\nDB_USER=etl\n";
  const std::string& data = generated_data();
  testing::CliOutcome outcome = testing::run_sparkify(
      "etl --target " + shell_quote(redshift_target()) + " --song-data " + shell_quote(data + "/song_data") +
      " --log-data " + shell_quote(data + "/log_data") + " --staging " + shell_quote(staging_uri()));
  EXPECT_EQ(outcome.status, 2) << outcome.output;
  EXPECT_NE(outcome.output.find("[IAM_ROLE] ARN"), std::string::npos) << outcome.output;
}

}  // namespace
}  // namespace sparkify::pipeline
