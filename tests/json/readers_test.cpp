#include "json/readers.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <iterator>

#include "io/trickle_stream.h"
#include "model/reject.h"

namespace sparkify::json {
namespace {

using model::EventRecord;
using model::Rejects;
using model::SongRecord;

struct Events {
  std::vector<EventRecord> records;
  Rejects rejects;
};

Events read_events(const std::string& text, const std::string& source = "log_data/e.json") {
  Events out;
  EventReader reader;
  reader.read(io::Bytes::copy_of(text), source, out.records, out.rejects);
  return out;
}

struct Songs {
  std::vector<SongRecord> records;
  Rejects rejects;
};

Songs read_songs(const std::string& text) {
  Songs out;
  SongReader reader;
  reader.read(io::Bytes::copy_of(text), "song_data/A/A/A/TR.json", out.records, out.rejects);
  return out;
}

const char* kSampleEvent =
    R"({"artist":"Des'ree","auth":"Logged In","firstName":"Kaylee","gender":"F","itemInSession":1,)"
    R"("lastName":"Summers","length":246.30812,"level":"free","location":"Phoenix-Mesa-Scottsdale, AZ",)"
    R"("method":"PUT","page":"NextSong","registration":1540344794796.0,"sessionId":139,)"
    R"("song":"You Gotta Be","status":200,"ts":1541106106796,)"
    R"j("userAgent":"Mozilla\/5.0 (Windows NT 6.1; WOW64)","userId":"8"})j";

TEST(EventReader, ReadsEveryFieldType) {
  Events got = read_events(kSampleEvent);
  ASSERT_EQ(got.rejects.size(), 0u);
  ASSERT_EQ(got.records.size(), 1u);
  const EventRecord& event = got.records[0];
  EXPECT_EQ(event.artist, "Des'ree");
  EXPECT_EQ(event.auth, "Logged In");
  EXPECT_EQ(event.first_name, "Kaylee");
  EXPECT_EQ(event.gender, "F");
  EXPECT_EQ(event.item_in_session, 1);
  EXPECT_EQ(event.last_name, "Summers");
  EXPECT_EQ(event.length, 246.30812);
  EXPECT_EQ(event.level, "free");
  EXPECT_EQ(event.location, "Phoenix-Mesa-Scottsdale, AZ");
  EXPECT_EQ(event.method, "PUT");
  EXPECT_EQ(event.page, "NextSong");
  EXPECT_EQ(event.registration, 1540344794796);
  EXPECT_EQ(event.session_id, 139);
  EXPECT_EQ(event.song, "You Gotta Be");
  EXPECT_EQ(event.status, 200);
  EXPECT_EQ(event.ts, 1541106106796);
  EXPECT_EQ(event.user_agent, "Mozilla/5.0 (Windows NT 6.1; WOW64)");
  EXPECT_EQ(event.user_id, 8);
}

TEST(EventReader, NullMissingAndEmptyAreAllNull) {
  Events got = read_events(R"({"artist":null,"auth":"","userId":"","ts":1})");
  ASSERT_EQ(got.records.size(), 1u);
  EXPECT_FALSE(got.records[0].artist);
  EXPECT_FALSE(got.records[0].auth);
  EXPECT_FALSE(got.records[0].user_id);
  EXPECT_FALSE(got.records[0].song);  // missing key
  EXPECT_EQ(got.records[0].ts, 1);
}

TEST(EventReader, UserIdAcceptsAnInteger) {
  Events got = read_events(R"({"userId":42})");
  ASSERT_EQ(got.records.size(), 1u);
  EXPECT_EQ(got.records[0].user_id, 42);
}

TEST(EventReader, EscapesAndNonAsciiText) {
  Events got = read_events(R"({"artist":"Beyonc\u00e9 \"B\" \\ \/","song":"Sigur Rós – Hoppípolla \ud83c\udfb5"})");
  ASSERT_EQ(got.records.size(), 1u);
  EXPECT_EQ(got.records[0].artist, "Beyoncé \"B\" \\ /");
  EXPECT_EQ(got.records[0].song, "Sigur Rós – Hoppípolla 🎵");
}

TEST(EventReader, CrlfBlankLinesAndNoFinalNewline) {
  Events got = read_events("{\"ts\":1}\r\n\r\n   \n{\"ts\":2}\r\n{\"ts\":3}");
  ASSERT_EQ(got.rejects.size(), 0u);
  ASSERT_EQ(got.records.size(), 3u);
  EXPECT_EQ(got.records[2].ts, 3);
}

TEST(EventReader, SkipsAByteOrderMarkAtTheStart) {
  Events got = read_events("\xEF\xBB\xBF{\"ts\":1}\n{\"ts\":2}\n");
  ASSERT_EQ(got.rejects.size(), 0u) << got.rejects[0].reason;
  ASSERT_EQ(got.records.size(), 2u);
  EXPECT_EQ(got.records[0].ts, 1);
}

TEST(EventReader, AByteOrderMarkAnywhereElseIsNotSkipped) {
  Events got = read_events("{\"ts\":1}\n\xEF\xBB\xBF{\"ts\":2}\n");
  EXPECT_EQ(got.records.size(), 1u);
  ASSERT_EQ(got.rejects.size(), 1u);
  EXPECT_EQ(got.rejects[0].line, 2u);
}

TEST(EventReader, ChunksHoldEveryRecordAndKeepTheFilesLineNumbers) {
  std::string text;
  for (int line_idx = 1; line_idx <= 10; ++line_idx) {
    text += line_idx == 7 ? "{not json\n" : "{\"ts\":" + std::to_string(line_idx) + "}\n";
  }
  EventReader reader;
  std::vector<size_t> chunk_sizes;
  std::vector<int64_t> timestamps;
  Rejects rejects;
  reader.read_in_chunks(io::Bytes::copy_of(text), "log_data/e.json", 4, [&](auto& records, auto& chunk_rejects) {
    chunk_sizes.push_back(records.size());
    for (const auto& record : records) timestamps.push_back(*record.ts);
    for (auto& reject : chunk_rejects) rejects.push_back(reject);
  });
  EXPECT_EQ(chunk_sizes, (std::vector<size_t>{4, 4, 1}));
  EXPECT_EQ(timestamps, (std::vector<int64_t>{1, 2, 3, 4, 5, 6, 8, 9, 10}));
  ASSERT_EQ(rejects.size(), 1u);
  EXPECT_EQ(rejects[0].line, 7u);
}

using sparkify::testing::TrickleStream;

// What a reader gave, as text: every record's fields the tests look at and
// every reject whole.
std::string described(const Events& events) {
  std::string out;
  for (const auto& record : events.records) {
    out += "ts=" + (record.ts ? std::to_string(*record.ts) : "null") + " song=" + record.song.value_or("null") +
           " length=" + (record.length ? std::to_string(*record.length) : "null") + "\n";
  }
  for (const auto& reject : events.rejects) {
    out += "reject " + reject.source + ":" + std::to_string(reject.line) + " " + reject.field + " " + reject.reason +
           " [" + reject.text + "]\n";
  }
  return out;
}

Events read_stream(const std::string& text, size_t piece_bytes, size_t trickle) {
  Events out;
  EventReader reader;
  TrickleStream stream(text, trickle);
  reader.read_stream(
      stream, "log_data/e.json", 3,
      [&](auto& records, auto& rejects) {
        std::move(records.begin(), records.end(), std::back_inserter(out.records));
        std::move(rejects.begin(), rejects.end(), std::back_inserter(out.rejects));
      },
      piece_bytes);
  return out;
}

TEST(EventReader, AStreamReadInAnyPiecesGivesWhatTheWholeFileGives) {
  // A byte order mark, CRLF, blank lines, bad lines, a line longer than
  // any piece, and no newline at the end.
  std::string long_song(300, 'x');
  std::string text =
      "\xEF\xBB\xBF{\"ts\":1,\"song\":\"a\"}\r\n\n{not json\n{\"ts\":3,\"length\":2.5}\r\n   \n"
      "{\"ts\":\"x\"}\n{\"ts\":6,\"song\":\"" +
      long_song + "\"}\n\n{\"ts\":8}\n{\"ts\":9,\"song\":\"last\"}";
  std::string whole = described(read_events(text));
  ASSERT_NE(whole.find("reject log_data/e.json:3"), std::string::npos) << whole;
  ASSERT_NE(whole.find("reject log_data/e.json:6 ts"), std::string::npos) << whole;
  for (size_t piece_bytes : {1, 2, 3, 7, 16, 64, 1000}) {
    for (size_t trickle : {1, 5, 4096}) {
      EXPECT_EQ(described(read_stream(text, piece_bytes, trickle)), whole)
          << "pieces of " << piece_bytes << " bytes, reads of " << trickle;
    }
  }
}

TEST(EventReader, AnEmptyStreamGivesNothing) {
  Events got = read_stream("", 8, 8);
  EXPECT_TRUE(got.records.empty());
  EXPECT_TRUE(got.rejects.empty());
}

TEST(EventReader, TimestampsFromTheFirstInstantOf1900ToTheLastOf2200) {
  Events got = read_events("{\"ts\":-2208988800000}\n{\"ts\":7289654399999}\n");
  ASSERT_EQ(got.rejects.size(), 0u) << got.rejects[0].reason;
  ASSERT_EQ(got.records.size(), 2u);
  EXPECT_EQ(got.records[0].ts, -2208988800000);
  EXPECT_EQ(got.records[1].ts, 7289654399999);
}

TEST(EventReader, UnknownKeysAreIgnored) {
  Events got = read_events(R"({"ts":5,"extra":{"nested":[1,2,{"x":null}]},"more":true})");
  ASSERT_EQ(got.records.size(), 1u);
  EXPECT_EQ(got.records[0].ts, 5);
}

TEST(EventReader, FractionalRegistrationIsRounded) {
  Events got = read_events(R"({"registration":1540919166796.6})");
  ASSERT_EQ(got.records.size(), 1u);
  EXPECT_EQ(got.records[0].registration, 1540919166797);
}

struct BadCase {
  const char* line;
  const char* field;
  const char* reason_part;
};

class EventRejects : public ::testing::TestWithParam<BadCase> {};

TEST_P(EventRejects, NameFileLineFieldAndReason) {
  const BadCase& bad = GetParam();
  Events got = read_events(std::string("{\"ts\":1}\n") + bad.line + "\n{\"ts\":3}\n");
  EXPECT_EQ(got.records.size(), 2u) << "the lines around a bad one still load";
  ASSERT_EQ(got.rejects.size(), 1u);
  const model::Reject& reject = got.rejects[0];
  EXPECT_EQ(reject.source, "log_data/e.json");
  EXPECT_EQ(reject.line, 2u);
  EXPECT_EQ(reject.field, bad.field);
  EXPECT_NE(reject.reason.find(bad.reason_part), std::string::npos) << reject.reason;
  EXPECT_EQ(reject.text, bad.line);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, EventRejects,
    ::testing::Values(BadCase{R"({"ts":"1541106106796"})", "ts", "expected an integer, found a string"},
                      BadCase{R"({"ts":1.5})", "ts", "fraction"},
                      BadCase{R"({"ts":1541106106796000})", "ts", "in the years 1900 to 2200 UTC"},
                      BadCase{R"({"ts":1541106106796000000})", "ts", "in the years 1900 to 2200 UTC"},
                      BadCase{R"({"ts":-2208988800001})", "ts", "found -2208988800001"},
                      BadCase{R"({"ts":7289654400000})", "ts", "(-2208988800000 to 7289654399999)"},
                      BadCase{R"({"sessionId":99999999999})", "sessionId", "out of range"},
                      BadCase{R"({"userId":"12a"})", "userId", "digits"},
                      BadCase{R"({"userId":true})", "userId", "expected an integer, found a boolean"},
                      BadCase{R"({"length":"long"})", "length", "expected a number"},
                      BadCase{R"({"artist":7})", "artist", "expected a string, found a number"},
                      BadCase{R"({"song":["a"]})", "song", "found an array"},
                      BadCase{R"({"ts":1,)", "", "invalid JSON"},
                      BadCase{R"([1,2])", "", "expected a JSON object, found an array"},
                      BadCase{R"({"ts":1} {"ts":2})", "", "after the object"},
                      BadCase{"{\"artist\":\"\xff\xfe\"}", "", "invalid JSON"}));

TEST(SongReader, ReadsOneObject) {
  Songs got = read_songs(
      R"({"num_songs": 1, "artist_id": "ARD7TVE1187B99BFB1", "artist_latitude": null, )"
      R"("artist_longitude": -118.5, "artist_location": "", "artist_name": "Casual", )"
      R"("song_id": "SOMZWCG12A8C13C480", "title": "I Didn't Mean To", "duration": 218.93179, "year": 0})");
  ASSERT_EQ(got.rejects.size(), 0u);
  ASSERT_EQ(got.records.size(), 1u);
  const SongRecord& song = got.records[0];
  EXPECT_EQ(song.num_songs, 1);
  EXPECT_EQ(song.artist_id, "ARD7TVE1187B99BFB1");
  EXPECT_FALSE(song.artist_latitude);
  EXPECT_EQ(song.artist_longitude, -118.5);
  EXPECT_FALSE(song.artist_location);
  EXPECT_EQ(song.artist_name, "Casual");
  EXPECT_EQ(song.song_id, "SOMZWCG12A8C13C480");
  EXPECT_EQ(song.title, "I Didn't Mean To");
  EXPECT_EQ(song.duration, 218.93179);
  EXPECT_EQ(song.year, 0) << "year 0 means unknown and is kept";
}

TEST(SongReader, SeveralObjectsOnePerLine) {
  Songs got = read_songs("{\"song_id\":\"S1\"}\n{\"song_id\":\"S2\"}\n");
  ASSERT_EQ(got.records.size(), 2u);
  EXPECT_EQ(got.records[1].song_id, "S2");
}

TEST(SongReader, OneObjectOverSeveralLines) {
  Songs got = read_songs("{\n  \"song_id\": \"S1\",\n  \"year\": 2001\n}\n");
  ASSERT_EQ(got.rejects.size(), 0u);
  ASSERT_EQ(got.records.size(), 1u);
  EXPECT_EQ(got.records[0].year, 2001);
}

TEST(SongReader, SkipsAByteOrderMarkAtTheStart) {
  Songs one_line = read_songs("\xEF\xBB\xBF{\"song_id\":\"S1\"}\n");
  ASSERT_EQ(one_line.rejects.size(), 0u) << one_line.rejects[0].reason;
  ASSERT_EQ(one_line.records.size(), 1u);
  EXPECT_EQ(one_line.records[0].song_id, "S1");
  Songs pretty = read_songs("\xEF\xBB\xBF{\n  \"song_id\": \"S2\",\n  \"year\": 2001\n}\n");
  ASSERT_EQ(pretty.rejects.size(), 0u) << pretty.rejects[0].reason;
  ASSERT_EQ(pretty.records.size(), 1u);
  EXPECT_EQ(pretty.records[0].song_id, "S2");
}

TEST(SongReader, WrongTypeIsARejectNamingTheField) {
  Songs got = read_songs(R"({"song_id":"S1","year":"1999"})");
  EXPECT_EQ(got.records.size(), 0u);
  ASSERT_EQ(got.rejects.size(), 1u);
  EXPECT_EQ(got.rejects[0].field, "year");
  EXPECT_EQ(model::describe(got.rejects[0]),
            "song_data/A/A/A/TR.json:1: year: expected an integer, found a string");
}

TEST(SongReader, ArtistIdTooLongForALakeFolderIsARejectNamingIt) {
  // "artist_id=" and the value escaped: 255 bytes is the most a folder name takes.
  auto song_with = [](const std::string& artist_id) {
    return "{\"song_id\":\"S1\",\"artist_id\":\"" + artist_id + "\"}";
  };
  EXPECT_EQ(read_songs(song_with(std::string(245, 'A'))).records.size(), 1u);
  EXPECT_EQ(read_songs(song_with(std::string(81, '/'))).records.size(), 1u) << "253 bytes escaped";
  for (const std::string& too_long : {std::string(246, 'A'), std::string(82, '/')}) {
    Songs got = read_songs(song_with(too_long));
    EXPECT_EQ(got.records.size(), 0u);
    ASSERT_EQ(got.rejects.size(), 1u);
    EXPECT_EQ(got.rejects[0].field, "artist_id");
    EXPECT_NE(got.rejects[0].reason.find("folder"), std::string::npos) << got.rejects[0].reason;
    EXPECT_NE(got.rejects[0].reason.find("256 bytes, more than 255"), std::string::npos) << got.rejects[0].reason;
  }
}

}  // namespace
}  // namespace sparkify::json
