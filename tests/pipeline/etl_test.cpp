// run_etl with fake sinks that record every call: the order of the life
// cycle, the reject limit, and the two-phase commit across sinks (the
// deciding sink first; what a failure on either side of the decision does).
#include "pipeline/etl.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>

#include "model/error.h"
#include "test_support.h"

namespace sparkify::pipeline {
namespace {

using testing::TempDir;
using testing::write_text;

using CallLog = std::vector<std::string>;

// Records each call as "<name>.<call>"; fails the calls it is told to.
class FakeSink final : public Sink {
 public:
  FakeSink(std::string name, bool decides, CallLog& log, SinkInput input = SinkInput::kRecordsSongsFirst)
      : name_(std::move(name)), decides_(decides), log_(log), input_(input) {}

  std::string name() const override { return name_; }
  SinkInput input() const override { return input_; }
  void begin(const LoadDescription& load) override {
    record("begin");
    load_ = load;
    if (ask_on_begin) answer = load.oracle(ask_on_begin->first, ask_on_begin->second);
  }
  void write_songs(const std::vector<model::SongRecord>& songs) override { songs_ += songs.size(); }
  void end_songs() override { record("end_songs"); }
  void write_events(const std::vector<model::EventRecord>& events) override { events_ += events.size(); }
  void end_events() override { record("end_events"); }
  model::TableCounts prepare(RunSummary&) override {
    record("prepare");
    model::TableCounts counts;
    counts.staging_songs = static_cast<int64_t>(songs_);
    counts.staging_events = static_cast<int64_t>(events_);
    return counts;
  }
  std::vector<quality::CheckResult> check(const std::vector<quality::Check>& checks) override {
    record("check");
    std::vector<quality::CheckResult> results;
    for (const auto& check : checks) {
      quality::CheckResult result;
      result.name = check.name;
      results.push_back(result);
    }
    if (!results.empty() && fail_check) results.front().passed = false;
    return results;
  }
  bool decides_commits() const override { return decides_; }
  bool has_committed(const std::string& load_id) override {
    record("has_committed " + load_id);
    return true;
  }
  void intend_commit(const LoadTicket& ticket) override {
    record("intend");
    ticket_ = ticket;
  }
  void commit(const LoadTicket&, RunSummary&) override {
    record("commit");
    if (commit_error) std::rethrow_exception(commit_error);
  }
  void abort() noexcept override { record("abort"); }
  void abort_undecided() noexcept override { record("abort_undecided"); }
  model::Rejects load_sources(const SourceFiles& files, RunSummary&) override {
    record("load_sources " + std::to_string(files.songs.size()) + "+" + std::to_string(files.events.size()));
    return source_rejects;
  }
  void rehearse(const LoadDescription&, std::ostream& out) override { out << name_ << " rehearsed\n"; }

  model::Rejects source_rejects;
  bool fail_check = false;
  std::exception_ptr commit_error;
  std::optional<std::pair<std::string, std::string>> ask_on_begin;  // (decided_by, load id)
  std::optional<bool> answer;
  LoadTicket ticket_;
  LoadDescription load_;
  size_t songs_ = 0;
  size_t events_ = 0;

 private:
  void record(const std::string& call) { log_.push_back(name_ + "." + call); }
  std::string name_;
  bool decides_;
  CallLog& log_;
  SinkInput input_;
};

class EtlTest : public ::testing::Test {
 protected:
  void SetUp() override {
    write_text(work_ / "songs/a.json", R"({"song_id":"S1","title":"T","artist_id":"A1","artist_name":"N"})");
    write_text(work_ / "logs/a.json", R"({"ts":1541990000000,"page":"NextSong","userId":"7"})"
                                      "\n"
                                      R"({"ts":1541990001000,"page":"Home","userId":"7"})"
                                      "\n");
    settings_.song_data = work_ / "songs";
    settings_.log_data = work_ / "logs";
    settings_.rejects_path = work_ / "rejects.ndjson";
    settings_.threads = 2;
  }

  FakeSink& add(const std::string& name, bool decides, SinkInput input = SinkInput::kRecordsSongsFirst) {
    auto sink = std::make_unique<FakeSink>(name, decides, calls_, input);
    FakeSink& ref = *sink;
    sinks_.push_back(std::move(sink));
    return ref;
  }

  RunSummary run() {
    FileSystems file_systems(settings_);
    std::ostringstream log;
    return run_etl(settings_, file_systems, sinks_, log);
  }

  // The calls that are not the feeding's ends, in order.
  CallLog steps() const {
    CallLog out;
    std::copy_if(calls_.begin(), calls_.end(), std::back_inserter(out), [](const std::string& call) {
      return call.find("end_songs") == std::string::npos && call.find("end_events") == std::string::npos;
    });
    return out;
  }

