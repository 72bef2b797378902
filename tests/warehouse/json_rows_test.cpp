// The JSON lines of compacted staging: one object per record, keys named as
// the staging columns (for COPY's JSON 'auto'), NULLs left out, strings
// escaped, every value read back exactly.
#include "warehouse/json_rows.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <string>

#include "warehouse/redshift_sql.h"

namespace sparkify::warehouse {
namespace {

TEST(JsonRows, EventsUseTheStagingColumnNamesAndLeaveNullsOut) {
  model::EventRecord event;
  event.artist = "Sigur R\xc3\xb3s";
  event.song = "quote \" backslash \\ tab \t newline \n bell \x07";
  event.length = 0.1 + 0.2;
  event.ts = 1541105830796;
  event.user_id = 39;
  std::string out;
  append_json_rows(std::vector<model::EventRecord>{event, model::EventRecord{}}, out);
  ASSERT_EQ(std::count(out.begin(), out.end(), '\n'), 2) << out;
  EXPECT_EQ(out.substr(out.find('\n') + 1), "{}\n");

  simdjson::dom::parser parser;
  simdjson::dom::element row = parser.parse(out.substr(0, out.find('\n')));
  EXPECT_EQ(std::string(row["artist"].get_string().value()), *event.artist);
  EXPECT_EQ(std::string(row["song"].get_string().value()), *event.song);
  EXPECT_EQ(row["length"].get_double().value(), *event.length);
  EXPECT_EQ(row["ts"].get_int64().value(), *event.ts);
  EXPECT_EQ(row["user_id"].get_int64().value(), 39);
  EXPECT_TRUE(row["first_name"].error() == simdjson::NO_SUCH_FIELD);
  // Every key is a column of staging_events.
  const auto& columns = redshift_sql::staging_events_columns();
  for (auto field : row.get_object()) {
    EXPECT_NE(std::find(columns.begin(), columns.end(), std::string(field.key)), columns.end()) << field.key;
  }
}

TEST(JsonRows, SongsUseTheStagingColumnNames) {
  model::SongRecord song;
  song.song_id = "SOABC";
  song.artist_latitude = -33.86882;
  song.year = 0;
  song.num_songs = 1;
  std::string out;
  append_json_rows(std::vector<model::SongRecord>{song}, out);
  EXPECT_EQ(out, "{\"num_songs\":1,\"artist_latitude\":-33.86882,\"song_id\":\"SOABC\",\"year\":0}\n");
  const auto& columns = redshift_sql::staging_songs_columns();
  simdjson::dom::parser parser;
  for (auto field : parser.parse(out).get_object()) {
    EXPECT_NE(std::find(columns.begin(), columns.end(), std::string(field.key)), columns.end()) << field.key;
  }
}

}  // namespace
}  // namespace sparkify::warehouse
