#include "gen/generator.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <filesystem>
#include <map>
#include <set>

#include "model/error.h"
#include "test_support.h"

namespace sparkify::gen {
namespace {

namespace fs = std::filesystem;
using testing::read_text;
using testing::TempDir;

std::map<std::string, std::string> tree(const std::string& root) {
  std::map<std::string, std::string> files;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (entry.is_regular_file()) files[fs::relative(entry.path(), root).string()] = read_text(entry.path().string());
  }
  return files;
}

GenerateOptions small(const std::string& out, int threads, uint64_t seed = 9) {
  GenerateOptions options;
  options.songs = 300;
  options.events = 5000;
  options.seed = seed;
  options.days = 5;
  options.match_rate = 0.5;
  options.threads = threads;
  options.out_dir = out;
  return options;
}

TEST(Generator, SameSeedSameBytesWhateverTheThreads) {
  TempDir dir;
  generate(small(dir / "one", 1));
  generate(small(dir / "two", 2));
  EXPECT_EQ(tree(dir / "one"), tree(dir / "two"));
  generate(small(dir / "other", 2, 10));
  EXPECT_NE(tree(dir / "one"), tree(dir / "other"));
}

TEST(Generator, ShapeAndCountsFollowTheOptions) {
  TempDir dir;
  GenerateSummary summary = generate(small(dir.str(), 2));
  EXPECT_EQ(summary.song_files, 300);
  EXPECT_EQ(summary.events, 5000);
  EXPECT_EQ(summary.event_files, 5);
  EXPECT_NEAR(static_cast<double>(summary.matched_events) / summary.next_song_events, 0.5, 0.05);
  EXPECT_TRUE(fs::exists(dir / "log_data/2018/11/2018-11-01-events.json"));
  EXPECT_TRUE(fs::exists(dir / "log_data/2018/11/2018-11-05-events.json"));

  simdjson::dom::parser parser;
  int64_t songs = 0;
  for (const auto& entry : fs::recursive_directory_iterator(dir / "song_data")) {
    if (!entry.is_regular_file()) continue;
    ++songs;
    std::string name = entry.path().filename().string();
    // song_data/A/B/C/TRABC….json
    EXPECT_EQ(entry.path().parent_path().filename().string(), name.substr(4, 1));
    std::string text = read_text(entry.path().string());
    EXPECT_EQ(text.rfind("{\"num_songs\": 1, \"artist_id\": \"AR", 0), 0u) << text;
    simdjson::dom::element song = parser.parse(text);
    EXPECT_TRUE(song["title"].is_string());
    EXPECT_TRUE(song["year"].is_int64());
  }
  EXPECT_EQ(songs, 300);

  std::map<int64_t, std::pair<int64_t, int64_t>> last_in_session;  // session → (item, ts)
  int64_t logged_out = 0;
  std::map<std::string, std::set<std::string>> levels;
  for (int day = 1; day <= 5; ++day) {
    std::string text = read_text(dir / ("log_data/2018/11/2018-11-0" + std::to_string(day) + "-events.json"));
    ASSERT_EQ(text.back(), '\n');
    EXPECT_EQ(text.rfind("{\"artist\":", 0), 0u);
    for (simdjson::dom::element event : parser.parse_many(text)) {
      int64_t ts = event["ts"].get_int64();
      EXPECT_GE(ts, 1541030400000 + (day - 1) * 86400000LL);
      EXPECT_LT(ts, 1541030400000 + day * 86400000LL);
      int64_t session = event["sessionId"].get_int64();
      int64_t item = event["itemInSession"].get_int64();
      auto previous = last_in_session.find(session);
      if (previous != last_in_session.end()) {
        EXPECT_EQ(item, previous->second.first + 1) << "items count up within a session";
        EXPECT_GE(ts, previous->second.second);
      }
      last_in_session[session] = {item, ts};
      std::string_view user = event["userId"].get_string();
      if (user.empty()) {
        ++logged_out;
        EXPECT_TRUE(event["firstName"].is_null());
      } else {
        levels[std::string(user)].insert(std::string(std::string_view(event["level"].get_string())));
      }
      EXPECT_EQ(event["page"].get_string().value() == "NextSong", !event["length"].is_null());
    }
  }
  EXPECT_GT(logged_out, 0);
  int changed = 0;
  for (const auto& [user, seen] : levels) changed += seen.size() > 1 ? 1 : 0;
  EXPECT_GT(changed, 0) << "some users change level";
  EXPECT_NE(read_text(dir / "log_data/2018/11/2018-11-01-events.json").find("Mozilla\\/5.0"), std::string::npos);
}

TEST(Generator, RefusesBadOptions) {
  TempDir dir;
  GenerateOptions options = small(dir.str(), 1);
  options.match_rate = 1.5;
  EXPECT_THROW(generate(options), UsageError);
  options = small("", 1);
  EXPECT_THROW(generate(options), UsageError);
}

}  // namespace
}  // namespace sparkify::gen