  TempDir work_;
  config::Settings settings_;
  CallLog calls_;
  std::vector<std::unique_ptr<Sink>> sinks_;
};

TEST_F(EtlTest, TheDecidingSinkBeginsFirstAndCommitsBeforeTheOthers) {
  add("warehouse", true);
  add("lake", false);
  RunSummary summary = run();
  EXPECT_EQ(steps(), (CallLog{"warehouse.begin", "lake.begin", "warehouse.prepare", "lake.prepare",
                              "warehouse.intend", "lake.intend", "warehouse.commit", "lake.commit"}));
  ASSERT_EQ(summary.targets.size(), 2u);
  EXPECT_TRUE(summary.targets[0].committed);
  EXPECT_TRUE(summary.targets[1].committed);
  EXPECT_EQ(summary.targets[0].counts.staging_events, 2);
  EXPECT_EQ(summary.targets[1].counts.staging_songs, 1);
  const auto& lake = static_cast<FakeSink&>(*sinks_[1]);
  EXPECT_EQ(lake.ticket_.decided_by, "warehouse") << "the lake's journal names the decider";
  EXPECT_FALSE(lake.ticket_.id.empty());
}

// Records go to the sinks that take them, songs first when one needs that;
// a sink that loads the sources itself gets their locations and no record.
TEST_F(EtlTest, EachSinkGetsWhatItTakes) {
  FakeSink& any_order = add("warehouse", true, SinkInput::kRecordsAnyOrder);
  FakeSink& locations = add("cluster", false, SinkInput::kSourceLocations);
  run();
  EXPECT_EQ(any_order.songs_, 1u);
  EXPECT_EQ(any_order.events_, 2u);
  EXPECT_EQ(locations.songs_ + locations.events_, 0u);
  EXPECT_EQ(locations.load_.song_data, work_ / "songs");
  EXPECT_EQ(locations.load_.log_data, work_ / "logs");
  // With no song-first sink the events come first; with one, the songs.
  auto position = [&](const std::string& call) { return std::find(calls_.begin(), calls_.end(), call) - calls_.begin(); };
  EXPECT_LT(position("warehouse.end_events"), position("warehouse.end_songs"));
  EXPECT_EQ(std::count(calls_.begin(), calls_.end(), "cluster.end_songs"), 0);
  sinks_.clear();
  calls_.clear();
  add("warehouse", true, SinkInput::kRecordsAnyOrder);
  add("lake", false);
  run();
  EXPECT_LT(position("warehouse.end_songs"), position("warehouse.end_events"));
  // With only a locations sink nothing is read, so swapped sources cannot be
  // told here: the server that loads them reports what it finds.
  sinks_.clear();
  FakeSink& only = add("cluster", true, SinkInput::kSourceLocations);
  settings_.song_data = work_ / "logs";
  run();
  EXPECT_EQ(only.songs_ + only.events_, 0u);
}

TEST_F(EtlTest, WithoutADeciderTheLakeDecidesItself) {
  add("lake", false);
  run();
  EXPECT_EQ(steps(), (CallLog{"lake.begin", "lake.prepare", "lake.intend", "lake.commit"}));
  EXPECT_EQ(static_cast<FakeSink&>(*sinks_[0]).ticket_.decided_by, "");
}

TEST_F(EtlTest, RejectsOverTheLimitAbortEverySinkAndCommitNone) {
  write_text(work_ / "logs/b.json", "{\"ts\": \"soon\"}\n");
  add("warehouse", true);
  add("lake", false);
  EXPECT_THROW(run(), JobError);
  EXPECT_EQ(steps(), (CallLog{"warehouse.begin", "lake.begin", "warehouse.abort", "lake.abort"}));
  settings_.max_errors = 1;
  calls_.clear();
  run();
  EXPECT_EQ(std::count(calls_.begin(), calls_.end(), "lake.commit"), 1);
}

// A server's refusal of COMMIT (it carries a SQLSTATE) means it rolled
// back: the others undo. A connection lost during COMMIT leaves the outcome
// unknown: the others keep what lets the next run ask.
TEST_F(EtlTest, AFailedDecisionUndoesTheOthersOrLeavesThemForTheNextRun) {
  FakeSink& warehouse = add("warehouse", true);
  add("lake", false);
  warehouse.commit_error = std::make_exception_ptr(WarehouseError("serialization failure", "40001"));
  EXPECT_THROW(run(), WarehouseError);
  EXPECT_EQ(steps().back(), "lake.abort");
  EXPECT_EQ(std::count(calls_.begin(), calls_.end(), "lake.commit"), 0);

  calls_.clear();
  warehouse.commit_error = std::make_exception_ptr(WarehouseError("server closed the connection", ""));
  EXPECT_THROW(run(), WarehouseError);
  EXPECT_EQ(steps().back(), "lake.abort_undecided");
  EXPECT_EQ(std::count(calls_.begin(), calls_.end(), "lake.commit"), 0);
}

TEST_F(EtlTest, AFailureAfterTheDecisionIsAnIncompleteCommit) {
  add("warehouse", true);
  FakeSink& lake = add("lake", false);
  lake.commit_error = std::make_exception_ptr(IoError("cannot swap into place"));
  try {
    run();
    FAIL() << "a lake commit that failed after the warehouse's went unreported";
  } catch (const IncompleteCommitError& error) {
    EXPECT_NE(std::string(error.what()).find("the warehouse warehouse committed load"), std::string::npos)
        << error.what();
    EXPECT_NE(std::string(error.what()).find("cannot swap into place"), std::string::npos) << error.what();
  }
  EXPECT_EQ(std::count(calls_.begin(), calls_.end(), "lake.abort"), 0) << "nothing to undo after the decision";
}

TEST_F(EtlTest, AnInterruptedLoadIsSettledByAskingItsDecider) {
  add("warehouse", true);
  FakeSink& lake = add("lake", false);
  lake.ask_on_begin = {{"warehouse", "load-7"}};
  run();
  EXPECT_EQ(lake.answer, true);
  EXPECT_NE(std::find(calls_.begin(), calls_.end(), "warehouse.has_committed load-7"), calls_.end());
  // A load another warehouse decided cannot be settled by this run.
  sinks_.clear();
  add("warehouse", true);
  FakeSink& other = add("lake", false);
  other.ask_on_begin = {{"etl@elsewhere:5432/dwh", "load-8"}};
  EXPECT_THROW(run(), UsageError);
}

}  // namespace
}  // namespace sparkify::pipeline
