#include "warehouse/copy_binary.h"

#include <gtest/gtest.h>

#include <bit>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace sparkify::warehouse {
namespace {

// Reads back what the encoder wrote: rows of fields, each its bytes or
// nullopt for NULL.
class BinaryReader {
 public:
  explicit BinaryReader(const std::string& data) : data_(data) {}

  uint64_t number(size_t bytes) {
    uint64_t value = 0;
    for (size_t idx = 0; idx < bytes; ++idx) value = (value << 8) | static_cast<unsigned char>(data_.at(at_++));
    return value;
  }
  std::vector<std::optional<std::string>> row() {
    auto fields = static_cast<uint16_t>(number(2));
    std::vector<std::optional<std::string>> values;
    for (uint16_t field = 0; field < fields; ++field) {
      auto length = static_cast<int32_t>(number(4));
      if (length < 0) {
        values.emplace_back();
        continue;
      }
      values.push_back(data_.substr(at_, static_cast<size_t>(length)));
      at_ += static_cast<size_t>(length);
    }
    return values;
  }
  bool done() const { return at_ == data_.size(); }

 private:
  const std::string& data_;
  size_t at_ = 0;
};

uint64_t big_endian(const std::string& bytes) {
  uint64_t value = 0;
  for (char byte : bytes) value = (value << 8) | static_cast<unsigned char>(byte);
  return value;
}

TEST(CopyBinary, HeaderAndTrailerAreWhatTheServerExpects) {
  std::string out;
  append_copy_header(out);
  append_copy_trailer(out);
  EXPECT_EQ(out, std::string("PGCOPY\n\xff\r\n\0", 11) + std::string(8, '\0') + "\xff\xff");
}

TEST(CopyBinary, TextGoesAsItsBytesAndNumbersAsTheirBits) {
  model::SongRecord song;
  song.num_songs = 1;
  song.artist_id = "A\\B\tC\nD\rE";
  song.artist_latitude = 0.1;
  song.duration = 218.93179;
  song.year = -7;
  std::string out;
  append_copy_rows(std::vector{song}, out);
  BinaryReader reader(out);
  auto row = reader.row();
  ASSERT_EQ(row.size(), 10u);
  EXPECT_EQ(big_endian(*row[0]), 1u);
  EXPECT_EQ(row[1], "A\\B\tC\nD\rE");
  EXPECT_EQ(std::bit_cast<double>(big_endian(*row[2])), 0.1);
  EXPECT_EQ(row[3], std::nullopt);
  EXPECT_EQ(row[6], std::nullopt);
  EXPECT_EQ(std::bit_cast<double>(big_endian(*row[8])), 218.93179);
  EXPECT_EQ(static_cast<int32_t>(big_endian(*row[9])), -7);
  EXPECT_TRUE(reader.done());
}

TEST(CopyBinary, EventColumnsInTableOrder) {
  model::EventRecord event;
  event.ts = 1541106106796;
  event.user_id = 8;
  event.registration = 1540344794796;
  event.page = "NextSong";
  std::string out;
  append_copy_rows(std::vector{event}, out);
  BinaryReader reader(out);
  auto row = reader.row();
  ASSERT_EQ(row.size(), 18u);
  for (size_t column = 0; column < row.size(); ++column) {
    bool set = column == 10 || column == 11 || column == 15 || column == 17;
    EXPECT_EQ(row[column].has_value(), set) << "column " << column;
  }
  EXPECT_EQ(row[10], "NextSong");
  EXPECT_EQ(big_endian(*row[11]), 1540344794796u);
  EXPECT_EQ(big_endian(*row[15]), 1541106106796u);
  EXPECT_EQ(row[17]->size(), 4u);
  EXPECT_EQ(big_endian(*row[17]), 8u);
}

TEST(CopyBinary, StartTimesAreMicrosecondsSince2000) {
  transform::SongplayView play;
  play.songplay_id = 3;
  play.start_time_ms = 1541106106796;  // 2018-11-01 21:01:46.796 UTC
  play.user_id = 8;
  model::TimeRow before_2000;
  before_2000.start_time_ms = -1;  // 1969-12-31 23:59:59.999
  std::string out;
  append_copy_row(play, out);
  append_copy_row(before_2000, out);
  BinaryReader reader(out);
  auto row = reader.row();
  ASSERT_EQ(row.size(), 9u);
  EXPECT_EQ(static_cast<int64_t>(big_endian(*row[1])), (1541106106796 - 946684800000) * 1000);
  EXPECT_EQ(row[3], std::nullopt);
  auto time = reader.row();
  ASSERT_EQ(time.size(), 7u);
  EXPECT_EQ(static_cast<int64_t>(big_endian(*time[0])), (-1 - 946684800000) * 1000);
  EXPECT_TRUE(reader.done());
}

}  // namespace
}  // namespace sparkify::warehouse
