#include "transform/star_builder.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <thread>
#include <tuple>

#include "support/edge_records.h"
#include "support/star_compare.h"
#include "transform/calendar.h"

namespace sparkify::transform {
namespace {

model::StarSchema build(const std::vector<model::SongRecord>& songs, const std::vector<model::EventRecord>& events) {
  StarBuilder builder;
  builder.add_songs(songs);
  builder.finish_songs();
  builder.add_events(events);
  builder.finish();
  return builder.to_star_schema();
}

// The events dealt out to `shards` shards, one every `shards` (each shard's
// batches added on its own thread, as the reading threads add them).
model::StarSchema build_in_shards(const std::vector<model::SongRecord>& songs,
                                  const std::vector<model::EventRecord>& events, size_t shards) {
  StarBuilder builder;
  builder.add_songs(songs);
  builder.finish_songs();
  builder.set_event_shards(shards);
  std::vector<std::thread> threads;
  for (size_t shard = 0; shard < shards; ++shard) {
    threads.emplace_back([&, shard] {
      std::vector<model::EventRecord> part;
      for (size_t idx = shard; idx < events.size(); idx += shards) part.push_back(events[idx]);
      // In two batches, as a file read in chunks comes.
      std::vector<model::EventRecord> first(part.begin(), part.begin() + static_cast<ptrdiff_t>(part.size() / 2));
      std::vector<model::EventRecord> second(part.begin() + static_cast<ptrdiff_t>(part.size() / 2), part.end());
      builder.add_events(shard, first);
      builder.add_events(shard, second);
    });
  }
  for (auto& thread : threads) thread.join();
  builder.finish();
  return builder.to_star_schema();
}

// Events fed in shards, each with its own text and users, give the tables
// of one shard fed them all, ids included.
TEST(StarBuilder, EventsInShardsGiveTheTablesOfOneShard) {
  auto songs = testing::edge_songs();
  auto events = testing::edge_events();
  model::StarSchema whole = build(songs, events);
  for (size_t shards : {2, 3, 7}) {
    EXPECT_EQ(testing::first_difference(whole, build_in_shards(songs, events, shards)), "") << shards << " shards";
  }
}

// A play's text id names its shard in a few bits: more threads than that
// many shards share them, and none is at least one.
TEST(StarBuilder, TheShardsKeptAreHeldToWhatAPlayCanName) {
  StarBuilder builder;
  builder.finish_songs();
  EXPECT_EQ(builder.set_event_shards(StarBuilder::kMaxEventShards + 9), StarBuilder::kMaxEventShards);
  EXPECT_EQ(builder.set_event_shards(0), 1u);
  EXPECT_EQ(builder.set_event_shards(5), 5u);
}

TEST(StarBuilder, SongsPickTheFirstRowPerSongId) {
  auto star = build(testing::edge_songs(), {});
  ASSERT_EQ(star.songs.size(), 5u);  // SOA SOB SOC SOD SOE; the NULL song_id is no song
  EXPECT_EQ(star.songs[0].song_id, "SOA");
  EXPECT_EQ(star.songs[1].song_id, "SOB");
  EXPECT_EQ(star.songs[1].artist_id, "AR0") << "(title, artist_id, duration, year) order";
  EXPECT_EQ(star.songs[4].year, 0) << "year 0 is kept";
}

TEST(StarBuilder, ArtistsComeFromTheSmallestSongId) {
  auto star = build(testing::edge_songs(), {});
  ASSERT_EQ(star.artists.size(), 6u);  // AR0 … AR5
  EXPECT_EQ(star.artists[1].artist_id, "AR1");
  EXPECT_EQ(star.artists[1].name, "Name") << "from SOB, not SOD";
  EXPECT_EQ(star.artists[1].location, "Here");
  EXPECT_EQ(star.artists[3].artist_id, "AR3") << "an artist whose only song has no id";
}

TEST(StarBuilder, SongplaysDeduplicateMatchAndNumber) {
  auto star = build(testing::edge_songs(), testing::edge_events());
  // 16 NextSong events with a user; user 2's duplicate, user 3's
  // conflicting pair and user 5's tie each collapse to one: 13.
  ASSERT_EQ(star.songplays.size(), 13u);
  // Numbered by start_time: -500 first, NULL ts last.
  EXPECT_EQ(star.songplays.front().start_time_ms, -500);
  EXPECT_EQ(star.songplays.front().songplay_id, 1);
  EXPECT_FALSE(star.songplays.back().start_time_ms);
  EXPECT_EQ(star.songplays.back().songplay_id, 13);
  for (const auto& play : star.songplays) {
    if (play.user_id == 1 && play.start_time_ms == 1000) {
      EXPECT_EQ(play.song_id, "SOA") << "the smallest song_id of the matches";
      EXPECT_EQ(play.artist_id, "AR2");
    }
    if (play.user_id == 3) {
      EXPECT_EQ(play.start_time_ms, 5000) << "the earlier of two conflicting events";
      EXPECT_EQ(play.level, "free");
      EXPECT_EQ(play.song_id, "SOD");
    }
    if (play.user_id == 8) {
      EXPECT_FALSE(play.song_id) << "matching is case-sensitive";
    }
  }
}

TEST(StarBuilder, UsersTakeTheLatestEvent) {
  auto star = build(testing::edge_songs(), testing::edge_events());
  ASSERT_EQ(star.users.size(), 8u);  // 1 2 3 4 5 6 7 8
  EXPECT_EQ(star.users[0].user_id, 1);
  EXPECT_EQ(star.users[0].level, "paid") << "item 5 beats item 4 at the same ts";
  EXPECT_EQ(star.users[3].user_id, 4) << "a user without songplays";
  EXPECT_EQ(star.users[4].level, "free") << "a full tie falls to level order";
}

TEST(StarBuilder, TimeHasOneRowPerStartTime) {
  auto star = build(testing::edge_songs(), testing::edge_events());
  // 12 songplays with a ts; user 1's two plays at ts 3000 share a row.
  EXPECT_EQ(star.time.size(), 11u);
}

TEST(Calendar, PartsFollowSqlExtract) {
  auto row = time_row_of(1546300799999LL);  // 2018-12-31 23:59:59.999 UTC, a Monday
  EXPECT_EQ(row.year, 2018);
  EXPECT_EQ(row.month, 12);
  EXPECT_EQ(row.day, 31);
  EXPECT_EQ(row.hour, 23);
  EXPECT_EQ(row.week, 1);
  EXPECT_EQ(row.weekday, 1);
  row = time_row_of(1609675200000LL);  // 2021-01-03 12:00 UTC, a Sunday
  EXPECT_EQ(row.week, 53);
  EXPECT_EQ(row.weekday, 0);
  EXPECT_EQ(row.year, 2021);
  row = time_row_of(-500);  // 1969-12-31 23:59:59.5, a Wednesday
  EXPECT_EQ(row.year, 1969);
  EXPECT_EQ(row.hour, 23);
  EXPECT_EQ(row.weekday, 3);
  EXPECT_EQ(row.week, 1);
}


// An incremental load folds the new events into what earlier loads kept:
// the edge events split in two, the second half added to the kept plays
// and user days of the first, give the whole load's tables and ids.
TEST(StarBuilder, FoldingIntoKeptStateGivesTheWholeLoad) {
  auto songs = testing::edge_songs();
  auto events = testing::edge_events();
  std::vector<model::EventRecord> first(events.begin(), events.begin() + static_cast<ptrdiff_t>(events.size() / 2));
  std::vector<model::EventRecord> second(events.begin() + static_cast<ptrdiff_t>(events.size() / 2), events.end());

  StarBuilder earlier;
  earlier.keep_user_days();
  earlier.add_songs(songs);
  earlier.finish_songs();
  earlier.add_events(first);
  earlier.finish();
  std::vector<KeptPlay> kept_plays;
  for (size_t idx = 0; idx < earlier.songplay_count(); ++idx) kept_plays.push_back(earlier.kept_play(idx));

  StarBuilder later;
  later.keep_user_days();
  later.add_songs(songs);
  later.finish_songs();
  later.add_events(second);
  later.add_kept_plays(kept_plays);
  later.add_kept_user_days(earlier.user_days());
  later.number_new_plays_after(earlier.largest_songplay_id());
  later.finish();

  model::StarSchema whole = build(songs, events);
  model::StarSchema folded = later.to_star_schema();
  ASSERT_EQ(folded.songplays.size(), whole.songplays.size());
  // Kept plays keep their ids; new keys come after the largest kept id.
  for (const auto& play : kept_plays) EXPECT_LE(play.songplay_id, earlier.largest_songplay_id());
  std::set<int64_t> ids;
  for (const auto& play : folded.songplays) ids.insert(play.songplay_id);
  EXPECT_EQ(ids.size(), folded.songplays.size());
  for (size_t idx = 0; idx < later.songplay_count(); ++idx) {
    KeptPlay play = later.kept_play(idx);
    bool was_kept = false;
    for (const auto& kept : kept_plays) {
      if (kept.user_id == play.user_id && kept.session_id == play.session_id &&
          kept.item_in_session == play.item_in_session) {
        EXPECT_EQ(play.songplay_id, kept.songplay_id);
        was_kept = true;
      }
    }
    if (!was_kept) {
      EXPECT_GT(play.songplay_id, earlier.largest_songplay_id());
    }
  }
  // The rows themselves, ids aside, are the whole load's.
  auto without_ids = [](std::vector<model::SongplayRow> rows) {
    for (auto& row : rows) row.songplay_id = 0;
    std::sort(rows.begin(), rows.end(), [](const model::SongplayRow& a, const model::SongplayRow& b) {
      return std::tie(a.start_time_ms, a.user_id, a.session_id, a.level, a.location) <
             std::tie(b.start_time_ms, b.user_id, b.session_id, b.level, b.location);
    });
    return rows;
  };
  folded.songplays = without_ids(folded.songplays);
  whole.songplays = without_ids(whole.songplays);
  EXPECT_EQ(testing::first_difference(whole, folded), "");
}

// A user's day keeps that day's latest event only.
TEST(StarBuilder, UserDaysKeepEachDaysLatestEvent) {
  StarBuilder builder;
  builder.keep_user_days();
  builder.finish_songs();
  auto event = [](int64_t ts, int32_t item, const char* level) {
    model::EventRecord record;
    record.user_id = 7;
    record.ts = ts;
    record.item_in_session = item;
    record.level = level;
    return record;
  };
  constexpr int64_t kDay = 86'400'000;
  builder.add_events({event(10, 1, "free"), event(20, 0, "paid"), event(kDay + 5, 3, "free"), event(kDay + 5, 4, "paid")});
  builder.finish();
  auto days = builder.user_days();
  ASSERT_EQ(days.size(), 2u);
  EXPECT_EQ(days[0].ts, 20);
  EXPECT_EQ(days[0].level, "paid");
  EXPECT_EQ(days[1].item_in_session, 4) << "ties on ts go to the greatest item_in_session";
  ASSERT_EQ(builder.users().size(), 1u);
  EXPECT_EQ(builder.users()[0].level, "paid");
}
// A backfill replaces kept plays: a key its events hold again keeps its
// id, a key they no longer hold is gone, and a new key comes after the
// largest id, replaced ones included.
TEST(StarBuilder, ReplacedPlaysKeepTheirIdsOnlyForKeysThatComeAgain) {
  auto songs = testing::edge_songs();
  auto events = testing::edge_events();
  StarBuilder earlier;
  earlier.add_songs(songs);
  earlier.finish_songs();
  earlier.add_events(events);
  earlier.finish();
  ASSERT_GE(earlier.songplay_count(), 3u);
  std::vector<KeptPlay> replaced;
  for (size_t idx = 0; idx < earlier.songplay_count(); ++idx) replaced.push_back(earlier.kept_play(idx));

  // The events again without the plays of the first kept key.
  const KeptPlay gone = replaced.front();
  std::vector<model::EventRecord> again;
  for (const auto& event : events) {
    if (event.user_id == gone.user_id && event.session_id == gone.session_id &&
        event.item_in_session == gone.item_in_session) {
      continue;
    }
    again.push_back(event);
  }
  StarBuilder later;
  later.add_songs(songs);
  later.finish_songs();
  later.add_events(again);
  later.add_replaced_play_ids(replaced);
  later.finish();
  ASSERT_EQ(later.songplay_count() + 1, earlier.songplay_count());
  for (size_t idx = 0; idx < later.songplay_count(); ++idx) {
    KeptPlay play = later.kept_play(idx);
    EXPECT_FALSE(play.user_id == gone.user_id && play.session_id == gone.session_id &&
                 play.item_in_session == gone.item_in_session);
    auto same = std::find_if(replaced.begin(), replaced.end(), [&](const KeptPlay& kept) {
      return kept.user_id == play.user_id && kept.session_id == play.session_id &&
             kept.item_in_session == play.item_in_session;
    });
    ASSERT_NE(same, replaced.end());
    EXPECT_EQ(play.songplay_id, same->songplay_id);
    EXPECT_EQ(play.ts, same->ts) << "the copy chosen is the event's, not the kept id's";
  }
  EXPECT_EQ(later.largest_songplay_id(), earlier.largest_songplay_id());
}

// The matching index from the songs' keys alone, after the events (a day
// without new songs), matches every play as the whole build does.
TEST(StarBuilder, TheMatchingIndexAloneMatchesAsTheWholeBuildDoes) {
  auto songs = testing::edge_songs();
  auto events = testing::edge_events();
  // Each song twice, the copy under a larger song_id or another artist, so
  // that the rule's order decides.
  std::vector<model::SongRecord> doubled = songs;
  for (auto song : songs) {
    if (song.song_id) song.song_id = *song.song_id + "Z";
    doubled.push_back(song);
    if (song.artist_id) song.artist_id = "A" + *song.artist_id;
    doubled.push_back(song);
  }
  std::reverse(doubled.begin(), doubled.end());
  StarBuilder whole;
  whole.add_songs(doubled);
  whole.finish_songs();
  whole.add_events(events);
  whole.finish();
  StarBuilder late;
  late.finish_songs_for_matching();
  late.add_events(events);
  for (const auto& song : doubled) late.add_song_keys(model::SongKeys::of(song));
  late.set_song_table_rows(whole.songs().size(), whole.artists().size());
  late.finish();
  ASSERT_EQ(late.songplay_count(), whole.songplay_count());
  size_t matched = 0;
  for (size_t idx = 0; idx < whole.songplay_count(); ++idx) {
    if (whole.songplay(idx).song_id) ++matched;
    EXPECT_EQ(late.songplay(idx).song_id, whole.songplay(idx).song_id) << idx;
    EXPECT_EQ(late.songplay(idx).artist_id, whole.songplay(idx).artist_id) << idx;
  }
  EXPECT_GT(matched, 0u);
  EXPECT_EQ(late.counts().songs, whole.counts().songs);
  EXPECT_EQ(late.counts().artists, whole.counts().artists);
  EXPECT_TRUE(late.songs().empty()) << "no table built";
}

}  // namespace
}  // namespace sparkify::transform
