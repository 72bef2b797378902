// Each chart's figures from rows in memory, on a star worked out by hand
// (star_rows.h): what its SQL must answer too.
#include "report/figures.h"

#include <gtest/gtest.h>

#include "report/star_rows.h"

namespace sparkify::report {
namespace {

using Labels = std::vector<std::optional<std::string>>;

ChartRow row(Labels labels, std::vector<int64_t> values) { return ChartRow{std::move(labels), std::move(values)}; }

TEST(Figures, UtcDateIsTheDayInUtc) {
  EXPECT_EQ(utc_date(kNov1Ms), "2018-11-01");
  EXPECT_EQ(utc_date(kNov1Ms - 1), "2018-10-31");
  EXPECT_EQ(utc_date(0), "1970-01-01");
  EXPECT_EQ(utc_date(-1), "1969-12-31");
}

TEST(Figures, PlaysOverTimeLeaveOutThePlayWithNoStartTime) {
  model::StarSchema star = small_star();
  EXPECT_EQ(plays_per_day(star), (ChartRows{row({"2018-11-01"}, {3}), row({"2018-11-02"}, {2})}));
  EXPECT_EQ(plays_per_hour(star), (ChartRows{row({"1"}, {3}), row({"2"}, {2})}));
  EXPECT_EQ(plays_per_weekday(star), (ChartRows{row({"4"}, {3}), row({"5"}, {2})}));
}

TEST(Figures, HourAndWeekdayComeFromTheTimeTable) {
  model::StarSchema star = small_star();
  star.time.pop_back();  // the last play's time row is missing: the join drops that play
  star.time.push_back(time_of(kNov1Ms + kHourMs, 1, 1, 4));  // a time row twice: the join counts its plays twice
  EXPECT_EQ(plays_per_hour(star), (ChartRows{row({"1"}, {4}), row({"2"}, {1})}));
}

TEST(Figures, TopSongsAndArtistsCountEveryMatchedPlay) {
  model::StarSchema star = small_star();
  EXPECT_EQ(top_songs(star), (ChartRows{row({"Song <One>", "Artist & Co"}, {3}), row({"Two", "Other"}, {2})}));
  EXPECT_EQ(top_artists(star), (ChartRows{row({"Artist & Co"}, {3}), row({"Other"}, {2})}));
}

TEST(Figures, ASongOrArtistMissingFromItsDimension) {
  model::StarSchema star = small_star();
  star.artists.pop_back();               // A2 has no row: LEFT JOIN, a NULL name
  star.songs.erase(star.songs.begin());  // S1 has no row: JOIN, its plays are not in the ranking
  EXPECT_EQ(top_songs(star), (ChartRows{row({"Two", std::nullopt}, {2})}));
  EXPECT_EQ(top_artists(star), (ChartRows{row({"Artist & Co"}, {3}), row({std::nullopt}, {2})}));
}

TEST(Figures, FreeAndPaidPerDayWithTheUpgrade) {
  model::StarSchema star = small_star();
  EXPECT_EQ(plays_per_day_by_level(star), (ChartRows{row({"2018-11-01"}, {2, 1}), row({"2018-11-02"}, {1, 1})}));
  // User 10 played free on the 1st and paid on the 2nd: upgraded on the 2nd.
  EXPECT_EQ(users_per_day_by_level(star), (ChartRows{row({"2018-11-01"}, {1, 1, 0}), row({"2018-11-02"}, {1, 1, 1})}));
}

TEST(Figures, AUserWhoPlayedPaidFirstDidNotUpgrade) {
  model::StarSchema star = small_star();
  star.songplays[0].level = "paid";  // user 10: paid, free, then paid again
  star.songplays[1].level = "free";
  EXPECT_EQ(users_per_day_by_level(star), (ChartRows{row({"2018-11-01"}, {1, 2, 0}), row({"2018-11-02"}, {1, 1, 0})}));
}

TEST(Figures, NewUsersByTheDayOfTheirFirstPlay) {
  EXPECT_EQ(new_users_per_day(small_star()), (ChartRows{row({"2018-11-01"}, {2}), row({"2018-11-02"}, {1})}));
}

TEST(Figures, SessionsPerUserAndSessionLength) {
  model::StarSchema star = small_star();
  EXPECT_EQ(sessions_per_user(star), (ChartRows{row({"1"}, {2}), row({"2"}, {1})}));
  EXPECT_EQ(session_lengths(star), (ChartRows{row({"under 1 min"}, {3}), row({"1-10 min"}, {1})}));
  // One millisecond short of a minute is under it; a minute is not.
  star.songplays[1].start_time_ms = *star.songplays[0].start_time_ms + kMinuteMs - 1;
  EXPECT_EQ(session_lengths(star), (ChartRows{row({"under 1 min"}, {4})}));
  star.songplays[1].start_time_ms = *star.songplays[0].start_time_ms + kMinuteMs;
  EXPECT_EQ(session_lengths(star), (ChartRows{row({"under 1 min"}, {3}), row({"1-10 min"}, {1})}));
}

TEST(Figures, LocationsRankedByPlaysTiesByTheFirstPlayed) {
  EXPECT_EQ(top_locations(small_star()), (ChartRows{row({"Paris"}, {3}), row({"Berlin"}, {1}), row({"Rome"}, {1})}));
}

TEST(Figures, ARankingShowsTheTopTwentyOnly) {
  model::StarSchema star;
  for (int64_t id = 1; id <= 30; ++id) {
    // Place 30 is played first but only once; places 1…29 twice, later ones first.
    std::string place = "place " + std::to_string(31 - id);
    star.songplays.push_back(play(id, kNov1Ms + id, 1, "free", std::nullopt, std::nullopt, 1, place, std::nullopt));
    if (id > 1) {
      star.songplays.push_back(
          play(100 + id, kNov1Ms + 100 + id, 1, "free", std::nullopt, std::nullopt, 1, place, std::nullopt));
    }
  }
  ChartRows rows = top_locations(star);
  ASSERT_EQ(rows.size(), kTopRows);
  EXPECT_EQ(rows.front(), row({"place 29"}, {2}));
  EXPECT_EQ(rows.back(), row({"place 10"}, {2}));
}

TEST(Figures, UsersByBrowserAndOperatingSystem) {
  model::StarSchema star = small_star();
  EXPECT_EQ(users_per_browser(star), (ChartRows{row({"Chrome"}, {2}), row({"Firefox"}, {1}), row({"Safari"}, {1})}));
  EXPECT_EQ(users_per_os(star), (ChartRows{row({"Windows"}, {2}), row({"Linux"}, {1}), row({"iOS"}, {1})}));
}

TEST(Figures, SongMatchesCountPlaysWithASong) {
  EXPECT_EQ(song_matches(small_star()), (ChartRows{row({"matched"}, {5}), row({"unmatched"}, {1})}));
  EXPECT_EQ(song_matches(model::StarSchema{}), ChartRows{});
}

}  // namespace
}  // namespace sparkify::report
