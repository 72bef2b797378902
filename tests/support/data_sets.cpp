#include "support/data_sets.h"

#include "test_support.h"

namespace sparkify::testing {
namespace {

std::optional<std::string> text(const char* value) { return std::string(value); }

// Rows of one play: every column but the ids of the matched song.
model::SongplayRow play(int64_t songplay_id, int64_t start_time_ms, int32_t user_id, const char* level,
                        std::optional<std::string> song_id, std::optional<std::string> artist_id, int32_t session_id) {
  model::SongplayRow row;
  row.songplay_id = songplay_id;
  row.start_time_ms = start_time_ms;
  row.user_id = user_id;
  row.level = level;
  row.song_id = std::move(song_id);
  row.artist_id = std::move(artist_id);
  row.session_id = session_id;
  return row;
}

constexpr char kZoeAgent[] = "Mozilla/5.0 (X11; Linux x86_64; rv:63.0) Gecko/20100101 Firefox/63.0";
constexpr char kRyanAgent[] =
    "\"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_9_4) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/36.0.1985.143 Safari/537.36\"";
constexpr char kNoorAgent[] = "Mozilla/5.0 (Windows NT 6.1; WOW64; Trident/7.0; rv:11.0) like Gecko";

}  // namespace

DataSet fixture_data_set() {
  DataSet data;
  data.name = "Fixtures";
  data.dir = std::string(SPARKIFY_SOURCE_DIR) + "/tests/fixtures/sparkify-mini";
  data.song_files = 6;
  data.event_files = 5;  // one of them gzip
  data.events = 21;
  data.counts.staging_songs = 7;    // one file holds two objects
  data.counts.staging_events = 21;  // the duplicated event twice, the logged-out ones too
  data.counts.songplays = 12;       // 14 NextSong events, less one logged out and one duplicate
  data.counts.users = 4;            // user 101 has no NextSong event
  data.counts.songs = 6;            // SOEEERP12AB0180006 twice
  data.counts.artists = 4;
  data.counts.time = 11;  // two plays share an instant
  return data;
}

std::vector<DataSet> sample_data_sets() {
  std::string dir = sample_dir();
  if (dir.empty()) return {};
  DataSet data;
  data.name = "Sample";
  data.dir = dir;
  data.song_files = 71;
  data.event_files = 30;
  data.events = 8056;
  data.counts.staging_songs = 71;
  data.counts.staging_events = 8056;
  data.counts.songplays = 6820;  // every NextSong event has a user; no natural key repeats
  data.counts.users = 97;
  data.counts.songs = 71;
  data.counts.artists = 69;
  data.counts.time = 6813;  // 6,820 plays at 6,813 distinct instants
  return {data};
}

std::vector<DataSet> data_sets() {
  std::vector<DataSet> sets = {fixture_data_set()};
  for (auto& sample : sample_data_sets()) sets.push_back(std::move(sample));
  return sets;
}

model::StarSchema fixture_star() {
  model::StarSchema star;
  // NextSong events with a user, in order of (start_time, user_id,
  // session_id, item_in_session). Matched plays: title, artist name and
  // length equal to a song's; "jóga" (case), 282.8274 (length) and the
  // unknown songs match none. The event of 2018-11-01 09:20:45.436 in
  // session 420 is in two files: one row.
  const std::string jo = "SOAAABJ12AB0180001", bjork = "ARBJ1YM1187FB3F0A1";
  const std::string kick = "SOBBBMC12AB0180002", motley = "ARMAT5K1187B9A2B02";
  const std::string ordinary = "SOCCCCS12AB0180003", casual = "ARNUL0L1187B9A3C03";
  const std::string same_old = "SODDDDT12AB0180004", duo = "ARDUO2X1187B9A4D04";  // the smaller of two matches
  const std::string echo = "SOEEERP12AB0180006";
  star.songplays = {
      play(1, 1541063740125, 10, "free", jo, bjork, 301),          // 2018-11-01 09:15:40.125
      play(2, 1541064045436, 10, "free", ordinary, casual, 301),   // 2018-11-01 09:20:45.436
      play(3, 1541064045436, 26, "paid", kick, motley, 420),       // the same instant, user 26; length 282.82730
      play(4, 1541064310000, 26, "paid", {}, {}, 420),             // an unknown song
      play(5, 1542290601517, 10, "paid", same_old, duo, 388),      // 2018-11-15 14:03:21.517
      play(6, 1542290781517, 10, "paid", {}, {}, 388),             // "jóga"
      play(7, 1542303900250, 44, "free", ordinary, casual, 55),    // userId a JSON integer
      play(8, 1542304118000, 44, "free", {}, {}, 55),              // length 282.8274
      play(9, 1542694020000, 44, "free", kick, motley, 60),        // from the .json.gz file
      play(10, 1543602600000, 26, "paid", ordinary, casual, 431),  // from the CRLF file
      play(11, 1546299012345, 26, "free", echo, motley, 470),      // 2018-12-31 23:30:12.345
      play(12, 1546300799999, 10, "paid", {}, {}, 512),            // 2018-12-31 23:59:59.999
  };
  for (auto& row : star.songplays) {
    switch (row.user_id) {
      case 10:
        row.location = "Malmö-Lund, Skåne";
        row.user_agent = kZoeAgent;
        break;
      case 26:
        row.location = "San Jose-Sunnyvale-Santa Clara, CA";
        row.user_agent = kRyanAgent;
        break;
      case 44:
        row.location = "Portland-South Portland, ME";
        row.user_agent = kNoorAgent;
        break;
    }
  }
  // Each from the user's latest event: Zoë paid since 2018-11-15, Ryan free
  // on 2018-12-31, Noor's two events of 2018-11-30 share a ts and the
  // greater itemInSession (1, "paid") wins; Maurice has a Settings page only.
  star.users = {
      {10, text("Zoë"), text("Ångström"), text("F"), text("paid")},
      {26, text("Ryan"), text("Smith"), text("M"), text("free")},
      {44, text("Noor"), text("O'Brien"), text("F"), text("paid")},
      {101, text("Maurice"), text("Dupré"), text("M"), text("free")},
  };
  // SOEEERP12AB0180006 twice: "Echo" sorts before "Echo (Remastered)".
  star.songs = {
      {jo, text("Jóga"), bjork, 1997, 305.16444},
      {kick, text("Kickstart My Heart"), motley, 1989, 282.8273},
      {ordinary, text("Ordinary Day"), casual, 0, 218.93179},  // year 0 kept
      {same_old, text("Same Old Song"), duo, 2008, 180.0},
      {echo, text("Echo"), motley, 2011, 240.5},
      {"SOZZZDT12AB0180005", text("Same Old Song"), duo, 2009, 180.0},
  };
  // Each from its row with the smallest song_id: Duo Two's is
  // SODDDDT12AB0180004 ("Austin, TX", with coordinates), not the other's
  // ("Austin", none). Casual Strangers' location is "" and so NULL.
  star.artists = {
      {bjork, text("Björk Guðmundsdóttir & Sveinn"), text("Reykjavík, Iceland"), 64.13548, -21.89541},
      {duo, text("Duo Two"), text("Austin, TX"), 30.26715, -97.74306},
      {motley, text("Mötley Crüe"), text("Los Angeles, CA"), 34.05349, -118.24532},
      {casual, text("Casual Strangers"), std::nullopt, std::nullopt, std::nullopt},
  };
  // start_time, hour, day, ISO week, month, year, weekday (0 = Sunday), UTC.
  // 2018-11-01 and 2018-11-15 are Thursdays, 2018-11-20 a Tuesday,
  // 2018-11-30 a Friday; 2018-12-31 is the Monday of ISO week 1 of 2019.
  star.time = {
      {1541063740125, 9, 1, 44, 11, 2018, 4},   {1541064045436, 9, 1, 44, 11, 2018, 4},
      {1541064310000, 9, 1, 44, 11, 2018, 4},   {1542290601517, 14, 15, 46, 11, 2018, 4},
      {1542290781517, 14, 15, 46, 11, 2018, 4}, {1542303900250, 17, 15, 46, 11, 2018, 4},
      {1542304118000, 17, 15, 46, 11, 2018, 4}, {1542694020000, 6, 20, 47, 11, 2018, 2},
      {1543602600000, 18, 30, 48, 11, 2018, 5}, {1546299012345, 23, 31, 1, 12, 2018, 1},
      {1546300799999, 23, 31, 1, 12, 2018, 1},
  };
  return star;
}

}  // namespace sparkify::testing
