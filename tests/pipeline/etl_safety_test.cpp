// What the etl job refuses, and what it never touches: lakes that are not
// lakes, inputs inside a lake, files it did not write, a second writer,
// swapped sources, unreadable folders, and reports that tell the truth.
// Runs the CLI on small generated data, no server needed.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <map>

#include "io/local_file_system.h"
#include "model/error.h"
#include "test_support.h"

namespace sparkify::pipeline {
namespace {

namespace fs = std::filesystem;
using testing::read_text;
using testing::TempDir;
using testing::write_text;

using Outcome = testing::CliOutcome;
Outcome run_cli(const std::string& arguments) { return testing::run_sparkify(arguments); }
std::string sparkify_binary() { return std::string(SPARKIFY_BINARY_DIR) + "/src/cli/sparkify"; }

// Every file below `root`, with its content (lake bookkeeping left out).
std::map<std::string, std::string> files_of(const std::string& root) {
  std::map<std::string, std::string> files;
  if (!fs::exists(root)) return files;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (entry.is_regular_file() && !testing::is_lake_bookkeeping(entry.path())) {
      files[fs::relative(entry.path(), root).string()] = read_text(entry.path().string());
    }
  }
  return files;
}

class EtlSafetyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    data_ = work_ / "data";
    std::string generate =
        sparkify_binary() + " generate --songs 60 --events 600 --seed 3 --out " + data_ + " >/dev/null 2>&1";
    ASSERT_EQ(std::system(generate.c_str()), 0);
  }
  std::string sources() const { return " --song-data " + data_ + "/song_data --log-data " + data_ + "/log_data"; }
  std::string etl(const std::string& lake, const std::string& extra = "") const {
    return "etl" + sources() + " --lake '" + lake + "' --rejects " + (work_ / "rejects.ndjson") + extra;
  }

  TempDir work_;
  std::string data_;
};

// The lake commit once deleted any folder named like a table, the run's own
// input among them.
TEST_F(EtlSafetyTest, ALakeHoldingTheInputIsRefusedAndTheInputKept) {
  std::string folder = work_ / "d";
  fs::create_directories(folder);
  fs::copy(data_ + "/song_data", folder + "/songs", fs::copy_options::recursive);
  fs::copy(data_ + "/log_data", folder + "/time", fs::copy_options::recursive);
  auto before = files_of(folder);
  Outcome outcome = run_cli("etl --song-data " + folder + "/songs --log-data " + folder + "/time --lake " + folder +
                            " --rejects " + (work_ / "rejects.ndjson"));
  EXPECT_EQ(outcome.status, 2) << outcome.output;
  EXPECT_NE(outcome.output.find("overlap"), std::string::npos) << outcome.output;
  EXPECT_EQ(files_of(folder), before);
  // The same folder as a lake for other inputs: not a lake, refused.
  Outcome foreign = run_cli(etl(folder));
  EXPECT_EQ(foreign.status, 2) << foreign.output;
  EXPECT_NE(foreign.output.find("is not a sparkify lake"), std::string::npos) << foreign.output;
  EXPECT_EQ(files_of(folder), before);
  // A lake inside an input.
  Outcome inside = run_cli(etl(data_ + "/log_data/lake"));
  EXPECT_EQ(inside.status, 2) << inside.output;
}

TEST_F(EtlSafetyTest, AnEmptyLakePathIsRefused) {
  Outcome outcome = run_cli("etl" + sources() + " --lake '' --rejects " + (work_ / "rejects.ndjson"));
  EXPECT_EQ(outcome.status, 2) << outcome.output;
  EXPECT_NE(outcome.output.find("lake path is empty"), std::string::npos) << outcome.output;
}

// A clean run once removed whatever --rejects named.
TEST_F(EtlSafetyTest, OnlyItsOwnRejectsFilesAreEverReplacedOrRemoved) {
  std::string lake = work_ / "lake";
  write_text(work_ / "mine.txt", "precious");
  Outcome mine = run_cli("etl" + sources() + " --lake " + lake + " --rejects " + (work_ / "mine.txt"));
  EXPECT_EQ(mine.status, 2) << mine.output;
  EXPECT_EQ(read_text(work_ / "mine.txt"), "precious");
  fs::create_symlink(work_ / "mine.txt", work_ / "link.ndjson");
  EXPECT_EQ(run_cli("etl" + sources() + " --lake " + lake + " --rejects " + (work_ / "link.ndjson")).status, 2);
  fs::create_directories(work_ / "folder.ndjson");
  EXPECT_EQ(run_cli("etl" + sources() + " --lake " + lake + " --rejects " + (work_ / "folder.ndjson")).status, 2);
  EXPECT_EQ(read_text(work_ / "mine.txt"), "precious");
  EXPECT_TRUE(fs::is_directory(work_ / "folder.ndjson"));
  EXPECT_FALSE(fs::exists(lake)) << "refused before any work";
  // One of its own, from an earlier run, goes on a clean run.
  write_text(work_ / "rejects.ndjson", "{\"source\":\"old.json\",\"line\":1}\n");
  Outcome clean = run_cli(etl(lake));
  EXPECT_EQ(clean.status, 0) << clean.output;
  EXPECT_FALSE(fs::exists(work_ / "rejects.ndjson"));
}

