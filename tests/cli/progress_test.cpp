// What the sparkify binary shows while it runs: a live status line on a
// terminal (run here on a pseudo-terminal), timestamped lines in a pipe,
// --quiet, --log-format json; and never a secret, in any of them.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <algorithm>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "support/terminal.h"
#include "test_support.h"

namespace sparkify::cli {
namespace {

using testing::read_text;
using testing::TempDir;

const std::string kBinary = std::string(SPARKIFY_BINARY_DIR) + "/src/cli/sparkify";
// The phases of a lake run, each ended by a line of its own.
const std::set<std::string> kLakePhases = {"list",       "songs",         "events",     "lake build",
                                           "lake write", "match figures", "lake commit"};

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

struct Streams {
  int status = -1;
  std::string out;
  std::string err;
};

// Runs the binary with `args` (shell words), stdout and stderr each into a
// pipe of its own, as under cron or a CI runner; `environment` ("NAME=value
// …") is set for it.
Streams run_piped(const std::string& args, const std::string& environment = "") {
  TempDir dir;
  std::string command = "{ { env " + environment + " " + kBinary + " " + args + " </dev/null; echo $? >" +
                        (dir / "status") + "; } 2>&1 1>&3 | cat >" + (dir / "err") + "; } 3>&1 | cat >" + (dir / "out");
  std::system(command.c_str());
  Streams streams;
  std::string status = read_text(dir / "status");
  streams.status = status.empty() ? -1 : std::stoi(status);
  streams.out = read_text(dir / "out");
  streams.err = read_text(dir / "err");
  return streams;
}

// Generated input, shared by the tests: kSongs song files, a few event
// files.
constexpr int kSongs = 3000;

class ProgressCli : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    data_ = new TempDir(testing::memory_temp_parent());
    std::string command = kBinary + " generate --songs " + std::to_string(kSongs) + " --events 30000 --seed 3 --out " +
                          (*data_ / "data") + " >/dev/null 2>&1";
    ASSERT_EQ(std::system(command.c_str()), 0);
  }
  static void TearDownTestSuite() {
    delete data_;
    data_ = nullptr;
  }

  // The arguments of a lake run of the generated data into this test's
  // folder.
  std::string lake_run(const std::string& more = "") const {
    return "etl --song-data " + (*data_ / "data/song_data") + " --log-data " + (*data_ / "data/log_data") + " --lake " +
           (work_ / "lake") + " --rejects " + (work_ / "rejects.ndjson") + " " + more;
  }
  std::vector<std::string> lake_run_argv(const std::vector<std::string>& more = {}) const {
    std::vector<std::string> argv = {
        kBinary,  "etl",          "--song-data", *data_ / "data/song_data", "--log-data", *data_ / "data/log_data",
        "--lake", work_ / "lake", "--rejects",   work_ / "rejects.ndjson"};
    argv.insert(argv.end(), more.begin(), more.end());
    return argv;
  }

  static TempDir* data_;
  TempDir work_{testing::memory_temp_parent()};
};

TempDir* ProgressCli::data_ = nullptr;

TEST_F(ProgressCli, OnATerminalAStatusLineIsRedrawnInPlaceAndTheSummaryStays) {
  testing::TerminalRun run = testing::run_on_terminal(lake_run_argv({"--threads", "2"}));
  ASSERT_EQ(run.status, 0) << run.output;
  const std::string& out = run.output;
  // Drawn when each phase begins, redrawn in place (a carriage return that
  // is not ONLCR's, and erase-line) as it goes and when it ends.
  for (const char* phase : {"list", "songs", "events", "lake build", "lake write", "lake commit"}) {
    EXPECT_NE(out.find("\r" + std::string(phase) + "  "), std::string::npos) << phase << "\n" << out;
    EXPECT_NE(out.find("\r" + std::string(phase) + "  ", 0), out.rfind("\r" + std::string(phase) + "  "))
        << phase << " drawn once only";
  }
  EXPECT_NE(out.find("\rsongs  0.0s  0/3,000 files  0.0/"), std::string::npos) << out;
  EXPECT_NE(out.find("\rsongs  done in "), std::string::npos) << out;
  EXPECT_NE(out.find("\x1b[K"), std::string::npos) << out;
  EXPECT_EQ(out.find("Z list"), std::string::npos) << "no timestamps on a terminal";

  std::vector<std::string> screen = testing::terminal_screen(out);
  ASSERT_FALSE(screen.empty()) << out;
  std::string shown;
  for (const auto& line : screen) shown += line + "\n";
  // The summary stays, last; no status line is left over.
  EXPECT_EQ(screen.back().rfind("time ", 0), 0u) << shown;
  EXPECT_NE(shown.find("\nread     3000 song files"), std::string::npos) << shown;
  for (const char* leftover : {"done in", "ETA", "B/s", "files  "}) {
    EXPECT_EQ(shown.find(leftover), std::string::npos) << leftover << "\n" << shown;
  }
  // Log lines stay above.
  EXPECT_NE(shown.find("sources  3000 song files"), std::string::npos) << shown;
}

