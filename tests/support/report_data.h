// Lakes for the report's tests, made with the sparkify binary: from a data
// set (support/data_sets.h), from generated data, and from a small extract
// whose every text is hostile to a page (markup, "</script>", quotes).
#pragma once

#include <cstdlib>
#include <stdexcept>
#include <string>

#include "test_support.h"

namespace sparkify::testing {

// The title, artist and location of the hostile extract: each would break a
// page that did not escape it, or run script in it.
inline constexpr const char* kHostileTitle = "</script><script>window.pwned=1</script> & \"Quotes\" 'é' <b>東京</b>";
inline constexpr const char* kHostileArtist = "Artist <!-- & </SCRIPT>";
inline constexpr const char* kHostileLocation = "<img src=x onerror=\"window.pwned=2\">, CA";

// Writes the hostile extract under `dir` (song_data/ and log_data/): one
// song, played by two users over two days in three sessions, one upgrade,
// and one play that matches no song.
inline void write_hostile_data(const std::string& dir) {
  const std::string title = R"(<\/script><script>window.pwned=1<\/script> & \"Quotes\" 'é' <b>東京<\/b>)";
  const std::string artist = R"(Artist <!-- & <\/SCRIPT>)";
  const std::string location = R"(<img src=x onerror=\"window.pwned=2\">, CA)";
  write_text(
      dir + "/song_data/A/A/A/TRAAAHS128F4280001.json",
      R"({"num_songs": 1, "artist_id": "ARHOSTILE1187B9A2B0", "artist_latitude": null, "artist_longitude": null, )"
      R"("artist_location": ")" +
          location + R"(", "artist_name": ")" + artist + R"(", "song_id": "SOHOSTILE12AB018001", "title": ")" + title +
          R"(", "duration": 215.5, "year": 2001})"
          "\n");
  auto event = [&](int user, const char* level, int session, int item, long long ts, const std::string& song) {
    return R"({"artist":")" + artist + R"(","auth":"Logged In","firstName":"Ann","gender":"F","itemInSession":)" +
           std::to_string(item) + R"(,"lastName":"Lee","length":215.5,"level":")" + level + R"(","location":")" +
           location +
           R"(","method":"PUT","page":"NextSong","registration":1540919166796.0,)"
           R"("sessionId":)" +
           std::to_string(session) + R"(,"song":")" + song + R"(","status":200,"ts":)" + std::to_string(ts) +
           R"(,"userAgent":"Mozilla\/5.0 (X11; Linux x86_64; rv:31.0) Gecko\/20100101 Firefox\/31.0<\/script>",)"
           R"("userId":")" +
           std::to_string(user) + "\"}\n";
  };
  const long long nov5 = 1541376000000;  // 2018-11-05 00:00 UTC
  write_text(dir + "/log_data/2018/11/2018-11-05-events.json",
             event(1, "free", 1, 0, nov5 + 3600000, title) + event(1, "free", 1, 1, nov5 + 3780000, "No such song") +
                 event(2, "paid", 5, 0, nov5 + 7200000, title));
  write_text(dir + "/log_data/2018/11/2018-11-06-events.json", event(1, "paid", 2, 0, nov5 + 90000000, title));
}

#ifdef SPARKIFY_BINARY_DIR
// Runs `sparkify generate` into `out`; throws std::runtime_error on failure.
inline void generate_data(const std::string& out, int songs, int events, int seed) {
  CliOutcome outcome = run_sparkify("generate --songs " + std::to_string(songs) + " --events " +
                                    std::to_string(events) + " --seed " + std::to_string(seed) + " --out " + out);
  if (outcome.status != 0) throw std::runtime_error("sparkify generate failed: " + outcome.output);
}

// Runs `sparkify etl` from `data` (song_data/, log_data/) into the lake
// `lake`, with `extra` flags (a --target); throws std::runtime_error on
// failure.
inline void etl_into(const std::string& data, const std::string& lake, const std::string& extra = "") {
  CliOutcome outcome = run_sparkify("etl --song-data '" + data + "/song_data' --log-data '" + data +
                                    "/log_data' --lake '" + lake + "' --rejects '" + lake + ".rejects.ndjson'" + extra);
  if (outcome.status != 0) throw std::runtime_error("sparkify etl failed: " + outcome.output);
}
#endif

}  // namespace sparkify::testing