// Swapped sources once replaced the lake with empty tables, exit 0.
TEST_F(EtlSafetyTest, SwappedSourcesFailAndChangeNothing) {
  std::string lake = work_ / "lake";
  ASSERT_EQ(run_cli(etl(lake)).status, 0);
  auto before = files_of(lake);
  Outcome swapped = run_cli("etl --song-data " + data_ + "/log_data --log-data " + data_ + "/song_data --lake " +
                            lake + " --rejects " + (work_ / "rejects.ndjson"));
  EXPECT_EQ(swapped.status, 1) << swapped.output;
  EXPECT_NE(swapped.output.find("swapped"), std::string::npos) << swapped.output;
  EXPECT_NE(swapped.output.find("holds no song record"), std::string::npos) << swapped.output;
  EXPECT_EQ(files_of(lake), before);
  // An empty source is an error too, unless the flag says it is expected.
  fs::create_directories(work_ / "no_events");
  Outcome empty = run_cli("etl --song-data " + data_ + "/song_data --log-data " + (work_ / "no_events") +
                          " --lake " + lake + " --rejects " + (work_ / "rejects.ndjson"));
  EXPECT_EQ(empty.status, 1) << empty.output;
  EXPECT_EQ(files_of(lake), before);
  Outcome allowed = run_cli("etl --song-data " + data_ + "/song_data --log-data " + (work_ / "no_events") +
                            " --lake " + lake + " --rejects " + (work_ / "rejects.ndjson") + " --allow-empty-input");
  EXPECT_EQ(allowed.status, 0) << allowed.output;
}

TEST_F(EtlSafetyTest, ASecondWriterFailsAtOnceNamingTheHolder) {
  std::string lake = work_ / "lake";
  ASSERT_EQ(run_cli(etl(lake)).status, 0);
  auto before = files_of(lake);
  io::LocalFileSystem local;
  auto held = local.try_lock(lake + "/_sparkify.lock", "sparkify process 4242 on testhost, since now\n");
  ASSERT_TRUE(held);
  Outcome second = run_cli(etl(lake));
  EXPECT_EQ(second.status, 1) << second.output;
  EXPECT_NE(second.output.find("process 4242 on testhost"), std::string::npos) << second.output;
  EXPECT_EQ(files_of(lake), before);
  held.reset();
  EXPECT_EQ(run_cli(etl(lake)).status, 0);
}

// The report once kept saying "success" after a failed run, and a report
// path that could not be written failed the run after its commit.
TEST_F(EtlSafetyTest, TheReportTellsTheTruthAndABadPathFailsBeforeAnyWork) {
  std::string lake = work_ / "lake";
  Outcome bad = run_cli(etl(lake, " --report /nonexistent/r.json"));
  EXPECT_EQ(bad.status, 2) << bad.output;
  EXPECT_FALSE(fs::exists(lake)) << "nothing was written";
  std::string report = work_ / "report.json";
  ASSERT_EQ(run_cli(etl(lake, " --report " + report)).status, 0);
  EXPECT_NE(read_text(report).find("\"status\":\"succeeded\""), std::string::npos) << read_text(report);
  EXPECT_NE(read_text(report).find("\"committed\":true"), std::string::npos) << read_text(report);
  write_text(data_ + "/log_data/broken.json", "{\"ts\": \"soon\"}\n");
  Outcome failed = run_cli(etl(lake, " --report " + report));
  EXPECT_EQ(failed.status, 1) << failed.output;
  std::string text = read_text(report);
  EXPECT_NE(text.find("\"status\":\"failed\""), std::string::npos) << text;
  EXPECT_NE(text.find("rejected"), std::string::npos) << text;
  EXPECT_EQ(text.find("\"committed\":true"), std::string::npos) << text;
}

// A full disk, as a file-size limit: writes fail with EFBIG once a file
// passes 8 KiB (the songplays file is larger; the signal that would kill
// the process is ignored, so the write itself fails, as on a full disk).
// The run exits 1 and the lake stays as it was, with no staging left.
TEST_F(EtlSafetyTest, AFullDiskFailsTheRunAndLeavesTheLakeAsItWas) {
  std::string lake = work_ / "lake";
  ASSERT_EQ(run_cli(etl(lake)).status, 0);
  auto before = files_of(lake);
  std::string command = "sh -c 'trap \"\" XFSZ; ulimit -f 8; exec " + sparkify_binary() + " " + etl(lake) +
                        "' >" + (work_ / "out") + " 2>&1";
  int raw = std::system(command.c_str());
  ASSERT_TRUE(WIFEXITED(raw));
  EXPECT_EQ(WEXITSTATUS(raw), 1) << read_text(work_ / "out");
  EXPECT_NE(read_text(work_ / "out").find("File too large"), std::string::npos) << read_text(work_ / "out");
  EXPECT_EQ(files_of(lake), before);
  for (const auto& entry : fs::directory_iterator(lake)) {
    EXPECT_NE(entry.path().filename().string().rfind(".sparkify-staging-", 0), 0u) << entry.path();
  }
  EXPECT_FALSE(fs::exists(lake + "/_sparkify_commit"));
}