TEST_F(ProgressCli, InAPipeEveryLineIsTimestampedAndComesEveryInterval) {
  constexpr int64_t kIntervalMs = 100;
  Streams run = run_piped(lake_run("--threads 1 --progress-interval 0.1"));
  ASSERT_EQ(run.status, 0) << run.err;
  EXPECT_EQ(run.err.find('\r'), std::string::npos) << run.err;
  EXPECT_EQ(run.err.find('\x1b'), std::string::npos) << run.err;
  struct Phase {
    std::vector<int64_t> running;  // when each line of the running phase came (ms)
    int ends = 0;
    double seconds = 0;  // its time, from its last line
  };
  std::map<std::string, Phase> phases;
  const std::regex done_in(R"(^[a-z ]+  done in (\d+\.\d)s)");
  for (const auto& line : lines_of(run.err)) {
    std::optional<testing::LogLine> parsed = testing::parse_log_line(line);
    ASSERT_TRUE(parsed) << line;
    const std::string& text = parsed->text;
    std::string name = text.substr(0, text.find("  "));
    if (kLakePhases.count(name) == 0) continue;  // a log line
    Phase& phase = phases[name];
    if (std::smatch end; std::regex_search(text, end, done_in)) {
      ++phase.ends;
      phase.seconds = std::stod(end[1]);
    } else {
      phase.running.push_back(parsed->milliseconds);
    }
  }
  double longest = 0;
  for (const auto& name : kLakePhases) {
    const Phase& phase = phases[name];
    EXPECT_EQ(phase.ends, 1) << name << "\n" << run.err;
    longest = std::max(longest, phase.seconds);
    // At most one line an interval (the timestamps are taken as the lines
    // are written: allow their rounding) …
    for (size_t idx = 1; idx < phase.running.size(); ++idx) {
      EXPECT_GE(phase.running[idx] - phase.running[idx - 1], kIntervalMs - 2) << name << "\n" << run.err;
    }
    // … and about one each interval while the phase runs (a busy machine
    // may let one or two slip).
    auto due = static_cast<size_t>(phase.seconds * 1000 / kIntervalMs);
    EXPECT_GE(phase.running.size() + 2, due) << name << "\n" << run.err;
    EXPECT_LE(phase.running.size(), due + 1) << name << "\n" << run.err;
  }
  // Where a phase ran for several intervals (writing kSongs partition
  // folders does, on all but the fastest disks), lines came while it ran,
  // not only at its end. (EtlS3ProgressTest holds a source back to see
  // that on any machine.)
  size_t periodic = 0;
  for (const auto& [name, phase] : phases) periodic += phase.running.size();
  if (longest >= 0.3) {
    EXPECT_GE(periodic, 2u) << run.err;
  }
  // The summary on stdout, as on a terminal.
  EXPECT_NE(run.out.find("read     3000 song files"), std::string::npos) << run.out;
}

TEST_F(ProgressCli, QuietPrintsTheSummaryAndErrorsOnly) {
  Streams run = run_piped(lake_run("--quiet"));
  ASSERT_EQ(run.status, 0) << run.err;
  EXPECT_EQ(run.err, "");
  EXPECT_NE(run.out.find("read     3000 song files"), std::string::npos) << run.out;
  testing::TerminalRun on_terminal = testing::run_on_terminal(lake_run_argv({"-q"}));
  ASSERT_EQ(on_terminal.status, 0) << on_terminal.output;
  EXPECT_EQ(on_terminal.output.find("\x1b[K"), std::string::npos) << on_terminal.output;
  EXPECT_EQ(on_terminal.output.rfind("read     3000 song files", 0), 0u) << on_terminal.output;

  Streams failed = run_piped("etl --quiet --song-data " + (work_ / "none") + " --log-data " + (work_ / "none") +
                             " --lake " + (work_ / "lake2"));
  EXPECT_EQ(failed.status, 2);
  auto lines = lines_of(failed.err);
  ASSERT_EQ(lines.size(), 1u) << failed.err;
  EXPECT_TRUE(testing::parse_log_line(lines[0])) << lines[0];
  EXPECT_NE(lines[0].find(" sparkify: "), std::string::npos) << lines[0];
  EXPECT_EQ(failed.out, "");
}

