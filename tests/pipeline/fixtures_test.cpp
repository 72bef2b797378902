// The extract and the in-process star builder on the project's own fixtures,
// with no server: every row the contract gives (support/data_sets.cpp); and
// each broken input of tests/fixtures/broken/ rejected with the message the
// tool must give.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <sstream>
#include <thread>

#include "io/local_file_system.h"
#include "model/error.h"
#include "pipeline/etl.h"
#include "pipeline/extract.h"
#include "support/data_sets.h"
#include "support/star_compare.h"
#include "test_support.h"
#include "transform/star_builder.h"

namespace sparkify::pipeline {
namespace {

namespace fs = std::filesystem;
using testing::DataSet;
using testing::TempDir;

TEST(ExtractAndBuild, FixturesGiveTheContractsRows) {
  DataSet data = testing::fixture_data_set();
  io::LocalFileSystem fs;
  transform::StarBuilder builder;
  ExtractStats songs = extract_songs(fs, fs.list(data.song_data(), source_suffixes()), 2,
                                     [&](FileBatch<model::SongRecord>& batch) { builder.add_songs(batch.records); });
  builder.finish_songs();
  ExtractStats events = extract_events(fs, fs.list(data.log_data(), source_suffixes()), 2,
                                       [&](FileBatch<model::EventRecord>& batch) { builder.add_events(batch.records); });
  builder.finish();
  EXPECT_EQ(songs.files, data.song_files);
  EXPECT_EQ(events.files, data.event_files);
  EXPECT_EQ(events.records, data.events);
  EXPECT_EQ(songs.rejects + events.rejects, 0u);
  EXPECT_EQ(testing::first_difference(testing::fixture_star(), builder.to_star_schema()), "");
}

// Events taken on the reading threads, each call with a shard no other call
// holds meanwhile, build the same rows; more readers than shards wait
// their turn.
TEST(ExtractAndBuild, EventsInShardsGiveTheContractsRows) {
  DataSet data = testing::fixture_data_set();
  io::LocalFileSystem fs;
  transform::StarBuilder builder;
  extract_songs(fs, fs.list(data.song_data(), source_suffixes()), 2,
                [&](FileBatch<model::SongRecord>& batch) { builder.add_songs(batch.records); });
  builder.finish_songs();
  constexpr size_t kShards = 2;
  builder.set_event_shards(kShards);
  std::array<std::atomic<int>, kShards> holders{};
  std::atomic<bool> shared{false};
  std::atomic<bool> out_of_range{false};
  ExtractStats events = extract_events_in_shards(fs, fs.list(data.log_data(), source_suffixes()), 4, kShards,
                                                 [&](size_t shard, FileBatch<model::EventRecord>& batch) {
                                                   if (shard >= kShards) {
                                                     out_of_range = true;
                                                     return;
                                                   }
                                                   if (holders[shard]++ != 0) shared = true;
                                                   std::this_thread::sleep_for(std::chrono::milliseconds(2));
                                                   builder.add_events(shard, batch.records);
                                                   --holders[shard];
                                                 });
  builder.finish();
  EXPECT_FALSE(out_of_range);
  EXPECT_FALSE(shared);
  EXPECT_EQ(events.files, data.event_files);
  EXPECT_EQ(events.records, data.events);
  EXPECT_EQ(testing::first_difference(testing::fixture_star(), builder.to_star_schema()), "");
}

// A file of tests/fixtures/broken/: `name`.json under song_data/ or
// log_data/, and beside it `name`.expected, the reject the tool must give,
// "LINE: FIELD: REASON" (the path before it is the file's own).
struct BrokenInput {
  std::string folder;  // "song_data" or "log_data"
  std::string name;
};

std::string broken_dir() { return std::string(SPARKIFY_SOURCE_DIR) + "/tests/fixtures/broken"; }

std::vector<BrokenInput> broken_inputs() {
  std::vector<BrokenInput> inputs;
  for (const char* folder : {"song_data", "log_data"}) {
    for (const auto& entry : fs::directory_iterator(broken_dir() + "/" + folder)) {
      if (entry.path().extension() == ".json") inputs.push_back({folder, entry.path().stem().string()});
    }
  }
  std::sort(inputs.begin(), inputs.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
  return inputs;
}

void PrintTo(const BrokenInput& input, std::ostream* out) { *out << input.folder << "/" << input.name; }

class BrokenInputTest : public ::testing::TestWithParam<BrokenInput> {
 protected:
  // The fixtures with the broken file added below its folder, into a lake.
  RunSummary run(int64_t max_errors) {
    config::Settings settings;
    settings.song_data = work_ / "song_data";
    settings.log_data = work_ / "log_data";
    settings.lake = work_ / "lake";
    settings.rejects_path = work_ / "rejects.ndjson";
    settings.max_errors = max_errors;
    FileSystems file_systems(settings);
    auto sinks = make_sinks(settings, file_systems);
    std::ostringstream log;
    return run_etl(settings, file_systems, sinks, log);
  }

  void SetUp() override {
    DataSet data = testing::fixture_data_set();
    fs::copy(data.song_data(), work_ / "song_data", fs::copy_options::recursive);
    fs::copy(data.log_data(), work_ / "log_data", fs::copy_options::recursive);
    const BrokenInput& input = GetParam();
    broken_path_ = work_ / (input.folder + "/" + input.name + ".json");
    fs::copy_file(broken_dir() + "/" + input.folder + "/" + input.name + ".json", broken_path_);
    expected_ = testing::read_text(broken_dir() + "/" + input.folder + "/" + input.name + ".expected");
    while (!expected_.empty() && (expected_.back() == '\n' || expected_.back() == '\r')) expected_.pop_back();
  }

  TempDir work_;
  std::string broken_path_;
  std::string expected_;  // "LINE: FIELD: REASON"
};

TEST_P(BrokenInputTest, IsARejectWithItsMessageAndFailsTheRun) {
  ASSERT_FALSE(expected_.empty());
  try {
    run(0);
    FAIL() << "a broken input did not fail the run at --max-errors 0";
  } catch (const JobError& error) {
    EXPECT_EQ(std::string(error.what()), "1 record(s) rejected, more than --max-errors 0; first: " + broken_path_ +
                                             ":" + expected_ + "; all are in " + (work_ / "rejects.ndjson") +
                                             "; nothing was committed");
  }
  EXPECT_FALSE(fs::exists(work_ / "lake/songplays")) << "nothing was committed";
  std::string line = expected_.substr(0, expected_.find(':'));
  std::string kept = testing::read_text(work_ / "rejects.ndjson");
  EXPECT_NE(kept.find("\"line\":" + line + ","), std::string::npos) << kept;

  // Within --max-errors the rest loads: the fixtures and the broken file's
  // good lines.
  RunSummary summary = run(1);
  EXPECT_EQ(summary.rejects, 1u);
  EXPECT_TRUE(fs::exists(work_ / "lake/songplays/_SUCCESS"));
}

INSTANTIATE_TEST_SUITE_P(, BrokenInputTest, ::testing::ValuesIn(broken_inputs()),
                         [](const ::testing::TestParamInfo<BrokenInput>& info) {
                           std::string name = info.param.name;
                           std::replace(name.begin(), name.end(), '-', '_');
                           return name;
                         });

}  // namespace
}  // namespace sparkify::pipeline