// An unreadable folder once cut the input short, with exit 0.
TEST_F(EtlSafetyTest, AFolderLoopFailsNamingThePath) {
  fs::create_directory_symlink(data_ + "/log_data", data_ + "/log_data/loop");
  Outcome outcome = run_cli(etl(work_ / "lake"));
  EXPECT_EQ(outcome.status, 1) << outcome.output;
  EXPECT_NE(outcome.output.find(data_ + "/log_data/loop"), std::string::npos) << outcome.output;
  EXPECT_EQ(outcome.output.find("unexpected error"), std::string::npos) << outcome.output;
}

// A dry run prints what a real run would send and write, and touches
// nothing: no server (a port where nothing listens), no lake, no rejects.
TEST_F(EtlSafetyTest, ADryRunPrintsEveryStatementAndConnectsToNothing) {
  std::string lake = work_ / "lake";
  Outcome outcome = run_cli(etl(lake, " --target 'postgresql://etl:Sup3rS3cret@127.0.0.1:1/sparkify' --dry-run"));
  ASSERT_EQ(outcome.status, 0) << outcome.output;
  for (const char* statement :
       {"BEGIN;", "CREATE TABLE IF NOT EXISTS songplays", "TRUNCATE staging_events", "COPY staging_songs", "FROM STDIN",
        "COPY songplays", "INSERT INTO sparkify_loads", "COMMIT;"}) {
    EXPECT_NE(outcome.output.find(statement), std::string::npos) << statement << "\n" << outcome.output;
  }
  EXPECT_EQ(outcome.output.find("INSERT INTO songplays"), std::string::npos) << outcome.output;
  EXPECT_NE(outcome.output.find(lake + "/songplays/ partitioned by year month"), std::string::npos) << outcome.output;
  EXPECT_EQ(outcome.output.find("Sup3rS3cret"), std::string::npos) << outcome.output;
  EXPECT_FALSE(fs::exists(lake));
  EXPECT_FALSE(fs::exists(work_ / "rejects.ndjson"));

  // Built by the warehouse's SQL, the star is INSERTed from staging.
  outcome = run_cli("etl" + sources() + " --rejects " + (work_ / "rejects.ndjson") +
                    " --target 'postgresql://etl@127.0.0.1:1/sparkify' --transform sql --dry-run");
  ASSERT_EQ(outcome.status, 0) << outcome.output;
  EXPECT_NE(outcome.output.find("INSERT INTO songplays"), std::string::npos) << outcome.output;
  EXPECT_EQ(outcome.output.find("COPY songplays"), std::string::npos) << outcome.output;

  // An incremental run shows its ledger lookup and its merge.
  outcome = run_cli("etl" + sources() + " --rejects " + (work_ / "rejects.ndjson") +
                    " --target 'postgresql://etl@127.0.0.1:1/sparkify' --incremental --dry-run");
  ASSERT_EQ(outcome.status, 0) << outcome.output;
  for (const char* statement : {"SELECT source, size, version, whole FROM sparkify_files",
                                "CREATE TEMP TABLE sparkify_chosen", "INSERT INTO sparkify_files"}) {
    EXPECT_NE(outcome.output.find(statement), std::string::npos) << statement << "\n" << outcome.output;
  }
  EXPECT_EQ(outcome.output.find("DELETE FROM sparkify_user_days WHERE ("), std::string::npos) << outcome.output;

  // A backfill shows its window, and the merge that replaces its days.
  outcome = run_cli("etl" + sources() + " --rejects " + (work_ / "rejects.ndjson") +
                    " --target 'postgresql://etl@127.0.0.1:1/sparkify' --since 2018-11-05 --until 2018-11-06 --dry-run");
  ASSERT_EQ(outcome.status, 0) << outcome.output;
  for (const char* shown : {"-- backfill of 2018-11-05 to 2018-11-06 (UTC)",
                            "DELETE FROM sparkify_user_days WHERE (ts IS NOT NULL AND ts >= 1541376000000 AND ts < "
                            "1541548800000)"}) {
    EXPECT_NE(outcome.output.find(shown), std::string::npos) << shown << "\n" << outcome.output;
  }
  // A bad window is refused before any work.
  for (const char* window : {" --since 2018-11-31", " --since 2018-11-06 --until 2018-11-05",
                             " --until 2018-11-05 --full-refresh"}) {
    outcome = run_cli("etl" + sources() + " --target 'postgresql://etl@127.0.0.1:1/sparkify'" + window);
    EXPECT_EQ(outcome.status, 2) << window << "\n" << outcome.output;
  }

  // Its checks still come first: a lake around the input is refused.
  EXPECT_EQ(run_cli(etl(data_, " --dry-run")).status, 2);
}

}  // namespace
}  // namespace sparkify::pipeline
