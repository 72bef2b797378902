#include "support/edge_records.h"

namespace sparkify::testing {
namespace {

model::SongRecord song(std::optional<std::string> song_id, std::optional<std::string> title,
                       std::optional<std::string> artist_id, std::optional<std::string> artist_name,
                       std::optional<double> duration, std::optional<int32_t> year,
                       std::optional<std::string> location = std::nullopt) {
  model::SongRecord record;
  record.num_songs = 1;
  record.song_id = std::move(song_id);
  record.title = std::move(title);
  record.artist_id = std::move(artist_id);
  record.artist_name = std::move(artist_name);
  record.duration = duration;
  record.year = year;
  record.artist_location = std::move(location);
  return record;
}

model::EventRecord play(std::optional<int32_t> user, std::optional<int32_t> session, std::optional<int32_t> item,
                        std::optional<int64_t> ts, std::optional<std::string> song = std::nullopt,
                        std::optional<std::string> artist = std::nullopt, std::optional<double> length = std::nullopt,
                        std::optional<std::string> level = "free") {
  model::EventRecord event;
  event.user_id = user;
  event.session_id = session;
  event.item_in_session = item;
  event.ts = ts;
  event.page = "NextSong";
  event.song = std::move(song);
  event.artist = std::move(artist);
  event.length = length;
  event.level = std::move(level);
  event.first_name = "First" + std::to_string(user.value_or(0));
  event.last_name = "Last";
  event.gender = "F";
  event.location = "Town, ST";
  event.user_agent = "Agent/1.0";
  return event;
}

}  // namespace

std::vector<model::SongRecord> edge_songs() {
  return {
      // SOB repeats: the row first by (title, artist_id, duration, year) wins.
      song("SOB", "Tune", "AR1", "Name", 100.5, 2000, "Here"),
      song("SOB", "Tune", "AR0", "Name", 100.5, 2000, "There"),
      // Matches (Tune, Name, 100.5) too, with a smaller song_id: the match.
      song("SOA", "Tune", "AR2", "Name", 100.5, 1999),
      // No song_id: no songs row, but its artist is still an artist.
      song(std::nullopt, "Lost", "AR3", "Ghost", 50.0, 0),
      // Text that COPY must escape, and non-ASCII.
      song("SOC", "Tab\there \\ back\nslash", "AR4", "Beyoncé \"B\"", 200.25, std::nullopt, "Zürich\tCH"),
      // AR1 again with a larger song_id: AR1's artist row comes from SOB.
      song("SOD", "Other", "AR1", "Name Two", 10.0, 2001, "Elsewhere"),
      // A year of 0 is kept; NULL duration never matches.
      song("SOE", "Silent", "AR5", "Quiet", std::nullopt, 0),
  };
}

std::vector<model::EventRecord> edge_events() {
  std::vector<model::EventRecord> events;
  // User 1: level changes; two events at the same latest ts, item 5 wins.
  events.push_back(play(1, 10, 0, 1000, "Tune", "Name", 100.5, "free"));
  events.push_back(play(1, 10, 1, 2000, "Nope", "Name", 100.5, "paid"));
  auto later = play(1, 11, 4, 3000, "Tune", "Name", 100.5, "free");
  events.push_back(later);
  later.item_in_session = 5;
  later.level = "paid";
  events.push_back(later);
  // User 2: the same event twice (a file loaded twice): one songplay.
  events.push_back(play(2, 20, 3, 4000, "Tab\there \\ back\nslash", "Beyoncé \"B\"", 200.25));
  events.push_back(play(2, 20, 3, 4000, "Tab\there \\ back\nslash", "Beyoncé \"B\"", 200.25));
  // User 3: one natural key, two different events: the earlier ts wins.
  events.push_back(play(3, 30, 1, 6000, "Other", "Name Two", 10.0, "paid"));
  events.push_back(play(3, 30, 1, 5000, "Other", "Name Two", 10.0, "free"));
  // Logged out: no user, no songplay.
  events.push_back(play(std::nullopt, 40, 0, 7000));
  // No ts: a songplay with a NULL start_time, and no time row.
  events.push_back(play(6, 60, 0, std::nullopt, "Tune", "Name", 100.5));
  // No session: NULL sorts last in the natural key.
  events.push_back(play(6, std::nullopt, 1, 8000));
  // Not NextSong: user 4 is a user without songplays.
  auto home = play(4, 41, 0, 9000);
  home.page = "Home";
  events.push_back(home);
  // User 5: two events tie on ts, item and session: level 'free' < 'paid'.
  events.push_back(play(5, 50, 2, 10000, std::nullopt, std::nullopt, std::nullopt, "paid"));
  events.push_back(play(5, 50, 2, 10000, std::nullopt, std::nullopt, std::nullopt, "free"));
  // Calendar edges: 2018-12-31 23:59:59.999 is ISO week 1 of 2019 but
  // year 2018; 2021-01-03 is ISO week 53; a time before 1970.
  events.push_back(play(7, 70, 0, 1546300799999LL));
  events.push_back(play(7, 70, 1, 1609675200000LL));
  events.push_back(play(7, 70, 2, -500));
  // Length matches but the artist differs in case: no match.
  events.push_back(play(8, 80, 0, 11000, "Tune", "name", 100.5));
  return events;
}

}  // namespace sparkify::testing
