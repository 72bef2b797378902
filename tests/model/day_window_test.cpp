#include "model/day_window.h"

#include <gtest/gtest.h>

namespace sparkify::model {
namespace {

TEST(DayWindow, DaysAreUtcAndRoundDownBefore1970) {
  EXPECT_EQ(day_of_ts(0), 0);
  EXPECT_EQ(day_of_ts(kMillisPerDay - 1), 0);
  EXPECT_EQ(day_of_ts(kMillisPerDay), 1);
  EXPECT_EQ(day_of_ts(-1), -1);
  EXPECT_EQ(day_of_ts(-kMillisPerDay), -1);
  EXPECT_EQ(day_of_ts(-kMillisPerDay - 1), -2);
  // 2018-11-05 00:00:00 UTC and the last millisecond of that day.
  EXPECT_EQ(day_of_ts(1541376000000), *parse_day("2018-11-05"));
  EXPECT_EQ(day_of_ts(1541462399999), *parse_day("2018-11-05"));
}

TEST(DayWindow, ADateIsYyyyMmDdAndARealDay) {
  EXPECT_EQ(parse_day("1970-01-01"), 0);
  EXPECT_EQ(parse_day("1969-12-31"), -1);
  EXPECT_EQ(parse_day("2018-11-05"), 17840);
  EXPECT_EQ(parse_day("2020-02-29"), 18321);
  for (const char* bad : {"2019-02-29", "2018-11-31", "2018-00-10", "2018-1-05", "2018-11-05 ", " 2018-11-05",
                          "2018_11_05", "20181105", "2018-11-0x", ""}) {
    EXPECT_FALSE(parse_day(bad)) << bad;
  }
  EXPECT_EQ(day_text(17840), "2018-11-05");
  EXPECT_EQ(day_text(-1), "1969-12-31");
}

TEST(DayWindow, AWindowHoldsWholeDaysBothEndsIncluded) {
  DayWindow window{parse_day("2018-11-05"), parse_day("2018-11-06")};
  EXPECT_FALSE(window.contains_ts(1541376000000 - 1));
  EXPECT_TRUE(window.contains_ts(1541376000000));
  EXPECT_TRUE(window.contains_ts(1541548799999));  // 2018-11-06 23:59:59.999
  EXPECT_FALSE(window.contains_ts(1541548800000));
  EXPECT_FALSE(window.contains_ts(std::nullopt));  // no ts: in no window
  EXPECT_EQ(window.start_ms(), 1541376000000);
  EXPECT_EQ(window.end_ms(), 1541548800000);
  EXPECT_EQ(window.describe(), "2018-11-05 to 2018-11-06 (UTC)");
  EXPECT_TRUE(window.overlaps(*parse_day("2018-11-01"), *parse_day("2018-11-05")));
  EXPECT_FALSE(window.overlaps(*parse_day("2018-11-07"), *parse_day("2018-11-30")));

  DayWindow since{parse_day("2018-11-05"), std::nullopt};
  EXPECT_TRUE(since.contains_ts(7289654399999));
  EXPECT_FALSE(since.end_ms());
  EXPECT_EQ(since.describe(), "from 2018-11-05 (UTC)");
  DayWindow until{std::nullopt, parse_day("2018-11-05")};
  EXPECT_TRUE(until.contains_ts(-2208988800000));
  EXPECT_FALSE(until.start_ms());
  EXPECT_EQ(until.describe(), "until 2018-11-05 (UTC)");
}

}  // namespace
}  // namespace sparkify::model
