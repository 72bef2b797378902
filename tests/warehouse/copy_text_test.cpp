#include "warehouse/copy_text.h"

#include <gtest/gtest.h>

namespace sparkify::warehouse {
namespace {

TEST(CopyText, EscapesNullsAndShortestDoubles) {
  model::SongRecord song;
  song.num_songs = 1;
  song.artist_id = "A\\B\tC\nD\rE";
  song.artist_latitude = 0.1;
  song.duration = 218.93179;
  song.year = 0;
  std::string out;
  append_copy_rows(std::vector{song}, out);
  EXPECT_EQ(out, "1\tA\\\\B\\tC\\nD\\rE\t0.1\t\\N\t\\N\t\\N\t\\N\t\\N\t218.93179\t0\n");
}

TEST(CopyText, EventColumnsInTableOrder) {
  model::EventRecord event;
  event.ts = 1541106106796;
  event.user_id = 8;
  event.registration = 1540344794796;
  std::string out;
  append_copy_rows(std::vector{event}, out);
  EXPECT_EQ(out,
            "\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t1540344794796\t\\N\t\\N\t\\N\t1541106106796\t"
            "\\N\t8\n");
}

TEST(CopyText, FindsEscapesAtEveryPositionOfLongValues) {
  // Values are scanned eight bytes at a time: a special character must be
  // found in every lane and in the tail, and plain text (UTF-8, spaces,
  // DEL, '[' and ']' next to the backslash) must pass through unchanged.
  const std::string plain = "Beyonc\xc3\xa9 [Live] ~ \x7f 0123456789 ]]]";
  for (size_t at = 0; at <= plain.size(); ++at) {
    for (const auto& [special, escaped] : {std::pair{'\\', "\\\\"}, std::pair{'\t', "\\t"},
                                           std::pair{'\n', "\\n"}, std::pair{'\r', "\\r"}}) {
      model::EventRecord event;
      event.artist = plain.substr(0, at) + special + plain.substr(at);
      std::string out;
      append_copy_rows(std::vector{event}, out);
      std::string expected = plain.substr(0, at) + escaped + plain.substr(at);
      ASSERT_EQ(out.substr(0, out.find('\t')), expected) << "at " << at;
    }
  }
  model::EventRecord event;
  event.artist = plain;
  std::string out;
  append_copy_rows(std::vector{event}, out);
  EXPECT_EQ(out.substr(0, out.find('\t')), plain);
}

}  // namespace
}  // namespace sparkify::warehouse
