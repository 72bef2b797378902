// The progress display on its own, drawing a pipeline::Progress into a
// string: what each mode prints, and how often.
#include "cli/progress_display.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <regex>
#include <sstream>
#include <thread>

namespace sparkify::cli {
namespace {

using pipeline::Progress;
using pipeline::ProgressSnapshot;
using pipeline::Tally;

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

DisplayOptions options(LogFormat format, bool terminal, bool quiet = false) {
  DisplayOptions options;
  options.format = format;
  options.terminal = terminal;
  options.quiet = quiet;
  options.terminal_fd = -1;  // 80 columns
  return options;
}

// A run in miniature: a listing, the songs read, a write, with a log line.
void run_phases(Progress& progress, std::ostream& log) {
  progress.begin_phase("list", Tally::kListing);
  progress.files_listed += 3;
  progress.bytes_listed += 3'000'000;
  progress.end_phase(false);
  log << "sources  2 song files, 1 event file\n";
  progress.songs.set_totals(2, 2'000'000);
  progress.begin_phase("songs", Tally::kSongs);
  progress.songs.add_rows(1, 0);
  progress.songs.add_file(1'000'000);
  progress.songs.add_rows(1, 1);
  progress.songs.add_file(1'000'000);
  progress.end_phase(false);
  progress.begin_phase("lake write", Tally::kTime);
  progress.end_phase(true);
}

TEST(ProgressText, SaysDoneOfTotalRateEtaRetriesAndRejects) {
  ProgressSnapshot snapshot;
  snapshot.state = ProgressSnapshot::State::kRunning;
  snapshot.phase = "events";
  snapshot.tally = Tally::kEvents;
  snapshot.seconds = 10;
  snapshot.files_done = 1234;
  snapshot.files_total = 10000;
  snapshot.bytes_done = 100'000'000;
  snapshot.bytes_total = 400'000'000;
  snapshot.rows = 1'234'567;
  snapshot.retries = 3;
  snapshot.rejects = 2;
  EXPECT_EQ(describe_progress(snapshot),
            "events  10.0s  1,234/10,000 files  100.0/400.0 MB  10.0 MB/s  ETA 30.0s  1,234,567 rows  retries 3  "
            "rejects 2");
  snapshot.state = ProgressSnapshot::State::kEnded;
  EXPECT_EQ(describe_progress(snapshot),
            "events  done in 10.0s  1,234 files  100.0 MB  10.0 MB/s  1,234,567 rows  retries 3  rejects 2");
  snapshot.tally = Tally::kTime;
  snapshot.phase = "lake write";
  snapshot.retries = 0;
  snapshot.state = ProgressSnapshot::State::kFailed;
  snapshot.seconds = 125;
  EXPECT_EQ(describe_progress(snapshot), "lake write  stopped by an error after 2:05");
  // Other phases show the run's retries where some came while they ran.
  snapshot.retries = 5;
  snapshot.retries_before = 5;
  EXPECT_EQ(describe_progress(snapshot), "lake write  stopped by an error after 2:05");
  snapshot.retries_before = 4;
  EXPECT_EQ(describe_progress(snapshot), "lake write  stopped by an error after 2:05  retries 5");
  // Small sizes in kB.
  snapshot.tally = Tally::kListing;
  snapshot.phase = "list";
  snapshot.files_done = 6;
  snapshot.bytes_done = 12'345;
  snapshot.keys_listed = 7;
  snapshot.state = ProgressSnapshot::State::kRunning;
  snapshot.seconds = 0.5;
  EXPECT_EQ(describe_progress(snapshot), "list  0.5s  6 files (12.3 kB) found  7 keys listed  retries 5");
}

TEST(ProgressText, JsonHasTheCounts) {
  ProgressSnapshot snapshot;
  snapshot.state = ProgressSnapshot::State::kRunning;
  snapshot.phase = "songs";
  snapshot.tally = Tally::kSongs;
  snapshot.seconds = 2;
  snapshot.files_done = 1;
  snapshot.files_total = 4;
  snapshot.bytes_done = 10;
  snapshot.bytes_total = 40;
  snapshot.step = "a \"quoted\" step";
  simdjson::dom::parser parser;
  simdjson::dom::element doc = parser.parse(progress_json(snapshot, "2026-01-01T00:00:00.000Z"));
  EXPECT_EQ(std::string_view(doc["phase"]), "songs");
  EXPECT_EQ(std::string_view(doc["state"]), "running");
  EXPECT_EQ(int64_t(doc["files_total"]), 4);
  EXPECT_EQ(double(doc["eta_seconds"]), 6.0);
  EXPECT_EQ(std::string_view(doc["step"]), "a \"quoted\" step");
}

TEST(ProgressText, UtcTimestamp) {
  EXPECT_EQ(utc_timestamp(std::chrono::system_clock::time_point(std::chrono::milliseconds(1'700'000'000'123))),
            "2023-11-14T22:13:20.123Z");
}

TEST(ProgressDisplay, LinesAreTimestampedOnePerPhaseWithoutCarriageReturns) {
  std::ostringstream out;
  Progress progress;
  {
    ProgressDisplay display(progress, options(LogFormat::kText, false), out);
    run_phases(progress, display.log());
    display.stop();
    display.error("it failed");
  }
  std::regex timestamped(R"(^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z .+)");
  auto lines = lines_of(out.str());
  ASSERT_EQ(lines.size(), 5u) << out.str();
  for (const auto& line : lines) EXPECT_TRUE(std::regex_match(line, timestamped)) << line;
  EXPECT_EQ(out.str().find('\r'), std::string::npos);
  EXPECT_EQ(out.str().find('\x1b'), std::string::npos);
  EXPECT_NE(lines[0].find(" list  done in 0.0s  3 files (3.0 MB) found"), std::string::npos) << lines[0];
  EXPECT_NE(lines[1].find(" sources  2 song files"), std::string::npos) << lines[1];
  EXPECT_NE(lines[2].find(" songs  done in 0.0s  2 files  2.0 MB  "), std::string::npos) << lines[2];
  EXPECT_NE(lines[2].find("  2 rows  retries 0  rejects 1"), std::string::npos) << lines[2];
  EXPECT_NE(lines[3].find(" lake write  stopped by an error after 0.0s"), std::string::npos) << lines[3];
  EXPECT_NE(lines[4].find(" sparkify: it failed"), std::string::npos) << lines[4];
}

TEST(ProgressDisplay, ARunningPhaseGetsALineEveryIntervalAndNoMoreOften) {
  std::ostringstream out;
  Progress progress;
  DisplayOptions slow = options(LogFormat::kText, false);
  slow.interval = std::chrono::milliseconds(100);
  {
    ProgressDisplay display(progress, slow, out);
    progress.begin_phase("events", Tally::kEvents);
    std::this_thread::sleep_for(std::chrono::milliseconds(550));
    progress.end_phase(false);
  }
  auto lines = lines_of(out.str());
  // At 100, 200, … 500 ms (a loaded machine may skip some), then the end.
  ASSERT_GE(lines.size(), 3u) << out.str();
  EXPECT_LE(lines.size(), 6u) << out.str();
  for (size_t idx = 0; idx + 1 < lines.size(); ++idx) {
    EXPECT_NE(lines[idx].find("0/0 files"), std::string::npos) << lines[idx];
  }
  EXPECT_NE(lines.back().find("done in"), std::string::npos) << lines.back();
}

TEST(ProgressDisplay, LiveDrawsAStatusLineInPlaceAndErasesItAtTheEnd) {
  std::ostringstream out;
  Progress progress;
  {
    ProgressDisplay display(progress, options(LogFormat::kText, true), out);
    run_phases(progress, display.log());
    display.stop();
  }
  std::string text = out.str();
  EXPECT_NE(text.find("\rlist  0.0s  0 files (0.0 kB) found\x1b[K"), std::string::npos) << text;
  EXPECT_NE(text.find("\rsongs  0.0s  0/2 files"), std::string::npos) << text;
  EXPECT_NE(text.find("\rsongs  done in 0.0s  2 files  2.0 MB"), std::string::npos) << text;
  // The log line goes above the status line, which comes back below it.
  size_t log_at = text.find("sources  2 song files, 1 event file\n");
  ASSERT_NE(log_at, std::string::npos) << text;
  EXPECT_EQ(text.rfind("\r\x1b[K", log_at), log_at - 4) << text;
  EXPECT_EQ(text.find("\rlist", log_at), log_at + 36) << text;
  // Erased last, and nothing timestamped.
  EXPECT_EQ(text.substr(text.size() - 4), "\r\x1b[K") << text;
  EXPECT_EQ(text.find("Z "), std::string::npos) << text;
}

TEST(ProgressDisplay, LiveCutsTheStatusLineToTheTerminal) {
  std::ostringstream out;
  Progress progress;
  {
    ProgressDisplay display(progress, options(LogFormat::kText, true), out);
    progress.begin_phase(std::string(200, 'x'), Tally::kTime);
  }
  EXPECT_NE(out.str().find("\r" + std::string(79, 'x') + "\x1b[K"), std::string::npos) << out.str();
}

TEST(ProgressDisplay, JsonIsOneObjectALine) {
  std::ostringstream out;
  Progress progress;
  {
    ProgressDisplay display(progress, options(LogFormat::kJson, true), out);
    run_phases(progress, display.log());
    display.stop();
    display.error("it \"failed\"");
  }
  simdjson::dom::parser parser;
  auto lines = lines_of(out.str());
  ASSERT_EQ(lines.size(), 5u) << out.str();
  std::vector<std::string> events;
  for (const auto& line : lines) {
    simdjson::dom::element doc;
    ASSERT_EQ(parser.parse(line).get(doc), simdjson::SUCCESS) << line;
    ASSERT_TRUE(doc.is_object()) << line;
    EXPECT_EQ(std::string_view(doc["time"]).size(), 24u) << line;
    events.emplace_back(std::string_view(doc["event"]));
  }
  EXPECT_EQ(events, (std::vector<std::string>{"phase", "log", "phase", "phase", "error"}));
  EXPECT_NE(lines[2].find(R"("files_done":2,"files_total":2,"bytes_done":2000000)"), std::string::npos) << lines[2];
  EXPECT_NE(lines[3].find(R"("state":"failed")"), std::string::npos) << lines[3];
  EXPECT_NE(lines[4].find(R"("message":"it \"failed\"")"), std::string::npos) << lines[4];
}

TEST(ProgressDisplay, QuietShowsErrorsOnly) {
  for (bool terminal : {false, true}) {
    std::ostringstream out;
    Progress progress;
    {
      ProgressDisplay display(progress, options(LogFormat::kText, terminal, true), out);
      run_phases(progress, display.log());
      display.stop();
      display.error("it failed");
    }
    auto lines = lines_of(out.str());
    ASSERT_EQ(lines.size(), 1u) << out.str();
    EXPECT_EQ(lines[0].substr(lines[0].size() - 19), "sparkify: it failed") << lines[0];
  }
}

}  // namespace
}  // namespace sparkify::cli
