#include "quality/match_diagnostics.h"

#include <gtest/gtest.h>

#include <vector>

namespace sparkify::quality {
namespace {

model::SongRecord song(const char* song_id, const char* title, const char* artist_name, double duration) {
  model::SongRecord record;
  record.song_id = song_id;
  record.artist_id = std::string("AR") + song_id;
  record.title = title;
  record.artist_name = artist_name;
  record.duration = duration;
  return record;
}

model::EventRecord play(std::optional<std::string> title, std::optional<std::string> artist,
                        std::optional<double> length) {
  model::EventRecord event;
  event.page = "NextSong";
  event.user_id = 7;
  event.song = std::move(title);
  event.artist = std::move(artist);
  event.length = length;
  return event;
}

std::vector<model::SongRecord> songs() {
  return {song("SO1", "Echo", "The Wilds", 200.5), song("SO2", "Blue", "Harper", 180.0),
          song("SO2", "Blue", "Harper", 180.0),  // the same song twice
          song("SO3", "River", "Layla", 150.25), song("SO4", "Dream", "Kaylee", 300.0)};
}

std::vector<model::EventRecord> events() {
  std::vector<model::EventRecord> out;
  for (int idx = 0; idx < 3; ++idx) out.push_back(play("Echo", "The Wilds", 200.5));  // matched
  for (int idx = 0; idx < 4; ++idx) out.push_back(play("blue ", "HARPER", 180.0));    // case and spaces
  for (int idx = 0; idx < 2; ++idx) out.push_back(play("River", "Layla", 150.7));     // the length
  out.push_back(play("Nowhere", "Nobody", 100.0));                                    // no near miss
  out.push_back(play(std::nullopt, "Kaylee", 300.0));                                 // no song
  out.push_back(play("Dream", "Kaylee", std::nullopt));                               // no length
  model::EventRecord logged_out = play("Echo", "The Wilds", 200.5);
  logged_out.user_id.reset();
  out.push_back(logged_out);  // no user: not a play
  return out;
}

MatchDiagnostics songs_first() {
  MatchTally tally;
  tally.add_songs(songs());
  tally.add_events(events());
  return tally.result();
}

MatchDiagnostics songs_after_events() {
  MatchTally tally;
  tally.songs_after_events();
  tally.add_events(events());
  for (const auto& record : songs()) tally.add_song(model::SongKeys::of(record));
  tally.end_songs_after_events();
  for (const auto& record : songs()) tally.add_song(model::SongKeys::of(record));
  return tally.result();
}

// The events counted in parts, as the reading threads count them, one
// every `parts` to each part.
MatchDiagnostics in_parts(size_t parts, bool songs_late) {
  MatchTally tally;
  if (songs_late) {
    tally.songs_after_events();
  } else {
    tally.add_songs(songs());
  }
  tally.set_event_parts(parts);
  auto all = events();
  for (size_t part = 0; part < parts; ++part) {
    std::vector<model::EventRecord> some;
    for (size_t idx = part; idx < all.size(); idx += parts) some.push_back(all[idx]);
    tally.add_events(part, some);
  }
  tally.end_events();
  if (songs_late) {
    for (const auto& record : songs()) tally.add_song(model::SongKeys::of(record));
    tally.end_songs_after_events();
    for (const auto& record : songs()) tally.add_song(model::SongKeys::of(record));
  }
  return tally.result();
}

TEST(MatchTally, EventsCountedInPartsGiveTheSameFigures) {
  for (size_t parts : {2, 3, 5}) {
    EXPECT_EQ(match_json(in_parts(parts, false)), match_json(songs_first())) << parts;
    EXPECT_EQ(match_json(in_parts(parts, true)), match_json(songs_first())) << parts;
    EXPECT_EQ(in_parts(parts, false).next_song_events, 12);
  }
}

TEST(MatchTally, CountsMatchesAndFindsNearMisses) {
  MatchDiagnostics match = songs_first();
  EXPECT_EQ(match.next_song_events, 12);
  EXPECT_EQ(match.matched, 3);
  ASSERT_EQ(match.top_unmatched.size(), 5u);
  EXPECT_EQ(match.top_unmatched[0].song, "blue ");
  EXPECT_EQ(match.top_unmatched[0].plays, 4);
  EXPECT_NE(match.top_unmatched[0].near_miss.find("differs only in case or spaces"), std::string::npos)
      << match.top_unmatched[0].near_miss;
  EXPECT_EQ(match.top_unmatched[1].song, "River");
  EXPECT_NE(match.top_unmatched[1].near_miss.find("the song lasts 150.25 s"), std::string::npos)
      << match.top_unmatched[1].near_miss;
  for (size_t idx = 2; idx < match.top_unmatched.size(); ++idx) {
    EXPECT_EQ(match.top_unmatched[idx].near_miss, "") << idx;
  }
}

// Songs known only after the events (a lake's day without new song files)
// give the same figures, near misses included.
TEST(MatchTally, SongsAfterTheEventsGiveTheSameFigures) {
  EXPECT_EQ(format_match(songs_after_events()), format_match(songs_first()));
  EXPECT_EQ(match_json(songs_after_events()), match_json(songs_first()));
}

}  // namespace
}  // namespace sparkify::quality
