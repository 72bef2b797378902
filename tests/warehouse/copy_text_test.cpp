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

}  // namespace
}  // namespace sparkify::warehouse
