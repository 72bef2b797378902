#include "pipeline/lake_state.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <set>

#include "io/local_file_system.h"
#include "model/error.h"
#include "support/edge_records.h"
#include "test_support.h"

namespace sparkify::pipeline {
namespace {

using testing::TempDir;

// What the state keeps reads back as it was written.
TEST(LakeState, EachPartReadsBackAsWritten) {
  TempDir dir;
  io::LocalFileSystem fs;
  LakeState state(fs, dir / "_sparkify_state");
  lake::parquet::WriterOptions options;

  std::vector<LedgerEntry> ledger = {{"log_data/2018-11-01-events.json", 1234, "1541030400000000000", "load-1",
                                      "2018-11-02 02:15:00"},
                                     {"s3://b/song_data/A/TRA.json", 5, "\"etag\"", "load-2", "2018-11-03 02:15:00",
                                      false}};
  state.write_ledger(LedgerOf::kEventFiles, ledger, options);
  auto ledger_back = state.read_ledger(LedgerOf::kEventFiles);
  ASSERT_EQ(ledger_back.size(), 2u);
  EXPECT_EQ(ledger_back[1].source, "s3://b/song_data/A/TRA.json");
  EXPECT_EQ(ledger_back[0].size, 1234);
  EXPECT_EQ(ledger_back[1].version, "\"etag\"");
  EXPECT_EQ(ledger_back[0].load_id, "load-1");
  EXPECT_TRUE(ledger_back[0].whole);
  EXPECT_FALSE(ledger_back[1].whole) << "loaded in part";
  EXPECT_FALSE(state.present()) << "no _SUCCESS yet: the transaction writes it";
  testing::write_text(dir / "_sparkify_state/_SUCCESS", "");
  EXPECT_TRUE(state.present());

  auto songs = testing::edge_songs();
  state.write_songs(songs, options);
  auto songs_back = state.read_songs();
  ASSERT_EQ(songs_back.size(), songs.size());
  for (size_t idx = 0; idx < songs.size(); ++idx) {
    EXPECT_EQ(songs_back[idx].song_id, songs[idx].song_id);
    EXPECT_EQ(songs_back[idx].duration, songs[idx].duration);
    EXPECT_EQ(songs_back[idx].artist_latitude, songs[idx].artist_latitude);
    EXPECT_EQ(songs_back[idx].year, songs[idx].year);
  }
  // The matching columns alone read the same values.
  KeptSongKeys song_keys = state.read_song_keys();
  ASSERT_EQ(song_keys.size(), songs.size());
  std::set<std::string> song_ids;
  std::set<std::string> artist_ids;
  for (size_t idx = 0; idx < songs.size(); ++idx) {
    model::SongKeys expected = model::SongKeys::of(songs[idx]);
    model::SongKeys read = song_keys.at(idx);
    EXPECT_EQ(read.song_id, expected.song_id) << idx;
    EXPECT_EQ(read.title, expected.title) << idx;
    EXPECT_EQ(read.artist_name, expected.artist_name) << idx;
    EXPECT_EQ(read.duration, expected.duration) << idx;
    EXPECT_EQ(read.artist_id, expected.artist_id) << idx;
    if (songs[idx].song_id) song_ids.insert(*songs[idx].song_id);
    if (songs[idx].artist_id) artist_ids.insert(*songs[idx].artist_id);
  }
  EXPECT_EQ(song_keys.distinct_song_ids(), song_ids.size());
  EXPECT_EQ(song_keys.distinct_artist_ids(), artist_ids.size());

  state.write_next_song_events({{17840, 40}, {17841, 2}, {std::nullopt, 1}}, options);
  auto next_song = state.read_next_song_events();
  ASSERT_EQ(next_song.size(), 3u);
  EXPECT_EQ(next_song[1].day, 17841);
  EXPECT_EQ(next_song[1].events, 2);
  EXPECT_FALSE(next_song[2].day) << "events without ts";

  transform::StarBuilder star;
  star.keep_user_days();
  star.add_songs(songs);
  star.finish_songs();
  star.add_events(testing::edge_events());
  star.finish();
  std::vector<PlayMonth> months = state.write_plays(star, options);
  std::set<std::string> written;
  int64_t plays_written = 0;
  for (const auto& month : months) {
    written.insert(month.partition);
    plays_written += month.plays;
  }
  EXPECT_EQ(plays_written, static_cast<int64_t>(star.songplay_count()));
  EXPECT_TRUE(written.count("year=__HIVE_DEFAULT_PARTITION__/month=__HIVE_DEFAULT_PARTITION__"))
      << "the play without ts";
  EXPECT_FALSE(state.read_play_months()) << "none written yet";
  state.write_play_months(months, options);
  auto months_back = state.read_play_months();
  ASSERT_TRUE(months_back);
  ASSERT_EQ(months_back->size(), months.size());
  for (size_t idx = 0; idx < months.size(); ++idx) {
    const PlayMonth& back = (*months_back)[idx];
    EXPECT_EQ(back.partition, months[idx].partition);
    EXPECT_EQ(back.plays, months[idx].plays);
    EXPECT_EQ(back.start_times, months[idx].start_times);
    EXPECT_EQ(back.largest_songplay_id, months[idx].largest_songplay_id);
    EXPECT_EQ(back.first_session, months[idx].first_session);
    EXPECT_EQ(back.last_session, months[idx].last_session);
    EXPECT_EQ(back.null_sessions, months[idx].null_sessions);
    EXPECT_EQ(back.first_ts, months[idx].first_ts);
    EXPECT_EQ(back.last_ts, months[idx].last_ts);
  }
  KeptPlayKeys keys = state.read_play_keys(nullptr, 2);
  ASSERT_EQ(keys.keys.size(), star.songplay_count());
  int64_t largest = 0;
  for (const auto& month : months) largest = std::max(largest, month.largest_songplay_id);
  EXPECT_EQ(largest, static_cast<int64_t>(star.songplay_count()));
  EXPECT_EQ(std::set<std::string>(keys.partitions.begin(), keys.partitions.end()), written);
  auto plays = state.read_plays(nullptr, 2);
  ASSERT_EQ(plays.size(), star.songplay_count());
  std::set<std::string> one = {*written.begin()};
  EXPECT_LT(state.read_plays(&one, 2).size(), plays.size());
  EXPECT_EQ(state.read_play_keys(&one, 2).keys.size(), state.read_plays(&one, 2).size());

  state.write_user_days(star.user_days(), options);
  auto days = state.read_user_days();
  auto expected_days = star.user_days();
  ASSERT_EQ(days.size(), expected_days.size());
  for (size_t idx = 0; idx < days.size(); ++idx) {
    EXPECT_EQ(days[idx].user_id, expected_days[idx].user_id);
    EXPECT_EQ(days[idx].ts, expected_days[idx].ts);
    EXPECT_EQ(days[idx].first_name, expected_days[idx].first_name);
  }
}

TEST(LakeState, AFileThatIsNotStateIsRefusedByName) {
  TempDir dir;
  io::LocalFileSystem fs;
  testing::write_text(dir / "_sparkify_state/files.parquet", "not parquet");
  LakeState state(fs, dir / "_sparkify_state");
  try {
    state.read_ledger(LedgerOf::kEventFiles);
    FAIL() << "read a broken ledger";
  } catch (const JobError& error) {
    EXPECT_NE(std::string(error.what()).find("files.parquet"), std::string::npos) << error.what();
  }
}

TEST(LakeState, CarryOverSkipsTheReplacedPartitions) {
  TempDir dir;
  io::LocalFileSystem fs;
  testing::write_text(dir / "table/year=2018/month=10/part-00000.parquet", "october");
  testing::write_text(dir / "table/year=2018/month=11/part-00000.parquet", "november");
  testing::write_text(dir / "table/_SUCCESS", "");
  uint64_t carried = carry_over_partitions(fs, dir / "table", dir / "staged", {"year=2018/month=11"});
  EXPECT_EQ(carried, 1u);
  EXPECT_EQ(testing::read_text(dir / "staged/year=2018/month=10/part-00000.parquet"), "october");
  EXPECT_FALSE(std::filesystem::exists(dir / "staged/year=2018/month=11"));
  EXPECT_EQ(carry_over_partitions(fs, dir / "none", dir / "staged", {}), 0u);
}

}  // namespace
}  // namespace sparkify::pipeline