TEST_F(ProgressCli, JsonLogsAreOneObjectALine) {
  Streams run = run_piped(lake_run("--log-format json --progress-interval 0.2"));
  ASSERT_EQ(run.status, 0) << run.err;
  simdjson::dom::parser parser;
  std::set<std::string> phases_ended;
  size_t log_lines = 0;
  for (const auto& line : lines_of(run.err)) {
    simdjson::dom::element doc;
    ASSERT_EQ(parser.parse(line).get(doc), simdjson::SUCCESS) << line;
    ASSERT_TRUE(doc.is_object()) << line;
    std::string_view time;
    ASSERT_EQ(doc["time"].get(time), simdjson::SUCCESS) << line;
    std::string_view event = doc["event"];
    if (event == "log") ++log_lines;
    if (event == "phase" && std::string_view(doc["state"]) == "ended") {
      phases_ended.emplace(std::string_view(doc["phase"]));
      if (std::string_view(doc["phase"]) == "songs") {
        EXPECT_EQ(int64_t(doc["files_done"]), kSongs) << line;
        EXPECT_EQ(int64_t(doc["files_total"]), kSongs) << line;
        EXPECT_EQ(int64_t(doc["rows"]), kSongs) << line;
        EXPECT_EQ(int64_t(doc["retries"]), 0) << line;
      }
    }
  }
  EXPECT_EQ(phases_ended, kLakePhases) << run.err;
  EXPECT_GE(log_lines, 1u) << run.err;
  // The summary on stdout is the run report, one object.
  simdjson::dom::element report;
  ASSERT_EQ(parser.parse(run.out).get(report), simdjson::SUCCESS) << run.out;
  EXPECT_EQ(std::string_view(report["status"]), "succeeded");
  EXPECT_EQ(int64_t(report["song_files"]), kSongs);

  Streams failed = run_piped("etl --log-format json --song-data " + (work_ / "none") + " --log-data " +
                             (work_ / "none") + " --lake " + (work_ / "lake2"));
  EXPECT_EQ(failed.status, 2);
  auto lines = lines_of(failed.err);
  ASSERT_EQ(lines.size(), 1u) << failed.err;
  simdjson::dom::element error;
  ASSERT_EQ(parser.parse(lines[0]).get(error), simdjson::SUCCESS) << lines[0];
  EXPECT_EQ(std::string_view(error["event"]), "error");
  EXPECT_NE(std::string_view(error["message"]).find(work_ / "none"), std::string_view::npos) << lines[0];
}

TEST_F(ProgressCli, SecretsNeverAppearInAnyMode) {
  const std::string password = "Sup3rS3cretPw";
  const std::string key_id = "AKIAPROGRESSTEST";
  const std::string secret = "wJalrXUtnFEMIprogressSECRET";
  const std::string credentials = "AWS_ACCESS_KEY_ID=" + key_id + " AWS_SECRET_ACCESS_KEY=" + secret +
                                  " AWS_SESSION_TOKEN= AWS_PROFILE= AWS_DEFAULT_PROFILE= AWS_ENDPOINT_URL=";
  // A warehouse with a password that does not answer; sources on an S3
  // endpoint that does not answer.
  const std::string to_warehouse =
      lake_run("--target 'postgresql://etl:" + password + "@127.0.0.1:1/dwh' --connect-timeout 2");
  const std::string from_s3 =
      "etl --song-data s3://bucket/songs --log-data s3://bucket/logs --s3-endpoint "
      "http://127.0.0.1:1 --s3-max-attempts 1 --lake " +
      (work_ / "lake2") + " --rejects " + (work_ / "rejects.ndjson");
  for (const std::string& args : {to_warehouse, from_s3}) {
    for (const char* mode : {"", "--quiet", "--log-format json", "--progress-interval 0.1"}) {
      Streams run = run_piped(args + " " + mode, credentials);
      EXPECT_EQ(run.status, 1) << args << " " << mode << "\n" << run.err;
      for (const std::string& hidden : {password, key_id, secret}) {
        EXPECT_EQ(run.err.find(hidden), std::string::npos) << mode << "\n" << run.err;
        EXPECT_EQ(run.out.find(hidden), std::string::npos) << mode << "\n" << run.out;
      }
    }
  }
  std::vector<std::string> live = {kBinary,
                                   "etl",
                                   "--song-data",
                                   "s3://bucket/songs",
                                   "--log-data",
                                   "s3://bucket/logs",
                                   "--s3-endpoint",
                                   "http://127.0.0.1:1",
                                   "--s3-max-attempts",
                                   "1",
                                   "--lake",
                                   work_ / "lake2"};
  testing::TerminalRun run = testing::run_on_terminal(
      live, {"AWS_ACCESS_KEY_ID=" + key_id, "AWS_SECRET_ACCESS_KEY=" + secret, "AWS_PROFILE=", "AWS_ENDPOINT_URL="});
  EXPECT_EQ(run.status, 1) << run.output;
  EXPECT_EQ(run.output.find(secret), std::string::npos) << run.output;
  EXPECT_EQ(run.output.find(key_id), std::string::npos) << run.output;
}

}  // namespace
}  // namespace sparkify::cli
