// The etl job with its sources and its lake on S3 (the local server of
// scripts/start-s3.sh): the same warehouse rows and the same lake as the job
// on local paths, through faults injected by tests/tools/fault_proxy.mjs,
// and failures that exit 1, name the bucket and key, and commit nothing.
// Each test works in a bucket of its own, on the project's fixtures and,
// where it exists, on the real sample (support/data_sets.h).
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <map>
#include <regex>
#include <sstream>

#include "io/s3/s3_file_system.h"
#include "io/s3/s3_test_support.h"
#include "lake/lake_folder.h"
#include "pipeline/etl.h"
#include "pipeline/lake_sink.h"
#include "support/data_sets.h"
#include "support/duckdb_reader.h"
#include "support/star_compare.h"
#include "support/terminal.h"
#include "support/test_database.h"
#include "test_support.h"

namespace sparkify::pipeline {
namespace {

namespace fs = std::filesystem;
using sparkify::testing::DataSet;
using sparkify::testing::FaultProxy;
using sparkify::testing::first_difference;
using sparkify::testing::read_star_from_lake;
using sparkify::testing::read_star_from_postgres;
using sparkify::testing::TempDir;
using sparkify::testing::TestDatabase;

// s3rver accepts this access key id only, and checks no signature.
constexpr char kKeyId[] = "S3RVER";
constexpr char kSecret[] = "etl-s3-test-secret";
constexpr char kStagingMarker[] = ".sparkify-staging-";
// Where the extract goes in each test's bucket.
constexpr char kPrefix[] = "extract";

// Files (or objects) below a root: relative path -> content.
using Tree = std::map<std::string, std::string>;

Tree local_tree(const std::string& root) {
  Tree tree;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (entry.is_regular_file() && !testing::is_lake_bookkeeping(entry.path())) {
      tree[fs::relative(entry.path(), root).string()] = testing::read_text(entry.path());
    }
  }
  return tree;
}

std::string names_of(const Tree& tree) {
  std::string names;
  for (const auto& [name, content] : tree) names += name + "\n";
  return names;
}

// The names whose content differs, or that only one tree has; empty when
// the trees are equal.
std::string differing_files(const Tree& expected, const Tree& actual) {
  std::string names;
  for (const auto& [name, content] : expected) {
    auto it = actual.find(name);
    if (it == actual.end() || it->second != content) names += name + "\n";
  }
  for (const auto& [name, content] : actual) {
    if (expected.count(name) == 0) names += name + "\n";
  }
  return names;
}

std::string shell_quote(const std::string& text) {
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string sparkify_binary() { return std::string(SPARKIFY_BINARY_DIR) + "/src/cli/sparkify"; }

struct CliRun {
  int status = -1;  // the exit status; -1 when killed by a signal
  std::string err;
  double seconds = 0;
};

// What every test of this file shares; data_set() names the extract a
// test loads.
class EtlS3Test : public ::testing::Test {
 protected:
  virtual const DataSet& data_set() const = 0;

  void SetUp() override {
    std::string why;
    auto endpoint = sparkify::testing::s3_test_endpoint(why);
    if (!endpoint) GTEST_SKIP() << why;
    SPARKIFY_REQUIRE_POSTGRES();
    endpoint_ = *endpoint;
    data_ = data_set();
    bucket_ = sparkify::testing::unique_bucket("sparkify-etl-" + std::to_string(::getpid()));
    direct_ = std::make_unique<io::S3FileSystem>(direct_options());
    direct_->create_bucket(bucket_);
  }

  // The bucket's objects go (s3rver keeps them on disk); the bucket stays,
  // for S3FileSystem cannot delete one.
  void TearDown() override {
    if (!direct_) return;
    try {
      direct_->remove_all("s3://" + bucket_);
    } catch (const std::exception& error) {
      ADD_FAILURE() << "cannot empty s3://" << bucket_ << ": " << error.what();
    }
  }

  io::S3Options direct_options() const {
    io::S3Options options;
    options.endpoint = endpoint_;
    options.path_style = true;
    options.access_key_id = kKeyId;
    options.secret_access_key = kSecret;
    options.credentials_source = "the test";
    options.retry_base_delay = std::chrono::milliseconds(5);
    return options;
  }

  std::string uri(const std::string& key) const { return "s3://" + bucket_ + "/" + key; }
  std::string song_uri() const { return uri(std::string(kPrefix) + "/song_data"); }
  std::string log_uri() const { return uri(std::string(kPrefix) + "/log_data"); }
  std::string lake_uri() const { return uri(std::string(kPrefix) + "/lake"); }

  // Copies the extract's song_data/ and log_data/ below s3://bucket/extract/.
  void upload_data() {
    for (const auto& entry : fs::recursive_directory_iterator(data_.dir)) {
      if (!entry.is_regular_file()) continue;
      std::string relative = fs::relative(entry.path(), data_.dir).string();
      direct_->write_file(uri(std::string(kPrefix) + "/" + relative), testing::read_text(entry.path()));
    }
  }

  // Every key below `prefix` (hidden ones too, which S3FileSystem::list
  // skips), from a plain ListObjectsV2; s3rver takes unsigned requests.
  std::vector<std::string> all_keys(const std::string& prefix) const {
    auto xml = sparkify::testing::local_http(sparkify::testing::endpoint_port(endpoint_), "GET",
                                             "/" + bucket_ + "?list-type=2&prefix=" + prefix);
    if (!xml) throw std::runtime_error("the S3 server did not answer a listing of " + uri(prefix));
    if (xml->find("<IsTruncated>false</IsTruncated>") == std::string::npos) {
      throw std::runtime_error("the listing of " + uri(prefix) + " is truncated or failed: " + *xml);
    }
    std::vector<std::string> keys;
    for (size_t at = xml->find("<Key>"); at != std::string::npos; at = xml->find("<Key>", at)) {
      at += 5;
      std::string key = xml->substr(at, xml->find("</Key>", at) - at);
      if (key.find('&') != std::string::npos) throw std::runtime_error("unexpected XML entity in key " + key);
      keys.push_back(key);
    }
    return keys;
  }

  // The objects below `prefix` ("extract/lake"), by key relative to it.
  Tree s3_tree(const std::string& prefix) const {
    Tree tree;
    for (const auto& key : all_keys(prefix + "/")) {
      if (testing::is_lake_bookkeeping(key)) continue;
      tree[key.substr(prefix.size() + 1)] = std::string(direct_->read(uri(key)).view());
    }
    return tree;
  }

  // Keys of unfinished lake commits below the lake.
  std::vector<std::string> staging_keys() const {
    std::vector<std::string> staged;
    for (auto& key : all_keys(std::string(kPrefix) + "/lake/")) {
      if (key.find(kStagingMarker) != std::string::npos) staged.push_back(key);
    }
    return staged;
  }

  // The S3 lake, downloaded to `dir` and read back by DuckDB.
  model::StarSchema read_s3_lake(const std::string& dir) const {
    for (const auto& [name, content] : s3_tree(std::string(kPrefix) + "/lake")) {
      testing::write_text(dir + "/" + name, content);
    }
    return read_star_from_lake(dir);
  }

  // Settings for a run through `endpoint` (the server, or a proxy).
  config::Settings settings(const std::string& song_data, const std::string& log_data,
                            std::optional<std::string> target, std::optional<std::string> lake,
                            const std::string& endpoint) const {
    config::Settings settings;
    settings.song_data = song_data;
    settings.log_data = log_data;
    settings.target = std::move(target);
    settings.lake = std::move(lake);
    settings.rejects_path = work_ / "rejects.ndjson";
    settings.aws_key = kKeyId;
    settings.aws_secret = kSecret;
    settings.s3_endpoint = endpoint;
    return settings;
  }

  static RunSummary run(const config::Settings& settings) {
    FileSystems file_systems(settings);
    auto sinks = make_sinks(settings, file_systems);
    std::ostringstream log;
    return run_etl(settings, file_systems, sinks, log);
  }

  // The extract from S3 into `target` and the S3 lake, through `endpoint`.
  RunSummary run_from_s3(const std::string& target, const std::string& endpoint) const {
    return run(settings(song_uri(), log_uri(), target, lake_uri(), endpoint));
  }

  // The extract loaded from local paths into a warehouse and a local lake,
  // once per process and extract: what every S3 run must give. The lake writer is
  // deterministic, so an S3 lake must equal this one byte for byte.
  struct Reference {
    TempDir dir;
    std::string lake;
    model::StarSchema warehouse;
    Tree lake_files;
  };
  const Reference& reference() const {
    static std::map<std::string, std::unique_ptr<Reference>> made;
    std::unique_ptr<Reference>& reference = made[data_.name];
    if (!reference) {
      reference = std::make_unique<Reference>();
      reference->lake = reference->dir / "lake";
      TestDatabase db;
      run(settings(data_.song_data(), data_.log_data(), db.uri(), reference->lake, endpoint_));
      reference->warehouse = read_star_from_postgres(db.uri());
      reference->lake_files = local_tree(reference->lake);
    }
    return *reference;
  }

  // The CLI, with S3 credentials in the environment unless told otherwise;
  // `args` follow "sparkify"; its stdout goes to `out_path`.
  CliRun run_cli(const std::string& args, bool credentials_in_environment = true,
                 const std::string& out_path = "/dev/null") const {
    std::string err_path = work_ / "stderr.txt";
    std::string environment = credentials_in_environment
                                  ? "env AWS_ACCESS_KEY_ID=" + std::string(kKeyId) + " AWS_SECRET_ACCESS_KEY=" + kSecret
                                  : std::string("env -u AWS_ACCESS_KEY_ID -u AWS_SECRET_ACCESS_KEY");
    std::string command = environment + " AWS_SESSION_TOKEN= AWS_PROFILE= AWS_DEFAULT_PROFILE= " +
                          shell_quote(sparkify_binary()) + " " + args + " >" + shell_quote(out_path) + " 2>" +
                          shell_quote(err_path);
    auto start = std::chrono::steady_clock::now();
    int raw = std::system(command.c_str());
    CliRun result;
    result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    result.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
    result.err = testing::read_text(err_path);
    return result;
  }

  std::string cli_etl_args(const std::string& target, const std::string& lake, const std::string& endpoint,
                           const std::string& log_data = {}) const {
    return "etl --song-data " + shell_quote(song_uri()) + " --log-data " +
           shell_quote(log_data.empty() ? log_uri() : log_data) + " --target " +
           shell_quote(target) + " --lake " + shell_quote(lake) + " --s3-endpoint " + shell_quote(endpoint) +
           " --rejects " + shell_quote(work_ / "rejects.ndjson");
  }

  // A load of the whole extract from S3 into a warehouse and the S3 lake,
  // as a failing run finds them; and a third of the events below
  // fewer_log_uri(), for that run, so that anything it committed would show.
  struct Previous {
    TestDatabase db;
    model::StarSchema warehouse;
    Tree lake;
  };
  Previous load_previous() {
    upload_data();
    Previous previous;
    run_from_s3(previous.db.uri(), endpoint_);
    previous.warehouse = read_star_from_postgres(previous.db.uri());
    previous.lake = s3_tree(std::string(kPrefix) + "/lake");
    EXPECT_FALSE(previous.lake.empty());
    std::vector<fs::path> log_files;
    for (const auto& entry : fs::recursive_directory_iterator(data_.log_data())) {
      if (entry.is_regular_file()) log_files.push_back(entry.path());
    }
    std::sort(log_files.begin(), log_files.end());
    log_files.resize(log_files.size() / 3);
    for (const auto& file : log_files) {
      direct_->write_file(fewer_log_uri() + "/" + file.filename().string(), testing::read_text(file));
    }
    return previous;
  }
  std::string fewer_log_uri() const { return uri("fewer/log_data"); }

  TempDir work_;
  std::string endpoint_;
  DataSet data_;
  std::string bucket_;
  std::unique_ptr<io::S3FileSystem> direct_;
};

// The tests that take one extract: each runs on every data set.
class EtlS3OnData : public EtlS3Test, public ::testing::WithParamInterface<DataSet> {
 protected:
  const DataSet& data_set() const override { return GetParam(); }
};

TEST_P(EtlS3OnData, FromS3GivesTheSameWarehouseAndLakeAsFromLocalPaths) {
  SPARKIFY_REQUIRE_DUCKDB();
  upload_data();
  TestDatabase s3_db;
  RunSummary summary = run_from_s3(s3_db.uri(), endpoint_);
  EXPECT_EQ(summary.song_files, data_.song_files);
  EXPECT_EQ(summary.event_files, data_.event_files);
  ASSERT_EQ(summary.targets.size(), 2u);
  for (const auto& target : summary.targets) {
    EXPECT_EQ(target.counts.songplays, data_.counts.songplays) << target.name;
    EXPECT_EQ(target.counts.users, data_.counts.users) << target.name;
    EXPECT_EQ(target.counts.songs, data_.counts.songs) << target.name;
    EXPECT_EQ(target.counts.artists, data_.counts.artists) << target.name;
    EXPECT_EQ(target.counts.time, data_.counts.time) << target.name;
  }

  // The same from local paths, into another database and a local lake.
  const Reference& local = reference();
  EXPECT_EQ(first_difference(local.warehouse, read_star_from_postgres(s3_db.uri())), "");

  Tree s3_lake = s3_tree(std::string(kPrefix) + "/lake");
  EXPECT_EQ(names_of(local.lake_files), names_of(s3_lake)) << "the same partitions and files";
  for (const auto& table : lake::lake_table_names()) EXPECT_EQ(s3_lake.count(table + "/_SUCCESS"), 1u) << table;
  EXPECT_EQ(differing_files(local.lake_files, s3_lake), "") << "the same bytes in every file";
  EXPECT_EQ(staging_keys(), std::vector<std::string>{}) << "the commit leaves no staged object behind";
  // And through an independent reader, every table and every column.
  EXPECT_EQ(first_difference(local.warehouse, read_s3_lake(work_ / "s3-lake")), "");
}

TEST_P(EtlS3OnData, ConfigFileS3SectionNamesTheSourcesAndTheKeys) {
  upload_data();
  TestDatabase db;
  // As the classic dwh.cfg has it: quoted URIs, and keys this tool ignores.
  std::string config = work_ / "dwh.cfg";
  testing::write_text(config, "[AWS]\nKEY=" + std::string(kKeyId) + "\nSECRET=" + kSecret +
                                  "\nREGION=us-east-1\n\n[S3]\nLOG_DATA='" + log_uri() +
                                  "'\nLOG_JSONPATH='s3://udacity-dend/log_json_path.json'\nSONG_DATA='" +
                                  song_uri() + "'\n");
  // No credentials in the environment: those of [AWS] must do.
  CliRun run = run_cli("etl --config " + shell_quote(config) + " --target " + shell_quote(db.uri()) +
                           " --s3-endpoint " + shell_quote(endpoint_) + " --rejects " +
                           shell_quote(work_ / "rejects.ndjson"),
                       false);
  ASSERT_EQ(run.status, 0) << run.err;
  EXPECT_EQ(first_difference(reference().warehouse, read_star_from_postgres(db.uri())), "");
}

TEST_P(EtlS3OnData, MissingBucketExitsOneAndNamesIt) {
  std::string missing = sparkify::testing::unique_bucket("sparkify-missing");
  std::string lake = work_ / "lake";
  CliRun sources = run_cli("etl --song-data s3://" + missing + "/song_data --log-data s3://" + missing +
                           "/log_data --lake " + shell_quote(lake) + " --s3-endpoint " + shell_quote(endpoint_) +
                           " --rejects " + shell_quote(work_ / "rejects.ndjson"));
  EXPECT_EQ(sources.status, 1) << sources.err;
  EXPECT_NE(sources.err.find("no such bucket '" + missing + "'"), std::string::npos) << sources.err;
  EXPECT_FALSE(fs::exists(lake + "/songplays")) << "nothing was written";

  // The sources are there, the lake's bucket is not: the warehouse, loaded
  // and transformed by then, must not be committed either.
  upload_data();
  TestDatabase db;
  std::string missing_lake = "s3://" + missing + "/lake";
  CliRun lake_run = run_cli(cli_etl_args(db.uri(), missing_lake, endpoint_));
  EXPECT_EQ(lake_run.status, 1) << lake_run.err;
  EXPECT_NE(lake_run.err.find("no such bucket '" + missing + "'"), std::string::npos) << lake_run.err;
  EXPECT_EQ(testing::query_scalar(db.uri(), "SELECT COUNT(*) FROM information_schema.tables WHERE table_name = "
                                            "'songplays' AND table_schema = 'public'"),
            "0")
      << "the warehouse was not committed";
}

TEST_P(EtlS3OnData, AccessDeniedFailsAtOnceNamingBucketAndKey) {
  upload_data();
  TestDatabase db;
  std::string denied_key = std::string(kPrefix) + "/log_data/2018/11/2018-11-15-events.json";
  {
    FaultProxy proxy(endpoint_, {"--deny", "/2018-11-15-events\\.json$"});
    CliRun denied = run_cli(cli_etl_args(db.uri(), lake_uri(), proxy.endpoint()));
    EXPECT_EQ(denied.status, 1) << denied.err;
    EXPECT_NE(denied.err.find("access denied"), std::string::npos) << denied.err;
    EXPECT_NE(denied.err.find("s3://" + bucket_ + "/" + denied_key), std::string::npos) << denied.err;
    EXPECT_NE(denied.err.find("bucket '" + bucket_ + "'"), std::string::npos) << denied.err;
    EXPECT_EQ(proxy.stat("denied"), 1) << "a 403 is final: no retry. " << proxy.stats();
    EXPECT_EQ(proxy.stat("failed"), 0) << proxy.stats();
    EXPECT_LT(denied.seconds, 10) << denied.err;
  }
  {
    FaultProxy proxy(endpoint_, {"--deny-all"});
    CliRun denied = run_cli(cli_etl_args(db.uri(), lake_uri(), proxy.endpoint()));
    EXPECT_EQ(denied.status, 1) << denied.err;
    EXPECT_NE(denied.err.find("access denied"), std::string::npos) << denied.err;
    // The first request (the lake's check, before any source is listed)
    // fails the run, once.
    EXPECT_NE(denied.err.find("bucket '" + bucket_ + "'"), std::string::npos) << denied.err;
    EXPECT_EQ(proxy.stat("denied"), 1) << "the first request fails the run, once. " << proxy.stats();
    EXPECT_LT(denied.seconds, 5) << denied.err;
  }
  EXPECT_EQ(all_keys(std::string(kPrefix) + "/lake/"), std::vector<std::string>{}) << "no lake was written";
  EXPECT_EQ(testing::query_scalar(db.uri(), "SELECT COUNT(*) FROM information_schema.tables WHERE table_name = "
                                            "'songplays' AND table_schema = 'public'"),
            "0");
}

struct Fault {
  const char* name;
  std::vector<std::string> flags;
  const char* counter;  // the proxy's counter of this fault
};

// For test names and messages (rather than the struct's bytes).
void PrintTo(const Fault& fault, std::ostream* out) { *out << fault.name; }

class EtlS3FaultTest : public EtlS3Test, public ::testing::WithParamInterface<std::tuple<DataSet, Fault>> {
 protected:
  const DataSet& data_set() const override { return std::get<0>(GetParam()); }
  const Fault& fault() const { return std::get<1>(GetParam()); }
};

// The default retry policy (three attempts, the first retry within a
// second, the second within two) cannot be changed through Settings, so the
// rates stay low enough to keep each run within a few seconds. Failures
// count all requests: listings, the GETs of the sources, the PUTs of the
// staged lake, and the commit's HEADs, copies, deletes and markers.
TEST_P(EtlS3FaultTest, RunThroughFaultsLoadsTheSameRows) {
  upload_data();
  const Reference& expected = reference();
  FaultProxy proxy(endpoint_, fault().flags);
  TestDatabase db;
  run_from_s3(db.uri(), proxy.endpoint());
  EXPECT_GT(proxy.stat(fault().counter), 0) << "the fault happened: " << proxy.stats();
  EXPECT_EQ(first_difference(expected.warehouse, read_star_from_postgres(db.uri())), "");
  Tree s3_lake = s3_tree(std::string(kPrefix) + "/lake");
  EXPECT_EQ(names_of(expected.lake_files), names_of(s3_lake));
  EXPECT_EQ(differing_files(expected.lake_files, s3_lake), "") << "the same bytes in every file";
  EXPECT_EQ(staging_keys(), std::vector<std::string>{});
}

INSTANTIATE_TEST_SUITE_P(
    Faults, EtlS3FaultTest,
    ::testing::Combine(
        ::testing::ValuesIn(sparkify::testing::data_sets()),
        ::testing::Values(Fault{"Status503", {"--fail-every", "50", "--fail-status", "503"}, "failed"},
                          // The lake's objects alone: staged PUTs, copies, markers.
                          Fault{"Status500", {"--fail-every", "40", "--fail-status", "500", "--fail-match", "/lake/"},
                                "failed"},
                          Fault{"Delay", {"--delay-every", "10", "--delay-ms", "100"}, "delayed"},
                          // GETs with a body: the sources, and the listings.
                          Fault{"DroppedBody", {"--drop-every", "10"}, "dropped"})),
    [](const ::testing::TestParamInfo<std::tuple<DataSet, Fault>>& info) {
      return std::string(std::get<1>(info.param).name) + "On" + std::get<0>(info.param).name;
    });

TEST_P(EtlS3OnData, RetriesExhaustedWhileStagingExitOneAndCommitNothing) {
  Previous previous = load_previous();
  // One staged lake object never goes through (with --fail-every 1 the
  // proxy fails the same request every time): the warehouse is loaded and
  // transformed by then, and part of the lake is staged; all is undone.
  FaultProxy proxy(endpoint_, {"--fail-every", "1", "--fail-status", "503", "--fail-match",
                               "/\\.sparkify-staging-[^/]*/songplays/"});
  CliRun failed = run_cli(cli_etl_args(previous.db.uri(), lake_uri(), proxy.endpoint(), fewer_log_uri()));
  EXPECT_EQ(failed.status, 1) << failed.err;
  EXPECT_NE(failed.err.find("s3://" + bucket_ + "/" + kPrefix + "/lake/" + kStagingMarker), std::string::npos)
      << failed.err;
  EXPECT_NE(failed.err.find("/songplays/year=2018/month=11/part-00000.parquet: 503 SlowDown"), std::string::npos)
      << failed.err;
  EXPECT_NE(failed.err.find("gave up after 3 attempts"), std::string::npos) << failed.err;
  EXPECT_EQ(proxy.stat("failed"), 3) << proxy.stats();
  EXPECT_EQ(first_difference(previous.warehouse, read_star_from_postgres(previous.db.uri())), "")
      << "the warehouse as it was";
  EXPECT_EQ(differing_files(previous.lake, s3_tree(std::string(kPrefix) + "/lake")), "")
      << "the lake as it was, byte for byte";
  EXPECT_EQ(staging_keys(), std::vector<std::string>{}) << "the staged objects are removed";
}

// S3 has no atomic swap: a lake commit that fails half-way cannot leave the
// lake as it was. The warehouse decides the load (it commits first), so the
// run exits 3 naming what was committed; no _SUCCESS marker vouches for a
// table whose objects are a mix of two runs; and the next run completes
// the commit from the lake's journal before anything else.
TEST_P(EtlS3OnData, RetriesExhaustedInTheLakeCommitAreCompletedByTheNextRun) {
  Previous previous = load_previous();
  {
    // The copies into songs/ (not the staged PUTs) fail every time.
    FaultProxy proxy(endpoint_, {"--fail-every", "1", "--fail-status", "503", "--fail-match", "/lake/songs/year="});
    CliRun failed = run_cli(cli_etl_args(previous.db.uri(), lake_uri(), proxy.endpoint(), fewer_log_uri()));
    EXPECT_EQ(failed.status, 3) << failed.err;
    EXPECT_NE(failed.err.find("committed load"), std::string::npos) << failed.err;
    EXPECT_NE(failed.err.find("replacing " + lake_uri() + "/songs with"), std::string::npos) << failed.err;
    EXPECT_NE(failed.err.find("failed while copying"), std::string::npos) << failed.err;
    EXPECT_NE(failed.err.find("gave up after 3 attempts"), std::string::npos) << failed.err;
    EXPECT_NE(failed.err.find("the next run into this lake completes it"), std::string::npos) << failed.err;
    Tree after = s3_tree(std::string(kPrefix) + "/lake");
    EXPECT_EQ(after.count("songs/_SUCCESS"), 0u) << "the half-replaced table has no marker";
    for (const char* untouched : {"artists", "time"}) {  // committed after songs
      Tree before_table;
      Tree after_table;
      for (const auto& [name, content] : previous.lake) {
        if (name.rfind(std::string(untouched) + "/", 0) == 0) before_table[name] = content;
      }
      for (const auto& [name, content] : after) {
        if (name.rfind(std::string(untouched) + "/", 0) == 0) after_table[name] = content;
      }
      EXPECT_EQ(differing_files(before_table, after_table), "") << untouched << " as it was, marker included";
    }
  }
  // The same load again, with S3 answering: the interrupted commit is
  // completed first, then the new load commits.
  CliRun next = run_cli(cli_etl_args(previous.db.uri(), lake_uri(), endpoint_, fewer_log_uri()));
  EXPECT_EQ(next.status, 0) << next.err;
  EXPECT_NE(next.err.find("completed the interrupted commit"), std::string::npos) << next.err;
  Tree after = s3_tree(std::string(kPrefix) + "/lake");
  for (const auto& table : lake::lake_table_names()) EXPECT_EQ(after.count(table + "/_SUCCESS"), 1u) << table;
  EXPECT_EQ(after.count("_sparkify_commit"), 0u);
  EXPECT_EQ(staging_keys(), std::vector<std::string>{}) << "the staged objects are removed";
}

INSTANTIATE_TEST_SUITE_P(, EtlS3OnData, ::testing::ValuesIn(sparkify::testing::data_sets()),
                         sparkify::testing::data_set_test_name);

// What a run from S3 shows while it runs, on the fixtures.
class EtlS3ProgressTest : public EtlS3Test {
 protected:
  const DataSet& data_set() const override {
    static const DataSet fixtures = testing::fixture_data_set();
    return fixtures;
  }
};

// A slow source (every request held, one GET at a time, some failed once
// and retried): lines come while the songs are read, no more often than
// --progress-interval, with the files done of the total and the retries.
TEST_F(EtlS3ProgressTest, ASlowSourceGetsALineEveryIntervalWithTheRetriesSoFar) {
  upload_data();
  FaultProxy proxy(endpoint_, {"--delay-every", "1", "--delay-ms", "400", "--fail-every", "2", "--fail-status",
                               "503", "--fail-match", "/song_data/"});
  CliRun run = run_cli("etl --song-data " + shell_quote(song_uri()) + " --log-data " + shell_quote(log_uri()) +
                       " --lake " + shell_quote(work_ / "lake") + " --rejects " + shell_quote(work_ / "rejects.ndjson") +
                       " --s3-endpoint " + shell_quote(proxy.endpoint()) + " --s3-connections 1 --progress-interval 0.5");
  ASSERT_EQ(run.status, 0) << run.err;
  long failed = proxy.stat("failed");
  ASSERT_GT(failed, 0) << proxy.stats();
  std::vector<int64_t> song_lines;  // when each line of the running songs phase came, in ms
  bool partial_with_eta = false;
  std::string songs_end;
  std::istringstream err(run.err);
  for (std::string line; std::getline(err, line);) {
    std::optional<testing::LogLine> parsed = testing::parse_log_line(line);
    ASSERT_TRUE(parsed) << line;
    const std::string& text = parsed->text;
    if (text.rfind("songs  ", 0) != 0) continue;
    if (text.rfind("songs  done in ", 0) == 0) {
      songs_end = text;
      continue;
    }
    song_lines.push_back(parsed->milliseconds);
    partial_with_eta |= std::regex_search(text, std::regex(R"(^songs  [0-9.]+s  [1-5]/6 files .* ETA )"));
  }
  EXPECT_GE(song_lines.size(), 2u) << run.err;
  for (size_t idx = 1; idx < song_lines.size(); ++idx) {
    EXPECT_GE(song_lines[idx] - song_lines[idx - 1], 498) << run.err;
  }
  EXPECT_TRUE(partial_with_eta) << run.err;
  EXPECT_NE(songs_end.find("s  6 files  "), std::string::npos) << run.err;
  EXPECT_NE(songs_end.find("  retries " + std::to_string(failed) + "  rejects 0"), std::string::npos)
      << songs_end << "\n" << proxy.stats();
}

// The S3 secret and the warehouse's password never show, in any mode, on a
// run that succeeds.
TEST_F(EtlS3ProgressTest, SecretsNeverAppearInAnyMode) {
  upload_data();
  const std::string password = "Pr0gressPassw0rd";
  TestDatabase db;  // trust authentication: any password is accepted
  std::string target = db.uri();
  target.insert(target.find('@'), ":" + password);
  std::string args = cli_etl_args(target, work_ / "lake", endpoint_);
  for (const char* mode : {"", " --quiet", " --log-format json"}) {
    std::string out_path = work_ / "stdout.txt";
    CliRun run = run_cli(args + mode + " --progress-interval 0.1", true, out_path);
    std::string out = testing::read_text(out_path);
    EXPECT_EQ(run.status, 0) << mode << "\n" << run.err;
    EXPECT_NE(out.find("songplays"), std::string::npos) << mode << ": the summary\n" << out;
    for (const std::string& hidden : {password, std::string(kSecret)}) {
      EXPECT_EQ(run.err.find(hidden), std::string::npos) << mode << "\n" << run.err;
      EXPECT_EQ(out.find(hidden), std::string::npos) << mode << "\n" << out;
    }
  }
  std::vector<std::string> argv = {sparkify_binary(), "etl", "--song-data", song_uri(), "--log-data", log_uri(),
                                   "--target", target, "--lake", work_ / "lake", "--rejects",
                                   work_ / "rejects.ndjson", "--s3-endpoint", endpoint_};
  testing::TerminalRun live = testing::run_on_terminal(
      argv, {std::string("AWS_ACCESS_KEY_ID=") + kKeyId, std::string("AWS_SECRET_ACCESS_KEY=") + kSecret,
             "AWS_SESSION_TOKEN=", "AWS_PROFILE=", "AWS_DEFAULT_PROFILE="});
  EXPECT_EQ(live.status, 0) << live.output;
  EXPECT_NE(live.output.find("\rsongs  "), std::string::npos) << live.output;
  EXPECT_NE(live.output.find("\rwarehouse commit  "), std::string::npos) << live.output;
  EXPECT_NE(live.output.find("songplays"), std::string::npos) << "the summary: " << live.output;
  EXPECT_EQ(live.output.find(password), std::string::npos) << live.output;
  EXPECT_EQ(live.output.find(kSecret), std::string::npos) << live.output;
}

}  // namespace
}  // namespace sparkify::pipeline
